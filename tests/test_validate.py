"""scripts/validate.py: the statistics on hand-made numbers, and the real run on ../shared.

The fast test runs the pipeline on the first 70 Freedom House reports (10 countries x 7 years);
the bars (issue 5) are asserted on the full corpus only, in a test marked slow.
"""

import importlib.util
import math
import sys
from pathlib import Path

import polars as pl
import pytest

from transforms.annual import ANNUAL_SCHEMA

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "validate.py"


def _load():
    spec = importlib.util.spec_from_file_location("civicspace_validate", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


validate = _load()


def _pipeline_ready() -> bool:
    try:
        from transforms.events import group_events  # noqa: F401
        from transforms.extract import extract_mentions  # noqa: F401
        from transforms.ingest import read_landing_bytes  # noqa: F401
        from transforms.parse import parse_document  # noqa: F401
    except ImportError:
        return False
    return True


needs_pipeline = pytest.mark.skipif(
    not _pipeline_ready(), reason="ingest/parse/extract/events modules not importable yet"
)


def test_ranks_average_ties() -> None:
    assert validate.ranks([10, 20, 20, 5]) == [2.0, 3.5, 3.5, 1.0]


def test_spearman_basics() -> None:
    assert validate.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert validate.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert validate.spearman([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)
    assert math.isnan(validate.spearman([1, 2], [1, 2]))  # too few
    assert math.isnan(validate.spearman([1, 1, 1], [1, 2, 3]))  # constant


def _annual(rows: list[tuple[str, int, str, float]]) -> pl.DataFrame:
    data = [
        {"country_iso3": c, "year": y, "freedom": f, "score": s, "score_low": s, "score_high": s,
         "band": "open", "n_documents": 1, "n_events": 0, "carried_forward": False,
         "method_version": "t"}
        for c, y, f, s in rows
    ]  # fmt: skip
    return pl.DataFrame(data, schema=ANNUAL_SCHEMA)


def test_compare_and_bars_on_hand_made_numbers() -> None:
    countries = ["AAA", "BBB", "CCC", "DDD"]
    fh = {(c, 2020, f): float(i) for i, c in enumerate(countries) for f in ("expression",)}
    vdem = {(c, 2020, f): float(i) / 10 for i, c in enumerate(countries) for f in ("expression",)}
    annual = _annual([(c, 2020, "expression", 10.0 * i) for i, c in enumerate(countries)])
    cells = validate.compare(annual, fh, vdem)
    assert len(cells) == 1
    c = cells[0]
    assert (c.freedom, c.year, c.n) == ("expression", 2020, 4)
    assert c.fh == pytest.approx(1.0) and c.vdem == pytest.approx(1.0)
    assert c.ratio == pytest.approx(1.0)
    assert not validate.passes(cells)  # association and assembly have no cells: NaN fails


def test_reference_ratings_load(shared: Path) -> None:
    fh = validate.load_fh(shared / "ratings" / "fh_fiw_subscores_2013_2024.csv")
    vdem = validate.load_vdem(shared / "ratings" / "vdem_v14_demspaces_dv_1968_2023.csv")
    assert 0 <= fh[("KGZ", 2021, "expression")] <= 8
    assert 0 <= fh[("KGZ", 2021, "assembly")] <= 4
    assert 0 <= vdem[("KGZ", 2021, "association")] <= 1
    assert vdem[("KGZ", 2021, "association")] == vdem[("KGZ", 2021, "assembly")]


@needs_pipeline
def test_validation_on_a_small_subset(shared: Path, capsys: pytest.CaptureFixture) -> None:
    t = validate.run_pipeline(limit=70, cache=None, verbose=False)
    assert t.documents.height == 70
    assert t.events.height > 0
    years = [2019, 2020]
    from transforms.annual import score_annual

    annual = score_annual(t.events, t.mentions, t.documents, t.sections, years)
    assert set(annual["year"].to_list()) <= set(years)
    assert annual.select("country_iso3", "year", "freedom").is_unique().all()
    cells = validate.compare(annual, validate.load_fh(), validate.load_vdem(), years)
    assert {c.freedom for c in cells} == {"expression", "association", "assembly"}
    for c in cells:
        assert c.n >= 5
        assert -1.0 <= c.fh <= 1.0
    validate.print_table(cells, "subset")
    assert "FH~ours" in capsys.readouterr().out


@pytest.fixture(scope="module")
def full_run(shared: Path) -> dict:
    t = validate.run_pipeline()
    annual = validate.score_annual(t.events, t.mentions, t.documents, t.sections)
    cells = validate.compare(annual, validate.load_fh(), validate.load_vdem())
    validate.print_table(cells, "full run")
    return validate.summary(cells)


@pytest.mark.slow
@needs_pipeline
def test_freedom_house_bar_on_the_full_corpus(full_run: dict) -> None:
    """Spearman with Freedom House, averaged over the years, at least 0.80 for every freedom."""
    for freedom, s in full_run.items():
        assert s["fh"] >= validate.BAR_FH, (freedom, s)


@pytest.mark.slow
@needs_pipeline
def test_vdem_bar_on_the_full_corpus(full_run: dict) -> None:
    """Spearman with V-Dem at least 90% of FH's own agreement with V-Dem, for every freedom."""
    for freedom, s in full_run.items():
        assert s["ratio"] >= validate.BAR_VDEM_RATIO, (freedom, s)


def test_calibrate_levels_recovers_a_logistic_map() -> None:
    """FH levels generated by a known logistic map of our pressures are matched by the grid."""
    import math

    from transforms.method import METHOD
    from transforms.scoring import score_of_pressure

    pressures = [-0.8, -0.5, -0.2, 0.0, 0.1, 0.3, 0.5, 0.7, 0.9]
    rows, fh = [], {}
    for i, p in enumerate(pressures):
        c = f"C{i:02d}"
        rows.append((c, 2018, "expression", score_of_pressure(p)))
        fh[(c, 2018, "expression")] = 8.0 / (1.0 + math.exp((p - 0.1) / 0.2))  # on 0-8
    centre, scale = validate.calibrate_levels(_annual(rows), fh, METHOD)
    assert centre == pytest.approx(0.1, abs=0.021) and scale == pytest.approx(0.2, abs=0.021)


def test_fit_grid_names_real_parameters() -> None:
    from transforms.method import METHOD

    for name, values in validate.fit_grid().items():
        m = validate.method_from(METHOD, {name: values[0]})
        outer, _, key = name.partition(".")
        got = getattr(m, outer)
        assert (got[key] if key else got) == values[0]
        assert m.version != METHOD.version


def test_objective_is_the_mean_agreement_with_both_indices() -> None:
    cells = [validate.Cell(f, 2018, 100, 0.8, 0.6, 0.7) for f in ("expression", "association",
                                                                 "assembly")]  # fmt: skip
    assert validate.objective(cells) == pytest.approx(0.7)
