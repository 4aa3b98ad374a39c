"""scripts/evaluate.py: the extractor scored on the development corpus, against the bars."""

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "evaluate.py"


@pytest.fixture(scope="module")
def evaluate():
    spec = importlib.util.spec_from_file_location("civicspace_evaluate", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def result(evaluate, shared, tmp_path_factory):
    out = tmp_path_factory.mktemp("eval") / "pred.jsonl"
    docs = shared / "corpus" / "dev" / "docs"
    gold = shared / "corpus" / "dev" / "gold" / "mentions.jsonl"
    return evaluate.evaluate(docs, gold, out, shared=shared), out


def test_dev_corpus_meets_the_bars(result, evaluate):
    res, _ = result
    assert res["event_type"]["f1"] >= evaluate.BARS["event_type_f1"], evaluate.report(res)
    assert res["freedom"]["f1"] >= evaluate.BARS["freedom_f1"], evaluate.report(res)
    assert res["status_accuracy_on_matches"] >= evaluate.BARS["status_accuracy"], \
        evaluate.report(res)
    assert all(res["bars"].values())


def test_report_prints_per_type_precision_and_recall(result, evaluate):
    res, _ = result
    text = evaluate.report(res)
    assert "event_type P=" in text and "freedom" in text and "status accuracy" in text
    assert "EXP_DETENTION" in text and "ASM_PEACEFUL_PROTEST" in text


def test_predictions_are_written_as_jsonl(result):
    res, out = result
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == res["predictions"] > 100
    assert {"doc", "start", "end", "event_type", "status", "event_id"} <= set(rows[0])


def test_held_out_half_is_scored_alone(evaluate, shared, tmp_path):
    docs = shared / "corpus" / "dev" / "docs"
    gold = shared / "corpus" / "dev" / "gold" / "mentions.jsonl"
    res = evaluate.evaluate(docs, gold, tmp_path / "p.jsonl", only=["sec-9", "sec-a"],
                            shared=shared)
    assert 0 < res["documents"] < 10


def test_missing_corpus_gives_a_clear_message(evaluate, tmp_path, capsys):
    code = evaluate.main(["--docs", str(tmp_path / "nowhere"), "--gold",
                          str(tmp_path / "none.jsonl")])
    assert code == 2
    assert "no corpus" in capsys.readouterr().err


def test_missing_scorer_raises(evaluate, tmp_path):
    with pytest.raises(FileNotFoundError):
        evaluate.evaluate(tmp_path, tmp_path / "g.jsonl", tmp_path / "o.jsonl", shared=tmp_path)


def test_halves_partition_the_development_corpus(evaluate, shared):
    names = [p.name for p in (shared / "corpus" / "dev" / "docs").iterdir()]
    halves = {n: [h for h, prefixes in evaluate.HALVES.items()
                  if any(n.startswith(p) for p in prefixes)] for n in names}
    assert all(len(h) == 1 for h in halves.values()), halves
    sizes = [sum(1 for h in halves.values() if h == [k]) for k in evaluate.HALVES]
    assert min(sizes) >= 15


def test_halves_report_prints_three_lines(evaluate, shared, tmp_path):
    docs = shared / "corpus" / "dev" / "docs"
    gold = shared / "corpus" / "dev" / "gold" / "mentions.jsonl"
    text = evaluate.halves_report(docs, gold, tmp_path / "p.jsonl", shared=shared)
    assert [line.split()[0] for line in text.splitlines()] == ["all", "tuning", "held-out"]
