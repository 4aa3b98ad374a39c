"""Dagster resources: where things are. Values only; tests pass their own."""

from pathlib import Path

import dagster as dg

from orchestration.settings import Settings
from orchestration.warehouse import Warehouse, WarehouseResource

__all__ = ["LandingResource", "SiteResource", "WarehouseResource", "resources_for"]


class LandingResource(dg.ConfigurableResource):
    """The landing folder people and the crawler drop updates into."""

    inbox: str
    max_bytes: int = 20_000_000

    @property
    def path(self) -> Path:
        return Path(self.inbox)


class SiteResource(dg.ConfigurableResource):
    """The folder the dashboard site is written to."""

    path: str = "build/site"


def resources_for(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    return {
        "warehouse": WarehouseResource(path=str(settings.warehouse)),
        "landing": LandingResource(inbox=str(settings.inbox), max_bytes=settings.max_bytes),
        "site": SiteResource(path=str(settings.site)),
    }


def warehouse_of(resource: WarehouseResource) -> Warehouse:
    return resource.get()
