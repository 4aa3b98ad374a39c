"""The freedom score on tiny hand-written frames (columns as in sql/ddl)."""

import math
from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.annual import score_annual, score_annual_with_contributions
from transforms.method import METHOD, METHOD_VERSION
from transforms.periods_q import (
    parse_quarter,
    quarter_end,
    quarter_label,
    quarter_of,
    quarters_between,
)
from transforms.scoring import (
    BASELINE_ID,
    band_of,
    enforce_grain,
    event_weight,
    intensity_of,
    mention_weight,
    pooling_shares,
    score_of_pressure,
    score_quarters,
)
from transforms.taxonomy import EVENT_TYPES

Q1, Q2, Q3, Q4 = (date(2021, m, 1) for m in (1, 4, 7, 10))
BASE = round(score_of_pressure(0.0) * 2**16) / 2**16  # no evidence either way (quantised)


# --------------------------------------------------------------------------- fixture builders


def doc(doc_id: str, country: str, start: date, end: date) -> dict:
    return {"doc_id": doc_id, "country_iso3": country, "window_start": start, "window_end": end}


def section(doc_id: str, no: int, freedom: str, length: int) -> dict:
    return {"doc_id": doc_id, "section_no": no, "freedom": freedom, "start": 0, "end": length}


def event(eid: str, country: str, etype: str, status: str, doc_id: str, start: date, end: date,
          actor: str = "state") -> dict:  # fmt: skip
    t = EVENT_TYPES[etype]
    return {
        "event_id": eid, "country_iso3": country, "event_type": etype,
        "freedom": t.freedom if t.freedom != "any" else "expression", "status": status,
        "actor": actor, "target": "journalist", "severity": t.severity, "direction": t.direction,
        "event_date": None, "window_start": start, "window_end": end, "n_mentions": 1,
        "n_documents": 1, "doc_ids": [doc_id], "summary": f"summary of {eid}",
        "first_mention_id": f"m-{eid}",
    }  # fmt: skip


def mention_for(ev: dict, status: str | None = None) -> dict:
    return {
        "mention_id": ev["first_mention_id"], "doc_id": ev["doc_ids"][0], "sentence_no": 0,
        "start": 0, "end": 10, "text": f"sentence of {ev['event_id']}",
        "event_type": ev["event_type"], "freedom": ev["freedom"],
        "status": status or ev["status"], "actor": ev["actor"], "target": ev["target"],
        "confidence": 1.0, "event_date": None,
        # the extractor names an all-clear statement's rule ``.../allclear``
        "rule": "test/allclear" if (status or ev["status"]) == "negated" else "test",
        "extractor_version": "t",
        "event_id": ev["event_id"],
    }  # fmt: skip


EV_SCHEMA = {
    "event_id": pl.String, "country_iso3": pl.String, "event_type": pl.String,
    "freedom": pl.String, "status": pl.String, "actor": pl.String, "target": pl.String,
    "severity": pl.Int32, "direction": pl.String, "event_date": pl.Date,
    "window_start": pl.Date, "window_end": pl.Date, "n_mentions": pl.Int32,
    "n_documents": pl.Int32, "doc_ids": pl.List(pl.String), "summary": pl.String,
    "first_mention_id": pl.String,
}  # fmt: skip
M_SCHEMA = {
    "mention_id": pl.String, "doc_id": pl.String, "sentence_no": pl.Int32, "start": pl.Int32,
    "end": pl.Int32, "text": pl.String, "event_type": pl.String, "freedom": pl.String,
    "status": pl.String, "actor": pl.String, "target": pl.String, "confidence": pl.Float64,
    "event_date": pl.Date, "rule": pl.String, "extractor_version": pl.String,
    "event_id": pl.String,
}  # fmt: skip
D_SCHEMA = {"doc_id": pl.String, "country_iso3": pl.String, "window_start": pl.Date,
            "window_end": pl.Date}  # fmt: skip
S_SCHEMA = {"doc_id": pl.String, "section_no": pl.Int32, "freedom": pl.String,
            "start": pl.Int32, "end": pl.Int32}  # fmt: skip


def frames(evs: list[dict], docs: list[dict], secs: list[dict], extra_mentions=()):
    ments = [mention_for(e) for e in evs] + list(extra_mentions)
    return (
        pl.DataFrame(evs, schema=EV_SCHEMA),
        pl.DataFrame(ments, schema=M_SCHEMA),
        pl.DataFrame(docs, schema=D_SCHEMA),
        pl.DataFrame(secs, schema=S_SCHEMA),
    )


def one_quarter_case():
    """KGZ: one quarterly update with an expression section, a detention and a censorship."""
    d = doc("d1", "KGZ", Q4, quarter_end(Q4))
    evs = [
        event("e1", "KGZ", "EXP_DETENTION", "new", "d1", Q4, quarter_end(Q4)),
        event("e2", "KGZ", "EXP_CENSORSHIP", "continuing", "d1", Q4, quarter_end(Q4)),
        event("e3", "KGZ", "EXP_IMPROVEMENT", "new", "d1", Q4, quarter_end(Q4)),
    ]
    return frames(evs, [d], [section("d1", 1, "expression", 3000)])


# --------------------------------------------------------------------------- quarters


def test_quarter_helpers() -> None:
    assert quarter_of(date(2021, 11, 15)) == Q4
    assert quarter_label(date(2021, 12, 31)) == "2021Q4"
    assert quarter_end(Q4) == date(2021, 12, 31)
    assert parse_quarter("2021Q2") == Q2
    assert quarters_between(date(2021, 2, 1), date(2021, 7, 1)) == [Q1, Q2, Q3]
    assert quarters_between(date(2022, 1, 1), date(2021, 1, 1)) == []
    with pytest.raises(ValueError):
        parse_quarter("2021-13")


# --------------------------------------------------------------------------- building blocks


@pytest.mark.parametrize(
    ("score", "band"),
    [(0, "closed"), (20.49, "closed"), (20.5, "repressed"), (40.0, "repressed"),
     (40.5, "obstructed"), (60.4, "obstructed"), (61, "narrowed"), (80.49, "narrowed"),
     (80.5, "open"), (100, "open"), (-3, "closed"), (104, "open")],
)  # fmt: skip
def test_band_boundaries(score: float, band: str) -> None:
    assert band_of(score) == band


def test_pressure_map_is_monotone_and_bounded() -> None:
    values = [score_of_pressure(p) for p in (-1e6, -20, -1, 0, 0.1, 1, 5, 20, 1e6)]
    assert all(a > b for a, b in zip(values[1:-1], values[2:-1], strict=False))
    assert all(a >= b for a, b in zip(values, values[1:], strict=False))
    assert all(0 <= v <= 100 for v in values)
    assert values[0] == 100.0 and values[-1] == 0.0  # no overflow at the extremes


def test_all_clear_statement_offsets_and_intensity_scales() -> None:
    base = event("e", "KGZ", "EXP_DETENTION", "new", "d", Q1, Q1)
    neg = {**base, "status": "negated"}
    assert mention_weight(neg, confidence=0.5) == pytest.approx(-METHOD.negated_weight * 0.5)
    assert mention_weight({**base, "status": "pledge"}) == 0
    hi = METHOD.intensity_weight["high"]
    lo = METHOD.intensity_weight["low"]
    assert intensity_of("Journalists are routinely detained.") == hi
    assert intensity_of("An isolated incident was reported.") == lo
    assert intensity_of("Some reporters were ROUTINELY harassed.") == pytest.approx(hi * lo)
    assert intensity_of("A reporter was detained.") == 1.0 and intensity_of(None) == 1.0
    assert intensity_of("Handsome awards were given.") == 1.0  # whole words only
    assert mention_weight(base, text="Police routinely detain bloggers.") == pytest.approx(6 * hi)
    # all-clear statements are not scaled by intensity words
    assert mention_weight(neg, text="Journalists frequently work freely.") == -METHOD.negated_weight


def test_event_weight_status_actor_direction() -> None:
    base = event("e", "KGZ", "EXP_DETENTION", "new", "d", Q1, Q1)
    w_new = event_weight(base)
    assert w_new == pytest.approx(6.0)
    assert event_weight({**base, "status": "continuing"}) < w_new
    assert event_weight({**base, "status": "pledge"}) == 0
    assert event_weight({**base, "status": "negated"}) == 0
    assert event_weight({**base, "actor": "non_state"}) < w_new
    pos = event("p", "KGZ", "EXP_IMPROVEMENT", "new", "d", Q1, Q1)
    assert event_weight(pos) < 0


# --------------------------------------------------------------------------- score_quarters


def test_scores_one_quarter_and_contributions_add_up_exactly() -> None:
    scores, contrib = score_quarters(*one_quarter_case(), [Q4])
    row = scores.row(0, named=True)
    assert scores.height == 1
    assert set(scores.columns) >= {"period", "score_low", "band", "method_version"}
    assert row["period"] == "2021Q4" and row["period_end"] == date(2021, 12, 31)
    assert 0 < row["score"] < 100
    assert row["score_low"] <= row["score"] <= row["score_high"]
    assert row["band"] == band_of(row["score"])
    assert row["n_documents"] == 1 and row["n_events"] == 3
    assert row["carried_forward"] is False and row["method_version"] == METHOD_VERSION
    pts = contrib["points"].to_list()
    assert sum(pts) == row["score"]  # exact, in any order
    assert sum(reversed(pts)) == row["score"]
    base = contrib.filter(pl.col("event_id") == BASELINE_ID)
    assert base["points"].to_list() == [BASE]
    by_id = dict(zip(contrib["event_id"], contrib["points"], strict=True))
    assert by_id["e1"] < by_id["e2"] < 0 < by_id["e3"]  # new detention weighs most
    e1 = contrib.filter(pl.col("event_id") == "e1").row(0, named=True)
    assert e1["sentence"] == "sentence of e1" and e1["doc_id"] == "d1"


def test_more_repression_lowers_the_score() -> None:
    evs, ments, docs, secs = one_quarter_case()
    s0 = score_quarters(evs, ments, docs, secs, [Q4])[0]["score"][0]
    extra = event("e9", "KGZ", "EXP_JOURNALIST_KILLED", "new", "d1", Q4, quarter_end(Q4))
    evs2 = pl.concat([evs, pl.DataFrame([extra], schema=EV_SCHEMA)])
    ments2 = pl.concat([ments, pl.DataFrame([mention_for(extra)], schema=M_SCHEMA)])
    s1 = score_quarters(evs2, ments2, docs, secs, [Q4])[0]["score"][0]
    assert s1 < s0


NO_POOLING = METHOD.with_changes(pooling=0.0)


def test_section_without_events_is_evidence_of_freedom() -> None:
    """An assembly section with nothing either way scores the baseline, with an interval."""
    evs, ments, docs, secs = one_quarter_case()
    secs = pl.concat([secs, pl.DataFrame([section("d1", 2, "assembly", 800)], schema=S_SCHEMA)])
    scores, contrib = score_quarters(evs, ments, docs, secs, [Q4], NO_POOLING)
    asm = scores.filter(pl.col("freedom") == "assembly").row(0, named=True)
    assert asm["score"] == BASE and asm["score_low"] < BASE < asm["score_high"]
    assert asm["n_events"] == 0 and asm["band"] == band_of(BASE)
    rows = contrib.filter(pl.col("freedom") == "assembly")
    assert rows["event_id"].to_list() == [BASELINE_ID]


def test_missing_section_is_missing_evidence_not_freedom() -> None:
    """No association section, no association event: no association row at all."""
    scores, _ = score_quarters(*one_quarter_case(), [Q4])
    assert "association" not in scores["freedom"].to_list()


def test_negated_mention_is_explicit_evidence_of_freedom() -> None:
    """'Protests generally proceed without interference' raises the score above the baseline."""
    evs, ments, docs, secs = one_quarter_case()
    neg = event("n1", "KGZ", "ASM_PROTEST_RESTRICTED", "negated", "d1", Q4, quarter_end(Q4))
    evs = pl.concat([evs, pl.DataFrame([neg], schema=EV_SCHEMA)])
    ments = pl.concat([ments, pl.DataFrame([mention_for(neg)], schema=M_SCHEMA)])
    scores, contrib = score_quarters(evs, ments, docs, secs, [Q4], NO_POOLING)
    asm = scores.filter(pl.col("freedom") == "assembly").row(0, named=True)
    assert asm["score"] > BASE and asm["n_events"] == 1
    row = contrib.filter(pl.col("event_id") == "n1").row(0, named=True)
    assert row["points"] > 0 and row["status"] == "negated" and row["freedom"] == "assembly"
    assert contrib.filter(pl.col("freedom") == "assembly")["points"].sum() == asm["score"]
    # and it offsets repression in its freedom: the expression score rises with an all-clear
    neg_e = event("n2", "KGZ", "EXP_CENSORSHIP", "negated", "d1", Q4, quarter_end(Q4))
    evs2 = pl.concat([evs, pl.DataFrame([neg_e], schema=EV_SCHEMA)])
    ments2 = pl.concat([ments, pl.DataFrame([mention_for(neg_e)], schema=M_SCHEMA)])
    before = scores.filter(pl.col("freedom") == "expression")["score"][0]
    s2, c2 = score_quarters(evs2, ments2, docs, secs, [Q4], NO_POOLING)
    after = s2.filter(pl.col("freedom") == "expression")["score"][0]
    assert after > before
    assert c2.filter(pl.col("freedom") == "expression")["points"].sum() == after


def test_carry_forward_widens_and_no_earlier_score_means_no_row() -> None:
    evs, ments, docs, secs = one_quarter_case()
    q1_22, q2_22 = date(2022, 1, 1), date(2022, 4, 1)
    scores, contrib = score_quarters(evs, ments, docs, secs, [Q3, Q4, q1_22, q2_22])
    assert Q3 not in scores["period_start"].to_list()  # nothing before the first evidence
    rows = {r["period"]: r for r in scores.iter_rows(named=True)}
    now, nxt, later = rows["2021Q4"], rows["2022Q1"], rows["2022Q2"]
    assert nxt["carried_forward"] and later["carried_forward"]
    assert nxt["score"] == now["score"] == later["score"]
    assert nxt["n_documents"] == 0 and nxt["n_events"] == 0
    assert later["score_low"] <= nxt["score_low"] < now["score_low"]
    # contributions travel with the carried score and still add up
    for period_start in (Q4, q1_22, q2_22):
        part = contrib.filter(pl.col("period_start") == period_start)
        assert part["points"].sum() == now["score"]


def test_only_requested_quarters_are_returned_but_history_counts() -> None:
    evs, ments, docs, secs = one_quarter_case()
    scores, contrib = score_quarters(evs, ments, docs, secs, [date(2022, 7, 1)])
    assert scores["period"].to_list() == ["2022Q3"]
    assert scores["carried_forward"].to_list() == [True]
    assert set(contrib["period"].to_list()) == {"2022Q3"}


def test_annual_report_spreads_over_its_quarters() -> None:
    """An annual document gives each quarter the same score as the year as a whole."""
    d = doc("a1", "BLR", date(2020, 1, 1), date(2020, 12, 31))
    evs = [
        event("x1", "BLR", "ASM_PROTESTERS_DETAINED", "continuing", "a1",
              date(2020, 1, 1), date(2020, 12, 31)),
        event("x2", "BLR", "ASM_EXCESSIVE_FORCE", "new", "a1",
              date(2020, 1, 1), date(2020, 12, 31)),
    ]  # fmt: skip
    f = frames(evs, [d], [section("a1", 1, "assembly", 2000)])
    quarters = [date(2020, m, 1) for m in (1, 4, 7, 10)]
    scores, contrib = score_quarters(*f, quarters)
    assert scores.height == 4
    assert scores["score"].n_unique() == 1
    assert not any(scores["carried_forward"].to_list())
    annual = score_annual(*f, [2020])
    assert annual["score"][0] == pytest.approx(scores["score"][0])
    assert annual["year"].to_list() == [2020]
    for part in contrib.partition_by("period_start"):
        assert part["points"].sum() == scores["score"][0]


def test_long_report_is_not_less_free() -> None:
    """Same events in twice the text of the freedom's sections -> a higher score."""
    evs, ments, docs, secs = one_quarter_case()
    long_secs = secs.with_columns(pl.col("end") * 4)
    short = score_quarters(evs, ments, docs, secs, [Q4])[0]["score"][0]
    long = score_quarters(evs, ments, docs, long_secs, [Q4])[0]["score"][0]
    assert long > short


def test_more_evidence_narrows_the_interval() -> None:
    evs, ments, docs, secs = one_quarter_case()
    one = score_quarters(evs, ments, docs, secs, [Q4])[0].row(0, named=True)
    d2 = doc("d2", "KGZ", Q4, quarter_end(Q4))
    docs2 = pl.concat([docs, pl.DataFrame([d2], schema=D_SCHEMA)])
    secs2 = pl.concat([secs, pl.DataFrame([section("d2", 1, "expression", 3000)], schema=S_SCHEMA)])
    more = score_quarters(evs, ments, docs2, secs2, [Q4])[0].row(0, named=True)
    assert more["n_documents"] == 2
    assert (more["score_high"] - more["score_low"]) < (one["score_high"] - one["score_low"])


def test_empty_and_bad_rows_do_not_crash() -> None:
    evs, ments, docs, secs = one_quarter_case()
    scores, contrib = score_quarters(evs.clear(), ments.clear(), docs.clear(), secs.clear(), [Q4])
    assert scores.height == 0 and contrib.height == 0
    assert scores.schema["score"] == pl.Float64
    bad = docs.with_columns(pl.lit(None, dtype=pl.Date).alias("window_start"))
    bad_evs = evs.with_columns(pl.lit("weird").alias("status"))
    scores, _ = score_quarters(bad_evs, ments, bad, secs, [Q4])
    assert scores.height == 1 and scores["score"][0] == BASE  # unknown status weighs nothing
    with pytest.raises(ValueError, match="missing columns"):
        score_quarters(evs.drop("window_start"), ments, docs, secs, [Q4])


def test_enforce_grain_fails_loudly_with_the_duplicates() -> None:
    df = pl.DataFrame({"k": ["b", "a", "a"], "v": [1, 2, 3]})
    with pytest.raises(ValueError, match="duplicated"):
        enforce_grain(df, ["k"], "t")
    assert enforce_grain(df.head(2), ["k"], "t")["k"].to_list() == ["a", "b"]


def test_method_is_frozen() -> None:
    with pytest.raises(AttributeError):
        METHOD.scale = 1.0  # type: ignore[misc]
    assert METHOD.with_changes(scale=2.0).version != METHOD_VERSION


def test_score_function_is_deterministic_and_sorted() -> None:
    f = one_quarter_case()
    a = score_quarters(*f, [Q4, date(2022, 1, 1)])
    b = score_quarters(*f, [date(2022, 1, 1), Q4])
    assert a[0].equals(b[0]) and a[1].equals(b[1])
    assert a[0]["period_start"].is_sorted()


def test_event_reported_again_counts_in_each_period_as_each_document_tells_it() -> None:
    """Arrested in Q3 (new), 'remains in detention' in the Q4 update (continuing)."""
    q3e, q4e = quarter_end(Q3), quarter_end(Q4)
    ev = event("x", "KGZ", "EXP_DETENTION", "new", "d3", Q3, q4e)
    ev["doc_ids"] = ["d3", "d4"]
    m3 = {**mention_for(ev), "mention_id": "m3", "doc_id": "d3", "text": "was arrested"}
    m4 = {**mention_for(ev, "continuing"), "mention_id": "m4", "doc_id": "d4",
          "text": "remains in detention"}  # fmt: skip
    f = (
        pl.DataFrame([ev], schema=EV_SCHEMA),
        pl.DataFrame([m3, m4], schema=M_SCHEMA),
        pl.DataFrame([doc("d3", "KGZ", Q3, q3e), doc("d4", "KGZ", Q4, q4e)], schema=D_SCHEMA),
        pl.DataFrame([section(d, 1, "expression", 1000) for d in ("d3", "d4")], schema=S_SCHEMA),
    )
    scores, contrib = score_quarters(*f, [Q3, Q4])
    s3, s4 = scores["score"].to_list()
    assert not any(scores["carried_forward"].to_list())
    assert s3 < s4 < BASE  # counted in both, less as continuing
    rows = {r["period"]: r for r in contrib.filter(pl.col("event_id") == "x").iter_rows(named=True)}
    assert rows["2021Q3"]["sentence"] == "was arrested" and rows["2021Q3"]["status"] == "new"
    assert rows["2021Q4"]["sentence"] == "remains in detention"
    assert rows["2021Q4"]["status"] == "continuing" and rows["2021Q4"]["doc_id"] == "d4"


def test_dated_event_in_an_annual_report_lands_in_its_quarter() -> None:
    y0, y1 = date(2020, 1, 1), date(2020, 12, 31)
    ev = event("k", "BLR", "ASM_EXCESSIVE_FORCE", "new", "a1", y0, y1)
    ev["event_date"] = date(2020, 8, 9)
    f = frames([ev], [doc("a1", "BLR", y0, y1)], [section("a1", 1, "assembly", 2000)])
    quarters = [date(2020, m, 1) for m in (1, 4, 7, 10)]
    scores, _ = score_quarters(*f, quarters, METHOD.with_changes(memory=0.0))
    by_q = dict(zip(scores["period"], scores["score"], strict=True))
    assert by_q["2020Q1"] == by_q["2020Q2"] == by_q["2020Q4"] == BASE
    assert by_q["2020Q3"] < BASE
    # with memory, the quarter after the event still remembers part of it
    scores, _ = score_quarters(*f, quarters)
    by_q = dict(zip(scores["period"], scores["score"], strict=True))
    assert by_q["2020Q1"] == by_q["2020Q2"] == BASE
    assert by_q["2020Q3"] < by_q["2020Q4"] < BASE
    annual = score_annual(*f, [2020])
    assert annual["score"][0] < BASE


def test_mention_outside_the_freedoms_section_weighs_less() -> None:
    evs, ments, docs, secs = one_quarter_case()
    # put every mention in a general section that precedes the expression section
    secs_general = pl.DataFrame(
        [
            {"doc_id": "d1", "section_no": 0, "freedom": "general", "start": 0, "end": 500},
            {"doc_id": "d1", "section_no": 1, "freedom": "expression", "start": 500, "end": 3500},
        ],
        schema=S_SCHEMA,
    )
    in_general = ments.with_columns(pl.lit(10).alias("start"), pl.lit(20).alias("end"))
    in_own = ments.with_columns(pl.lit(600).alias("start"), pl.lit(610).alias("end"))
    s_general = score_quarters(evs, in_general, docs, secs_general, [Q4])[0]["score"][0]
    s_own = score_quarters(evs, in_own, docs, secs_general, [Q4])[0]["score"][0]
    assert s_own < s_general < BASE


_TYPES = sorted(EVENT_TYPES)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_TYPES),
            st.sampled_from(["new", "continuing", "proposed", "alleged", "pledge", "negated"]),
            st.sampled_from(["state", "non_state", "unknown"]),
            st.integers(0, 3),  # first quarter of the event's document window
            st.integers(0, 3),  # extra quarters
        ),
        min_size=0,
        max_size=8,
    ),
    st.integers(0, 5000),
)
def test_points_always_add_up_exactly(specs: list, volume: int) -> None:
    quarters = quarters_between(date(2021, 1, 1), date(2022, 12, 31))
    evs, docs = [], []
    for i, (etype, status, actor, q0, extra) in enumerate(specs):
        start, end = quarters[q0], quarter_end(quarters[min(len(quarters) - 1, q0 + extra)])
        docs.append(doc(f"d{i}", "ARM", start, end))
        evs.append(event(f"e{i}", "ARM", etype, status, f"d{i}", start, end, actor=actor))
    secs = [section(d["doc_id"], 1, "expression", volume) for d in docs]
    scores, contrib = score_quarters(*frames(evs, docs, secs), quarters)
    totals = {
        (r[0], r[1], r[2]): r[3]
        for r in contrib.group_by("country_iso3", "period_start", "freedom")
        .agg(pl.col("points").sum())
        .iter_rows()
    }
    for r in scores.iter_rows(named=True):
        assert totals[(r["country_iso3"], r["period_start"], r["freedom"])] == r["score"]
        assert 0.0 <= r["score_low"] <= r["score"] <= r["score_high"] <= 100.0
        assert r["band"] == band_of(r["score"])


def test_pooling_reads_a_freedom_with_the_others_and_still_adds_up() -> None:
    """Assembly with no event of its own borrows part of expression's pressure (two present)."""
    evs, ments, docs, secs = one_quarter_case()
    secs = pl.concat([secs, pl.DataFrame([section("d1", 2, "assembly", 800)], schema=S_SCHEMA)])
    alone = score_quarters(evs, ments, docs, secs, [Q4], NO_POOLING)[0]
    pooled, contrib = score_quarters(evs, ments, docs, secs, [Q4])
    by = {r["freedom"]: r for r in pooled.iter_rows(named=True)}
    exp_alone = alone.filter(pl.col("freedom") == "expression")["score"][0]
    assert BASE > by["assembly"]["score"] > by["expression"]["score"] > exp_alone
    assert by["assembly"]["n_events"] == 0  # its own events only
    asm = contrib.filter(pl.col("freedom") == "assembly")
    assert set(asm["event_id"].to_list()) == {BASELINE_ID, "e1", "e2", "e3"}
    assert asm["points"].sum() == by["assembly"]["score"]
    half = METHOD.with_changes(pooling=0.5)
    two = pooling_shares("assembly", ["expression"], half)
    assert two == {"assembly": 0.75, "expression": 0.25}
    assert pooling_shares("assembly", []) == {"assembly": 1.0}
    three = pooling_shares("assembly", ["expression", "association"], half)
    assert three["assembly"] == pytest.approx(2 / 3) and three["expression"] == pytest.approx(1 / 6)
    frozen = pooling_shares("assembly", ["expression", "association"])
    assert sum(frozen.values()) == pytest.approx(1.0)
    assert frozen["assembly"] == pytest.approx(1 - METHOD.pooling + METHOD.pooling / 3)


def test_habitual_wording_weighs_more_than_isolated_wording() -> None:
    evs, ments, docs, secs = one_quarter_case()
    plain = score_quarters(evs, ments, docs, secs, [Q4])[0]["score"][0]
    habitual = ments.with_columns(pl.lit("Police routinely detain bloggers.").alias("text"))
    isolated = ments.with_columns(pl.lit("An isolated detention was reported.").alias("text"))
    s_hab = score_quarters(evs, habitual, docs, secs, [Q4])[0]["score"][0]
    s_iso = score_quarters(evs, isolated, docs, secs, [Q4])[0]["score"][0]
    assert s_hab < plain < s_iso


def test_all_clear_and_repression_nearly_cancelling_still_add_up() -> None:
    """Repression and offsets of about equal pressure: points stay finite and exact."""
    evs, ments, docs, secs = one_quarter_case()
    negs = [
        event(f"n{i}", "KGZ", "EXP_CENSORSHIP", "negated", "d1", Q4, quarter_end(Q4))
        for i in range(3)
    ]
    evs = pl.concat([evs, pl.DataFrame(negs, schema=EV_SCHEMA)])
    extra = [{**mention_for(n), "confidence": 0.3} for n in negs]
    ments = pl.concat([ments, pl.DataFrame(extra, schema=M_SCHEMA)])
    scores, contrib = score_quarters(evs, ments, docs, secs, [Q4])
    row = scores.row(0, named=True)
    pts = contrib["points"].to_list()
    assert sum(pts) == row["score"] and all(abs(p) <= 100 for p in pts)
    by_id = dict(zip(contrib["event_id"], contrib["points"], strict=True))
    assert by_id["e1"] < 0 < by_id["n0"]


# --------------------------------------------------------------------------- memory


def two_reports_case(gap_years: int = 1):
    """A bad year for expression in country MEM, then a year whose report says nothing new."""
    y0 = date(2019, 1, 1)
    y1 = date(2019 + gap_years, 1, 1)
    bad = event("m1", "MEM", "EXP_DETENTION", "new", "r0", y0, date(2019, 12, 31))
    docs = [doc("r0", "MEM", y0, date(2019, 12, 31)),
            doc("r1", "MEM", y1, date(y1.year, 12, 31))]  # fmt: skip
    secs = [section("r0", 1, "expression", 2000), section("r1", 1, "expression", 2000)]
    return frames([bad], docs, secs), y1.year


def test_memory_pulls_a_quiet_year_towards_the_last_one_and_explains_it() -> None:
    f, year = two_reports_case()
    annual, contribs = score_annual_with_contributions(*f, [2019, year])
    exp = annual.filter(pl.col("freedom") == "expression").sort("year")
    s0, s1 = exp["score"].to_list()
    assert s0 < s1 < BASE  # the quiet year remembers part of the bad one
    quiet = [c for c in contribs if c["freedom"] == "expression" and c["period"] == str(year)]
    base = [c for c in quiet if c["event_id"] == BASELINE_ID]
    assert len(base) == 1 and 0.0 < base[0]["weight"] < 1.0  # the memory's share
    assert math.fsum(c["points"] for c in quiet) == s1  # still exact, baseline included
    assert base[0]["points"] == s1  # no event of its own: the starting point is the score
    # without memory the quiet year is the score of no evidence either way
    no_memory = score_annual(*f, [2019, year], METHOD.with_changes(memory=0.0))
    assert no_memory.filter((pl.col("freedom") == "expression")
                            & (pl.col("year") == year))["score"][0] == BASE  # fmt: skip


def test_memory_fades_with_the_time_elapsed() -> None:
    near, y_near = two_reports_case(gap_years=1)
    far, y_far = two_reports_case(gap_years=4)
    s_near = score_annual(*near, [y_near]).filter(pl.col("freedom") == "expression")["score"][0]
    s_far = score_annual(*far, [y_far]).filter(pl.col("freedom") == "expression")["score"][0]
    assert s_near < s_far < BASE


def test_first_period_has_no_memory_and_baseline_weight_zero() -> None:
    f, _ = two_reports_case()
    _, contribs = score_annual_with_contributions(*f, [2019])
    base = [c for c in contribs if c["event_id"] == BASELINE_ID]
    assert base and all(c["weight"] == 0.0 and c["points"] == BASE for c in base)


def test_a_negation_is_evidence_of_neither_unlike_an_all_clear() -> None:
    """'No journalist was detained this year' (negation scope) moves nothing; an all-clear does."""
    evs, ments, docs, secs = one_quarter_case()
    neg = event("n9", "KGZ", "EXP_CENSORSHIP", "negated", "d1", Q4, quarter_end(Q4))
    evs2 = pl.concat([evs, pl.DataFrame([neg], schema=EV_SCHEMA)])
    as_negation = {**mention_for(neg), "rule": "censor_content/negation"}
    ments2 = pl.concat([ments, pl.DataFrame([as_negation], schema=M_SCHEMA)])
    before = score_quarters(evs, ments, docs, secs, [Q4], NO_POOLING)[0]
    after, contrib = score_quarters(evs2, ments2, docs, secs, [Q4], NO_POOLING)
    pick = pl.col("freedom") == "expression"
    assert after.filter(pick)["score"][0] == before.filter(pick)["score"][0]
    assert contrib.filter(pl.col("event_id") == "n9")["points"].to_list() in ([], [0.0])
