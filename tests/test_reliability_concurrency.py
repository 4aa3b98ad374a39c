"""Concurrent runs never double-count; analysts reading during publication never fail.

1. Two ``civicspace run`` processes started together on the same landing folder, warehouse and
   Dagster instance (a sensor tick and a manual run): both complete and the tables equal those of
   a single run (started at the same moment in another folder, so that all three import the same
   code).
2. A reader process opens the published warehouse read-only in a loop, queries every table and
   records (rows, sum of scores) of marts.freedom_scores, while the pipeline runs and publishes
   twice more (a sample file is added before each run, so that versions differ): the reader sees zero errors and only versions that were published.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from snapshots import snapshot

from orchestration.runner import run_pipeline
from orchestration.settings import SAMPLE_INBOX, Settings
from orchestration.warehouse import TABLES

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
RUN_TIMEOUT_S = 600
HELD_BACK = ("kazakhstan-2024q4.txt", "serbia-2024q3.txt")  # added between runs


def start_run(inbox: Path, out: Path, home: Path, log: Path) -> subprocess.Popen:
    env = dict(os.environ)
    env["DAGSTER_HOME"] = str(home)
    env["DAGSTER_DISABLE_TELEMETRY"] = "1"
    cmd = [sys.executable, "-m", "orchestration.cli", "run", "--inbox", str(inbox),
           "--warehouse", str(out / "warehouse.duckdb"), "--site", str(out / "site"),
           "--log-level", "ERROR"]
    with open(log, "ab") as f:
        return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=f, stderr=subprocess.STDOUT)


def test_two_runs_at_once_never_double_count(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    shared, single = tmp_path / "shared", tmp_path / "single"
    shared.mkdir()
    single.mkdir()
    home = shared / "dagster"  # one Dagster instance for both, as for a sensor and a manual run
    logs = [tmp_path / "a.log", tmp_path / "b.log", tmp_path / "single.log"]
    procs = [start_run(inbox, shared, home, logs[0]), start_run(inbox, shared, home, logs[1]),
             start_run(SAMPLE_INBOX, single, single / "dagster", logs[2])]
    codes = [p.wait(RUN_TIMEOUT_S) for p in procs]
    for code, log in zip(codes, logs, strict=True):
        assert code == 0, f"{log.name}: {log.read_text(errors='replace')[-3000:]}"
    got = snapshot(shared / "warehouse.duckdb")
    want = snapshot(single / "warehouse.duckdb")
    for t in want:
        assert got[t].equals(want[t]), f"{t} differs from a single run (double counting?)"
    con = duckdb.connect(str(shared / "warehouse.duckdb"), read_only=True)
    try:
        dupes = con.execute(
            "SELECT count(*) FROM (SELECT country_iso3, period_start, freedom "
            "FROM marts.freedom_scores GROUP BY ALL HAVING count(*) > 1)").fetchall()[0][0]
    finally:
        con.close()
    assert dupes == 0


READER = r"""
import json, os, sys, time
import duckdb
path, stop, out = sys.argv[1:4]
tables = sys.argv[4].split(",")
with open(out, "w") as log:
    while not os.path.exists(stop):
        try:
            con = duckdb.connect(path, read_only=True)
            try:
                for t in tables:
                    con.execute(f"SELECT count(*) FROM {t}").fetchall()
                n, s = con.execute(
                    "SELECT count(*), coalesce(sum(score), 0) FROM marts.freedom_scores"
                ).fetchall()[0]
            finally:
                con.close()
            log.write(json.dumps({"n": n, "sum": round(s, 6)}) + "\n")
        except Exception as e:
            log.write(json.dumps({"error": f"{type(e).__name__}: {e}"}) + "\n")
        log.flush()
"""


def _version(path: Path) -> tuple[int, float]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        n, s = con.execute(
            "SELECT count(*), coalesce(sum(score), 0) FROM marts.freedom_scores").fetchall()[0]
    finally:
        con.close()
    return n, round(s, 6)


def test_a_reader_during_publications_sees_only_whole_versions(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    for name in HELD_BACK:
        (inbox / name).unlink()
    out = tmp_path / "out"
    settings = Settings(inbox=inbox, warehouse=out / "warehouse.duckdb", site=out / "site",
                        max_bytes=20_000_000, crawl_state=tmp_path / "crawl", webhook_url=None)
    stop, observed = tmp_path / "stop", tmp_path / "observed.jsonl"
    published: list[tuple[int, float]] = []
    with dg.DagsterInstance.ephemeral() as instance:
        assert run_pipeline(settings, instance=instance, log_level="ERROR").success
        published.append(_version(settings.warehouse))
        reader = subprocess.Popen(
            [sys.executable, "-c", READER, str(settings.warehouse), str(stop), str(observed),
             ",".join(TABLES)], cwd=REPO)
        try:
            for added in HELD_BACK:  # two more runs, a new file before each
                shutil.copyfile(SAMPLE_INBOX / added, inbox / added)
                assert run_pipeline(settings, instance=instance, log_level="ERROR").success
                published.append(_version(settings.warehouse))
        finally:
            stop.touch()
            reader.wait(60)
    assert reader.returncode == 0
    rows = [json.loads(line) for line in observed.read_text().splitlines() if line.strip()]
    errors = [r["error"] for r in rows if "error" in r]
    assert errors == [], errors[:5]
    seen = {(r["n"], r["sum"]) for r in rows}
    assert seen <= set(published), f"versions never published: {seen - set(published)}"
    assert len(set(published)) == 3, "the added files did not change the scores"
    assert len(rows) >= 10 and len(seen) >= 2, (len(rows), seen)
    print(f"reader: {len(rows)} reads, {len(seen)} versions seen of {len(set(published))}")
