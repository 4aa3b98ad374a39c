"""The Dagster code location: ``dagster dev -m orchestration.definitions``."""

import dagster as dg

from orchestration import automation
from orchestration.assets.core import core_events
from orchestration.assets.marts import alerts, freedom_scores, freedom_scores_annual
from orchestration.assets.publish import dashboard_site, mart_exports, published_warehouse
from orchestration.assets.raw import raw_documents
from orchestration.assets.staging import staging_documents
from orchestration.resources import resources_for
from orchestration.settings import Settings

ASSETS = [raw_documents, staging_documents, core_events, freedom_scores, freedom_scores_annual,
          alerts, published_warehouse, mart_exports, dashboard_site]


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    return dg.Definitions(
        assets=ASSETS,
        jobs=[automation.pipeline_job, automation.crawl_job],
        sensors=[automation.landing_sensor, automation.failure_alert],
        schedules=[automation.weekly_publication, automation.daily_crawl],
        resources=resources_for(settings or Settings()),
    )


defs = build_definitions()
