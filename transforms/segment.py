"""Sections and sentences of a document text, with offsets into that text.

``segment(text, fmt)`` needs no metadata: it drops page furniture (``transforms.furniture``),
finds headings, assigns each section a freedom (by heading, by Freedom House indicator code,
or by a keyword vote over its content when the headings are missing), and splits the body
into sentences whose ``start``/``end`` index ``text`` exactly. ``text_clean`` is the sentence
with white space normalised and words glued together by HTML stripping pulled apart where
that is safe ("Narmatovain" -> "Narmatova in").
"""

import re
from collections import Counter

from transforms.furniture import furniture_lines
from transforms.taxonomy import FREEDOMS

Section = dict
Sentence = dict

# ---------------------------------------------------------------- headings

_FREEDOM_WORDS = {
    "expression": "expression", "expressions": "expression", "speech": "expression",
    "media": "expression", "press": "expression", "information": "expression",
    "association": "association", "associations": "association",
    "assembly": "assembly", "assemblies": "assembly",
}
_FILLER_WORDS = {
    "freedom", "freedoms", "of", "the", "to", "right", "rights", "and", "&", "peaceful",
    "free", "on", "fundamental", "civic", "space", "",
}
_GENERAL_HEADING = re.compile(
    r"^(introduction|general developments?\b.*|general update\b.*|general\b|key (institutional )?"
    r"developments?\b.*|overview|summary|executive summary|background|context|conclusions?|"
    r"recommendations|key recommendations|other developments?\b.*|positive developments?\b.*|"
    r"institutional developments?\b.*|political context|elections?)$",
    re.IGNORECASE,
)

# ---------------------------------------------------------------- content vote

_VOTE = {
    "expression": re.compile(
        r"\b(journalists?|media|press|reporters?|editors?|bloggers?|newspapers?|outlets?|"
        r"broadcast\w*|tv|television|radio|websites?|online|internet|social network\w*|"
        r"facebook|telegram|youtube|tiktok|twitter|instagram|censor\w*|blocked|blocking|"
        r"defamation|libel|insult\w*|false information|disinformation|free speech|speech|"
        r"expression|publications?|articles?|posts?|videos?|interviews?|critics?|critical|"
        r"wiretap\w*|hacked|surveillance|content|comments?|bloggers?)\b",
        re.IGNORECASE,
    ),
    "association": re.compile(
        r"\b(ngos?|non-governmental|civil society|organi[sz]ations?|human rights defenders?|"
        r"defenders?|activists?|trade unions?|unions?|association|registration|registered|"
        r"foreign agents?|foreign representatives?|funding|grants?|foundations?|lawyers?|"
        r"reporting scheme|dissolv\w+|liquidat\w+|observers?|monitors?|accreditation)\b",
        re.IGNORECASE,
    ),
    "assembly": re.compile(
        r"\b(protest\w*|demonstrat\w+|rall(y|ies)|march(es|ed)?|picket\w*|assembl(y|ies)|"
        r"gatherings?|took to the streets|dispers\w+|rubber bullets|tear gas|water cannons?|"
        r"sit-ins?|vigils?|riot police|crowds?)\b",
        re.IGNORECASE,
    ),
}


def vote_freedom(text: str, among: tuple[str, ...] = FREEDOMS) -> tuple[str | None, dict]:
    """The freedom whose keywords dominate ``text`` (None when no clear winner), and the counts."""
    counts = {f: len(_VOTE[f].findall(text)) for f in among}
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    top_f, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    if top >= 2 and top >= 1.5 * second:
        return top_f, counts
    return None, counts


# ---------------------------------------------------------------- sentence splitting

_TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "st", "mt", "gen", "col", "lt", "sgt", "capt", "maj",
    "rep", "sen", "gov", "rev", "hon", "pres", "messrs", "mme", "mlle", "cpt", "adm", "cmdr",
}
_BEFORE_NUMBER = {
    "no", "nos", "art", "arts", "para", "paras", "p", "pp", "vol", "ch", "sec", "fig", "nr",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "approx", "ca", "op", "cf",
}
_ALWAYS_ABBREV = {
    "e.g", "i.e", "etc", "vs", "cf", "al", "approx", "incl", "esp", "viz", "resp", "ibid",
    "jr", "sr", "inc", "ltd", "co", "corp", "dept", "univ", "assn", "bros", "est", "govt",
}
_STARTERS = {
    "The", "In", "On", "He", "She", "It", "They", "This", "That", "These", "Those", "However",
    "A", "An", "At", "As", "We", "His", "Her", "Their", "Its", "There", "According", "After",
    "Before", "During", "Meanwhile", "Since", "While", "When", "Also", "But", "And", "Some",
}

# A sentence end: punctuation (and closing quotes) before white space, or glued to a capital
# ("law.A number"). The first punctuation mark is taken outside the alternation so that the
# regex engine can skip quickly to candidate characters (a leading character class).
_CAND = re.compile(
    r"[.!?\u2026](?:[.!?\u2026]*[\"'\u201d\u2019)\]\u00bb]*(?=\s|$)"
    r"|(?<=[a-z0-9]{2}[.!?])[.!?]*[\"'\u201d\u2019)\]]*(?=[A-Z](?:[a-z]|\s)))"
)
_ENUM = re.compile(r"\d{1,3}|[ivxIVX]{1,4}|[a-zA-Z]|\(?\d{1,3}\)")
# _ENUM.fullmatch(piece.strip()) without slicing: \s is str.isspace, as for strip()
_ENUM_WS = re.compile(r"\s*(?:\d{1,3}|[ivxIVX]{1,4}|[a-zA-Z]|\(?\d{1,3}\))\s*")
_ALNUM = re.compile(r"[^\W_]")  # str.isalnum()
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.\-']*)$")


_WORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.-'"


def _word_before(par: str, lo: int, hi: int) -> str:
    """What ``_WORD_BEFORE.search(par, lo, hi)`` finds ("" for no match), without a regex scan."""
    chunk = par[lo:hi]
    tail = chunk[len(chunk.rstrip(_WORD_CHARS)):]  # the run of word characters ending at hi
    return tail.lstrip(".-'")  # a word starts with a letter


_NOT_FINAL = _TITLES | _ALWAYS_ABBREV  # words after which a full stop may not end a sentence
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_FIRST_WORD = re.compile(r"[\w\u2019']+")


def _is_boundary(par: str, m: re.Match) -> bool:
    end = m.end()
    n = len(par)
    k = end  # the first character after the white space that follows (no copy of the rest)
    while k < n and par[k].isspace():
        k += 1
    if k >= n:
        return True
    nxt = par[k]
    punct = m.group(0)
    if nxt.islower():
        return False
    if not punct.startswith("."):
        return True
    if punct.startswith("..") and not (nxt.isupper()):
        return False
    word = _word_before(par, max(0, m.start() - 40), m.start())
    if not word:
        return True
    lw = word.lower().rstrip(".")
    if lw in _TITLES:
        return False
    if lw in _ALWAYS_ABBREV:
        sp = par.find(" ", k)
        return nxt.isupper() and par[k : sp if sp >= 0 else n] in _STARTERS
    if lw in _BEFORE_NUMBER and nxt.isdigit():
        return False
    if len(word) == 1 and word.isupper():  # an initial: "J. Smith"
        return False
    if _INITIALS.fullmatch(word):  # U.N, U.S, e.g
        first = _FIRST_WORD.match(par, k)
        return bool(first) and first.group(0) in _STARTERS
    return True


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]`` (one paragraph); never empty, never padded."""
    par = text[start:end]
    spans: list[tuple[int, int]] = []
    cur = 0
    n = len(par)
    for m in _CAND.finditer(par):  # matches never overlap: each ends after ``cur``
        me = m.end()
        if me < n and par[me] == " " and me + 1 < n and par[me + 1].islower():
            continue  # ". the": never a boundary (the first test of _is_boundary)
        ms = m.start()
        if _ENUM_WS.fullmatch(par, cur, ms):
            continue  # "1. ", "iv. ", "a. " opening a list item
        if me + 1 < n and par[me] == " " and par[me + 1].isupper() and m.group(0) == ".":
            # the common case, decided as _is_boundary would: "word. Capital" ends a sentence
            # unless the word is a title, an abbreviation, an initial or holds a full stop
            word = _word_before(par, max(0, ms - 40), ms)
            if len(word) > 1 and "." not in word and word.lower() not in _NOT_FINAL:
                spans.append((cur, me))
                cur = me
                continue
        if _is_boundary(par, m):
            spans.append((cur, me))
            cur = me
    spans.append((cur, len(par)))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        seg = par[a:b]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        a2, b2 = a + lead, b - trail
        if b2 > a2 and _ALNUM.search(par, a2, b2):
            out.append((start + a2, start + b2))
        elif b2 > a2 and out:  # stray punctuation: glue to the previous sentence
            out[-1] = (out[-1][0], start + b2)
    return out


# ---------------------------------------------------------------- glued words

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_TWEET_LINKS = re.compile(r"(?:https?://)?(?:pic\.twitter\.com|t\.co)/\S+")
_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_TOKEN5 = re.compile(r"[A-Za-z\u00c0-\u024f]{5,}")  # shorter words are never glued pairs
_CAMEL = re.compile(r"\b([a-z]{3,})([A-Z][a-z]{2,})\b")

# Words that get glued to the end of the word before them when tags are stripped. Long ones
# are not the ending of any real word; short ones need the head seen on its own in the text.
_GLUE_LONG = ("whether", "which", "against", "during", "while", "their", "about", "after",
              "under", "from", "with", "were", "that", "into")
_GLUE_SHORT = ("and", "the", "for", "was", "has", "had", "his", "in", "on", "to", "of")
_MONTH_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december"}
_CAMEL_KEEP = {"openDemocracy", "amaBhungane", "iPhone", "iPad", "eBay", "eSwatini", "iTunes",
               "eGovernment", "mHealth"}
# Words that a following word gets glued to ("undera", "andthe").
_GLUE_HEAD = {"under", "over", "after", "for", "with", "from", "into", "about", "against",
              "during", "while", "the", "and", "of", "to", "in", "on", "by", "that",
              "whether", "which", "was", "were", "has", "had", "his", "their", "its", "not"}
_HEAD_GLUE = ("and", "that", "whether", "which", "from", "the")
# Real words that look like a word plus a glued short word.
_REAL_WORDS = {
    "within", "therein", "herein", "wherein", "thereon", "hereon", "whereon", "thereof",
    "hereof", "whereof", "thereto", "hereto", "whereto", "thereby", "hereby", "whereby",
    "therewith", "herewith", "forthwith", "bulletin", "lesson", "lessons", "upon", "into",
    "onto", "another", "whereas", "thereafter", "hereafter", "therefore", "moreover",
    "nevertheless", "notwithstanding", "whether", "together", "further", "without",
    "throughout", "however", "whatever", "whoever", "wherever", "whenever", "although",
    "formation", "information", "nation", "nations", "station", "stations", "caption",
    "option", "options", "action", "actions", "edition", "mention", "mentioned", "against",
    "begin", "again", "certain", "contain", "domain", "maintain", "obtain", "remain",
    "remained", "captain", "germany", "german", "organ", "human", "woman", "slogan",
    "person", "reason", "season", "prison", "poison", "treason", "weapon", "canon",
    "common", "summon", "london", "boston", "clinton", "harrison", "morrison", "johnson",
    "anderson", "robinson", "jackson", "wilson", "nelson", "dawson", "hudson", "gordon",
    "china", "idea", "area", "media", "data", "agenda", "formula", "militia", "somalia",
    "sharia", "maria", "ivanova", "petrova", "husband", "thousand", "island", "finland",
    "poland", "thailand", "holland", "ireland", "england", "scotland", "expand", "demand",
    "command", "understand", "mainland", "highland", "photo", "potato", "tomato", "veto",
    "manifesto", "ghetto", "motto", "toronto", "proof", "aloof", "breathe", "clothe",
    "therefor", "latin", "putin", "berlin", "kremlin", "martin", "austin", "kevin",
    "franklin", "origin", "margin", "cousin", "cabin", "robin", "darwin", "lenin",
    "protein", "vitamin", "penguin", "muslin", "dublin", "bahrain", "sudan", "jordan",
    "japan", "iran", "oman", "afghan", "bhutan", "tehran", "taiwan", "milan", "ivan",
    "yerevan", "veteran", "orphan", "partisan", "sultan", "christian", "spokesman",
    "chairman", "ombudsman", "caravan", "lebanon", "gabon", "marathon", "amazon",
    "horizon", "ribbon", "cannon", "button", "cotton", "carton", "salon", "simon",
    "mason", "demon", "lemon", "wagon", "dragon", "baron", "apron", "milton", "hilton",
    "washington", "wellington", "carbon", "pardon", "bacon", "beacon", "deacon",
    "seasonal", "weathered", "mother", "father", "brother", "other", "either", "neither",
    "rather", "weather", "feather", "leather", "teacher", "higher", "cipher",
    "butcher", "archer", "voucher", "publisher", "researcher", "christopher", "whither",
    "bathe", "soothe", "loathe", "goethe", "undertake", "undertaken", "overtake",
    "hereunder", "thereunder", "wonder", "ponder", "thunder", "plunder", "blunder",
    "asunder", "founder", "bystander", "commander", "slander", "islander", "wander",
    "lavender", "calendar", "cylinder", "reminder", "binder", "finder", "pretender",
    "candidate", "mandate", "update", "updated", "decade", "arcade", "blockade",
    "brigade", "crusade", "facade", "parade", "persuade", "comrade", "grenade",
    "lemonade", "mainstream", "downstream", "background", "overall",
    "meanwhile", "worthwhile", "erstwhile", "awhile", "roundabout", "thereabout",
    "therapist", "therapists", "sandwich", "whereabouts", "thereabouts", "indeed", "instead",
    "ahead", "abroad", "hereinafter", "augustin", "justin", "dustin", "nearby", "standby",
    "kristin", "agustin", "valentin", "constantin",
}


def document_vocabulary(text: str) -> Counter:
    """Word counts of a document (case kept): the evidence that a glued word's parts exist."""
    return Counter(_TOKEN.findall(text))


_ALL_TAILS = _GLUE_LONG + _GLUE_SHORT + ("a",)


def _seen(word: str, vocab: Counter) -> int:
    return vocab.get(word, 0) + (vocab.get(word.lower(), 0) if word != word.lower() else 0)


def _split_glued(token: str, vocab: Counter) -> str | None:
    """'Narmatovain' -> 'Narmatova in' when that split is safe, else None."""
    if len(token) < 5 or vocab.get(token, 0) > 1:
        return None
    low = token.lower()
    if low in _REAL_WORDS or not (low.endswith(_ALL_TAILS) or low.startswith(_HEAD_GLUE)):
        return None
    n = len(token)
    for tail in _GLUE_LONG:
        if low.endswith(tail):
            head = token[: n - len(tail)]
            if len(head) >= 4 and (_seen(head, vocab) or len(head) >= 6):
                return f"{head} {token[len(head):]}"
    for tail in _GLUE_SHORT:
        if low.endswith(tail):
            head = token[: n - len(tail)]
            if len(head) >= 4 and _seen(head, vocab) and head.lower() not in _MONTH_WORDS:
                return f"{head} {token[len(head):]}"
    if low.endswith("a") and low[:-1] in _GLUE_HEAD:
        return f"{token[:-1]} {token[-1]}"
    for head in _HEAD_GLUE:
        if low.startswith(head):
            tail = token[len(head):]
            if (len(tail) >= 4 and tail.islower() and vocab.get(tail, 0) >= 2
                    and tail not in _REAL_WORDS):
                return f"{token[:len(head)]} {tail}"
    return None


def _clean_spacing(text: str) -> str:
    """Zero-width characters and tweet links dropped, white space normalised, camelCase split."""
    s = text if text.isascii() else _ZERO_WIDTH.sub("", text)
    if "t.co/" in s or "pic.twitter.com/" in s:
        s = _TWEET_LINKS.sub(" ", s)
    s = " ".join(s.split())  # the same as _SPACES.sub(" ", s).strip(): both use str.isspace
    return _CAMEL.sub(lambda m: m.group(0) if m.group(0) in _CAMEL_KEEP
                      else f"{m.group(1)} {m.group(2)}", s)


def clean_text(text: str, vocab: Counter | None = None, memo: dict | None = None) -> str:
    """White space normalised, zero-width characters dropped, glued words pulled apart.

    ``vocab`` (``document_vocabulary`` of the whole document) enables the repairs of glued
    words; ``memo`` caches decisions across the sentences of one document.
    """
    s = _clean_spacing(text)
    if vocab is None:
        return s

    cache = memo if memo is not None else {}

    def fix(m: re.Match) -> str:
        tok = m.group(0)
        if tok not in cache:
            cache[tok] = _split_glued(tok, vocab) or tok
        return cache[tok]

    return _TOKEN5.sub(fix, s)


_TOKEN4 = re.compile(r"[A-Za-z\u00c0-\u024f]{4,}")  # the glue rules look up no shorter word
# every camelCase word holds a lower-case letter before a capital (the capital is looked for
# first: capitals are rare, so the search skips fast)
_LOWER_UPPER = re.compile(r"[A-Z](?<=[a-z][A-Z])")
_CAMEL_WORD = re.compile(r"^[a-z]{3,}[A-Z][a-z]{2,}$", re.MULTILINE)


def _has_camel_word(vocab: Counter) -> bool:
    """True when a word of the document has _CAMEL's shape (a _CAMEL match is a whole word)."""
    words = "\n".join(vocab)
    return bool(_LOWER_UPPER.search(words)) and bool(_CAMEL_WORD.search(words))


def _glue_vocabulary(text: str) -> Counter:
    """``document_vocabulary`` restricted to words of four letters or more (same counts)."""
    return Counter(_TOKEN4.findall(text))


def _clean_all(texts: list[str], vocab: Counter) -> list[str]:
    """``[clean_text(t, vocab) for t in texts]`` for the sentences of one document, faster.

    ``texts`` are sentences of the document whose vocabulary is ``vocab`` (each a piece of
    one line, bounded by non-letters). Each step runs once over the sentences joined by line
    breaks (no step matches across one). The glue decision depends on the token and the
    document only, so it is taken once per distinct token, and only tokens that change are
    replaced (a token is a maximal run of five or more letters, as for ``_TOKEN5``). The
    sentences' tokens are the document's, so the candidates are read from ``vocab`` (words
    seen once), plus the new words made by removing zero-width characters or splitting
    camelCase; a candidate absent from the sentences is harmless (it matches nothing).
    """
    if not texts:
        return []
    if any("\n" in t for t in texts):  # not from segment(): the plain way
        return [clean_text(t, vocab) for t in texts]
    joined = "\n".join(texts)
    same_words = True
    if not joined.isascii() and _ZERO_WIDTH.search(joined):
        joined = _ZERO_WIDTH.sub("", joined)
        same_words = False
    if "t.co/" in joined or "pic.twitter.com/" in joined:
        joined = _TWEET_LINKS.sub(" ", joined)
        same_words = False
    # white space: nothing to do when the only spaces are single ones inside the sentences
    if ("  " in joined or " \n" in joined or "\n " in joined or joined[0] == " "
            or joined[-1] == " " or not joined.replace("\n", " ").isprintable()):
        joined = "\n".join(" ".join(t.split()) for t in joined.split("\n"))
    if not same_words or _has_camel_word(vocab):
        joined, n = _CAMEL.subn(lambda m: m.group(0) if m.group(0) in _CAMEL_KEEP
                                else f"{m.group(1)} {m.group(2)}", joined)
        same_words = same_words and n == 0
    # only words seen once in the document can be split (cheap shape test first, as in
    # _split_glued); words that exist only once a step above changed the text are added
    cands = [t for t, c in vocab.items() if c == 1 and len(t) >= 5 and (
        (low := t.lower()).endswith(_ALL_TAILS) or low.startswith(_HEAD_GLUE))]
    if not same_words:
        cands += sorted(set(_TOKEN5.findall(joined)) - vocab.keys())
    fixes: dict[str, str] = {}
    for tok in cands:
        got = _split_glued(tok, vocab)
        if got:
            fixes[tok] = got
    if fixes:
        rx = re.compile(
            r"(?<![A-Za-z\u00c0-\u024f])(?:"
            + "|".join(re.escape(t) for t in sorted(fixes, key=len, reverse=True))
            + r")(?![A-Za-z\u00c0-\u024f])"
        )
        joined = rx.sub(lambda m: fixes[m.group(0)], joined)
    return joined.split("\n")


# ---------------------------------------------------------------- lines and headings

_END_PUNCT = ".!?;,:\u2026"
_CLOSERS = "\"'\u201d\u2019)]\u00bb*_ "
_FIW_HEADING = re.compile(
    r"^(Overview|Key Developments|Status Change|Rating Change|Trend Arrow|Notes|"
    r"Political Rights|Civil Liberties|[A-G][1-9])\b(.*)$"
)
_FIW_FREEDOM = {"D1": "expression", "D4": "expression", "E1": "assembly", "E2": "association",
                "E3": "association"}
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_MD_BOLD = re.compile(r"^\s*(\*\*|__)(.+?)(\*\*|__)\s*$")


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        e = end - 1 if line.endswith("\r") else end
        spans.append((pos, e))
        pos = end + 1
    return spans


def _heading_level(s: str) -> tuple[int, str | None, tuple[str, ...]]:
    """(level, freedom or 'general' or None, freedoms named) for a heading's text."""
    clean = re.sub(r"[^\w&\s-]", " ", s.lower())
    words = [w for w in re.split(r"[\s-]+", clean) if w]
    named = tuple(dict.fromkeys(_FREEDOM_WORDS[w] for w in words if w in _FREEDOM_WORDS))
    if named and all(w in _FREEDOM_WORDS or w in _FILLER_WORDS for w in words):
        if len(named) == 1:
            return 1, named[0], named
        return 1, None, named
    if _GENERAL_HEADING.match(" ".join(s.split()).rstrip(".:")):
        return 1, "general", ()
    return 2, None, ()


def _looks_like_heading(s: str) -> bool:
    s = s.strip()
    if not s or len(s) > 140:
        return False
    words = s.split()
    if len(words) > 16:
        return False
    if _heading_level(s)[0] == 1:
        return True
    first = s[0]
    if not (first.isupper() or first.isdigit()):
        return False
    if s[0] in "-\u2022*\u2013\u2014>" or s.startswith("(") or "@" in s or "http" in s:
        return False
    if "pic.twitter" in s or "t.co/" in s or re.search(r"[a-z][.!?][\"\u201d\u2019]?\s+[A-Z]", s):
        return False  # tweets and lines holding several sentences are running text
    core = s.rstrip(_CLOSERS)
    if not core or core[-1] in _END_PUNCT:
        return False
    if s[-1] in "\"\u201d\u2019" and len(words) > 6:
        return False
    return True


# ---------------------------------------------------------------- segment


def _split_headless(body: list[int], lines: list[str]) -> list[dict]:
    """A text without any heading: paragraphs grouped by the freedom their words point to.

    The first paragraph (the intro or lead) is general; a paragraph without a clear winner
    stays with the group before it.
    """
    groups: list[dict] = []
    for n, j in enumerate(body):
        f = "general" if n == 0 else (vote_freedom(lines[j])[0] or None)
        if groups and (f is None or f == groups[-1]["freedom"]):
            groups[-1]["body"].append(j)
        else:
            groups.append({"heading": None, "code": None, "head_line": None, "body": [j],
                           "freedom": f or "general"})
    return groups


def segment(text: str, fmt: str = "text") -> tuple[list[Section], list[Sentence]]:
    """(sections, sentences) of a document text, offsets into ``text``.

    ``fmt``: "text" (also used for text extracted from HTML), "markdown", or "fiw_text" (the
    text built from a Freedom House record: one block per indicator). Sections:
    ``{section_no, heading, code, freedom, assigned_by, start, end}``; sentences:
    ``{sentence_no, section_no, start, end, text, text_clean}`` with
    ``text[start:end] == sentence["text"]``. Numbers start at 1. Furniture lines belong to no
    section and yield no sentence.
    """
    if not isinstance(text, str) or not text.strip():
        return [], []
    spans = _line_spans(text)
    raw_lines = [text[a:b] for a, b in spans]
    furn = furniture_lines(raw_lines) if fmt != "fiw_text" else set()
    vocab = _glue_vocabulary(text)

    # 1. classify lines: ("head", heading_text, code) or ("body",)
    kinds: list[tuple | None] = []
    seen_body = False
    for i, line in enumerate(raw_lines):
        s = line.strip()
        if not s or i in furn:
            kinds.append(None)
            continue
        kind: tuple = ("body",)
        if fmt == "fiw_text":
            # built as blocks "CODE question\ntext": a block's first line is its heading
            m = _FIW_HEADING.match(s)
            block_start = i == 0 or not raw_lines[i - 1].strip()
            if m and block_start:
                kind = ("head", s, m.group(1))
        elif fmt == "markdown":
            m = _MD_HEADING.match(line) or _MD_BOLD.match(line)
            if m:
                kind = ("head", m.group(2).strip(" *_"), None)
            elif _looks_like_heading(s) and _heading_level(s)[0] == 1:
                kind = ("head", s, None)
        elif _looks_like_heading(s):
            nxt = next((j for j in range(i + 1, len(raw_lines))
                        if raw_lines[j].strip() and j not in furn), None)
            known = _heading_level(s)[0] == 1
            if nxt is not None and (known or seen_body):
                kind = ("head", s, None)
            elif nxt is not None and not seen_body:
                kind = None  # title / preamble above the first paragraph
        if kind is not None and kind[0] == "body":
            seen_body = True
        kinds.append(kind)

    # 2. group into sections
    groups: list[dict] = []
    for i, kind in enumerate(kinds):
        if kind is None:
            continue
        if kind[0] == "head":
            groups.append({"heading": kind[1], "code": kind[2], "head_line": i, "body": []})
        else:
            if not groups:
                groups.append({"heading": None, "code": None, "head_line": None, "body": []})
            groups[-1]["body"].append(i)
    if fmt != "fiw_text" and len(groups) == 1 and groups[0]["heading"] is None:
        groups = _split_headless(groups[0]["body"], raw_lines)
    sections: list[Section] = []
    parent: tuple[str | None, tuple[str, ...]] = (None, ())
    for g in groups:
        heading, code = g["heading"], g["code"]
        if fmt == "fiw_text":
            freedom = _FIW_FREEDOM.get(code or "", "general")
            assigned = "code"
        elif heading is None:
            assigned = "content"
            freedom = g.get("freedom") or "general"
        else:
            body_text = "\n".join(raw_lines[j] for j in g["body"])
            level, f, named = _heading_level(heading)
            if level == 1:
                parent = (f, named)
                if f is None:  # combined heading: vote among the freedoms it names
                    f = vote_freedom(heading + "\n" + body_text, named)[0] or named[0]
                freedom, assigned = f, "heading"
            else:
                vote, counts = vote_freedom(f"{heading}\n{heading}\n{heading}\n{body_text}")
                pf, pnamed = parent
                if pf in FREEDOMS:
                    strong = vote is not None and vote != pf and counts[vote] >= max(
                        4, 2 * counts[pf])
                    freedom, assigned = (vote, "content") if strong else (pf, "heading")
                elif pnamed:
                    sub = vote_freedom(f"{heading}\n{body_text}", pnamed)[0]
                    freedom, assigned = (sub or pnamed[0]), "heading"
                else:
                    freedom, assigned = (vote or "general"), "content"
        first_line = g["head_line"] if g["head_line"] is not None else g["body"][0]
        last_line = g["body"][-1] if g["body"] else g["head_line"]
        sections.append({
            "section_no": len(sections) + 1,
            "heading": heading,
            "code": code,
            "freedom": freedom,
            "assigned_by": assigned,
            "start": spans[first_line][0],
            "end": spans[last_line][1],
            "_body": g["body"],
        })

    # 3. sentences
    found: list[tuple[int, int, int]] = []  # (section_no, start, end)
    for sec in sections:
        no = sec["section_no"]
        for j in sec.pop("_body"):
            a, b = spans[j]
            found.extend((no, s0, s1) for s0, s1 in split_sentences(text, a, b))
    texts = [text[s0:s1] for _, s0, s1 in found]
    sentences: list[Sentence] = [
        {"sentence_no": k, "section_no": no, "start": s0, "end": s1, "text": t, "text_clean": c}
        for k, (no, s0, s1), t, c in zip(range(1, len(found) + 1), found, texts,
                                         _clean_all(texts, vocab), strict=True)
    ]
    return sections, sentences
