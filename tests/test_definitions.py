"""The Dagster definitions load, and every asset, check, job, sensor and schedule is there."""

import dagster as dg

from expectations import runner
from orchestration.definitions import build_definitions
from orchestration.warehouse import TABLES

EXPECTED_ASSETS = {
    *(tuple(t.split(".")) for t in TABLES if t != "dq.check_results"),
    ("warehouse", "published"),
    ("warehouse", "exports"),
    ("dashboards", "site"),
}


def test_definitions_load():
    defs = build_definitions()
    dg.Definitions.validate_loadable(defs)
    keys = {tuple(k.path) for k in defs.resolve_all_asset_keys()}
    assert keys == EXPECTED_ASSETS


def test_every_table_has_its_suite_as_asset_checks():
    graph = build_definitions().resolve_asset_graph()
    checks = {(tuple(k.asset_key.path), k.name) for k in graph.asset_check_keys}
    for table in TABLES:
        if table == "dq.check_results":
            continue
        names = {s.name for s in runner.check_names(table)}
        assert names, f"no checks for {table}"
        assert {(tuple(table.split(".")), n) for n in names} <= checks


def test_blocking_checks_guard_the_scores():
    from orchestration.definitions import ASSETS

    specs = {(tuple(s.asset_key.path), s.name): s for a in ASSETS for s in a.check_specs}
    blocking = [k for k, s in specs.items() if s.blocking and k[0] == ("marts", "freedom_scores")]
    assert blocking, "marts.freedom_scores needs blocking checks"


def test_jobs_sensors_schedules():
    defs = build_definitions()
    job = defs.resolve_job_def("civicspace_pipeline")
    assert job.partitions_def is not None
    assert defs.resolve_sensor_def("landing_sensor")
    assert defs.resolve_sensor_def("failure_alert")
    assert defs.resolve_schedule_def("weekly_publication").cron_schedule == "0 6 * * 1"
    assert defs.resolve_schedule_def("daily_crawl")
    assert defs.resolve_job_def("crawl_job")


def test_quarters_are_the_partitions():
    from datetime import date

    from orchestration.partitions import keys_between, quarter_key, quarters

    keys = quarters.get_partition_keys()
    assert keys[0] == "2010-01-01" and keys[1] == "2010-04-01"
    assert quarter_key(date(2021, 11, 30)) == "2021-10-01"
    assert keys_between(date(2021, 11, 30), date(2022, 2, 1)) == ["2021-10-01", "2022-01-01"]
    assert keys_between(date(2021, 1, 1), date(2021, 1, 1)) == ["2021-01-01"]
