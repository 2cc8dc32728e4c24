"""Book-based helps (tN, tQ, TWL, SN, SQ): book → chapter → verse pages, anchors and checks.

Every book of such a resource becomes one page ``NN-BOOK.html`` (Door43's USFM number). Its ids
follow Door43 (door43-conventions §6.5/§6.10), with ``<p>`` the type's prefix (``tn``, ``tq`` …)
and ``<book>`` the lower-case book code:

- ``<p>-<book>`` on the book title (``h1``);
- ``<p>-chapter-<book>-CCC`` on each chapter heading, ``<p>-chapter-<book>-front`` on the book
  introduction (old markdown tN zero-filled the folder name, so ``front`` stayed ``front``);
- ``<p>-chunk-<book>-CCC-VVV`` on each verse heading (a range ``1:6-7`` is filed under its first
  verse) and ``<p>-chunk-<book>-CCC-intro`` on a chapter introduction;
- one anchor per TSV row: the row ID itself (``id="zuf5"``). IDs are unique per book and a book is
  one page, so the bare ID is unique in its page; it is what ``rc://*/tn/help/tit/01/06/zuf5``
  and the notes' own ``../01/06/zuf5`` links name. A row whose ID is missing, duplicated or unfit
  for an HTML id gets ``<p>-<book>-line-N`` instead (and a warning); an ID the theme or our
  scripts use (``__config``) is namespaced, as every id from repository text
  (:func:`~tx_mkdocs.core.ids.content_id`).

A page carries its own chapter accordion (a ``details`` per chapter listing its verses) and a
table of contents of chapters with their verse sections as children; the site nav has one entry
per book.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import posixpath
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from itertools import repeat

from .books import Book, book, sort_key
from .cache import RenderCache
from .fs import RepoFS
from .ids import content_id
from .links import LinkTable, rc_label
from .log import BuildLog
from .markup import LinkContext, note_text, render_markdown
from .model import NavItem, Page, Project, TocEntry
from .rc import RC
from .resource import ResourceType, TypeOutput
from .tsv import Row, Table, read_tsv

#: Chapter number of the book's front matter, and verse number of an introduction.
FRONT = 0
INTRO = 0
#: Chapter of rows whose reference cannot be read: shown last, under "Other".
OTHER = 1_000_000

#: Columns holding original-language text, where U+2060 WORD JOINER is legitimate (Hebrew).
QUOTE_COLUMNS = ("Quote", "OrigQuote", "OrigWords")

_TSV_CODE = re.compile(r"(?:^|[_\-. ])([1-4a-z][a-z0-9]{2})\.tsv$", re.I)
_CHUNK_PATH = re.compile(r"(?:^|/)([1-4a-z][a-z0-9]{2})/(\d+|front)/(\d+|intro)\.md$",
                         re.I)
_NOTE_LINK = re.compile(r"\]\(\.\./(\d{1,3})/(\d{1,3})(?:\.md)?(?:/([A-Za-z0-9-]+))?/?\)")
_GOOD_ID = re.compile(r"[a-z][a-z0-9-]{3}")
_OCCURRENCE = re.compile(r"-1|\d+")


# ---------------------------------------------------------------- references and anchors


@dataclass(frozen=True)
class Ref:
    """Where an entry belongs: chapter (``FRONT``), verse (``INTRO``), last verse of a range."""

    chapter: int
    verse: int
    end: int = 0


def parse_ref(chapter: str, verse: str) -> Ref | str:
    """``("1", "6-7")`` → ``Ref(1, 6, 7)``; an error text (Door43 wording) when unreadable."""
    chapter, verse = chapter.strip(), verse.strip()
    if chapter.lower() == "front":
        number = FRONT
    elif chapter.isdigit() and int(chapter) > 0:
        number = int(chapter)
    else:
        return f"Bad chapter number '{chapter}'"
    if verse.lower() == "intro":
        return Ref(number, INTRO)
    if number == FRONT:
        return f"Unexpected C:V combination '{chapter}:{verse}'"
    first, _, last = verse.partition("-")
    if not (first.isdigit() and int(first) > 0):
        return f"Bad verse number '{verse}'"
    if not last:
        return Ref(number, int(first))
    if last.isdigit() and int(last) >= int(first):
        return Ref(number, int(first), int(last))
    if re.fullmatch(r"\d+:\d+", last):  # a range into the next chapter: filed at its start
        return Ref(number, int(first))
    return f"Bad verse number '{verse}'"


@dataclass(frozen=True)
class Anchors:
    """The Door43 ids of one book page (see the module docstring)."""

    prefix: str
    code: str

    @property
    def book(self) -> str:
        return f"{self.prefix}-{self.code.lower()}"

    def chapter(self, chapter: int) -> str:
        key = {FRONT: "front", OTHER: "other"}.get(chapter, f"{chapter:03d}")
        return f"{self.prefix}-chapter-{self.code.lower()}-{key}"

    def section(self, chapter: int, verse: int) -> str:
        """Id of a verse section; the front intro is the front section itself."""
        if chapter in (FRONT, OTHER):
            return self.chapter(chapter)
        key = "intro" if verse == INTRO else f"{verse:03d}"
        return f"{self.prefix}-chunk-{self.code.lower()}-{chapter:03d}-{key}"

    def fallback(self, line: int) -> str:
        """Anchor of a TSV row whose ID cannot serve as one."""
        return f"{self.prefix}-{self.code.lower()}-line-{line}"


def page_url(info: Book) -> str:
    return f"{info.page_stem}.html"


def book_from_filename(path: str) -> Book | None:
    """``en_tn_57-TIT.tsv`` / ``tn_TIT.tsv`` / ``twl_TIT.tsv`` → Titus (known codes only)."""
    match = _TSV_CODE.search(posixpath.basename(path))
    return book(match.group(1)) if match else None


def help_target(prefix: str, parts: list[str]) -> tuple[str, str] | None:
    """``rc://*/<res>/help/tit/01/02[/id]`` parts → ``("57-TIT.html", "<p>-chunk-tit-001-002")``.

    Works without the repository: the deepest part that can be read decides the anchor.
    """
    parts = parts[1:] if parts and parts[0].lower() == "help" else parts
    info = book(parts[0]) if parts else None
    if info is None:
        return None
    page, anchors = page_url(info), Anchors(prefix, info.code)
    anchor = content_id(parts[3]) if len(parts) >= 4 else None
    if anchor:
        return page, anchor
    ref = parse_ref(parts[1], parts[2]) if len(parts) >= 3 else None
    if isinstance(ref, Ref):
        return page, anchors.section(ref.chapter, ref.verse)
    chapter = parse_ref(parts[1], "intro") if len(parts) >= 2 else None
    if isinstance(chapter, Ref):
        return page, anchors.chapter(chapter.chapter)
    return page, anchors.book


def file_target(prefix: str, path: str) -> tuple[str, str] | None:
    """Page and anchor of a repo file (``tit/01/06.md``, ``tn_TIT.tsv``), present or not."""
    if match := _CHUNK_PATH.search(path):
        return help_target(prefix, list(match.groups()))
    info = book_from_filename(path)
    return (page_url(info), "") if info else None


# ---------------------------------------------------------------- finding the books


@dataclass
class BookSource:
    """One book of the resource: a TSV file, or a Markdown folder ``tit/CC/VV.md``."""

    info: Book
    path: str
    title: str
    #: Markdown form: the chunk files and their places; None for a TSV file.
    chunks: list[tuple[Ref, str]] | None = None

    @property
    def page(self) -> str:
        return page_url(self.info)


def find_books(rc: RC, log: BuildLog, *, markdown: bool) -> list[BookSource]:
    """The books of the manifest's projects (else of the repo root), in canonical order.

    A project is a TSV file, a book folder (Markdown form, if ``markdown``), or a folder holding
    either (``tn_TIT.tsv``, ``TIT/``); the first source of a book wins.
    """
    fs, found = rc.fs, {}

    def add(info: Book, path: str, project: Project | None) -> None:
        if info.code in found:
            log.warning(f"File '{path}' has same code '{info.code}' as previous file "
                        f"'{found[info.code].path}'", file=path, code="helps.duplicate-book")
            return
        chunks = chunk_files(fs, path, info, log) if fs.is_dir(path) else None
        if chunks == []:
            return
        found[info.code] = BookSource(info, path, _title(project, info, rc.manifest.title),
                                      chunks)

    for project in rc.manifest.projects:
        path = rc.project_path(project, log)
        if path is None:
            continue
        wanted = book(project.identifier)
        if fs.is_file(path):
            info = wanted or book_from_filename(path)
            if info is not None and path.lower().endswith(".tsv"):
                add(info, path, project)
            else:
                log.error(f"Unable to determine book code -- got '{path}'", file=path,
                          code="helps.book-code")
        elif wanted is not None and markdown and (
                _has_chapter_dirs(fs, path) or book(posixpath.basename(path)) == wanted):
            add(wanted, path, project)  # the book folder itself (reported if it has no chapters)
        else:
            inside = [(info, rel) for info, rel in _scan(fs, path, markdown)
                      if wanted is None or info == wanted]
            for info, rel in inside:
                add(info, rel, project if wanted else None)
            if not inside:
                log.warning(f"No book files found in '{path}' for project "
                            f"'{project.identifier}'", file=rc.manifest.origin,
                            code="helps.missing-book")
    if not found:
        for info, rel in _scan(fs, ".", markdown):
            add(info, rel, None)
    return sorted(found.values(), key=lambda s: sort_key(s.info.code))


def _title(project: Project | None, info: Book, resource_title: str) -> str:
    """The project title without the resource title ("Titus translationQuestions" → "Titus")."""
    title = project.title if project else ""
    if resource_title:
        title = title.replace(resource_title, "")
    return title.strip(" -–—:") or info.name


def _has_chapter_dirs(fs: RepoFS, folder: str) -> bool:
    return any((n.isdigit() or n.lower() == "front") and fs.is_dir(f"{folder}/{n}")
               for n in fs.listdir(folder))


def _scan(fs: RepoFS, folder: str, markdown: bool) -> Iterable[tuple[Book, str]]:
    """Book TSV files and (if ``markdown``) book folders directly inside ``folder``."""
    for name in fs.listdir(folder):
        rel = name if folder in (".", "") else f"{folder}/{name}"
        if name.lower().endswith(".tsv") and fs.is_file(rel):
            info = book_from_filename(name)
        elif markdown and fs.is_dir(rel):
            info = book(name)
        else:
            continue
        if info is not None:
            yield info, rel


def chunk_files(fs: RepoFS, folder: str, info: Book, log: BuildLog) -> list[tuple[Ref, str]]:
    """The ``<chapter>/<verse>.md`` files (``front/intro.md``, ``01/intro.md``) of a book folder."""
    chunks: list[tuple[Ref, str]] = []
    chapters = 0
    for name in fs.listdir(folder):
        rel = f"{folder}/{name}"
        if not fs.is_dir(rel):
            continue
        if not isinstance(parse_ref(name, "intro"), Ref):
            log.warning(f"Unexpected folder '{name}' in {info.code} folder", file=rel,
                        code="helps.unexpected-file")
            continue
        chapters += 1
        before = len(chunks)
        for file in fs.listdir(rel):
            stem, ext = posixpath.splitext(file)
            ref = parse_ref(name, stem) if ext.lower() == ".md" else None
            if isinstance(ref, Ref) and fs.is_file(f"{rel}/{file}"):
                chunks.append((ref, f"{rel}/{file}"))
            else:
                log.warning(f"Unexpected '{file}' file in '{rel}/'", file=f"{rel}/{file}",
                            code="helps.unexpected-file")
        if len(chunks) == before:
            log.warning(f"No .md chunk files found in {info.code} {name} folder", file=rel,
                        code="helps.no-chunks")
    if not chapters:
        log.error(f"No chapter folders found in {info.code} folder", file=folder,
                  code="helps.no-chapters")
    return chunks


# ---------------------------------------------------------------- TSV reading and checks


def read_book_tsv(rc: RC, path: str, log: BuildLog, *headers: list[str]) -> Table | None:
    """A book's TSV; the expected header is the one whose first column the file starts with."""
    try:
        text = rc.fs.read_text(path)
    except OSError as exc:
        log.error(f"Unable to read '{path}': {exc}", file=path, code="helps.read")
        return None
    first = text.split("\n", 1)[0].split("\t", 1)[0].strip()
    expected = next((h for h in headers if h[0] == first), headers[0])
    return read_tsv(text, source=path, log=log, expected=expected)


def split_reference(reference: str) -> tuple[str, str]:
    """``"1:6-7"`` → ``("1", "6-7")``."""
    chapter, _, verse = reference.partition(":")
    return chapter, verse


@dataclass(frozen=True)
class Placed:
    """A TSV row with its place in the book and its anchor."""

    row: Row
    ref: Ref
    anchor: str
    #: The reference as written (for messages).
    where: str


class TsvChecks:
    """Door43's TSV row checks (door43-conventions §11) for one file, reported with file+line.

    Wording as the old preprocessor: ``TIT 1:2 - Duplicate ID 'abcd'``.
    """

    def __init__(self, log: BuildLog, path: str, anchors: Anchors) -> None:
        self.log, self.path, self.anchors = log, path, anchors
        self.ids: set[str] = set()
        self.previous: tuple[int, int] | None = None

    def warn(self, row: Row, where: str, text: str, code: str) -> None:
        """A warning about ``row`` (``where``: its reference as written)."""
        self.log.warning(f"{self.anchors.code} {where} - {text}", file=self.path, line=row.line,
                         code=f"tsv.{code}")

    def place(self, row: Row, chapter: str, verse: str, book_code: str | None = None) -> Placed:
        """Check one row (book, reference, order, ID, Occurrence, whitespace) and place it."""
        where = f"{chapter.strip()}:{verse.strip()}"
        if book_code is not None:
            if not book_code.strip():
                self.warn(row, where, "Missing book code", "book")
            elif book_code.strip().upper() != self.anchors.code:
                self.warn(row, where, f"Bad book code '{book_code}' (expected "
                                 f"'{self.anchors.code}')", "book")
        ref = parse_ref(chapter, verse)
        if isinstance(ref, str):
            self.warn(row, where, ref, "reference")
            ref = Ref(OTHER, INTRO)
        else:
            key = (ref.chapter, ref.verse)
            if self.previous is not None and key < self.previous:
                self.warn(row, where, "Chapter/Verse numbers out of order", "order")
            self.previous = key
        self._occurrence(row, where)
        self._spaces(row, where)
        return Placed(row, ref, self._anchor(row, where), where)

    def _anchor(self, row: Row, where: str) -> str:
        value = row["ID"]
        if not value.strip():
            self.warn(row, where, "Missing ID", "id-missing")
            return self.anchors.fallback(row.line)
        if not _GOOD_ID.fullmatch(value):
            reasons = [reason for bad, reason in (
                (len(value) != 4, "Should be exactly four characters long"),
                (not value[:1].isalpha(), "Should start with a letter"),
                (not re.fullmatch(r"[A-Za-z0-9-]+", value),
                 "Should only contain letters, digits and hyphens"),
                (value != value.lower(), "Should be lowercase"),
            ) if bad]
            self.warn(row, where, f"Bad ID '{value}' ({'; '.join(reasons)})", "id-bad")
        if value in self.ids:
            self.warn(row, where, f"Duplicate ID '{value}'", "id-duplicate")
            return self.anchors.fallback(row.line)
        self.ids.add(value)
        return content_id(value) or self.anchors.fallback(row.line)

    def _occurrence(self, row: Row, where: str) -> None:
        if "Occurrence" not in row.cells:
            return
        value = row["Occurrence"].strip()
        if not value and not any(row[c].strip() for c in QUOTE_COLUMNS):
            return  # nothing quoted, nothing to count (questions without a quote)
        if not _OCCURRENCE.fullmatch(value):
            self.warn(row, where, f"Bad Occurrence number '{value}' (Should be number -1,0,1,2,…)",
                      "occurrence")

    def _spaces(self, row: Row, where: str) -> None:
        for column, cell in row.cells.items():
            problems = (
                (cell.startswith(" "), "leading space(s)"),
                (cell.endswith(" "), "trailing space(s)"),
                ("  " in cell, "double spaces"),
                ("\u00a0" in cell, "non-break space"),
                ("\u200b" in cell, "zero-width space"),
                ("\u2060" in cell and column not in QUOTE_COLUMNS, "word joiner"),
            )
            for found, what in problems:
                if found:
                    self.warn(row, where, f"Unexpected {what} in {column}", "whitespace")


def placed_rows(rc: RC, source: BookSource, anchors: Anchors, log: BuildLog,
                *headers: list[str]) -> tuple[list[Placed], TsvChecks]:
    """The rows of a TSV book, checked and placed at their references (``Reference``, or the
    ``Chapter``/``Verse``/``Book`` columns of tN TSV9), with the checks that placed them (for
    the checks of each row's content); no rows when the file cannot be read."""
    table = read_book_tsv(rc, source.path, log, *headers)
    checks = TsvChecks(log, source.path, anchors)
    placed = [checks.place(row, *split_reference(row["Reference"])) if "Reference" in row.cells
              else checks.place(row, row["Chapter"], row["Verse"], row["Book"])
              for row in (table.rows if table is not None else [])]
    return placed, checks


# ---------------------------------------------------------------- Markdown of notes


class LocalLinks:
    """A TSV note's links into its own book (``../01/06.md``, ``../01/06/zuf5``) → page ids.

    The notes are written as if they were the old ``tit/01/05.md`` files; those files do not
    exist, so such links point into the page being built: the note, else the verse, else the
    chapter. Links to places the book does not have stay as they are (and are reported).
    """

    def __init__(self, anchors: Anchors, placed: Iterable[Placed]) -> None:
        self.anchors = anchors
        self.ids: set[str] = set()
        self.sections: set[tuple[int, int]] = set()
        for item in placed:
            self.ids.add(item.anchor)
            if item.ref.chapter not in (FRONT, OTHER):
                self.sections.add((item.ref.chapter, item.ref.verse))
        self.chapters = {chapter for chapter, _ in self.sections}

    def __call__(self, text: str) -> str:
        return _NOTE_LINK.sub(self._replace, text) if "](../" in text else text

    def _replace(self, match: re.Match[str]) -> str:
        chapter, verse, note = int(match.group(1)), int(match.group(2)), match.group(3)
        anchor = content_id(note) if note else None
        if anchor and anchor in self.ids:
            return f"](#{anchor})"
        if (chapter, verse) in self.sections:
            return f"](#{self.anchors.section(chapter, verse)})"
        if chapter in self.chapters:
            return f"](#{self.anchors.chapter(chapter)})"
        return match.group(0)


def shift_for(ref: Ref, *, titled: bool = False) -> int:
    """Heading shift that nests an entry's own headings under its section.

    The book intro's ``#`` becomes a chapter-level ``h2``, a chapter intro's an ``h3``; a verse
    entry's ``#`` an ``h4`` (the question or quote), or ``h5`` below an entry title of our own.
    """
    if ref.chapter == FRONT:
        return 1
    if ref.verse == INTRO:
        return 2
    return 4 if titled else 3


def cell_html(cell: str, context: LinkContext, ref: Ref, *, local: LocalLinks | None = None,
              titled: bool = False) -> str:
    """A TSV Markdown cell (literal ``\\n`` and ``<br>`` as line breaks) → safe HTML."""
    text = note_text(cell)
    return render_markdown(local(text) if local else text, context,
                           shift_headings=shift_for(ref, titled=titled))


def rc_link(url: str, context: LinkContext, css: str) -> str:
    """``<a>`` to an rc:// target, resolved by the link table (``figs-idiom``, ``god``)."""
    href = context.table.rc(url, source=context.source, line=context.line)
    return f'<a class="{css}" href="{html.escape(href)}">{html.escape(rc_label(url))}</a>'


def quote_html(quote: str, info: Book) -> str:
    """An original-language quote: Hebrew for the Old Testament, Greek otherwise."""
    lang = "hbo" if info.testament == "ot" else "el-x-koine"
    return f'<span class="tx-quote" lang="{lang}" dir="auto">{html.escape(quote.strip())}</span>'


def tags_html(tags: str) -> str:
    return " ".join(f'<span class="tx-tag">{html.escape(t.strip())}</span>'
                    for t in tags.split(";") if t.strip())


def meta_html(items: Iterable[tuple[str, str]]) -> str:
    """A line of ``label: value`` facts of an entry (values are HTML already)."""
    parts = [f'<span class="tx-label">{html.escape(label)}</span> {value}'
             for label, value in items if value]
    return f'<p class="tx-meta">{" · ".join(parts)}</p>\n' if parts else ""


# ---------------------------------------------------------------- pages


@dataclass
class Entry:
    """One rendered item of a book (a note, a question, a word link) and where it belongs."""

    ref: Ref
    html: str


def markdown_entries(rc: RC, source: BookSource, log: BuildLog,
                     links: LinkTable) -> list[Entry]:
    """The chunk files of a Markdown book, each rendered under its verse."""
    entries = []
    for ref, path in source.chunks or []:
        try:
            text = rc.fs.read_text(path)
        except OSError as exc:
            log.error(f"Unable to read '{path}': {exc}", file=path, code="helps.read")
            continue
        if not text.strip():
            log.warning(f"Empty file '{path}'", file=path, code="helps.empty")
            continue
        body = render_markdown(text, LinkContext(links, source=path),
                               shift_headings=shift_for(ref))
        entries.append(Entry(ref, f'<div class="tx-chunk">\n{body}\n</div>'))
    return entries


def book_page(source: BookSource, entries: list[Entry], anchors: Anchors, template: str,
              wrap: Callable[[str], str] = lambda body: body) -> Page:
    """The page of one book: title, chapter accordion, chapters with verse sections, TOC.

    ``wrap`` turns the joined entries of one section into its body (a table for word links).
    """
    esc, title = html.escape, source.title
    chapters: dict[int, dict[int, list[Entry]]] = {}
    for entry in sorted(entries, key=lambda e: (e.ref.chapter, e.ref.verse)):
        chapters.setdefault(entry.ref.chapter, {}).setdefault(entry.ref.verse, []).append(entry)
    body: list[str] = []
    toc: list[TocEntry] = []
    index: list[str] = []
    for chapter, verses in chapters.items():
        chapter_id = anchors.chapter(chapter)
        if chapter == FRONT:
            content = wrap("\n".join(e.html for items in verses.values() for e in items))
            body.append(f'<section class="tx-helps-front" id="{chapter_id}">\n{content}\n'
                        '</section>')
            toc.append(TocEntry(2, chapter_id, "Introduction"))
            index.append(f'<a class="tx-helps-front-link" href="#{chapter_id}">Introduction</a>')
            continue
        heading = "Other" if chapter == OTHER else f"{title} {chapter}"
        parts = [f'<h2 class="tx-helps-chapter-title" id="{chapter_id}">{esc(heading)}</h2>']
        children: list[TocEntry] = []
        verse_links: list[str] = []
        for verse, items in verses.items():
            section_id = anchors.section(chapter, verse)
            content = wrap("\n".join(e.html for e in items))
            if chapter == OTHER:
                parts.append(content)
            elif verse == INTRO:
                parts.append(f'<section class="tx-helps-intro" id="{section_id}">\n{content}\n'
                             '</section>')
                children.append(TocEntry(3, section_id, "Introduction"))
                verse_links.append(f'<a href="#{section_id}">Intro</a>')
            else:
                end = max(e.ref.end for e in items)
                span = f"{verse}-{end}" if end > verse else str(verse)
                parts.append(f'<h3 class="tx-helps-verse" id="{section_id}">{esc(title)} '
                             f'{chapter}:{span}</h3>\n{content}')
                children.append(TocEntry(3, section_id, f"{chapter}:{span}"))
                verse_links.append(f'<a href="#{section_id}">{span}</a>')
        body.append('<section class="tx-helps-chapter">\n' + "\n".join(parts) + "\n</section>")
        toc.append(TocEntry(2, chapter_id, heading, children))
        index.append(f'<details class="tx-helps-chapter-index"><summary>'
                     f'{esc("Other" if chapter == OTHER else str(chapter))}</summary>'
                     f'<a href="#{chapter_id}">{esc(heading)}</a> {" ".join(verse_links)}'
                     '</details>')
    nav = (f'<nav class="tx-helps-index" aria-label="Chapters">\n{chr(10).join(index)}\n</nav>\n'
           if index else '<p class="tx-empty">Nothing could be read for this book; see the '
                         'build log.</p>\n')
    return Page(
        path=f"{source.info.page_stem}.md",
        title=title,
        html=f'<h1 id="{anchors.book}">{esc(title)}</h1>\n{nav}' + "\n".join(body),
        toc=toc,
        template=template,
        sources=[path for _, path in source.chunks] if source.chunks else [source.path],
        meta={"book": source.info.code},
    )


#: A TSV book rendered apart: its page, and the link table and log it was rendered with.
RenderedBook = tuple[Page, LinkTable, BuildLog]
#: TSV books not cached are rendered in parallel processes when their files hold more than
#: this many bytes (about 20 000 rows, 5 s of work; below, starting processes costs more).
PARALLEL_MIN_BYTES = 4 * 1024 * 1024


def render_tsv_book(rtype: BookHelpsType, rc: RC, source: BookSource,
                    links: LinkTable) -> RenderedBook:
    """One TSV book with ``links`` (a fresh :meth:`~LinkTable.fork`) and a log of its own:
    the same in this process or another, and kept in the render cache."""
    anchors, log = Anchors(rtype.prefix, source.info.code), BuildLog()
    entries = rtype.tsv_entries(rc, source, anchors, log, links)
    return book_page(source, entries, anchors, rtype.template, rtype.wrap), links, log


def render_tsv_books(rtype: BookHelpsType, rc: RC, sources: list[BookSource],
                     links: LinkTable) -> list[RenderedBook]:
    """:func:`render_tsv_book` for each source, in order: in worker processes (one per CPU)
    when the files are large, else here. Notes are rendered by pure-Python Markdown, so a
    whole-Bible tN is CPU-bound; every book is independent of the others."""
    forks = [links.fork() for _ in sources]

    def here() -> list[RenderedBook]:
        return [render_tsv_book(rtype, rc, s, f) for s, f in zip(sources, forks, strict=True)]

    size = sum(rc.fs.readable_size(s.path) for s in sources)
    workers = min(len(sources), usable_cpus())
    if (workers < 2 or size < PARALLEL_MIN_BYTES
            or "forkserver" not in multiprocessing.get_all_start_methods()):  # Windows
        return here()
    # forkserver: safe in a process with threads (serve); the cache stays here
    context = multiprocessing.get_context("forkserver")
    plain = replace(rc, cache=RenderCache(keep=False))
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return list(pool.map(render_tsv_book, repeat(rtype), repeat(plain), sources, forks))
    except BrokenProcessPool:  # workers could not start (a __main__ read from stdin) or died
        return here()


def usable_cpus() -> int:
    """CPUs this process may run on (a container or ``taskset`` may allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class BookHelpsType(ResourceType):
    """A resource with one page per Bible book: finds the books, registers and renders them.

    Subclasses say how a TSV book becomes entries (:meth:`tsv_entries`); the Markdown form
    (``tit/01/01.md``), where the type has one, is common to all.
    """

    #: Whether the type also has the Markdown form (one file per chunk).
    markdown: bool = False

    @property
    def prefix(self) -> str:
        """Prefix of the page ids, the type's name (``tn`` → ``tn-chunk-tit-001-001``)."""
        return self.name

    @property
    def template(self) -> str:
        """The page template, named after the type (``tn.html``)."""
        return f"{self.name}.html"

    def rc_target(self, parts: list[str]) -> tuple[str, str] | None:
        return help_target(self.prefix, parts)

    def path_target(self, path: str) -> tuple[str, str] | None:
        return file_target(self.prefix, path)

    def body_class(self, rc: RC) -> str:
        return self.name

    def wrap(self, body: str) -> str:
        """The body of one verse section made of its entries' HTML."""
        return body

    def tsv_entries(self, rc: RC, source: BookSource, anchors: Anchors, log: BuildLog,
                    links: LinkTable) -> list[Entry]:
        raise NotImplementedError

    def _tsv_books(self, rc: RC, sources: list[BookSource], links: LinkTable,
                   ) -> list[RenderedBook]:
        """The TSV books, each rendered apart (:func:`render_tsv_book`) and kept in the render
        cache while its file is unchanged, so that ``serve`` re-renders only the books that
        changed; those not cached are rendered in parallel processes when they are large."""
        # the kind says what a page depends on besides its file
        items = [(s.path, "|".join((f"{self.name}-book", rc.subject, s.info.code, s.title,
                                    links.settings_key))) for s in sources]

        def render(missing: list[int]) -> list[RenderedBook]:
            return render_tsv_books(self, rc, [sources[i] for i in missing], links)

        return rc.cache.get_many(rc.fs, items, render)

    def build(self, rc: RC, log: BuildLog, links: LinkTable) -> TypeOutput:
        sources = find_books(rc, log, markdown=self.markdown)
        tsv = [s for s in sources if s.chunks is None]
        rendered = dict(zip([s.path for s in tsv], self._tsv_books(rc, tsv, links), strict=True))
        pages = []
        for source in sources:
            anchors = Anchors(self.prefix, source.info.code)
            links.register_file(source.path, source.page)
            for ref, path in source.chunks or []:
                links.register_file(path, source.page, anchors.section(ref.chapter, ref.verse))
            if source.chunks is not None:
                entries = markdown_entries(rc, source, log, links)
                pages.append(book_page(source, entries, anchors, self.template, self.wrap))
            else:
                page, book_links, book_log = rendered.pop(source.path)  # one copy at a time
                log.absorb(book_log)
                pages.append(replace(page, html=links.absorb(book_links, page.html)))
            log.info(f"Converted {source.path} to {source.page}.")
        if not sources:
            log.error(f"No book files found for {rc.subject}", code=f"{self.name}.no-books")
        return TypeOutput(
            pages=pages,
            nav=[NavItem(page.title, page.path) for page in pages],
            input_format="md" if sources and all(s.chunks is not None for s in sources)
            else "tsv",
            body_class=self.body_class(rc),
        )
