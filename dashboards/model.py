"""The site model: the input tables conformed once, with the lookups every page needs
(names, document titles, where each mention's sentence is, links between pages)."""

from collections import defaultdict

import polars as pl

from dashboards.frames import clean_scores, conform_all, country_names, slug
from dashboards.render import esc, short


class Site:
    """Everything the pages need, computed once from the (conformed) input tables."""

    def __init__(self, tables: dict[str, pl.DataFrame], generated_for: str) -> None:
        t = conform_all(tables)
        self.generated_for = generated_for
        self.docs = t["staging.documents"].filter(pl.col("doc_id").is_not_null()).unique(
            "doc_id", keep="first", maintain_order=True).sort("doc_id")
        self.events = t["core.events"].filter(pl.col("event_id").is_not_null()).unique(
            "event_id", keep="first", maintain_order=True)
        self.mentions = t["core.event_mentions"].filter(
            pl.col("mention_id").is_not_null() & pl.col("doc_id").is_not_null()
        ).unique("mention_id", keep="first", maintain_order=True).sort(
            ["doc_id", "start", "mention_id"], nulls_last=True)
        self.scores = clean_scores(t["marts.freedom_scores"])
        self.contribs = t["marts.score_contributions"].filter(
            pl.col("country_iso3").is_not_null() & pl.col("period_start").is_not_null()
            & pl.col("event_id").is_not_null()
        ).sort(["country_iso3", "period_start", "freedom", "event_id"])
        self.alerts = t["marts.alerts"]
        self.checks = t["dq.check_results"]
        self.quarantine = t["raw.quarantine"]

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
        # anchors that exist on document pages, and mention -> (doc, sentence)
        self.text_len = {r[0]: len(r[1] or "") for r in self.docs.select("doc_id", "text").rows()}
        self.mention_loc: dict[str, tuple[str, int | None]] = {}
        for m in self.mentions.select("mention_id", "doc_id", "sentence_no", "start", "end").rows():
            mid, doc, sno, start, end = m
            ok = (doc in self.text_len and sno is not None and start is not None
                  and end is not None and 0 <= start < end <= self.text_len[doc])
            self.mention_loc[mid] = (doc, sno if ok else None)
        self.mentions_by_event: dict[str, list[str]] = defaultdict(list)
        for mid, eid in self.mentions.select("mention_id", "event_id").rows():
            if eid is not None:
                self.mentions_by_event[eid].append(mid)
        self.event_first = {
            r[0]: r[1] for r in self.events.select("event_id", "first_mention_id").rows()}
        self.event_summary = {r[0]: r[1] for r in self.events.select("event_id", "summary").rows()}

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
