"""parse_document / describe_file: staging rows with the DDL's columns, metadata, flags."""

import gzip
import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.ingest import read_landing_bytes
from transforms.parse import (
    PARSER_VERSION,
    ParseError,
    describe_file,
    fiw_text,
    parse_document,
)

FIX = Path(__file__).parent / "fixtures" / "updates"
EXPECTED = json.loads((FIX / "expected.json").read_text(encoding="utf-8"))
REASONS = {"unknown_country", "not_an_update", "empty_body", "no_dates", "bad_record"}


def ddl_columns(repo: Path, table: str) -> list[str]:
    sql = (repo / "sql/ddl" / f"{table}.sql").read_text()
    body = sql[sql.index("(") + 1 : sql.rindex(")")]
    cols = []
    for line in body.splitlines():
        m = re.match(r'\s*"?([a-z_0-9]+)"?\s+[A-Z]', line)
        if m and m.group(1) not in ("primary",):
            cols.append(m.group(1))
    return cols


def parse_file(name: str, source_url: str | None = None):
    ok, bad = read_landing_bytes(name, (FIX / name).read_bytes())
    assert not bad and len(ok) == 1
    d = ok[0]
    return parse_document(d.content, d.format, sha256=d.sha256, source=d.source,
                          source_url=source_url)


def test_rows_have_exactly_the_ddl_columns(repo) -> None:
    doc, sections, sentences = parse_file("iphr_tajikistan.txt")
    assert list(doc) == ddl_columns(repo, "staging_documents")
    assert all(list(s) == ddl_columns(repo, "staging_sections") for s in sections)
    assert all(list(s) == ddl_columns(repo, "staging_sentences") for s in sentences)
    assert doc["doc_id"] == "d" + doc["sha256"][:16]
    assert doc["parser_version"] == PARSER_VERSION and doc["kind"] == "update"
    assert isinstance(doc["window_start"], date) and isinstance(doc["flags"], list)
    for s in sentences:
        assert doc["text"][s["start"] : s["end"]] == s["text"]
        assert s["doc_id"] == doc["doc_id"]
    assert {s["section_no"] for s in sentences} <= {s["section_no"] for s in sections}


@pytest.mark.parametrize("name", sorted(p.name for p in FIX.iterdir() if p.name != "expected.json"))
def test_fixture_pages(name: str) -> None:
    results = describe_file(name, (FIX / name).read_bytes())
    assert results
    for r in results:
        json.dumps(r)  # JSON-ready
        want = EXPECTED[r["doc"]]
        if "error" in want:
            assert r.get("error") == want["error"], r
            assert r["detail"]
            continue
        assert "error" not in r, r
        got = {k: r[k] for k in ("country_iso3", "period_start", "period_end", "published")}
        assert got == {k: want[k] for k in got}
        for flag in want.get("flags", []):
            assert flag in r["flags"]
        if "headings" in want:
            assert [s["heading"] for s in r["sections"] if s["heading"]] == want["headings"]
        if "partners" in want:
            doc = parse_file(name)[0]
            assert doc["partners"] == want["partners"]


def test_furniture_never_reaches_sentences() -> None:
    doc, sections, sentences = parse_file("iphr_tajikistan.txt")
    joined = "\n".join(s["text"] for s in sentences)
    for furniture in ("Quick search", "Photo:", "In partnership", "latest news", "More news",
                      "attached documents", "Subscribe", "A different story"):
        assert furniture not in joined
    assert doc["title"] == "Tajikistan: Pressure on independent voices grows"
    assert [s["freedom"] for s in sections] == ["general", "expression", "association", "assembly"]


def test_tweets_and_glued_words() -> None:
    _, sections, sentences = parse_file("kyrgyzstan_tweets.txt")
    texts = [s["text"] for s in sentences]
    assert not any("@fixture_media" in t for t in texts)  # the author line is furniture
    assert any("Journalism is not a crime." in t for t in texts)  # the tweet's text is kept
    cleaned = " ".join(s["text_clean"] for s in sentences)
    for fixed in ("under a new law", "Beknazarova in early", "investigate whether",
                  "defenders Mary"):
        assert fixed in cleaned
    assert "Our colleague" not in " ".join(str(s["heading"]) for s in sections)


def test_hostile_html_yields_only_visible_text() -> None:
    doc, _, sentences = parse_file("hostile.html")
    for bad in ("INJECTED", "alert", "evil.example", "FRAME TEXT", "HIDDEN COMMENT", "SVG TEXT",
                "NOSCRIPT", "FORM VALUE", "BUTTON TEXT", "javascript"):
        assert bad not in doc["text"]
    assert "insulting officials in a post" in doc["text"]
    assert doc["country_iso3"] == "ARM"


def test_country_mismatch_url_flag() -> None:
    doc, _, _ = parse_file("adc_turkmenistan.txt", "https://example.org/news/uzbekistan-report")
    assert doc["country_iso3"] == "TKM" and "country_mismatch_url" in doc["flags"]
    doc, _, _ = parse_file("adc_turkmenistan.txt", "https://example.org/news/turkmenistan-report")
    assert "country_mismatch_url" not in doc["flags"]


def test_wrong_year_gets_flag_and_shifted_window() -> None:
    doc, _, _ = parse_file("wrong_year_uzbekistan.txt")
    assert (doc["period_start"], doc["period_end"]) == (date(2023, 3, 1), date(2023, 6, 30))
    assert "period_mismatch_events" in doc["flags"]
    assert (doc["window_start"], doc["window_end"]) == (date(2022, 3, 1), date(2022, 6, 30))


def test_staff_update_window_from_events_and_publication() -> None:
    doc, _, _ = parse_file("civicus_georgia_2025.html")
    assert not doc["period_stated"] and doc["period_start"] is None
    assert doc["published"] == date(2025, 3, 14)
    assert date(2025, 1, 1) <= doc["window_start"] <= doc["window_end"] <= date(2025, 3, 14)


def test_unknown_country_is_never_guessed() -> None:
    text = ("Freedonia: Journalists detained\n\nThis update covers developments affecting civic "
            "space in Freedonia from June to August 2022.\n\nOn 3 July 2022, police detained "
            "two journalists and dispersed a protest of activists and NGOs. The journalists "
            "were released the next day. On 9 August 2022, a court fined an NGO for holding "
            "an unregistered meeting.\n")
    with pytest.raises(ParseError) as e:
        parse_document(text, "text", sha256="ab" * 32, source="x")
    assert e.value.reason == "unknown_country" and e.value.detail


def test_freedom_house_record(shared) -> None:
    with gzip.open(shared / "corpus/fiw/reports.jsonl.gz", "rt", encoding="utf-8") as f:
        line = f.readline().strip()
    doc, sections, sentences = parse_document(line, "fiw_json", sha256="cd" * 32, source="r#L1")
    rec = json.loads(line)
    assert doc["kind"] == "report" and doc["country_iso3"] == rec["country_iso3"]
    y = rec["year_under_review"]
    assert (doc["window_start"], doc["window_end"]) == (date(y, 1, 1), date(y, 12, 31))
    assert doc["text"] == fiw_text(rec)
    codes = {s["code"]: s["freedom"] for s in sections}
    assert codes["D1"] == "expression" and codes["E1"] == "assembly"
    assert codes["E2"] == codes["E3"] == "association" and codes["A1"] == "general"
    assert all(s["assigned_by"] == "code" for s in sections)
    for s in sentences:
        assert doc["text"][s["start"] : s["end"]] == s["text"]


@pytest.mark.slow
def test_all_freedom_house_reports_parse(shared) -> None:
    data = (shared / "corpus/fiw/reports.jsonl.gz").read_bytes()
    ok, bad = read_landing_bytes("reports.jsonl.gz", data)
    assert len(ok) == 938 and not bad
    for d in ok:
        doc, sections, sentences = parse_document(d.content, d.format, sha256=d.sha256,
                                                  source=d.source)
        assert {"D1", "E1", "E2"} <= {s["code"] for s in sections} and sentences


def test_real_update_against_gold(shared) -> None:
    gold = json.loads((shared / "corpus/dev/gold/metadata.jsonl").read_text().splitlines()[0])
    data = (shared / "corpus/dev/docs" / gold["doc"]).read_bytes()
    [r] = describe_file(gold["doc"], data)
    assert r["country_iso3"] == gold["country_iso3"]
    assert (r["period_start"], r["period_end"]) == (gold["period_start"], gold["period_end"])
    assert r["published"] == gold["published"]
    assert ("period_mismatch_events" in r["flags"]) == (not gold["period_consistent"])
    ok, _ = read_landing_bytes(gold["doc"], data)
    doc, _, _ = parse_document(ok[0].content, ok[0].format, sha256=ok[0].sha256, source="x")
    assert doc["period_quote"] == gold["period_quote"]
    assert doc["period_stated"] is gold["period_stated"]
    # the evidence goes to the quarters of the events (September to December 2021)
    assert (doc["window_start"], doc["window_end"]) == (date(2021, 9, 1), date(2021, 12, 31))


def test_every_corpus_file_is_parsed_or_refused(shared) -> None:
    for path in sorted((shared / "corpus").rglob("*")):
        if path.is_file() and not path.name.endswith(".gz"):
            for r in describe_file(path.name, path.read_bytes()):
                assert ("error" in r and r["detail"]) or r["country_iso3"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=1500), st.sampled_from(["text", "html", "markdown", "fiw_json"]))
def test_random_text_never_crashes_parse(text: str, fmt: str) -> None:
    try:
        doc, sections, sentences = parse_document(text, fmt, sha256="ef" * 32, source="r")
    except ParseError as e:
        assert e.reason in REASONS
        return
    for s in sentences:
        assert doc["text"][s["start"] : s["end"]] == s["text"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([
    "Kyrgyzstan", "This update covers developments in Serbia from June to August 2022.",
    "Expression", "\n", "\n\n", "On 3 May 2021 police detained protesters.", "Mr.", "U.N.",
    "<p>", "</p>", "<script>", "Read more", "Photo: x", "3.5", "“", "”", "Quick search",
    "DATE POSTED : 01.02.2023", "undera", "- Name (@h) May 1, 2021", " ", "\u00a0", "#",
]), max_size=40))
def test_structured_noise_never_crashes(parts: list[str]) -> None:
    text = " ".join(parts)
    for fmt in ("text", "html", "markdown"):
        try:
            doc, _, sentences = parse_document(text, fmt, sha256="0" * 64, source="n")
        except ParseError as e:
            assert e.reason in REASONS
            continue
        for s in sentences:
            assert doc["text"][s["start"] : s["end"]] == s["text"] and s["text"].strip()


def test_absurdly_nested_html_is_flattened_not_hung() -> None:
    html = "<div>" * 100_000 + "Kyrgyzstan text" + "</div>" * 100_000
    with pytest.raises(ParseError) as e:
        parse_document(html, "html", sha256="1" * 64, source="deep.html")
    assert e.value.reason in REASONS


def test_site_name_in_h1_gives_way_to_a_title_naming_the_country() -> None:
    page = (FIX / "iphr_tajikistan.txt").read_text(encoding="utf-8")
    body = "".join(f"<p>{line}</p>" for line in page.split("\n")[9:] if line.strip())
    html = f"<html><head><title>Tajikistan: A title | IPHR</title></head><body><h1>IPHR</h1>{body}"
    doc, _, _ = parse_document(html, "html", sha256="2" * 64, source="t.html")
    assert doc["title"] == "Tajikistan: A title" and doc["country_iso3"] == "TJK"


def test_markdown_furniture_headings_are_not_titles_or_sections() -> None:
    text = (FIX / "iphr_tajikistan.txt").read_text(encoding="utf-8")
    md = "\n\n".join(
        ("## " + line) if len(line.split()) < 12 and line[-1:] not in ".:" else line
        for line in text.split("\n") if line.strip()
    )
    doc, sections, _ = parse_document(md, "markdown", sha256="3" * 64, source="t.md")
    assert doc["title"] == "Tajikistan: Pressure on independent voices grows"
    assert [s["heading"] for s in sections if s["heading"]] == [
        "Expression", "Association", "Peaceful assembly"]


def test_partners_only_from_sentences_about_the_update() -> None:
    from transforms.parse import find_partners

    text = ("A report prepared by a mission of observers was published. This update was prepared "
            "by ABC and the XYZ Centre as part of their work with the CIVICUS Monitor.")
    assert find_partners(text) == ["ABC", "XYZ Centre"]
    one = ("This update covers Kazakhstan. It was prepared by the Kazakhstan International Bureau "
           "for Human Rights and Rule of Law.")
    bureau = "Kazakhstan International Bureau for Human Rights and Rule of Law"
    assert find_partners(one) == [bureau]
    assert find_partners("Nobody prepared anything here.") == []


def test_title_with_two_countries_takes_the_one_the_body_is_about() -> None:
    text = ("After Russia, Kyrgyzstan adopts a foreign representatives law\n\n"
            "Parliament in Kyrgyzstan adopted the law on 2 April 2024 despite protests by NGOs. "
            "Activists in Kyrgyzstan said the law copies a model used against civil society. "
            "On 10 April 2024, journalists in Kyrgyzstan were questioned about their funding.\n")
    doc, _, _ = parse_document(text, "text", sha256="4" * 64, source="t")
    assert doc["country_iso3"] == "KGZ"


def test_bad_freedom_house_records() -> None:
    for content in ("[" * 100_000, "{}", '{"sections": "no"}', "not json",
                    '{"country_iso3": "KGZ", "sections": [], "year_under_review": "x"}'):
        with pytest.raises(ParseError) as e:
            parse_document(content, "fiw_json", sha256="5" * 64, source="r")
        assert e.value.reason in REASONS


def test_time_element_of_a_related_article_is_not_the_date() -> None:
    from transforms.htmltext import html_to_text

    page = html_to_text("<html><body><h1>T</h1><p>Text.</p><aside class='related'>"
                        "<time datetime='2024-06-01'>1 June</time></aside>"
                        "<div class='sidebar'><time datetime='2024-05-01'>x</time></div>"
                        "</body></html>")
    assert page.published_meta is None
    page = html_to_text("<html><body><article><h1>T</h1><time datetime='2023-02-03'>3 Feb"
                        "</time><p>Text.</p></article><aside><time datetime='2024-06-01'>"
                        "</time></aside></body></html>")
    assert page.published_meta == "2023-02-03"


def test_subject_country_not_the_one_compared_with() -> None:
    # no country in the title or an intro: the lead's "In X", the capital, and names that are
    # not comparisons ("a copy of Russia's law") decide
    text = ("Lawmakers adopt a foreign influence law\nDATE POSTED : 20.05.2024\n\n"
            "In Georgia, the ruling party passed a law that critics call a copy of Russia's "
            "foreign agents law, and that activists and NGOs say targets civil society.\n\n"
            "On 2 May 2024, journalists covering protests in Tbilisi were beaten by police, in a "
            "campaign similar to those in Russia. Russia adopted its law in 2012 to close NGOs. "
            "On 1 May 2024 riot police dispersed protesters and detained demonstrators.\n")
    doc, _, _ = parse_document(text, "text", sha256="0" * 64, source="georgia.txt")
    assert doc["country_iso3"] == "GEO"
