"""The landing sensor: a new file starts one run for its quarter; an unchanged folder none."""

import shutil
from datetime import UTC

import dagster as dg
import pytest

from orchestration.automation import contiguous, landing_sensor, run_request_for, weekly_publication
from orchestration.settings import SAMPLE_INBOX


@pytest.fixture
def inbox(tmp_path, monkeypatch):
    monkeypatch.setenv("CIVICSPACE_INBOX", str(tmp_path))
    monkeypatch.setenv("CIVICSPACE_WAREHOUSE", str(tmp_path / "w.duckdb"))
    return tmp_path


def _tick(instance, cursor=None):
    ctx = dg.build_sensor_context(instance=instance, cursor=cursor)
    result = landing_sensor(ctx)
    return result, ctx.cursor


def _sample(name_part: str):
    return next(p for p in sorted(SAMPLE_INBOX.iterdir()) if name_part in p.name and p.suffix == ".txt")


def test_new_file_starts_one_run_for_its_partition_and_unchanged_folder_none(inbox):
    with dg.DagsterInstance.ephemeral() as instance:
        result, cursor = _tick(instance)
        assert isinstance(result, dg.SkipReason)
        shutil.copy(_sample("2024q1"), inbox / "new.txt")
        result, cursor = _tick(instance, cursor)
        assert isinstance(result, list) and len(result) == 1
        assert result[0].partition_key == "2024-01-01"
        again, _ = _tick(instance, cursor)
        assert isinstance(again, dg.SkipReason)


def test_contiguous_quarters_become_one_range_run():
    groups = contiguous(["2024-07-01", "2024-01-01", "2024-04-01", "2025-01-01"])
    assert groups == [["2024-01-01", "2024-04-01", "2024-07-01"], ["2025-01-01"]]
    req = run_request_for(groups[0])
    assert req.tags["dagster/asset_partition_range_start"] == "2024-01-01"
    assert req.tags["dagster/asset_partition_range_end"] == "2024-07-01"


def test_weekly_schedule_targets_the_current_quarter():
    from datetime import datetime

    ctx = dg.build_schedule_context(scheduled_execution_time=datetime(2024, 5, 6, 6, tzinfo=UTC))
    assert weekly_publication(ctx).partition_key == "2024-04-01"


def test_failure_webhook_posts_the_message_and_never_raises():
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from orchestration.automation import notify

    received = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    try:
        assert notify("run 42 failed", f"http://127.0.0.1:{server.server_address[1]}/hook")
        thread.join(timeout=10)
    finally:
        server.server_close()
    assert received == [{"text": "run 42 failed"}]
    assert notify("no hook configured", None) is False
    assert notify("nobody listens", f"http://127.0.0.1:{server.server_address[1]}/gone") is False


def test_new_evidence_rebuilds_every_later_published_quarter_in_one_run(inbox):
    """Later quarters remember earlier ones (memory, carry-forward): they are rebuilt too."""
    import duckdb

    from orchestration.automation import with_later_quarters

    assert with_later_quarters({"2024-01-01"}, "2024-10-01") == {
        "2024-01-01", "2024-04-01", "2024-07-01", "2024-10-01"}  # fmt: skip
    assert with_later_quarters({"2025-01-01"}, "2024-10-01") == {"2025-01-01"}
    assert with_later_quarters({"2024-04-01"}, None) == {"2024-04-01"}
    con = duckdb.connect(str(inbox / "w.duckdb"))
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.freedom_scores (period_start DATE)")
    con.execute("INSERT INTO marts.freedom_scores VALUES ('2024-10-01')")
    con.close()
    with dg.DagsterInstance.ephemeral() as instance:
        _, cursor = _tick(instance)
        shutil.copy(_sample("2024q1"), inbox / "new.txt")
        result, _ = _tick(instance, cursor)
    assert isinstance(result, list) and len(result) == 1
    assert result[0].tags["dagster/asset_partition_range_start"] == "2024-01-01"
    assert result[0].tags["dagster/asset_partition_range_end"] == "2024-10-01"
