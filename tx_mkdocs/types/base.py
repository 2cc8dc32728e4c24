"""What a resource type module provides, and the registry that finds them.

A resource type is a subpackage of :mod:`tx_mkdocs.types` exposing ``TYPE``, an instance of a
:class:`ResourceType` subclass. Adding a type means adding a folder: nothing else is touched.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import cache
from typing import ClassVar

from ..core.links import LinkTable
from ..core.log import BuildLog
from ..core.model import NavItem, Page
from ..core.rc import RC


@dataclass
class TypeOutput:
    """What a type makes of a repository: pages in reading order, their nav, the input format."""

    pages: list[Page] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)
    input_format: str = "md"
    #: Door43 body class for the theme (``bible``, ``obs``, ``tn`` …).
    body_class: str = ""

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

    def build(self, rc: RC, log: BuildLog, links: LinkTable) -> TypeOutput:
        """Render the repository; Markdown links go through ``links`` (see core/markup.py)."""
        raise NotImplementedError

    def rc_target(self, parts: list[str]) -> tuple[str, str] | None:
        """Page url and anchor for the path parts of ``rc://lang/<resource>/<parts…>``.

        Must work without the repository (the target may be another resource's site).
        """
        return None

    def path_target(self, path: str) -> tuple[str, str] | None:
        """Page url and anchor of a repo file of this type, even one absent from the repo."""
        return None


@cache
def registry() -> tuple[ResourceType, ...]:
    """All resource types found under :mod:`tx_mkdocs.types`."""
    import tx_mkdocs.types as package

    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.ispkg:
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            if isinstance(getattr(module, "TYPE", None), ResourceType):
                found.append(module.TYPE)
    return tuple(found)


def known_identifiers() -> dict[str, str]:
    return {k: v for t in registry() for k, v in t.identifiers.items()}


def known_subjects() -> set[str]:
    return {s for t in registry() for s in t.subjects}


def type_for(subject: str) -> ResourceType | None:
    return next((t for t in registry() if subject in t.subjects), None)


def rc_target(resource: str, parts: list[str]) -> tuple[str, str] | None:
    """Page and anchor of an rc:// path, asking the type that publishes ``resource``."""
    rtype = next((t for t in registry() if resource in t.rc_resources), None)
    return rtype.rc_target(parts) if rtype is not None else None
