"""Property-based tests: hostile or random input never crashes, hangs or loses a document.

Every input to ingest is either turned into documents or rejected with a reason; every document
handed to the parser either parses (and every offset indexes its text exactly) or raises
``ParseError`` with a reason; the extractor never crashes and its spans index the text.

The generators mix real-looking fragments (written here, in our own words) with noise: random
bytes and Unicode, deeply nested or unclosed HTML, huge lines, zero-width characters,
right-to-left text and NUL bytes. Each example runs under a time guard (a hang fails the test
instead of blocking the suite).
"""

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from transforms.extract import extract_file
from transforms.ingest import FORMATS, read_landing_bytes
from transforms.parse import ParseError, parse_document

GUARD_S = 20.0  # far above any honest example (milliseconds); only a hang reaches it
# No shrinking (a failing example is reported as generated: shrinking huge inputs takes minutes),
# no example database (nothing written into the working tree), a fixed seed (reproducible in CI).
COMMON = {"deadline": None, "suppress_health_check": list(HealthCheck), "derandomize": True,
          "database": None, "phases": (Phase.explicit, Phase.generate)}


class Hang(Exception):
    pass


@contextmanager
def time_guard(seconds: float = GUARD_S) -> Iterator[None]:
    """Interrupt (SIGALRM) an example that runs for ``seconds``: a hang, reported as such."""

    def _alarm(signum: int, frame: object) -> None:
        raise Hang(f"an example ran for more than {seconds} s")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert time.monotonic() - start < seconds, "an example hung"


# ------------------------------------------------------------------ fragments (our own words)

COUNTRIES = ["Georgia", "Serbia", "Kazakhstan", "Kenya", "Peru", "Hungary", "Atlantis", "Côte d'Ivoire"]
MONTHS = ["January", "March", "April", "June", "July", "September", "October", "December"]
INTROS = [
    "This is an update on developments related to the rights to freedoms of expression, "
    "association and peaceful assembly in {c} from 1st {m} {y} to 30th {m2} {y}.",
    "This update covers the period from {m} {y} to {m2} {y} in {c}.",
    "{c}: authorities tighten rules for civil society in {m} {y}",
    "In {c}, the reporting period ran from 1 {m} {y} to 31 {m2} {y}.",
]
HEADINGS = ["Association", "Peaceful Assembly", "Expression", "## Expression", "# Assembly",
            "ASSOCIATION", "Freedom of expression", "Other developments", "Peaceful assembly:"]
DATES = ["On 3 March {y},", "12.05.{y}", "DATE POSTED : 09.07.{y}", "On 8th February {y}",
         "Published: {y}-04-18", "in late {m} {y}", "{m} 31, {y}", "31/02/{y}", "0th {m} {y}"]
EVENTS = [
    "police detained three journalists who were covering a protest.",
    "parliament adopted a law that obliges NGOs funded from abroad to register as foreign agents.",
    "protesters were beaten by riot police in the capital.",
    "a blogger was sentenced to two years in prison for a post criticising the president.",
    "the authorities banned a march planned by environmental groups.",
    "an activist was killed by unknown attackers.",
    "the government withdrew the draft media bill after public pressure.",
    "a court dissolved a human rights organisation.",
    "the ministry pledged never to restrict the work of journalists.",
]
NOISE_CHARS = [
    "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060",  # zero-width
    "\u202e", "\u202b", "\u200f", "\u061c",  # right-to-left controls
    "\x00", "\r", "\t", "\x0b", "\x0c", "\u2028", "\u2029", "\x85",
]
RTL = ["حرية التعبير والتجمع السلمي", "חופש הביטוי וההתאגדות", "آزادی بیان در ایران"]
HTML_BITS = ["<p>", "</p>", "<div>", "</div>", "<h2>", "</h2>", "<br>", "<b>", "<i", "<!--",
             "-->", "<script>alert(1)</script>", "<style>p{}</style>", "<table><tr><td>",
             "<title>", "</title>", "<h1>", "&amp;", "&#0;", "&#x110000;", "&nbsp;", "<![CDATA[",
             "<meta name=\"date\" content=\"2024-13-45\">", "<img src=x onerror=alert(1)>"]

years = st.integers(min_value=1900, max_value=2100)


@st.composite
def fragment(draw: st.DrawFn) -> str:
    y = draw(years)
    m, m2 = draw(st.sampled_from(MONTHS)), draw(st.sampled_from(MONTHS))
    c = draw(st.sampled_from(COUNTRIES))
    kind = draw(st.integers(0, 11))
    if kind == 0:
        return draw(st.sampled_from(INTROS)).format(c=c, m=m, m2=m2, y=y)
    if kind == 1:
        return draw(st.sampled_from(HEADINGS))
    if kind == 2:
        return draw(st.sampled_from(DATES)).format(m=m, y=y) + " " + draw(st.sampled_from(EVENTS))
    if kind == 3:
        return draw(st.sampled_from(EVENTS)).capitalize()
    if kind == 4:
        return draw(st.sampled_from(NOISE_CHARS)) * draw(st.integers(1, 5))
    if kind == 5:
        return draw(st.sampled_from(RTL))
    if kind == 6:
        return draw(st.text(max_size=60))
    if kind == 7:
        return draw(st.sampled_from(HTML_BITS))
    if kind == 8:  # a huge line without any line break
        unit = draw(st.sampled_from(["word ", "police ", ". ", "\u200b ", "x" * 500 + " ",
                                     "Police beat protesters. "]))
        return unit * draw(st.integers(200, 2500) if len(unit) < 10 else st.integers(1, 40))
    return draw(st.sampled_from(["\n", "\n\n", " ", ". ", "\n\n\n\n"]))


@st.composite
def document_text(draw: st.DrawFn) -> str:
    parts = draw(st.lists(fragment(), min_size=0, max_size=25))
    return draw(st.sampled_from(["\n\n", "\n", " ", ""])).join(parts)


@st.composite
def nested_html(draw: st.DrawFn) -> str:
    depth = draw(st.integers(1, 3000))
    tag = draw(st.sampled_from(["div", "p", "span", "b", "ul><li", "table><tr><td", "a href='x'"]))
    inner = draw(document_text())
    closed = draw(st.booleans())
    opening = f"<{tag}>" * depth
    closing = "".join(f"</{t.split()[0].split('>')[0]}>" for t in [tag] * depth) if closed else ""
    title = draw(st.sampled_from(["", "<title>Serbia: <script>alert(1)</script></title>",
                                  "<title>unclosed", "<title></title>"]))
    return f"<html><head>{title}</head><body>{opening}{inner}{closing}"


raw_bytes = st.one_of(
    st.binary(max_size=4000),
    st.text(max_size=2000).map(lambda s: s.encode("utf-8", "surrogatepass")),
    document_text().map(lambda s: s.encode("utf-8", "surrogatepass")),
    document_text().map(lambda s: s.encode("utf-16")),
    document_text().map(lambda s: s.encode("latin-1", "replace")),
    nested_html().map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.builds(lambda a, b: a + b"\x00" + b, st.binary(max_size=50), st.binary(max_size=50)),
    st.sampled_from([b"", b" \n\t ", b"\x1f\x8b\x08\x00garbage", b"%PDF-1.7", b"\xef\xbb\xbf",
                     b"\xff\xfe", b"{\"a\": [", b"[]", b"{}\n{}\n", b"\x00" * 100]),
)
names = st.one_of(
    st.sampled_from(["update.html", "update.txt", "notes.md", "data.jsonl", "a.json.gz", "x",
                     "../../etc/passwd", "dir/\u202egpj.exe", "", "CON", "a" * 300]),
    st.text(max_size=40),
)


def _check_ingest(name: str, data: bytes) -> None:
    with time_guard():
        incoming, rejected = read_landing_bytes(name, data, max_bytes=100_000)
    assert incoming or rejected, "the input vanished: neither a document nor a rejection"
    for r in rejected:
        assert r.reason and r.stage, r
    for d in incoming:
        assert d.format in FORMATS
        assert isinstance(d.content, str) and d.content.strip()
        assert len(d.sha256) == 64


@settings(max_examples=2000, **COMMON)
@given(names, raw_bytes)
def test_ingest_never_crashes_and_never_loses_an_input(name: str, data: bytes) -> None:
    _check_ingest(name, data)


@settings(max_examples=150, **COMMON)
@given(st.integers(100_001, 400_000), st.sampled_from([b"a", b"\x00", b"<p>", b"\n", b"\xe9"]))
def test_ingest_rejects_oversized_input_with_a_reason(size: int, unit: bytes) -> None:
    with time_guard():
        incoming, rejected = read_landing_bytes("big.txt", unit * size, max_bytes=100_000)
    assert incoming == [] and [r.reason for r in rejected] == ["too_large"]


def _check_parse(content: str, fmt: str) -> None:
    try:
        with time_guard():
            doc, sections, sentences = parse_document(content, fmt, sha256="0" * 64, source="f")
    except ParseError as e:
        assert e.reason, "a ParseError without a reason"
        return
    text = doc["text"]
    assert doc["country_iso3"] and doc["window_start"] <= doc["window_end"]
    assert sentences, "a parsed document without sentences"
    for s in sentences:
        assert 0 <= s["start"] <= s["end"] <= len(text)
        assert text[s["start"]:s["end"]] == s["text"], s
    for sec in sections:
        assert 0 <= sec["start"] <= sec["end"] <= len(text)
    numbers = {sec["section_no"] for sec in sections}
    assert {s["section_no"] for s in sentences} <= numbers


@settings(max_examples=400, **COMMON)
@given(document_text(), st.sampled_from(["text", "markdown", "html"]))
def test_parse_document_parses_or_refuses_with_a_reason(content: str, fmt: str) -> None:
    _check_parse(content, fmt)


@settings(max_examples=150, **COMMON)
@given(nested_html())
def test_parse_document_survives_nested_and_unclosed_html(content: str) -> None:
    _check_parse(content, "html")


@settings(max_examples=300, **COMMON)
@given(st.text(max_size=3000), st.sampled_from(["text", "markdown", "html", "fiw_json", "pdf"]))
def test_parse_document_on_random_unicode(content: str, fmt: str) -> None:
    _check_parse(content, fmt)


@settings(max_examples=500, **COMMON)
@given(st.one_of(document_text(), st.text(max_size=2000)))
def test_extract_file_spans_index_the_text(text: str) -> None:
    with time_guard():
        mentions = extract_file("fuzz.txt", text)
    for m in mentions:
        assert 0 <= m["start"] <= m["end"] <= len(text)
        assert text[m["start"]:m["end"]] == m["text"], m
        assert m["event_type"] and m["freedom"] and m["event_id"]


def test_a_parsed_sample_keeps_working_under_zero_width_and_rtl_noise(repo) -> None:
    """A real-looking sample update with invisible and RTL characters sprinkled in still parses
    (or is refused with a reason) and its offsets stay exact."""
    base = (repo / "samples" / "inbox" / "georgia-2024q1.txt").read_text(encoding="utf-8")
    for noise in NOISE_CHARS + RTL:
        noisy = base.replace(" the ", f" the{noise} ", 7)
        _check_parse(noisy, "text")
        incoming, rejected = read_landing_bytes("g.txt", noisy.encode("utf-8"))
        assert incoming or rejected


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_very_deep_html_nesting_does_not_crash(depth: int) -> None:
    content = "<html><body>" + "<div>" * depth + "Serbia: police detained activists." + "</div>"
    data = content.encode()
    _check_ingest("deep.html", data)
    _check_parse(content, "html")



@pytest.mark.parametrize("body", [
    "Q" * 30_000 + ". A" * 20,  # a long unbroken word (a base64 blob) before sentence ends
    "Police detained a journalist in the capital. " * 4000,  # one 180 kB paragraph
], ids=["long_word", "long_paragraph"])
def test_long_words_and_paragraphs_do_not_hang_the_parser(body: str) -> None:
    """Found by the fuzz above: the sentence splitter once scanned each paragraph from its start
    for every candidate sentence end (quadratic: 50 s for this paragraph, minutes for the word)."""
    intro = ("This is an update on developments related to the rights to freedoms of expression, "
             "association and peaceful assembly in Georgia from 1st January 2024 to 31st March "
             "2024.\n\n")
    _check_parse(intro + body, "text")
    with time_guard():
        extract_file("long.txt", intro + body)
