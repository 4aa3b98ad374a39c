"""Ingest: bytes from the landing folder -> decoded documents, or rejections with a reason.

Pure: ``read_landing_bytes(name, data)`` looks at the content (not only the name) to decide
the format (html | text | markdown | fiw_json), decodes it (BOM, UTF-8, else a
charset-normalizer guess such as cp1252 or latin-1, always recorded), unpacks gzip in memory
with a size limit, splits JSON lines into one document per line, and turns everything
unusable (binary, undecodable, empty, too large, bad JSON) into a ``Rejected`` with a reason
code and a sentence. ``near_duplicate_key`` / ``link_near_duplicates`` find mirror copies
(the same article saved from two sites).
"""

import codecs
import hashlib
import json
import re
import zlib
from dataclasses import dataclass
from datetime import datetime

from transforms.furniture import furniture_lines
from transforms.htmltext import html_to_text, looks_like_html

FORMATS = ("html", "text", "markdown", "fiw_json")
GZIP_FACTOR = 10  # a gzip file may unpack to at most this many times max_bytes

REASONS = {
    "too_large": "the file is larger than the configured limit",
    "empty": "the file is empty or holds only white space",
    "binary": "the file is binary (NUL or control bytes, or a known binary signature)",
    "undecodable": "the bytes could not be decoded as text in any known encoding",
    "bad_gzip": "the file starts like gzip but could not be decompressed",
    "bad_json": "the line is not a valid JSON object",
    "unsupported_json": "the JSON is valid but is not a Freedom House report record",
}


@dataclass(frozen=True)
class Incoming:
    source: str  # file name, or "name#L<n>" for one line of a JSON-lines file
    source_url: str | None
    format: str  # html | text | markdown | fiw_json
    size_bytes: int
    encoding: str
    content: str
    sha256: str  # of the document's own bytes (the line, for JSON lines)
    fetched_at: datetime | None


@dataclass(frozen=True)
class Rejected:
    file: str
    sha256: str | None
    stage: str  # ingest
    reason: str  # a key of REASONS
    detail: str


_BINARY_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"7z\xbc\xaf", "a 7-zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"SQLite format 3", "a SQLite database"),
    (b"PAR1", "a Parquet file"),
    (b"\x00asm", "a WebAssembly module"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = set(range(0, 9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
                               29, 30, 31, 127}


_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""",
                       re.IGNORECASE)


def _sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def _reject(file: str, sha: str | None, reason: str, detail: str = "") -> Rejected:
    text = REASONS[reason] + (f": {detail}" if detail else "") + "."
    return Rejected(file, sha, "ingest", reason, text)


def _gunzip(data: bytes, max_bytes: int) -> bytes | None:
    """Decompress gzip (all members) in memory; None when corrupt. Raises OverflowError if big.

    The pieces are joined once at the end (a single member is returned as decompressed, not
    copied): a 200 MB archive is held once, not three times."""
    parts: list[bytes] = []
    size = 0
    rest = data
    while rest:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            chunk = d.decompress(rest, max_bytes + 1 - size)
            parts.append(chunk)
            size += len(chunk)
            if size > max_bytes or d.unconsumed_tail:
                raise OverflowError
            tail = d.flush()
            if tail:
                parts.append(tail)
                size += len(tail)
        except zlib.error:
            return None
        if not d.eof:
            return None
        rest = d.unused_data.lstrip(b"\x00")
        if rest and not rest.startswith(b"\x1f\x8b"):
            break
    if size > max_bytes:
        raise OverflowError
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _binary_reason(data: bytes) -> str | None:
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            return what
    sample = data[:65536]
    if b"\x00" in sample:
        return "it contains NUL bytes"
    if sample:
        bad = sum(1 for b in sample if b in _CONTROL)
        if bad / len(sample) > 0.02:
            return f"{bad} control bytes in the first {len(sample)}"
    return None


def decode_bytes(data: bytes) -> tuple[str, str] | None:
    """(text, encoding): BOM, else strict UTF-8, else charset-normalizer's best guess."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _DECLARED.search(data[:4096])
    if declared:
        enc = declared.group(1).decode("ascii", errors="ignore").lower()
        try:
            name = codecs.lookup(enc).name
            if name not in ("utf-8", "utf-16", "utf-32"):
                return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:2_000_000]).best()
    except Exception:  # noqa: BLE001 - a detector failure is an undecodable file
        best = None
    candidates = []
    if best is not None and best.encoding:
        candidates.append(best.encoding)
    candidates += ["cp1252", "latin-1"]
    for enc in candidates:
        # Western pages: prefer cp1252 over exotic single-byte guesses when it decodes cleanly
        if enc not in ("cp1252", "latin-1", "utf_8") and _mostly_ascii(data):
            try:
                return data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                pass
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        return text, codecs.lookup(enc).name
    return None


def _mostly_ascii(data: bytes) -> bool:
    sample = data[:65536]
    return bool(sample) and sum(b < 128 for b in sample) / len(sample) > 0.9


def _text_is_garbage(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    return bad / len(sample) > 0.02


_MD_SIGNS = (
    re.compile(r"^\s{0,3}#{1,6}\s+\S", re.MULTILINE),
    re.compile(r"\[[^\]\n]{1,200}\]\([^)\s]{1,500}\)"),
    re.compile(r"^\s{0,3}(\*\*|__)[^\n]{2,200}(\*\*|__)\s*$", re.MULTILINE),
    re.compile(r"^\s{0,3}[-*+]\s+\S", re.MULTILINE),
    re.compile(r"^\s{0,3}>\s+\S", re.MULTILINE),
)


def detect_format(text: str, name: str = "") -> str:
    """html | markdown | fiw_json | text, from the content (the name only breaks ties)."""
    head = text.lstrip()[:4000]
    if head.startswith("{") or head.startswith("["):
        return "fiw_json"
    if looks_like_html(text):
        return "html"
    score = 0
    if _MD_SIGNS[0].search(text):
        score += 2
    if _MD_SIGNS[1].search(text):
        score += 2
    score += sum(1 for rx in _MD_SIGNS[2:] if rx.search(text))
    if name.lower().endswith((".md", ".markdown")):
        score += 1
    return "markdown" if score >= 2 else "text"


def _is_fiw_record(obj: object) -> bool:
    return (
        isinstance(obj, dict)
        and isinstance(obj.get("sections"), list)
        and ("country_iso3" in obj or "country" in obj)
    )


_SPACE = re.compile(r"\s*")


def _whole_json(text: str) -> object | None:
    """The one JSON value ``text`` holds, else None (JSON lines, or not JSON at all).

    Decodes in place (no stripped copy of a file that may be hundreds of megabytes)."""
    start = _SPACE.match(text).end()
    try:
        value, end = json.JSONDecoder().raw_decode(text, start)
    except (ValueError, RecursionError):
        return None
    return value if _SPACE.match(text, end).end() == len(text) else None


def _lines(text: str, raw: bytes, same: bool):
    """(line number, line, its bytes or None) of ``text``, one at a time: a JSON-lines archive
    is never held twice more as lists of lines. ``same``: ``raw`` is ``text`` in UTF-8, line for
    line, so each line's bytes are sliced from it (the sha256 of the bytes as they arrived)."""
    pos = bpos = 0
    n = 0
    while pos <= len(text):
        n += 1
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        line = text[pos:end]
        line_bytes = None
        if same:
            bnl = raw.find(b"\n", bpos)
            bend = len(raw) if bnl < 0 else bnl
            line_bytes = raw[bpos:bend]
            bpos = bend + 1
        yield n, line, line_bytes
        if nl < 0:
            return
        pos = nl + 1


def _json_documents(
    name: str, text: str, raw: bytes, encoding: str, source_url: str | None,
    fetched_at: datetime | None,
) -> tuple[list[Incoming], list[Rejected]] | None:
    """Documents of a JSON / JSON-lines file; None when the content is not JSON at all."""
    ok: list[Incoming] = []
    bad: list[Rejected] = []
    whole = _whole_json(text)
    if isinstance(whole, dict):
        if _is_fiw_record(whole):
            return [Incoming(name, source_url, "fiw_json", len(raw), encoding, text.strip(),
                             _sha(raw), fetched_at)], []
        return [], [_reject(name, _sha(raw), "unsupported_json",
                            "a JSON object without 'sections' and a country")]
    if isinstance(whole, list):
        for n, item in enumerate(whole, start=1):
            src = f"{name}#L{n}"
            body = json.dumps(item, ensure_ascii=False)
            sha = _sha(body.encode("utf-8"))
            if _is_fiw_record(item):
                ok.append(Incoming(src, source_url, "fiw_json", len(body.encode("utf-8")),
                                   encoding, body, sha, fetched_at))
            else:
                bad.append(_reject(src, sha, "unsupported_json",
                                   f"item {n} is not an object with 'sections' and a country"))
        return ok, bad
    same = encoding in ("utf-8", "utf-8-sig") and text.count("\n") == raw.count(b"\n")
    parsed_any = False
    for n, line, raw_line in _lines(text, raw, same):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        line_bytes = raw_line.rstrip(b"\r") if raw_line is not None else line.encode("utf-8")
        src = f"{name}#L{n}"
        sha = _sha(line_bytes)
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as e:
            bad.append(_reject(src, sha, "bad_json", f"line {n}: {type(e).__name__} {e}"[:300]))
            continue
        parsed_any = True
        if not _is_fiw_record(obj):
            bad.append(_reject(src, sha, "unsupported_json",
                               f"line {n} is not an object with 'sections' and a country"))
            continue
        ok.append(Incoming(src, source_url, "fiw_json", len(line_bytes), encoding, line.strip(),
                           sha, fetched_at))
    if not parsed_any:
        first = _SPACE.match(text).end()
        head = text[first : first + 2]
        meant_json = head == '{"' or name.lower().endswith((".json", ".jsonl", ".ndjson"))
        return ([], bad) if meant_json and bad else None
    if not ok and bad and all(r.reason == "unsupported_json" for r in bad):
        # JSON lines of some other kind (labels, logs): one rejection for the file, not per line
        return [], [_reject(name, _sha(raw), "unsupported_json",
                            f"{len(bad)} JSON lines, none a report with 'sections' and a country")]
    return ok, bad


def read_landing_bytes(
    name: str,
    data: bytes,
    *,
    max_bytes: int = 20_000_000,
    source_url: str | None = None,
    fetched_at: datetime | None = None,
) -> tuple[list[Incoming], list[Rejected]]:
    """Documents in one landed file, and what was rejected (never raises on bad input)."""
    name = str(name)
    if not isinstance(data, bytes | bytearray | memoryview):
        return [], [_reject(name, None, "undecodable", f"not bytes but {type(data).__name__}")]
    data = bytes(data)
    sha_file = _sha(data)
    # JSON lines are judged line by line (each report must fit the limit), up to a hard cap
    json_lines = data.lstrip()[:1] == b"{" and b"\n" in data[:max_bytes]
    if len(data) > max_bytes and not (json_lines and len(data) <= GZIP_FACTOR * max_bytes):
        return [], [_reject(name, sha_file, "too_large", f"{len(data)} bytes > {max_bytes}")]
    if data.startswith(b"\x1f\x8b"):
        limit = GZIP_FACTOR * max_bytes  # a JSON-lines archive may unpack larger than one page
        try:
            unpacked = _gunzip(data, limit)
        except OverflowError:
            return [], [_reject(name, sha_file, "too_large",
                                f"more than {limit} bytes once decompressed")]
        if unpacked is None:
            return [], [_reject(name, sha_file, "bad_gzip")]
        data = unpacked
        sha_file = _sha(data)
    if not data.strip():
        return [], [_reject(name, sha_file, "empty", f"{len(data)} bytes")]
    has_bom = any(data.startswith(b) for b, _ in _BOMS)
    if not has_bom:
        why = _binary_reason(data)
        if why:
            return [], [_reject(name, sha_file, "binary", why)]
    decoded = decode_bytes(data)
    if decoded is None:
        return [], [_reject(name, sha_file, "undecodable")]
    text, encoding = decoded
    if _text_is_garbage(text):
        return [], [_reject(name, sha_file, "binary", "control characters after decoding")]
    if not text or text.isspace() or not any(ch.isalnum() for ch in text):  # no stripped copy
        return [], [_reject(name, sha_file, "empty", "no letters or digits")]
    fmt = detect_format(text, name)
    too_big = _reject(name, sha_file, "too_large", f"{len(data)} bytes (unpacked) > {max_bytes}")
    if fmt != "fiw_json" and len(data) > max_bytes:
        return [], [too_big]
    if fmt == "fiw_json":
        inner = name[:-3] if name.lower().endswith(".gz") else name
        got = _json_documents(inner or name, text, data, encoding, source_url, fetched_at)
        if got is not None:
            ok, bad = got
            big = [d for d in ok if d.size_bytes > max_bytes]
            bad += [_reject(d.source, d.sha256, "too_large", f"{d.size_bytes} bytes > {max_bytes}")
                    for d in big]
            return [d for d in ok if d.size_bytes <= max_bytes], bad
        if len(data) > max_bytes:
            return [], [too_big]
        fmt = "markdown" if detect_format(text.lstrip("{["), name) == "markdown" else "text"
    return [Incoming(name, source_url, fmt, len(data), encoding, text, sha_file, fetched_at)], []


# ---------------------------------------------------------------- mirror copies

_NON_WORD = re.compile(r"[^0-9a-z\u00c0-\u024f\u0400-\u04ff]+")


def _body_words(text: str) -> list[str]:
    """Words of the body lines (furniture and short lines such as menus and credits dropped)."""
    if looks_like_html(text):
        text = html_to_text(text).text
    lines = text.split("\n")
    furn = furniture_lines(lines)
    words: list[str] = []
    for i, line in enumerate(lines):
        if i in furn:
            continue
        w = _NON_WORD.sub(" ", line.lower()).split()
        if len(w) >= 8:
            words.extend(w)
    if not words:  # a short text: take it all
        words = _NON_WORD.sub(" ", text.lower()).split()
    return words


def near_duplicate_key(text: str) -> str:
    """A fingerprint that mirror copies share: the body's words, furniture and spacing ignored."""
    if not isinstance(text, str):
        return ""
    return hashlib.sha1(" ".join(_body_words(text)).encode("utf-8")).hexdigest()


def _shingles(text: str, k: int = 5) -> set[int]:
    words = _body_words(text)
    if len(words) < k:
        return {hash(" ".join(words))} if words else set()
    return {
        int.from_bytes(hashlib.blake2b(" ".join(words[i : i + k]).encode(), digest_size=8).digest())
        for i in range(len(words) - k + 1)
    }


def link_near_duplicates(docs: list[tuple[str, str]], threshold: float = 0.9) -> dict[str, str]:
    """{sha: sha of the earliest near-identical document} for mirror copies.

    Near-identical: same body fingerprint, or Jaccard similarity of word 5-gram shingles of
    the body >= ``threshold``. Candidates are found through 8 min-hashes (a true pair at 0.9
    is missed with probability 1e-8), then checked exactly. The first document of each group
    is not in the result.
    """
    out: dict[str, str] = {}
    canon_by_key: dict[str, str] = {}
    index: dict[tuple[int, int], list[int]] = {}
    kept: list[tuple[str, set[int]]] = []
    seeds = [(0x9E3779B97F4A7C15 * (i + 1)) & 0xFFFFFFFFFFFFFFFF for i in range(8)]
    seen: set[str] = set()
    for sha, text in docs:
        if sha in seen or not isinstance(text, str):
            continue
        seen.add(sha)
        key = near_duplicate_key(text)
        if key in canon_by_key:
            out[sha] = canon_by_key[key]
            continue
        sh = _shingles(text)
        mins = [min((h ^ s) for h in sh) if sh else 0 for s in seeds]
        match = None
        cands: set[int] = set()
        for i, mv in enumerate(mins):
            cands.update(index.get((i, mv), []))
        for c in sorted(cands):
            csha, csh = kept[c]
            if not sh or not csh:
                continue
            small, big = sorted((len(sh), len(csh)))
            if small < threshold * big:
                continue
            inter = len(sh & csh)
            if inter / (len(sh) + len(csh) - inter) >= threshold:
                match = csha
                break
        if match is not None:
            out[sha] = out.get(match, match)
            continue
        canon_by_key[key] = sha
        kept.append((sha, sh))
        for i, mv in enumerate(mins):
            index.setdefault((i, mv), []).append(len(kept) - 1)
    return out
