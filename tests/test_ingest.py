"""read_landing_bytes: formats from content, encodings, rejections; mirror copies."""

import gzip
import hashlib
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.ingest import (
    REASONS,
    Incoming,
    Rejected,
    link_near_duplicates,
    near_duplicate_key,
    read_landing_bytes,
)

FIX = Path(__file__).parent / "fixtures" / "updates"
RECORD = {
    "doc_id": "fiw-2021-T", "source": "fixture", "country": "Serbia", "country_iso3": "SRB",
    "year_under_review": 2021, "edition": 2022,
    "sections": [{"code": "Overview", "question": None, "text": "A fixture overview."}],
}


def _one(name: str, data: bytes, **kw) -> Incoming:
    ok, bad = read_landing_bytes(name, data, **kw)
    assert bad == [] and len(ok) == 1
    return ok[0]


def _rejected(name: str, data: bytes, **kw) -> Rejected:
    ok, bad = read_landing_bytes(name, data, **kw)
    assert ok == [] and len(bad) == 1
    r = bad[0]
    assert r.reason in REASONS and r.detail.endswith(".") and r.stage == "ingest"
    return r


def test_formats_are_detected_from_content_not_name() -> None:
    html = b"<html><body><p>One.</p><p>Two.</p><div>x</div></body></html>"
    assert _one("update.txt", html).format == "html"
    md = b"# A title\n\nSome text with [a link](https://example.org).\n"
    assert _one("update.html", md).format == "markdown"
    assert _one("notes.md", b"Plain words only, in a file named .md, and more words.\n").format in (
        "text", "markdown")
    assert _one("x.bin", b"Plain text about Serbia.\n").format == "text"
    assert _one("r.txt", json.dumps(RECORD).encode()).format == "fiw_json"


def test_fixture_formats_and_encodings() -> None:
    assert _one("a", (FIX / "civicus_georgia_2025.html").read_bytes()).format == "html"
    assert _one("a", (FIX / "serbia_cross_year.md").read_bytes()).format == "markdown"
    doc = _one("a", (FIX / "latin1_cote_divoire.txt").read_bytes())
    assert doc.encoding in ("cp1252", "latin-1", "iso8859-1")
    assert "Côte d'Ivoire" in doc.content and "café" in doc.content


def test_boms_and_utf16() -> None:
    text = "Événements en Côte d'Ivoire."
    assert _one("a", b"\xef\xbb\xbf" + text.encode()).content == text
    d = _one("a", text.encode("utf-16"))
    assert d.content == text and d.encoding == "utf-16"


def test_bad_files_are_rejected_with_reasons() -> None:
    assert _rejected("e", b"").reason == "empty"
    assert _rejected("w", (FIX / "whitespace.txt").read_bytes()).reason == "empty"
    assert _rejected("b", (FIX / "binary.bin").read_bytes()).reason == "binary"
    assert _rejected("c", (FIX / "control_bytes.txt").read_bytes()).reason == "binary"
    assert _rejected("p", b"%PDF-1.7\n...").reason == "binary"
    assert _rejected("z", b"\x1f\x8b\x08\x00garbage").reason == "bad_gzip"


def test_fifty_megabytes_is_too_large() -> None:
    big = b"Serbia. " * (50_000_000 // 8)
    r = _rejected("big.txt", big)
    assert r.reason == "too_large" and r.sha256 == hashlib.sha256(big).hexdigest()


def test_gzip_bomb_is_too_large_and_small_gzip_is_unpacked() -> None:
    bomb = gzip.compress(b" " * 5_000_000)
    assert _rejected("bomb.gz", bomb, max_bytes=100_000).reason == "too_large"
    page = b"Some text about civic space in Serbia.\n"
    doc = _one("page.txt.gz", gzip.compress(page))
    assert doc.content == page.decode() and doc.sha256 == hashlib.sha256(page).hexdigest()


def test_json_lines_good_lines_pass_bad_lines_rejected() -> None:
    good = json.dumps(RECORD).encode()
    data = good + b"\n{not json\n\n" + json.dumps({"other": 1}).encode() + b"\n" + good + b"\n"
    ok, bad = read_landing_bytes("reports.jsonl", data)
    assert [d.source for d in ok] == ["reports.jsonl#L1", "reports.jsonl#L5"]
    assert all(d.format == "fiw_json" and d.sha256 == hashlib.sha256(good).hexdigest() for d in ok)
    assert [(r.file, r.reason) for r in bad] == [
        ("reports.jsonl#L2", "bad_json"), ("reports.jsonl#L4", "unsupported_json")]
    ok, bad = read_landing_bytes("reports.jsonl.gz", gzip.compress(data))
    assert [d.source for d in ok] == ["reports.jsonl#L1", "reports.jsonl#L5"]


def test_provenance_is_passed_through() -> None:
    from datetime import datetime

    t = datetime(2026, 11, 26, 12, 0)
    d = _one("a.html", b"<p>x</p><p>y</p><p>z</p>", source_url="https://e.org/a", fetched_at=t)
    assert (d.source_url, d.fetched_at, d.size_bytes) == ("https://e.org/a", t, 24)


def test_mirror_copies_are_linked() -> None:
    body = (FIX / "iphr_tajikistan.txt").read_text(encoding="utf-8")
    start = body.index("This is an update")
    end = body.index("Tajikistan: the latest news")
    article = body[start:end]
    mirror = "Home > News\nSome other site menu\n\n" + article.replace("\n\n", "\n\n\n").replace(
        " the ", "  the ") + "\nShare this\nRelated posts\n"
    other = (FIX / "adc_turkmenistan.txt").read_text(encoding="utf-8")
    assert near_duplicate_key(body) == near_duplicate_key(mirror)
    assert near_duplicate_key(body) != near_duplicate_key(other)
    # one changed sentence still links (shingle similarity)
    edited = mirror.replace("His lawyer said the charges were unfounded.", "His lawyer objected.")
    links = link_near_duplicates([("a", body), ("b", other), ("c", mirror), ("d", edited),
                                  ("a", body)])
    assert links == {"c": "a", "d": "a"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_never_crash(data: bytes) -> None:
    ok, bad = read_landing_bytes("random.bin", data, max_bytes=2000)
    assert len(ok) + len(bad) >= 1
    for d in ok:
        assert isinstance(d.content, str) and d.format in ("html", "text", "markdown", "fiw_json")
    for r in bad:
        assert r.reason in REASONS


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_random_unicode_never_crashes(text: str) -> None:
    ok, bad = read_landing_bytes("random.txt", text.encode("utf-8", errors="surrogatepass"))
    assert len(ok) + len(bad) >= 1


def test_declared_charset_is_honoured() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body><p>Кыргызстан.</p></body>'
    d = _one("p.html", page.encode("cp1251"))
    assert d.encoding == "cp1251" and "Кыргызстан" in d.content


def test_html_and_text_saves_of_one_article_are_mirrors() -> None:
    text = (FIX / "iphr_tajikistan.txt").read_text(encoding="utf-8")
    html = "<html><body><nav>menu</nav>" + "".join(
        f"<p>{line}</p>" for line in text.split("\n") if line.strip()) + "</body></html>"
    assert link_near_duplicates([("t", text), ("h", html)]) == {"h": "t"}


def test_json_lines_are_limited_per_report_not_per_file() -> None:
    line = json.dumps(RECORD).encode()
    big = json.dumps({**RECORD, "sections": [{"code": "Overview", "question": None,
                                              "text": "x" * 600}]}).encode()
    data = b"\n".join([line, line, big, line]) + b"\n"
    limit = len(line) + 10
    assert len(data) > limit
    ok, bad = read_landing_bytes("reports.jsonl", data, max_bytes=limit)
    assert [d.source for d in ok] == ["reports.jsonl#L1", "reports.jsonl#L2", "reports.jsonl#L4"]
    assert [(r.file, r.reason) for r in bad] == [("reports.jsonl#L3", "too_large")]


def test_deeply_nested_json_is_bad_json_not_a_crash() -> None:
    deep = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    ok, bad = read_landing_bytes("deep.jsonl", deep)
    assert ok == [] and [r.reason for r in bad] == ["bad_json"]
