"""Links on a listing page: the article links it lists and the link to its next page.

Pure functions over a page's HTML (a string) and the URL it was fetched from. URLs come back
absolute and normalised (lower-case scheme and host, default port and fragment dropped, dot
segments resolved, unsafe characters percent-encoded, tracking parameters and credentials
removed), so the same article reached by two spellings is one URL.

Without a link pattern, article links are guessed the way a person reads a listing: links in
the page's content (inside ``<article>``, else ``<main>``, else the body), on the listing's own
site, outside menus, headers, footers and pagination, and not pointing at files or at the
listing's parent sections. With a pattern, every link whose absolute URL matches it
(``re.search``) is taken, except pagination and the listing's own parent sections.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

_DEFAULT_PORTS = {"http": 80, "https": 443}
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY = _SAFE_PATH + "?"
_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|_ga)$", re.IGNORECASE)
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")
_CONTROL = re.compile(r"[\t\n\r]")

# Containers whose links are site furniture, not listed articles.
_FURNITURE_TAGS = {"nav", "header", "footer", "aside", "form", "menu"}
_FURNITURE_CLASS = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|breadcrumbs?|pagination|pager|paging|page-numbers|"
    r"sidebar|footer|header|share|social|tags?|cookie)($|[\s_-])",
    re.IGNORECASE,
)
_PAGINATION_CLASS = re.compile(r"pagination|pager|paging|page-numbers|nav-links", re.IGNORECASE)
_NEXT_CLASS = re.compile(r"(^|[\s_-])next($|[\s_-])", re.IGNORECASE)
_NEXT_WORDS = {
    "next",
    "nextpage",
    "next page",
    "older",
    "older posts",
    "older entries",
    "more updates",
    "next results",
    "suivant",
    "siguiente",
    "далее",
    "следующая",
}
_PREV_WORDS = {"prev", "previous", "newer", "newer posts", "newer entries", "first", "last"}
_ARROWS = "›»→>⟩❯▶"
_PAGE_IN_QUERY = re.compile(r"(?:^|&)(?:page|p|pg|paged|start|offset)=(\d+)(?:&|$)", re.IGNORECASE)
_PAGE_IN_PATH = re.compile(r"/(?:page|p)/(\d+)/?$", re.IGNORECASE)
_NOT_PAGES = re.compile(
    r"\.(pdf|jpe?g|png|gif|svg|webp|ico|css|js|json|xml|rss|zip|gz|docx?|xlsx?|pptx?|mp[34]|"
    r"avi|mov|woff2?|ttf)$",
    re.IGNORECASE,
)
_SECTION_PATHS = re.compile(
    r"/(tag|tags|category|categories|author|search|login|logout|register|feed|rss|wp-admin|"
    r"wp-login\.php|cart|account|share)(/|$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Listing:
    """What a listing page offers: article URLs in page order (unique) and the next page."""

    links: list[str] = field(default_factory=list)
    next_url: str | None = None


def _remove_dot_segments(path: str) -> str:
    out: list[str] = []
    segments = path.split("/")
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg == ".":
            if last:
                out.append("")
            continue
        if seg == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
            continue
        out.append(seg)
    result = "/".join(out)
    return result if result.startswith("/") else "/" + result


def _requote(part: str, safe: str) -> str:
    """Percent-encode what must be encoded, keep existing escapes (upper-cased)."""
    pieces = _PERCENT.split(part)
    escapes = [m.upper() for m in _PERCENT.findall(part)]
    out = [quote(pieces[0], safe=safe)]
    for esc, piece in zip(escapes, pieces[1:], strict=True):
        out.append(esc)
        out.append(quote(piece, safe=safe))
    return "".join(out)


def normalize_url(href: str, base: str | None = None) -> str | None:
    """Absolute, normalised http(s) URL for ``href`` (resolved against ``base``), else None.

    None for empty links, ``mailto:``/``javascript:``/``data:`` and other non-web schemes, and
    links that cannot be parsed. The fragment, user name/password and tracking parameters
    (``utm_*``, ``fbclid``...) are removed.
    """
    if not isinstance(href, str):
        return None
    href = _CONTROL.sub("", href).strip()
    if not href and base is None:
        return None
    try:
        joined = urljoin(base, href) if base else href
        parts = urlsplit(joined)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            return None
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if not host or any(c in host for c in " <>\"'\\{}|^`"):
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _requote(_remove_dot_segments(parts.path or "/"), _SAFE_PATH)
    query = "&".join(
        pair
        for pair in parts.query.split("&")
        if pair and not _TRACKING.match(pair.split("=", 1)[0])
    )
    return urlunsplit((scheme, netloc, path, _requote(query, _SAFE_QUERY), ""))


def _site(host: str) -> str:
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def same_site(a: str, b: str) -> bool:
    """True when two URLs are on the same host (``www.`` and port aside)."""
    try:
        return _site(urlsplit(a).hostname or "") == _site(urlsplit(b).hostname or "")
    except ValueError:
        return False


def _classes(node: LexborNode) -> str:
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}"


def _ancestors(node: LexborNode) -> list[LexborNode]:
    out = []
    parent = node.parent
    while parent is not None and parent.tag not in ("html", "-undef", None):
        out.append(parent)
        parent = parent.parent
    return out


def _anchor_text(node: LexborNode) -> str:
    text = node.text(separator=" ", strip=True)
    if not text:
        text = node.attributes.get("aria-label") or node.attributes.get("title") or ""
    return " ".join(text.split()).lower()


def _rel(node: LexborNode) -> set[str]:
    return set((node.attributes.get("rel") or "").lower().split())


def _is_next_anchor(node: LexborNode) -> bool:
    if "next" in _rel(node):
        return True
    label = (node.attributes.get("aria-label") or "").lower()
    if "next" in label:
        return True
    text = _anchor_text(node)
    bare = text.strip(_ARROWS + " ").strip()
    if bare in _NEXT_WORDS:
        return True
    if not bare and text and any(c in text for c in _ARROWS):
        return True
    return bool(_NEXT_CLASS.search(_classes(node))) and "prev" not in text


def _in_pagination(node: LexborNode) -> bool:
    return any(a.tag == "nav" or _PAGINATION_CLASS.search(_classes(a)) for a in _ancestors(node))


def _is_pagination_anchor(node: LexborNode, url: str) -> bool:
    """Next/previous/first/last links, and page numbers (in a pager, or to a page URL)."""
    rel = _rel(node)
    if rel & {"next", "prev", "previous", "first", "last"}:
        return True
    text = _anchor_text(node)
    bare = text.strip(_ARROWS + "‹«←< ").strip()
    if bare in _PREV_WORDS or _is_next_anchor(node):
        return True
    if bare.isdigit():
        return _page_in_url(url) == int(bare) or _in_pagination(node)
    return any(_PAGINATION_CLASS.search(_classes(a)) for a in _ancestors(node))


def _is_furniture(node: LexborNode) -> bool:
    """Inside a menu, sidebar, form, pagination, or a page header/footer (not an article's)."""
    ancestors = _ancestors(node)
    in_article = any(a.tag == "article" for a in ancestors)
    for anc in ancestors:
        if anc.tag in ("article", "main", "body"):
            continue
        if anc.tag in _FURNITURE_TAGS and not (in_article and anc.tag in ("header", "footer")):
            return True
        if (anc.attributes.get("role") or "").lower() in ("navigation", "banner", "contentinfo"):
            return True
        found = _FURNITURE_CLASS.search(_classes(anc))
        if found and not (in_article and found.group(2).lower() in ("header", "footer")):
            return True
    return False


_READ_MORE = re.compile(
    r"^(read|see|learn|view) (more|the (full )?(update|article|story|report))\b|^continue reading\b|"
    r"^full (story|article|update)\b|^more\s*[›»→>]*$|^(подробнее|читать далее)",
    re.IGNORECASE,
)


def _is_teaser_anchor(node: LexborNode) -> bool:
    """A listed item's title (a link in or around a heading) or its "Read more" link."""
    if _READ_MORE.search(_anchor_text(node)):
        return True
    if node.css_first("h1, h2, h3, h4, h5") is not None:
        return True
    return any(a.tag in ("h1", "h2", "h3", "h4", "h5") for a in _ancestors(node)[:3])


def _base_url(tree: LexborHTMLParser, page_url: str) -> str:
    base = tree.css_first("base[href]")
    if base is not None:
        resolved = normalize_url(base.attributes.get("href") or "", page_url)
        if resolved:
            return resolved
    return page_url


def _page_in_url(url: str) -> int | None:
    parts = urlsplit(url)
    m = _PAGE_IN_QUERY.search(parts.query) or _PAGE_IN_PATH.search(parts.path)
    return int(m.group(1)) if m else None


def _page_number(url: str) -> int:
    return _page_in_url(url) or 1


def _next_from_tree(tree: LexborHTMLParser, page_url: str, base: str) -> str | None:
    here = normalize_url(page_url)
    for node in tree.css("link[rel][href]"):
        if "next" in _rel(node):
            url = normalize_url(node.attributes.get("href") or "", base)
            if url and url != here:
                return url
    anchors = tree.css("a[href]")
    for node in anchors:
        if _is_next_anchor(node):
            url = normalize_url(node.attributes.get("href") or "", base)
            if url and url != here:
                return url
    # Numbered pagination only: the link labelled with the following page number.
    wanted = _page_number(page_url) + 1
    for node in anchors:
        if _anchor_text(node) == str(wanted):
            url = normalize_url(node.attributes.get("href") or "", base)
            if url and url != here and (_page_in_url(url) == wanted or _in_pagination(node)):
                return url
    return None


def find_next_page(html: str, page_url: str) -> str | None:
    """The listing's next page: ``rel=next``, a "Next"/"Older"/"›" link, else page n+1."""
    tree = LexborHTMLParser(html or "")
    return _next_from_tree(tree, page_url, _base_url(tree, page_url))


def _is_parent_section(url: str, page_url: str) -> bool:
    """The listing itself, its parents ("/", "/updates/") or the site root."""
    parts = urlsplit(url)
    if parts.query:
        return False
    path = parts.path.rstrip("/") + "/"
    here = urlsplit(page_url).path.rstrip("/") + "/"
    return here.startswith(path)


def _content_root(tree: LexborHTMLParser) -> list[LexborNode]:
    articles = [a for a in tree.css("article") if a.css_first("a[href]") is not None]
    if articles:
        return articles
    for selector in ("main", "[role=main]", "#content", ".content", "body"):
        node = tree.css_first(selector)
        if node is not None and node.css_first("a[href]") is not None:
            return [node]
    return [tree.root] if tree.root is not None else []


def parse_listing(
    html: str, page_url: str, link_pattern: str | re.Pattern[str] | None = None
) -> Listing:
    """Article links (absolute, normalised, unique, in page order) and the next page's URL.

    ``link_pattern`` is a regular expression searched in each absolute URL; an invalid one
    raises ``re.error`` (check it with :func:`compile_link_pattern` first).
    """
    tree = LexborHTMLParser(html or "")
    base = _base_url(tree, page_url)
    here = normalize_url(page_url) or page_url
    next_url = _next_from_tree(tree, page_url, base)
    pattern = re.compile(link_pattern) if isinstance(link_pattern, str) else link_pattern

    if pattern is not None:
        roots = [tree.root] if tree.root is not None else []
    else:
        roots = _content_root(tree)

    links: list[str] = []  # unique, in page order
    seen: set[str] = set()
    teasers: set[str] = set()
    for root in roots:
        for node in root.css("a[href]"):
            url = normalize_url(node.attributes.get("href") or "", base)
            if url is None or url in (here, next_url) or _is_pagination_anchor(node, url):
                continue
            if same_site(url, here) and _is_parent_section(url, here):
                continue
            if pattern is not None:
                if not pattern.search(url):
                    continue
            elif (
                not same_site(url, here)
                or _is_furniture(node)
                or _NOT_PAGES.search(urlsplit(url).path)
                or _SECTION_PATHS.search(urlsplit(url).path)
                or _rel(node) & {"tag", "category", "author", "nofollow", "external"}
                or _page_number(url) > 1
            ):
                continue
            if url not in seen:
                seen.add(url)
                links.append(url)
            if _is_teaser_anchor(node):
                teasers.add(url)
    if pattern is None and len(teasers) >= 2:
        # A list of teasers (titles, "Read more"): its other links are tags, countries, authors.
        links = [u for u in links if u in teasers]
    return Listing(links=links, next_url=next_url)


def compile_link_pattern(link_pattern: str | None) -> tuple[re.Pattern[str] | None, str | None]:
    """(compiled pattern, None) or (None, error message) for a user-given regular expression."""
    if link_pattern is None or link_pattern == "":
        return None, None
    try:
        return re.compile(link_pattern), None
    except re.error as exc:
        return None, f"invalid link pattern {link_pattern!r}: {exc}"
