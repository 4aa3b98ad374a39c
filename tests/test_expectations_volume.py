"""Completeness and timeliness: documents per country and period, freshness of updates."""

import hashlib
import sys
from datetime import date
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "dq"))

import dq_frames  # noqa: E402
from dq_run import failed  # noqa: E402

from expectations.common import DQParams  # noqa: E402


def _docs(rows: list[tuple[str, str, date]]) -> pl.DataFrame:
    """staging.documents rows reduced to what volume and freshness read (country, kind, dates)."""
    base = dq_frames.good()["staging.documents"].row(0, named=True)
    out = []
    for i, (iso3, kind, published) in enumerate(rows):
        sha = hashlib.sha256(str(i).encode()).hexdigest()
        out.append(base | {"doc_id": "d" + sha[:16], "sha256": sha, "country_iso3": iso3,
                           "kind": kind, "published": published, "period_start": None,
                           "period_end": None, "title": None})
    return pl.DataFrame(out, schema=dq_frames.good()["staging.documents"].schema)


def _outcomes(docs: pl.DataFrame, params: DQParams) -> dict:
    frames = {"staging.documents": docs,
              "staging.sections": pl.DataFrame({"doc_id": docs["doc_id"]})}
    return failed("staging.documents", frames, params)


def test_volume_drop_against_history() -> None:
    rows = []
    for year in range(2018, 2022):
        # KGZ: two updates a year 2018-2021 ...
        rows += [("KGZ", "update", date(year, 3, 1)), ("KGZ", "update", date(year, 9, 1))]
        rows += [("NGA", "update", date(year, 5, 1))]
    rows += [("KGZ", "update", date(2022, 2, 1))]  # DEFECT: ... and only one in 2022
    rows += [("NGA", "update", date(2022, 5, 1))]  # NGA keeps its one a year
    rows += [("NGA", "update", date(2023, 1, 10))]  # 2023 is not over on as_of: not judged
    params = DQParams(as_of=date(2023, 3, 1), volume_z=2.0, freshness_days=400)
    got = _outcomes(_docs(rows), params)
    assert set(got) == {"staging_documents_volume_drop"}
    (ex,) = got["staging_documents_volume_drop"].examples
    assert ex["country_iso3"] == "KGZ" and ex["period"] == "2022" and ex["n_documents"] == 1
    assert ex["history_mean"] == 2.0 and ex["z"] == "-inf"


def test_volume_noisy_history_tolerates_a_dip_and_quarters_work() -> None:
    counts = [3, 1, 4, 2, 3, 2]  # per year 2016-2021, then 2 in 2022: within 2 std devs
    rows = [("KGZ", "update", date(2016 + i, 6, 1)) for i, n in enumerate(counts) for _ in range(n)]
    rows += [("KGZ", "update", date(2022, 6, 1))] * 2
    assert _outcomes(_docs(rows), DQParams(as_of=date(2023, 1, 2), freshness_days=400)) == {}
    quarterly = DQParams(as_of=date(2023, 1, 2), volume_period="quarter", freshness_days=400,
                         volume_min_history=4)
    rows = [("KGZ", "update", date(2021, m, 1)) for m in (1, 4, 7, 10)]
    rows += [("KGZ", "update", date(2022, m, 1)) for m in (1, 4, 7)]  # DEFECT: nothing in 2022Q4
    rows += [("NGA", "update", date(2022, 11, 1))]
    got = _outcomes(_docs(rows), quarterly)
    assert [e["period"] for e in got["staging_documents_volume_drop"].examples] == ["2022Q4"]


def test_freshness() -> None:
    f = dq_frames.good()
    # On 2022-05-01 KGZ's last update (A, published 2022-01-10) is 111 days old: fresh; NGA's
    # (F, 2021-10-12) is 201 days old: stale. BRA is expected but never had one.
    params = DQParams(as_of=date(2022, 5, 1), expected_countries=("BRA", "KGZ", "NGA"))
    got = failed("staging.documents", f, params)
    assert set(got) == {"staging_documents_freshness"}
    o = got["staging_documents_freshness"]
    assert o.severity == "WARN"
    assert sorted(e["country_iso3"] for e in o.examples) == ["BRA", "NGA"]
    # reports (annual) do not count as updates unless asked
    assert failed("staging.documents", f, DQParams(as_of=date(2022, 3, 1))) == {}
