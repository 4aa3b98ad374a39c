"""Run a table's expectation suite on Polars frames and turn the validation into check outcomes.

Great Expectations 1.x on pandas in one ephemeral context per process (GX over SQLAlchemy/DuckDB
does not work here). Checks that validate the same frame with the same example columns share one
validation call. Nothing here raises on bad data: a check that cannot run is a failed outcome
whose example says why.

Cost: GX's price is mostly per expectation and per call (about 50 ms of Python each), not per
row. So a check whose expectations certainly hold on the frame (:func:`surely_holds`, a few
vectorised Polars expressions) is reported passed without GX; only checks with something to
report go through GX, on only the columns they need. On the real corpus this takes the
validation from about 3 s to a fraction of a second of CPU per full run.

    outcomes = run_checks("staging.sentences", frames)
    rows = to_rows(outcomes, run_id=run_id, partition="", checked_at=now)   # dq.check_results
"""

import importlib
import json
import math
import re
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import cache
from types import ModuleType
from typing import Any

import polars as pl

from expectations.common import CheckSpec, DQParams, LazyExpectation, PreparedCheck, gx

MAX_EXAMPLES = 5

MODULES: dict[str, str] = {
    "raw.documents": "expectations.raw_documents",
    "raw.quarantine": "expectations.raw_quarantine",
    "staging.documents": "expectations.staging_documents",
    "staging.sections": "expectations.staging_sections",
    "staging.sentences": "expectations.staging_sentences",
    "core.event_mentions": "expectations.core_event_mentions",
    "core.events": "expectations.core_events",
    "marts.freedom_scores": "expectations.marts_freedom_scores",
    "marts.freedom_scores_annual": "expectations.marts_freedom_scores_annual",
    "marts.score_contributions": "expectations.marts_score_contributions",
    "marts.alerts": "expectations.marts_alerts",
}

RESULT_COLUMNS: dict[str, pl.DataType] = {
    "run_id": pl.String(),
    "checked_at": pl.Datetime("us"),
    "table_name": pl.String(),
    "partition": pl.String(),
    "check_name": pl.String(),
    "severity": pl.String(),
    "success": pl.Boolean(),
    "unexpected_count": pl.Int64(),
    "examples": pl.String(),
}


@dataclass
class CheckOutcome:
    table_name: str
    check_name: str
    severity: str  # ERROR | WARN
    success: bool
    unexpected_count: int
    examples: list[dict] = field(default_factory=list)  # <= 5, doc_id / sentence_no where known
    description: str = ""
    dimension: str = ""

    @property
    def blocking(self) -> bool:
        return not self.success and self.severity == "ERROR"


def suite_module(table: str) -> ModuleType:
    if table not in MODULES:
        raise ValueError(f"no expectation suite for table {table!r}; known: {sorted(MODULES)}")
    return importlib.import_module(MODULES[table])


def check_names(table: str) -> list[CheckSpec]:
    """The checks of ``table``, known without running anything (and without importing GX)."""
    return list(suite_module(table).CHECKS)


def catalogue() -> pl.DataFrame:
    """Every check of every table (for the methodology and data-quality pages)."""
    rows = [
        {"table_name": t, "check_name": s.name, "severity": s.severity,
         "dimension": s.dimension, "description": s.description}
        for t in MODULES for s in check_names(t)
    ]
    return pl.DataFrame(rows)


def run_checks(
    table: str, frames: Mapping[str, pl.DataFrame], *, params: DQParams | None = None
) -> list[CheckOutcome]:
    """Run every check of ``table``; one outcome per check of :func:`check_names`, in order."""
    params = params or DQParams()
    module = suite_module(table)
    suite = getattr(module, "suite", None)
    try:
        prepared: Iterable[PreparedCheck] = (
            suite.iter_build(frames, params) if suite is not None else module.build(frames, params)
        )
    except Exception as exc:  # noqa: BLE001 - report, never crash
        prepared = [PreparedCheck(s, error=f"build failed: {exc}") for s in module.CHECKS]
    outcomes: dict[str, CheckOutcome] = {}
    # Checks on the same frame share one validation (GX's cost is mostly per call); their
    # examples then carry the union of the example columns. A check that surely holds passes
    # as soon as it is built, and its frame is let go before the next check is built.
    groups: dict[int, list[PreparedCheck]] = {}
    # the example columns of every check on a frame (those passed at once too), while the frame
    # lives: a group's examples carry them all, as when every check was validated together
    shown: list[tuple[weakref.ref, tuple[str, ...]]] = []
    for p in prepared:
        if p.error is not None or p.frame is None:
            outcomes[p.spec.name] = _failed(table, p, p.error or "nothing to validate")
            continue
        shown.append((weakref.ref(p.frame), p.example_columns))
        if _holds_at_once(p):
            outcomes[p.spec.name] = _passed(table, p)
        else:
            groups.setdefault(id(p.frame), []).append(p)
    for checks in groups.values():
        frame = checks[0].frame
        columns = [c for ref, cols in shown if ref() is frame for c in cols]
        try:
            outcomes.update(_validate(table, checks, columns))
        except Exception as exc:  # noqa: BLE001
            for p in checks:
                outcomes[p.spec.name] = _failed(table, p, f"validation failed: {exc}")
    return [outcomes[s.name] for s in module.CHECKS if s.name in outcomes]


def _holds_at_once(p: PreparedCheck) -> bool:
    """The check has every column it names and each expectation surely holds: it passes
    without GX (the fast path); False when that cannot be told, and GX validates it."""
    frame = p.frame
    assert frame is not None
    try:
        needed = _needed([p], p.example_columns)
    except Exception:  # noqa: BLE001 - then GX decides
        return False
    return (
        bool(p.expectations)
        and all(c in frame.columns for c in needed)
        and all(surely_holds(frame, e) for e in p.expectations)
    )


def _needed(checks: Sequence[PreparedCheck], example_columns: Sequence[str]) -> list[str]:
    """The example columns, then every column the checks' expectations name, once each."""
    return list(dict.fromkeys(
        [*example_columns, *(c for p in checks for e in p.expectations for c in _columns_of(e))]
    ))  # fmt: skip


def merge_outcomes(parts: Iterable[list[CheckOutcome]]) -> list[CheckOutcome]:
    """One outcome per check from the outcomes of a table checked in parts (slices of whole
    countries, say): passed when it passed on every part, the unexpected rows added up, the
    first examples kept. Exact when no check compares rows of two parts (no check uses
    ``mostly``), which is what splitting on a key of every comparison guarantees."""
    merged: dict[str, CheckOutcome] = {}
    for outcomes in parts:
        for o in outcomes:
            m = merged.get(o.check_name)
            if m is None:
                merged[o.check_name] = CheckOutcome(**{**asdict(o), "examples": list(o.examples)})
                continue
            m.success = m.success and o.success
            m.unexpected_count += o.unexpected_count
            m.examples = (m.examples + list(o.examples))[:MAX_EXAMPLES]
    return list(merged.values())


def blocking_failures(outcomes: Iterable[CheckOutcome]) -> list[CheckOutcome]:
    """The failed ERROR checks: data that must not flow downstream."""
    return [o for o in outcomes if o.blocking]


def to_rows(
    outcomes: Iterable[CheckOutcome], *, run_id: str, partition: str = "", checked_at: datetime
) -> pl.DataFrame:
    """Rows of ``dq.check_results`` (examples JSON-encoded, at most 5)."""
    rows = [
        {
            "run_id": run_id,
            "checked_at": checked_at,
            "table_name": o.table_name,
            "partition": partition,
            "check_name": o.check_name,
            "severity": o.severity,
            "success": bool(o.success),
            "unexpected_count": int(o.unexpected_count),
            "examples": json.dumps(o.examples[:MAX_EXAMPLES], default=str, ensure_ascii=False),
        }
        for o in outcomes
    ]
    return pl.DataFrame(rows, schema=RESULT_COLUMNS, orient="row") if rows else pl.DataFrame(
        schema=RESULT_COLUMNS
    )


def outcome_dict(o: CheckOutcome) -> dict[str, Any]:
    return asdict(o)


# --------------------------------------------------------------------------- GX plumbing


@cache
def _batch_definition() -> Any:
    """One ephemeral context, pandas data source and whole-frame batch definition per process."""
    g = gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = g.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = ctx.data_sources.add_pandas("civicspace_dq")
    asset = source.add_dataframe_asset("frame")
    return asset.add_batch_definition_whole_dataframe("whole_frame")


def _columns_of(expectation: Any) -> list[str]:
    cols: list[str] = []
    for attr in ("column", "column_A", "column_B"):
        v = getattr(expectation, attr, None)
        if isinstance(v, str):
            cols.append(v)
    for attr in ("column_list",):
        v = getattr(expectation, attr, None)
        if v:
            cols.extend(v)
    return cols


def _validate(
    table: str, checks: Sequence[PreparedCheck], shown: Sequence[str] = ()
) -> dict[str, CheckOutcome]:
    """Validate with GX, together, checks on one frame that did not pass at once (see
    :func:`_holds_at_once`: every failure, count and example comes from GX); ``shown``: the
    example columns of every check on that frame (passed ones included), which the examples
    carry."""
    frame = checks[0].frame
    assert frame is not None
    example_columns = list(
        dict.fromkeys([*shown, *(c for p in checks for c in p.example_columns)])
    )
    needed = _needed(checks, example_columns)
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(f"columns {missing} not in the frame to validate")
    todo = list(checks)
    pdf = frame.select(needed).to_pandas()  # the columns of every check: same examples as before
    batch_definition = _batch_definition()  # creates the (active) context before the suite
    g = gx()
    suite = g.ExpectationSuite(name=f"{table}:{todo[0].spec.name}")
    for p in todo:
        for i, lazy in enumerate(p.expectations):
            e = lazy.build() if isinstance(lazy, LazyExpectation) else lazy
            e.meta = {**(e.meta or {}), "dq_check": p.spec.name, "dq_index": i}
            suite.add_expectation(e)
    batch = batch_definition.get_batch(batch_parameters={"dataframe": pdf})
    result_format: dict[str, Any] = {
        "result_format": "SUMMARY",
        "partial_unexpected_count": MAX_EXAMPLES,
    }
    if example_columns:
        result_format["unexpected_index_column_names"] = example_columns
    res = batch.validate(suite, result_format=result_format)
    per_check: dict[str, list[Any]] = {p.spec.name: [] for p in todo}
    for r in res.results:
        name = (r.expectation_config.meta or {}).get("dq_check")
        if name in per_check:
            per_check[name].append(r)
    # pandas turns an integer column with nulls into floats: give the examples their ints back
    ints = {c for c, t in frame.schema.items() if t.is_integer()}
    return {p.spec.name: _outcome(table, p, per_check[p.spec.name], ints) for p in todo}


def _passed(table: str, p: PreparedCheck) -> CheckOutcome:
    """What :func:`_outcome` gives when GX reports every expectation of ``p`` successful."""
    return CheckOutcome(table_name=table, check_name=p.spec.name, severity=p.effective_severity,
                        success=True, unexpected_count=0, examples=[],
                        description=p.spec.description, dimension=p.spec.dimension)


# --------------------------------------------------------------------------- fast path

_PLAIN = (pl.String, pl.Boolean, pl.Date, pl.Datetime)  # besides integers and floats
_SIMPLE_RX = re.compile(r"\^?(?:\[[0-9a-zA-Z-]+\](?:\{\d+(?:,\d*)?\}|[+*?])?|[0-9a-zA-Z_-])+\$?")


def _nan_free(s: pl.Series) -> bool:
    return not s.dtype.is_float() or not s.is_nan().any()


def _scalar(s: pl.Series) -> bool:
    """A column whose values compare the same way in Polars and in pandas (no lists, structs,
    objects, decimals)."""
    return s.dtype.is_integer() or s.dtype.is_float() or isinstance(s.dtype, _PLAIN)


def _number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def surely_holds(frame: pl.DataFrame, expectation: Any) -> bool:
    """True only when ``expectation`` certainly succeeds on ``frame`` (False: let GX decide).

    Covers the expectation types the suites use, with GX's semantics on pandas: nulls (and NaN,
    which pandas counts as null) are skipped by the value checks, ``mostly`` can only relax a
    check that holds on every row. Anything unusual (a row condition, a suite parameter, a
    column type or a null that GX might treat differently) answers False, never a guess."""
    try:
        return _surely_holds(frame, expectation)
    except Exception:  # noqa: BLE001 - any doubt: GX validates
        return False


def _surely_holds(frame: pl.DataFrame, e: Any) -> bool:  # noqa: PLR0911
    if getattr(e, "row_condition", None):
        return False
    kind = e.gx_type if isinstance(e, LazyExpectation) else type(e).__name__
    if kind == "ExpectColumnValuesToNotBeNull":
        s = frame.get_column(e.column)
        return _scalar(s) and s.null_count() == 0 and _nan_free(s)
    if kind == "ExpectColumnValuesToBeInSet":
        s = frame.get_column(e.column).drop_nulls()
        values = list(e.value_set or [])
        if s.dtype == pl.String and values and all(isinstance(v, str) for v in values):
            return bool(s.is_in(values).all())
        if s.dtype == pl.Boolean and values and all(isinstance(v, bool) for v in values):
            return set(s.unique().to_list()) <= set(values)
        return False
    if kind == "ExpectColumnValuesToNotBeInSet":
        s = frame.get_column(e.column).drop_nulls()
        values = list(e.value_set or [])
        return (s.dtype == pl.String and all(isinstance(v, str) for v in values)
                and not s.is_in(values).any())
    if kind == "ExpectColumnValuesToMatchRegex":
        s = frame.get_column(e.column).drop_nulls()
        rx = e.regex
        # only patterns that mean the same to Python's re and to Polars' (Rust) regex
        return (s.dtype == pl.String and isinstance(rx, str) and _SIMPLE_RX.fullmatch(rx)
                is not None and bool(s.str.contains(rx).all()))
    if kind == "ExpectColumnValuesToBeUnique":
        s = frame.get_column(e.column)
        return (_scalar(s) and not s.dtype.is_float()
                and not s.drop_nulls().is_duplicated().any())
    if kind == "ExpectCompoundColumnsToBeUnique":
        sub = frame.select(list(e.column_list))
        return (all(_scalar(c) and not c.dtype.is_float() and c.null_count() == 0
                    for c in sub.get_columns())
                and not sub.is_duplicated().any())
    if kind == "ExpectColumnValuesToBeBetween":
        s = frame.get_column(e.column)
        lo, hi = e.min_value, e.max_value
        if not (s.dtype.is_integer() or s.dtype.is_float()) or not _nan_free(s):
            return False
        if (lo is None and hi is None) or not all(v is None or _number(v) for v in (lo, hi)):
            return False
        if not all(isinstance(b, bool) for b in (e.strict_min, e.strict_max)):
            return False
        s = s.drop_nulls()
        ok_lo = lo is None or bool((s > lo).all() if e.strict_min else (s >= lo).all())
        ok_hi = hi is None or bool((s < hi).all() if e.strict_max else (s <= hi).all())
        return ok_lo and ok_hi
    if kind == "ExpectColumnPairValuesAToBeGreaterThanB":
        a, b = frame.get_column(e.column_A), frame.get_column(e.column_B)
        numeric = all(c.dtype.is_integer() or c.dtype.is_float() for c in (a, b))
        same_time = a.dtype == b.dtype and isinstance(a.dtype, pl.Date | pl.Datetime)
        if not (numeric or same_time) or a.null_count() or b.null_count():
            return False
        if not (_nan_free(a) and _nan_free(b)) or not isinstance(e.or_equal or False, bool):
            return False
        return bool((a >= b).all() if e.or_equal else (a > b).all())
    return False


def _outcome(
    table: str, p: PreparedCheck, results: list[Any], ints: set[str] | None = None
) -> CheckOutcome:
    success = bool(results) and all(bool(r.success) for r in results)
    unexpected = 0
    examples: list[dict] = []
    several = len(results) > 1
    for r in results:
        info = r.exception_info or {}
        raised = _exception_message(info)
        if raised:
            success = False
            examples.append({"error": raised})
            continue
        if r.success:
            continue
        result = r.result or {}
        n = result.get("unexpected_count")
        unexpected += int(n) if n is not None else 1
        rows = result.get("partial_unexpected_index_list")
        if not rows:
            values = result.get("partial_unexpected_list") or []
            rows = [{"value": v} for v in values] or [{"observed_value": result.get("observed_value")}]
        for row in rows:
            ex = {str(k): _plain(v) for k, v in dict(row).items() if k != "ok"}
            for k, v in ex.items():
                if ints and k in ints and isinstance(v, float) and v.is_integer():
                    ex[k] = int(v)
            if several:
                ex["expectation"] = r.expectation_config.type
            if ex not in examples:
                examples.append(ex)
    if not results:
        examples.append({"error": "no validation result"})
    return CheckOutcome(
        table_name=table,
        check_name=p.spec.name,
        severity=p.effective_severity,
        success=success,
        unexpected_count=unexpected,
        examples=examples[:MAX_EXAMPLES],
        description=p.spec.description,
        dimension=p.spec.dimension,
    )


def _exception_message(info: Any) -> str | None:
    """GX reports exceptions either flat or keyed by metric; the first message, if one raised."""
    if not isinstance(info, dict):
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "exception")
    for v in info.values():
        if isinstance(v, dict) and v.get("raised_exception"):
            return str(v.get("exception_message") or "exception")
    return None


def _failed(table: str, p: PreparedCheck, message: str) -> CheckOutcome:
    return CheckOutcome(
        table_name=table,
        check_name=p.spec.name,
        severity=p.effective_severity,
        success=False,
        unexpected_count=0,
        examples=[{"error": message}],
        description=p.spec.description,
        dimension=p.spec.dimension,
    )


def _plain(v: Any) -> Any:
    """numpy / pandas scalars to JSON-friendly Python values (NaN/NaT -> None, inf -> 'inf')."""
    import numpy as np
    import pandas as pd

    if v is None or v is pd.NaT:
        return None
    if isinstance(v, np.datetime64):
        v = pd.Timestamp(v)
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    elif isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, (tuple, list, np.ndarray)):
        return [_plain(x) for x in v]
    if isinstance(v, float):
        if math.isnan(v):
            return None
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    if isinstance(v, datetime):
        if v.hour == v.minute == v.second == v.microsecond == 0:
            return v.date().isoformat()
        return v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (bool, int, str)):
        return v
    return str(v)
