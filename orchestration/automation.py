"""Jobs, sensors, schedules and the failure hook: how the data team runs civicspace unattended."""

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import httpx

from orchestration.landing import LandedFile, fingerprint, scan
from orchestration.partitions import keys_between, quarter_key, quarters
from orchestration.settings import Settings
from transforms.ingest import read_landing_bytes
from transforms.parse import parse_document

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"

retry = dg.RetryPolicy(max_retries=3, delay=2, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS)

pipeline_job = dg.define_asset_job(
    "civicspace_pipeline",
    selection=dg.AssetSelection.all(),
    partitions_def=quarters,
    op_retry_policy=retry,
    description="Landing folder -> raw -> staging -> core -> marts (the chosen quarters) -> publish -> site.",
)


def range_tags(keys: list[str]) -> dict[str, str]:
    return {RANGE_START: keys[0], RANGE_END: keys[-1]}


def run_request_for(keys: list[str], run_key: str | None = None) -> dg.RunRequest:
    """One run for a contiguous run of quarters: a single partition, or one single-run range."""
    if len(keys) == 1:
        return dg.RunRequest(run_key=run_key, partition_key=keys[0])
    return dg.RunRequest(run_key=run_key, tags=range_tags(keys))


def contiguous(keys: list[str]) -> list[list[str]]:
    """Split sorted partition keys into runs of consecutive quarters."""
    all_keys = quarters.get_partition_keys()
    index = {k: i for i, k in enumerate(all_keys)}
    groups: list[list[str]] = []
    for k in sorted(set(keys), key=lambda k: index.get(k, -1)):
        if k not in index:
            continue
        if groups and index[groups[-1][-1]] == index[k] - 1:
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


def partitions_of_file(item: LandedFile, max_bytes: int) -> set[str]:
    """The quarters a landed file's documents fall in (parsed with the same pure functions)."""
    keys: set[str] = set()
    incoming, _ = read_landing_bytes(item.name, item.data, max_bytes=max_bytes,
                                     source_url=item.source_url, fetched_at=item.fetched_at)
    for d in incoming:
        try:
            doc, _, _ = parse_document(d.content, d.format, sha256=d.sha256, source=d.source,
                                       source_url=d.source_url)
        except Exception:  # noqa: BLE001 - ParseError or a parser bug: the run quarantines it
            continue
        keys.update(keys_between(doc["window_start"], doc["window_end"]))
    if not keys:  # nothing usable: still run the current quarter so the quarantine row is recorded
        keys.add(quarter_key(date.today()))
    return keys


@dg.sensor(job=pipeline_job, minimum_interval_seconds=60,
           description="Starts runs for the quarters that new or changed landing files touch.")
def landing_sensor(context: dg.SensorEvaluationContext):
    settings = Settings()
    inbox = settings.inbox
    if not Path(inbox).is_dir():
        return dg.SkipReason(f"landing folder {inbox} does not exist")
    before = json.loads(context.cursor) if context.cursor else {}
    now = fingerprint(inbox)
    changed = {name for name, sig in now.items() if before.get(name) != sig}
    if not changed:
        return dg.SkipReason("no new or changed files")
    keys: set[str] = set()
    for item in scan(inbox, max_bytes=settings.max_bytes):
        if isinstance(item, LandedFile) and item.name in changed:
            keys |= partitions_of_file(item, settings.max_bytes)
    digest = hashlib.sha256(json.dumps(sorted((n, now[n]) for n in changed)).encode()).hexdigest()[:16]
    context.update_cursor(json.dumps(now, sort_keys=True))
    if not keys:
        return dg.SkipReason("changed files hold no documents (sidecars only)")
    keys = with_later_quarters(keys, last_scored_quarter(settings.warehouse))
    return [run_request_for(g, run_key=f"{digest}:{g[0]}:{g[-1]}") for g in contiguous(sorted(keys))]


def last_scored_quarter(warehouse: Path) -> str | None:
    """The latest quarter of the published scores (None without a readable warehouse).

    Read-only on the published file, as an analyst reads it: never blocks a running job.
    """
    if not Path(warehouse).is_file():
        return None
    import duckdb

    try:
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            row = con.execute("SELECT max(period_start) FROM marts.freedom_scores").fetchall()
        finally:
            con.close()
    except duckdb.Error:
        return None
    return row[0][0].isoformat() if row and row[0][0] is not None else None


def with_later_quarters(keys: set[str], last: str | None) -> set[str]:
    """The touched quarters and every quarter after the first of them up to ``last``.

    A quarter's score remembers the earlier quarters (method memory) and carries the last score
    forward when it has no evidence, so new evidence in one quarter changes every later quarter
    already published: they are rebuilt in the same single run.
    """
    if not keys:
        return keys
    first = min(keys)
    end = max(max(keys), last or first)
    return set(keys_between(date.fromisoformat(first), date.fromisoformat(end)))


@dg.schedule(job=pipeline_job, cron_schedule="0 6 * * 1", execution_timezone="UTC",
             description="Weekly publication: rebuild the current quarter and republish.")
def weekly_publication(context: dg.ScheduleEvaluationContext):
    day = context.scheduled_execution_time.date() if context.scheduled_execution_time else date.today()
    return dg.RunRequest(partition_key=quarter_key(day))


@dg.op(description="Crawl every configured web source into the landing folder.")
def crawl_sources(context: dg.OpExecutionContext) -> None:
    from orchestration import crawler

    settings = Settings()
    reports = crawler.crawl_sources(crawler.load_sources(settings.sources), inbox=settings.inbox,
                                    state_dir=settings.crawl_state)
    for name, report in reports.items():
        context.log.info(f"{name}: {report.summary()}")
    failed = {name: r.error for name, r in reports.items() if r.error}
    if failed:
        raise dg.Failure(description=f"crawl failed for {sorted(failed)}", metadata={"errors": str(failed)})


@dg.job(description="Fetch new updates from the configured web sources (the landing sensor takes over).")
def crawl_job():
    crawl_sources()


daily_crawl = dg.ScheduleDefinition(name="daily_crawl", job=crawl_job, cron_schedule="0 5 * * *",
                                    execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.STOPPED)


def notify(message: str, webhook_url: str | None) -> bool:
    """Post a failure message to a webhook when one is configured; never raises."""
    if not webhook_url:
        return False
    try:
        httpx.post(webhook_url, json={"text": message}, timeout=10).raise_for_status()
        return True
    except httpx.HTTPError:
        return False


@dg.run_failure_sensor(description="Logs every failed run and posts it to CIVICSPACE_WEBHOOK_URL if set.")
def failure_alert(context: dg.RunFailureSensorContext):
    run = context.dagster_run
    message = (f"civicspace run {run.run_id} ({run.job_name}) failed at "
               f"{datetime.now(UTC).isoformat(timespec='seconds')}: {context.failure_event.message}")
    context.log.error(message)
    notify(message, Settings().webhook_url)
