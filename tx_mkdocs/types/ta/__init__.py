"""translationAcademy: one page per manual (``03-translate.html``), articles in ``toc.yaml`` order.

A manual is a folder with ``toc.yaml`` (title and nested ``sections`` of ``title``/``link``),
``config.yaml`` (``slug: {dependencies: […], recommended: […]}``) and one folder per article
(``title.md``, ``sub-title.md``, ``01.md``). Each article is a heading with the slug as id at its
ToC depth, the question it answers and what to read first, the body, and what to read next — as
Door43's tA pages were. Page numbers follow unfoldingWord's manual order (intro 01, process 02,
translate 03, checking 04) so that links between sites keep working; other manuals are numbered
from their manifest ``sort``. Articles listed in the ToC but absent from a partial repository are
reported once per manual, and links to them go to the published tA.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType

import yaml

from ...core.ids import content_id
from ...core.links import LinkTable
from ...core.log import BuildLog
from ...core.manifest import parse_yaml, yaml_error_line
from ...core.markup import LinkContext, render_markdown
from ...core.model import Page, TocEntry, page_stem
from ...core.rc import RC
from ...core.resource import ResourceType, TypeOutput

#: unfoldingWord's manuals and their page numbers (``03-translate.html``).
UW_MANUALS = {"intro": 1, "process": 2, "translate": 3, "checking": 4}
#: Door43's manual titles, when the manifest gives none.
MANUAL_TITLES = {"intro": "Introduction to translationAcademy", "process": "Process Manual",
                 "translate": "Translation Manual", "checking": "Checking Manual"}
ARTICLE_FILES = ("01.md", "title.md", "sub-title.md")
#: How many absent slugs a "missing articles" warning names.
SHOWN_MISSING = 5
#: Deepest ToC nesting rendered (headings stop at h6 anyway; guards against hostile files).
MAX_DEPTH = 12

_SLUG = re.compile(r"^[\w][\w.-]*$")
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]", re.M)
#: A top-level key of config.yaml, on one line (a key that may span lines scans to the end of
#: the file from every line: quadratic).
_CONFIG_KEY = re.compile(r"^['\"]?([^\s'\":#][^'\":\n]*)['\"]?[ \t]*:", re.M)


def manual_number(manual: str, sort: int) -> int:
    """Page number of a manual: unfoldingWord's order, else the manifest sort counted from 1."""
    return UW_MANUALS.get(manual, sort + 1)


def _manual_page(manual: str, own: Mapping[str, str]) -> str | None:
    """The page of a manual: unfoldingWord's by number, else one of ``own``."""
    if manual in UW_MANUALS:
        return page_url(manual, UW_MANUALS[manual])
    return own.get(manual)


def page_url(manual: str, number: int) -> str:
    """``03-translate.html``; the manual name comes from the manifest: made safe."""
    return f"{number:02d}-{page_stem(manual)}.html"


@dataclass
class Section:
    """A node of ``toc.yaml``: an article (``slug``) and/or a group of sections."""

    title: str
    slug: str | None
    children: list[Section] = field(default_factory=list)


@dataclass
class Manual:
    name: str
    path: str
    title: str
    number: int
    toc_title: str = "Table of Contents"
    sections: list[Section] = field(default_factory=list)
    config: dict[str, dict] = field(default_factory=dict)
    #: Line of each article's entry in config.yaml (for messages).
    config_lines: dict[str, int] = field(default_factory=dict)
    #: Present articles: slug → title.
    present: dict[str, str] = field(default_factory=dict)
    #: Every slug the ToC names, present or not.
    listed: set[str] = field(default_factory=set)

    @property
    def url(self) -> str:
        return page_url(self.name, self.number)

    def walk(self) -> Iterator[Section]:
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.children))


class TaType(ResourceType):
    name = "ta"
    templates = ("ta.html",)
    stylesheets = ("tx-ta.css",)
    subjects = ("Translation_Academy",)
    rc_resources = ("ta",)

    def rc_target(self, parts: list[str], own: Mapping[str, str] = MappingProxyType({}),
                  ) -> tuple[str, str] | None:
        """``man/translate/figs-metaphor`` → ``03-translate.html#figs-metaphor``.

        ``own``: pages of the manuals being built whose number is not unfoldingWord's (known
        only from their manifest; another site's such manuals cannot be linked).
        """
        parts = parts[1:] if parts[:1] == ["man"] else parts
        page = _manual_page(parts[0], own) if len(parts) >= 2 else None
        return (page, _article_id(parts[1])) if page else None

    def path_target(self, path: str, own: Mapping[str, str] = MappingProxyType({}),
                    ) -> tuple[str, str] | None:
        """``translate/figs-simile/01.md`` → ``03-translate.html#figs-simile``."""
        parts = path.split("/")
        if len(parts) >= 3 and parts[-1] in ARTICLE_FILES:
            page = _manual_page(parts[-3], own)
            return (page, _article_id(parts[-2])) if page else None
        return None

    def titles(self, rc: RC) -> dict[tuple[str, str], str]:
        """Each article's ``title.md``, at its place in the published tA."""
        log = BuildLog()  # a related repository's problems are its own build's
        found = {}
        for manual in self._manuals(rc, log):
            for slug in rc.fs.listdir(manual.path):
                title = _plain(_read(rc, f"{manual.path}/{slug}/title.md", log)) if _SLUG.fullmatch(
                    slug) else ""
                if title:
                    found[(manual.url, _article_id(slug))] = title
        return found

    def build(self, rc: RC, log: BuildLog, links: LinkTable) -> TypeOutput:
        manuals = self._manuals(rc, log)
        own = {m.name: m.url for m in manuals if m.name not in UW_MANUALS}
        if own:  # links of this build also reach its own manuals
            others = links.rc_mapper
            links.rc_mapper = lambda resource, parts: (
                self.rc_target(parts, own) if resource in self.rc_resources
                else others(resource, parts))
            links.path_mapper = partial(self.path_target, own=own)
        for manual in manuals:
            _load_toc(rc, manual, log)
            _load_config(rc, manual, log)
            _check_articles(rc, manual, log, links)
        titles = _known_titles(manuals)
        # where an article named by slug lives: a manual that has it, else one that lists it
        where = {slug: m for m in reversed(manuals) for slug in m.listed}
        where |= {slug: m for m in reversed(manuals) for slug in m.present}
        pages = []
        for manual in manuals:
            pages.append(_ManualRenderer(rc, manual, log, links, titles, where).page())
            log.info(f"Converted {len(manual.present)} articles of '{manual.name}' to "
                     f"{manual.url}.")
        if not pages:
            log.error("No translationAcademy manuals found (folders with toc.yaml and article "
                      "folders)", code="ta.no-manuals")
        return TypeOutput.flat(pages, body_class="ta")

    def _manuals(self, rc: RC, log: BuildLog) -> list[Manual]:
        """The manuals of the manifest's projects, else every root folder with a toc.yaml."""
        manuals: dict[str, Manual] = {}
        for project in rc.manifest.projects:
            path = rc.project_path(project, log)
            if path is None or not rc.fs.is_dir(path) or (
                    path == "." and not rc.fs.is_file("toc.yaml")):
                continue
            name = project.identifier
            if name not in manuals:
                manuals[name] = Manual(name, path, project.title or _default_title(name),
                                       manual_number(name, project.sort))
        if not manuals:
            for sort, name in enumerate(n for n in rc.fs.listdir(".")
                                        if rc.fs.is_file(f"{n}/toc.yaml")):
                manuals[name] = Manual(name, name, _default_title(name),
                                       manual_number(name, sort))
        return sorted(manuals.values(), key=lambda m: (m.number, m.name))


def _default_title(manual: str) -> str:
    return MANUAL_TITLES.get(manual, f"{manual.title()} Manual")


def _read_yaml(rc: RC, path: str, log: BuildLog) -> tuple[object, str] | None:
    """(data, text) of a YAML file; None when missing or badly formed (reported)."""
    try:
        text = rc.fs.read_text(path)
        return parse_yaml(text), text
    except yaml.YAMLError as exc:
        log.error(f"Badly formed '{path}' in {rc.name}: {' '.join(str(exc).split())}",
                  file=path, line=yaml_error_line(exc), code="ta.yaml-syntax")
    except RecursionError:
        log.error(f"Badly formed '{path}' in {rc.name}: nested too deeply", file=path,
                  code="ta.yaml-syntax")
    except (OSError, ValueError) as exc:
        log.error(f"Unable to read '{path}': {exc}", file=path)
    return None


def _load_toc(rc: RC, manual: Manual, log: BuildLog) -> None:
    """The manual's sections from toc.yaml, or its article folders when toc.yaml is unusable."""
    path = f"{manual.path}/toc.yaml"
    loaded = _read_yaml(rc, path, log) if rc.fs.is_file(path) else None
    if loaded is not None and isinstance(loaded[0], dict):
        data = loaded[0]
        if isinstance(data.get("title"), str) and data["title"].strip():
            manual.toc_title = data["title"].strip()
        manual.sections = _sections(data.get("sections"), manual, path, 1, log)
        return
    if loaded is not None:
        log.error(f"Badly formed '{path}' in {rc.name}: expected a mapping with 'sections'",
                  file=path, line=1, code="ta.yaml-syntax")
    elif not rc.fs.is_file(path):
        log.warning(f"Possible missing toc.yaml file in {manual.path} folder", file=path,
                    code="ta.missing-toc")
    manual.sections = [Section(slug, slug) for slug in rc.fs.listdir(manual.path)
                       if _SLUG.fullmatch(slug) and rc.fs.is_file(f"{manual.path}/{slug}/01.md")]


def _sections(items: object, manual: Manual, path: str, level: int,
              log: BuildLog) -> list[Section]:
    """The ``sections`` list of toc.yaml (nested), with Door43's warnings for bad entries."""
    found: list[Section] = []
    if level > MAX_DEPTH:
        if items:
            log.warning(f"Sections of '{manual.name}' nested deeper than {MAX_DEPTH} levels "
                        "are not shown", file=path, code="ta.toc-depth")
        return found
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        link = str(item.get("link") or "").strip() or None
        title = str(item.get("title") or "").strip()
        if link is not None and not _SLUG.fullmatch(link):
            log.warning(f"Bad link '{link}' in '{manual.name}' level {level}", file=path,
                        code="ta.bad-link")
            link = None
        if not title:
            log.warning(f"Title seems missing for '{manual.name}' level {level} '{link}'",
                        file=path, code="ta.toc-title")
        children = _sections(item.get("sections"), manual, path, level + 1, log)
        if link is None and not children:
            log.warning(f"'sections' seems empty for '{manual.name}' level {level} '{title}'",
                        file=path, code="ta.toc-empty")
            continue
        found.append(Section(title or link or "", link, children))
    return found


def _load_config(rc: RC, manual: Manual, log: BuildLog) -> None:
    path = f"{manual.path}/config.yaml"
    if not rc.fs.is_file(path):
        log.warning(f"Possible missing config.yaml file in {manual.path} folder", file=path,
                    code="ta.missing-config")
        return
    loaded = _read_yaml(rc, path, log)
    if loaded is None:
        return
    data, text = loaded
    if not isinstance(data, dict):
        log.error(f"Badly formed '{path}' in {rc.name}: expected a mapping of articles",
                  file=path, line=1, code="ta.yaml-syntax")
        return
    manual.config = {str(k): v for k, v in data.items() if isinstance(v, dict)}
    for match in _CONFIG_KEY.finditer(text):
        manual.config_lines.setdefault(match.group(1).strip(), text.count("\n", 0,
                                                                          match.start()) + 1)


def _check_articles(rc: RC, manual: Manual, log: BuildLog, links: LinkTable) -> None:
    """Find the present articles (register their files), report absent and unlisted ones."""
    listed = [s.slug for s in manual.walk() if s.slug]
    manual.listed = set(listed)
    twice = sorted(slug for slug, n in Counter(listed).items() if n > 1)
    if twice:
        log.warning(f"'{manual.name}' lists some articles more than once ({', '.join(twice)}): "
                    "each is shown once", file=f"{manual.path}/toc.yaml", code="ta.toc-duplicate")
    missing = []
    for slug in dict.fromkeys(listed):
        folder = f"{manual.path}/{slug}"
        if rc.fs.is_file(f"{folder}/01.md"):
            manual.present[slug] = ""
        else:
            missing.append(slug)
    unlisted = [name for name in rc.fs.listdir(manual.path) if name not in manual.present
                and _SLUG.fullmatch(name) and rc.fs.is_file(f"{manual.path}/{name}/01.md")]
    for slug in unlisted:
        log.warning(f"Article '{slug}' is not listed in {manual.path}/toc.yaml: shown at the "
                    f"end of the manual", file=f"{manual.path}/{slug}/01.md",
                    code="ta.unlisted-article")
        manual.sections.append(Section(slug, slug))
        manual.present[slug] = ""
        manual.listed.add(slug)
    if missing:
        shown = ", ".join(missing[:SHOWN_MISSING]) + (", …" if len(missing) > SHOWN_MISSING
                                                        else "")
        log.warning(f"'{manual.name}' lists {len(missing)} articles that are not in the "
                    f"repository ({shown}); links to them go to the published tA",
                    file=f"{manual.path}/toc.yaml", code="ta.missing-articles")
    toc_titles = {s.slug: s.title for s in manual.walk() if s.slug}
    for slug in manual.present:
        for name in ARTICLE_FILES:
            links.register_file(f"{manual.path}/{slug}/{name}", manual.url, _article_id(slug))
        title_file = f"{manual.path}/{slug}/title.md"
        title = _plain(_read(rc, title_file, log))
        if not title:
            log.warning(f"Missing title text in '{title_file}'", file=title_file,
                        code="ta.missing-title")
        manual.present[slug] = title or toc_titles.get(slug) or slug


def _read(rc: RC, path: str, log: BuildLog) -> str:
    """A file's text; empty when it is absent (the caller reports what is missing)."""
    if not rc.fs.is_file(path):
        return ""
    try:
        return rc.fs.read_text(path)
    except (OSError, ValueError) as exc:
        log.error(f"Unable to read '{path}': {exc}", file=path)
        return ""


def _plain(text: str) -> str:
    """One-line text of a title.md / sub-title.md (whitespace collapsed, heading marks removed)."""
    return " ".join(text.split()).strip("# ").strip()


def _known_titles(manuals: list[Manual]) -> dict[str, str]:
    """slug → title: of present articles from title.md, of absent ones from their ToC entry."""
    titles: dict[str, str] = {}
    for manual in manuals:
        for section in manual.walk():
            if section.slug:
                titles.setdefault(section.slug, section.title)
    for manual in manuals:
        titles.update(manual.present)
    return titles


class _ManualRenderer:
    """Renders one manual page: headings by ToC depth, boxes, in-page ToC, page TOC."""

    def __init__(self, rc: RC, manual: Manual, log: BuildLog, links: LinkTable,
                 titles: dict[str, str], where: dict[str, Manual]) -> None:
        self.rc, self.manual, self.log, self.links = rc, manual, log, links
        self.titles, self.where = titles, where
        self.containers = 0
        self.done: set[str] = set()
        #: Sections shown: those with a present article at or below them.
        self.alive: set[int] = set()
        self._mark(manual.sections)

    def page(self) -> Page:
        m = self.manual
        parts: list[str] = []
        toc = self._render(m.sections, 2, parts)
        esc = html.escape
        contents = (f'<details class="tx-ta-toc" open>\n<summary>{esc(m.toc_title)}</summary>\n'
                    f"{_toc_list(toc)}\n</details>\n") if toc else ""
        body = "\n".join(parts)
        return Page(
            path=f"{m.url.removesuffix('.html')}.md",
            title=m.title,
            html=f'<h1 id="tx-manual">{esc(m.title)}</h1>\n{contents}{body}\n',
            toc=[TocEntry(1, "tx-manual", m.title, toc)],
            template="ta.html",
            sources=[f for f in [f"{m.path}/toc.yaml", f"{m.path}/config.yaml",
                                 *(f"{m.path}/{s}/{n}" for s in m.present for n in ARTICLE_FILES)]
                     if self.rc.fs.is_file(f)],
            meta={"manual": m.name, "articles": len(m.present)},
        )

    def _mark(self, sections: list[Section]) -> bool:
        """Note which sections have a present article at or below them; True if any has."""
        alive = False
        for section in sections:
            if self._mark(section.children) or section.slug in self.manual.present:
                self.alive.add(id(section))
                alive = True
        return alive

    def _render(self, sections: list[Section], level: int, out: list[str]) -> list[TocEntry]:
        """Append the HTML of ``sections`` (and below) to ``out``; their TOC entries."""
        entries = []
        for section in sections:
            if id(section) not in self.alive:
                continue
            slug = section.slug
            present = slug in self.manual.present and slug not in self.done
            heading_level = min(level, 6)
            start = len(out)
            out.append("")  # the heading, filled in below
            if present and slug is not None:
                self.done.add(slug)
                anchor = _article_id(slug)
                title = self.manual.present[slug]
                out.append(self._article(slug, heading_level))
            else:
                self.containers += 1
                anchor, title = f"section-container-{self.containers}", section.title
            children = self._render(section.children, level + 1, out)
            esc = html.escape
            cls = "tx-ta-article-title" if present else "tx-ta-section"
            out[start] = (f'<h{heading_level} id="{esc(anchor)}" class="{cls}">{esc(title)}'
                          f"</h{heading_level}>")
            entries.append(TocEntry(heading_level, anchor, title, children))
        return entries

    def _article(self, slug: str, level: int) -> str:
        m = self.manual
        folder = f"{m.path}/{slug}"
        question = _plain(_read(self.rc, f"{folder}/sub-title.md", self.log))
        config = m.config.get(slug, {})
        top = []
        if question:
            top.append('<p class="tx-ta-question">This page answers the question: '
                       f"<em>{html.escape(question)}</em></p>")
        read_first = self._box_links(slug, "dependencies", config.get("dependencies"))
        if read_first:
            top.append('<p class="tx-ta-read-first">In order to understand this topic, it would '
                       f"be good to read:</p>\n{read_first}")
        text = _read(self.rc, f"{folder}/01.md", self.log)
        shallowest = min((len(h) for h in _MD_HEADING.findall(text)), default=level + 1)
        body = render_markdown(text, LinkContext(self.links, source=f"{folder}/01.md"),
                               shift_headings=max(0, level + 1 - shallowest))
        parts = []
        if top:
            parts.append('<div class="tx-ta-box tx-ta-top">\n' + "\n".join(top) + "\n</div>")
        parts.append(f'<div class="tx-ta-body">\n{body}\n</div>')
        next_up = self._box_links(slug, "recommended", config.get("recommended"))
        if next_up:
            parts.append('<div class="tx-ta-box tx-ta-bottom">\n<p class="tx-ta-next">Next we '
                         f"recommend you learn about:</p>\n{next_up}\n</div>")
        return "\n".join(parts) + "\n<hr>"

    def _home(self, slug: str) -> Manual | None:
        """The manual of an article named by slug: this one, one that has it, one that lists it."""
        m, found = self.manual, self.where.get(slug)
        if slug in m.present or (slug in m.listed and (found is None or slug not in found.present)):
            return m
        return found

    def _box_links(self, slug: str, kind: str, targets: object) -> str:
        """A list of links to the articles config.yaml names for ``slug`` (in any manual)."""
        if not isinstance(targets, list):
            return ""
        m = self.manual
        config = f"{m.path}/config.yaml"
        items = []
        for target in (str(t).strip() for t in targets if t is not None):
            label = html.escape(self.titles.get(target, target))
            manual = self._home(target)
            if manual is None or not _SLUG.fullmatch(target):
                self.log.warning(f"'{slug}' {kind}: tA article '{target}' is not in any manual "
                                 "of this repository", file=config,
                                 line=m.config_lines.get(slug), code="ta.unknown-article")
                items.append(f'<li><span class="tx-broken-link">{label}</span></li>')
                continue
            href = self.links.relative(
                posixpath.relpath(f"{manual.path}/{target}/01.md", m.path), source=config,
                line=m.config_lines.get(slug))
            items.append(f'<li><a href="{href}">{label}</a></li>')
        return f"<ul>\n{''.join(items)}\n</ul>" if items else ""


def _article_id(slug: str) -> str:
    """An article's anchor: its slug, under the one id policy (``__config`` is namespaced)."""
    return content_id(slug) or ""


def _toc_list(entries: list[TocEntry]) -> str:
    """The in-page ToC: nested lists, each section with articles below it collapsible."""
    esc = html.escape
    items = []
    for e in entries:
        link = f'<a href="#{esc(e.id)}">{esc(e.title)}</a>'
        if e.children:
            items.append(f"<li><details open><summary>{link}</summary>\n"
                         f"{_toc_list(e.children)}\n</details></li>")
        else:
            items.append(f"<li>{link}</li>")
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


TYPE = TaType()
