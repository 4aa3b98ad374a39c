"""The first update of a new quarter: the countries it does not speak of only carry their scores.

Such an update gives every country rows in the new quarter (and year); a country without
evidence after its last scored quarter gets its last rows carried forward. The marts compute
those rows from the stored rows and the recorded ``Tail`` instead of scoring the country's history
again (orchestration/assets/marts.py). Here: the sample inbox run whole, then an update of a new
quarter for one country, run once scoped (carrying the others) and once with the scope state
removed (every country scored), compared table by table.
"""

import shutil

import dagster as dg
import pytest
from snapshots import snapshot

from orchestration.automation import last_scored_quarter, partitions_of_file, with_later_quarters
from orchestration.landing import LandedFile
from orchestration.runner import run_pipeline
from orchestration.settings import SAMPLE_INBOX
from tests.test_incremental import _settings

NEW = "georgia-2025q1-bench.txt"
TEXT = (
    "Georgia: police detain two journalists covering a protest in Tbilisi\n\n"
    "This is an update on developments related to the rights to freedoms of expression, "
    "association and peaceful assembly in Georgia from 1st January 2025 to 31st March 2025, "
    "prepared by the Test Partner Network as part of their cooperation with the CIVICUS "
    "Monitor.\n\nExpression\n\nOn 12th February 2025, police detained two journalists who were "
    "reporting on a protest in Tbilisi and confiscated their cameras.\n\nPeaceful Assembly\n\n"
    "On 10th March 2025, police used tear gas against students who had gathered peacefully in "
    "front of the parliament, injuring several of them.\n"
)
ASSETS = (("marts", "freedom_scores"), ("marts", "freedom_scores_annual"), ("marts", "alerts"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The sample run whole, then the new quarter's update run scoped and from scratch."""
    root = tmp_path_factory.mktemp("carry")
    inbox = root / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    first = root / "first"
    with dg.DagsterInstance.ephemeral() as instance:
        assert run_pipeline(_settings(first, inbox), instance=instance).success
    (inbox / NEW).write_text(TEXT, encoding="utf-8")
    touched = sorted(
        with_later_quarters(
            partitions_of_file(LandedFile(NEW, (inbox / NEW).read_bytes()), 20_000_000),
            last_scored_quarter(first / "warehouse.duckdb"),
        )
    )
    out = {}
    for name in ("scoped", "everything"):
        base = root / name
        shutil.copytree(first, base)
        if name == "everything":
            shutil.rmtree(base / "warehouse.work.duckdb.state")
        with dg.DagsterInstance.ephemeral() as instance:
            assert run_pipeline(_settings(base, inbox), instance=instance, quarters=touched).success
            meta = {
                k: instance.get_latest_materialization_event(
                    dg.AssetKey(list(k))
                ).asset_materialization.metadata
                for k in ASSETS
            }
        out[name] = (base, meta)
    return touched, out


def test_the_new_quarter_scores_only_the_country_of_the_update(runs):
    touched, out = runs
    assert touched == ["2025-01-01"]
    meta = out["scoped"][1]
    assert meta[ASSETS[0]]["countries_recomputed"].value == 1
    assert meta[ASSETS[0]]["countries_carried"].value == 2
    assert meta[ASSETS[1]]["countries_recomputed"].value == 1
    assert meta[ASSETS[1]]["countries_carried"].value == 2
    assert meta[ASSETS[2]]["countries_recomputed"].value == 1
    assert out["everything"][1][ASSETS[0]]["countries_recomputed"].value == -1


def test_carried_and_scored_new_quarters_are_the_same_tables(runs):
    _, out = runs
    a = snapshot(out["scoped"][0] / "warehouse.duckdb")
    b = snapshot(out["everything"][0] / "warehouse.duckdb")
    assert a.keys() == b.keys()
    for t in a:
        assert a[t].equals(b[t]), t
    carried = a["marts.freedom_scores"].filter(
        (a["marts.freedom_scores"]["period"] == "2025Q1")
        & a["marts.freedom_scores"]["carried_forward"]
    )
    assert {"KAZ", "SRB"} <= set(carried["country_iso3"])
