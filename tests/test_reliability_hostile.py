"""Hostile files in the landing folder, hostile text in documents, hostile SQL.

One full in-process run (Dagster, ephemeral instance) over a landing folder holding three sample
updates and every kind of bad file: odd names, symbolic links out of the folder, a file over
the size limit, a binary, an empty file, a FIFO, a hidden file, a Latin-1 update, an HTML update
with scripts and event handlers in its title and body, an update whose title is an SQL
injection. The run completes; every refused file has a quarantine row with a reason; nothing is
lost; the site never carries the payloads unescaped; the injection lands as data.
"""

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.landing import IGNORED_NAMES, SIDECAR_SUFFIX
from orchestration.runner import run_pipeline
from orchestration.settings import SAMPLE_INBOX, Settings
from orchestration.warehouse import TABLES

REPO = Path(__file__).resolve().parents[1]
MAX_BYTES = 200_000
SAMPLES = ("georgia-2024q1.txt", "serbia-2024q1.txt", "kazakhstan-2024q2.md")

# Hostile texts, written for this test (fictional).
XSS_TITLE = "Serbia: <script>alert('title')</script><img src=x onerror=alert('t')> media law"
XSS_HTML = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{XSS_TITLE}</title>
<script>alert('head')</script>
</head>
<body onload="alert('body')">
<h1>{XSS_TITLE}</h1>
<div class="content">
<p>This is an update on developments related to the rights to freedoms of expression,
association and peaceful assembly in Serbia from 1st July 2024 to 30th September 2024,
prepared by a fictional partner for the civicspace tests.</p>
<p>On 4th August 2024, police detained two journalists who were filming a protest in Belgrade
<img src=x onerror="alert('img')">and confiscated their cameras. &lt;script&gt;alert('text')&lt;/script&gt;
The journalists were released the next day without charge.</p>
<script>alert('body script')</script>
<p>Association</p>
<p>Parliament adopted amendments that oblige civil society organisations receiving foreign
funding to register as agents of foreign influence. Several organisations said they would
challenge the law before the constitutional court.</p>
<p>Peaceful Assembly</p>
<p>On 20th August 2024, thousands of people protested peacefully in Novi Sad against a planned
mine. Riot police dispersed the rally with tear gas and arrested eleven protesters.</p>
<a href="javascript:alert('link')">read the full story</a>
</div></body></html>
"""
SQL_TITLE = ("Georgia: x'); DROP TABLE marts.alerts; -- <script>alert('sql')</script> NGOs face "
             "new registration rules")
SQL_TEXT = f"""{SQL_TITLE}

This is an update on developments related to the rights to freedoms of expression, association
and peaceful assembly in Georgia from 1st July 2024 to 30th September 2024, prepared by a
fictional partner for the civicspace tests.

In July, parliament adopted a law that obliges non-governmental organisations funded from abroad
to register as organisations serving a foreign interest; several groups refused to register.

On 12th August 2024, police detained a journalist who was covering a protest outside parliament.
Thousands of people marched peacefully through Tbilisi against the law; riot police used
pepper spray to disperse the crowd and detained protesters.
"""
LATIN1_TEXT = """Kazakhstan: civil society groups face new reporting rules

This is an update on developments related to the rights to freedoms of expression, association
and peaceful assembly in Kazakhstan from 1st July 2024 to 30th September 2024, prepared by a
fictional partner (Société civile ouverte) for the civicspace tests.

In August, the authorities fined the journalist René Müller for a report on a protest in Almaty.
Parliament adopted amendments that oblige non-governmental organisations to report every
foreign grant; the association Égalité said it would close its office rather than comply.

On 2nd September 2024, police detained twelve protesters at a peaceful rally in Astana.
"""


def _build_inbox(inbox: Path, outside: Path) -> dict[str, str]:
    """The hostile landing folder; returns name -> what we expect (a quarantine reason, or
    'document')."""
    inbox.mkdir(parents=True)
    outside.mkdir(parents=True)
    expect: dict[str, str] = {}
    for name in SAMPLES:
        shutil.copyfile(SAMPLE_INBOX / name, inbox / name)
        expect[name] = "document"
    secret = outside / "secret.txt"
    secret.write_text("Georgia: the password of the server is hunter2. " * 20, encoding="utf-8")
    (outside / "folder").mkdir()
    (outside / "folder" / "inside.txt").write_text("outside the inbox", encoding="utf-8")

    (inbox / "link-to-secret.txt").symlink_to(secret)
    expect["link-to-secret.txt"] = "symlink"
    (inbox / "link-to-etc-passwd.txt").symlink_to("/etc/passwd")
    expect["link-to-etc-passwd.txt"] = "symlink"
    (inbox / "dotdot-link.txt").symlink_to("../outside/secret.txt")
    expect["dotdot-link.txt"] = "symlink"
    (inbox / "linked-folder").symlink_to(outside / "folder", target_is_directory=True)
    expect["linked-folder"] = "symlink"
    (inbox / "dangling.txt").symlink_to(inbox / "does-not-exist.txt")
    expect["dangling.txt"] = "symlink"

    (inbox / "too-big.txt").write_bytes(b"Georgia police detained journalists. " * 6000)
    expect["too-big.txt"] = "too_large"
    (inbox / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    expect["image.html"] = "binary"
    (inbox / "empty.txt").write_bytes(b"")
    expect["empty.txt"] = "empty"
    (inbox / "blank.md").write_bytes(b" \n\t\r\n   ")
    expect["blank.md"] = "empty"
    (inbox / ".hidden-update.txt").write_text(SQL_TEXT, encoding="utf-8")
    expect[".hidden-update.txt"] = "hidden"
    os.mkfifo(inbox / "a-fifo.txt")  # opening it for reading would block the run forever
    expect["a-fifo.txt"] = "not_a_file"

    # odd but harmless names: traversal-looking, backslashes, RTL override, spaces, a newline
    odd = inbox / "sub dir" / "..%2F..%2Fetc%2Fpasswd"
    odd.mkdir(parents=True)
    shutil.copyfile(SAMPLE_INBOX / "serbia-2024q3.txt", odd / "..\\..\\serbia q3.txt")
    expect["sub dir/..%2F..%2Fetc%2Fpasswd/..\\..\\serbia q3.txt"] = "hidden"  # starts with '.'
    shell = "serbia q3 $(touch pwned) `id`; rm -rf ~ '\"<b>.txt"
    shutil.copyfile(SAMPLE_INBOX / "serbia-2024q3.txt", odd / shell)
    expect[f"sub dir/..%2F..%2Fetc%2Fpasswd/{shell}"] = "document"
    (inbox / "update\u202egpj.exe.txt").write_text("-", encoding="utf-8")  # no letters at all
    expect["update\u202egpj.exe.txt"] = "empty"
    (inbox / "new\nline.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    expect["new\nline.txt"] = "binary"

    (inbox / "latin1-update.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    expect["latin1-update.txt"] = "document"
    (inbox / "xss-update.html").write_text(XSS_HTML, encoding="utf-8")
    expect["xss-update.html"] = "document"
    (inbox / "sql-title.txt").write_text(SQL_TEXT, encoding="utf-8")
    expect["sql-title.txt"] = "document"
    return expect


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("hostile")
    expect = _build_inbox(base / "inbox", base / "outside")
    settings = Settings(inbox=base / "inbox", warehouse=base / "out" / "warehouse.duckdb",
                        site=base / "out" / "site", max_bytes=MAX_BYTES,
                        crawl_state=base / "crawl", webhook_url=None)
    with dg.DagsterInstance.ephemeral() as instance:
        summary = run_pipeline(settings, instance=instance, log_level="ERROR")
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        docs = con.sql("SELECT source, encoding, format FROM raw.documents").fetchall()
        quarantine = con.sql("SELECT file, stage, reason, detail FROM raw.quarantine").fetchall()
        staged = con.sql("SELECT source, title, text FROM staging.documents").fetchall()
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]  # noqa: S608
                  for t in TABLES}
    finally:
        con.close()
    return {"settings": settings, "summary": summary, "expect": expect, "docs": docs,
            "quarantine": quarantine, "staged": staged, "counts": counts, "base": base}


def test_the_run_completes_and_publishes(hostile_run) -> None:
    assert hostile_run["summary"].success
    assert hostile_run["settings"].warehouse.is_file()
    assert (hostile_run["settings"].site / "index.html").is_file()
    assert hostile_run["counts"]["marts.freedom_scores"] > 0


def test_every_refused_file_has_a_quarantine_row_with_the_expected_reason(hostile_run) -> None:
    by_file: dict[str, list[tuple[str, str, str]]] = {}
    for file, stage, reason, detail in hostile_run["quarantine"]:
        assert reason and detail, (file, stage, reason, detail)
        by_file.setdefault(file, []).append((stage, reason, detail))
    for name, want in hostile_run["expect"].items():
        if want == "document":
            continue
        got = [(s, r) for s, r, _ in by_file.get(name, [])]
        assert ("ingest", want) in got, f"{name!r}: expected quarantine {want}, got {got}"


def test_nothing_is_lost(hostile_run) -> None:
    """Every file of the landing folder is a raw document or a quarantine row."""
    inbox = hostile_run["settings"].inbox
    sources = {s.split("#L", 1)[0] for s, _, _ in hostile_run["docs"]}
    refused = {f for f, *_ in hostile_run["quarantine"]}
    seen: list[str] = []
    for dirpath, dirnames, filenames in os.walk(inbox, followlinks=False):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if path.is_dir() and not path.is_symlink():
                continue
            if name in IGNORED_NAMES or name.endswith(SIDECAR_SUFFIX):
                continue
            seen.append(path.relative_to(inbox).as_posix())
    assert len(seen) == len(hostile_run["expect"])
    lost = [n for n in seen if n not in sources and n not in refused]
    assert lost == []


def test_sample_and_odd_named_documents_are_ingested_and_parsed(hostile_run) -> None:
    sources = {s for s, _, _ in hostile_run["docs"]}
    staged = {s for s, _, _ in hostile_run["staged"]}
    for name, want in hostile_run["expect"].items():
        if want == "document":
            assert name in sources, name
            assert name in staged, f"{name} was ingested but not parsed"
    # nothing from outside the landing folder was read
    texts = " ".join(t for *_, t in hostile_run["staged"])
    assert "hunter2" not in texts
    assert all("outside" not in s for s in sources)


def test_a_latin1_update_is_decoded_not_refused(hostile_run) -> None:
    row = next(r for r in hostile_run["docs"] if r[0] == "latin1-update.txt")
    assert row[1].lower().replace("_", "-") not in ("utf-8", "ascii")
    text = next(t for s, _, t in hostile_run["staged"] if s == "latin1-update.txt")
    assert "Müller" in text and "Société" in text


def test_scripts_are_stripped_from_document_text_but_escaped_text_is_kept(hostile_run) -> None:
    title, text = next((t, x) for s, t, x in hostile_run["staged"] if s == "xss-update.html")
    assert "alert('head')" not in text and "alert('body script')" not in text
    assert "onerror" not in text and "javascript:" not in text
    assert "<script>alert('text')</script>" in text  # escaped in the page: it is text, kept
    assert title and "alert('title')" in title and "media law" in title


def test_the_hostile_titles_show_as_text_on_their_pages(hostile_run) -> None:
    """The HTML update's title (its tags dropped by the parser) and the text update's title
    (kept verbatim, ``<script>`` included) show HTML-escaped in their pages' headings."""
    site = hostile_run["settings"].site
    pages = [p.read_text(encoding="utf-8") for p in site.glob("doc/*.html")]
    for source, marker in (("xss-update.html", "alert(&#x27;text&#x27;)"),
                           ("sql-title.txt", "DROP TABLE marts.alerts")):
        title = next(t for s, t, _ in hostile_run["staged"] if s == source)
        page = next(p for p in pages if marker in p)
        assert f"<h1>{html.escape(title, quote=True)}</h1>" in page, source
    assert any("&lt;script&gt;alert(&#x27;sql&#x27;)&lt;/script&gt;" in p for p in pages)
    assert any("&lt;script&gt;alert(&#x27;text&#x27;)&lt;/script&gt;" in p for p in pages)


def _pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html")]


def test_the_site_never_carries_the_payload_unescaped(hostile_run) -> None:
    site = hostile_run["settings"].site
    pages = _pages(site)
    assert pages
    shown = False
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for payload in ("<script>alert", "onerror=alert", "onerror=\"alert", "onload=\"alert",
                        "javascript:alert", "<img src=x"):
            assert payload not in text, f"{page.relative_to(site)} carries {payload!r} unescaped"
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", text, re.S):
            if "application/json" in attrs:  # data, never run; '<' must stay escaped inside
                assert "<" not in body, page
            else:
                assert "alert(" not in body, page
        shown = shown or "&lt;script&gt;alert(" in text
    assert shown, "the hostile title is shown nowhere on the site (as escaped text)"
    for script in site.rglob("*.js"):
        if script.name == "plotly.min.js":  # plotly's own bundle
            continue
        assert "alert('" not in script.read_text(encoding="utf-8", errors="replace"), script


def test_an_sql_injection_title_lands_as_data(hostile_run) -> None:
    titles = [t for s, t, _ in hostile_run["staged"] if s == "sql-title.txt"]
    assert titles == [SQL_TITLE]
    con = duckdb.connect(str(hostile_run["settings"].warehouse), read_only=True)
    try:
        tables = {f"{s}.{n}" for s, n in con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables()").fetchall()}
        hits = con.execute("SELECT count(*) FROM staging.documents WHERE title = ?",
                           [titles[0]]).fetchall()[0][0]
    finally:
        con.close()
    assert set(TABLES) <= tables
    assert hits == 1


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orchestration.cli", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def test_civicspace_sql_opens_the_published_warehouse_read_only(hostile_run) -> None:
    wh = hostile_run["settings"].warehouse
    before = hostile_run["counts"]
    for statement in ("DELETE FROM marts.alerts", "DROP TABLE marts.freedom_scores",
                      "INSERT INTO raw.quarantine VALUES ('x', NULL, 'ingest', 'r', 'd', "
                      "now(), now())",
                      "CREATE TABLE marts.evil AS SELECT 1 AS x"):
        done = _cli("sql", "--warehouse", str(wh), statement)
        assert done.returncode != 0, statement
        assert "read-only" in done.stderr.lower() or "read only" in done.stderr.lower(), done.stderr
    done = _cli("sql", "--warehouse", str(wh), "--format", "csv",
                "SELECT count(*) AS n FROM marts.freedom_scores")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["n", str(before["marts.freedom_scores"])]
    con = duckdb.connect(str(wh), read_only=True)
    try:
        after = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]  # noqa: S608
                 for t in TABLES}
    finally:
        con.close()
    assert after == before


def test_civicspace_sql_does_not_create_a_missing_warehouse(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "warehouse.duckdb"
    done = _cli("sql", "--warehouse", str(missing), "SELECT 1")
    assert done.returncode == 2 and "no published warehouse" in done.stderr
    assert not missing.exists()


def test_a_file_name_that_is_not_utf8_is_quarantined_not_fatal(tmp_path: Path) -> None:
    """A name with bytes that are not UTF-8 (b'caf\\xe9.txt', legal on Linux)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copyfile(SAMPLE_INBOX / "georgia-2024q1.txt", inbox / "georgia-2024q1.txt")
    with open(os.path.join(os.fsencode(inbox), b"caf\xe9-update.txt"), "wb") as f:
        f.write(SQL_TEXT.encode("utf-8"))
    settings = Settings(inbox=inbox, warehouse=tmp_path / "out" / "warehouse.duckdb",
                        site=tmp_path / "out" / "site", max_bytes=MAX_BYTES,
                        crawl_state=tmp_path / "crawl", webhook_url=None)
    with dg.DagsterInstance.ephemeral() as instance:
        summary = run_pipeline(settings, instance=instance, log_level="ERROR")
    assert summary.success
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        docs = con.sql("SELECT source FROM raw.documents").fetchall()
        refused = con.sql("SELECT file, reason, detail FROM raw.quarantine").fetchall()
    finally:
        con.close()
    names = [s for (s,) in docs] + [f for f, _, _ in refused]
    assert "georgia-2024q1.txt" in names
    assert any(n.startswith("caf") for n in names), (docs, refused)


def test_civicspace_max_bytes_from_the_environment_refuses_larger_files_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestration.landing import LandedFile, Refused, scan

    monkeypatch.setenv("CIVICSPACE_MAX_BYTES", "1000")
    limit = Settings().max_bytes
    assert limit == 1000
    (tmp_path / "small.txt").write_bytes(b"a" * 1000)
    (tmp_path / "big.txt").write_bytes(b"a" * 1001)
    items = {i.name: i for i in scan(tmp_path, max_bytes=limit)}
    assert isinstance(items["small.txt"], LandedFile)
    big = items["big.txt"]
    assert isinstance(big, Refused) and big.reason == "too_large" and "1001" in big.detail
