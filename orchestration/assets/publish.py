"""The published warehouse (read-only copy swapped in atomically) and the dashboard site."""

from pathlib import Path

import dagster as dg

from dashboards.site import build_site
from orchestration.export import export_marts
from orchestration.resources import SiteResource
from orchestration.warehouse import WarehouseResource, read_table, sql_text

SITE_TABLES = ("staging.documents", "core.events", "core.event_mentions", "marts.freedom_scores",
               "marts.freedom_scores_annual", "marts.score_contributions", "marts.alerts",
               "dq.check_results", "raw.quarantine")
MARTS = [["marts", "freedom_scores"], ["marts", "score_contributions"],
         ["marts", "freedom_scores_annual"], ["marts", "alerts"]]


@dg.asset(key=["warehouse", "published"], deps=MARTS, group_name="publish", pool="warehouse",
          description="The read-only copy analysts query, swapped in only after blocking checks pass.")
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    path = warehouse.get().publish()
    context.log.info(f"published {path}")
    return dg.MaterializeResult(metadata={"path": str(path)})


@dg.asset(key=["dashboards", "site"], deps=[["warehouse", "published"]], group_name="publish",
          pool="warehouse", description="The static Plotly site for stakeholders (works offline).")
def dashboard_site(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                   site: SiteResource):
    with warehouse.get().connect() as con:
        tables = {t: read_table(con, t) for t in SITE_TABLES if t != "dq.check_results"}
        tables["dq.check_results"] = con.sql(sql_text("dq/latest_check_results.sql")).pl()
    pages = build_site(tables, Path(site.path))
    context.log.info(f"wrote {len(pages)} pages into {site.path}")
    return dg.MaterializeResult(metadata={"pages": len(pages), "path": site.path})


@dg.asset(key=["warehouse", "exports"], deps=[["warehouse", "published"]], group_name="publish",
          pool="warehouse",
          description="Every mart table as Parquet and CSV beside the warehouse, method version in the name.")
def mart_exports(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    published = warehouse.get().published
    files = export_marts(published, published.parent / "exports")
    return dg.MaterializeResult(metadata={"files": [str(f) for f in files]})
