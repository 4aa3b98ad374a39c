"""Countries: ISO 3166-1 alpha-3 codes through a reviewed alias table, never guessed.

The table is ``transforms/data/country_aliases.csv`` (iso3, name, alias): all UN members, the
two observer states, Kosovo (XKX), Taiwan and Hong Kong, with the other names pages use
("Kyrgyz Republic", "Türkiye", "Ivory Coast", "Burma"...). Adjectives ("Kyrgyz", "Belarusian")
are deliberately absent: they name people, languages and governments as often as countries.
The table ships with the package and is read once at import.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class CountryMention:
    iso3: str
    alias: str
    start: int
    end: int


def _load() -> tuple[dict[str, str], dict[str, str]]:
    raw = resources.files("transforms").joinpath("data/country_aliases.csv").read_text("utf-8")
    names: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(raw)):
        names.setdefault(row["iso3"], row["name"])
        aliases[_fold(row["alias"])] = row["iso3"]
    return names, aliases


def _fold(s: str) -> str:
    """Lower case, accents off, apostrophes and dashes unified, white space collapsed."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    s = re.sub(r"[\u2010-\u2015]", "-", s)
    return " ".join(s.lower().split())


COUNTRY_NAMES, ALIASES = _load()
_UPPER_ONLY = {"uk", "uae", "usa", "drc", "dprk"}  # acronyms: matched in capitals only


def _alias_regex() -> re.Pattern[str]:
    parts = []
    for alias in sorted(ALIASES, key=len, reverse=True):
        body = r"\s+".join(re.escape(w) for w in alias.split(" "))
        body = body.replace("'", "['\u2019\u2018`]").replace(r"\-", r"[-\u2010-\u2015 ]")
        parts.append(body)
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


_ALIAS_RE = _alias_regex()


def _fold_keep_length(text: str) -> str:
    """Accents removed character by character so that offsets stay those of ``text``."""
    if text.isascii():
        return text
    table: dict[int, str] = {}
    for ch in set(text):
        if ord(ch) < 128:
            continue
        d = unicodedata.normalize("NFKD", ch)
        base = "".join(c for c in d if not unicodedata.combining(c))
        if len(base) == 1 and base != ch:
            table[ord(ch)] = base
    return text.translate(table)


def country_name(iso3: str) -> str | None:
    """The table's name for an ISO3 code, None when the code is not in the table."""
    return COUNTRY_NAMES.get(iso3.upper()) if isinstance(iso3, str) else None


def is_known_iso3(iso3: str) -> bool:
    return isinstance(iso3, str) and iso3.upper() in COUNTRY_NAMES


def iso3_of(name: str) -> str | None:
    """The ISO3 code of an exact country name or alias (any case, accents optional)."""
    if not isinstance(name, str):
        return None
    s = name.strip()
    if s.lower() in _UPPER_ONLY and s != s.upper():
        return None
    return ALIASES.get(_fold(s.strip(" .,:;\"'")))


def find_countries(text: str) -> list[CountryMention]:
    """Every country named in ``text``, in order, longest alias first at each place."""
    if not isinstance(text, str) or not text:
        return []
    folded = _fold_keep_length(text)
    out = []
    for m in _ALIAS_RE.finditer(folded):
        alias = text[m.start() : m.end()]
        if alias.lower() in _UPPER_ONLY and alias != alias.upper():
            continue
        iso = ALIASES.get(_fold(alias))
        if iso:
            out.append(CountryMention(iso, alias, m.start(), m.end()))
    return out


def first_country(text: str) -> str | None:
    """The ISO3 of the first country named in ``text``."""
    found = find_countries(text)
    return found[0].iso3 if found else None


def country_from_url(url: str | None) -> str | None:
    """The country a URL's path names ("/kyrgyzstan-ongoing-concerns..." -> KGZ), if any.

    Only path words are used (the host is ignored); a slug such as ``bosnia-and-herzegovina``
    counts as the words it holds.
    """
    if not url or not isinstance(url, str):
        return None
    path = re.sub(r"^[a-z]+://[^/]*", "", url.strip(), flags=re.IGNORECASE)
    path = re.sub(r"[?#].*$", "", path)
    words = re.sub(r"[^A-Za-z\u00c0-\u024f']+", " ", path)
    found = [m for m in find_countries(words) if m.alias.lower() not in _UPPER_ONLY]
    return found[0].iso3 if found else None


# Capitals and a few large cities that stand for one country in datelines ("Belgrade, 20 August
# 2019 -") and in texts that never name the country. A weak fallback only.
CAPITALS = {
    "Kabul": "AFG", "Tirana": "ALB", "Algiers": "DZA", "Luanda": "AGO", "Buenos Aires": "ARG",
    "Yerevan": "ARM", "Canberra": "AUS", "Vienna": "AUT", "Baku": "AZE", "Manama": "BHR",
    "Dhaka": "BGD", "Minsk": "BLR", "Brussels": "BEL", "Sarajevo": "BIH", "Brasilia": "BRA",
    "Sofia": "BGR", "Ouagadougou": "BFA", "Bujumbura": "BDI", "Phnom Penh": "KHM",
    "Yaounde": "CMR", "Ottawa": "CAN", "N'Djamena": "TCD", "Santiago": "CHL", "Beijing": "CHN",
    "Bogota": "COL", "Kinshasa": "COD", "Brazzaville": "COG", "Zagreb": "HRV", "Havana": "CUB",
    "Nicosia": "CYP", "Prague": "CZE", "Copenhagen": "DNK", "Cairo": "EGY", "Asmara": "ERI",
    "Tallinn": "EST", "Addis Ababa": "ETH", "Helsinki": "FIN", "Paris": "FRA", "Tbilisi": "GEO",
    "Berlin": "DEU", "Accra": "GHA", "Athens": "GRC", "Conakry": "GIN", "Budapest": "HUN",
    "New Delhi": "IND", "Delhi": "IND", "Jakarta": "IDN", "Tehran": "IRN", "Baghdad": "IRQ",
    "Dublin": "IRL", "Rome": "ITA", "Tokyo": "JPN", "Amman": "JOR", "Astana": "KAZ",
    "Nur-Sultan": "KAZ", "Almaty": "KAZ", "Nairobi": "KEN", "Pristina": "XKX",
    "Bishkek": "KGZ", "Osh": "KGZ", "Riga": "LVA", "Beirut": "LBN", "Tripoli": "LBY",
    "Vilnius": "LTU", "Bamako": "MLI", "Chisinau": "MDA", "Ulaanbaatar": "MNG",
    "Podgorica": "MNE", "Rabat": "MAR", "Maputo": "MOZ", "Naypyidaw": "MMR", "Yangon": "MMR",
    "Kathmandu": "NPL", "Managua": "NIC", "Niamey": "NER", "Abuja": "NGA", "Lagos": "NGA",
    "Skopje": "MKD", "Oslo": "NOR", "Islamabad": "PAK", "Manila": "PHL", "Warsaw": "POL",
    "Lisbon": "PRT", "Doha": "QAT", "Bucharest": "ROU", "Moscow": "RUS", "Kigali": "RWA",
    "Riyadh": "SAU", "Dakar": "SEN", "Belgrade": "SRB", "Novi Sad": "SRB", "Freetown": "SLE",
    "Bratislava": "SVK", "Ljubljana": "SVN", "Mogadishu": "SOM", "Pretoria": "ZAF",
    "Juba": "SSD", "Madrid": "ESP", "Colombo": "LKA", "Khartoum": "SDN", "Stockholm": "SWE",
    "Damascus": "SYR", "Dushanbe": "TJK", "Khujand": "TJK", "Dodoma": "TZA",
    "Dar es Salaam": "TZA", "Bangkok": "THA", "Lome": "TGO", "Tunis": "TUN", "Ankara": "TUR",
    "Istanbul": "TUR", "Ashgabat": "TKM", "Kampala": "UGA", "Kyiv": "UKR", "Kiev": "UKR",
    "Abu Dhabi": "ARE", "London": "GBR", "Washington": "USA", "Tashkent": "UZB",
    "Samarkand": "UZB", "Nukus": "UZB", "Caracas": "VEN", "Hanoi": "VNM", "Sanaa": "YEM",
    "Lusaka": "ZMB", "Harare": "ZWE", "Hong Kong": "HKG", "Taipei": "TWN",
}
_CAPITAL_RE = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(c) for c in sorted(CAPITALS, key=len, reverse=True))
    + r")(?![\w-])"
)


def capital_country(city: str) -> str | None:
    """The country of a capital (or a large city that stands for it), None when unknown."""
    if not isinstance(city, str):
        return None
    return CAPITALS.get(" ".join(city.split()).strip(" ,."))


def capitals_in(text: str) -> list[str]:
    """ISO3 codes of the capitals named in ``text``, one per mention (case-sensitive)."""
    if not isinstance(text, str):
        return []
    return [CAPITALS[m.group(1)] for m in _CAPITAL_RE.finditer(text)]


# Adjectives, used only as weak evidence (counted with the names in a body that never says
# which country it is about): never as an alias, since "Russian" also names a language.
DEMONYMS = {
    "Kyrgyz": "KGZ", "Kyrgyzstani": "KGZ", "Kazakh": "KAZ", "Kazakhstani": "KAZ",
    "Tajik": "TJK", "Tajikistani": "TJK", "Uzbek": "UZB", "Uzbekistani": "UZB",
    "Turkmen": "TKM", "Serbian": "SRB", "Belarusian": "BLR", "Azerbaijani": "AZE",
    "Georgian": "GEO", "Hungarian": "HUN", "Indian": "IND", "Russian": "RUS",
    "Ukrainian": "UKR", "Armenian": "ARM", "Moldovan": "MDA", "Polish": "POL",
    "Turkish": "TUR", "Iranian": "IRN", "Pakistani": "PAK", "Bangladeshi": "BGD",
    "Nigerian": "NGA", "Kenyan": "KEN", "Ugandan": "UGA", "Ethiopian": "ETH",
    "Egyptian": "EGY", "Zimbabwean": "ZWE", "Cambodian": "KHM", "Vietnamese": "VNM",
    "Filipino": "PHL", "Chinese": "CHN", "Nicaraguan": "NIC", "Venezuelan": "VEN",
    "Colombian": "COL", "Mexican": "MEX", "Brazilian": "BRA", "Cuban": "CUB",
}
_DEMONYM_RE = re.compile(r"(?<![\w-])(" + "|".join(sorted(DEMONYMS, key=len, reverse=True))
                         + r")(?![\w-])")


def demonyms_in(text: str) -> list[str]:
    """ISO3 codes of the country adjectives in ``text`` (capitalised), one per mention."""
    if not isinstance(text, str):
        return []
    return [DEMONYMS[m.group(1)] for m in _DEMONYM_RE.finditer(text)]
