"""``civicspace run``: every asset materialised in process through Dagster.

Two runs: the document layers first (they decide which quarters hold evidence), then every quarter
from the first to the last as one single-run range, with publication and the site.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from orchestration.automation import range_tags
from orchestration.definitions import ASSETS
from orchestration.partitions import keys_between
from orchestration.resources import resources_for
from orchestration.settings import Settings
from orchestration.warehouse import Warehouse, sql_text

DOCUMENT_LAYERS = [
    dg.AssetKey(k) for k in (
        ["raw", "documents"], ["raw", "quarantine"], ["staging", "documents"],
        ["staging", "sections"], ["staging", "sentences"], ["core", "event_mentions"],
        ["core", "events"],
    )
]
QUARTERLY = [dg.AssetKey(["marts", "freedom_scores"]), dg.AssetKey(["marts", "score_contributions"])]
PUBLICATION = [
    dg.AssetKey(k) for k in (
        ["marts", "freedom_scores_annual"], ["marts", "alerts"], ["warehouse", "published"],
        ["warehouse", "exports"], ["dashboards", "site"],
    )
]


@dataclass(frozen=True)
class RunSummary:
    success: bool
    warehouse: Path
    site: Path
    quarters: list[str]
    run_ids: list[str]


def dagster_home(base: Path = Path("build/dagster")) -> Path:
    """A persistent instance folder with telemetry off (no outside traffic)."""
    home = Path(os.environ.get("DAGSTER_HOME") or base).resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    return home


def open_instance(home: Path) -> dg.DagsterInstance:
    """The persistent instance of ``home``, its storage created under a lock.

    Two runs started at the same moment on a fresh folder (a sensor's and a manual one) would
    otherwise both create the SQLite storage and one would fail ("table alembic_version already
    exists"); the lock makes the second wait until the first has created it.
    """
    import fcntl

    os.environ["DAGSTER_HOME"] = str(home)
    with open(home / ".instance.lock", "a", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            instance = dg.DagsterInstance.get()
            instance.get_runs(limit=1)  # storage created (and migrated) now, under the lock
            instance.all_asset_keys()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return instance


def run_pipeline(settings: Settings, instance: dg.DagsterInstance | None = None,
                 raise_on_error: bool = False, log_level: str = "INFO",
                 quarters: list[str] | None = None) -> RunSummary:
    """Run everything; ``quarters`` limits the quarterly marts to those partition keys (as the
    landing sensor does for new files), otherwise every quarter that holds evidence is rebuilt."""
    resources = resources_for(settings)
    run_config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    kwargs = {"resources": resources, "raise_on_error": raise_on_error, "run_config": run_config}
    if instance is not None:
        kwargs["instance"] = instance
    first = dg.materialize(ASSETS, selection=DOCUMENT_LAYERS, **kwargs)
    run_ids = [first.run_id]
    if not first.success:
        return RunSummary(False, settings.warehouse, settings.site, [], run_ids)
    with Warehouse(settings.warehouse).connect() as con:
        first_day, last_day = con.execute(sql_text("staging/document_window.sql")).fetchall()[0]
    keys = keys_between(first_day, last_day) if first_day else []
    if quarters is not None:
        wanted = set(quarters)
        keys = [k for k in keys if k in wanted]
    if keys:
        second = dg.materialize(ASSETS, selection=QUARTERLY + PUBLICATION, tags=range_tags(keys),
                                **kwargs)
    else:  # no document yet: publish the (empty) warehouse and site all the same
        second = dg.materialize(ASSETS, selection=PUBLICATION, **kwargs)
    run_ids.append(second.run_id)
    return RunSummary(second.success, settings.warehouse, settings.site, keys, run_ids)
