"""The lexicon matcher: a sentence becomes lower-case word tokens, tagged by phrase patterns.

Phrase patterns are written in a tiny language (see ``transforms.rules.lexicon``):

- words separated by spaces, each slot matching one token;
- ``arrest*`` matches any token starting with ``arrest``;
- ``deny|denied|refus*`` matches any of the alternatives;
- ``~3`` skips zero to three tokens.

Tokenising is one ``bytes.translate`` and ``split`` per sentence and candidate phrases are
found through a dict keyed by the first three letters of their first slot, so the cost per
sentence is one pass over its words in Python with dict look-ups: no per-rule regex.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

# bytes -> bytes table: letters to lower case, digits kept, clause punctuation to ';',
# everything else (including UTF-8 continuation bytes) to a space.
_TABLE = bytearray(b" " * 256)
for _c in b"abcdefghijklmnopqrstuvwxyz0123456789":
    _TABLE[_c] = _c
for _c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _TABLE[_c] = _c + 32
_TABLE = bytes(_TABLE)
_BREAKS = ((b";", b" ; "), (b":", b" ; "), (b"(", b" ; "), (b")", b" ; "),
           ("\u2014".encode(), b" ; "), ("\u2013".encode(), b" ; "), (b" - ", b" ; "))
# words that open a new clause (the scope of a negation or hedge ends there)
CLAUSE_WORDS = frozenset({";", "but", "though", "although", "whereas", "while",
                          "yet", "which", "who", "after", "before", "because"})


def tokens(text: str) -> list[str]:
    """Lower-case word tokens of ``text``; ';' marks clause punctuation (; : ( ) dashes)."""
    b = text.encode("utf-8", "replace")
    for old, new in _BREAKS:
        if old in b:
            b = b.replace(old, new)
    return b.translate(_TABLE).decode("ascii").split()


@dataclass(frozen=True)
class Slot:
    exact: frozenset[str]
    prefixes: tuple[str, ...]

    def match(self, w: str) -> bool:
        return w in self.exact or any(w.startswith(p) for p in self.prefixes)


@dataclass(frozen=True)
class Phrase:
    tags: tuple[str, ...]
    slots: tuple[Slot | int, ...]  # an int is a gap: skip 0..n tokens
    source: str


def _slot(spec: str) -> Slot:
    exact, prefixes = set(), []
    for alt in spec.split("|"):
        if alt.endswith("*"):
            prefixes.append(alt[:-1])
        else:
            exact.add(alt)
    return Slot(frozenset(exact), tuple(prefixes))


def compile_phrase(tags: tuple[str, ...], pattern: str) -> Phrase:
    slots: list[Slot | int] = []
    for part in pattern.lower().split():
        slots.append(int(part[1:]) if part.startswith("~") else _slot(part))
    if not slots or isinstance(slots[0], int):
        raise ValueError(f"a phrase must start with a word: {pattern!r}")
    return Phrase(tags, tuple(slots), pattern)


def _match_from(slots: tuple[Slot | int, ...], k: int, words: list[str], i: int) -> int:
    """End index (exclusive) of a match of slots[k:] at words[i:], or -1."""
    if k == len(slots):
        return i
    s = slots[k]
    if isinstance(s, int):
        for j in range(i, min(i + s, len(words)) + 1):
            end = _match_from(slots, k + 1, words, j)
            if end >= 0:
                return end
        return -1
    if i < len(words) and words[i] != ";" and s.match(words[i]):
        return _match_from(slots, k + 1, words, i + 1)
    return -1


@dataclass
class Lexicon:
    phrases: list[Phrase]
    _index: dict[str, list[Phrase]] = field(default_factory=dict)
    _short: list[Phrase] = field(default_factory=list)
    _cache: dict[str, tuple[Phrase, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for ph in self.phrases:
            first = ph.slots[0]
            assert isinstance(first, Slot)
            keys = [w for w in first.exact] + list(first.prefixes)
            if any(len(k) < 3 for k in keys):
                self._short.append(ph)
            for k in {k[:3] for k in keys if len(k) >= 3}:
                self._index.setdefault(k, []).append(ph)

    def starting(self, w: str) -> tuple[Phrase, ...]:
        """Phrases whose first slot matches the token ``w`` (memoised per distinct token)."""
        hit = self._cache.get(w)
        if hit is None:
            cands = self._index.get(w[:3], []) + self._short
            hit = tuple(ph for ph in cands if ph.slots[0].match(w))  # type: ignore[union-attr]
            self._cache[w] = hit
        return hit

    def scan(self, words: list[str]) -> list[tuple[str, int, int]]:
        """Every (tag, start token, end token) hit in ``words``."""
        out: list[tuple[str, int, int]] = []
        starting = self.starting
        for i, w in enumerate(words):
            phs = starting(w)
            if not phs:
                continue
            for ph in phs:
                end = i + 1 if len(ph.slots) == 1 else _match_from(ph.slots, 1, words, i + 1)
                if end >= 0:
                    for t in ph.tags:
                        out.append((t, i, end))
        return out


def build(entries: Iterable[tuple[tuple[str, ...], str]]) -> Lexicon:
    """A lexicon from ``(tags, "pattern | pattern ...")`` entries (several patterns per line
    separated by ' , ')."""
    phrases = []
    for tags, patterns in entries:
        for p in patterns.split(","):
            if p.strip():
                phrases.append(compile_phrase(tags, p.strip()))
    return Lexicon(phrases)
