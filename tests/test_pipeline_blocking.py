"""A blocking check failure on the real assets stops publication and the site (in-process run)."""

import dagster as dg
import duckdb
import polars as pl

from orchestration.assets import marts
from orchestration.runner import run_pipeline
from orchestration.settings import SAMPLE_INBOX, Settings


def test_bad_scores_never_reach_the_published_warehouse(tmp_path, monkeypatch):
    settings = Settings(inbox=SAMPLE_INBOX, warehouse=tmp_path / "warehouse.duckdb",
                        site=tmp_path / "site", max_bytes=20_000_000, webhook_url=None)
    real = marts.score_quarters

    def corrupted(*args, **kwargs):
        scores, contributions = real(*args, **kwargs)
        # DEFECT: a score above 100, outside its own interval
        return scores.with_columns(score=pl.col("score") + 150.0), contributions

    monkeypatch.setattr(marts, "score_quarters", corrupted)
    with dg.DagsterInstance.ephemeral() as instance:
        summary = run_pipeline(settings, instance=instance)
        assert not summary.success
        failed_steps = {
            e.step_key for e in instance.all_logs(summary.run_ids[-1])
            if e.dagster_event and e.dagster_event.event_type_value == "STEP_FAILURE"
        }
    assert "freedom_scores" in failed_steps
    assert not settings.warehouse.exists(), "nothing may be published after a blocking failure"
    assert not (settings.site / "index.html").exists()
    # the failure is recorded with its check name and examples
    con = duckdb.connect(str(tmp_path / "warehouse.work.duckdb"), read_only=True)
    try:
        failed = con.execute(
            "SELECT DISTINCT check_name FROM dq.check_results WHERE table_name = 'marts.freedom_scores' "
            "AND severity = 'ERROR' AND NOT success").fetchall()
    finally:
        con.close()
    assert failed, "a blocking check on marts.freedom_scores must have failed"
