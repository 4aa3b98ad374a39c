"""The warehouse: DDL, idempotent partition writes, atomic publication, read-only readers."""

import multiprocessing as mp
from datetime import date

import duckdb
import polars as pl
import pytest

from orchestration.frames import frame
from orchestration.warehouse import TABLES, Warehouse, read_table, replace_rows


def _score(country: str, start: date, score: float) -> dict:
    return {
        "country_iso3": country, "period": f"{start.year}Q{(start.month - 1) // 3 + 1}",
        "period_start": start, "period_end": start, "freedom": "expression", "score": score,
        "score_low": score - 5, "score_high": score + 5, "band": "obstructed", "n_documents": 1,
        "n_events": 2, "carried_forward": False, "method_version": "test",
    }


def test_every_table_is_created(tmp_path):
    wh = Warehouse(tmp_path / "w.duckdb")
    with wh.connect() as con:
        for t in TABLES:
            assert read_table(con, t).is_empty()


def test_replace_rows_is_idempotent_per_partition(tmp_path):
    wh = Warehouse(tmp_path / "w.duckdb")
    q1, q2 = date(2024, 1, 1), date(2024, 4, 1)
    rows = frame("marts.freedom_scores", [_score("SRB", q1, 50), _score("SRB", q2, 60)])
    with wh.connect() as con:
        replace_rows(con, "marts.freedom_scores", rows)
        again = frame("marts.freedom_scores", [_score("SRB", q2, 61)])
        for _ in range(2):
            replace_rows(con, "marts.freedom_scores", again, "period_start = ?", [q2])
        got = read_table(con, "marts.freedom_scores").sort("period_start")
    assert got.get_column("score").to_list() == [50, 61]


def test_a_failed_write_leaves_the_partition_as_it_was(tmp_path):
    wh = Warehouse(tmp_path / "w.duckdb")
    q1 = date(2024, 1, 1)
    with wh.connect() as con:
        replace_rows(con, "marts.freedom_scores", frame("marts.freedom_scores", [_score("SRB", q1, 50)]))
        dup = frame("marts.freedom_scores", [_score("SRB", q1, 1), _score("SRB", q1, 2)])
        with pytest.raises(duckdb.ConstraintException):
            replace_rows(con, "marts.freedom_scores", dup, "period_start = ?", [q1])
        assert read_table(con, "marts.freedom_scores").get_column("score").to_list() == [50]


def test_frame_rejects_columns_not_in_the_ddl(tmp_path):
    wh = Warehouse(tmp_path / "w.duckdb")
    with wh.connect() as con, pytest.raises(ValueError, match="columns differ"):
        replace_rows(con, "marts.freedom_scores", pl.DataFrame({"oops": [1]}))


def test_publish_swaps_a_readable_copy(tmp_path):
    wh = Warehouse(tmp_path / "w.duckdb")
    with wh.connect() as con:
        replace_rows(con, "marts.freedom_scores",
                     frame("marts.freedom_scores", [_score("GEO", date(2024, 1, 1), 70)]))
    published = wh.publish()
    assert published == tmp_path / "w.duckdb" and wh.path == tmp_path / "w.work.duckdb"
    reader = duckdb.connect(str(published), read_only=True)
    try:
        assert reader.execute("SELECT count(*) FROM marts.freedom_scores").fetchall() == [(1,)]
        # The pipeline keeps writing and publishing while a reader holds the old version.
        with wh.connect() as con:
            con.execute("DELETE FROM marts.freedom_scores")
        wh.publish()
        assert reader.execute("SELECT count(*) FROM marts.freedom_scores").fetchall() == [(1,)]
    finally:
        reader.close()
    fresh = duckdb.connect(str(published), read_only=True)
    try:
        assert fresh.execute("SELECT count(*) FROM marts.freedom_scores").fetchall() == [(0,)]
        with pytest.raises(duckdb.Error):
            fresh.execute("DELETE FROM marts.freedom_scores")
    finally:
        fresh.close()


def _reader(path: str, n: int, out: "mp.Queue[tuple[int, list[str]]]") -> None:
    errors, seen = [], set()
    for _ in range(n):
        try:
            con = duckdb.connect(path, read_only=True)
            count, total = con.execute(
                "SELECT count(*), coalesce(sum(score), 0) FROM marts.freedom_scores").fetchall()[0]
            con.close()
            seen.add((count, total))
        except Exception as e:  # noqa: BLE001 - every failure is reported
            errors.append(repr(e))
    out.put((len(seen), errors, sorted(seen)))


def test_readers_never_fail_and_see_whole_versions_during_publication(tmp_path):
    wh = Warehouse(tmp_path / "w.duckdb")
    with wh.connect() as con:
        replace_rows(con, "marts.freedom_scores", frame("marts.freedom_scores", []))
    wh.publish()
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=_reader, args=(str(wh.published), 300, out))
    proc.start()
    versions = set()
    for i in range(1, 16):
        rows = [_score(c, date(2024, 1, 1), float(i)) for c in ("GEO", "KAZ", "SRB")]
        with wh.connect() as con:
            replace_rows(con, "marts.freedom_scores", frame("marts.freedom_scores", rows))
        wh.publish()
        versions.add((3, 3.0 * i))
    n_seen, errors, seen = out.get(timeout=120)
    proc.join(timeout=30)
    assert errors == []
    # every result is a whole published version: three rows whose sum is 3 x the version number
    assert all(v in versions or v == (0, 0) for v in map(tuple, seen)), seen


def test_a_copy_left_by_a_killed_publication_is_removed(tmp_path):
    wh = Warehouse(tmp_path / "w.duckdb")
    stale = tmp_path / ".w.duckdb.12345.tmp"
    stale.write_bytes(b"half a copy")
    wh.publish()
    assert not stale.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_comments_follow_the_ddl_without_rewriting_them_on_every_connection(tmp_path):
    wh = Warehouse(tmp_path / "w.duckdb")
    query = ("SELECT comment FROM duckdb_columns() WHERE schema_name = 'marts' "
             "AND table_name = 'freedom_scores' AND column_name = 'score'")
    with wh.connect() as con:
        documented = con.execute(query).fetchall()[0][0]
        con.execute("COMMENT ON COLUMN marts.freedom_scores.score IS 'stale'")
    with wh.connect() as con:  # an outdated comment is brought back to the DDL's text
        assert con.execute(query).fetchall()[0][0] == documented
        assert documented.startswith("0-100")
