"""A backfill against a real PostgreSQL-backed Dagster instance (deploy/dagster.yaml).

A throwaway PostgreSQL cluster is made with initdb and started on a free localhost port; the
Dagster CLI materialises the document layers, then the quarterly marts as one single-run range
(the backfill), with runs and events stored in PostgreSQL.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _pg_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@pytest.fixture(scope="module")
def postgres():
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries are not installed (make postgres / .ci/run installs them)")
    # not under pytest's tmp folder: that one is private to root, and postgres runs as its own user
    base = Path(tempfile.mkdtemp(prefix="civicspace-pg-"))
    data = base / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(data.parent, "postgres")
        shutil.chown(data, "postgres")
    port = _free_port()
    subprocess.run(_as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "dagster",
                                 "--auth=trust", "-E", "UTF8"]), check=True, capture_output=True)
    log = data.parent / "pg.log"
    if os.geteuid() == 0:
        log.touch()
        shutil.chown(log, "postgres")
    subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w",
                                 "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1",
                                 "start"]), check=True, capture_output=True)
    try:
        subprocess.run(_as_postgres([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port),
                                     "-U", "dagster", "dagster"]), check=True, capture_output=True)
        yield f"postgresql+psycopg2://dagster@127.0.0.1:{port}/dagster"
    finally:
        subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_backfill_against_a_postgres_instance(postgres, tmp_path, repo, monkeypatch):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(repo / "deploy" / "dagster.yaml", home / "dagster.yaml")
    env = {**os.environ, "DAGSTER_HOME": str(home), "CIVICSPACE_DAGSTER_PG_URL": postgres,
           "CIVICSPACE_INBOX": str(repo / "samples" / "inbox"),
           "CIVICSPACE_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
           "CIVICSPACE_SITE": str(tmp_path / "site")}
    dagster = str(Path(sys.executable).parent / "dagster")
    documents = ",".join(["raw/documents", "raw/quarantine", "staging/documents", "staging/sections",
                          "staging/sentences", "core/event_mentions", "core/events"])
    started = time.monotonic()
    for args in (["--select", documents],
                 ["--select", "marts/freedom_scores,marts/score_contributions",
                  "--partition-range", "2024-01-01...2024-10-01"]):
        proc = subprocess.run([dagster, "asset", "materialize", "-m", "orchestration.definitions",
                               *args], env=env, cwd=repo, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
    assert time.monotonic() - started < 600

    import dagster as dg
    import duckdb

    monkeypatch.setenv("CIVICSPACE_DAGSTER_PG_URL", postgres)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        runs = instance.get_runs()
        assert len(runs) == 2 and all(r.is_success for r in runs)
        backfill = next(r for r in runs if "dagster/asset_partition_range_start" in r.tags)
        assert backfill.tags["dagster/asset_partition_range_end"] == "2024-10-01"
    con = duckdb.connect(str(tmp_path / "warehouse.work.duckdb"), read_only=True)
    try:
        quarters = con.execute("SELECT count(DISTINCT period_start) FROM marts.freedom_scores").fetchall()[0][0]
    finally:
        con.close()
    assert quarters == 4
