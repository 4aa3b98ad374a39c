"""The reviewed alias table: ISO3 codes from names, titles, URLs; never a guess."""

import csv
import gzip
import json

import pytest

from transforms.countries import (
    ALIASES,
    COUNTRY_NAMES,
    capital_country,
    country_from_url,
    country_name,
    find_countries,
    first_country,
    is_known_iso3,
    iso3_of,
)


def test_table_has_every_un_member_and_a_few_more(repo) -> None:
    path = repo / "transforms/data/country_aliases.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert set(rows[0]) == {"iso3", "name", "alias"}
    codes = {r["iso3"] for r in rows}
    assert len(codes - {"PSE", "VAT", "XKX", "TWN", "HKG"}) == 193
    assert all(len(c) == 3 and c.isupper() for c in codes)
    # every alias names exactly one country
    seen: dict[str, str] = {}
    for r in rows:
        key = r["alias"].lower()
        assert seen.setdefault(key, r["iso3"]) == r["iso3"], key


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Kyrgyzstan", "KGZ"), ("Kyrgyz Republic", "KGZ"), ("Türkiye", "TUR"), ("Turkey", "TUR"),
        ("Côte d'Ivoire", "CIV"), ("Cote d’Ivoire", "CIV"), ("Ivory Coast", "CIV"),
        ("Russia", "RUS"), ("Russian Federation", "RUS"), ("Burma", "MMR"), ("Eswatini", "SWZ"),
        ("Swaziland", "SWZ"), ("The Gambia", "GMB"), ("St. Kitts and Nevis", "KNA"),
        ("North Macedonia", "MKD"), ("Czechia", "CZE"), ("Kosovo", "XKX"), ("UK", "GBR"),
        ("Democratic Republic of the Congo", "COD"), ("Republic of the Congo", "COG"),
    ],
)
def test_aliases(name: str, iso3: str) -> None:
    assert iso3_of(name) == iso3


def test_adjectives_and_unknown_names_are_not_countries() -> None:
    for word in ("Kyrgyz", "Belarusian", "Serbian", "Freedonia", "uk", "Congo", "Korea", ""):
        assert iso3_of(word) is None


def test_find_countries_longest_match_and_offsets() -> None:
    text = "Papua New Guinea, Guinea-Bissau and Guinea; Niger and Nigeria; South Sudan and Sudan."
    found = find_countries(text)
    assert [m.iso3 for m in found] == ["PNG", "GNB", "GIN", "NER", "NGA", "SSD", "SDN"]
    for m in found:
        assert text[m.start : m.end] == m.alias
    assert first_country("Nothing here about a state.") is None
    assert first_country("Reports from Côte d’Ivoire") == "CIV"


def test_country_from_url() -> None:
    assert country_from_url("https://example.org/en/news/kyrgyzstan-new-law-on-ngos") == "KGZ"
    url = "https://monitor.example/updates/2021/05/bosnia-and-herzegovina/"
    assert country_from_url(url) == "BIH"
    assert country_from_url("https://serbia.example.org/news/123") is None  # host ignored
    assert country_from_url(None) is None


def test_names_and_capitals() -> None:
    assert country_name("kgz") == "Kyrgyzstan" and is_known_iso3("SRB")
    assert not is_known_iso3("ZZZ") and country_name("ZZZ") is None
    assert capital_country("Belgrade") == "SRB" and capital_country("Atlantis") is None
    assert len(COUNTRY_NAMES) == 198 and len(ALIASES) > 250


def test_every_freedom_house_code_is_known(shared) -> None:
    with gzip.open(shared / "corpus/fiw/reports.jsonl.gz", "rt", encoding="utf-8") as f:
        codes = {json.loads(line)["country_iso3"] for line in f}
    assert codes and all(is_known_iso3(c) for c in codes)
