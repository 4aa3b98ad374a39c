"""Page furniture: the lines of a saved web page that are not the article.

Works on the lines of a document text (as saved, or as extracted from HTML) and answers which
line numbers are furniture: site menus and search boxes, repeated titles and photo credits,
"latest news" / related-article tails, subscription boxes, tweet author lines, breadcrumbs,
dates and clocks of the page, country-page widgets. Pure functions over strings.
"""

import re

# Whole lines (compared lower-cased, white space collapsed, trailing colon dropped).
_EXACT = {
    "quick search",
    "advanced search",
    "reset all",
    "all news",
    "in partnership with",
    "more news",
    "subscribe to our updates",
    "read more",
    "read more »",
    "read more...",
    "latest civicus alert",
    "see all civicus alerts",
    "from the news feed",
    "view the news feed",
    "on watch list",
    "on watchlist",
    "monitortracking civic space",
    "monitor tracking civic space",
    "global findings",
    "publications",
    "data",
    "watchlist",
    "explore",
    "about",
    "home",
    "by",
    "share",
    "share this",
    "share this article",
    "print",
    "email",
    "tweet",
    "search",
    "menu",
    "back to top",
    "related",
    "related articles",
    "related news",
    "related posts",
    "latest news",
    "tags",
    "topics",
    "font size",
    "font",
    "a a a",
    "a+ a-",
    "a- a a+",
    "you can see all previous reviews here.",
    "you can see all previous reviews here",
    "type of information you wish to receive",
    "please select the topic(s) on which you wish to receive news/updates from us",
    "subscribe",
    "sign up",
    "newsletter",
    "contact",
    "contact us",
    "donate",
    "follow us",
    "skip to main content",
    "skip to content",
    "toggle navigation",
    "close",
    "next",
    "previous",
    "country updates",
    "view all",
    "see more",
    "load more",
    "all updates",
    "pic.twitter.com",
}

_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^see \d+ attached documents?$",
        r"^(photo|photograph|image|picture|credit|photo credit)s?\s*:",
        r"^live rating\s*:",
        r"^last updated on\b",
        r"^date posted\s*:",
        r"^.{0,60}: the latest news$",
        r"^home\s*(>|»|›|/|\|)",
        r"^published by .{1,80}? on\b.{0,40}$",
        # tweet author line: "- Name (@handle) Month d, yyyy"
        r"^[-—–]\s*.{0,80}\(@\w{1,30}\)\s*\w+\s+\d{1,2},\s*\d{4}\.?$",
        r"^(https?://\S+|pic\.twitter\.com/\S+)$",
        r"^\d{1,2}[./]\d{1,2}[./]\d{4}(\s+\d{1,2}:\d{2})?$",
        r"^\d{1,2}:\d{2}(:\d{2})?(\s*[ap]m)?(\s+\w{3,9},?\s+\d{1,2}\s+\w{3,9}\s+\d{4})?$",
        r"^(mon|tue|wed|thu|fri|sat|sun)\w*,?\s+\d{1,2}\s+\w{3,9},?\s+\d{4}(,?\s+\d{1,2}:\d{2})?$",
        r"^(mon|tue|wed|thu|fri|sat|sun)\w*,?\s+\w{3,9}\s+\d{1,2},?\s+\d{4}(,?\s+\d{1,2}:\d{2})?$",
        r"^(facebook|twitter|x|linkedin|whatsapp|telegram|vk|reddit|pinterest|email|print|"
        r"copy link)$",
        r"^share\s+(this|on|via)\b.{0,30}$",
        r"^(source|originally published|about the author)\s*:",
        r"^rated as\b.{0,40}$",
        r"^(font|text) size\b",
        r"^(a|a\+|a-)(\s+(a|a\+|a-)){1,4}$",
        r"^(select|choose) (font|language)",
        r"^\(?\d+\)?\s*comments?$",
        r"^(tags?|topics?|categories|category|filed under)\s*:",
        r"^share (on|via) ",
    )
]

# Lines after which the rest of the page is site material (only in the back half of a page).
_TAIL = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^.{0,60}: the latest news$",
        r"^more news$",
        r"^subscribe to our updates$",
        r"^related (articles|news|posts|stories)$",
        r"^see all civicus alerts$",
        r"^latest civicus alert$",
        r"^from the news feed$",
        r"^you may also (like|be interested in)",
        r"^read also:?$",
        r"^(previous|next) (article|post)$",
        r"^share( this( article| page| post)?)?$",
        r"^about the author\b",
        r"^(source|originally published)\s*:\s*this (article|report|update) was",
        r"^related (articles|news|posts|stories|content)\s*:?$",
    )
]

# Lines before which there is only site material (menus, search boxes) when near the top.
_MENU_WORDS = {
    "global findings",
    "publications",
    "data",
    "watchlist",
    "explore",
    "about",
    "home",
    "news",
    "search",
    "menu",
    "resources",
    "contact",
    "donate",
    "login",
    "log in",
}


_LONG = 400  # no furniture line is longer than this
_MARKUP = re.compile(r"^(?:#{1,6}\s+|>\s*)|^[*_]{1,3}|[*_]{1,3}$")


def norm_line(line: str) -> str:
    """A line compared for furniture: lower case, white space collapsed, trailing colon gone."""
    s = " ".join(line.replace("\u00a0", " ").split()).lower()
    if len(s) > _LONG:
        return s
    s = _MARKUP.sub("", s).strip()  # Markdown heading marks and emphasis
    return s[:-1].rstrip() if s.endswith(":") else s


def is_furniture_line(line: str) -> bool:
    """True when a single line, out of context, is page furniture."""
    s = norm_line(line)
    if not s or len(s) > _LONG:
        return False
    if s in _EXACT or s in _MENU_WORDS:
        return True
    return any(p.search(s) for p in _PATTERNS)


def is_tail_marker(line: str) -> bool:
    """True for a line that opens the site's closing block (latest news, subscribe ...)."""
    s = norm_line(line)
    return bool(s) and len(s) <= _LONG and any(p.search(s) for p in _TAIL)


def _is_paragraph(line: str) -> bool:
    words = line.split()
    return len(words) >= 12 and line.rstrip()[-1:] in '.!?"”’)…:'


def furniture_lines(lines: list[str]) -> set[int]:
    """Indices of the lines that are page furniture.

    Rules, in order: single-line patterns; lines repeated on the page (titles, photo credits,
    menu blocks, listing summaries: every copy goes); everything after a closing marker
    ("COUNTRY: the latest news", "More news", "Subscribe to our updates") in the back half of
    the page.
    """
    out: set[int] = set()
    seen: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        s = norm_line(line)
        if not s:
            continue
        if is_furniture_line(line):
            out.add(i)
        seen.setdefault(s, []).append(i)
    for s, idx in seen.items():
        if len(idx) > 1 and len(s) < 600:
            out.update(idx)
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if nonblank:
        # content before the first real paragraph that is short and menu-like
        half = nonblank[len(nonblank) // 2]
        first_par = next((i for i in nonblank if _is_paragraph(lines[i])), None)
        for i in nonblank:
            if i >= half and is_tail_marker(lines[i]) and first_par is not None and i > first_par:
                out.update(j for j in nonblank if j >= i)
                break
    return out
