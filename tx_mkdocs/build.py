"""RC repository → :class:`~tx_mkdocs.core.model.Site`: the orchestration of a build.

The one place that knows the order of a build (load, detect, the type's build, checks, links,
report); above the core and the resource types, below the adapters (plugin, materialize).
"""

from __future__ import annotations

import contextlib
import html
import os
import signal
import time
import traceback
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path

from .core.cache import RenderCache
from .core.changes import Item, dump_record
from .core.context import git_folder
from .core.limits import MAX_PAGE_CHARS
from .core.links import ExternalSites, LinkTable, parse_relation
from .core.log import BuildLog
from .core.model import NavItem, Page, Site, ThemeSettings, page_path_problem
from .core.processes import may_fork, usable_cpus
from .core.rc import RC, Related, load_rc
from .core.report import REPORT, report_page
from .core.resource import ResourceType, TypeOutput
from .registry import (
    known_identifiers,
    known_subjects,
    rc_target,
    related_relation,
    related_titles,
    type_for,
)

INDEX = "index.md"


def build_site(repo: str | os.PathLike[str], *, name: str | None = None,
               external: ExternalSites | None = None, cache: RenderCache | None = None,
               related: Sequence[str | os.PathLike[str]] = (), record: bool = True) -> Site:
    """Load the repository, render it with its resource type, add the landing page.

    ``external`` says where other resources are published (targets of ``rc://`` links);
    ``cache`` keeps per-file results between rebuilds of the same repository (``serve``);
    ``related`` are local checkouts of resources built together with it (``--with``);
    ``record``: make the content record (``site.items``), which only a build that may be
    published or compared needs — a preview or a related resource's build skips its cost.

    Never raises on content: problems are in ``site.log``. An unexpected exception inside a
    resource type is a bug, but it is reported as an error and the rest of the site still builds.
    """
    log = BuildLog()
    started = time.perf_counter()
    rc = load_rc(Path(repo), name, log, known_identifiers(), known_subjects(), cache)
    # made beside the rest of the build (in a process forked once the pages are final), or here
    beside = record and usable_cpus() > 1 and may_fork()
    rc.record_while_rendering = record and not beside
    if related:
        rc.related = _related(rc, related, log)
    loaded = time.perf_counter()
    rtype = type_for(rc.subject) or type_for("Generic_Markdown")
    output = TypeOutput()
    links = LinkTable(resource=rc.manifest.identifier, language=rc.manifest.language.identifier,
                      rc_mapper=rc_target,
                      external=(external or ExternalSites()).with_relation(
                          [*related_relation(rc.related), *rc.manifest.relation]),
                      path_mapper=rtype.path_target if rtype else lambda path: None,
                      titles=related_titles(rc.related))
    if type_for(rc.subject) is None:
        log.warning(f"No converter was found to convert '{rc.subject}' resources: the subject is "
                    "unknown, the repository is shown as generic Markdown",
                    code="rc.unsupported-subject")
    if rtype is not None:
        try:
            output = rtype.build(rc, log, links)
        except Exception as exc:  # noqa: BLE001 - a bug must not cost the whole site
            where = traceback.extract_tb(exc.__traceback__)[-1]
            log.error(f"Conversion of {rc.subject} failed: internal error {type(exc).__name__}: "
                      f"{exc} (at {Path(where.filename).name}:{where.lineno}); please report it",
                      code="internal")
    output.pages, output.nav = _checked(output.pages, output.nav, log)
    for _ in rc.fs.walk():  # every refused entry of the repo is reported, used or not
        pass
    for path, reason in sorted(rc.fs.refused.items()):
        log.warning(f"'{path}' was neither read nor published: it is {reason}", file=path,
                    code="fs.refused")
    _, unused_git = git_folder(rc.fs.root)
    if unused_git and ".git" not in rc.fs.refused:  # a link outside was just reported
        log.warning(f"'.git' was not used for the commit, ref and remote of the build: it is "
                    f"{unused_git}", file=".git", code="fs.refused")
    language = rc.manifest.language
    pages = [_landing_page(rc, output), *output.pages]
    links.finalize(pages, log, rc.cache)
    pages.append(report_page(log))  # last: it lists every message, link problems included
    site = Site(
        name=f"{language.title}: {rc.manifest.title}",
        manifest=rc.manifest,
        subject=rc.subject,
        input_format=output.input_format,
        pages=pages,
        nav=[NavItem(pages[0].title, INDEX), *output.nav],
        theme=ThemeSettings(language=language.identifier, direction=language.direction,
                            body_class=output.body_class, digits=output.digits),
        log=log,
    )
    rendered = time.perf_counter()
    site.timings = {"load": loaded - started, "render": rendered - loaded}
    if rtype is not None and record:
        site.record = _record(site, rtype, rc, output, beside)
    site.timings["record"] = time.perf_counter() - rendered
    return site


def _record(site: Site, rtype: ResourceType, rc: RC, output: TypeOutput,
            beside: bool) -> list[Item] | Callable[[], bytes]:
    """The type's content record of the (final) pages: made ``beside`` the rest of the build
    (:class:`_RecordBeside`: this process may fork and has a CPU to spare), else here.
    A bug there costs the record only."""
    def failed(problem: str) -> None:
        site.log.error(f"The content record of {rc.subject} failed: {problem}; please report it",
                       code="internal")

    if beside and may_fork():  # again: no thread may have started while the pages were made
        return _RecordBeside(lambda: dump_record(rtype.items(rc, output)), failed, site.timings)
    try:
        return rtype.items(rc, output)
    except Exception as exc:  # noqa: BLE001 - the site is fine without its record
        failed(f"internal error {type(exc).__name__}: {exc}")
        return []


class _RecordBeside:
    """The content record's bytes, made in a child process forked once the pages are final.

    What follows in a one-off build (MkDocs writing every page, the search index) runs on one
    core; the record (a Bible's 31 000 verses read, hashed and gzipped: ~0.45 s) takes the
    other meanwhile, and the site asks for the bytes when it writes them, at its end. The child
    only computes and writes to a pipe, then leaves without running this process's exit code.
    What waiting for it took is added to ``timings["record"]``.
    """

    def __init__(self, make: Callable[[], bytes], failed: Callable[[str], None],
                 timings: dict[str, float]) -> None:
        self._failed, self._timings, self._data = failed, timings, b""
        read, write = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the child
            os.close(read)
            try:
                payload = b"\0" + make()
            except BaseException as exc:  # noqa: BLE001 - told to the build, which goes on
                payload = b"\1" + f"internal error {type(exc).__name__}: {exc}".encode()
            try:
                with open(write, "wb") as pipe:
                    pipe.write(payload)
            finally:
                os._exit(0)
        os.close(write)
        self._read: int | None = read
        # a build that never asks: the child is stopped and reaped when this object goes
        self._abandon = weakref.finalize(self, _abandon_child, self._pid, read)

    def __call__(self) -> bytes:
        if self._read is not None:
            started = time.perf_counter()
            self._abandon.detach()
            with open(self._read, "rb") as pipe:
                payload = pipe.read()
            self._read = None
            with contextlib.suppress(ChildProcessError):  # reaped already: its bytes say all
                os.waitpid(self._pid, 0)
            if payload[:1] == b"\0":
                self._data = payload[1:]
            else:
                self._failed(payload[1:].decode(errors="replace") or "its process ended early")
                self._data = dump_record([])
            self._timings["record"] = self._timings.get("record", 0.0) + (
                time.perf_counter() - started)
        return self._data


def _abandon_child(pid: int, read: int) -> None:
    """Stop a record's child whose bytes were never asked for, and reap it."""
    os.close(read)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _related(rc: RC, paths: Sequence[str | os.PathLike[str]], log: BuildLog) -> Related:
    """The related repositories, each loaded read-only and confined to itself; the manifest's
    ``relation`` entries that are not among them are reported once each (never fatal: the pages
    are built without what they would have given)."""
    loaded = []
    for path in paths:
        # their own manifest problems are theirs, reported by their own builds
        other = load_rc(Path(path), None, BuildLog(), known_identifiers(), known_subjects())
        loaded.append(other)
        m = other.manifest
        log.info(f"Built with {m.language.identifier}/{m.identifier} ({other.subject}, version "
                 f"{m.version}) from '{other.name}'")
    found = Related(tuple(loaded))
    for entry in rc.manifest.relation:
        parsed = parse_relation(entry)
        if parsed is not None and found.find(identifier=parsed[1], language=parsed[0]) is None:
            log.warning(f"Related resource '{entry}' (manifest relation) was not given with "
                        "--with: what it would add is left out", file=rc.manifest.origin,
                        code="related.missing")
    return found


def _checked(pages: list[Page], nav: list[NavItem], log: BuildLog,
             ) -> tuple[list[Page], list[NavItem]]:
    """The pages a resource type made, as they may be written and linked.

    Types make page names from repository text (file names, identifiers); a name that could
    leave the site folder, break a link or collide with another page is a bug, reported as an
    error, and the page is left out (with its nav entry). A page larger than
    :data:`~tx_mkdocs.core.limits.MAX_PAGE_CHARS` is replaced by a notice.
    """
    kept: list[Page] = []
    seen = {INDEX, REPORT}
    for page in pages:
        problem = page_path_problem(page.path)
        if problem is None and page.path in seen:
            problem = "another page has that name"
        if problem is not None:
            log.error(f"Page '{page.path}' left out: its name is unsafe ({problem}); please "
                      "report it", file=page.sources[0] if page.sources else None,
                      code="internal")
            continue
        seen.add(page.path)
        if len(page.html) > MAX_PAGE_CHARS:
            log.error(f"Page '{page.url}' would have {len(page.html)} characters, more than the "
                      f"{MAX_PAGE_CHARS} a page may have: it is not shown",
                      file=page.sources[0] if page.sources else None, code="page.too-large")
            page.html = ('<p class="tx-empty">This page is too large to be shown; see the build '
                         "log.</p>\n")
            page.toc, page.items = [], None
        kept.append(page)
    paths = {page.path for page in kept}

    def prune(items: list[NavItem]) -> list[NavItem]:
        out = []
        for item in items:
            if item.path is not None and item.path not in paths:
                continue
            out.append(NavItem(item.title, item.path, prune(item.children)))
        return out

    return kept, prune(nav)


def _landing_page(rc: RC, output: TypeOutput) -> Page:
    """Language, title, version and the list of the resource's pages."""
    m = rc.manifest
    esc = html.escape
    items = "\n".join(f'<li><a href="{esc(p.url)}">{esc(p.title)}</a></li>' for p in output.pages)
    facts = [
        ("language", f"{m.language.title} ({m.language.identifier})"),
        ("version", m.version),
        ("resource", f"{m.subject} ({m.identifier})"),
        ("rights", m.rights),
    ]
    # the labels are the theme's, in the reader's language (home.html, uiwords.py)
    dl = "\n".join(f'<dt data-tx-word="{k}"></dt><dd><bdi>{esc(v)}</bdi></dd>' for k, v in facts)
    body = (
        f'<h1 id="tx-title">{esc(m.title)}</h1>\n'
        f'<dl class="tx-facts">\n{dl}\n</dl>\n'
        f'<ul class="tx-contents">\n{items}\n</ul>\n'
        if items else
        f'<h1 id="tx-title">{esc(m.title)}</h1>\n<dl class="tx-facts">\n{dl}\n</dl>\n'
        '<p class="tx-empty">No pages could be made from this repository; see the build log.</p>\n'
    )
    return Page(path=INDEX, title=m.title, html=body, template="home.html",
                sources=[m.origin] if m.origin else [])
