"""Shared pieces of the expectation suites: check specs, parameters, a prepared check, helpers.

A table module lists its checks (``CHECKS``) and builds them (``build``): for each check, the frame
to validate (the table itself or a small derived frame) and the Great Expectations 1.x
expectations to run on it. ``runner.py`` runs them. Great Expectations is imported lazily (it
takes seconds), once per process, and only when a check needs it (see :func:`gxe`).
"""

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, partial
from types import ModuleType
from typing import Any

import polars as pl

SEVERITIES = ("ERROR", "WARN")
DIMENSIONS = ("uniqueness", "validity", "consistency", "completeness", "timeliness")


@dataclass(frozen=True)
class CheckSpec:
    """A check known at definition time (Dagster declares it before anything runs)."""

    name: str  # table_rule, e.g. staging_sentences_offsets_match
    severity: str  # ERROR (blocking) | WARN (a person should look)
    description: str
    dimension: str  # uniqueness | validity | consistency | completeness | timeliness

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.name}: severity {self.severity!r} not in {SEVERITIES}")
        if self.dimension not in DIMENSIONS:
            raise ValueError(f"{self.name}: dimension {self.dimension!r} not in {DIMENSIONS}")


@dataclass(frozen=True)
class DQParams:
    """Thresholds of the checks. ``as_of`` None means today (freshness, volume)."""

    freshness_days: int = 180  # warn for a country with no update for longer than this
    freshness_kinds: tuple[str, ...] = ("update",)  # document kinds that count as an update
    expected_countries: tuple[str, ...] = ()  # countries that must have updates (none: any seen)
    max_quarantine_share: float = 0.2  # warn above this share of inputs quarantined
    volume_period: str = "year"  # year | quarter: the period documents are counted per
    volume_z: float = 2.0  # warn when a count is this many std devs below its history
    volume_min_history: int = 3  # periods of history needed before judging a count
    volume_recent_periods: int = 1  # how many of the latest complete periods are judged
    period_slack_days: int = 31  # an event this close to the stated period still counts as in it
    max_out_of_period_share: float = 0.5  # dated mentions of a document outside its period
    period_min_dated_mentions: int = 3  # fewer dated mentions than this: too little to judge
    score_tolerance: float = 1e-6  # contributions must add up to the score within this
    as_of: date | None = None

    def today(self) -> date:
        return self.as_of or date.today()


class MissingInput(Exception):
    """A frame or column that a check needs was not given."""

    def __init__(self, table: str, message: str) -> None:
        super().__init__(message)
        self.table = table


@dataclass
class PreparedCheck:
    """One check ready to run: the frame to validate, its expectations and example columns.

    ``error`` is set instead when the check could not be prepared (an input frame or column is
    missing, or the derivation failed); the runner reports it as a failed check, never raises.
    """

    spec: CheckSpec
    frame: pl.DataFrame | None = None
    expectations: list[Any] = field(default_factory=list)
    example_columns: tuple[str, ...] = ()
    error: str | None = None
    severity: str = ""  # "" : the spec's; WARN when only another table's input was missing

    @property
    def effective_severity(self) -> str:
        return self.severity or self.spec.severity


Builder = Callable[[Mapping[str, pl.DataFrame], DQParams], tuple[pl.DataFrame, list[Any], Sequence[str]]]


@cache
def gx() -> ModuleType:
    """``great_expectations``, imported on first use (slow), once per process."""
    import great_expectations

    return great_expectations


def gxe() -> Any:
    """The expectation classes, by their GX names: ``gxe().ExpectColumnValuesToBeUnique(...)``.

    Each call gives a :class:`LazyExpectation`: the GX object (and the import of GX, seconds)
    is made only when GX has to validate it; the runner decides most checks without GX."""
    return _LAZY


class LazyExpectation:
    """A Great Expectations 1.x expectation held as its class name and arguments.

    Reading an argument (``e.column``, ``e.min_value``) works as on the GX object, with GX's
    defaults for the ones not given; :meth:`build` makes the real GX expectation."""

    DEFAULTS: dict[str, Any] = {
        "column": None, "column_A": None, "column_B": None, "column_list": None,
        "min_value": None, "max_value": None, "strict_min": False, "strict_max": False,
        "value_set": None, "regex": None, "or_equal": None, "ignore_row_if": None,
        "mostly": 1.0, "row_condition": None, "condition_parser": None, "meta": None,
    }

    def __init__(self, gx_type: str, **kwargs: Any) -> None:
        self.gx_type = gx_type
        self.kwargs = kwargs

    def __getattr__(self, name: str) -> Any:  # only for names not set in __init__
        kwargs = self.__dict__.get("kwargs", {})
        if name in kwargs:
            return kwargs[name]
        if name in self.DEFAULTS:
            return self.DEFAULTS[name]
        raise AttributeError(name)

    def build(self) -> Any:
        """The GX expectation (imports GX on first use)."""
        return getattr(gx().expectations, self.gx_type)(**self.kwargs)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in sorted(self.kwargs.items()))
        return f"{self.gx_type}({args})"


class _LazyExpectations:
    def __getattr__(self, name: str) -> Any:
        if not name.startswith("Expect"):
            raise AttributeError(name)
        return partial(LazyExpectation, name)


_LAZY = _LazyExpectations()


class Suite:
    """The checks of one table: register builders with :meth:`check`, then :meth:`build`."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.specs: list[CheckSpec] = []
        self._builders: dict[str, Builder] = {}

    def check(
        self, name: str, severity: str, dimension: str, description: str
    ) -> Callable[[Builder], Builder]:
        def register(fn: Builder) -> Builder:
            self.add(CheckSpec(name, severity, description, dimension), fn)
            return fn

        return register

    def add(self, spec: CheckSpec, fn: Builder) -> None:
        if spec.name in self._builders:
            raise ValueError(f"duplicate check name {spec.name}")
        self.specs.append(spec)
        self._builders[spec.name] = fn

    def build(self, frames: Mapping[str, pl.DataFrame], params: DQParams) -> list[PreparedCheck]:
        return list(self.iter_build(frames, params))

    def iter_build(
        self, frames: Mapping[str, pl.DataFrame], params: DQParams
    ) -> Iterator[PreparedCheck]:
        """The checks prepared one at a time (the runner validates each before the next is
        built, so a suite never holds every derived frame at once)."""
        for spec in self.specs:
            try:
                frame, expectations, examples = self._builders[spec.name](frames, params)
                yield PreparedCheck(spec, frame, list(expectations), tuple(examples))
            except MissingInput as exc:
                # The table itself missing is as serious as the check; a missing helper input
                # (another table) is a wiring gap a person should see, not a data defect.
                sev = "" if exc.table == self.table else "WARN"
                yield PreparedCheck(spec, error=str(exc), severity=sev)
            except Exception as exc:  # noqa: BLE001 - a broken check must not stop the others
                yield PreparedCheck(spec, error=f"{type(exc).__name__}: {exc}")


# --------------------------------------------------------------------------- inputs


def need(frames: Mapping[str, pl.DataFrame], table: str, columns: Iterable[str]) -> pl.DataFrame:
    """The frame of ``table`` with ``columns`` present; MissingInput otherwise.

    ``frames`` may read tables on demand (a ``frame(table, columns)`` method, as
    ``orchestration.checks.WarehouseFrames`` has): then only the columns a check needs, and the
    short ones its examples may name, are ever loaded, never a whole table of long texts.
    """
    columns = list(columns)
    load = getattr(frames, "frame", None)
    df = load(table, columns) if callable(load) else frames.get(table)
    if df is None:
        raise MissingInput(table, f"input frame {table!r} not given")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise MissingInput(table, f"{table}: missing columns {missing}")
    return df


def need_parts(
    frames: Mapping[str, pl.DataFrame], columns: Mapping[str, Sequence[str]], key: str = "doc_id"
) -> Iterator[dict[str, pl.DataFrame]]:
    """The frames of several tables (``columns``: table -> the columns needed) a slice of ``key``
    values at a time: every row of one key value in the same slice, in every table.

    For checks that compare long texts (offsets into documents, blank texts): frames that read
    on demand (a ``parts(columns, key)`` method, as ``orchestration.checks.WarehouseFrames``
    has) give slices in key order, so only one slice of texts is held at a time; plain frames
    come whole, as one slice. A check builds its derived frame slice by slice and concatenates."""
    load = getattr(frames, "parts", None)
    if callable(load):
        yield from load({t: list(c) for t, c in columns.items()}, key)
        return
    yield {t: need(frames, t, c) for t, c in columns.items()}


def derived_parts(parts: Iterable[pl.DataFrame]) -> tuple[pl.DataFrame, list[Any], list[str]]:
    """:func:`derived` of a derived frame built a slice at a time."""
    return derived(pl.concat(list(parts), how="vertical"))


def key_columns(df: pl.DataFrame, wanted: Sequence[str]) -> list[str]:
    """The example columns among ``wanted`` that ``df`` has (doc_id, sentence_no, ...)."""
    return [c for c in wanted if c in df.columns]


# --------------------------------------------------------------------------- common builders


def unique_key(suite: Suite, columns: Sequence[str], description: str = "") -> None:
    """``<table>_key_unique`` (ERROR): the primary key of the DDL is unique and never null."""
    name = f"{suite.table.replace('.', '_')}_key_unique"
    text = description or f"one row per ({', '.join(columns)}), no key null"

    def build(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
        df = need(frames, suite.table, columns)
        e = gxe()
        exps: list[Any] = [e.ExpectColumnValuesToNotBeNull(column=c) for c in columns]
        if len(columns) == 1:
            exps.append(e.ExpectColumnValuesToBeUnique(column=columns[0]))
        else:
            exps.append(e.ExpectCompoundColumnsToBeUnique(column_list=list(columns)))
        return df, exps, list(columns)

    suite.add(CheckSpec(name, "ERROR", text, "uniqueness"), build)


def in_set(
    suite: Suite,
    rule: str,
    column: str,
    values: Iterable[str],
    examples: Sequence[str],
    description: str,
    severity: str = "ERROR",
    nullable: bool = False,
) -> None:
    """``<table>_<rule>``: every value of ``column`` is one of ``values``."""
    allowed = sorted(set(values))

    def build(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
        df = need(frames, suite.table, [column])
        e = gxe()
        exps: list[Any] = [e.ExpectColumnValuesToBeInSet(column=column, value_set=allowed)]
        if not nullable:
            exps.append(e.ExpectColumnValuesToNotBeNull(column=column))
        return df, exps, key_columns(df, examples)

    suite.add(
        CheckSpec(f"{suite.table.replace('.', '_')}_{rule}", severity, description, "validity"),
        build,
    )


def flag_frame(df: pl.DataFrame, ok: pl.Expr, keep: Sequence[str]) -> pl.DataFrame:
    """A derived frame: the ``keep`` columns and a boolean ``ok`` (null counts as not ok)."""
    return df.select([*(pl.col(c) for c in keep), ok.fill_null(False).alias("ok")])


def derived(df: pl.DataFrame) -> tuple[pl.DataFrame, list[Any], list[str]]:
    """A check on a derived frame with a boolean ``ok``: every row ok; the rest are examples."""
    return df, [expect_ok()], [c for c in df.columns if c != "ok"]


def expect_ok(column: str = "ok") -> Any:
    """The expectation on a derived boolean column: every row is ``True``."""
    return gxe().ExpectColumnValuesToBeInSet(column=column, value_set=[True])


# --------------------------------------------------------------------------- offsets


OFFSET_DOCS = 500  # documents whose texts are held as Python strings at a time


def offsets_frame(
    spans: pl.DataFrame, documents: pl.DataFrame, keep: Sequence[str], text_column: str = "text"
) -> pl.DataFrame:
    """For each span row: ``ok`` when ``documents.text[start:end] == span text`` exactly.

    Python slicing (code points), the way every offset in staging/core is defined. A missing
    document, a null or inverted offset is not ok. ``found`` shows (the start of) what the
    offsets point at, for the examples. Looping in Python avoids repeating each document's text
    on every span row (100k sentences x 25k characters would not fit), a slice of documents at
    a time so that only their texts and spans are ever Python objects.
    """
    rows = spans.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"), "doc_id", "start", "end",
        pl.col(text_column).alias("_span"),
    )
    docs = documents.select("doc_id", "text").unique("doc_id", keep="last", maintain_order=True)
    parts = [pl.DataFrame(schema={"_row": pl.UInt32, "ok": pl.Boolean, "found": pl.String})]
    for i in range(0, docs.height, OFFSET_DOCS):
        chunk = docs.slice(i, OFFSET_DOCS)
        texts = dict(zip(chunk.get_column("doc_id").to_list(),
                         chunk.get_column("text").to_list(), strict=True))  # fmt: skip
        part = rows.filter(pl.col("doc_id").is_in(list(texts)))
        oks: list[bool] = []
        found: list[str | None] = []
        cols = [part.get_column(c).to_list() for c in ("doc_id", "start", "end", "_span")]
        for doc_id, start, end, span in zip(*cols, strict=True):
            doc = texts[doc_id]
            if start is None or end is None or span is None or not 0 <= start <= end <= len(doc):
                oks.append(False)
                found.append(f"<offsets {start}:{end} outside a text of {len(doc)} characters>")
                continue
            piece = doc[start:end]
            ok = piece == span
            oks.append(ok)
            found.append(None if ok else _short(piece))
        parts.append(part.select("_row").with_columns(
            pl.Series("ok", oks, dtype=pl.Boolean), pl.Series("found", found, dtype=pl.String)
        ))  # fmt: skip
    checked = pl.concat(parts)
    return (
        spans.select([pl.col(c) for c in keep])
        .with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"))
        .join(checked, on="_row", how="left", maintain_order="left")
        .with_columns(
            pl.col("ok").fill_null(False),
            pl.when(pl.col("ok").is_null())
            .then(pl.lit("<document not in staging.documents>"))
            .otherwise(pl.col("found"))
            .alias("found"),
        )
        .drop("_row")
    )


def _short(s: str, n: int = 80) -> str:
    return s if len(s) <= n else s[: n - 3] + "..."


# --------------------------------------------------------------------------- bands and periods


def band_of(score: float) -> str | None:
    """The CIVICUS band of a 0-100 score: the one rule, shared with the scoring code.

    The score is rounded half up to an integer, then closed 0-20, repressed 21-40, obstructed
    41-60, narrowed 61-80, open 81-100 (so 20.49 is closed, 20.5 repressed). This delegates to
    ``transforms.scoring.band_of`` so producer and check cannot drift apart; None for a score
    that is missing, not finite or outside 0-100 (the range check reports those).
    """
    if score is None or not math.isfinite(score) or not 0 <= score <= 100:
        return None
    from transforms.scoring import band_of as scoring_band_of

    return scoring_band_of(score)


def quarter_label(d: date) -> str:
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"


def quarter_bounds(d: date) -> tuple[date, date]:
    """First and last day of the calendar quarter containing ``d``."""
    q0 = date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    nxt = date(q0.year + (q0.month + 2) // 12, (q0.month + 2) % 12 + 1, 1)
    return q0, date.fromordinal(nxt.toordinal() - 1)
