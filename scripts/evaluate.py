"""Evaluate the event extractor on a folder of documents with gold mentions.

    uv run --frozen python scripts/evaluate.py [--docs DIR] [--gold FILE] [--out FILE]
                                               [--only PREFIX]... [--check] [--json]

Runs ``transforms.extract.extract_file`` over every file of ``--docs`` (default: the shared
development corpus), writes the predictions to ``build/eval/pred.jsonl`` and scores them with
the shared scorer (``../shared/tools/mentions.py``, imported by path): event_type and freedom
precision/recall/F1, status accuracy on matched mentions, per-type precision/recall.
``--check`` exits non-zero when a figure is below the bar. ``--only`` restricts the scored
documents to names starting with a prefix (e.g. a held-out half).
"""

import argparse
import importlib.util
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from transforms.extract import extract_file  # noqa: E402

BARS = {"event_type_f1": 0.75, "freedom_f1": 0.85, "status_accuracy": 0.80}


def load_scorer(shared: Path = SHARED):
    """The shared scorer module, or None when ../shared is absent."""
    path = shared / "tools" / "mentions.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("shared_mentions", path)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def predict(docs: list[Path]) -> list[dict]:
    rows: list[dict] = []
    for p in docs:
        rows.extend(extract_file(p.name, p.read_text(encoding="utf-8")))
    return rows


def evaluate(docs_dir: Path, gold: Path, out: Path, only: list[str] | None = None,
             shared: Path = SHARED) -> dict:
    """Predict, write ``out`` and return the scorer's result plus the bars verdict."""
    scorer = load_scorer(shared)
    if scorer is None:
        raise FileNotFoundError(f"the shared scorer is not at {shared / 'tools/mentions.py'}")
    docs = sorted(p for p in docs_dir.iterdir() if p.is_file())
    if only:
        docs = [p for p in docs if any(p.name.startswith(o) for o in only)]
    rows = predict(docs)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    if only:  # score only the chosen documents: a folder of links to them
        sub = out.parent / "scored_docs"
        sub.mkdir(exist_ok=True)
        for old in sub.iterdir():
            old.unlink()
        for p in docs:
            (sub / p.name).symlink_to(p.resolve())
        result = scorer.score(str(gold), str(out), [str(sub)])
    else:
        result = scorer.score(str(gold), str(out), [str(docs_dir)])
    result["bars"] = {
        "event_type_f1": result["event_type"]["f1"] >= BARS["event_type_f1"],
        "freedom_f1": result["freedom"]["f1"] >= BARS["freedom_f1"],
        "status_accuracy": result["status_accuracy_on_matches"] >= BARS["status_accuracy"],
    }
    result["predictions"] = len(rows)
    return result


def report(result: dict) -> str:
    lines = []
    for k in ("event_type", "freedom"):
        r = result[k]
        lines.append(f"{k:10s} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} "
                     f"(tp {r['tp']}, predicted {r['predicted']}, gold {r['gold']})")
    lines.append(f"status accuracy on matches: {result['status_accuracy_on_matches']:.3f}")
    lines.append(f"{'event_type':26s} {'P':>6s} {'R':>6s} {'F1':>6s} {'tp':>4s} {'pred':>5s} "
                 f"{'gold':>5s}")
    for t, r in result["per_type"].items():
        lines.append(f"{t:26s} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
                     f"{r['tp']:4d} {r['predicted']:5d} {r['gold']:5d}")
    bars = ", ".join(f"{k} {'ok' if v else 'BELOW'} (bar {BARS[k]})"
                     for k, v in result["bars"].items())
    lines.append(f"bars: {bars}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=Path, default=SHARED / "corpus" / "dev" / "docs")
    ap.add_argument("--gold", type=Path,
                    default=SHARED / "corpus" / "dev" / "gold" / "mentions.jsonl")
    ap.add_argument("--out", type=Path, default=REPO / "build" / "eval" / "pred.jsonl")
    ap.add_argument("--only", action="append", help="score only documents with this prefix")
    ap.add_argument("--check", action="store_true", help="exit 1 when below the bars")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    if not a.docs.is_dir() or not a.gold.is_file():
        print(f"evaluate: no corpus at {a.docs} / {a.gold} (../shared is third-party material "
              "kept beside the checkout; it is not shipped with the repository)", file=sys.stderr)
        return 2
    try:
        result = evaluate(a.docs, a.gold, a.out, a.only)
    except FileNotFoundError as e:
        print(f"evaluate: {e}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=1) if a.json else report(result))
    if a.check and not all(result["bars"].values()):
        print("evaluate: below the bar", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
