"""orchestration.crawler against a local HTTP server serving tests/fixtures/site (no internet).

The server adds the behaviours a real site shows now and then: a 429 with Retry-After, a 500
then success, a redirect, a slow page, a huge page, a PDF, a robots.txt forbidding one path, and
ETag / Last-Modified validators answered with 304. ``sleep`` is injected, so nothing really
waits for rate limits or backoff; only the timeout test waits (twice 1 s).
"""

import email.utils
import hashlib
import json
import logging
import mimetypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from orchestration.crawler import (
    QUARANTINE_FILE,
    STATE_FILE,
    USER_AGENT,
    CrawlReport,
    SourceConfig,
    _retry_after,
    crawl,
    crawl_sources,
    host_dir,
    load_sources,
    safe_name,
)

REPO = Path(__file__).resolve().parents[1]
SITE = Path(__file__).parent / "fixtures" / "site"
PATTERN = r"/updates/(\d{4}|old|drafts)/"

KAZ = "/updates/2024/01/kazakhstan-bloggers-fined/"
SRB = "/updates/2024/02/serbia-association-registry/"  # served without an ETag
GEO = "/updates/2024/03/georgia-rally-permits/"  # 429 + Retry-After first
KGZ = "/updates/2024/04/kyrgyzstan-media-law/"  # 500 first
OLD = "/updates/old/tajikistan-lawyers/"  # 301 -> TJK
TJK = "/updates/2024/05/tajikistan-lawyers-update/"
DRAFT = "/updates/drafts/internal-note/"  # forbidden by robots.txt
PDF = "/updates/2024/06/annual-brief.pdf"  # not HTML
SLOW = "/updates/2024/07/uzbekistan-slow-page/"  # past the timeout
HUGE = "/updates/2024/08/belarus-long-digest/"  # over max_bytes, no Content-Length
AZE = "/updates/2024/09/azerbaijan-ngo-funding/"
FETCHED = [KAZ, SRB, GEO, KGZ, TJK, AZE]
LAST_MODIFIED = email.utils.formatdate(1_700_000_000, usegmt=True)


# --------------------------------------------------------------------------- the test server


class Site:
    """The fixture site plus behaviours; every request is logged (path, headers)."""

    def __init__(self, *, tricks: bool = True) -> None:
        self.tricks = tricks
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.gate = threading.Event()
        self.gate.set()
        self.gated: set[str] = set()
        self.slow_s = 2.5
        self.huge_bytes = 200_000
        self.base = ""

    def paths(self) -> list[str]:
        with self.lock:
            return [p for p, _ in self.requests]

    def mark(self) -> int:
        with self.lock:
            return len(self.requests)

    def since(self, mark: int) -> list[tuple[str, dict[str, str]]]:
        with self.lock:
            return list(self.requests[mark:])


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep pytest output clean
            pass

        def _send(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                if body:
                    self.wfile.write(body)
            except OSError:  # the crawler gave up on us (timeout, size cap)
                pass

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            with site.lock:
                site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                site.counts[path] += 1
                n = site.counts[path]
            if path in site.gated:
                site.gate.wait(60)
            if site.tricks and path == GEO and n == 1:
                return self._send(429, {"Retry-After": "7", "Content-Length": "0"})
            if site.tricks and path == KGZ and n == 1:
                return self._send(500, {"Content-Length": "0"})
            if path == OLD:
                return self._send(301, {"Location": TJK, "Content-Length": "0"})
            if path == SLOW:
                time.sleep(site.slow_s)
            if path == HUGE:
                return self._huge()
            self._static(path)

        def _huge(self) -> None:
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()  # no Content-Length: the crawler must stop by itself
                chunk = b"<p>" + b"long digest " * 680 + b"</p>\n"
                sent = 0
                while sent < site.huge_bytes:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except OSError:
                pass

        def _static(self, path: str) -> None:
            rel = path.lstrip("/")
            target = (SITE / rel / "index.html") if path.endswith("/") else SITE / rel
            if not target.resolve().is_relative_to(SITE.resolve()) or not target.is_file():
                return self._send(
                    404, {"Content-Type": "text/plain", "Content-Length": "9"}, b"not found"
                )
            body = target.read_bytes()
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if ctype == "text/html":
                ctype += "; charset=utf-8"
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            headers = {"Content-Type": ctype, "Last-Modified": LAST_MODIFIED}
            if path != SRB:
                headers["ETag"] = etag
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            if (inm and inm == etag and path != SRB) or (not inm and ims == LAST_MODIFIED):
                return self._send(304, headers)
            headers["Content-Length"] = str(len(body))
            self._send(200, headers, body)

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(s))
    server.daemon_threads = True
    server.block_on_close = False
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield s
    s.gate.set()
    server.shutdown()
    server.server_close()


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def run(site: Site, tmp: Path, sleeps: Sleeps | None = None, **kw: object) -> CrawlReport:
    options: dict = {
        "link_pattern": PATTERN,
        "max_bytes": 50_000,
        "timeout_s": 1.0,
        "max_retries": 1,
        "min_delay_s": 0.5,
        "sleep": sleeps if sleeps is not None else Sleeps(),
    }
    options.update(kw)
    return crawl(f"{site.base}/updates/", inbox=tmp / "inbox", state_dir=tmp / "state", **options)


def html_files(tmp: Path) -> list[Path]:
    return sorted((tmp / "inbox" / "web").glob("*/*.html"))


# --------------------------------------------------------------------------- the full crawl


def test_crawl_fetches_exactly_what_it_should_then_nothing_new(site: Site, tmp_path: Path) -> None:
    sleeps = Sleeps()
    report = run(site, tmp_path, sleeps)

    assert report.error is None
    assert report.pages == 3
    assert report.listed == 10
    assert report.fetched == 6
    assert report.not_modified == 0
    assert report.skipped_robots == 1
    assert sorted(q["reason"] for q in report.quarantined) == ["not_html", "timeout", "too_large"]
    by_reason = {q["reason"]: q for q in report.quarantined}
    assert by_reason["not_html"]["url"].endswith(PDF)
    assert by_reason["timeout"]["url"].endswith(SLOW)
    assert by_reason["too_large"]["url"].endswith(HUGE)

    # One file per article, on disk under inbox/web/<host>/, each with its sidecar.
    files = html_files(tmp_path)
    assert files == sorted(report.files)
    assert len(files) == 6
    assert {f.parent.name for f in files} == {host_dir(site.base)}
    urls = {}
    for f in files:
        meta = json.loads(f.with_name(f.name + ".meta.json").read_text())
        assert set(meta) >= {"url", "fetched_at", "etag", "last_modified", "status", "content_type"}
        assert meta["status"] == 200 and meta["content_type"].startswith("text/html")
        assert meta["fetched_at"].endswith("+00:00")
        assert f.read_bytes() == (SITE / meta["url"].split("/", 3)[3] / "index.html").read_bytes()
        urls[meta["url"]] = meta
    assert sorted(urls) == sorted(site.base + p for p in FETCHED)
    assert urls[site.base + TJK]["requested_url"] == site.base + OLD  # the redirect
    assert urls[site.base + SRB]["etag"] is None and urls[site.base + SRB]["last_modified"]

    # Quarantine log: one JSON line per rejected page.
    rows = [
        json.loads(x) for x in (tmp_path / "inbox/web" / QUARANTINE_FILE).read_text().splitlines()
    ]
    assert [set(r) for r in rows] == [{"url", "reason", "detail", "seen_at"}] * 3

    # Politeness: robots.txt read once and obeyed, our User-Agent everywhere, waits honoured.
    paths = site.paths()
    assert paths.count("/robots.txt") == 1
    assert DRAFT not in paths
    assert all(h.get("user-agent") == USER_AGENT for _, h in site.requests)
    assert 7.0 in sleeps  # the 429's Retry-After
    assert site.counts[GEO] == 2 and site.counts[KGZ] == 2  # one retry each, then success
    assert site.counts[SLOW] == 2  # timed out twice (max_retries=1), then quarantined
    assert site.counts[HUGE] == 1 and site.counts[PDF] == 1  # not retried: content decided
    assert all(0 < s <= 0.5 for s in sleeps if s != 7.0 and s < 1)  # per-host spacing

    # Second crawl: conditional requests, nothing rewritten.
    stamps = {f: f.stat().st_mtime_ns for f in files}
    mark = site.mark()
    again = run(site, tmp_path)
    assert again.error is None and not again.resumed
    assert again.fetched == 0 and again.files == []
    assert again.not_modified == 7  # the six articles and the PDF (remembered by its ETag)
    assert sorted(q["reason"] for q in again.quarantined) == ["timeout", "too_large"]
    assert {f: f.stat().st_mtime_ns for f in html_files(tmp_path)} == stamps
    asked = {p: h for p, h in site.since(mark)}
    assert asked[KAZ]["if-none-match"].startswith('"')
    assert asked[SRB]["if-modified-since"] == LAST_MODIFIED  # Last-Modified only
    assert "if-none-match" not in asked[SRB]


def test_default_link_finder_needs_no_pattern(site: Site, tmp_path: Path) -> None:
    site.tricks = False
    report = run(site, tmp_path, link_pattern=None, max_retries=0)
    assert report.listed == 9  # the PDF is not taken as an article without a pattern
    assert report.fetched == 6
    assert len(html_files(tmp_path)) == 6


def test_max_pages_stops_pagination(site: Site, tmp_path: Path) -> None:
    report = run(site, tmp_path, max_pages=1)
    assert report.pages == 1 and report.listed == 3 and report.fetched == 3
    assert "/updates/page/2/" not in site.paths()


def test_rate_limit_spaces_requests_to_a_host(site: Site, tmp_path: Path) -> None:
    site.tricks = False
    sleeps = Sleeps()
    report = run(site, tmp_path, sleeps, min_delay_s=5.0, max_pages=1)
    assert report.fetched == 3
    # robots.txt, listing, 3 articles: every request after the first waited its turn.
    assert len([s for s in sleeps if 4.0 < s <= 5.0]) == len(site.requests) - 1


# --------------------------------------------------------------------------- resuming


CHILD = """
import sys
from pathlib import Path
from orchestration.crawler import crawl
crawl(sys.argv[1], inbox=Path(sys.argv[2]), state_dir=Path(sys.argv[3]), link_pattern=sys.argv[4],
      min_delay_s=0, timeout_s=30, max_retries=0, max_bytes=50_000)
"""


def test_crawl_killed_mid_way_resumes_where_it_stopped(site: Site, tmp_path: Path) -> None:
    site.tricks = False
    site.gated = {GEO}  # the third article hangs until the gate opens
    site.gate.clear()
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            f"{site.base}/updates/",
            str(tmp_path / "inbox"),
            str(tmp_path / "state"),
            PATTERN,
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while GEO not in site.paths():
            assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
            assert time.monotonic() < deadline, "the child crawl never reached the third article"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
        if child.stderr:
            child.stderr.close()
    assert len(html_files(tmp_path)) == 2  # killed with two articles written
    state = json.loads((tmp_path / "state" / STATE_FILE).read_text())
    assert next(iter(state["runs"].values()))["queue"][0] == site.base + GEO

    site.gate.set()
    mark = site.mark()
    report = run(site, tmp_path, max_retries=0)
    assert report.resumed and report.error is None
    resumed_paths = [p for p, _ in site.since(mark)]
    assert KAZ not in resumed_paths and SRB not in resumed_paths  # not asked again
    assert "/updates/" not in resumed_paths  # listing page 1 not read again
    assert report.fetched == 4 and report.listed == 10
    files = html_files(tmp_path)
    assert len(files) == 6  # every article exactly once
    assert sorted(
        json.loads(f.with_name(f.name + ".meta.json").read_text())["url"] for f in files
    ) == sorted(site.base + p for p in FETCHED)
    assert not list((tmp_path / "inbox" / "web").glob("*/*.part"))

    third = run(site, tmp_path, max_retries=0)
    assert not third.resumed and third.fetched == 0 and third.not_modified == 7


def test_interrupted_in_process_resumes_without_duplicates(site: Site, tmp_path: Path) -> None:
    """An exception (Ctrl-C) after the second article: the cursor is already saved."""
    site.tricks = False
    calls = Sleeps()

    class Stop(BaseException):
        pass

    def sleep(seconds: float) -> None:
        calls(seconds)
        if sum(1 for p in site.paths() if p.startswith("/updates/2024/")) >= 2:
            raise Stop

    with pytest.raises(Stop):
        run(site, tmp_path, sleep=sleep, max_pages=1)
    report = run(site, tmp_path, max_pages=1)
    assert report.resumed
    assert len(html_files(tmp_path)) == 3
    assert site.counts[KAZ] == 1


# --------------------------------------------------------------------------- credentials


def test_credentials_never_reach_logs_state_or_files(
    site: Site, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "Bearer top-secret-7f3a"
    site.tricks = False
    caplog.set_level(logging.DEBUG)
    report = run(site, tmp_path, headers={"Authorization": secret}, max_retries=0)
    assert report.fetched == 6
    assert all(h.get("authorization") == secret for _, h in site.requests)  # sent to the host
    assert secret not in caplog.text and "top-secret" not in caplog.text
    for path in [tmp_path / "state" / STATE_FILE, *(tmp_path / "inbox").rglob("*")]:
        if path.is_file():
            assert b"top-secret" not in path.read_bytes(), path
    assert "top-secret" not in repr(report) + report.summary()


def test_auth_header_is_not_sent_to_another_host(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        path = request.url.path
        if path == "/robots.txt":
            return httpx.Response(404)
        if request.url.host == "list.example" and path == "/news/":
            return httpx.Response(200, html='<main><a href="/news/a/">a</a></main>')
        if path == "/news/a/":
            return httpx.Response(302, headers={"Location": "https://mirror.example/a/"})
        return httpx.Response(200, html="<html><body><p>article</p></body></html>")

    client = httpx.Client(transport=httpx.MockTransport(handler))
    report = crawl(
        "https://list.example/news/",
        inbox=tmp_path / "in",
        state_dir=tmp_path / "st",
        headers={"Authorization": "token-abc"},
        client=client,
        sleep=Sleeps(),
    )
    assert report.fetched == 1
    assert all(("authorization" in r.headers) == (r.url.host == "list.example") for r in seen)


# --------------------------------------------------------------------------- edge cases (mocked)


def mocked(routes: dict[str, httpx.Response], tmp_path: Path, **kw: object) -> CrawlReport:
    def handler(request: httpx.Request) -> httpx.Response:
        return routes.get(request.url.path, httpx.Response(404))

    client = httpx.Client(transport=httpx.MockTransport(handler))
    options: dict = {"sleep": Sleeps(), "client": client}
    options.update(kw)
    return crawl(
        "https://e.example/list/", inbox=tmp_path / "in", state_dir=tmp_path / "st", **options
    )


LIST = '<main><a href="/a/one">1</a> <a href="/a/two">2</a></main>'


def test_content_length_over_cap_is_not_read(tmp_path: Path) -> None:
    routes = {
        "/list/": httpx.Response(200, html=LIST),
        "/a/one": httpx.Response(
            200,
            headers={"Content-Type": "text/html", "Content-Length": "999999"},
            content=b"<html>",
        ),
        "/a/two": httpx.Response(404),
    }
    report = mocked(routes, tmp_path, max_bytes=1000)
    assert [(q["reason"], q["url"].rsplit("/", 1)[1]) for q in report.quarantined] == [
        ("too_large", "one"),
        ("http_error", "two"),
    ]
    assert "999999" in report.quarantined[0]["detail"]


def test_untyped_html_is_sniffed_and_empty_pages_quarantined(tmp_path: Path) -> None:
    routes = {
        "/list/": httpx.Response(200, html=LIST),
        "/a/one": httpx.Response(200, content=b"<!DOCTYPE html><html><p>x</p></html>"),
        "/a/two": httpx.Response(200, headers={"Content-Type": "text/html"}, content=b"  "),
    }
    report = mocked(routes, tmp_path)
    assert report.fetched == 1
    assert [q["reason"] for q in report.quarantined] == ["empty"]


def test_persistent_errors_are_quarantined_after_retries(tmp_path: Path) -> None:
    routes = {
        "/list/": httpx.Response(200, html=LIST),
        "/a/one": httpx.Response(503, headers={"Retry-After": "2"}),
        "/a/two": httpx.Response(429, headers={"Retry-After": "86400"}),
    }
    sleeps = Sleeps()
    report = mocked(routes, tmp_path, max_retries=3, sleep=sleeps)
    reasons = {q["url"].rsplit("/", 1)[1]: q for q in report.quarantined}
    assert reasons["one"]["reason"] == "http_error" and "4 attempts" in reasons["one"]["detail"]
    assert reasons["two"]["reason"] == "rate_limited"  # asked to wait a day: not waited
    assert sleeps.count(2.0) == 3 and 86400 not in sleeps


def test_backoff_grows_exponentially_with_jitter(tmp_path: Path) -> None:
    routes = {
        "/list/": httpx.Response(200, html='<main><a href="/a/one">1</a></main>'),
        "/a/one": httpx.Response(502),
    }
    sleeps = Sleeps()
    report = mocked(routes, tmp_path, max_retries=4, sleep=sleeps, min_delay_s=0)
    assert report.quarantined[0]["reason"] == "http_error"
    backoffs = [s for s in sleeps if s >= 1]
    assert len(backoffs) == 4
    for attempt, s in enumerate(backoffs):
        assert 2**attempt <= s <= 2**attempt + 1


def test_network_errors_are_quarantined(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/list/":
            return httpx.Response(200, html='<main><a href="/a/one">1</a></main>')
        raise httpx.ConnectError("connection refused", request=request)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    report = crawl(
        "https://e.example/list/",
        inbox=tmp_path / "i",
        state_dir=tmp_path / "s",
        client=client,
        sleep=Sleeps(),
        max_retries=1,
    )
    # robots.txt unreachable -> RFC 9309 says assume disallowed: nothing is fetched.
    assert report.fetched == 0 and report.skipped_robots == 1 and report.pages == 1


def test_robots_crawl_delay_is_honoured(tmp_path: Path) -> None:
    routes = {
        "/robots.txt": httpx.Response(200, text="User-agent: *\nCrawl-delay: 3\n"),
        "/list/": httpx.Response(200, html=LIST),
        "/a/one": httpx.Response(200, html="<html>1</html>"),
        "/a/two": httpx.Response(200, html="<html>2</html>"),
    }
    sleeps = Sleeps()
    report = mocked(routes, tmp_path, sleep=sleeps, min_delay_s=0.1)
    assert report.fetched == 2
    assert len([s for s in sleeps if 2.5 < s <= 3.0]) == 3


def test_redirect_loops_and_unsafe_urls(tmp_path: Path) -> None:
    routes = {
        "/list/": httpx.Response(
            200,
            html='<main><a href="/a/loop">l</a> <a href="/a/..%2F..%2Fetc%2Fpasswd">p</a></main>',
        ),
        "/a/loop": httpx.Response(301, headers={"Location": "/a/loop2"}),
        "/a/loop2": httpx.Response(301, headers={"Location": "/a/loop"}),
        "/a/../../etc/passwd": httpx.Response(200, html="<html>odd</html>"),
        "/a/..%2F..%2Fetc%2Fpasswd": httpx.Response(200, html="<html>odd</html>"),
    }
    report = mocked(routes, tmp_path)
    assert [q["reason"] for q in report.quarantined] == ["redirect_error"]
    for f in report.files:
        assert f.resolve().is_relative_to((tmp_path / "in" / "web").resolve())


@pytest.mark.parametrize(
    ("url", "pattern", "message"),
    [
        ("ftp://e.example/", None, "not an http"),
        ("not a url", None, "not an http"),
        ("https://e.example/", "([", "invalid link pattern"),
    ],
)
def test_bad_input_gives_an_error_value(
    tmp_path: Path, url: str, pattern: str | None, message: str
) -> None:
    report = crawl(url, inbox=tmp_path / "i", state_dir=tmp_path / "s", link_pattern=pattern)
    assert report.error and message in report.error
    assert report.fetched == 0


def test_a_second_crawl_on_the_same_state_is_refused_while_one_runs(tmp_path: Path) -> None:
    import fcntl

    (tmp_path / "s").mkdir()
    with open(tmp_path / "s" / "crawl.lock", "a+b") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        report = crawl("https://e.example/", inbox=tmp_path / "i", state_dir=tmp_path / "s")
    assert report.error and "another crawl" in report.error


def test_corrupt_state_is_set_aside(tmp_path: Path) -> None:
    (tmp_path / "st").mkdir()
    (tmp_path / "st" / STATE_FILE).write_text("{not json")
    routes = {
        "/list/": httpx.Response(200, html=LIST),
        "/a/one": httpx.Response(200, html="<html>1</html>"),
        "/a/two": httpx.Response(200, html="<html>2</html>"),
    }
    report = mocked(routes, tmp_path)
    assert report.fetched == 2
    assert list((tmp_path / "st").glob(f"{STATE_FILE}.unreadable-*"))


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "url",
    [
        "http://e.org/../../etc/passwd",
        "http://e.org/a/%2e%2e/%2e%2e/x",
        "http://e.org/",
        "http://e.org/.hidden",
        "http://e.org/a?b=../../c",
        "http://e.org/" + "x" * 500,
        "http://e.org/%00/nul",
        "http://e.org/caf%C3%A9/ünï",
    ],
)
def test_safe_name_has_no_path_traversal(url: str) -> None:
    name = safe_name(url)
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".") and ".." not in name and name.endswith(".html")
    assert len(name) <= 100


@given(st.text(max_size=80))
def test_safe_name_property(path: str) -> None:
    name = safe_name("http://e.org/" + path)
    assert name.replace(".", "").replace("-", "").replace("_", "").isalnum()
    assert not name.startswith(".") and ".." not in name


def test_safe_names_differ_for_different_urls() -> None:
    assert safe_name("http://e.org/a?x=1") != safe_name("http://e.org/a?x=2")
    assert safe_name("http://e.org/a/") == safe_name("http://e.org/a/")
    assert host_dir("http://127.0.0.1:8080/x") == "127.0.0.1_8080"
    assert host_dir("https://Monitor.Example.org/x") == "monitor.example.org"


def test_retry_after_parses_seconds_and_dates() -> None:
    assert _retry_after("7") == 7.0
    assert _retry_after(None) is None and _retry_after("soon") is None
    future = email.utils.formatdate(time.time() + 120, usegmt=True)
    assert 100 < (_retry_after(future) or 0) <= 121


# --------------------------------------------------------------------------- configuration


def test_repository_sources_file_loads() -> None:
    sources = load_sources(REPO / "config" / "sources.toml")
    assert sources and len({s.name for s in sources}) == len(sources)
    for s in sources:
        assert s.listing_url.startswith("https://")
        assert s.min_delay_s >= 1.0  # polite by default


def test_sources_defaults_auth_from_env_and_errors(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(
        "[defaults]\nmin_delay_s = 2\nmax_pages = 5\n\n"
        '[[source]]\nname = "a"\nlisting_url = "https://a.example/updates/"\n'
        'link_pattern = "/updates/\\\\d+/"\nauth_header = "Authorization"\n'
        'auth_env = "A_TOKEN"\n\n'
        '[[source]]\nname = "b"\nlisting_url = "https://b.example/"\nmax_pages = 2\n'
    )
    a, b = load_sources(good)
    assert (a.min_delay_s, a.max_pages, b.max_pages) == (2.0, 5, 2)
    assert a.headers({"A_TOKEN": "s3cr3t"}) == {"Authorization": "s3cr3t"}
    assert a.headers({}) == {} and b.headers({"A_TOKEN": "x"}) == {}
    kwargs = a.crawl_kwargs({"A_TOKEN": "s3cr3t"})
    assert kwargs["headers"] == {"Authorization": "s3cr3t"} and kwargs["max_pages"] == 5
    assert "s3cr3t" not in repr(a)
    assert isinstance(a, SourceConfig)

    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[source]]\nname = "x"\nlisting_url = "ftp://x"\nlink_pattern = "(["\n'
        'auth_header = "Authorization"\nauth_env = "Bearer abc123"\ncolour = "red"\n'
        'max_pages = "ten"\n'
    )
    with pytest.raises(ValueError) as err:
        load_sources(bad)
    text = str(err.value)
    for needle in (
        "not an http(s) URL",
        "invalid link pattern",
        "NAME of an environment",
        "unknown key 'colour'",
        "max_pages must be int",
    ):
        assert needle in text


def test_crawl_sources_runs_the_enabled_ones(site: Site, tmp_path: Path) -> None:
    site.tricks = False
    sources = [
        SourceConfig(
            name="fixture",
            listing_url=f"{site.base}/updates/",
            link_pattern=PATTERN,
            max_pages=1,
            min_delay_s=0,
            auth_header="X-Token",
            auth_env="FIXTURE_TOKEN",
        ),
        SourceConfig(name="off", listing_url="https://off.example/", enabled=False),
    ]
    reports = crawl_sources(
        sources,
        inbox=tmp_path / "inbox",
        state_dir=tmp_path / "state",
        environ={"FIXTURE_TOKEN": "tok-1"},
        sleep=Sleeps(),
    )
    assert list(reports) == ["fixture"]
    assert reports["fixture"].to_dict()["fetched"] == 3
    assert all(h.get("x-token") == "tok-1" for _, h in site.requests)


def test_unexpected_failure_is_an_error_value(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("boom")

    client = httpx.Client(transport=httpx.MockTransport(handler))
    report = crawl(
        "https://e.example/",
        inbox=tmp_path / "i",
        state_dir=tmp_path / "s",
        client=client,
        sleep=Sleeps(),
    )
    assert report.error and "RuntimeError" in report.error


def test_landed_pages_are_read_by_the_landing_scan_like_dropped_files(
    site: Site, tmp_path: Path
) -> None:
    """Contract with orchestration.landing: pages with their URL and fetch time, the log."""
    landing = pytest.importorskip("orchestration.landing")
    site.tricks = False
    report = run(site, tmp_path, max_retries=0)
    items = list(landing.scan(tmp_path / "inbox", max_bytes=10_000_000))
    pages = [i for i in items if isinstance(i, landing.LandedFile)]
    assert sorted(p.source_url for p in pages) == sorted(site.base + p for p in FETCHED)
    assert all(p.fetched_at is not None and p.name.startswith("web/") for p in pages)
    rejected = [i for i in items if isinstance(i, landing.CrawlRejection)]
    assert len(rejected) == len(report.quarantined) == 3
    assert not [i for i in items if isinstance(i, landing.Refused)]


def test_lost_state_rewrites_nothing_and_duplicate_redirects_land_once(tmp_path: Path) -> None:
    routes = {
        "/list/": httpx.Response(
            200,
            html='<main><a href="/a/one">one</a> <a href="/a/alias">alias</a>'
            '<a href="/a/two">two</a></main>',
        ),
        "/a/alias": httpx.Response(301, headers={"Location": "/a/one"}),
        "/a/one": httpx.Response(200, html="<html><p>one, no validators</p></html>"),
        "/a/two": httpx.Response(200, html="<html><p>two</p></html>"),
    }
    first = mocked(routes, tmp_path)
    assert first.fetched == 2 and first.not_modified == 1  # the alias is the same page
    stamps = {f: f.stat().st_mtime_ns for f in (tmp_path / "in").rglob("*.html")}
    (tmp_path / "st" / STATE_FILE).unlink()
    again = mocked(routes, tmp_path)
    assert again.fetched == 0 and again.not_modified == 3
    assert {f: f.stat().st_mtime_ns for f in (tmp_path / "in").rglob("*.html")} == stamps


def test_robots_rules_for_our_user_agent(tmp_path: Path) -> None:
    robots = "User-agent: *\nAllow: /\n\nUser-agent: civicspace-crawler\nDisallow: /a/two\n"
    routes = {
        "/robots.txt": httpx.Response(200, text=robots),
        "/list/": httpx.Response(200, html=LIST),
        "/a/one": httpx.Response(200, html="<html>1</html>"),
        "/a/two": httpx.Response(200, html="<html>2</html>"),
    }
    report = mocked(routes, tmp_path)
    assert report.fetched == 1 and report.skipped_robots == 1
