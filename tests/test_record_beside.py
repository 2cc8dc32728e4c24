"""The content record made beside the rest of a build (build.py ``_RecordBeside``): in a child
process forked once the pages are final, its bytes asked for when the site writes them."""

from __future__ import annotations

import gc
import os
import sys

import pytest

from tx_mkdocs import build
from tx_mkdocs.build import build_site
from tx_mkdocs.core.changes import dump_record

from .helpers import EXAMPLE

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the record forks on Linux only")


@pytest.fixture
def spare_cpu(monkeypatch):
    """A second CPU and one thread (a one-off build), as the record is made beside the build
    only then (the test run may have started servers in threads of its own)."""
    monkeypatch.setattr(build, "usable_cpus", lambda: 2)
    monkeypatch.setattr("threading.active_count", lambda: 1)


def test_the_record_made_beside_is_the_record_made_here(spare_cpu, monkeypatch):
    beside = build_site(EXAMPLE)
    assert callable(beside.record), "made in a child process"
    data = beside.record_bytes()
    monkeypatch.setattr(build, "may_fork", lambda: False)
    here = build_site(EXAMPLE)
    assert isinstance(here.record, list) and here.record
    assert data == dump_record(here.items) == beside.record_bytes()
    assert beside.items == here.items
    assert "record" in beside.timings and not beside.log.errors


def test_the_rows_of_tsv_helps_are_read_from_the_final_pages_beside_the_build(
        spare_cpu, monkeypatch, tmp_path):
    """Made beside the build, a tN's record is read from its final pages: its worker processes
    make no items (they did the record's work while rendering, when it is not beside)."""
    from tx_mkdocs.types.bookhelps import pool as book_pool

    from .test_cache import _tn_repo

    monkeypatch.setattr(book_pool, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(book_pool, "usable_cpus", lambda: 2)
    repo = _tn_repo(tmp_path / "tn")
    beside = build_site(repo)
    assert callable(beside.record) and all(page.items is None for page in beside.pages)
    monkeypatch.setattr(build, "may_fork", lambda: False)
    here = build_site(repo)
    assert any(page.items for page in here.pages), "made by the workers"
    assert beside.record_bytes() == here.record_bytes() and len(here.items) > 2


def test_a_record_that_fails_in_its_process_is_an_error_of_the_build_only(spare_cpu,
                                                                        monkeypatch):
    from tx_mkdocs.types.bible import BibleType

    def broken(self, rc, output):
        raise RuntimeError("no record today")

    monkeypatch.setattr(BibleType, "items", broken)
    site = build_site(EXAMPLE)
    assert site.items == []
    [error] = site.log.errors
    assert "content record" in error.text and "RuntimeError: no record today" in error.text
    assert site.pages, "the site is built all the same"


def test_a_record_never_asked_for_leaves_no_process_behind(spare_cpu):
    site = build_site(EXAMPLE)
    pid = site.record._pid
    del site
    gc.collect()
    with pytest.raises(ChildProcessError):  # stopped and reaped: not this process's child now
        os.waitpid(pid, os.WNOHANG)
