"""Visible text of an HTML page, with block structure kept as line breaks (selectolax/lexbor).

Scripts, styles, navigation, forms, footers, asides, comments and attributes (``onerror``...)
never reach the text. Block elements become lines, paragraphs and headings are separated by a
blank line (the shape ``transforms.segment`` reads), inline elements are joined as the browser
would (no space is invented between ``<b>Narmatova</b>in``: that glue is repaired later, in
``text_clean``). Pure: a string in, values out.
"""

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

_DROP = {
    "script", "style", "noscript", "template", "nav", "form", "svg", "math", "iframe", "object",
    "embed", "canvas", "button", "select", "option", "input", "textarea", "head", "footer",
    "aside", "audio", "video", "map", "dialog", "menu", "link", "meta", "title",
}
_PARA = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "figcaption", "table",
    "ul", "ol", "dl", "pre", "article", "section", "main", "header", "address", "details",
    "summary", "hr",
}
_LINE = {"div", "li", "tr", "dt", "dd", "br", "td", "th", "caption", "legend", "fieldset",
         "center", "label"}
_WS = re.compile(r"[ \t\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_MAX_NODES = 2_000_000
_BLANK = "\n\x00\n"  # a paragraph break; plain line breaks never make a blank line


@dataclass(frozen=True)
class HtmlPage:
    text: str
    title: str | None  # <h1>, else og:title, else <title>
    head_title: str | None  # <title> as given
    published_meta: str | None  # article:published_time / datePublished / date meta, raw
    canonical_url: str | None


def _meta(tree: LexborHTMLParser, *selectors: str) -> str | None:
    for sel in selectors:
        node = tree.css_first(sel)
        if node is not None:
            v = node.attributes.get("content") or node.attributes.get("href")
            if v and v.strip():
                return v.strip()
    return None


def _clean_inline(s: str) -> str:
    return " ".join(s.split())


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
_VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "area", "base", "col", "embed",
         "source", "track", "param", "keygen", "command"}
_MAX_DEPTH = 400
_BLOCKISH = re.compile(
    r"</?(?:div|section|article|blockquote|li|ul|ol|tr|table|tbody|thead|td|th|dl|dt|dd|main|"
    r"header|center|figure|figcaption|details|summary)\b[^>]*>",
    re.IGNORECASE,
)
_INLINEISH = re.compile(
    r"</?(?:span|font|b|i|u|em|strong|a|small|big|sup|sub|mark|abbr|cite|q|s|strike|del|ins|"
    r"code|tt|kbd|var|dfn|bdi|bdo|label|nobr)\b[^>]*>",
    re.IGNORECASE,
)


def too_deep(html: str, limit: int = _MAX_DEPTH) -> bool:
    """True when tags nest deeper than ``limit`` (the HTML parser slows down badly there)."""
    depth = 0
    for m in _TAG.finditer(html):
        tag = m.group(2).lower()
        if tag in _VOID:
            continue
        depth += -1 if m.group(1) else 1
        if depth > limit:
            return True
        depth = max(depth, 0)
    return False


_ASIDE_TAGS = {"aside", "nav", "footer", "menu", "form"}
_ASIDE_CLASS = re.compile(r"related|sidebar|widget|latest|recent|more-news|footer|menu|teaser|"
                          r"carousel|popular", re.IGNORECASE)


def _article_time(tree: LexborHTMLParser) -> str | None:
    """The first ``<time datetime>`` that is not in a sidebar, menu, footer or related list."""
    for tnode in tree.css("time[datetime]")[:50]:
        value = tnode.attributes.get("datetime")
        if not value or not value.strip():
            continue
        node, ok, depth = tnode.parent, True, 0
        while node is not None and depth < 60:
            attrs = node.attributes or {}
            marks = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
            if (node.tag or "").lower() in _ASIDE_TAGS or _ASIDE_CLASS.search(marks):
                ok = False
                break
            node, depth = node.parent, depth + 1
        if ok:
            return value.strip()
    return None


def html_to_text(html: str) -> HtmlPage:
    """The visible text of ``html`` and the page's title, date and canonical URL if it has them.

    Absurdly nested markup (hostile pages) is flattened first: block tags become line breaks,
    inline tags vanish.
    """
    if too_deep(html):
        html = _INLINEISH.sub("", _BLOCKISH.sub("\n", html))
    tree = LexborHTMLParser(html)
    head_title = None
    t = tree.css_first("title")
    if t is not None:
        head_title = _clean_inline(t.text(deep=True)) or None
    h1 = tree.css_first("h1")
    h1_text = _clean_inline(h1.text(deep=True)) if h1 is not None else ""
    og = _meta(tree, 'meta[property="og:title"]', 'meta[name="twitter:title"]')
    title = h1_text or og or head_title
    published = _meta(
        tree,
        'meta[property="article:published_time"]',
        'meta[itemprop="datePublished"]',
        'meta[name="date"]',
        'meta[name="dc.date"]',
        'meta[name="DC.date.issued"]',
    )
    if published is None:
        published = _article_time(tree)
    canonical = _meta(tree, 'link[rel="canonical"]', 'meta[property="og:url"]')

    out: list[str] = []
    root = tree.body or tree.root
    if root is None:
        return HtmlPage("", title, head_title, published, canonical)
    # iterative walk: ("open", node) / ("close", tag)
    stack: list[tuple[str, object]] = [("open", root)]
    count = 0
    pre_depth = 0
    while stack and count < _MAX_NODES:
        action, item = stack.pop()
        count += 1
        if action == "close":
            tag = item
            if tag == "pre":
                pre_depth -= 1
            out.append(_BLANK if tag in _PARA else "\n")
            continue
        node = item
        if node.is_text_node:
            s = node.text_content or ""
            out.append(s if pre_depth else _WS.sub(" ", s.replace("\n", " ")))
            continue
        if not node.is_element_node and not node.is_document_node:
            continue  # comments and the like
        tag = (node.tag or "").lower()
        if tag in _DROP:
            continue
        if tag == "br":
            out.append("\n")
            continue
        if tag == "img":
            continue
        if tag in _PARA or tag in _LINE:
            out.append(_BLANK if tag in _PARA else "\n")
            if tag == "pre":
                pre_depth += 1
            stack.append(("close", tag))
        children = list(node.iter(include_text=True))
        for child in reversed(children):
            stack.append(("open", child))
    raw = "".join(out)
    lines = [line.strip() for line in raw.split("\n")]
    text_lines: list[str] = []
    blank = True
    for line in lines:
        if line == "\x00":
            if not blank:
                text_lines.append("")
                blank = True
        elif line:
            text_lines.append(line.replace("\x00", ""))
            blank = False
    text = "\n".join(text_lines).strip("\n")
    return HtmlPage(text, title, head_title, published, canonical)


def looks_like_html(s: str) -> bool:
    """True when a text is an HTML document or fragment (not prose that mentions a tag)."""
    head = s[:4000].lower()
    if re.search(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", head):
        return True
    tags = re.findall(r"</?(p|div|span|a|h[1-6]|br|li|ul|table|article|section|script|img)\b", head)
    return len(tags) >= 3
