"""marts.alerts: sharp declines against the country's own history, and sentinel events."""

from datetime import date

import polars as pl
import pytest

from tests.test_scoring import EV_SCHEMA, M_SCHEMA, event, frames, mention_for
from transforms.alerts import decline_threshold, find_alerts, is_sentinel, robust_sd
from transforms.method import METHOD
from transforms.periods_q import quarter_end, quarter_label, quarters_between
from transforms.scoring import CONTRIBUTIONS_SCHEMA, SCORES_SCHEMA, score_quarters

QUARTERS = quarters_between(date(2020, 1, 1), date(2021, 12, 31))


def score_rows(values: list[float], country: str = "KGZ") -> pl.DataFrame:
    rows = [
        {
            "country_iso3": country, "period": quarter_label(q), "period_start": q,
            "period_end": quarter_end(q), "freedom": "expression", "score": v,
            "score_low": v - 5, "score_high": v + 5, "band": "open", "n_documents": 1,
            "n_events": 1, "carried_forward": False, "method_version": METHOD.version,
        }
        for q, v in zip(QUARTERS, values, strict=False)
    ]  # fmt: skip
    return pl.DataFrame(rows, schema=SCORES_SCHEMA)


EMPTY_CONTRIB = pl.DataFrame(schema=CONTRIBUTIONS_SCHEMA)
EMPTY_EVENTS = pl.DataFrame(schema=EV_SCHEMA)
EMPTY_MENTIONS = pl.DataFrame(schema=M_SCHEMA)


def test_robust_sd_and_threshold() -> None:
    assert robust_sd([]) == 0.0
    assert robust_sd([1.0, 1.0, 1.0]) == 0.0
    assert robust_sd([-1.0, 0.0, 1.0]) == pytest.approx(1.4826)
    assert decline_threshold([1.0]) == METHOD.alert_min_drop  # too little history
    noisy = [-20.0, 20.0, -18.0, 19.0, -21.0, 22.0]
    assert decline_threshold(noisy) > METHOD.alert_min_drop


def test_sharp_decline_beyond_a_calm_history() -> None:
    scores = score_rows([70, 71, 70, 72, 71, 55, 56, 56])
    alerts = find_alerts(scores, EMPTY_CONTRIB, EMPTY_EVENTS, EMPTY_MENTIONS)
    assert alerts["kind"].to_list() == ["sharp_decline"]
    a = alerts.row(0, named=True)
    assert a["period"] == "2021Q2" and a["change"] == pytest.approx(-16.0)
    assert a["evidence"]  # never empty
    assert a["method_version"] == METHOD.version


def test_no_alert_for_a_drop_a_volatile_country_makes_normal() -> None:
    scores = score_rows([70, 45, 72, 44, 71, 46, 73, 58])  # swings of ~25 are usual here
    alerts = find_alerts(scores, EMPTY_CONTRIB, EMPTY_EVENTS, EMPTY_MENTIONS)
    assert "2021Q4" not in alerts["period"].to_list()


def test_no_alert_below_ten_points() -> None:
    scores = score_rows([70, 70, 70, 70, 70, 61, 61, 61])
    assert find_alerts(scores, EMPTY_CONTRIB, EMPTY_EVENTS, EMPTY_MENTIONS).height == 0


def test_sentinels() -> None:
    assert is_sentinel("EXP_JOURNALIST_KILLED", "new")
    assert is_sentinel("ASM_PROTESTERS_KILLED", "alleged")
    assert is_sentinel("ASC_RESTRICTIVE_LAW", "new")
    assert not is_sentinel("ASC_RESTRICTIVE_LAW", "proposed")
    assert not is_sentinel("EXP_JOURNALIST_KILLED", "negated")
    assert not is_sentinel("EXP_DETENTION", "new")


def test_sentinel_and_decline_carry_the_evidence_sentence() -> None:
    q3, q4 = date(2021, 7, 1), date(2021, 10, 1)
    evs = [
        event("k1", "KGZ", "EXP_JOURNALIST_KILLED", "new", "d2", q4, quarter_end(q4)),
        event("l1", "KGZ", "EXP_RESTRICTIVE_LAW", "proposed", "d2", q4, quarter_end(q4)),
        event("c1", "KGZ", "EXP_CENSORSHIP", "continuing", "d1", q3, quarter_end(q3)),
    ]
    docs = [
        {"doc_id": "d1", "country_iso3": "KGZ", "window_start": q3, "window_end": quarter_end(q3)},
        {"doc_id": "d2", "country_iso3": "KGZ", "window_start": q4, "window_end": quarter_end(q4)},
    ]
    secs = [
        {"doc_id": d, "section_no": 1, "freedom": "expression", "start": 0, "end": 2000}
        for d in ("d1", "d2")
    ]
    ev, me, do, se = frames(evs, docs, secs)
    scores, contrib = score_quarters(ev, me, do, se, [q3, q4])
    alerts = find_alerts(scores, contrib, ev, me)
    kinds = dict(zip(alerts["alert_id"], alerts["kind"], strict=True))
    assert kinds == {
        "sentinel:KGZ:2021Q4:k1": "sentinel",
        "sharp_decline:KGZ:2021Q4:expression": "sharp_decline",
    }
    sentinel = alerts.filter(pl.col("kind") == "sentinel").row(0, named=True)
    assert sentinel["evidence"] == "sentence of k1" and sentinel["doc_id"] == "d2"
    decline = alerts.filter(pl.col("kind") == "sharp_decline").row(0, named=True)
    assert decline["event_id"] == "k1" and "sentence of k1" in decline["evidence"]
    assert decline["change"] < -10
    assert alerts["alert_id"].is_sorted()


def test_alerts_on_empty_inputs() -> None:
    empty = pl.DataFrame(schema=SCORES_SCHEMA)
    out = find_alerts(empty, EMPTY_CONTRIB, EMPTY_EVENTS, EMPTY_MENTIONS)
    assert out.height == 0 and "evidence" in out.columns


def test_mentions_frame_is_used_for_the_evidence() -> None:
    q = date(2021, 1, 1)
    ev = event("k2", "BLR", "ASM_PROTESTERS_KILLED", "new", "d9", q, quarter_end(q))
    m = {**mention_for(ev), "text": "Police shot dead two marchers."}
    alerts = find_alerts(
        pl.DataFrame(schema=SCORES_SCHEMA), EMPTY_CONTRIB,
        pl.DataFrame([ev], schema=EV_SCHEMA), pl.DataFrame([m], schema=M_SCHEMA),
    )  # fmt: skip
    assert alerts["evidence"].to_list() == ["Police shot dead two marchers."]
