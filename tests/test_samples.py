"""The sample inbox that ships with civicspace: complete, shaped like real updates, parseable.

The metadata test needs ``transforms.parse.describe_file`` and skips (with a reason) until it
exists; the other tests only read the sample files.
"""

import datetime as dt
import importlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
INBOX = SAMPLES / "inbox"
EXPECTED = json.loads((INBOX / "_expected.json").read_text(encoding="utf-8"))
FILES: dict[str, dict[str, Any]] = EXPECTED["files"]
COUNTRY_NAMES = {"GEO": "Georgia", "KAZ": "Kazakhstan", "SRB": "Serbia"}
FIELDS = ("country_iso3", "period_start", "period_end", "published")


def _documents() -> list[Path]:
    return sorted(p for p in INBOX.iterdir() if p.is_file() and not p.name.startswith(("_", ".")))


def _plain_text(path: Path, keep_lines: bool = False) -> str:
    """The readable text of a sample: tags and entities removed from HTML, whitespace collapsed."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        raw = re.sub(r"<(script|style|head)\b.*?</\1>", " ", raw, flags=re.S | re.I)
        raw = re.sub(r"<[^>]+>", " ", raw).replace("&gt;", ">").replace("&amp;", "&")
    if keep_lines:
        return re.sub(r"[ \t]+", " ", raw).strip()
    return re.sub(r"\s+", " ", raw).strip()


def _quarter(day: str) -> tuple[int, int]:
    d = dt.date.fromisoformat(day)
    return d.year, (d.month - 1) // 3 + 1


def _field(result: Any, name: str) -> Any:
    """A field of describe_file's result, whether it is a mapping or an object."""
    if isinstance(result, dict):
        return result.get(name)
    return getattr(result, name, None)


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


def _describe_file() -> Callable[..., Any]:
    try:
        parse = importlib.import_module("transforms.parse")
    except ModuleNotFoundError as exc:
        if exc.name not in ("transforms.parse", "transforms"):
            raise
        pytest.skip("transforms.parse is not written yet (issue 2, parsing)")
    describe = getattr(parse, "describe_file", None)
    if describe is None:
        pytest.skip("transforms.parse.describe_file is not written yet (issue 2, parsing)")
    return describe


# --- the folder and the expectations agree -------------------------------------------------


def test_every_sample_has_expectations_and_vice_versa() -> None:
    assert sorted(p.name for p in _documents()) == sorted(FILES)


def test_expectations_are_well_formed() -> None:
    for name, exp in FILES.items():
        assert set(exp) == set(FIELDS), name
        assert exp["country_iso3"] in COUNTRY_NAMES, name
        start = dt.date.fromisoformat(exp["period_start"])
        end = dt.date.fromisoformat(exp["period_end"])
        assert start <= end, name
        if exp["published"] is not None:
            assert dt.date.fromisoformat(exp["published"]) > end, name


# --- coverage: the default run must show trends -------------------------------------------


def test_three_countries_over_four_consecutive_quarters() -> None:
    quarters_by_country: dict[str, set[tuple[int, int]]] = {}
    for exp in FILES.values():
        first, last = _quarter(exp["period_start"]), _quarter(exp["period_end"])
        assert first == last, "each sample covers exactly one calendar quarter"
        quarters_by_country.setdefault(exp["country_iso3"], set()).add(first)
    assert len(quarters_by_country) >= 3
    all_quarters = sorted(set().union(*quarters_by_country.values()))
    assert all_quarters == [(2024, 1), (2024, 2), (2024, 3), (2024, 4)]
    for country, quarters in quarters_by_country.items():
        assert len(quarters) >= 3, f"{country} covers only {sorted(quarters)}"


def test_one_country_has_two_updates_in_one_quarter_sharing_an_event() -> None:
    seen: dict[tuple[str, str], list[str]] = {}
    for name, exp in FILES.items():
        seen.setdefault((exp["country_iso3"], exp["period_start"]), []).append(name)
    doubles = [sorted(names) for names in seen.values() if len(names) > 1]
    assert doubles
    shared = [sorted(e["files"]) for e in EXPECTED["shared_events"]]
    assert any(pair in doubles for pair in shared)


def test_trends_name_a_decline_an_improvement_and_a_mixed_country() -> None:
    assert sorted(EXPECTED["trends"].values()) == ["declines", "improves", "mixed"]
    assert set(EXPECTED["trends"]) == {e["country_iso3"] for e in FILES.values()}


# --- shape of the texts ---------------------------------------------------------------------


def test_formats_are_mixed() -> None:
    assert {p.suffix for p in _documents()} == {".txt", ".html", ".md"}


@pytest.mark.parametrize("path", _documents(), ids=lambda p: p.name)
def test_sample_is_shaped_like_an_update(path: Path) -> None:
    text = _plain_text(path)
    exp = FILES[path.name]
    assert 2_500 <= len(text) <= 5_000, f"{len(text)} characters"
    assert COUNTRY_NAMES[exp["country_iso3"]] in text
    assert "2024" in text
    assert "CIVICUS Monitor" in text  # the intro sentence names the monitor
    lowered = text.lower()
    assert "expression" in lowered and "association" in lowered and "assembly" in lowered
    if exp["published"] is not None:
        day = dt.date.fromisoformat(exp["published"])
        assert f"DATE POSTED : {day:%d.%m.%Y}" in text


def test_readme_marks_the_data_as_fictional() -> None:
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8").lower()
    assert "fictional" in readme and "invented" in readme


def _shingles(text: str, n: int = 8) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_samples_do_not_copy_the_shared_corpus(shared: Path) -> None:
    """No run of 8 words is shared with ../shared, except the standard intro formula."""
    sources = [*(shared / "corpus" / "dev" / "docs").glob("*"), *(shared / "spec").glob("*.md")]
    theirs: set[str] = set()
    for src in sources:
        theirs |= _shingles(src.read_text(encoding="utf-8", errors="replace"))
    for path in _documents():
        sentences = re.split(r"(?<=[.!?])\s+|\n+", _plain_text(path, keep_lines=True))
        own = " ".join(
            s for s in sentences if "CIVICUS Monitor" not in s and not s.strip().startswith("This ")
        )
        overlap = _shingles(own) & theirs
        assert not overlap, f"{path.name}: {sorted(overlap)[:3]}"


# --- parsing (needs transforms.parse) -----------------------------------------------------


@pytest.mark.parametrize("path", _documents(), ids=lambda p: p.name)
def test_describe_file_finds_the_expected_metadata(path: Path) -> None:
    describe_file = _describe_file()
    result = describe_file(path.name, path.read_bytes())
    if isinstance(result, list):  # one entry per document of the file
        assert len(result) == 1, f"expected one document, got {result!r}"
        result = result[0]
    assert _field(result, "error") is None, f"describe_file returned {result!r}"
    got = {name: _iso(_field(result, name)) for name in FIELDS}
    assert got == FILES[path.name], f"describe_file returned {_summary(result)}"


def _summary(result: Any) -> dict[str, Any]:
    return {name: _field(result, name) for name in ("doc", *FIELDS, "title")}
