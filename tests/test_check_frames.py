"""The inputs of the checks: offsets compared a slice of documents at a time, and tables read
from the warehouse on demand with only the columns a check names (long texts only when named)."""

import duckdb
import polars as pl

from expectations import common
from expectations.common import need, offsets_frame
from orchestration.checks import WarehouseFrames
from orchestration.warehouse import ensure_schema


def test_offsets_frame_judges_every_span_in_order(monkeypatch):
    monkeypatch.setattr(common, "OFFSET_DOCS", 1)  # one document per slice: slicing is exercised
    docs = pl.DataFrame({"doc_id": ["a", "b", "b"], "text": ["Hello world", "old", "Good day"]})
    spans = pl.DataFrame(
        {
            "doc_id": ["b", "a", "zz", "a", "a", None],
            "n": [1, 2, 3, 4, 5, 6],
            "start": [0, 6, 0, 0, 3, 0],
            "end": [4, 11, 1, 5, 99, 1],
            "text": ["Good", "world", "x", "Hellx", "lo", "H"],
        }
    )
    out = offsets_frame(spans, docs, ["doc_id", "n"])
    assert out.get_column("n").to_list() == [1, 2, 3, 4, 5, 6]  # the spans' order
    assert out.get_column("ok").to_list() == [True, True, False, False, False, False]
    found = out.get_column("found").to_list()
    assert found[0] is None and found[1] is None  # the last row of a duplicated doc_id counts
    assert found[2] == found[5] == "<document not in staging.documents>"
    assert found[3] == "Hello"
    assert found[4].startswith("<offsets 3:99 outside")


def _warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    ensure_schema(con)
    con.execute(
        "INSERT INTO staging.sentences VALUES ('d1', 0, 0, 0, 5, 'Hello', 'hello')"
    )
    return con


def test_warehouse_frames_read_long_texts_only_when_named():
    con = _warehouse()
    frames = WarehouseFrames(con)
    short = need(frames, "staging.sentences", ["doc_id", "sentence_no"])
    assert "text" not in short.columns and "text_clean" not in short.columns
    assert short.height == 1
    with_text = need(frames, "staging.sentences", ["doc_id", "text"])
    assert with_text.get_column("text").to_list() == ["Hello"]
    assert "text_clean" not in with_text.columns


def test_warehouse_frames_prefer_the_frames_given():
    con = _warehouse()
    given = pl.DataFrame({"doc_id": ["x"], "sentence_no": [7]})
    frames = WarehouseFrames(con, {"staging.sentences": given})
    assert need(frames, "staging.sentences", ["doc_id"]).equals(given)
    assert frames.frame("no.such_table", []) is None
    assert "staging.sentences" in set(frames)


def test_warehouse_frames_give_slices_of_documents(monkeypatch):
    from orchestration import checks

    monkeypatch.setattr(checks, "PART_KEYS", 2)
    con = _warehouse()
    con.execute(
        "INSERT INTO staging.sentences VALUES ('d2', 0, 0, 0, 2, 'Hi', 'hi'), "
        "('d3', 0, 0, 0, 2, 'Yo', 'yo'), ('d1', 1, 0, 6, 11, 'there', 'there')"
    )
    given = pl.DataFrame({"doc_id": ["d3", "d9"], "text": ["Yo", "x"]})
    frames = WarehouseFrames(con, {"staging.documents": given})
    parts = list(
        common.need_parts(
            frames, {"staging.sentences": ["doc_id", "text"], "staging.documents": ["doc_id"]}
        )
    )
    assert len(parts) == 2  # d1 d2 | d3 d9: every row of a document in one slice
    first, second = parts
    assert first["staging.sentences"].get_column("doc_id").to_list() == ["d1", "d1", "d2"]
    assert "text_clean" not in first["staging.sentences"].columns
    assert first["staging.documents"].is_empty()
    assert second["staging.documents"].get_column("doc_id").to_list() == ["d3", "d9"]
    # plain frames come whole, as one slice
    plain = {"staging.sentences": pl.DataFrame({"doc_id": ["a"], "text": ["x"]})}
    assert len(list(common.need_parts(plain, {"staging.sentences": ["doc_id", "text"]}))) == 1


def test_checks_in_parts_of_countries_match_the_whole_table():
    """The marts' checks run a chunk of countries at a time: merged, the outcomes are those of
    the whole tables (counts added, passed only if every part passed)."""
    from dashboards.demo import demo_tables
    from expectations import runner

    tables = demo_tables(n_countries=4, n_quarters=6)
    names = ("marts.freedom_scores", "marts.score_contributions", "core.events")
    whole = {t: tables[t] for t in names}
    scores = tables["marts.freedom_scores"]
    # a defect in one country, so that the merge of a failing check is exercised too
    country = scores.get_column("country_iso3")[0]
    scores = scores.with_columns(
        pl.when(pl.col("country_iso3") == country).then(pl.col("score") + 5)
        .otherwise(pl.col("score")).alias("score")
    )
    whole["marts.freedom_scores"] = scores
    countries = sorted(set(scores.get_column("country_iso3").to_list()))
    parts = [
        {
            t: (whole[t] if t == "core.events" else whole[t].filter(pl.col("country_iso3") == c))
            for t in names
        }
        for c in countries
    ]
    for table in names[:2]:
        expected = runner.run_checks(table, whole)
        merged = runner.merge_outcomes(runner.run_checks(table, p) for p in parts)
        assert [(o.check_name, o.success, o.unexpected_count) for o in merged] == [
            (o.check_name, o.success, o.unexpected_count) for o in expected
        ]
    failed = [o for o in runner.merge_outcomes(
        runner.run_checks("marts.score_contributions", p) for p in parts) if not o.success]
    assert failed and all(o.examples for o in failed)
