"""Rendering TSV books apart, in worker processes when they are large: a book is independent of
the others, and placing, checking and rendering rows is CPU-bound Python."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from itertools import repeat
from multiprocessing.context import BaseContext
from typing import Protocol

from ...core.cache import RenderCache
from ...core.links import LinkTable
from ...core.log import BuildLog
from ...core.model import Page
from ...core.processes import may_fork, usable_cpus
from ...core.rc import RC
from .pages import Entry, book_page
from .refs import Anchors
from .sources import BookSource


class BookRenderer(Protocol):
    """What rendering a TSV book needs of its type (:class:`~.base.BookHelpsType`)."""

    @property
    def prefix(self) -> str: ...

    @property
    def template(self) -> str: ...

    @property
    def wrap(self) -> Callable[[str], str]: ...

    def tsv_entries(self, rc: RC, source: BookSource, anchors: Anchors, log: BuildLog,
                    links: LinkTable) -> list[Entry]: ...


#: A TSV book rendered apart: its page, and the link table and log it was rendered with.
RenderedBook = tuple[Page, LinkTable, BuildLog]
#: TSV books not cached are rendered in parallel processes when their files hold more than
#: this many bytes (about 20 000 rows, about 2 s of work; below, starting processes costs more).
PARALLEL_MIN_BYTES = 4 * 1024 * 1024


def render_tsv_book(rtype: BookRenderer, rc: RC, source: BookSource, links: LinkTable,
                    record: bool = False) -> RenderedBook:
    """One TSV book with ``links`` (a fresh :meth:`~LinkTable.fork`) and a log of its own:
    the same in this process or another, and kept in the render cache.

    The links that leave the site are settled here; with ``record`` (a worker process, where
    the work is parallel, and the build makes a record but not beside itself:
    ``rc.record_while_rendering``) the page's content record is made here too, else it is read
    from the final page when a build asks for it."""
    anchors, log = Anchors(rtype.prefix, source.info.code), BuildLog()
    entries = rtype.tsv_entries(rc, source, anchors, log, links)
    for entry in entries:  # each row's HTML as the page has it, for its record
        entry.html = links.settle(entry.html)
    page = book_page(source, entries, anchors, rtype.template, rtype.wrap, record=record)
    return page, links, log


def render_tsv_books(rtype: BookRenderer, rc: RC, sources: list[BookSource],
                     links: LinkTable) -> list[RenderedBook]:
    """:func:`render_tsv_book` for each source, in order: in worker processes (one per CPU,
    the largest books first) when the files are large, else here. Rows are placed, checked and
    assembled in Python, so a whole-Bible tN is CPU-bound; every book is independent of the
    others."""
    forks = [links.fork() for _ in sources]

    def here() -> list[RenderedBook]:
        return [render_tsv_book(rtype, rc, s, f) for s, f in zip(sources, forks, strict=True)]

    sizes = [rc.fs.readable_size(s.path) for s in sources]
    workers = min(len(sources), usable_cpus())
    parallel = workers > 1 and sum(sizes) >= PARALLEL_MIN_BYTES
    context = _start_context(rtype) if parallel else None
    if context is None:
        return here()
    plain = replace(rc, cache=RenderCache(keep=False))  # the cache stays here
    # the largest books first: the book rendered last is rendered while the other workers idle
    order = sorted(range(len(sources)), key=lambda i: -sizes[i])
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            books = pool.map(render_tsv_book, repeat(rtype), repeat(plain),
                             [sources[i] for i in order], [forks[i] for i in order],
                             repeat(rc.record_while_rendering))
            done = dict(zip(order, books, strict=True))
    except BrokenProcessPool:  # workers could not start (a __main__ read from stdin) or died
        return here()
    return [done[i] for i in range(len(sources))]


def _start_context(rtype: BookRenderer) -> BaseContext | None:
    """How the worker processes start: forked from this process when it runs no other thread
    (a one-off build: they start at once, every module loaded), else from a fork server, safe
    in a process with threads (``serve``), which loads the modules a book needs once for all
    its workers; None where neither exists (Windows)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and may_fork():
        return multiprocessing.get_context("fork")
    if "forkserver" not in methods:
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["__main__", __name__, type(rtype).__module__])
    return context
