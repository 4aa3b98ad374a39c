"""The landing folder: files read safely, odd ones refused with a reason, sidecars honoured."""

import json
import os

from orchestration.landing import CrawlRejection, LandedFile, Refused, fingerprint, scan


def _items(inbox, max_bytes=1000):
    return list(scan(inbox, max_bytes=max_bytes))


def test_plain_files_are_read_in_a_stable_order(tmp_path):
    (tmp_path / "b.txt").write_text("second")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "c.html").write_text("<p>first</p>")
    items = _items(tmp_path)
    assert [i.name for i in items] == ["b.txt", "a/c.html"]  # folder by folder, sorted
    assert all(isinstance(i, LandedFile) for i in items)


def test_symlinks_and_oversized_files_are_refused_with_reasons(tmp_path):
    outside = tmp_path.parent / f"{tmp_path.name}-secret.txt"
    outside.write_text("not yours")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    os.symlink(outside, inbox / "link.txt")
    os.symlink(tmp_path.parent, inbox / "dirlink")
    (inbox / "big.txt").write_bytes(b"x" * 2000)
    got = {i.name: i for i in _items(inbox)}
    assert isinstance(got["link.txt"], Refused) and got["link.txt"].reason == "symlink"
    assert isinstance(got["dirlink"], Refused) and got["dirlink"].reason == "symlink"
    assert isinstance(got["big.txt"], Refused) and got["big.txt"].reason == "too_large"
    assert "2000 bytes" in got["big.txt"].detail


def test_odd_names_are_read_as_plain_files(tmp_path):
    odd = "..weird name; rm -rf $HOME.txt"
    (tmp_path / odd).write_text("text")
    (tmp_path / "ünïcödé.txt").write_text("text")
    (tmp_path / "partial.html.tmp").write_text("still being written")
    got = {i.name: i for i in _items(tmp_path)}
    assert isinstance(got["ünïcödé.txt"], LandedFile)
    # a hidden file is refused with a reason, never dropped silently; temp files are not ready yet
    assert isinstance(got[odd], Refused) and got[odd].reason == "hidden"
    assert "partial.html.tmp" not in got


def test_sidecar_gives_url_and_fetch_time_and_crawl_rejections_are_carried(tmp_path):
    (tmp_path / "page.html").write_text("<p>x</p>")
    (tmp_path / "page.html.meta.json").write_text(
        json.dumps({"url": "https://example.org/a", "fetched_at": "2024-05-01T10:00:00+00:00"}))
    (tmp_path / "_quarantine.jsonl").write_text(
        json.dumps({"url": "https://example.org/b", "reason": "not_html", "detail": "image/png"})
        + "\nnot json\n")
    items = _items(tmp_path)
    page = next(i for i in items if isinstance(i, LandedFile))
    assert page.source_url == "https://example.org/a" and page.fetched_at.year == 2024
    rej = [i for i in items if isinstance(i, CrawlRejection)]
    assert rej == [CrawlRejection("https://example.org/b", "not_html", "image/png")]


def test_fingerprint_changes_when_a_file_changes(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("one")
    before = fingerprint(tmp_path)
    f.write_text("three")
    assert fingerprint(tmp_path) != before


def test_a_name_that_is_not_utf8_is_refused_with_a_reason(tmp_path):
    os.close(os.open(os.path.join(os.fsencode(tmp_path), b"caf\xe9-update.txt"),
                     os.O_CREAT | os.O_WRONLY))
    (tmp_path / "fine.txt").write_text("text")
    got = _items(tmp_path)
    refused = [i for i in got if isinstance(i, Refused)]
    assert [(r.name, r.reason) for r in refused] == [("caf\ufffd-update.txt", "bad_name")]
    assert [i.name for i in got if isinstance(i, LandedFile)] == ["fine.txt"]
