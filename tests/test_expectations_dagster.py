"""A failed ERROR check blocks the assets downstream in an in-process Dagster run; WARN does not."""

import sys
from pathlib import Path

import dagster as dg

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "dq"))

import dq_frames  # noqa: E402
from dq_run import PARAMS  # noqa: E402

from expectations import runner  # noqa: E402

TABLE = "staging.documents"
KEY = dg.AssetKey(["staging", "documents"])


def _run(frames: dict) -> dg.ExecuteInProcessResult:
    specs = [
        dg.AssetCheckSpec(name=s.name, asset=KEY, blocking=s.severity == "ERROR")
        for s in runner.check_names(TABLE)
    ]
    calls: list[str] = []

    @dg.asset(key=KEY, check_specs=specs)
    def documents():
        yield dg.MaterializeResult()
        for o in runner.run_checks(TABLE, frames, params=PARAMS):
            yield dg.AssetCheckResult(
                asset_key=KEY, check_name=o.check_name, passed=o.success,
                severity=dg.AssetCheckSeverity.ERROR if o.severity == "ERROR"
                else dg.AssetCheckSeverity.WARN,
                metadata={"unexpected_count": o.unexpected_count},
            )

    @dg.asset(deps=[KEY])
    def downstream() -> None:
        calls.append("ran")

    result = dg.materialize([documents, downstream], raise_on_error=False)
    result.calls = calls  # type: ignore[attr-defined]
    return result


def test_blocking_failure_stops_downstream() -> None:
    frames, _ = dq_frames.bad_staging_documents()  # duplicate, unknown country, wrong period
    result = _run(frames)
    assert result.calls == []  # type: ignore[attr-defined]
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert not evaluations["staging_documents_no_duplicates"].passed
    assert not evaluations["staging_documents_country_iso3_valid"].passed


def test_warnings_let_downstream_run() -> None:
    frames = dq_frames.good()
    f_id = dq_frames.doc_id(frames, "F")
    d = frames["staging.documents"]
    # DEFECT (WARN only): F carries the parser's period_mismatch_events flag
    frames["staging.documents"] = d.with_columns(
        flags=dq_frames.pl.when(dq_frames.pl.col("doc_id") == f_id)
        .then(dq_frames.pl.lit(["period_mismatch_events"])).otherwise(dq_frames.pl.col("flags"))
    )
    result = _run(frames)
    assert result.calls == ["ran"]  # type: ignore[attr-defined]
    failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    assert failed == ["staging_documents_period_mismatch_events"]
