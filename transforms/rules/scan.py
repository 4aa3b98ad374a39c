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
from itertools import compress, repeat
from operator import is_, itemgetter

# bytes -> bytes table: letters to lower case, digits kept, clause punctuation to ';',
# everything else (including UTF-8 continuation bytes) to a space.
_TABLE = bytearray(b" " * 256)
for _c in b"abcdefghijklmnopqrstuvwxyz0123456789":
    _TABLE[_c] = _c
for _c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _TABLE[_c] = _c + 32
_TABLE = bytes(_TABLE)
_BREAKS = (
    (b";", b" ; "),
    (b":", b" ; "),
    (b"(", b" ; "),
    (b")", b" ; "),
    ("\u2014".encode(), b" ; "),
    ("\u2013".encode(), b" ; "),
    (b" - ", b" ; "),
)
# words that open a new clause (the scope of a negation or hedge ends there)
MARK = "zqsentencezq"  # joins the sentences of a document in one scan; no phrase crosses it
STOPS = frozenset({";", MARK})
CLAUSE_WORDS = frozenset(
    {
        ";",
        "but",
        "though",
        "although",
        "whereas",
        "while",
        "yet",
        "which",
        "who",
        "after",
        "before",
        "because",
    }
)


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
        return w in self.exact or (bool(self.prefixes) and w.startswith(self.prefixes))


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
            if j < len(words) and words[j] in STOPS:
                break
        return -1
    if i < len(words) and words[i] not in STOPS and s.match(words[i]):
        return _match_from(slots, k + 1, words, i + 1)
    return -1


# Frequent words ('the march', 'is respected', 'in custody'): a phrase whose first slot
# accepts one of them and whose second slot is a plain word is looked up from its second
# word, which is far rarer, and its first word is checked one token back.
FREQUENT = frozenset(
    """the a an in to of for on at by with from and or as is are was were be been
has have had their its his her it they there this that these those not no all some can may new
state public political people members generally rights freedom law""".split()
)


def _anchor(ph: Phrase) -> int:
    """Index of the slot a phrase is looked up by: 0, or the first of its second and third
    slots that accepts no frequent word when the slots before it do (and hold no gap)."""
    first = ph.slots[0]
    assert isinstance(first, Slot)
    if not first.exact & FREQUENT or first.prefixes:
        return 0
    for k in (1, 2):
        if k >= len(ph.slots) or not isinstance(ph.slots[k], Slot):
            return 0
        s = ph.slots[k]
        assert isinstance(s, Slot)
        if s.exact.isdisjoint(FREQUENT) and all(len(p) >= 3 for p in s.prefixes):
            return k
    return 0


@dataclass
class Lexicon:
    phrases: list[Phrase]
    _index: dict[str, list[Phrase]] = field(default_factory=dict)  # by first 3 letters
    _exact_short: dict[str, list[Phrase]] = field(default_factory=dict)  # 'no', 'is' ...
    _short: list[Phrase] = field(default_factory=list)  # prefixes under 3 letters
    _back: dict[str, list[tuple[int, Phrase]]] = field(default_factory=dict)  # by a later slot
    _cache: dict[str, tuple] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for ph in self.phrases:
            k = _anchor(ph)
            if k:
                anchor = ph.slots[k]
                assert isinstance(anchor, Slot)
                for x in (*anchor.exact, *anchor.prefixes):
                    self._back.setdefault(x[:3], []).append((k, ph))
                continue
            first = ph.slots[0]
            assert isinstance(first, Slot)
            for k in first.exact:
                if len(k) < 3:
                    self._exact_short.setdefault(k, []).append(ph)
                else:
                    self._index.setdefault(k[:3], []).append(ph)
            for k in first.prefixes:
                if len(k) < 3:
                    self._short.append(ph)
                else:
                    self._index.setdefault(k[:3], []).append(ph)

    def starting(self, w: str) -> tuple:
        """For token ``w``: (tags of one-word phrases, phrases whose second slot is a gap,
        phrases whose second slot is a word, (k, phrase) for phrases whose k-th slot ``w``
        matches (their first k words are checked back), a memo of the paired phrases by the
        next token), or () when no phrase involves it. Memoised per distinct token."""
        hit = self._cache.get(w)
        if hit is None:
            key = w[:3]
            if (
                key not in self._index
                and key not in self._back
                and not self._short
                and w not in self._exact_short
            ):  # (most new words): no phrase at all
                self._cache[w] = ()
                return ()
            cands = self._index.get(key, []) + self._exact_short.get(w, []) + self._short
            found = list({id(ph): ph for ph in cands if ph.slots[0].match(w)}.values())  # type: ignore[union-attr]
            single = tuple(t for ph in found if len(ph.slots) == 1 for t in ph.tags)
            gapped = tuple(
                _gap_spec(ph) for ph in found if len(ph.slots) > 1 and isinstance(ph.slots[1], int)
            )
            paired = _pair_spec(
                tuple(ph for ph in found if len(ph.slots) > 1 and isinstance(ph.slots[1], Slot))
            )
            back = tuple(
                _back_spec(k, ph)
                for k, ph in {
                    id(ph): (k, ph) for k, ph in self._back.get(key, []) if ph.slots[k].match(w)
                }.values()
            )  # type: ignore[union-attr]
            hit = (single, gapped, paired, back) if (single or gapped or paired or back) else ()
            self._cache[w] = hit
        return hit

    def scan(self, words: list[str]) -> list[tuple[str, int, int]]:
        """Every (tag, start token, end token) hit in ``words``."""
        out: list[tuple[str, int, int]] = []
        append = out.append  # bound once: this loop runs for every tagged token of a corpus
        cache = self._cache
        looked = list(map(cache.get, words))
        if None in looked:  # words not seen before: look up those positions only
            for i in compress(range(len(words)), map(is_, looked, repeat(None))):
                looked[i] = self.starting(words[i])
        n = len(words)
        unsorted = False
        # only the tokens some phrase involves (their entry is not the empty tuple)
        for i, (single, gapped, paired, back) in compress(enumerate(looked), looked):
            if back:  # phrases found from a later slot k: they start at i - k
                for k, tags, slots, before, first in back:
                    if k > i:
                        continue
                    w0 = words[i - 1]  # the slot before k (Slot.match inlined)
                    if not (
                        w0 in before.exact or (before.prefixes and w0.startswith(before.prefixes))
                    ):
                        continue
                    if k > 1:
                        w0 = words[i - 2]
                        if not (
                            w0 in first.exact or (first.prefixes and w0.startswith(first.prefixes))
                        ):
                            continue
                    end = i + 1 if len(slots) == k + 1 else _match_from(slots, k + 1, words, i + 1)
                    if end >= 0:
                        unsorted = unsorted or k > 1
                        for t in tags:
                            append((t, i - k, end))
            if single:  # (a truth test is cheaper than looping over an empty tuple)
                for t in single:
                    append((t, i, i + 1))
            if gapped:
                for tags, gap, exact, prefixes, slots in gapped:
                    if slots is None:  # 'word ~n word': the common case, without recursion
                        end = -1
                        for j in range(i + 1, min(i + 2 + gap, n)):
                            wj = words[j]
                            if wj in STOPS:
                                break
                            if wj in exact or (prefixes and wj.startswith(prefixes)):
                                end = j + 1
                                break
                    else:
                        end = _match_from(slots, 1, words, i + 1)
                    if end >= 0:
                        for t in tags:
                            append((t, i, end))
            if paired and i + 1 < n:
                phrases, exact, prefixes, by_next = paired
                w1 = words[i + 1]
                # most next tokens fit no second slot: a small set rejects them
                if not (w1 in exact or (prefixes and w1.startswith(prefixes))):
                    continue
                second = by_next.get(w1)
                if second is None:
                    second = by_next[w1] = tuple(
                        ph for ph in phrases if w1 not in STOPS and ph.slots[1].match(w1)
                    )  # type: ignore[union-attr]
                for ph in second:
                    end = i + 2 if len(ph.slots) == 2 else _match_from(ph.slots, 2, words, i + 2)
                    if end >= 0:
                        for t in ph.tags:
                            append((t, i, end))
        if unsorted:
            out.sort(key=itemgetter(1))
        return out


def _back_spec(k: int, ph: Phrase) -> tuple:
    """(k, tags, slots, slot k-1, slot 0) of a phrase looked up by its k-th slot (k is 1 or 2,
    and the slots before it are words: see ``_anchor``)."""
    return (k, ph.tags, ph.slots, ph.slots[k - 1], ph.slots[0])


def _pair_spec(phrases: tuple[Phrase, ...]) -> tuple:
    """(phrases, every exact second word, every second-word prefix, memo of the phrases a
    next token completes) of the phrases whose second slot is a word; () when none."""
    if not phrases:
        return ()
    exact: set[str] = set()
    prefixes: set[str] = set()
    for ph in phrases:
        second = ph.slots[1]
        assert isinstance(second, Slot)
        exact |= second.exact
        prefixes.update(second.prefixes)
    return (phrases, frozenset(exact), tuple(sorted(prefixes)), {})


def _gap_spec(ph: Phrase) -> tuple:
    """(tags, gap, exact, prefixes, None) of a phrase 'word ~n word', matched inline by
    ``Lexicon.scan``; (tags, 0, (), (), slots) of a longer one, matched by ``_match_from``."""
    slots = ph.slots
    if len(slots) == 3 and isinstance(slots[1], int) and isinstance(slots[2], Slot):
        return (ph.tags, slots[1], slots[2].exact, slots[2].prefixes, None)
    return (ph.tags, 0, frozenset(), (), slots)


def build(entries: Iterable[tuple[tuple[str, ...], str]]) -> Lexicon:
    """A lexicon from ``(tags, "pattern | pattern ...")`` entries (several patterns per line
    separated by ' , ')."""
    phrases = []
    for tags, patterns in entries:
        for p in patterns.split(","):
            if p.strip():
                phrases.append(compile_phrase(tags, p.strip()))
    return Lexicon(phrases)
