"""Fetching country updates from the web into the landing folder, politely and resumably.

``crawl(listing_url, inbox=..., state_dir=...)`` reads a paginated listing page by page, and
fetches every article it lists into ``inbox/web/<host>/<safe-name>.html`` with a sidecar
``<same>.html.meta.json`` (URL, fetch time, validators), from where the ingest takes it exactly
like a dropped file. Pages that cannot be used go, with their URL and a reason, to
``inbox/web/_quarantine.jsonl``.

Polite: robots.txt (RFC 9309; Crawl-delay honoured), one request at a time with a minimum delay
per host, a clear User-Agent, conditional requests (ETag / Last-Modified), retries with
exponential backoff and jitter on 429 (Retry-After honoured), 5xx, timeouts and dropped
connections, and a size cap enforced while streaming.

Resumable: the cursor (listing pages read, articles still to fetch, next listing page) and each
article's validators live in ``state_dir/crawl_state.json``, rewritten atomically after every
article. A crawl killed at any moment continues where it stopped; a finished crawl run again
asks the server "changed since?" for every article and rewrites nothing that did not change.

Header values given to the crawler (an ``Authorization`` for instance) are sent to the listing's
own host only, and never written to logs, the state file, sidecars or the quarantine log.
"""

import contextlib
import hashlib
import json
import logging
import os
import random
import re
import tempfile
import time
import tomllib
import urllib.robotparser
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from transforms.links import compile_link_pattern, normalize_url, parse_listing

try:  # POSIX advisory lock: two crawls must not share one state file at the same time.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("civicspace.crawler")

USER_AGENT = "civicspace-crawler/0.1 (+https://github.com/civicspace)"
STATE_FILE = "crawl_state.json"
LOCK_FILE = "crawl.lock"
WEB_DIR = "web"
QUARANTINE_FILE = "_quarantine.jsonl"
SIDECAR_SUFFIX = ".meta.json"
STATE_VERSION = 1

MAX_REDIRECTS = 5
MAX_RETRY_AFTER_S = 600.0  # a server asking us to wait longer than this: give up for this run
BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 60.0
MAX_CRAWL_DELAY_S = 60.0  # robots.txt Crawl-delay is honoured up to this
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = ("text/html", "application/xhtml+xml")
SNIFF_TYPES = ("", "text/plain", "application/octet-stream", "binary/octet-stream")
CONTENT_QUARANTINE = ("not_html", "too_large", "empty")  # decided by the content: remembered


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class SourceConfig:
    """One scheduled source of ``config/sources.toml``.

    ``auth_env`` names the environment variable that holds the value of header ``auth_header``;
    the secret itself never lives in the configuration (nor in this object).
    """

    name: str
    listing_url: str
    link_pattern: str | None = None
    max_pages: int = 50
    min_delay_s: float = 1.0
    max_bytes: int = 5_000_000
    timeout_s: float = 20.0
    max_retries: int = 4
    auth_header: str | None = None
    auth_env: str | None = None
    enabled: bool = True

    def headers(self, environ: Mapping[str, str] | None = None) -> dict[str, str]:
        """Extra request headers: the auth header filled from its variable, when it is set."""
        env = os.environ if environ is None else environ
        if self.auth_header and self.auth_env and env.get(self.auth_env):
            return {self.auth_header: env[self.auth_env]}
        return {}

    def crawl_kwargs(self, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Keyword arguments for :func:`crawl` (add ``inbox`` and ``state_dir``)."""
        return {
            "link_pattern": self.link_pattern,
            "max_pages": self.max_pages,
            "max_bytes": self.max_bytes,
            "min_delay_s": self.min_delay_s,
            "timeout_s": self.timeout_s,
            "max_retries": self.max_retries,
            "headers": self.headers(environ) or None,
        }


_SOURCE_KEYS = {
    "name": str,
    "listing_url": str,
    "link_pattern": str,
    "max_pages": int,
    "min_delay_s": float,
    "max_bytes": int,
    "timeout_s": float,
    "max_retries": int,
    "auth_header": str,
    "auth_env": str,
    "enabled": bool,
}
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _coerce(key: str, value: Any, where: str, problems: list[str]) -> Any:
    kind = _SOURCE_KEYS[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        problems.append(f"{where}: {key} must be {kind.__name__}, not {type(value).__name__}")
        return None
    return value


def _source_problems(src: SourceConfig, where: str) -> list[str]:
    problems = []
    if normalize_url(src.listing_url) is None:
        problems.append(f"{where}: listing_url {src.listing_url!r} is not an http(s) URL")
    _, err = compile_link_pattern(src.link_pattern)
    if err:
        problems.append(f"{where}: {err}")
    if src.max_pages < 1 or src.max_bytes < 1 or src.max_retries < 0:
        problems.append(f"{where}: max_pages and max_bytes must be >= 1, max_retries >= 0")
    if src.min_delay_s < 0 or src.timeout_s <= 0:
        problems.append(f"{where}: min_delay_s must be >= 0 and timeout_s > 0")
    if bool(src.auth_header) != bool(src.auth_env):
        problems.append(f"{where}: auth_header and auth_env go together")
    if src.auth_header and not _HEADER_NAME.match(src.auth_header):
        problems.append(f"{where}: auth_header {src.auth_header!r} is not a header name")
    if src.auth_env and not _ENV_NAME.match(src.auth_env):
        problems.append(
            f"{where}: auth_env must be the NAME of an environment variable, not a value"
        )
    return problems


def load_sources(path: Path) -> list[SourceConfig]:
    """The sources of a TOML file: ``[defaults]`` then one ``[[source]]`` table per source.

    Raises ``ValueError`` naming every problem (unknown keys, wrong types, bad URL or regex,
    a secret where an environment variable name is expected), ``FileNotFoundError`` if absent.
    """
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    problems: list[str] = []
    defaults_raw = data.get("defaults", {})
    if not isinstance(defaults_raw, dict):
        raise ValueError(f"{path}: [defaults] must be a table")
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ValueError(f"{path}: sources are [[source]] tables")
    for key in set(data) - {"defaults", "source"}:
        problems.append(f"{path}: unknown top-level key {key!r}")

    defaults: dict[str, Any] = {}
    for key, value in defaults_raw.items():
        if key not in _SOURCE_KEYS or key in ("name", "listing_url"):
            problems.append(f"{path} [defaults]: unknown key {key!r}")
        else:
            defaults[key] = _coerce(key, value, f"{path} [defaults]", problems)

    sources: list[SourceConfig] = []
    names: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        where = f"{path} source #{i}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: not a table")
            continue
        values = dict(defaults)
        for key, value in entry.items():
            if key not in _SOURCE_KEYS:
                problems.append(f"{where}: unknown key {key!r}")
            else:
                values[key] = _coerce(key, value, where, problems)
        if not values.get("name") or not values.get("listing_url"):
            problems.append(f"{where}: name and listing_url are required")
            continue
        if values["name"] in names:
            problems.append(f"{where}: duplicate name {values['name']!r}")
        names.add(values["name"])
        values = {k: v for k, v in values.items() if v is not None}
        src = SourceConfig(**values)
        problems.extend(_source_problems(src, f"{where} ({src.name})"))
        sources.append(src)
    if problems:
        raise ValueError("invalid sources file:\n  " + "\n  ".join(problems))
    return sources


# --------------------------------------------------------------------------- report and names


@dataclass
class CrawlReport:
    """What one call of :func:`crawl` did.

    ``listed``: unique article links found on the listing pages of this run (a resumed run
    counts those found before the interruption too). ``fetched``: articles written (new or
    changed). ``not_modified``: articles the server said (304), or the bytes showed, had not
    changed. ``files``: the article files written. ``error``: why the crawl could not run.
    """

    listed: int = 0
    fetched: int = 0
    not_modified: int = 0
    skipped_robots: int = 0
    quarantined: list[dict] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    pages: int = 0
    resumed: bool = False
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain values (for JSON output of the CLI, or Dagster metadata)."""
        return {
            "pages": self.pages,
            "listed": self.listed,
            "fetched": self.fetched,
            "not_modified": self.not_modified,
            "skipped_robots": self.skipped_robots,
            "quarantined": len(self.quarantined),
            "files": [str(f) for f in self.files],
            "resumed": self.resumed,
            "error": self.error,
        }

    def summary(self) -> str:
        text = (
            f"{self.pages} listing page(s), {self.listed} article link(s): {self.fetched} "
            f"fetched, {self.not_modified} not modified, {self.skipped_robots} skipped by "
            f"robots.txt, {len(self.quarantined)} quarantined"
        )
        return (
            text
            + ("; resumed" if self.resumed else "")
            + (f"; error: {self.error}" if self.error else "")
        )


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_PAGE_EXT = re.compile(r"\.(html?|php|aspx?|jsp|cfm)$", re.IGNORECASE)


def host_dir(url: str) -> str:
    """Folder name for a URL's host: ``example.org``, ``127.0.0.1_8080``."""
    parts = urlsplit(url)
    host = (parts.hostname or "unknown-host").lower()
    name = host if parts.port is None else f"{host}_{parts.port}"
    name = _UNSAFE.sub("_", name).strip("._-")
    return name or "unknown-host"


def safe_name(url: str) -> str:
    """A file name for a URL: a readable slug of its path and query plus a short hash.

    Only ``[A-Za-z0-9._-]``, no leading dot, no ``..``, at most about 100 characters; two URLs
    never share a name (the hash is of the whole URL).
    """
    parts = urlsplit(url)
    stem = unquote(parts.path) + (f"-{unquote(parts.query)}" if parts.query else "")
    slug = _UNSAFE.sub("-", stem)
    slug = re.sub(r"\.{2,}", ".", slug)
    slug = _PAGE_EXT.sub("", slug.strip("-._")).strip("-._").lower()[:80].strip("-._")
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]
    return f"{slug or 'index'}-{digest}.html"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- files


def _atomic_write(path: Path, data: bytes) -> None:
    """Write to a hidden temporary file beside ``path``, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _json_bytes(obj: Any) -> bytes:
    return (json.dumps(obj, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _fresh_state() -> dict[str, Any]:
    return {"version": STATE_VERSION, "runs": {}, "articles": {}}


def _load_state(state_dir: Path) -> dict[str, Any]:
    path = state_dir / STATE_FILE
    if not path.exists():
        return _fresh_state()
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if (
            isinstance(state, dict)
            and state.get("version") == STATE_VERSION
            and isinstance(state.get("runs"), dict)
            and isinstance(state.get("articles"), dict)
        ):
            return state
        reason = "unknown layout"
    except (OSError, ValueError) as exc:
        reason = str(exc)
    aside = path.with_name(f"{STATE_FILE}.unreadable-{int(time.time())}")
    with contextlib.suppress(OSError):
        os.replace(path, aside)
    log.warning("crawl state %s unreadable (%s): moved to %s, starting afresh", path, reason, aside)
    return _fresh_state()


def _save_state(state_dir: Path, state: dict[str, Any]) -> None:
    _atomic_write(state_dir / STATE_FILE, _json_bytes(state))


@contextlib.contextmanager
def _state_lock(state_dir: Path) -> Iterator[bool]:
    """Hold an exclusive lock on the state folder; yields False when another crawl holds it."""
    if fcntl is None:  # pragma: no cover
        yield True
        return
    with open(state_dir / LOCK_FILE, "a+b") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _sweep_parts(folder: Path, pattern: str, older_than_s: float = 3600.0) -> None:
    """Remove temporary files left by a crawl that was killed while writing."""
    cutoff = time.time() - older_than_s
    for part in folder.glob(pattern):
        with contextlib.suppress(OSError):
            if part.stat().st_mtime < cutoff:
                part.unlink()


# --------------------------------------------------------------------------- fetching


@dataclass
class _Fetched:
    """The outcome of one GET (after redirects and retries)."""

    url: str  # final URL
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    reason: str | None = None  # quarantine reason when the fetch failed
    detail: str = ""
    robots_blocked: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def mime(self) -> str:
        return self.content_type.split(";", 1)[0].strip().lower()


class _Failed(Exception):
    def __init__(self, reason: str, detail: str, retryable: bool, wait_s: float | None = None):
        super().__init__(detail)
        self.reason, self.detail, self.retryable, self.wait_s = reason, detail, retryable, wait_s


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or ""), parts.port


def _looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--")) or (
        b"<html" in head
    )


class _Fetcher:
    """One request at a time, per-host delay, robots.txt, retries, redirects, size cap."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        private_headers: Mapping[str, str],
        private_origin: tuple[str, str, int | None],
        min_delay_s: float,
        timeout_s: float,
        max_retries: int,
        max_bytes: int,
        sleep: Callable[[float], Any],
        rng: random.Random,
    ) -> None:
        self.client = client
        self.private_headers = dict(private_headers)
        self.private_origin = private_origin
        self.min_delay_s = min_delay_s
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.max_bytes = max_bytes
        self.sleep = sleep
        self.rng = rng
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | bool] = {}

    # -- politeness
    def _host_key(self, url: str) -> str:
        scheme, host, port = _origin(url)
        return f"{scheme}://{host}:{port or ''}"

    def _delay_for(self, url: str) -> float:
        delay = self.min_delay_s
        rp = self._robots.get(self._host_key(url))
        if isinstance(rp, urllib.robotparser.RobotFileParser):
            crawl_delay = rp.crawl_delay(USER_AGENT)
            if crawl_delay is not None:
                delay = max(delay, min(float(crawl_delay), MAX_CRAWL_DELAY_S))
        return delay

    def _wait_turn(self, url: str) -> None:
        key = self._host_key(url)
        last = self._last.get(key)
        if last is not None:
            wait = self._delay_for(url) - (time.monotonic() - last)
            if wait > 0:
                self.sleep(wait)
        self._last[key] = time.monotonic()

    def _headers_for(self, url: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
        }
        if _origin(url) == self.private_origin:
            headers.update(self.private_headers)
        if extra:
            headers.update(extra)
        return headers

    def allowed(self, url: str) -> bool:
        """robots.txt of the URL's host allows us (fetched once per host and crawl)."""
        key = self._host_key(url)
        if key not in self._robots:
            self._robots[key] = self._read_robots(url)
        rp = self._robots[key]
        if isinstance(rp, bool):
            return rp
        return rp.can_fetch(USER_AGENT, url)

    def _read_robots(self, url: str) -> urllib.robotparser.RobotFileParser | bool:
        scheme, _, _ = _origin(url)
        robots_url = f"{scheme}://{urlsplit(url).netloc}/robots.txt"
        try:
            resp = self._get_once_with_retries(robots_url, None, read_body=True, is_robots=True)
        except _Failed as exc:
            # RFC 9309: an unreachable robots.txt (5xx, network) means "assume disallowed".
            log.warning("robots.txt %s unreachable (%s): host skipped", robots_url, exc.detail)
            return False
        if 400 <= resp.status < 500:
            return True  # RFC 9309: unavailable means no restrictions
        if resp.status != 200:
            return False
        rp = urllib.robotparser.RobotFileParser(robots_url)
        rp.parse(resp.body.decode("utf-8", errors="replace").splitlines())
        return rp

    # -- one GET, with retries
    def _get_once_with_retries(
        self,
        url: str,
        extra: Mapping[str, str] | None,
        *,
        read_body: bool,
        is_robots: bool = False,
    ) -> _Fetched:
        attempt = 0
        while True:
            self._wait_turn(url)
            try:
                return self._get_once(url, extra, read_body=read_body, is_robots=is_robots)
            except _Failed as exc:
                if not exc.retryable or attempt >= self.max_retries:
                    if exc.retryable:
                        exc.detail += f" (after {attempt + 1} attempts)"
                    raise
                if exc.wait_s is not None:
                    if exc.wait_s > MAX_RETRY_AFTER_S:
                        exc.reason = "rate_limited"
                        exc.detail += f"; Retry-After {exc.wait_s:.0f} s is too long to wait"
                        raise
                    wait = exc.wait_s
                else:
                    backoff = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**attempt)
                    wait = backoff + self.rng.uniform(0, BACKOFF_BASE_S)
                log.info("retrying %s in %.1f s: %s", url, wait, exc.detail)
                self.sleep(wait)
                attempt += 1

    def _get_once(
        self, url: str, extra: Mapping[str, str] | None, *, read_body: bool, is_robots: bool
    ) -> _Fetched:
        deadline = time.monotonic() + 3 * self.timeout_s
        cap = 500_000 if is_robots else self.max_bytes
        try:
            request = self.client.build_request(
                "GET",
                url,
                headers=self._headers_for(url, extra),
                timeout=httpx.Timeout(self.timeout_s),
            )
            response = self.client.send(request, stream=True, follow_redirects=False)
        except httpx.TimeoutException as exc:
            raise _Failed(
                "timeout", f"no answer within {self.timeout_s:g} s ({type(exc).__name__})", True
            ) from None
        except httpx.TransportError as exc:
            raise _Failed("network_error", f"{type(exc).__name__}: {exc}", True) from None
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            raise _Failed("fetch_failed", f"{type(exc).__name__}: {exc}", False) from None
        try:
            status = response.status_code
            headers = {k.lower(): v for k, v in response.headers.items()}
            got = _Fetched(url=url, status=status, headers=headers)
            if status in RETRY_STATUSES:
                wait = _retry_after(headers.get("retry-after")) if status in (429, 503) else None
                reason = "rate_limited" if status == 429 else "http_error"
                raise _Failed(reason, f"HTTP {status} {response.reason_phrase}", True, wait)
            if not (200 <= status < 300) or not read_body:
                return got
            if not is_robots:
                length = headers.get("content-length", "")
                if length.isdigit() and int(length) > cap:
                    got.reason, got.detail = (
                        "too_large",
                        (f"Content-Length {int(length)} bytes is over the cap of {cap} bytes"),
                    )
                    return got
                if got.mime not in HTML_TYPES and got.mime not in SNIFF_TYPES:
                    got.reason, got.detail = "not_html", f"content type {got.mime!r} is not HTML"
                    return got
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > cap:
                    if is_robots:  # RFC 9309: parse at least the first 500 KiB
                        got.body = b"".join(chunks)
                        return got
                    got.reason, got.detail = "too_large", f"more than {cap} bytes (stopped reading)"
                    return got
                if time.monotonic() > deadline:
                    raise _Failed(
                        "timeout", f"body not complete within {3 * self.timeout_s:g} s", True
                    )
                chunks.append(chunk)
            got.body = b"".join(chunks)
            return got
        except httpx.TimeoutException as exc:
            raise _Failed(
                "timeout", f"body stalled past {self.timeout_s:g} s ({type(exc).__name__})", True
            ) from None
        except httpx.TransportError as exc:
            raise _Failed("network_error", f"{type(exc).__name__}: {exc}", True) from None
        except httpx.DecodingError as exc:
            raise _Failed("fetch_failed", f"undecodable body: {exc}", False) from None
        finally:
            response.close()

    def get(self, url: str, conditional: Mapping[str, str] | None = None) -> _Fetched:
        """GET with robots.txt, redirects (each hop checked), retries; never raises."""
        current, seen = url, {url}
        for _ in range(MAX_REDIRECTS + 1):
            if not self.allowed(current):
                return _Fetched(url=current, robots_blocked=True)
            try:
                got = self._get_once_with_retries(current, conditional, read_body=True)
            except _Failed as exc:
                return _Fetched(url=current, reason=exc.reason, detail=exc.detail)
            if got.status not in REDIRECT_STATUSES:
                return got
            target = normalize_url(got.headers.get("location", ""), current)
            if target is None:
                return _Fetched(
                    url=current,
                    status=got.status,
                    reason="redirect_error",
                    detail=f"HTTP {got.status} without a usable Location",
                )
            if target in seen:
                return _Fetched(
                    url=current,
                    status=got.status,
                    reason="redirect_error",
                    detail=f"redirect loop back to {target}",
                )
            log.info("redirect %s -> %s (%d)", current, target, got.status)
            seen.add(target)
            current = target
        return _Fetched(
            url=current, reason="redirect_error", detail=f"more than {MAX_REDIRECTS} redirects"
        )


# --------------------------------------------------------------------------- the crawl


def _decode(body: bytes, content_type: str) -> str:
    m = re.search(r"charset=[\"']?([A-Za-z0-9._-]+)", content_type)
    if m:
        try:
            return body.decode(m.group(1), errors="replace")
        except LookupError:
            pass
    return body.decode("utf-8", errors="replace")


def _same_bytes(path: Path, digest: str) -> bool:
    try:
        return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == digest
    except OSError:
        return False


class _Crawl:
    def __init__(
        self,
        report: CrawlReport,
        fetcher: _Fetcher,
        inbox: Path,
        state_dir: Path,
        state: dict[str, Any],
        listing: str,
    ) -> None:
        self.report, self.fetcher, self.state, self.listing = report, fetcher, state, listing
        self.inbox, self.state_dir = inbox, state_dir
        self.web = inbox / WEB_DIR

    def save(self) -> None:
        _save_state(self.state_dir, self.state)

    def quarantine(self, url: str, reason: str, detail: str) -> None:
        row = {"url": url, "reason": reason, "detail": detail, "seen_at": _now()}
        self.report.quarantined.append(row)
        log.warning("quarantined %s: %s (%s)", url, reason, detail)
        self.web.mkdir(parents=True, exist_ok=True)
        with open(self.web / QUARANTINE_FILE, "a", encoding="utf-8") as f:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())

    # -- one listing page
    def list_page(self, run: dict[str, Any], page: str, pattern: re.Pattern[str] | None) -> None:
        run["pages"].append(page)
        run["next_page"] = None
        self.report.pages += 1
        got = self.fetcher.get(page)
        if got.robots_blocked:
            self.report.skipped_robots += 1
            log.info("listing page %s disallowed by robots.txt", page)
        elif got.reason:
            self.quarantine(page, got.reason, f"listing page: {got.detail}")
        elif got.status != 200:
            self.quarantine(page, "http_error", f"listing page: HTTP {got.status}")
        elif not (got.mime in HTML_TYPES or _looks_like_html(got.body)):
            self.quarantine(page, "not_html", f"listing page: content type {got.mime!r}")
        else:
            found = parse_listing(_decode(got.body, got.content_type), got.url, pattern)
            listed = set(run["listed"])
            fresh = [u for u in found.links if u not in listed and u not in run["pages"]]
            run["listed"].extend(fresh)
            run["queue"].extend(fresh)
            nxt = found.next_url
            if nxt and nxt not in run["pages"] and nxt != got.url:
                run["next_page"] = nxt
            log.info(
                "listing %s: %d link(s), %d new, next %s",
                page,
                len(found.links),
                len(fresh),
                run["next_page"],
            )
        self.save()

    # -- one article
    def fetch_article(self, url: str) -> None:
        known = self.state["articles"].get(url) or {}
        conditional: dict[str, str] = {}
        if known.get("etag"):
            conditional["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            conditional["If-Modified-Since"] = known["last_modified"]
        got = self.fetcher.get(url, conditional or None)
        if got.robots_blocked:
            self.report.skipped_robots += 1
            log.info("article %s disallowed by robots.txt", url)
            return
        validators = {
            "etag": got.headers.get("etag"),
            "last_modified": got.headers.get("last-modified"),
        }
        if got.status == 304:
            self.report.not_modified += 1
            known["checked_at"] = _now()
            self.state["articles"][url] = known
            return
        if got.reason is None and got.status != 200:
            got.reason, got.detail = "http_error", f"HTTP {got.status}"
        if got.reason is None and not got.body.strip():
            got.reason, got.detail = "empty", "the page is empty"
        if got.reason is None and not (
            got.mime in HTML_TYPES or (got.mime in SNIFF_TYPES and _looks_like_html(got.body))
        ):
            got.reason, got.detail = "not_html", f"content type {got.mime!r} is not HTML"
        if got.reason:
            detail = got.detail if got.url == url else f"{got.detail} (listed as {url})"
            self.quarantine(got.url, got.reason, detail)
            if got.reason in CONTENT_QUARANTINE and (
                validators["etag"] or validators["last_modified"]
            ):
                # Remembered with its validators: next time a 304 spares refetching it.
                self.state["articles"][url] = {
                    **validators,
                    "quarantined": got.reason,
                    "final_url": got.url,
                    "checked_at": _now(),
                }
            return
        digest = hashlib.sha256(got.body).hexdigest()
        target = self.web / host_dir(got.url) / safe_name(got.url)
        if _same_bytes(target, digest):
            # Unchanged content (a server without validators, a state file lost, or two listed
            # URLs redirecting to one page): the file on disk stays as it is.
            self.report.not_modified += 1
            self.state["articles"][url] = {
                **known,
                **validators,
                "final_url": got.url,
                "file": target.relative_to(self.inbox).as_posix(),
                "sha256": digest,
                "checked_at": _now(),
            }
            return
        fetched_at = _now()
        meta = {
            "url": got.url,
            "fetched_at": fetched_at,
            "etag": validators["etag"],
            "last_modified": validators["last_modified"],
            "status": got.status,
            "content_type": got.content_type or None,
            "listing_url": self.listing,
        }
        if got.url != url:
            meta["requested_url"] = url
        # The sidecar goes first, so an ingest that sees the page also sees its URL.
        _atomic_write(target.with_name(target.name + SIDECAR_SUFFIX), _json_bytes(meta))
        _atomic_write(target, got.body)
        self.report.fetched += 1
        self.report.files.append(target)
        self.state["articles"][url] = {
            **validators,
            "final_url": got.url,
            "file": target.relative_to(self.inbox).as_posix(),
            "sha256": digest,
            "fetched_at": fetched_at,
            "checked_at": fetched_at,
        }
        log.info("fetched %s -> %s (%d bytes)", url, target.name, len(got.body))

    def run(self, start: str, pattern: re.Pattern[str] | None, max_pages: int) -> None:
        runs = self.state["runs"]
        run = runs.get(start)
        if run and not run.get("finished_at"):
            self.report.resumed = True
            log.info("resuming the crawl of %s started %s", start, run.get("started_at"))
        else:
            run = {
                "started_at": _now(),
                "finished_at": None,
                "next_page": start,
                "pages": [],
                "listed": [],
                "queue": [],
            }
            runs[start] = run
            self.save()
        while True:
            while run["queue"]:
                url = run["queue"][0]
                self.fetch_article(url)
                run["queue"].pop(0)
                self.save()
            if not run["next_page"] or len(run["pages"]) >= max_pages:
                break
            self.list_page(run, run["next_page"], pattern)
        run["finished_at"] = _now()
        run["next_page"] = None
        self.report.listed = len(run["listed"])
        self.save()


def crawl(
    listing_url: str,
    *,
    inbox: Path,
    state_dir: Path,
    link_pattern: str | None = None,
    max_pages: int = 50,
    max_bytes: int = 5_000_000,
    min_delay_s: float = 1.0,
    timeout_s: float = 20.0,
    max_retries: int = 4,
    headers: dict | None = None,
    client: httpx.Client | None = None,
    sleep: Callable[[float], Any] = time.sleep,
) -> CrawlReport:
    """Crawl one listing (following its pages) into ``inbox/web/``; see the module docstring.

    Never raises for bad input or network trouble: a crawl that cannot start returns a report
    with ``error`` set; pages that cannot be used are in ``quarantined``.
    """
    report = CrawlReport()
    start = normalize_url(listing_url) if isinstance(listing_url, str) else None
    if start is None:
        report.error = f"not an http(s) URL: {listing_url!r}"
        return report
    pattern, err = compile_link_pattern(link_pattern)
    if err:
        report.error = err
        return report
    if max_pages < 1 or max_bytes < 1 or max_retries < 0 or min_delay_s < 0 or timeout_s <= 0:
        report.error = (
            "max_pages, max_bytes must be >= 1, max_retries, min_delay_s >= 0, timeout_s > 0"
        )
        return report
    inbox, state_dir = Path(inbox), Path(state_dir)
    try:
        (inbox / WEB_DIR).mkdir(parents=True, exist_ok=True)
        state_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        report.error = f"cannot create the inbox or state folder: {exc}"
        return report

    own_client = client is None
    http = client or httpx.Client(headers={"User-Agent": USER_AGENT}, follow_redirects=False)
    try:
        with _state_lock(state_dir) as locked:
            if not locked:
                report.error = f"another crawl is using the state folder {state_dir}"
                return report
            _sweep_parts(inbox / WEB_DIR, "*/.*.part")
            _sweep_parts(state_dir, ".*.part")
            fetcher = _Fetcher(
                http,
                private_headers={str(k): str(v) for k, v in (headers or {}).items()},
                private_origin=_origin(start),
                min_delay_s=min_delay_s,
                timeout_s=timeout_s,
                max_retries=max_retries,
                max_bytes=max_bytes,
                sleep=sleep,
                rng=random.Random(),
            )
            job = _Crawl(report, fetcher, inbox, state_dir, _load_state(state_dir), start)
            try:
                job.run(start, pattern, max_pages)
            except OSError as exc:  # disk full, permissions: stop, the cursor is saved
                report.error = f"writing failed: {exc}"
                log.error("crawl of %s stopped: %s", start, report.error)
            except Exception as exc:  # a bug must not take the schedule down; cursor is saved
                report.error = f"crawl failed: {type(exc).__name__}: {exc}"
                log.exception("crawl of %s stopped", start)
    finally:
        if own_client:
            http.close()
    log.info("crawl of %s: %s", start, report.summary())
    return report


def crawl_sources(
    sources: list[SourceConfig],
    *,
    inbox: Path,
    state_dir: Path,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> dict[str, CrawlReport]:
    """Crawl every enabled source one after the other (for the schedule): name -> report.

    ``overrides`` go to :func:`crawl` as they are (``client``, ``sleep``, ``max_pages``...).
    """
    reports: dict[str, CrawlReport] = {}
    for src in sources:
        if not src.enabled:
            continue
        kwargs = {**src.crawl_kwargs(environ), **overrides}
        reports[src.name] = crawl(src.listing_url, inbox=inbox, state_dir=state_dir, **kwargs)
    return reports
