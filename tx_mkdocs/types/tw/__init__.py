"""translationWords: ``bible/<section>/<term>.md`` → ``kt.html``, ``names.html``, ``other.html``.

As Door43 did: each page starts with ``tw-section-<section>`` and holds one article per term,
sorted by title, with the term as its id and its headings demoted one level. An alphabetical term
index at the top of each page is the term navigation (one nav entry per page, never per term).
``bible/config.yaml`` (occurrences, ~1 MB) is not needed to render the articles and is not read.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from itertools import groupby

from ...core.ids import content_id
from ...core.links import LinkTable
from ...core.log import BuildLog
from ...core.markup import LinkContext, render_markdown
from ...core.model import Page, TocEntry, page_stem
from ...core.rc import RC
from ...core.resource import ResourceType, TypeOutput

#: Door43's sections, in page order, with their English titles.
SECTIONS = {"kt": "Key Terms", "names": "Names", "other": "Other"}

#: The start of a Markdown ATX heading, also the old forms ``#grace`` and ``# grace, gracious #``.
_HEADING = re.compile(r"#{1,6}")


#: A term that is its own id (every real one: ``god``, ``sonofgod``, ``12tribesofisrael``).
_TERM_ID = re.compile(r"[\w.-]+")


def term_id(term: str) -> str:
    """The id of a term's article: the term (Door43's ``kt.html#god``), or for a file name that
    is no safe id (quotes, spaces, ``<`` …: scripts look ids up in CSS selectors) a safe form
    of it with a hash, so that two such names never share an id; either under the one id
    policy (a file named ``__config.md`` is namespaced)."""
    if not _TERM_ID.fullmatch(term):
        term = f"{page_stem(term)[:60]}-{hashlib.sha256(term.encode('utf-8')).hexdigest()[:8]}"
    return content_id(term) or term


@dataclass
class Article:
    term: str
    title: str
    html: str
    source: str


def heading_title(line: str) -> str | None:
    """The text of an ATX heading line (closing ``#`` removed), or None if it is no heading.

    String operations, not ``(.*?)[ \\t]*#*[ \\t]*$``: that is quadratic on a line of spaces.
    """
    line = line.strip()
    start = _HEADING.match(line)
    if start is None:
        return None
    text = line[start.end():].rstrip(" \t").rstrip("#").strip()
    return text or None


class TwType(ResourceType):
    name = "tw"
    templates = ("tw.html",)
    stylesheets = ("tx-tw.css",)
    subjects = ("Translation_Words",)
    rc_resources = ("tw",)

    def rc_target(self, parts: list[str]) -> tuple[str, str] | None:
        """``dict/bible/kt/god`` → ``kt.html#god``."""
        parts = parts[1:] if parts[:1] == ["dict"] else parts
        parts = parts[1:] if parts[:1] == ["bible"] else parts
        if len(parts) >= 2 and parts[0] in SECTIONS:
            return f"{parts[0]}.html", term_id(parts[1].removesuffix(".md"))
        return None

    def path_target(self, path: str) -> tuple[str, str] | None:
        """``bible/kt/god.md`` → ``kt.html#god`` (also for articles absent from the repo)."""
        parts = path.split("/")
        if len(parts) >= 2 and parts[-2] in SECTIONS and parts[-1].endswith(".md"):
            return f"{parts[-2]}.html", term_id(parts[-1].removesuffix(".md"))
        return None

    def build(self, rc: RC, log: BuildLog, links: LinkTable) -> TypeOutput:
        pages = []
        roots = self._roots(rc, log)
        for section, title in SECTIONS.items():
            articles = self._articles(rc, roots, section, log, links)
            if articles:
                pages.append(_page(section, title, articles))
                log.info(f"Converted {len(articles)} {section} articles to {section}.html.")
        if not pages:
            log.error("No translationWords articles found (expected bible/kt, bible/names or "
                      "bible/other folders of .md files)", code="tw.no-articles")
        return TypeOutput.flat(pages, body_class="tw")

    def titles(self, rc: RC) -> dict[tuple[str, str], str]:
        """Each article's first heading, at its place in the published tW."""
        log = BuildLog()  # a related repository's problems are its own build's
        found = {}
        for root in self._roots(rc, log):
            for section in SECTIONS:
                folder = f"{root}/{section}".removeprefix("./")
                for name in rc.fs.listdir(folder):
                    title = _title(rc, f"{folder}/{name}") if name.endswith(".md") else None
                    if title:
                        found[(f"{section}.html", term_id(name.removesuffix(".md")))] = title
        return found

    def _roots(self, rc: RC, log: BuildLog) -> list[str]:
        """Folders holding the section folders: the manifest's project paths, else ``bible``."""
        roots = []
        for project in rc.manifest.projects:
            path = rc.project_path(project, log)
            if path is not None and rc.fs.is_dir(path) and path not in roots:
                roots.append(path)
        if not any(rc.fs.is_dir(f"{r}/{s}") for r in roots for s in SECTIONS):
            roots = ["bible"] if rc.fs.is_dir("bible") else ["."]
        return roots

    def _articles(self, rc: RC, roots: list[str], section: str, log: BuildLog,
                  links: LinkTable) -> list[Article]:
        """The section's articles, sorted by title; every file is registered for links."""
        found: dict[str, Article] = {}
        for root in roots:
            folder = f"{root}/{section}".removeprefix("./")
            for name in rc.fs.listdir(folder):
                source = f"{folder}/{name}"
                if not name.endswith(".md") or not rc.fs.is_file(source):
                    continue
                term = name.removesuffix(".md")
                if term in found:
                    log.warning(f"Duplicate tW article '{section}/{term}' (also in "
                                f"{found[term].source})", file=source, code="tw.duplicate")
                    continue
                links.register_file(source, f"{section}.html", term_id(term))
                found[term] = _article(rc, term, source, log, links)
        return sorted(found.values(), key=lambda a: (a.title.casefold(), a.term))


def _article(rc: RC, term: str, source: str, log: BuildLog, links: LinkTable) -> Article:
    """One article: its title from the first heading, the rest rendered one level down."""
    try:
        text = rc.fs.read_text(source)
    except (OSError, ValueError) as exc:
        log.error(f"Unable to read '{source}': {exc}", file=source)
        text = ""
    title, body = _split_title(text)
    if title is None:
        log.warning(f"Missing title text in tW article '{term}'", file=source, line=1,
                    code="tw.missing-title")
    if not body.strip():
        log.warning(f"Empty tW article '{term}'", file=source, code="tw.empty")
    rendered = render_markdown(body, LinkContext(links, source=source), shift_headings=1)
    return Article(term, title or term, rendered, source)


def _split_title(text: str) -> tuple[str | None, str]:
    """An article's title (its first line, when that is a heading) and the rest of it (all of
    it when there is no title)."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    title = heading_title(lines[first]) if first is not None else None
    return (title, "\n".join(lines[first + 1:])) if first is not None and title else (None, text)


def _title(rc: RC, source: str) -> str | None:
    """The title of an article file."""
    try:
        return _split_title(rc.fs.read_text(source))[0]
    except (OSError, ValueError):
        return None


def _index(section: str, articles: list[Article]) -> str:
    """The alphabetical term index: a letter bar and the terms grouped by initial."""
    esc = html.escape
    groups = [(initial, list(items)) for initial, items in
              groupby(articles, key=lambda a: a.title[:1].upper())]
    bar = "".join(f'<a href="#tw-index-{section}-{n}">{esc(initial)}</a>'
                  for n, (initial, _) in enumerate(groups))
    lists = "\n".join(
        f'<div class="tx-tw-group" id="tw-index-{section}-{n}">'
        f'<span class="tx-tw-initial">{esc(initial)}</span><ul>'
        + "".join(f'<li><a href="#{esc(term_id(a.term))}">{esc(a.title)}</a></li>'
                  for a in items)
        + "</ul></div>"
        for n, (initial, items) in enumerate(groups))
    return (f'<nav class="tx-tw-index" aria-label="Term index">\n'
            f'<div class="tx-tw-letters">{bar}</div>\n{lists}\n</nav>\n')


def _page(section: str, title: str, articles: list[Article]) -> Page:
    esc = html.escape
    body = "\n<hr>\n".join(
        f'<section class="tx-tw-article">\n<h2 id="{esc(term_id(a.term))}">{esc(a.title)}</h2>\n'
        f"{a.html}\n</section>" for a in articles)
    return Page(
        path=f"{section}.md",
        title=title,
        html=f'<h1 id="tw-section-{section}">{esc(title)}</h1>\n{_index(section, articles)}'
             f"{body}\n",
        toc=[TocEntry(1, f"tw-section-{section}", title,
                      [TocEntry(2, term_id(a.term), a.title) for a in articles])],
        template="tw.html",
        sources=[a.source for a in articles],
        meta={"section": section, "terms": len(articles)},
    )


TYPE = TwType()
