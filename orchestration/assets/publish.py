"""The published warehouse (read-only copy swapped in atomically) and the dashboard site."""

from pathlib import Path

import dagster as dg
import duckdb

from dashboards.site import build_site
from dashboards.source import TableSource
from orchestration.export import export_marts
from orchestration.resources import SiteResource
from orchestration.warehouse import WarehouseResource, sql_text

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
        pages = write_site(con, Path(site.path))
    context.log.info(f"wrote {len(pages)} pages into {site.path}")
    return dg.MaterializeResult(metadata={"pages": len(pages), "path": site.path})


def write_site(con: duckdb.DuckDBPyConnection, out_dir: Path) -> list[Path]:
    """Build the site from the warehouse connection: the small tables read whole, the rows of
    one country (or a batch of documents) at a time, so that the big tables (contributions
    with their sentences, document texts) never sit in memory whole; only the pages whose
    rows changed since the last build into ``out_dir`` are rendered again."""
    checks = {"dq.check_results": sql_text("dq/latest_check_results.sql")}
    return build_site(TableSource(con, checks), out_dir, reuse=True)


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
