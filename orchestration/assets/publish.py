"""The published warehouse (read-only copy swapped in atomically) and the dashboard site."""

from pathlib import Path

import dagster as dg

from dashboards.site import build_site
from orchestration.export import export_marts
from orchestration.resources import SiteResource
from orchestration.warehouse import WarehouseResource, read_table, sql_text

SITE_TABLES = (
    "staging.documents",
    "core.events",
    "core.event_mentions",
    "marts.freedom_scores",
    "marts.freedom_scores_annual",
    "marts.score_contributions",
    "marts.alerts",
    "dq.check_results",
    "raw.quarantine",
)
# read in key order, so that the pages never depend on the order rows were stored in (the site
# sorts mentions and contributions itself: not sorted twice)
SITE_ORDER = {
    "staging.documents": "doc_id",
    "core.events": "event_id",
    "marts.freedom_scores": "country_iso3, period_start, freedom",
    "marts.freedom_scores_annual": "country_iso3, year, freedom",
    "marts.alerts": "alert_id",
    "raw.quarantine": "file, stage, reason",
}
MARTS = [
    ["marts", "freedom_scores"],
    ["marts", "score_contributions"],
    ["marts", "freedom_scores_annual"],
    ["marts", "alerts"],
]


@dg.asset(
    key=["warehouse", "published"],
    deps=MARTS,
    group_name="publish",
    pool="warehouse",
    description="The read-only copy analysts query, swapped in only after blocking checks pass.",
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    path = warehouse.get().publish()
    context.log.info(f"published {path}")
    return dg.MaterializeResult(metadata={"path": str(path)})


@dg.asset(
    key=["dashboards", "site"],
    deps=[["warehouse", "published"]],
    group_name="publish",
    pool="warehouse",
    description="The static Plotly site for stakeholders (works offline).",
)
def dashboard_site(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, site: SiteResource
):
    with warehouse.get().connect() as con:
        tables = {
            t: read_table(con, t, "TRUE ORDER BY " + SITE_ORDER[t] if t in SITE_ORDER else "")
            for t in SITE_TABLES
            if t != "dq.check_results"
        }
        tables["dq.check_results"] = con.sql(sql_text("dq/latest_check_results.sql")).pl()
    # only the pages whose rows changed since the last build are rendered again
    pages = build_site(tables, Path(site.path), reuse=True)
    context.log.info(f"wrote {len(pages)} pages into {site.path}")
    return dg.MaterializeResult(metadata={"pages": len(pages), "path": site.path})


@dg.asset(
    key=["warehouse", "exports"],
    deps=[["warehouse", "published"]],
    group_name="publish",
    pool="warehouse",
    description="Every mart table as Parquet and CSV beside the warehouse, method version in the name.",
)
def mart_exports(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    published = warehouse.get().published
    files = export_marts(published, published.parent / "exports")
    return dg.MaterializeResult(metadata={"files": [str(f) for f in files]})
