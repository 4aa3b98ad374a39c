"""The pipeline SIGKILLed at several points, then run again: nothing half-written is ever visible.

``civicspace run`` runs in a subprocess over a copy of the sample landing folder and is killed
(SIGKILL, no clean-up possible) early (while importing), in the middle of a warehouse write
transaction (the DuckDB ``.wal`` of the work file has just appeared); then, once a version is
published, in a later write (the fourth transaction) and during a publication over it (the
temporary ``.warehouse.duckdb.<pid>.tmp`` copy exists). After
every kill the published warehouse is either absent (never published yet) or a
whole version: it opens read-only, every table answers, every score equals the sum of its
contributions. Then a run to completion gives tables identical to an uninterrupted run.

A crawl killed mid-way is tested in tests/test_crawler.py
(test_crawl_killed_mid_way_resumes_where_it_stopped).
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from snapshots import snapshot

from orchestration.settings import SAMPLE_INBOX
from orchestration.warehouse import TABLES

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
RUN_TIMEOUT_S = 600


def assert_whole(path: Path) -> dict[str, int]:
    """The published file opens read-only, every table answers, every score row adds up."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]  # noqa: S608
                  for t in TABLES}
        broken = con.execute(
            "SELECT s.country_iso3, s.period_start, s.freedom, s.score, sum(c.points) "
            "FROM marts.freedom_scores s LEFT JOIN marts.score_contributions c "
            "USING (country_iso3, period_start, freedom) "
            "GROUP BY ALL HAVING abs(s.score - coalesce(sum(c.points), -1e9)) > 1e-6"
        ).fetchall()
    finally:
        con.close()
    assert broken == [], f"scores that are not the sum of their contributions: {broken[:3]}"
    return counts


def _cli_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DAGSTER_HOME"] = str(home)
    env["DAGSTER_DISABLE_TELEMETRY"] = "1"
    return env


def start_run(inbox: Path, out: Path, log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "orchestration.cli", "run", "--inbox", str(inbox),
           "--warehouse", str(out / "warehouse.duckdb"), "--site", str(out / "site"),
           "--log-level", "ERROR"]
    with open(log, "ab") as f:
        return subprocess.Popen(cmd, cwd=REPO, env=_cli_env(out / "dagster"), stdout=f,
                                stderr=subprocess.STDOUT)


def kill_when(proc: subprocess.Popen, ready: Callable[[], bool]) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()``; False when it finished first."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while proc.poll() is None:
        if ready():
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(30)
            return True
        assert time.monotonic() < deadline, "the run neither finished nor reached the kill point"
        time.sleep(0.002)
    return False


def test_killed_runs_never_expose_a_partial_warehouse_and_the_next_run_completes(
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    out = tmp_path / "out"
    out.mkdir()
    published = out / "warehouse.duckdb"
    wal = out / "warehouse.work.duckdb.wal"
    log = tmp_path / "runs.log"

    def wal_appearances(n: int) -> Callable[[], bool]:
        """True once the work file's WAL has appeared ``n`` times in this attempt: a write
        transaction in flight (a WAL left by an earlier kill does not count)."""
        state = {"seen": 0, "present": wal.exists()}

        def ready() -> bool:
            now = wal.exists()
            if now and not state["present"]:
                state["seen"] += 1
            state["present"] = now
            return state["seen"] >= n

        return ready

    def publishing() -> Callable[[], bool]:
        """True once a new temporary copy appears (one left by an earlier kill does not count)."""
        before = set(out.glob(".warehouse.duckdb.*.tmp"))
        return lambda: bool(set(out.glob(".warehouse.duckdb.*.tmp")) - before)

    def after(seconds: float) -> Callable[[], bool]:
        t0 = time.monotonic()
        return lambda: time.monotonic() - t0 > seconds

    def never() -> bool:
        return False

    plan: list[tuple[str, Callable[[], Callable[[], bool]]]] = [
        ("early, while importing", lambda: after(1.0)),
        ("first write transaction (raw)", lambda: wal_appearances(1)),
        ("not killed: publishes a first version", lambda: never),
        ("a later write transaction", lambda: wal_appearances(4)),
        ("publication over a published version", publishing),
    ]
    was_published = False
    outcomes: dict[str, bool] = {}
    for label, make_ready in plan:
        proc = start_run(inbox, out, log)
        killed = kill_when(proc, make_ready())
        outcomes[label] = killed
        if not killed:
            assert proc.returncode == 0, log.read_text(errors="replace")[-3000:]
        if published.exists():
            assert_whole(published)
            was_published = True
        else:
            assert not was_published, f"the published warehouse disappeared after: {label}"
    assert outcomes["early, while importing"], "the early kill came too late"
    assert outcomes["first write transaction (raw)"], "never killed inside a write"
    assert outcomes["a later write transaction"], "never killed inside a later write"
    print(f"kill outcomes: {outcomes}")
    assert was_published

    # The run to completion, and an uninterrupted run in another folder started at the same
    # moment (so that both import the same code, even in a working tree being edited).
    clean = tmp_path / "clean"
    clean.mkdir()
    final = start_run(inbox, out, log)
    reference = start_run(SAMPLE_INBOX, clean, tmp_path / "clean.log")
    assert final.wait(RUN_TIMEOUT_S) == 0, log.read_text(errors="replace")[-3000:]
    assert reference.wait(RUN_TIMEOUT_S) == 0
    assert_whole(published)
    got = snapshot(published)
    baseline = snapshot(clean / "warehouse.duckdb")
    for t, want in baseline.items():
        assert got[t].equals(want), f"{t} differs from an uninterrupted run after the kills"
    # leftovers of killed publications are only hidden temporary files beside the warehouse
    leftovers = sorted(p.name for p in out.iterdir() if p.is_file()
                       and p.name not in ("warehouse.duckdb", "warehouse.work.duckdb",
                                          "warehouse.work.duckdb.lock",
                                          "warehouse.work.duckdb.wal"))
    assert all(n.startswith(".warehouse.duckdb.") and n.endswith(".tmp") for n in leftovers)
    print(f"leftovers: {leftovers}")
