"""Generic Markdown: any repository whose subject no other type renders (and ``obs-sg``).

Every Markdown file becomes a page (a folder of numbered chunk files, ``01/01.md …``, becomes one
page, as Door43 stitched them); ``README.md`` and ``LICENSE.md`` are left out unless nothing else
exists. A repository that does not declare itself generic gets a warning that its subject is
unknown, so the author knows why the site looks plain.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator

from ...core.ids import content_id
from ...core.links import LinkTable
from ...core.log import BuildLog
from ...core.markup import LinkContext, atx_heading, render_markdown
from ...core.model import Page, TocEntry, page_stem
from ...core.rc import DOOR43_IDENTIFIERS, RC
from ...core.resource import ResourceType, TypeOutput

SUBJECT = "Generic_Markdown"
#: Files Door43 never made pages of, unless they are all there is.
_SIDE_FILES = frozenset({"readme.md", "license.md"})
#: Names of the files of a chunked folder (``01.md``, ``intro.md``, ``title.md``).
_CHUNK = re.compile(r"^(\d+|intro|title|sub-title)\.md$", re.I)
_HEADING_TAG = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^<>]+>")


class GenericMarkdownType(ResourceType):
    name = "markdown"
    templates = ("markdown.html",)
    subjects = (SUBJECT,)

    def build(self, rc: RC, log: BuildLog, links: LinkTable) -> TypeOutput:
        self._warn_unknown(rc, log)
        groups = list(_page_groups(_markdown_files(rc, log)))
        if not groups:
            log.error("No Markdown files found in the repository", code="markdown.no-files")
            return TypeOutput(body_class="markdown")
        taken = {"index"}
        named = []
        for stem, files in groups:
            name = _unique(stem, taken)
            named.append((name, files))
            for path in files:
                links.register_file(path, f"{name}.html",
                                    _section_id(path) if len(files) > 1 else "")
        pages = [self._page(rc, name, files, log, links) for name, files in named]
        return TypeOutput.flat([p for p in pages if p is not None], body_class="markdown")

    def _warn_unknown(self, rc: RC, log: BuildLog) -> None:
        """A repository that fell through detection: say so (the old pipeline stayed silent).

        Subjects that no type renders are reported by the core, which sends them here.
        """
        m = rc.manifest
        declared = re.sub(r"\s+", "_", m.subject.strip())
        if rc.subject != SUBJECT or SUBJECT in (declared,
                                                 DOOR43_IDENTIFIERS.get(m.identifier.lower())):
            return
        log.warning(f"Unknown subject '{m.subject or m.identifier}': the repository is shown as "
                    "generic Markdown", file=m.origin, code="markdown.unknown-subject")

    def _page(self, rc: RC, name: str, files: list[str], log: BuildLog,
              links: LinkTable) -> Page | None:
        parts, titles, sources = [], [], []
        for path in files:
            try:
                text = rc.fs.read_text(path)
            except OSError as exc:
                log.error(f"Unable to read '{path}': {exc}", file=path, code="markdown.read")
                continue
            sources.append(path)
            titles.append(next((h for h in map(atx_heading, text.split("\n")) if h is not None),
                               ""))
            body = render_markdown(text, LinkContext(links, path))
            if len(files) > 1:
                body = f'<section id="{_section_id(path)}">\n{body}\n</section>'
            parts.append(body)
        if not sources:
            return None
        body, toc = _heading_ids("\n".join(parts))
        title = next((t for t in titles if t), "") or posixpath.basename(name)
        log.info(f"Converted {', '.join(sources)} to {name}.html.")
        return Page(path=f"{name}.md", title=title, html=body, toc=toc, template="markdown.html",
                    sources=sources)


def _markdown_files(rc: RC, log: BuildLog) -> list[str]:
    """The Markdown files of the projects (or the whole repo), README only if nothing else."""
    roots = [p for p in (rc.project_path(project, log) for project in rc.manifest.projects) if p]
    found: dict[str, None] = {}
    for root in roots or ["."]:
        paths = [root] if rc.fs.is_file(root) else rc.fs.walk(root)
        found.update((p, None) for p in paths if _is_markdown(p))
    if not found and roots:
        found.update((p, None) for p in rc.fs.walk(".") if _is_markdown(p))
    content = [p for p in found if posixpath.basename(p).lower() not in _SIDE_FILES]
    return content or [p for p in found if posixpath.basename(p).lower() == "readme.md"]


def _is_markdown(path: str) -> bool:
    """A ``.md`` file outside hidden folders (``.idea/``, ``.vscode/`` …)."""
    return path.lower().endswith(".md") and not any(p.startswith(".") for p in
                                                     path.split("/")[:-1])


def _page_groups(files: list[str]) -> Iterator[tuple[str, list[str]]]:
    """(page stem, files): a folder of only chunk files is one page; else a page per file."""
    folders: dict[str, list[str]] = {}
    for path in files:
        folders.setdefault(posixpath.dirname(path), []).append(path)
    for folder, paths in folders.items():
        if folder and len(paths) > 1 and all(_CHUNK.match(posixpath.basename(p)) for p in paths):
            yield _stem(folder), sorted(paths, key=_chunk_order)
        else:
            yield from ((_stem(p.removesuffix(".md")), [p]) for p in paths)


def _chunk_order(path: str) -> tuple[int, int]:
    name = posixpath.basename(path)[:-3].lower()
    firsts = {"title": 0, "sub-title": 1, "intro": 2}
    return (0, firsts[name]) if name in firsts else (1, int(name))


def _stem(path: str) -> str:
    """A flat page name (``a/b/c`` → ``a-b-c``): page links stay valid from any page.

    MkDocs publishes a page named ``README`` as ``index.html`` (the landing page): ``readme``.
    """
    stem = page_stem(path.strip("./").replace("/", "-"))
    return "readme" if stem == "README" else stem


def _unique(stem: str, taken: set[str]) -> str:
    name, n = stem, 1
    while name.lower() in taken:
        n += 1
        name = f"{stem}-{n}"
    taken.add(name.lower())
    return name


def _section_id(path: str) -> str:
    """Id of a chunk file's section in a stitched page (``01/02.md`` → ``01-02``)."""
    stem = _stem(path.removesuffix(".md"))
    return content_id(stem) or stem


def _heading_ids(fragment: str) -> tuple[str, list[TocEntry]]:
    """Give headings ids (for links and the page TOC): ``h2`` entries with their ``h3`` below."""
    used: set[str] = set(re.findall(r'\sid="([^"]+)"', fragment))
    toc: list[TocEntry] = []

    def add_id(match: re.Match[str]) -> str:
        level, inner = int(match.group(1)), match.group(2)
        text = html.unescape(_TAG.sub("", inner)).strip()
        slug = re.sub(r"[^\w]+", "-", text.lower()).strip("-") or "section"
        anchor = _unique(content_id(slug) or "section", used)
        entry = TocEntry(level, anchor, text)
        if level == 2:
            toc.append(entry)
        elif level == 3 and toc:
            toc[-1].children.append(entry)
        return f'<h{level} id="{html.escape(anchor)}">{inner}</h{level}>'

    return _HEADING_TAG.sub(add_id, fragment), toc


TYPE = GenericMarkdownType()
