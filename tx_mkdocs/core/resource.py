"""The resource-type contract: what a type is given and what it returns.

A resource type is an instance of a :class:`ResourceType` subclass, exposed as ``TYPE`` by its
package and registered under the entry-point group ``tx_mkdocs.types`` (see
:mod:`tx_mkdocs.registry`). The contract lives in the core so that types depend on the core only,
and a type can ship as a package of its own.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from .changes import Item
from .links import LinkTable
from .log import BuildLog
from .model import NavItem, Page
from .numerals import WESTERN_DIGITS
from .rc import RC
from .search import search_entries


@dataclass
class TypeOutput:
    """What a type makes of a repository: pages in reading order, their nav, the input format."""

    pages: list[Page] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)
    input_format: str = "md"
    #: Door43 body class for the theme (``bible``, ``obs``, ``tn`` …).
    body_class: str = ""
    #: The digits the site's generated numbers are shown in (:mod:`.numerals`): a Bible's own.
    digits: str = WESTERN_DIGITS

    @classmethod
    def flat(cls, pages: list[Page], **fields: str) -> TypeOutput:
        """Pages with a nav of one entry per page, in the same order."""
        return cls(pages=pages, nav=[NavItem(p.title, p.path) for p in pages], **fields)


class ResourceType:
    """Base class: one Door43 resource family (Bible, OBS, tN …)."""

    #: Short name of the type (module name).
    name: str = ""
    #: Door43 subjects (spaces as underscores) this type renders.
    subjects: tuple[str, ...] = ()
    #: RC identifiers implying one of the subjects, beyond Door43's map in ``core/rc.py``.
    identifiers: ClassVar[dict[str, str]] = {}
    #: Resource identifiers whose ``rc://`` paths this type maps to pages (``ta``, ``ult`` …).
    rc_resources: tuple[str, ...] = ()
    #: Page templates of this type, in :attr:`templates_dir` (``tn.html``); they may extend the
    #: shared ones (``main.html``, ``helps.html``). Checked when the type is registered.
    templates: ClassVar[tuple[str, ...]] = ()
    #: Stylesheets its templates link, in ``assets/stylesheets/`` of :attr:`templates_dir`
    #: (published at ``assets/stylesheets/<name>``). Checked when the type is registered.
    stylesheets: ClassVar[tuple[str, ...]] = ()

    @property
    def templates_dir(self) -> Path:
        """The ``templates/`` folder next to the module that defines the type's class: a type
        ships its templates in its own folder (or package)."""
        return Path(sys.modules[type(self).__module__].__file__ or ".").parent / "templates"

    def missing_files(self) -> list[str]:
        """Declared templates and stylesheets that are not in :attr:`templates_dir`."""
        declared = [*self.templates, *(f"assets/stylesheets/{s}" for s in self.stylesheets)]
        return [name for name in declared if not (self.templates_dir / name).is_file()]

    def build(self, rc: RC, log: BuildLog, links: LinkTable) -> TypeOutput:
        """Render the repository; Markdown links go through ``links`` (see core/markup.py)."""
        raise NotImplementedError

    def items(self, rc: RC, output: TypeOutput) -> list[Item]:
        """The content record of the built pages (:mod:`~tx_mkdocs.core.changes`), what a
        reviewer compares between builds: by default one item per heading section; a type with
        finer units (verses, TSV rows, frames) gives those, with stable keys."""
        return section_items(output.pages)

    def rc_target(self, parts: list[str]) -> tuple[str, str] | None:
        """Page url and anchor for the path parts of ``rc://lang/<resource>/<parts…>``.

        Must work without the repository (the target may be another resource's site).
        """
        return None

    def path_target(self, path: str) -> tuple[str, str] | None:
        """Page url and anchor of a repo file of this type, even one absent from the repo."""
        return None

    def titles(self, rc: RC) -> dict[tuple[str, str], str]:
        """The titles of the articles of ``rc`` (a related repository of this type), by their
        (page url, anchor) as :meth:`rc_target` gives them: links to them read the title
        ("Abstract Nouns") rather than the slug. Read without rendering anything."""
        return {}


def section_items(pages: Iterable[Page]) -> list[Item]:
    """One item per heading section of each page (its search entry): articles and frames for
    types that say nothing more precise."""
    items = []
    for page in pages:
        for entry in search_entries(page):
            href = page.url + (f"#{entry.anchor}" if entry.anchor else "")
            label = html.unescape(entry.title)
            text = html.unescape(entry.text)
            if text:
                items.append(Item.of(href, page.title, label, href, text))
    return items
