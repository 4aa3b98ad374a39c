"""transforms.links: normalised URLs, article links and the next page of a listing."""

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.links import (
    compile_link_pattern,
    find_next_page,
    normalize_url,
    parse_listing,
    same_site,
)

SITE = Path(__file__).parent / "fixtures" / "site"
BASE = "http://127.0.0.1:8000"
PATTERN = r"/updates/(\d{4}|old|drafts)/"


def page(rel: str) -> str:
    return (SITE / rel).read_text(encoding="utf-8")


# ----------------------------------------------------------------- normalize_url


@pytest.mark.parametrize(
    ("href", "base", "expected"),
    [
        ("/a/b/#frag", "http://Example.ORG/x/", "http://example.org/a/b/"),
        ("HTTPS://Example.org:443/A", None, "https://example.org/A"),
        ("http://example.org:80", None, "http://example.org/"),
        ("http://example.org:8080/x", None, "http://example.org:8080/x"),
        ("../c", "http://example.org/a/b/", "http://example.org/a/c"),
        ("/a/./b/../c", "http://example.org/", "http://example.org/a/c"),
        ("http://example.org/a/../../b", None, "http://example.org/b"),
        ("page 2?q=a b", "http://example.org/list/", "http://example.org/list/page%202?q=a%20b"),
        ("/caf%c3%a9", "http://example.org/", "http://example.org/caf%C3%A9"),
        ("/café", "http://example.org/", "http://example.org/caf%C3%A9"),
        ("/x?utm_source=a&id=3&fbclid=z", "http://example.org/", "http://example.org/x?id=3"),
        ("http://user:secret@example.org/p", None, "http://example.org/p"),
        (" \n/a\t/b ", "http://example.org/", "http://example.org/a/b"),
        ("//cdn.example.net/x", "https://example.org/", "https://cdn.example.net/x"),
        ("?page=2", "http://example.org/updates/", "http://example.org/updates/?page=2"),
        ("", "http://example.org/a", "http://example.org/a"),
    ],
)
def test_normalize_url(href: str, base: str | None, expected: str) -> None:
    assert normalize_url(href, base) == expected


@pytest.mark.parametrize(
    "href",
    [
        "mailto:a@example.org",
        "javascript:void(0)",
        "data:text/html,x",
        "ftp://example.org/f",
        "tel:+123",
        "http://[::1",
        "http:///nohost",
        "",
    ],
)
def test_normalize_url_refuses_non_web_links(href: str) -> None:
    assert normalize_url(href) is None


@given(st.text(max_size=60))
def test_normalize_url_never_raises_and_is_idempotent(href: str) -> None:
    url = normalize_url(href, "http://example.org/a/b/")
    if url is not None:
        assert url.startswith(("http://", "https://"))
        assert "#" not in url
        assert normalize_url(url) == url


def test_same_site_ignores_www_and_port() -> None:
    assert same_site("http://www.example.org/a", "https://example.org:8443/b")
    assert not same_site("http://example.org/a", "http://example.net/a")


# ----------------------------------------------------------------- the fixture listing


@pytest.mark.parametrize("pattern", [None, PATTERN])
def test_fixture_listing_pages(pattern: str | None) -> None:
    first = parse_listing(page("updates/index.html"), f"{BASE}/updates/", pattern)
    assert first.links == [
        f"{BASE}/updates/2024/01/kazakhstan-bloggers-fined/",  # title, Read more#, utm copy: one
        f"{BASE}/updates/2024/02/serbia-association-registry/",
        f"{BASE}/updates/2024/03/georgia-rally-permits/",
    ]
    assert first.next_url == f"{BASE}/updates/page/2/"
    second = parse_listing(page("updates/page/2/index.html"), f"{BASE}/updates/page/2/", pattern)
    assert second.next_url == f"{BASE}/updates/page/3/"
    expected = [
        f"{BASE}/updates/2024/04/kyrgyzstan-media-law/",
        f"{BASE}/updates/old/tajikistan-lawyers/",
        f"{BASE}/updates/drafts/internal-note/",
    ]
    if pattern:  # files are only taken when the pattern asks for them
        expected.append(f"{BASE}/updates/2024/06/annual-brief.pdf")
    assert second.links == expected
    last = parse_listing(page("updates/page/3/index.html"), f"{BASE}/updates/page/3/", pattern)
    assert last.next_url is None
    assert len(last.links) == 3


def test_pattern_filters_links() -> None:
    found = parse_listing(
        page("updates/index.html"), f"{BASE}/updates/", r"/updates/.*(serbia|georgia)"
    )
    assert [u.rsplit("/", 2)[-2] for u in found.links] == [
        "serbia-association-registry",
        "georgia-rally-permits",
    ]
    compiled = re.compile(r"/updates/.*kazakhstan")
    assert len(parse_listing(page("updates/index.html"), f"{BASE}/updates/", compiled).links) == 1


def test_pagination_links_are_never_articles_even_if_they_match() -> None:
    found = parse_listing(
        page("updates/page/2/index.html"), f"{BASE}/updates/page/2/", r"/updates/"
    )
    assert all("/page/" not in u for u in found.links)
    assert f"{BASE}/updates/" not in found.links


# ----------------------------------------------------------------- next page variants


@pytest.mark.parametrize(
    ("html", "url", "expected"),
    [
        ('<a href="?page=3" rel="next">x</a>', "http://e.org/l?page=2", "http://e.org/l?page=3"),
        ('<head><link rel="next" href="/l/p/2"></head>', "http://e.org/l", "http://e.org/l/p/2"),
        ('<a href="/older">Older posts</a>', "http://e.org/", "http://e.org/older"),
        ('<a href="/n">Next page »</a>', "http://e.org/", "http://e.org/n"),
        ('<a href="/n" aria-label="Next page"><svg></svg></a>', "http://e.org/", "http://e.org/n"),
        ('<a href="/n">»</a>', "http://e.org/", "http://e.org/n"),
        ('<li class="pager__item--next"><a href="/n2">go</a></li>', "http://e.org/", None),
        (
            '<a class="page-numbers next" href="/page/2/">→</a>',
            "http://e.org/",
            "http://e.org/page/2/",
        ),
        (
            '<div class="pagination"><a href="/l?page=1">1</a><a href="/l?page=3">3</a></div>',
            "http://e.org/l?page=2",
            "http://e.org/l?page=3",
        ),
        ('<a href="/l?page=1">« Previous</a>', "http://e.org/l?page=2", None),
        ('<a href="/l" rel="next">Next</a>', "http://e.org/l", None),  # a link to itself
        ("", "http://e.org/", None),
    ],
)
def test_find_next_page(html: str, url: str, expected: str | None) -> None:
    assert find_next_page(html, url) == expected


# ----------------------------------------------------------------- other listing shapes


def test_blog_style_listing_with_article_headers() -> None:
    html = """<html><body><header><a href="/">Home</a><a href="/about/">About</a></header>
    <main>
      <article><header class="entry-header"><h2><a href="/2024/05/one/">One</a></h2></header>
        <footer class="entry-footer"><a rel="tag" href="/tag/media/">media</a>
        <a href="/category/news/">News</a></footer></article>
      <article><h2><a href="/2024/05/two/">Two</a></h2>
        <a href="https://twitter.example/share?u=x">Share</a>
        <a href="/files/two.pdf">PDF</a></article>
      <div class="nav-links"><a class="next page-numbers" href="/page/2/">Older</a></div>
    </main></body></html>"""
    found = parse_listing(html, "https://blog.example.org/")
    assert found.links == [
        "https://blog.example.org/2024/05/one/",
        "https://blog.example.org/2024/05/two/",
    ]
    assert found.next_url == "https://blog.example.org/page/2/"


def test_teaser_lists_drop_tag_and_country_links() -> None:
    html = """<main><ul>
      <li><h3><a href="/u/2023/one/">Country A: a title</a></h3>
          <a href="/country/a/">Country A</a> <p>Summary. <a href="/u/2023/one/">Read more</a></p></li>
      <li><h3><a href="/u/2023/two/">Country B: another</a></h3>
          <a href="/country/b/">Country B</a> <p>Summary. <a href="/u/2023/two/">Read more</a></p></li>
      <li><a href="/u/2023/three/">Read more</a> <a href="/topics/media/">media</a></li>
    </ul></main>"""
    found = parse_listing(html, "https://m.example.org/u/")
    assert [u.rsplit("/", 2)[-2] for u in found.links] == ["one", "two", "three"]
    # Without teasers every content link counts.
    plain = '<main><a href="/u/x/">x</a> <a href="/country/a/">A</a></main>'
    assert len(parse_listing(plain, "https://m.example.org/u/").links) == 2


def test_base_href_is_honoured() -> None:
    html = '<head><base href="https://e.org/news/"></head><body><a href="item-1">x</a></body>'
    assert parse_listing(html, "https://e.org/list").links == ["https://e.org/news/item-1"]


def test_bad_html_yields_nothing_not_an_error() -> None:
    assert parse_listing("", "http://e.org/").links == []
    assert parse_listing("<a href='http://[bad'>x</a><<>>", "http://e.org/").links == []
    assert parse_listing("\x00\xff binary", "http://e.org/").next_url is None


def test_compile_link_pattern() -> None:
    assert compile_link_pattern(None) == (None, None)
    pattern, err = compile_link_pattern(r"/updates/\d+")
    assert pattern is not None and err is None
    pattern, err = compile_link_pattern("([unclosed")
    assert pattern is None and err and "invalid link pattern" in err
