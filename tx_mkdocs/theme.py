"""Theme settings for mkdocs-material derived from a site, shared by the plugin and materialize.

Material ships UI translations and lunr search languages for a few dozen codes only; any other
code is a hard build error (``TemplateNotFound``) or breaks search, so codes are mapped to what
the installed Material actually ships, checked on disk rather than from a hard-coded list.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from .core.model import NavItem, Site

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
SOURCE_TEMPLATES = Path(__file__).parent.parent / "templates"

#: Always on: pruned nav keeps per-page work independent of the size of the whole site.
FEATURES = ["navigation.prune", "navigation.top", "navigation.footer", "search.highlight",
            "content.tooltips"]


def templates_dir() -> Path:
    """Our Material overrides: inside the wheel, or the top-level ``templates/`` of a checkout."""
    return PACKAGE_TEMPLATES if PACKAGE_TEMPLATES.is_dir() else SOURCE_TEMPLATES


@cache
def _material_dir() -> Path | None:
    try:
        import material
    except ImportError:
        return None
    return Path(material.__file__).parent / "templates"


@cache
def _shipped(folder: str, pattern: str) -> dict[str, str]:
    """Lower-cased code → code as shipped, from Material's files."""
    base = _material_dir()
    if base is None or not (base / folder).is_dir():
        return {}
    prefix, suffix = pattern.split("*")
    names = [p.name[len(prefix):-len(suffix)] for p in (base / folder).glob(pattern)]
    return {n.lower(): n for n in names}


def _match(code: str, shipped: dict[str, str]) -> str | None:
    code = code.strip().replace("_", "-").lower()
    return shipped.get(code) or shipped.get(code.split("-")[0])


def ui_language(code: str) -> str:
    """Material UI language for a content language code; ``en`` when Material has none."""
    return _match(code, _shipped("partials/languages", "*.html")) or "en"


def search_language(code: str) -> str:
    """lunr language for search: the content language only if Material ships its stemmer."""
    found = _match(code, _shipped("assets/javascripts/lunr/min", "lunr.*.min.js"))
    return found if found and found not in ("multi", "stemmer.support") else "en"


def theme_config(site: Site) -> dict[str, Any]:
    """``theme:`` settings for a site (besides ``name`` and the overrides dir)."""
    return {
        "language": ui_language(site.theme.language),
        "direction": site.theme.direction,
        "font": False,
        "features": list(dict.fromkeys([*FEATURES, *site.theme.features])),
    }


def search_config(site: Site) -> dict[str, Any]:
    return {"lang": [search_language(site.theme.language)],
            "separator": site.theme.search_separator}


def nav_config(items: list[NavItem]) -> list[dict[str, Any]]:
    """MkDocs ``nav:`` form; titles escaped because themes print them unescaped."""
    import html

    return [
        {html.escape(i.title, quote=False): i.path if i.path else nav_config(i.children)}
        for i in items
    ]


def extra_config(site: Site) -> dict[str, Any]:
    """Values for our templates, under ``config.extra.tx``."""
    m = site.manifest
    return {
        "language": {"identifier": m.language.identifier, "title": m.language.title,
                     "direction": m.language.direction},
        "title": m.title,
        "identifier": m.identifier,
        "version": m.version,
        "subject": site.subject,
        "body_class": site.theme.body_class,
    }
