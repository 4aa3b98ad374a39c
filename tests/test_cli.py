"""The civicspace command: help, sql read-only, parse/extract on files, dev serving the UI."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import build_parser, main

COMMANDS = ("run", "dev", "parse", "extract", "sql", "export", "crawl")


def test_help_documents_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for cmd in COMMANDS:
        assert f"\n  {cmd} " in out or f"\n    {cmd} " in out
    for cmd in COMMANDS:
        text = build_parser()._subparsers._group_actions[0].choices[cmd].format_help()
        assert "usage: civicspace " + cmd in text


def _warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE TABLE marts.alerts (alert_id VARCHAR, message VARCHAR)")
    con.execute("INSERT INTO marts.alerts VALUES (?, ?)", ["a1", "x'); DROP TABLE marts.alerts; --"])
    con.close()
    return path


def test_sql_prints_results_and_opens_the_warehouse_read_only(tmp_path, capsys):
    wh = _warehouse(tmp_path)
    assert main(["sql", "--warehouse", str(wh), "--format", "json",
                 "SELECT * FROM marts.alerts"]) == 0
    row = json.loads(capsys.readouterr().out.strip())
    assert row["message"].startswith("x'); DROP TABLE")
    assert main(["sql", "--warehouse", str(wh), "DELETE FROM marts.alerts"]) == 1
    assert "read-only" in capsys.readouterr().err.lower()
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("SELECT count(*) FROM marts.alerts").fetchall() == [(1,)]
    con.close()


def test_sql_without_a_warehouse_says_so(tmp_path, capsys):
    assert main(["sql", "--warehouse", str(tmp_path / "none.duckdb"), "SELECT 1"]) == 2
    assert "civicspace run" in capsys.readouterr().err


def test_parse_and_extract_print_json_lines(repo, capsys):
    sample = sorted((repo / "samples" / "inbox").glob("*.txt"))[0]
    assert main(["parse", str(sample)]) == 0
    doc = json.loads(capsys.readouterr().out.splitlines()[0])
    assert doc["doc"] == sample.name and len(doc["country_iso3"]) == 3
    assert main(["extract", str(sample)]) == 0
    mentions = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    text = sample.read_text(encoding="utf-8")
    assert mentions and all(text[m["start"]:m["end"]] == m["text"] for m in mentions)


@pytest.mark.slow
def test_dev_serves_the_dagster_ui_on_localhost(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "dev", "--port", str(port),
                             "--warehouse", str(tmp_path / "w.duckdb")],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as r:
                    info = json.load(r)
                    break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail("the Dagster UI did not come up within 120 s")
        assert info["dagster_version"].startswith("1.13")
        assert "enabled: false" in (tmp_path / "home" / "dagster.yaml").read_text()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
