"""Finding the books of a resource: TSV files and Markdown book folders, from the manifest's
projects (else the repository root), each once, in canonical order."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass

from ...core.books import Book, book, sort_key
from ...core.fs import RepoFS
from ...core.log import BuildLog
from ...core.model import Project
from ...core.rc import RC
from .refs import Ref, book_from_filename, page_url, parse_ref


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
    fs = rc.fs
    found: dict[str, BookSource] = {}

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
