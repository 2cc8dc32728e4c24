"""Plain data passed between the core, the resource types and the adapters.

Nothing here knows about MkDocs: an adapter turns a :class:`Site` into MkDocs files and nav,
or into a ``docs/`` folder on disk.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from .changes import Item, dump_record, load_record
from .limits import MAX_PAGE_NAME_BYTES
from .log import BuildLog
from .numerals import WESTERN_DIGITS

_UNSAFE_NAME = re.compile(r"[^\w.-]+")
#: A page path as pages may have one: relative, folders and names of word characters, dots and
#: hyphens (no ``..``), ending in ``.md``.
_PAGE_PATH = re.compile(r"(?:(?!\.\.?/)[\w.-]+/)*(?!\.\.?\.md$)[\w.-]+\.md")


def page_stem(text: str) -> str:
    """A page file name (without ``.html``) made from repository text: a file or folder name,
    a manual or book identifier. Unsafe characters become ``-``; a name longer than
    :data:`~tx_mkdocs.core.limits.MAX_PAGE_NAME_BYTES` is shortened, with a hash to keep it
    unique."""
    stem = _UNSAFE_NAME.sub("-", text).strip("-.") or "page"
    encoded = stem.encode("utf-8")
    if len(encoded) > MAX_PAGE_NAME_BYTES:
        digest = hashlib.sha256(encoded).hexdigest()[:10]
        head = encoded[:MAX_PAGE_NAME_BYTES - 11].decode("utf-8", "ignore").rstrip("-.")
        stem = f"{head}-{digest}"
    return stem


def page_path_problem(path: str) -> str | None:
    """Why a page path is unsafe to write and link (None if it is fine)."""
    if len(path) > 4096 or not _PAGE_PATH.fullmatch(path):
        return "not a relative path of word characters, dots and hyphens ending in .md"
    if any(len(part.encode("utf-8")) > MAX_PAGE_NAME_BYTES + 3 for part in path.split("/")):
        return f"a part is longer than {MAX_PAGE_NAME_BYTES} bytes"
    return None


@dataclass
class Language:
    identifier: str = "en"
    title: str = "English"
    direction: str = "ltr"  # "ltr" | "rtl"


@dataclass
class Project:
    """One entry of the manifest's ``projects`` list (a book, a manual, the stories …)."""

    identifier: str
    title: str = ""
    path: str = "./"
    sort: int = 1
    categories: list[str] = field(default_factory=list)
    versification: str = "kjv"


@dataclass
class Manifest:
    """The normalized RC manifest, whatever file (or none) it came from."""

    identifier: str
    title: str
    subject: str
    language: Language = field(default_factory=Language)
    description: str = ""
    format: str = ""
    type: str = "book"
    version: str = "1"
    conformsto: str = "pre-rc"
    issued: str = ""
    modified: str = ""
    rights: str = "CC BY-SA 4.0"
    creator: str = "Unknown Creator"
    publisher: str = "Door43"
    contributor: list[str] = field(default_factory=list)
    source: list[dict[str, Any]] = field(default_factory=list)
    relation: list[str] = field(default_factory=list)
    checking_entity: list[str] = field(default_factory=lambda: ["Wycliffe Associates"])
    checking_level: str = "1"
    projects: list[Project] = field(default_factory=list)
    #: Which file the manifest came from (``manifest.yaml``, ``manifest.json``, …) or None.
    origin: str | None = None

    def to_rc(self) -> dict[str, Any]:
        """RC 0.2 shape (``dublin_core`` / ``checking`` / ``projects``) for ``manifest.json``."""
        dc = asdict(self)
        projects = dc.pop("projects")
        checking = {
            "checking_entity": dc.pop("checking_entity"),
            "checking_level": dc.pop("checking_level"),
        }
        dc.pop("origin")
        return {"dublin_core": dc, "checking": checking, "projects": projects}


@dataclass
class TocEntry:
    """A heading of a page: shown in the page's table of contents."""

    level: int
    id: str
    title: str
    children: list[TocEntry] = field(default_factory=list)


@dataclass
class Page:
    """One page of the site, already rendered to (safe) HTML by the core.

    ``path`` is the source-style name (``41-MAT.md``); the output is ``41-MAT.html``.
    """

    path: str
    title: str
    html: str
    toc: list[TocEntry] = field(default_factory=list)
    #: Template of ``templates/`` used for this page (``bible.html``, …).
    template: str | None = None
    #: Repo-relative files this page was made from (for incremental rebuilds and watching).
    sources: list[str] = field(default_factory=list)
    #: Extra key/values for the templates (``page.meta`` in MkDocs).
    meta: dict[str, Any] = field(default_factory=dict)
    #: The page's content record (:mod:`~tx_mkdocs.core.changes`) when its type made it with
    #: the page, where the page was rendered (a worker process); None: read from the final
    #: page when asked for. An item whose HTML still had links to resolve has no source hash.
    items: list[Item] | None = None

    @property
    def url(self) -> str:
        return self.path.rsplit(".", 1)[0] + ".html"


@dataclass
class NavItem:
    """A nav entry: a page (``path`` set) or a section (``children`` set)."""

    title: str
    path: str | None = None
    children: list[NavItem] = field(default_factory=list)


@dataclass
class ThemeSettings:
    """What the theme needs to know: content language, direction, features, search settings."""

    language: str = "en"
    direction: str = "ltr"
    features: list[str] = field(default_factory=list)
    #: Door43 resource-type CSS class put on the body / content wrapper (``bible``, ``obs`` …).
    body_class: str = ""
    #: The digits of the numbers the site writes itself (:mod:`.numerals`; ids and URLs aside).
    digits: str = WESTERN_DIGITS
    search_separator: str = r"[\s\u200b\u2060\-、。，．！？；：]+"


@dataclass
class Site:
    """Everything an adapter needs to produce a website."""

    name: str
    manifest: Manifest
    subject: str
    input_format: str
    pages: list[Page]
    nav: list[NavItem]
    theme: ThemeSettings
    log: BuildLog = field(default_factory=BuildLog)
    #: Seconds spent per core stage (``load``, ``render``, ``record``).
    timings: dict[str, float] = field(default_factory=dict)
    #: The content record: what a later build is compared with (core/changes.py); or, while it
    #: is made beside the rest of the build (build.py), what gives its bytes when they are
    #: needed. :attr:`items` and :meth:`record_bytes` read either.
    record: list[Item] | Callable[[], bytes] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        """The content record's items (waiting for them while they are being made)."""
        if callable(self.record):
            self.record = load_record(self.record())
        return self.record

    def record_bytes(self) -> bytes:
        """The content record as it is written with the site."""
        return self.record() if callable(self.record) else dump_record(self.record)

    def page(self, path: str) -> Page | None:
        return next((p for p in self.pages if p.path == path), None)
