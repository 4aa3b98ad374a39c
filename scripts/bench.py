"""Benchmark: the whole pipeline on the real corpus in ../shared, one figure per line.

    python scripts/bench.py [--scale N] [--shared DIR] [--out build/bench.json]

Builds a landing folder from ../shared/corpus (all Freedom House reports and every update; with
--scale N the reports' sections are recombined across countries and years into N times as many
reports), runs the pipeline in process through Dagster, and measures each stage, extraction
throughput against a read + regular-expression floor, peak memory, an incremental update, analyst
query latency and the site. Figures go to stdout and to build/bench.json.
"""

import argparse
import gzip
import json
import random
import re
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from orchestration import checks, extraction  # noqa: E402
from orchestration.automation import last_scored_quarter, partitions_of_file, with_later_quarters  # noqa: E402
from orchestration.landing import LandedFile  # noqa: E402
from orchestration.runner import run_pipeline  # noqa: E402
from orchestration.settings import SQL_DIR, Settings  # noqa: E402
from orchestration.warehouse import Warehouse, read_table  # noqa: E402

STAGES = {
    "ingest": ["raw_documents"],
    "parse": ["staging_documents"],
    "extract": ["core_events"],
    "score": ["freedom_scores", "marts__freedom_scores_annual", "marts__alerts"],
    "publish": ["warehouse__published"],
    "site": ["dashboards__site"],
}


def cpu_s() -> float:
    """CPU seconds (user + system) of this process so far: fairer than wall time on a shared machine."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def build_inbox(shared: Path, inbox: Path, scale: int) -> None:
    if inbox.exists():
        shutil.rmtree(inbox)
    inbox.mkdir(parents=True)
    for doc in sorted((shared / "corpus" / "dev" / "docs").glob("upd-*.txt")):
        shutil.copy(doc, inbox / doc.name)
    src = shared / "corpus" / "fiw" / "reports.jsonl.gz"
    if scale <= 1:
        shutil.copy(src, inbox / src.name)
        return
    reports = [json.loads(line) for line in gzip.open(src, "rt", encoding="utf-8")]
    rng = random.Random(20261126)
    by_code: dict[str, list[dict]] = {}
    for r in reports:
        for s in r["sections"]:
            by_code.setdefault(s["code"], []).append(s)
    with gzip.open(inbox / "reports-scaled.jsonl.gz", "wt", encoding="utf-8") as out:
        for k in range(scale):
            for r in reports:
                if k == 0:
                    rec = r
                else:  # same country and year, each section drawn from another report; the
                    # name marks the copy, so that it is another document (title), not a duplicate
                    rec = {
                        **r,
                        "doc_id": f"{r['doc_id']}-x{k}",
                        "country": f"{r.get('country') or r['country_iso3']} (recombined {k})",
                        "sections": [rng.choice(by_code[s["code"]]) for s in r["sections"]],
                    }
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")


def step_windows(
    instance: dg.DagsterInstance, run_ids: list[str]
) -> dict[str, list[tuple[float, float]]]:
    """step key -> the (start, end) wall-clock times of its executions."""
    starts, windows = {}, {}
    for run_id in run_ids:
        for rec in instance.all_logs(run_id):
            ev = rec.dagster_event
            if ev is None or not ev.step_key:
                continue
            if ev.event_type_value == "STEP_START":
                starts[ev.step_key] = rec.timestamp
            elif ev.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and ev.step_key in starts:
                windows.setdefault(ev.step_key, []).append((starts[ev.step_key], rec.timestamp))
    return windows


def stage_times(instance: dg.DagsterInstance, run_ids: list[str]) -> dict[str, float]:
    return {k: sum(b - a for a, b in w) for k, w in step_windows(instance, run_ids).items()}


def _tree_rss_mb(pid: str = "self") -> float:
    """Resident MB of a process and all its descendants (extraction workers count too)."""
    total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status", encoding="ascii") as f:
                total += next(int(x.split()[1]) for x in f if x.startswith("VmRSS:")) / 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += (task / "children").read_text(encoding="ascii").split()
        except (OSError, StopIteration, ValueError):
            continue
    return total


class RssSampler:
    """Resident memory of the process and its children (extraction workers) every 0.2 s
    (Linux /proc), to tell which step holds it."""

    def __init__(self) -> None:
        import threading

        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.samples.append((time.time(), _tree_rss_mb()))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def peak_between(self, windows: list[tuple[float, float]]) -> float:
        return max((mb for t, mb in self.samples for a, b in windows if a <= t <= b), default=0.0)


def extraction_throughput(warehouse: Warehouse, chunk: int = 200) -> tuple[float, float, float]:
    """Extraction over every document, a chunk of documents at a time (as the pipeline does,
    so that memory stays that of a chunk), against one read + one regular-expression pass."""
    import polars as pl

    from orchestration.extraction import extract_all
    from orchestration.warehouse import registered

    pattern = re.compile(r"\b(?:arrest|detain|protest|journalist|ban|law)\w*", re.IGNORECASE)
    extract_s = floor_s = mb = 0.0
    with warehouse.connect() as con:
        ids = [
            r[0]
            for r in con.execute("SELECT doc_id FROM staging.documents ORDER BY doc_id").fetchall()
        ]
        where = "doc_id IN (SELECT doc_id FROM _ids)"
        for i in range(0, len(ids), chunk):
            with registered(con, "_ids", pl.DataFrame({"doc_id": ids[i : i + chunk]})):
                docs = read_table(con, "staging.documents", where).sort("doc_id").to_dicts()
                sections = read_table(con, "staging.sections", where).to_dicts()
                sentences = read_table(con, "staging.sentences", where).to_dicts()
            mb += sum(len(d["text"].encode("utf-8")) for d in docs) / 1e6
            t = time.perf_counter()
            extract_all(docs, sections, sentences)
            extract_s += time.perf_counter() - t
            blob = "\n".join(d["text"] for d in docs).encode("utf-8")
            t = time.perf_counter()
            text = blob.decode("utf-8")  # one plain read of the bytes ...
            sum(1 for _ in pattern.finditer(text))  # ... and one regular-expression pass
            floor_s += time.perf_counter() - t
    return mb, mb / extract_s, mb / floor_s


def query_latency(published: Path, repeats: int = 30) -> tuple[float, float]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        row = con.execute(
            "SELECT country_iso3, period_start, freedom FROM marts.freedom_scores "
            "ORDER BY n_events DESC, country_iso3 LIMIT 1"
        ).fetchall()
        row = row[0] if row else None
        if row is None:
            return float("nan"), float("nan")
        params = {
            "trend_of_one_country": {"country": row[0]},
            "worst_declines_this_quarter": {"period_start": None, "limit": 20},
            "events_behind_a_score": {"country": row[0], "period_start": row[1], "freedom": row[2]},
        }
        times = []
        for name, p in params.items():
            sql = (SQL_DIR / "examples" / f"{name}.sql").read_text(encoding="utf-8")
            for _ in range(repeats):
                t = time.perf_counter()
                con.execute(sql, p).fetchall()
                times.append((time.perf_counter() - t) * 1000)
    finally:
        con.close()
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def new_update(inbox: Path) -> Path:
    """An invented update for the incremental measure (written here, not taken from ../shared)."""
    path = inbox / "bench-incremental-update.txt"
    path.write_text(
        "Serbia: authorities detain two journalists covering a protest\n\n"
        "This is an update on developments related to the rights to freedoms of expression, "
        "association and peaceful assembly in Serbia from 1st January 2025 to 31st March 2025, "
        "prepared by the Bench Partner Network as part of their cooperation with the CIVICUS Monitor.\n\n"
        "Expression\n\nOn 12th February 2025, police detained two journalists who were reporting on a "
        "protest in Novi Sad and confiscated their cameras.\n\n"
        "Peaceful Assembly\n\nOn 10th March 2025, police used tear gas against students who had "
        "gathered peacefully in front of the city hall, injuring several of them.\n",
        encoding="utf-8",
    )
    return path


def second_update(inbox: Path) -> Path:
    """Another invented update, for Kazakhstan in the same quarter: the common case of an update
    arriving in a quarter that already has scores (only its country is recomputed)."""
    path = inbox / "bench-incremental-update-2.txt"
    path.write_text(
        "Kazakhstan: court fines an activist for an unsanctioned picket\n\n"
        "This is an update on developments related to the rights to freedoms of expression, "
        "association and peaceful assembly in Kazakhstan from 1st January 2025 to 31st March "
        "2025, prepared by the Bench Partner Network as part of their cooperation with the "
        "CIVICUS Monitor.\n\nPeaceful Assembly\n\nOn 20th January 2025, a court in Almaty fined "
        "an activist who had held a one-person picket outside the akimat without permission.\n",
        encoding="utf-8",
    )
    return path


def incremental(settings: Settings, instance: dg.DagsterInstance, added: Path, key: str,
                figures: dict) -> bool:
    """Drop ``added`` in, run as the landing sensor does (only the quarters the file touches,
    and the later ones already published), record wall, CPU and step seconds under ``key``."""
    t, c = time.perf_counter(), cpu_s()
    touched = sorted(with_later_quarters(
        partitions_of_file(LandedFile(added.name, added.read_bytes()), settings.max_bytes),
        last_scored_quarter(settings.warehouse),
    ))  # fmt: skip
    inc = run_pipeline(settings, instance=instance, quarters=touched)
    figures[f"{key}_s"] = round(time.perf_counter() - t, 2)
    figures[f"{key}_cpu_s"] = round(cpu_s() - c, 2)
    for step, secs in sorted(stage_times(instance, inc.run_ids).items()):
        figures[f"{key}_step_{step}_s"] = round(secs, 2)
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        seen = con.execute("SELECT count(*) FROM staging.documents WHERE source = ?",
                           [added.name]).fetchall()[0][0]  # fmt: skip
    finally:
        con.close()
    return bool(seen == 1 and inc.success)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--out", type=Path, default=REPO / "build" / "bench.json")
    ap.add_argument(
        "--work",
        type=Path,
        default=REPO / "build" / "bench",
        help="scratch folder (landing folder, warehouse, site), emptied first",
    )
    a = ap.parse_args()
    if not (a.shared / "corpus" / "fiw").is_dir():
        print(
            f"bench: the real corpus is not at {a.shared}/corpus (third-party, not shipped)",
            file=sys.stderr,
        )
        return 2
    work = a.work
    if work.exists():
        shutil.rmtree(work)
    inbox = work / "inbox"
    build_inbox(a.shared, inbox, a.scale)
    settings = Settings(
        inbox=inbox,
        warehouse=work / "warehouse.duckdb",
        site=work / "site",
        max_bytes=200_000_000,
        webhook_url=None,
    )
    figures: dict[str, float | int | str] = {"scale": a.scale}
    with dg.DagsterInstance.ephemeral() as instance:
        checks.CHECK_SECONDS.clear()
        rss = RssSampler()
        t, c = time.perf_counter(), cpu_s()
        summary = run_pipeline(settings, instance=instance)
        figures["full_rebuild_s"] = round(time.perf_counter() - t, 2)
        figures["full_rebuild_cpu_s"] = round(cpu_s() - c, 2)
        if not summary.success:
            print("bench: the pipeline run failed", file=sys.stderr)
        windows = step_windows(instance, summary.run_ids)
        steps = {k: sum(b - a for a, b in w) for k, w in windows.items()}
        check_s = sum(checks.CHECK_SECONDS.values())
        for stage, keys in STAGES.items():
            figures[f"stage_{stage}_s"] = round(sum(steps.get(k, 0.0) for k in keys), 2)
        for stage, keys in STAGES.items():  # where the memory goes: resident MB during the stage
            figures[f"rss_peak_{stage}_mb"] = round(
                rss.peak_between([w for k in keys for w in windows.get(k, [])]), 1
            )
        figures["stage_checks_s"] = round(check_s, 2)
        figures["site_build_s"] = figures["stage_site_s"]
        t_throughput = time.time()
        extraction.start()  # the workers' start (once per run) is not throughput: timed apart
        figures["extraction_workers_start_s"] = round(time.time() - t_throughput, 2)
        mb, ext, floor = extraction_throughput(Warehouse(settings.warehouse))
        extraction.shutdown()  # as the pipeline does once its extraction is done
        figures["rss_peak_throughput_mb"] = round(rss.peak_between([(t_throughput, time.time())]), 1)
        t_incremental = time.time()
        figures.update(
            text_mb=round(mb, 2), extraction_mb_s=round(ext, 2), floor_mb_s=round(floor, 2)
        )
        # the first update of a new quarter (2025Q1: the corpus ends in 2023): every country
        # gets carried-forward rows for the new quarters, so every country page is redrawn
        ok = incremental(settings, instance, new_update(inbox), "incremental", figures)
        figures["incremental_published"] = int(
            ok and (settings.site / "country" / "SRB.html").exists()
        )
        # a further update in that quarter, which now has scores: one country recomputed
        ok = incremental(settings, instance, second_update(inbox), "incremental_same_quarter",
                         figures)  # fmt: skip
        figures["incremental_same_quarter_published"] = int(ok)
        rss.stop()
        figures["rss_peak_incremental_mb"] = round(rss.peak_between([(t_incremental, time.time())]), 1)
    if not settings.warehouse.exists():  # the run failed before publishing: report what there is
        print("bench: nothing was published", file=sys.stderr)
        for k, v in figures.items():
            print(f"{k:24s} {v}")
        return 1
    figures["query_median_ms"], figures["query_p95_ms"] = (
        round(x, 2) for x in query_latency(settings.warehouse)
    )
    figures["site_mb"] = round(
        sum(p.stat().st_size for p in settings.site.rglob("*") if p.is_file()) / 1e6, 2
    )
    # the process's own peak, or the process and its extraction workers together when higher
    figures["peak_rss_mb"] = round(max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        max((mb for _, mb in rss.samples), default=0.0),
    ), 1)  # fmt: skip
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        figures["documents"] = con.execute("SELECT count(*) FROM staging.documents").fetchall()[0][
            0
        ]
    finally:
        con.close()
    for k, v in figures.items():
        print(f"{k:24s} {v}")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(f"written {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
