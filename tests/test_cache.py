"""The render cache of ``serve``: a rebuild redoes only the files that changed, and gives the same
site, links and build log as a build from scratch."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tx_mkdocs import build
from tx_mkdocs.build import build_site
from tx_mkdocs.core.cache import RenderCache

from .helpers import EXAMPLES

TN_HEADER = "Reference\tID\tTags\tSupportReference\tQuote\tOccurrence\tNote\n"


def _tn_repo(root: Path) -> Path:
    """Two tN books whose notes link to tA (rc), to another book's notes (relative) and to a
    chapter that does not exist (a warning)."""
    root.mkdir()
    (root / "manifest.yaml").write_text(
        "dublin_core:\n  identifier: tn\n  subject: TSV Translation Notes\n  title: Notes\n"
        "  language:\n    identifier: en\n    direction: ltr\n"
        "projects:\n"
        "  - identifier: tit\n    path: ./tn_TIT.tsv\n    title: Titus\n"
        "  - identifier: phm\n    path: ./tn_PHM.tsv\n    title: Philemon\n", encoding="utf-8")
    (root / "tn_TIT.tsv").write_text(
        TN_HEADER
        + "1:1\tab01\t\tfigs-metaphor\tPaul\t1\tA servant. See [[rc://*/ta/man/translate/"
          "figs-metaphor]].\n"
        + "1:2\tab02\t\t\thope\t1\tSee [1:1](../01/01.md) and [this](../99/01.md).\n",
        encoding="utf-8")
    (root / "tn_PHM.tsv").write_text(
        TN_HEADER + "1:1\tcd01\t\t\tPaul\t1\tA prisoner, as in [[rc://*/tn/help/tit/01/01]].\n",
        encoding="utf-8")
    return root


def _snapshot(site) -> tuple[list[tuple[str, str]], list[tuple], list]:
    return ([(p.path, p.html) for p in site.pages],
            [(m.severity, m.text, m.file, m.line) for m in site.log.messages], site.items)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    stat = path.stat()
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a later mtime


def test_tn_rebuild_renders_only_the_changed_book(tmp_path: Path):
    repo = _tn_repo(tmp_path / "tn")
    cache = RenderCache()
    first = _snapshot(build_site(repo, cache=cache))
    assert cache.misses == 2 and cache.hits == 0
    assert any("Unable to resolve link" in m[1] for m in first[1]), "the broken link is reported"
    assert 'href="57-TIT.html#tn-chunk-tit-001-001"' in dict(first[0])["58-PHM.md"]

    again = _snapshot(build_site(repo, cache=cache))
    assert (cache.misses, cache.hits) == (2, 2)
    assert again == first, "a cached book gives the same page, links and messages"

    _edit(repo / "tn_PHM.tsv", "A prisoner", "A glad prisoner")
    edited = build_site(repo, cache=cache)
    assert (cache.misses, cache.hits) == (3, 3)
    pages = dict(_snapshot(edited)[0])
    assert "A glad prisoner" in pages["58-PHM.md"]
    assert pages["57-TIT.md"] == dict(first[0])["57-TIT.md"]
    assert _snapshot(edited)[1] == first[1]


def test_tn_cached_book_follows_a_link_target_another_book_lost(tmp_path: Path):
    """A cached book keeps its final HTML only while its links resolve as before: when an edit
    of Titus removes the verse Philemon's note links to, Philemon's page (its file unchanged)
    changes as a fresh build has it."""
    repo = _tn_repo(tmp_path / "tn")
    cache = RenderCache()
    before = dict(_snapshot(build_site(repo, cache=cache))[0])
    assert 'href="57-TIT.html#tn-chunk-tit-001-001"' in before["58-PHM.md"]
    _edit(repo / "tn_TIT.tsv", "1:1\tab01", "1:3\tab01")
    _edit(repo / "tn_TIT.tsv", "1:2\tab02", "1:4\tab02")
    rebuilt = dict(_snapshot(build_site(repo, cache=cache))[0])
    assert 'href="57-TIT.html#tn-chunk-tit-001-001"' not in rebuilt["58-PHM.md"]
    assert rebuilt == dict(_snapshot(build_site(repo))[0])


def test_bible_rebuild_renders_only_the_changed_book(tmp_path: Path):
    repo = tmp_path / "bible"
    shutil.copytree(EXAMPLES / "bible", repo)
    cache = RenderCache()
    first = _snapshot(build_site(repo, cache=cache))
    books = cache.misses
    assert books == 2
    assert _snapshot(build_site(repo, cache=cache)) == first and cache.hits == books
    _edit(repo / "65-3JN.usfm", r"\v 1 ", r"\v 1 Edited. ")
    pages = dict(_snapshot(build_site(repo, cache=cache))[0])
    assert cache.misses == books + 1 and cache.hits == 2 * books - 1
    assert "Edited." in pages["65-3JN.md"] and pages["64-2JN.md"] == dict(first[0])["64-2JN.md"]


def test_a_single_build_keeps_nothing(tmp_path: Path):
    """Outside ``serve`` the cache would only hold a second copy of every page."""
    repo, cache = _tn_repo(tmp_path / "tn"), RenderCache(keep=False)
    build_site(repo, cache=cache)
    build_site(repo, cache=cache)
    assert (cache.misses, cache.hits) == (4, 0)


@pytest.mark.parametrize(("threads", "start"), [(1, "fork"), (2, "forkserver")])
def test_books_rendered_in_worker_processes_give_the_same_site(tmp_path: Path, monkeypatch,
                                                               threads: int, start: str):
    """Large TSV helps are rendered in parallel processes: the site, its links and its build
    log are those of a build in one process. The workers are forked from the build's process
    when no other thread runs in it (a one-off build), else started by a fork server
    (``serve`` builds beside other threads)."""
    from tx_mkdocs.types.bookhelps import pool as book_pool

    repo = _tn_repo(tmp_path / "tn")
    serial = _snapshot(build_site(repo))
    started = []
    real_pool = book_pool.ProcessPoolExecutor

    def pool(workers: int, mp_context):
        started.append((workers, mp_context.get_start_method()))
        return real_pool(workers, mp_context=mp_context)

    monkeypatch.setattr(book_pool, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(book_pool, "usable_cpus", lambda: 2)
    monkeypatch.setattr(book_pool, "ProcessPoolExecutor", pool)
    monkeypatch.setattr("threading.active_count", lambda: threads)
    # a pool that cannot start must fail this test, not fall back to rendering here
    monkeypatch.setattr(book_pool, "BrokenProcessPool", type("Never", (Exception,), {}))
    assert _snapshot(build_site(repo)) == serial
    assert started == [(2, start)], "the books were rendered by two worker processes"


def test_the_record_made_where_a_book_is_rendered_is_the_record_of_its_final_page(
        tmp_path: Path, monkeypatch):
    """A TSV book's record is made with its page in the worker process, before the links into
    the site are resolved: the rows holding such a link are read again from the final page, and
    the record is the one read from the final pages alone."""
    from dataclasses import replace

    from tx_mkdocs.types.bookhelps import pool as book_pool
    from tx_mkdocs.types.bookhelps.pages import page_items

    repo = _tn_repo(tmp_path / "tn")
    with (repo / "tn_TIT.tsv").open("a", encoding="utf-8") as tsv:  # an element with a row's id
        tsv.write("1:3\tab03\t\t\t\t\tAs in [[rc://*/tn/help/phm/01/01]].\n"
                  '1:4\tab04\t\t\t\t\t<div id="ab03">An author\'s div</div>\n')
    assert all(page.items is None for page in build_site(repo).pages), "made in workers only"
    monkeypatch.setattr(book_pool, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(book_pool, "usable_cpus", lambda: 2)
    monkeypatch.setattr(build, "may_fork", lambda: False)  # not made beside the build
    site = build_site(repo)
    books = [page for page in site.pages if page.items is not None]
    assert [page.path for page in books] == ["57-TIT.md", "58-PHM.md"]
    assert [item.source_hash == "" for item in books[0].items if item.key == "TIT ab03"] == [
        True, False], "the row with a link into the site, then an author's div with its id"
    assert [item.key for item in books[1].items] == ["PHM cd01"]
    assert not books[1].items[0].source_hash, "its link into Titus was resolved after"
    assert books[0].items[0].source_hash, "its tA link was final where it was rendered"
    read = [item for page in books for item in page_items(replace(page, items=None))]
    assert [i for i in site.items if i.key[:3] in ("TIT", "PHM")] == read
    assert all(item.source_hash for item in site.items)


def _placed_rows_repo(root: Path, kind: str) -> Path:
    """Two books of tN or word links (TWL) with a row in each place of a page (the book's
    introduction, a chapter's, a verse range, a reference of no chapter); the notes with
    authors' elements with ids (one the id of another row, one nested in another) and links
    into the site."""
    root.mkdir()
    subject = "TSV Translation Notes" if kind == "tn" else "TSV Translation Words Links"
    (root / "manifest.yaml").write_text(
        f"dublin_core:\n  identifier: {kind}\n  subject: {subject}\n  title: Helps\n"
        "  language:\n    identifier: en\n    direction: ltr\nprojects:\n"
        + "".join(f"  - identifier: {code}\n    path: ./{kind}_{code.upper()}.tsv\n"
                  for code in ("tit", "phm")), encoding="utf-8")
    notes = ["# Titus\\n\\nAn introduction.", '<div id="ab05">Not row ab05</div>',
             "See [1:1](../01/01.md) and [[rc://*/tn/help/tit/01/02]].",
             '<div id="x1"><div id="x2">nested</div></div> &amp; &nbsp;text',
             '<div lang="he" id="ab01">quoted</div>', "As in [[rc://*/tn/help/phm/01/01]]."]
    references = ["front:intro", "1:intro", "1:1", "1:2-3", "2:1", "see below"]
    if kind == "tn":
        rows = [f"{ref}\tab{n:02d}\t\t\t\t\t{note}" for n, (ref, note)
                in enumerate(zip(references, notes, strict=True))]
    else:
        rows = [f"{ref}\tab{n:02d}\t\t<b>word</b>\t1\trc://*/tw/dict/bible/kt/god"
                for n, ref in enumerate(references)]
    header = TN_HEADER if kind == "tn" else "Reference\tID\tTags\tOrigWords\tOccurrence\tTWLink\n"
    for code in ("TIT", "PHM"):
        (root / f"{kind}_{code}.tsv").write_text(header + "\n".join(rows) + "\n",
                                                 encoding="utf-8")
    return root


@pytest.mark.parametrize("kind", ["tn", "twl"])
def test_the_record_made_from_the_rows_is_the_record_read_from_the_page(
        tmp_path: Path, monkeypatch, kind: str):
    """In a worker process a TSV book's record is made from its rows as they are placed under
    their headings, not read back from its page: the same items as read from the final page
    (table rows of word links too), authors' elements with a row's id included."""
    from tx_mkdocs.types.bookhelps import pool as book_pool

    repo = _placed_rows_repo(tmp_path / kind, kind)
    read = build_site(repo)
    assert all(page.items is None for page in read.pages)
    monkeypatch.setattr(book_pool, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(book_pool, "usable_cpus", lambda: 2)
    monkeypatch.setattr(build, "may_fork", lambda: False)  # not made beside the build
    made = build_site(repo)
    assert [page.path for page in made.pages if page.items] == ["57-TIT.md", "58-PHM.md"]
    assert len(made.items) >= 12 and made.items == read.items
    if kind == "tn":
        assert [i.key for i in made.items].count("TIT ab05") == 2, "the row, the author's div"
        assert [i.group for i in made.items[:3]] == ["Titus", "Titus 1", "Titus 1"]


def test_a_book_named_otherwise_in_the_manifest_is_rendered_again(tmp_path: Path):
    """The cache is keyed by what a page depends on besides its file (here: its book)."""
    repo = _tn_repo(tmp_path / "tn")
    cache = RenderCache()
    build_site(repo, cache=cache)
    _edit(repo / "manifest.yaml", "identifier: phm", "identifier: jud")  # same file and title
    pages = dict(_snapshot(build_site(repo, cache=cache))[0])
    assert (cache.misses, cache.hits) == (3, 1)
    assert 'id="tn-chunk-jud-001-001"' in pages["66-JUD.md"]


def test_serve_writes_no_content_record(tmp_path: Path):
    """The content record is for the next published build to compare with: a ``serve`` preview
    (rebuilt on every edit) does not write it; a build does."""
    from types import SimpleNamespace

    from tx_mkdocs.core.changes import RECORD
    from tx_mkdocs.plugin import TxPlugin

    site = build_site(_tn_repo(tmp_path / "tn"))
    for command, written in (("serve", False), ("build", True)):
        plugin = TxPlugin()
        plugin.load_config({"records": False})
        plugin.command, plugin.site = command, site
        site_dir = tmp_path / command
        site_dir.mkdir()
        for handler in plugin.on_post_build.methods:  # as MkDocs runs them, in order
            handler(config=SimpleNamespace(site_dir=str(site_dir)))  # type: ignore[arg-type]
        assert (site_dir / RECORD).is_file() is written
