"""Settings read once from the environment; the CLI overrides them with its flags.

Local and production differ only in these values (paths, limits), never in code branches.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SQL_DIR = REPO / "sql"
SAMPLE_INBOX = REPO / "samples" / "inbox"


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value) if value else default


@dataclass(frozen=True)
class Settings:
    inbox: Path = field(default_factory=lambda: _path("CIVICSPACE_INBOX", SAMPLE_INBOX))
    warehouse: Path = field(
        default_factory=lambda: _path("CIVICSPACE_WAREHOUSE", Path("build/warehouse.duckdb"))
    )
    site: Path = field(default_factory=lambda: _path("CIVICSPACE_SITE", Path("build/site")))
    max_bytes: int = field(
        default_factory=lambda: int(os.environ.get("CIVICSPACE_MAX_BYTES", 20_000_000))
    )
    crawl_state: Path = field(
        default_factory=lambda: _path("CIVICSPACE_CRAWL_STATE", Path("build/crawl"))
    )
    sources: Path = field(
        default_factory=lambda: _path("CIVICSPACE_SOURCES", REPO / "config" / "sources.toml")
    )
    webhook_url: str | None = field(
        default_factory=lambda: os.environ.get("CIVICSPACE_WEBHOOK_URL") or None
    )


def work_path(published: Path) -> Path:
    """The pipeline's own read-write file beside the published, read-only one."""
    return published.with_name(published.stem + ".work" + published.suffix)
