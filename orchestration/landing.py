"""Reading the landing folder safely: the only place that touches the files people drop.

Refused here, each with a reason (they become ``raw.quarantine`` rows): symbolic links (they
could point out of the folder), names that are not plain relative paths, special files, files
larger than the limit (not read at all). Crawler sidecars (``X.meta.json``) give a page its URL
and fetch time; the crawler's own quarantine log is carried over.
"""

import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

SIDECAR_SUFFIX = ".meta.json"
CRAWL_QUARANTINE = "_quarantine.jsonl"
IGNORED_NAMES = {"_expected.json", "README.md", ".gitkeep"}
TEMP_SUFFIXES = (".tmp", ".part")  # files still being written by the crawler or a copy


@dataclass(frozen=True)
class LandedFile:
    name: str  # path relative to the inbox, '/'-separated
    data: bytes
    source_url: str | None = None
    fetched_at: datetime | None = None


@dataclass(frozen=True)
class Refused:
    name: str
    reason: str
    detail: str


@dataclass(frozen=True)
class CrawlRejection:
    url: str
    reason: str
    detail: str


def _safe_name(rel: str) -> bool:
    parts = rel.split("/")
    return bool(rel) and not rel.startswith("/") and all(
        p not in ("", ".", "..") and "\x00" not in p for p in parts
    )


def _sidecar(path: Path) -> tuple[str | None, datetime | None]:
    meta = path.with_name(path.name + SIDECAR_SUFFIX)
    if not meta.is_file() or meta.is_symlink():
        return None, None
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
        fetched = info.get("fetched_at")
        when = datetime.fromisoformat(fetched).replace(tzinfo=None) if fetched else None
        url = info.get("url")
        return (url if isinstance(url, str) else None), when
    except (ValueError, OSError, AttributeError):
        return None, None


def scan(inbox: Path, *, max_bytes: int) -> Iterator[LandedFile | Refused | CrawlRejection]:
    """Every file below ``inbox`` in a stable order: read, refused with a reason, or a crawl rejection."""
    inbox = Path(inbox)
    if not inbox.is_dir():
        raise FileNotFoundError(f"landing folder {inbox} does not exist")
    root = inbox.resolve()
    for dirpath, dirnames, filenames in os.walk(inbox, followlinks=False):
        dirnames.sort()
        here = Path(dirpath)
        for d in list(dirnames):
            if (here / d).is_symlink():
                dirnames.remove(d)
                rel = (here / d).relative_to(inbox).as_posix()
                yield Refused(rel, "symlink", "a symbolic link to a folder is not followed")
        for fname in sorted(filenames):
            path = here / fname
            rel = path.relative_to(inbox).as_posix()
            if fname in IGNORED_NAMES or fname.endswith(SIDECAR_SUFFIX) or fname.endswith(TEMP_SUFFIXES):
                continue
            if fname.startswith("."):
                yield Refused(rel, "hidden", "hidden files (names starting with '.') are not ingested")
                continue
            if fname == CRAWL_QUARANTINE:
                yield from _crawl_rejections(path)
                continue
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError:
                shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                yield Refused(shown, "bad_name", "the file name is not valid UTF-8")
                continue
            if not _safe_name(rel):
                yield Refused(rel, "bad_name", "the file name is not a plain relative path")
                continue
            try:
                st = os.lstat(path)
            except OSError as e:
                yield Refused(rel, "unreadable", f"cannot stat the file: {e.strerror}")
                continue
            if stat.S_ISLNK(st.st_mode):
                yield Refused(rel, "symlink", "symbolic links are not followed (they may point out of the landing folder)")
                continue
            if not stat.S_ISREG(st.st_mode):
                yield Refused(rel, "not_a_file", "not a regular file")
                continue
            if not path.resolve().is_relative_to(root):
                yield Refused(rel, "outside_inbox", "the file resolves outside the landing folder")
                continue
            if st.st_size > max_bytes:
                yield Refused(rel, "too_large", f"{st.st_size} bytes is over the limit of {max_bytes} bytes")
                continue
            try:
                with open(path, "rb") as f:
                    data = f.read(max_bytes + 1)
            except OSError as e:
                yield Refused(rel, "unreadable", f"cannot read the file: {e.strerror}")
                continue
            url, fetched = _sidecar(path)
            yield LandedFile(rel, data, url, fetched)


def _crawl_rejections(path: Path) -> Iterator[CrawlRejection]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    for line in lines:
        try:
            row = json.loads(line)
            yield CrawlRejection(str(row["url"]), str(row["reason"]), str(row.get("detail", "")))
        except (ValueError, KeyError, TypeError):
            continue


def fingerprint(inbox: Path) -> dict[str, str]:
    """name -> 'size:mtime_ns' for every file: what a sensor compares between ticks."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(inbox, followlinks=False):
        dirnames.sort()
        for fname in filenames:
            path = Path(dirpath) / fname
            try:
                st = os.lstat(path)
            except OSError:
                continue
            out[path.relative_to(inbox).as_posix()] = f"{st.st_size}:{st.st_mtime_ns}"
    return out
