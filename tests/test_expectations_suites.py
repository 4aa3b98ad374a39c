"""Every suite passes on the good fixture world and fails, check by check, on its defects."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "dq"))

import dq_frames  # noqa: E402
from dq_run import PARAMS, failed  # noqa: E402

from expectations import runner  # noqa: E402

TABLES = list(runner.MODULES)


@pytest.fixture(scope="module")
def good() -> dict:
    return dq_frames.good()


@pytest.mark.parametrize("table", TABLES)
def test_suite_passes_on_good_data(table: str, good: dict) -> None:
    outcomes = runner.run_checks(table, good, params=PARAMS)
    assert [o.check_name for o in outcomes] == [s.name for s in runner.check_names(table)]
    assert {o.check_name: o.examples for o in outcomes if not o.success} == {}


@pytest.mark.parametrize("table", TABLES)
def test_suite_fails_on_its_defects(table: str) -> None:
    frames, expected = dq_frames.BAD[table]()
    got = failed(table, frames)
    assert set(got) == expected
    for o in got.values():
        assert 1 <= len(o.examples) <= 5
        assert all("error" not in ex for ex in o.examples), o.examples


def test_every_check_is_named_after_its_table() -> None:
    names = [s.name for t in TABLES for s in runner.check_names(t)]
    assert len(names) == len(set(names))
    for t in TABLES:
        for s in runner.check_names(t):
            assert s.name.startswith(t.replace(".", "_") + "_")
            assert s.severity in ("ERROR", "WARN")


def test_every_check_fails_somewhere() -> None:
    """No check is dead: each one is caught by at least one defect fixture (or a test below)."""
    covered = set().union(*(fn()[1] for fn in dq_frames.BAD.values()))
    covered |= {"core_event_mentions_dates_in_doc_period", "staging_documents_volume_drop",
                "staging_documents_freshness", "core_event_mentions_within_sentence",
                "staging_sentences_within_section"}
    names = {s.name for t in TABLES for s in runner.check_names(t)}
    assert names - covered == set()


# --------------------------------------------------------------------------- crafted defects


def test_crafted_duplicate_is_caught_by_the_duplicate_check() -> None:
    frames, _ = dq_frames.bad_staging_documents()
    o = failed("staging.documents", frames)["staging_documents_no_duplicates"]
    assert o.severity == "ERROR"
    a = dq_frames.doc_id(frames, "A")
    copy = frames["staging.documents"].filter(
        dq_frames.pl.col("source") == "inbox/A-copy.txt")["doc_id"][0]
    assert {(ex["doc_id"], ex["duplicate_of"]) for ex in o.examples} == {(a, a), (copy, a)}


def test_mirror_copy_parsed_again_is_a_duplicate() -> None:
    f = dq_frames.good()
    a = f["staging.documents"].row(0, named=True)
    mirror = f["raw.documents"].filter(dq_frames.pl.col("near_duplicate_of").is_not_null()).row(
        0, named=True
    )
    # DEFECT: the mirror copy of A made it into staging.documents
    f["staging.documents"] = dq_frames.with_row(
        f["staging.documents"],
        {"doc_id": "d" + mirror["sha256"][:16], "sha256": mirror["sha256"], "title": "other"},
    )
    f["staging.sections"] = dq_frames.with_row(
        f["staging.sections"], {"doc_id": "d" + mirror["sha256"][:16]}
    )
    got = failed("staging.documents", f)
    assert set(got) == {"staging_documents_no_duplicates"}
    (ex,) = got["staging_documents_no_duplicates"].examples
    assert ex["duplicate_of"].startswith("mirror of sha256 " + a["sha256"][:16])


def test_crafted_unknown_country_is_caught_in_quarantine_and_in_staging() -> None:
    frames, _ = dq_frames.bad_raw_quarantine()
    o = failed("raw.quarantine", frames)["raw_quarantine_unknown_country"]
    assert o.severity == "WARN" and o.examples[0]["file"] == "inbox/atlantis.txt"
    frames, _ = dq_frames.bad_staging_documents()
    o = failed("staging.documents", frames)["staging_documents_country_iso3_valid"]
    assert o.severity == "ERROR" and o.examples[0]["country_iso3"] == "ATL"


def test_crafted_wrong_year_period_is_caught_by_flags_and_directly() -> None:
    frames, _ = dq_frames.bad_staging_documents()
    got = failed("staging.documents", frames)
    f_id = dq_frames.doc_id(frames, "F")
    for name in ("staging_documents_period_after_publication",
                 "staging_documents_period_mismatch_events"):
        assert got[name].severity == "WARN"
        assert [ex["doc_id"] for ex in got[name].examples] == [f_id]
    frames, expected = dq_frames.bad_mention_dates()
    got = failed("core.event_mentions", frames)
    assert set(got) == expected
    (ex,) = got["core_event_mentions_dates_in_doc_period"].examples
    assert ex["doc_id"] == dq_frames.doc_id(frames, "A")
    assert ex["sentence_no"] == 1 and ex["event_date"] == "2021-10-03"
    assert ex["outside_period"] == ex["dated_mentions"] == 3
    # too few dated mentions to judge (background references in a long report): no warning
    few = dq_frames.DQParams(as_of=dq_frames.AS_OF, period_min_dated_mentions=4)
    assert failed("core.event_mentions", frames, few) == {}


def test_period_after_publication_without_a_flag() -> None:
    f = dq_frames.good()
    b = dq_frames.doc_id(f, "B")
    # DEFECT: B's period ends after its publication date; the parser did not flag it
    f["staging.documents"] = dq_frames.set_where(
        f["staging.documents"], dq_frames.pl.col("doc_id") == b, period_end=dq_frames.date(2022, 6, 30)
    )
    got = failed("staging.documents", f)
    assert set(got) == {"staging_documents_period_after_publication"}


def test_offsets_examples_name_document_and_sentence() -> None:
    frames, _ = dq_frames.bad_staging_sentences()
    (ex,) = failed("staging.sentences", frames)["staging_sentences_offsets_match"].examples
    assert ex["doc_id"] == dq_frames.doc_id(frames, "A") and ex["sentence_no"] == 1
    assert ex["found"].startswith("n 3 October")


def test_band_rule_rounds_half_up() -> None:
    from expectations.common import band_of

    assert [band_of(s) for s in (0, 20.49, 20.5, 40.5, 60.49, 60.5, 80.5, 100)] == [
        "closed", "closed", "repressed", "obstructed", "obstructed", "narrowed", "open", "open"
    ]
    assert band_of(101) is None and band_of(float("nan")) is None


def test_contribution_sum_tolerance() -> None:
    f = dq_frames.good()
    c = f["marts.score_contributions"]
    # a rounding difference of 1e-9 is within the 1e-6 tolerance ...
    f["marts.score_contributions"] = c.with_columns(
        points=dq_frames.pl.when(dq_frames.pl.col("event_type") == "EXP_DETENTION")
        .then(dq_frames.pl.col("points") + 1e-9).otherwise(dq_frames.pl.col("points"))
    )
    assert failed("marts.score_contributions", f) == {}
    # ... a score row without any contribution is not
    f["marts.score_contributions"] = c.filter(dq_frames.pl.col("country_iso3") != "NGA")
    got = failed("marts.score_contributions", f)
    assert set(got) == {"marts_score_contributions_sum_matches_score"}
    assert {ex["country_iso3"] for ex in got["marts_score_contributions_sum_matches_score"].examples} == {"NGA"}
