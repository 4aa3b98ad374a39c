"""The site model: the small input tables, read once, with the lookups every page needs
(names, document titles, where each mention's sentence is, links between pages)."""

from collections import defaultdict

import polars as pl

from dashboards.frames import clean_scores, country_names, slug
from dashboards.render import esc, short
from dashboards.source import TableSource


class Site:
    """Everything the pages need: the small tables whole (scores, alerts, checks, quarantine,
    the documents without their text), read once; the lookups of mentions and events for the
    pages being made, selected by :meth:`focus` (a run of countries', or the overview's
    alerts')."""

    def __init__(self, source: TableSource, generated_for: str) -> None:
        self.source = source
        self.generated_for = generated_for
        self.docs = source.read("staging.documents", exclude=("text",)).drop("text").sort(
            "doc_id")
        self.scores = clean_scores(source.read("marts.freedom_scores"))
        self.alerts = source.read("marts.alerts")
        self.checks = source.read("dq.check_results")
        self.quarantine = source.read("raw.quarantine")

        self.names = country_names(self.docs)
        iso = set(self.scores["country_iso3"].to_list()) | set(
            self.docs.filter(pl.col("country_iso3").is_not_null())["country_iso3"].to_list())
        self.countries = sorted(c for c in iso if c)
        for c in self.countries:
            self.names.setdefault(c, c)
        self.doc_ids = set(self.docs["doc_id"].to_list())
        self.doc_titles = {
            r["doc_id"]: (r["title"] or r["source"] or r["doc_id"])
            for r in self.docs.select("doc_id", "title", "source").iter_rows(named=True)
        }
        # anchors that exist on document pages need the length of each document's text
        self.text_len: dict[str, int] = {}
        if "text" in source.columns("staging.documents"):
            self.text_len = dict(source.con.sql(
                "SELECT doc_id, coalesce(length(text), 0) "  # noqa: S608
                f"FROM {source.relation('staging.documents')} t").fetchall())
        else:
            self.text_len = dict.fromkeys(self.doc_ids, 0)
        # what :meth:`focus` looks up, read once (a scan of these tables for every run of
        # countries costs more than holding their few columns)
        self._mentions = source.read(
            "core.event_mentions",
            only=("mention_id", "doc_id", "sentence_no", "start", "end", "event_id"),
        )
        self._events = source.read(
            "core.events", only=("event_id", "first_mention_id", "summary"))
        self.mention_loc: dict[str, tuple[str, int | None]] = {}
        self.mentions_by_event: dict[str, list[str]] = defaultdict(list)
        self.event_first: dict[str, str | None] = {}
        self.event_summary: dict[str, str | None] = {}

    def focus(self, event_ids: list[str], mention_ids: list[str]) -> None:
        """Select the lookups of these events (their first mention, summary and every mention)
        and of these mentions (mention -> (doc, sentence), when the sentence is an anchor on its
        document's page). What a page looks up must be among them; more does no harm."""
        event_set = pl.Series(event_ids, dtype=pl.String)
        events = self._events.filter(pl.col("event_id").is_in(event_set))
        self.event_first = dict(events.select("event_id", "first_mention_id").rows())
        self.event_summary = dict(events.select("event_id", "summary").rows())
        wanted = list({*mention_ids, *(m for m in self.event_first.values() if m)})
        mentions = self._mentions.filter(
            pl.col("mention_id").is_in(pl.Series(wanted, dtype=pl.String))
            | pl.col("event_id").is_in(event_set)
        ).sort(["doc_id", "start", "mention_id"], nulls_last=True)
        self.mention_loc = {}
        for mid, doc, sno, start, end in mentions.select(
                "mention_id", "doc_id", "sentence_no", "start", "end").rows():
            ok = (doc in self.text_len and sno is not None and start is not None
                  and end is not None and 0 <= start < end <= self.text_len[doc])
            self.mention_loc[mid] = (doc, sno if ok else None)
        self.mentions_by_event = defaultdict(list)
        for mid, eid in mentions.select("mention_id", "event_id").rows():
            if eid is not None:
                self.mentions_by_event[eid].append(mid)

    # links, relative to a page at ``root`` ('' or '../')
    def country_url(self, iso: str, root: str = "") -> str:
        return f"{root}country/{slug(iso)}.html"

    def doc_url(self, doc_id: str, root: str = "", sentence_no: int | None = None) -> str:
        anchor = f"#s{int(sentence_no)}" if sentence_no is not None else ""
        return f"{root}doc/{slug(doc_id)}.html{anchor}"

    def mention_url(self, mention_id: str | None, root: str, doc_id: str | None = None) -> str:
        """The sentence of a mention on its document page ('' when no document page exists)."""
        if mention_id and mention_id in self.mention_loc:
            doc, sno = self.mention_loc[mention_id]
            if doc in self.doc_ids:
                return self.doc_url(doc, root, sno)
        if doc_id and doc_id in self.doc_ids:
            return self.doc_url(doc_id, root)
        return ""

    def source_link(self, mention_id: str | None, doc_id: str | None, root: str,
                    titled: bool = True) -> str:
        """A short link to a mention's sentence (its document's title as the tooltip unless
        ``titled`` is False: the events tables, where the page's documents list names them)."""
        url = self.mention_url(mention_id, root, doc_id)
        doc = self.mention_loc.get(mention_id or "", (doc_id, None))[0] or doc_id
        if not url:
            return esc(doc or "")
        sno = self.mention_loc.get(mention_id or "", (None, None))[1]
        label = f"sentence {sno}" if sno is not None else "document"
        if not titled:
            return f'<a href="{esc(url)}">{esc(label)}</a>'
        title = short(self.doc_titles.get(doc or "", doc or ""), 90)
        return f'<a class="src" href="{esc(url)}" title="{esc(title)}">{esc(label)}</a>'

    @property
    def method_versions(self) -> list[str]:
        return sorted(v for v in self.scores["method_version"].unique().to_list() if v)
