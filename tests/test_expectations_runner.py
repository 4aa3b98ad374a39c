"""The runner: names known up front, bad input reported (never raised), rows, the HTML report."""

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "dq"))

import dq_frames  # noqa: E402
from dq_run import PARAMS  # noqa: E402

from expectations import runner  # noqa: E402
from expectations.report import write_report  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def test_check_names_need_no_great_expectations() -> None:
    code = (
        "import sys; from expectations import runner\n"
        "n = sum(len(runner.check_names(t)) for t in runner.MODULES)\n"
        "print(n, 'great_expectations' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         check=True)
    n, imported = out.stdout.split()
    assert int(n) >= 80 and imported == "False"


def test_unknown_table() -> None:
    with pytest.raises(ValueError, match="no expectation suite"):
        runner.check_names("staging.nope")


def test_missing_helper_input_is_a_warning_not_a_crash() -> None:
    f = dq_frames.good()
    out = {o.check_name: o for o in runner.run_checks(
        "staging.sentences", {"staging.sentences": f["staging.sentences"]}, params=PARAMS)}
    assert out["staging_sentences_key_unique"].success
    o = out["staging_sentences_offsets_match"]
    assert not o.success and o.severity == "WARN"
    assert o.examples == [{"error": "input frame 'staging.documents' not given"}]


def test_missing_table_or_column_keeps_the_check_severity() -> None:
    out = runner.run_checks("marts.freedom_scores", {}, params=PARAMS)
    assert out and all(not o.success for o in out)
    assert {o.severity for o in out} == {"ERROR"}
    scores = dq_frames.good()["marts.freedom_scores"].drop("band")
    out = {o.check_name: o for o in runner.run_checks(
        "marts.freedom_scores", {"marts.freedom_scores": scores}, params=PARAMS)}
    assert "missing columns ['band']" in out["marts_freedom_scores_band_matches_score"].examples[0][
        "error"]
    assert out["marts_freedom_scores_score_range"].success


def test_wrong_types_do_not_crash() -> None:
    f = dq_frames.good()
    # DEFECT: scores arrive as text
    f["marts.freedom_scores"] = f["marts.freedom_scores"].with_columns(pl.col("score").cast(pl.String))
    out = runner.run_checks("marts.freedom_scores", f, params=PARAMS)
    assert len(out) == len(runner.check_names("marts.freedom_scores"))
    assert any(not o.success for o in out)


def test_empty_tables_pass() -> None:
    f = {k: v.clear() for k, v in dq_frames.good().items()}
    for table in runner.MODULES:
        bad = [o for o in runner.run_checks(table, f, params=PARAMS) if not o.success]
        assert bad == [], table


def test_rows_fit_the_dq_check_results_table() -> None:
    frames, _ = dq_frames.bad_staging_sentences()
    out = runner.run_checks("staging.sentences", frames, params=PARAMS)
    rows = runner.to_rows(out, run_id="r1", partition="2021-10-01",
                          checked_at=datetime(2022, 3, 1, 12))
    con = duckdb.connect(":memory:")
    con.execute("CREATE SCHEMA dq")
    con.execute((REPO / "sql" / "ddl" / "dq_check_results.sql").read_text())
    con.register("incoming", rows.to_arrow())
    con.execute("INSERT INTO dq.check_results SELECT * FROM incoming")
    got = con.sql("SELECT check_name, success, unexpected_count, examples FROM dq.check_results "
                  "WHERE check_name = 'staging_sentences_offsets_match'").fetchall()
    (name, success, n, examples), = got
    assert not success and n == 1
    (ex,) = json.loads(examples)
    assert ex["doc_id"] == dq_frames.doc_id(frames, "A") and ex["sentence_no"] == 1
    assert runner.to_rows([], run_id="r", checked_at=datetime(2022, 1, 1)).columns == list(
        runner.RESULT_COLUMNS)


def test_blocking_failures() -> None:
    frames, _ = dq_frames.bad_raw_quarantine()
    out = runner.run_checks("raw.quarantine", frames, params=PARAMS)
    assert {o.check_name for o in runner.blocking_failures(out)} == {
        "raw_quarantine_key_unique", "raw_quarantine_stage_valid",
        "raw_quarantine_reason_explained", "raw_quarantine_seen_order",
    }


def test_report_is_offline_and_escaped(tmp_path: Path) -> None:
    frames, _ = dq_frames.bad_raw_quarantine()
    # DEFECT: markup in a value must be shown, not run
    frames["raw.quarantine"] = dq_frames.with_row(
        frames["raw.quarantine"], {"file": "<script>alert(1)</script>", "reason": "unknown_country"})
    out = runner.run_checks("raw.quarantine", frames, params=PARAMS)
    path = write_report(out, tmp_path / "dq" / "report.html")
    html = path.read_text()
    assert "raw_quarantine_unknown_country" in html and "FAIL" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "http://" not in html and "https://" not in html and "<link" not in html
    rows = runner.to_rows(out, run_id="r1", checked_at=datetime(2022, 3, 1))
    html2 = write_report(rows, tmp_path / "rows.html").read_text()
    assert "the share of input files quarantined" in html2  # descriptions found by name
    assert "r1" in html2


@pytest.mark.slow
def test_100k_sentences() -> None:
    """100,000 sentences over 2,000 documents: all offsets hold; one shifted sentence is found."""
    from dq_big import big_staging

    f = big_staging(2000, 50)
    assert f["staging.sentences"].height == 100_000
    assert [o for o in runner.run_checks("staging.sentences", f) if not o.success] == []
    s = f["staging.sentences"]
    # DEFECT: one sentence in the middle ends one character early
    f["staging.sentences"] = s.with_columns(
        end=pl.when(pl.int_range(pl.len()) == 54_321).then(pl.col("end") - 1)
        .otherwise(pl.col("end")))
    bad = {o.check_name: o for o in runner.run_checks("staging.sentences", f) if not o.success}
    assert set(bad) == {"staging_sentences_offsets_match"}
    (ex,) = bad["staging_sentences_offsets_match"].examples
    assert (ex["doc_id"], ex["sentence_no"]) == (s["doc_id"][54_321], s["sentence_no"][54_321])


# ------------------------------------------------------------------ the fast path (performance)


def _cases() -> list[tuple[str, dict[str, pl.DataFrame]]]:
    cases = [("good", dq_frames.good())]
    cases += [(n, getattr(dq_frames, n)()[0]) for n in sorted(dir(dq_frames))
              if n.startswith("bad_")]
    f = dq_frames.good()
    # DEFECT: every score is NaN (pandas counts NaN as null, Polars does not)
    f["marts.freedom_scores"] = f["marts.freedom_scores"].with_columns(
        pl.lit(float("nan")).alias("score"))
    cases.append(("nan_scores", f))
    return cases


def test_fast_path_gives_exactly_what_gx_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checks that surely hold skip GX; every outcome (success, counts, examples) is the same
    as with GX validating everything, on good data and on every defect of the fixtures."""
    for name, frames in _cases():
        for table in runner.MODULES:
            fast = [runner.outcome_dict(o) for o in runner.run_checks(table, frames, params=PARAMS)]
            with monkeypatch.context() as m:
                m.setattr(runner, "surely_holds", lambda frame, e: False)
                slow = [runner.outcome_dict(o)
                        for o in runner.run_checks(table, frames, params=PARAMS)]
            assert fast == slow, (name, table)


def test_good_data_needs_no_gx_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_gx() -> None:
        raise AssertionError("GX validation called")

    monkeypatch.setattr(runner, "_batch_definition", no_gx)
    f = dq_frames.good()
    for table in ("staging.sentences", "marts.score_contributions", "core.events"):
        assert all(o.success for o in runner.run_checks(table, f, params=PARAMS)), table


def test_surely_holds_answers_false_when_in_doubt() -> None:
    from expectations.common import gxe

    e = gxe()
    df = pl.DataFrame({"x": [1.0, float("nan")], "s": ["a", None], "n": [1, 1],
                       "t": ["5", "7"], "b": [True, None]})
    holds = runner.surely_holds
    assert not holds(df, e.ExpectColumnValuesToNotBeNull(column="x"))  # NaN is null in pandas
    assert not holds(df, e.ExpectColumnValuesToNotBeNull(column="s"))
    assert holds(df, e.ExpectColumnValuesToNotBeNull(column="n"))
    assert holds(df, e.ExpectColumnValuesToBeInSet(column="s", value_set=["a"]))  # nulls skipped
    assert not holds(df, e.ExpectColumnValuesToBeInSet(column="s", value_set=["b"]))
    assert holds(df, e.ExpectColumnValuesToBeInSet(column="b", value_set=[True]))
    assert not holds(df, e.ExpectColumnValuesToBeInSet(column="n", value_set=[True]))  # 1 == True?
    assert not holds(df, e.ExpectColumnValuesToBeUnique(column="n"))
    assert not holds(df, e.ExpectColumnValuesToBeBetween(column="t", min_value=0))  # text
    assert not holds(df, e.ExpectColumnValuesToBeBetween(column="x", min_value=0))  # NaN
    assert holds(df, e.ExpectColumnValuesToBeBetween(column="n", min_value=1, max_value=1))
    assert not holds(df, e.ExpectColumnValuesToBeBetween(column="n", min_value=1,
                                                         strict_min=True))
    assert not holds(df, e.ExpectColumnValuesToBeBetween(column="missing", min_value=1))
    assert not holds(df, e.ExpectCompoundColumnsToBeUnique(column_list=["n", "s"]))  # a null
    assert not holds(df, e.ExpectColumnPairValuesAToBeGreaterThanB(column_A="n", column_B="n"))
    assert holds(df, e.ExpectColumnPairValuesAToBeGreaterThanB(column_A="n", column_B="n",
                                                               or_equal=True))
    assert not holds(df, e.ExpectColumnValueLengthsToBeBetween(column="s", min_value=1))


def test_every_expectation_is_a_valid_gx_expectation() -> None:
    """Expectations are built lazily (GX is imported only when it must validate): each one of
    every suite still makes a valid GX 1.x expectation."""
    from expectations.common import LazyExpectation, gx

    f = dq_frames.good()
    n = 0
    for table in runner.MODULES:
        for p in runner.suite_module(table).build(f, PARAMS):
            assert p.error is None, (table, p.spec.name, p.error)
            for lazy in p.expectations:
                assert isinstance(lazy, LazyExpectation)
                assert isinstance(lazy.build(), gx().expectations.Expectation), lazy
                n += 1
    assert n > 40
