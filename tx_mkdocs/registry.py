"""The resource types installed: the entry points of the group ``tx_mkdocs.types``.

Each entry point names a :class:`~tx_mkdocs.core.resource.ResourceType` instance
(``bible = "tx_mkdocs.types.bible:TYPE"``), so a type can also ship as a package of its own, as
mkdocstrings' handlers do. Each is checked when it is loaded: a type that is not a
``ResourceType``, whose entry point is not its ``name``, or whose declared templates or
stylesheets are missing from its folder is refused with the reason (not later, when MkDocs
would fail with ``TemplateNotFound``).
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points

from .core.links import Titles
from .core.rc import Related
from .core.resource import ResourceType

GROUP = "tx_mkdocs.types"


class TypeRegistrationError(RuntimeError):
    """An installed resource type is broken: the message says which one, and why."""


@cache
def registry() -> tuple[ResourceType, ...]:
    """All resource types installed, in the order of their names (the first type claiming a
    subject wins)."""
    return tuple(_loaded(point) for point in sorted(entry_points(group=GROUP),
                                                     key=lambda p: p.name))


def _loaded(point: EntryPoint) -> ResourceType:
    """The type an entry point names, checked."""
    rtype = point.load()
    if not isinstance(rtype, ResourceType):
        raise TypeRegistrationError(f"entry point {point.name} = {point.value} of {GROUP} is "
                                    f"not a ResourceType but {type(rtype).__name__}")
    if rtype.name != point.name:
        raise TypeRegistrationError(f"entry point {point.name} = {point.value} of {GROUP} names "
                                    f"the type '{rtype.name}': the two names must be the same")
    if missing := rtype.missing_files():
        raise TypeRegistrationError(f"resource type {point.name} ({point.value}) declares files "
                                    f"missing from {rtype.templates_dir}: {', '.join(missing)}")
    return rtype


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


def related_titles(related: Related) -> Titles:
    """The titles of the related resources' articles (tA, tW …), for the links that lead to
    them: (language, resource) → (page, anchor) → title."""
    found: Titles = {}
    for other in related.resources:
        rtype = type_for(other.subject)
        resource = other.manifest.identifier.lower()
        if rtype is not None and resource in rtype.rc_resources:
            key = (other.manifest.language.identifier.lower(), resource)
            found.setdefault(key, rtype.titles(other))
    return found


def related_relation(related: Related) -> list[str]:
    """The related resources as ``relation`` entries (``en/ta``): links to them lead to the
    published edition of the one given."""
    return [f"{o.manifest.language.identifier}/{o.manifest.identifier.lower()}"
            for o in related.resources]
