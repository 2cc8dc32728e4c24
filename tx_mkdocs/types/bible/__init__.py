"""Bibles (USFM): one page per book, named and anchored as Door43 did (``41-MAT.html``)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from ...core.books import Book, book, sort_key
from ...core.changes import Item
from ...core.fs import RepoFS
from ...core.links import LinkTable
from ...core.log import BuildLog
from ...core.model import NavItem, Page, Project, TocEntry, page_stem
from ...core.numerals import site_digits
from ...core.rc import RC
from ...core.references import NAMES_META
from ...core.resource import ResourceType, TypeOutput
from ...usfm import RenderedBook, render_book
from .record import book_items
from .tstudio import Assembled, assemble, is_chunk_project

_FILE_CODE = re.compile(r"(?:^|[-_ ])([1-4A-Z][A-Z0-9]{2})(?=\.usfm$|\.sfm$)", re.I)


def _code_from_filename(name: str) -> str | None:
    """``41-MAT.usfm`` → ``MAT`` (only when it is a known book code)."""
    match = _FILE_CODE.search(name.rsplit("/", 1)[-1])
    return match.group(1).upper() if match and book(match.group(1)) else None


def _render_file(fs: RepoFS, rel: str, fallback: str | None, language: str,
                 digits: str | None) -> RenderedBook:
    return render_book(fs.read_text(rel), source=rel, fallback_code=fallback, language=language,
                       digits=digits)


#: A book rendered with the given digits (None: those of its own evidence).
Render = Callable[[str | None], RenderedBook]


def _render_cached(rc: RC, rel: str, fallback: str | None, language: str,
                   digits: str | None) -> RenderedBook:
    return rc.cache.get(rc.fs, rel, f"usfm:{fallback}:{language}:{digits or ''}", partial(
        _render_file, rc.fs, rel, fallback, language, digits))


def _render_chunks(assembled: Assembled, rel: str, code: str, language: str,
                   digits: str | None) -> RenderedBook:
    """A translationStudio project's book; its messages point into its chunk files."""
    rendered = render_book(assembled.usfm, source=rel, fallback_code=code, language=language,
                           digits=digits)
    rendered.messages = [*assembled.problems, *(assembled.locate(m) for m in rendered.messages)]
    return rendered


class BibleType(ResourceType):
    name = "bible"
    templates = ("bible.html",)
    subjects = ("Bible", "Aligned_Bible", "Greek_New_Testament", "Hebrew_Old_Testament")

    rc_resources = ("bible", "reg", "ulb", "udb", "glt", "gst", "ult", "ust", "uhb", "ugnt")

    def rc_target(self, parts: list[str]) -> tuple[str, str] | None:
        """``book/tit/01/02`` (or ``tit/1/2``) → ``57-TIT.html#056-ch-001-v-002``."""
        parts = parts[1:] if parts and parts[0] == "book" else parts
        info = book(parts[0]) if parts else None
        if info is None:
            return None
        numbers = [int(p) for p in parts[1:3] if p.isdigit()]
        anchor = f"{info.anchor_key}-ch-{numbers[0]:03d}" if numbers else ""
        if len(numbers) > 1:
            anchor += f"-v-{numbers[1]:03d}"
        return f"{info.page_stem}.html", anchor

    def build(self, rc: RC, log: BuildLog, links: LinkTable) -> TypeOutput:
        books: dict[str, tuple[RenderedBook, list[str], Project | None, Render]] = {}
        for source, rendered, project, render in self._render_all(rc, log):
            code = rendered.code or ""
            if code in books:
                log.warning(f"File '{source}' has same code '{code}' as previous file",
                            file=source, code="bible.duplicate-book")
                continue
            books[code] = (rendered, [source], project, render)
        if not books:
            log.error("No Bible source files discovered", code="bible.no-books")
        # The site's digits, from every book: a book that shows others is rendered again in them
        # (a book without evidence, in a Bible that writes its own digits).
        digits = site_digits(book[0].numerals for book in books.values())
        pages = []
        for _, (rendered, sources, project, render) in sorted(books.items(),
                                                               key=lambda item: sort_key(item[0])):
            if rendered.digits != digits:
                rendered = render(digits)
            page = self._page(rendered, sources, project)
            pages.append(page)
            log.extend([replace(m, page=page.url) for m in rendered.messages])
            log.info(f"Converted {', '.join(sources)} to {page.url}.")
        nav = [NavItem(page.title, page.path) for page in pages]
        return TypeOutput(pages=pages, nav=nav, input_format="usfm", body_class="bible",
                          digits=digits)

    def items(self, rc: RC, output: TypeOutput) -> list[Item]:
        """Verses (``TIT 1:2``), with their raw USFM's hash (see record.py)."""
        return [item for page in output.pages for item in book_items(rc.fs, page)]

    def _sources(self, rc: RC, log: BuildLog):
        """(project, repo-relative path, kind) for every book source; kind 'usfm' or 'chunks'."""
        seen: set[str] = set()
        for project in rc.manifest.projects:
            path = rc.project_path(project, log)
            if path is None:
                continue
            if rc.fs.is_file(path):
                candidates = [(path, "usfm")]
            elif is_chunk_project(rc.fs, path):
                candidates = [(path, "chunks")]
            else:
                candidates = [(f"{path}/{n}".removeprefix("./"), "usfm")
                              for n in rc.fs.listdir(path) if n.lower().endswith((".usfm", ".sfm"))]
            for rel, kind in candidates:
                if rel not in seen:
                    seen.add(rel)
                    yield project, rel, kind
        if not seen:  # a bundle whose manifest lists nothing useful: the root's USFM files
            for name in rc.fs.listdir("."):
                if name.lower().endswith((".usfm", ".sfm")):
                    yield None, name, "usfm"

    def _render_all(self, rc: RC, log: BuildLog):
        """(source, its book in its own digits, project, the book in given digits) per source."""
        language = rc.manifest.language.identifier
        for project, rel, kind in self._sources(rc, log):
            known = project is not None and book(project.identifier) is not None
            project_code = project.identifier.upper() if known else None
            render: Render
            if kind == "chunks":
                code = project_code or "XXX"
                assembled = assemble(rc.fs, rel, code, project.title if project else "")
                render = partial(_render_chunks, assembled, rel, code, language)
            else:
                fallback = _code_from_filename(rel) or project_code
                render = partial(_render_cached, rc, rel, fallback, language)
            try:
                rendered = render(None)
            except OSError as exc:
                log.error(f"Unable to read '{rel}': {exc}", file=rel)
                continue
            if not rendered.code:
                log.error(f"Unable to determine book code -- got '{rel}'", file=rel,
                          code="bible.book-code")
                continue
            yield rel, rendered, project, render

    def _page(self, rendered: RenderedBook, sources: list[str], project: Project | None) -> Page:
        info = book(rendered.code or "")
        stem = info.page_stem if info else page_stem(rendered.code or "")
        title = (rendered.title or (project.title if project else "")
                 or (info.name if info else rendered.code or ""))
        grid = "".join(
            f'<a href="#{c.id}">{html.escape(c.shown)}</a>' for c in rendered.chapters
        )
        body = (f'<nav class="tx-chapter-grid" aria-label="Chapters">{grid}</nav>\n'
                if grid else "") + rendered.html
        return Page(
            path=f"{stem}.md",
            title=title,
            html=body,
            # the right-hand "Chapters" grid: the numbers (the headings say "Chapter 3")
            toc=[TocEntry(2, c.id, c.shown) for c in rendered.chapters],
            template="bible.html",
            sources=sources,
            # (id, number) of each chapter, for the landing page's grid of every book (in meta:
            # Zensical gives templates no TOC of other pages)
            meta={"book": rendered.code, "testament": _testament(info, project),
                  "chapters": [[c.id, c.shown] for c in rendered.chapters],
                  # the book's own names, for references typed into search (core/references)
                  NAMES_META: [rendered.headers[k] for k in ("h", "toc1", "toc2", "toc3")
                               if rendered.headers.get(k)]},
        )


#: The manifest's project categories that name a testament.
_CATEGORIES = {"bible-ot": "ot", "bible-nt": "nt", "bible-frt": "front"}


def _testament(info: Book | None, project: Project | None) -> str:
    """The landing page's group of a book: its place in the book table; for a code the table
    does not know, the manifest's ``bible-ot``/``bible-nt``/``bible-frt`` category; else
    ``other``."""
    if info is not None:
        return info.testament
    categories = project.categories if project else []
    return next((_CATEGORIES[c] for c in categories if c in _CATEGORIES), "other")


TYPE = BibleType()
