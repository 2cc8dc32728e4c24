"""Theme settings for mkdocs-material derived from a site, shared by the plugin and materialize.

Material ships UI translations and lunr search languages for a few dozen codes only; any other
code is a hard build error (``TemplateNotFound``) or breaks search, so codes are mapped to what
the installed Material actually ships, checked on disk rather than from a hard-coded list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from .core.model import Manifest, NavItem, Site, ThemeSettings
from .core.numerals import in_digits
from .pagefile import theme_text
from .registry import registry
from .uiwords import RIGHT_TO_LEFT, ui_words

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
SOURCE_TEMPLATES = Path(__file__).parent.parent / "templates"

#: Always on: pruned nav keeps per-page work independent of the size of the whole site;
#: toc.follow keeps the current chapter visible in the right-hand chapter list.
FEATURES = ["navigation.prune", "navigation.top", "navigation.footer", "search.highlight",
            "toc.follow"]
#: Never on, whatever a resource type asks: ``content.tooltips`` makes Material (9.x) put the
#: ``title`` of an element — the author's ``title`` attributes, and the text of every truncated
#: nav, header or footer title, which Material copies into one — into the page as HTML
#: (``innerHTML``) when it is hovered or focused: an escaped ``<img onerror>`` in a title runs.
#: The browser's own tooltips show the same text, as text.
UNSAFE_FEATURES = frozenset({"content.tooltips"})

#: Search separators, for a JavaScript RegExp without the ``u`` flag (Material's worker builds it
#: with ``new RegExp(separator)``):
#:
#: - whitespace, dashes and the punctuation of the scripts we meet — Latin, Greek (ano teleia,
#:   question mark), Hebrew (maqaf, paseq, sof pasuq, geresh), Arabic (comma, semicolon, question
#:   mark, full stop), Devanagari (danda), Ethiopic (word space and punctuation), CJK (ideographic
#:   punctuation, full-width forms) — so that words are never glued to their punctuation;
#:   apostrophes stay inside words (many orthographies use them as letters);
#: - a zero-width space (jieba's segment mark, when it is installed) or word joiner, except
#:   between Hebrew morphemes: the UHB joins prefixes to words with one of them, the word stays
#:   one token and the worker drops the joiner, so that a reader's unpointed ויהי finds it;
#: - a zero-width split before every CJK ideograph and kana: without jieba there is no Chinese
#:   segmenter, so each character is a token (Material splits a query into index terms).
_PUNCTUATION = (
    r"\s\-\u2010-\u2015\u2026.,;:!?\"()\[\]{}«»\u201c\u201d\u201e\u2039\u203a"
    r"\u00b7\u0387\u037e\u05be\u05c0\u05c3\u05c6\u05f3\u05f4\u060c\u061b\u061f\u06d4"
    r"\u0964\u0965\u1361-\u1368\u3000-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff0f"
    r"\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
)
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
SEARCH_SEPARATOR = f"[{_PUNCTUATION}]+|[\\u200b\\u2060](?![\\u0590-\\u05ff])|(?=[{_CJK}])"


def content_security_policy(*, remote_images: bool = True, inline_scripts: bool = False) -> str:
    """The Content-Security-Policy of every page (a ``<meta http-equiv>``: S3 serves no headers
    of ours).

    Scripts, workers, styles, fonts and fetches only from the site's own origin: no inline
    script runs (the theme's are files, see ``templates/partials/javascripts``), and a forged
    search worker URL (``data:``) cannot start. No plugins, no ``<base>``, no form posts, no
    frames. Images may come from other hosts (OBS pictures and tA figures live on
    cdn.door43.org) unless ``remote_images`` is false. ``inline_scripts``: for ``serve`` only,
    whose live reload is an inline script.
    """
    script = "'self' 'unsafe-inline'" if inline_scripts else "'self'"
    images = "'self' data: https: http:" if remote_images else "'self' data:"
    return "; ".join((
        "default-src 'self'", f"script-src {script}", "worker-src 'self'",
        "style-src 'self' 'unsafe-inline'", f"img-src {images}", "font-src 'self' data:",
        "connect-src 'self'", "media-src 'self'", "object-src 'none'", "frame-src 'none'",
        "base-uri 'self'", "form-action 'none'",
    ))


def templates_dir() -> Path:
    """Our shared Material overrides: inside the wheel, or the top-level ``templates/`` of a
    checkout."""
    return PACKAGE_TEMPLATES if PACKAGE_TEMPLATES.is_dir() else SOURCE_TEMPLATES


def template_dirs() -> list[Path]:
    """The theme folders before Material's: the shared overrides, then the ``templates/`` of each
    installed resource type that ships templates or stylesheets."""
    return [templates_dir(), *(t.templates_dir for t in registry() if t.templates or t.stylesheets)]


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


#: Content language codes (ISO 639-3, as Door43 manifests often use them) → the code under which
#: Material ships that language's UI strings. Sorani Kurdish (``ckb``) is ``ku-IQ`` in Material.
UI_LANGUAGE_ALIASES = {"ckb": "ku-IQ", "arb": "ar", "pes": "fa", "prs": "fa", "cmn": "zh",
                       "zsm": "ms", "nob": "nb", "nno": "nn", "hbs": "sh"}


def _match(code: str, shipped: dict[str, str]) -> str | None:
    code = code.strip().replace("_", "-").lower()
    return shipped.get(code) or shipped.get(code.split("-")[0])


def ui_language(code: str) -> str:
    """Material UI language for a content language code; ``en`` when Material has none."""
    shipped = _shipped("partials/languages", "*.html")
    alias = UI_LANGUAGE_ALIASES.get(code.strip().replace("_", "-").lower().split("-")[0], "")
    return _match(code, shipped) or _match(alias, shipped) or "en"


def search_language(code: str) -> str:
    """lunr language for search: the content language only if Material ships its stemmer."""
    found = _match(code, _shipped("assets/javascripts/lunr/min", "lunr.*.min.js"))
    return found if found and found not in ("multi", "stemmer.support") else "en"


#: Light and dark, following the reader's system setting, with a toggle in the header (its
#: ``name``: the word of :mod:`.uiwords` that says what it does). Colours are ``custom``: tx.css
#: sets the Door43 blue for both schemes.
PALETTE: list[dict[str, Any]] = [
    {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "custom",
     "accent": "custom", "toggle": {"icon": "material/weather-night", "name": "dark_mode"}},
    {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "custom",
     "accent": "custom", "toggle": {"icon": "material/weather-sunny", "name": "light_mode"}},
]


def site_words(site: Site) -> tuple[str, dict[str, str]]:
    """Our UI words (:func:`.uiwords.ui_words`) for the site's content language, and their
    ``lang``: the words of the templates and of the settings made here alike."""
    return ui_words(ui_language(site.manifest.language.identifier))


def theme_config(site: Site) -> dict[str, Any]:
    """``theme:`` settings for a site (besides ``name`` and the overrides dir)."""
    words = site_words(site)[1]
    return {
        "language": ui_language(site.theme.language),
        "direction": site.theme.direction,
        "font": False,
        "palette": [{**p, "toggle": {**p["toggle"], "name": words[p["toggle"]["name"]]}}
                    for p in PALETTE],
        "features": [f for f in dict.fromkeys([*FEATURES, *site.theme.features])
                     if f not in UNSAFE_FEATURES],
    }


def search_config(site: Site) -> dict[str, Any]:
    """Search language (only a stemmer Material ships) and script-aware separators.

    Matching also ignores diacritics (Hebrew points and accents, Greek accents and breathings,
    Arabic harakat): that is done in the browser by our search worker wrapper
    (``assets/javascripts/workers/tx-search.js``), for the index and the query alike.
    A resource type that sets its own ``search_separator`` keeps it.
    """
    separator = site.theme.search_separator
    if separator == ThemeSettings().search_separator:  # the core's default: ours is better
        separator = SEARCH_SEPARATOR
    return {"lang": [search_language(site.theme.language)], "separator": separator}


def nav_config(items: list[NavItem]) -> list[dict[str, Any]]:
    """MkDocs ``nav:`` form; titles escaped because themes print them unescaped."""
    return [
        {theme_text(i.title): i.path if i.path else nav_config(i.children)}
        for i in items
    ]


_CC_VERSIONS = ("1.0", "2.0", "2.5", "3.0", "4.0")
_CC_KINDS = ("by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd")
_CC = re.compile(r"(?:cc|creative commons)[ -]?(by(?:[ -](?:nc|sa|nd)){0,2})"
                 r"(?:[ -]?v?(\d\.\d))?(?:[ -](?:international|license|licence))*")
_CC0 = re.compile(r"(?:cc ?0|cc[ -]zero|creative commons zero)(?: ?v?1\.0)?(?: universal)?")
_PUBLIC_DOMAIN = re.compile(r"public[ -]domain")


def license_link(rights: str) -> dict[str, str]:
    """The license of ``rights`` as a reader sees it: ``name`` and ``url`` of its text.

    Creative Commons licenses (any spelling: ``CC BY-SA 4.0``, ``cc-by-sa-4.0``, ``Creative
    Commons BY 4.0 International``), CC0 and the public domain get their canonical name and a
    link; anything else keeps the manifest's text as it is, without a link.
    """
    text = " ".join(str(rights).split())
    key = text.lower().replace("_", " ").rstrip(".")
    if match := _CC.fullmatch(key):
        kind, version = re.sub(r"[ -]", "-", match[1]), match[2]
        if kind in _CC_KINDS and version in _CC_VERSIONS:
            return {"name": f"CC {kind.upper()} {version}",
                    "url": f"https://creativecommons.org/licenses/{kind}/{version}/"}
    if _CC0.fullmatch(key):
        return {"name": "CC0 1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"}
    if _PUBLIC_DOMAIN.fullmatch(key):
        return {"name": "Public domain",
                "url": "https://creativecommons.org/publicdomain/mark/1.0/"}
    return {"name": text, "url": ""}


def attribution(manifest: Manifest) -> dict[str, Any]:
    """Who made the resource and under which license, for the footer and the About page (CC BY
    and CC BY-SA require this attribution). Plain text: the templates escape it."""
    def source(item: dict[str, Any]) -> str:
        name = "/".join(str(item[k]) for k in ("language", "identifier") if item.get(k))
        return name + (f" v{item['version']}" if item.get("version") else "")

    creator = "" if manifest.creator == Manifest.creator else manifest.creator
    return {"license": license_link(manifest.rights), "rights": manifest.rights,
            "creator": creator, "publisher": manifest.publisher,
            "contributors": [str(c) for c in manifest.contributor],
            "sources": [s for s in map(source, manifest.source) if s]}


def downloads(site: Site, source_url: str, pdfs: Sequence[Any] = ()) -> list[dict[str, str]]:
    """The header's Downloads menu and the About page's list: ``label``, ``href``, ``kind``.

    ``pdfs``: the PDFs made (``path`` in the site, ``title``), the whole resource first.
    The hook for other downloads: append entries here; the templates list them all.
    """
    fmt = site.manifest.format.lower()
    kind = next((name for key, name in (("usfm", "USFM"), ("tsv", "TSV"), ("markdown", "Markdown"))
                 if key in fmt), "")
    files = site_words(site)[1]["source_files"]
    label = f"{files} ({kind}, ZIP)" if kind else f"{files} (ZIP)"
    return [{"label": label, "href": source_url, "kind": "source"},
            *({"label": f"PDF: {pdf.title}", "href": pdf.path, "kind": "pdf"} for pdf in pdfs)]


def extra_config(site: Site) -> dict[str, Any]:
    """Values for our templates, under ``config.extra.tx``."""
    m = site.manifest
    ui = ui_language(m.language.identifier)
    ui_lang, words = site_words(site)
    credit = attribution(m)
    # the footer's count of contributors, in the site's digits like every number it writes
    credit["contributors_shown"] = in_digits(str(len(credit["contributors"])), site.theme.digits)
    return {
        "language": {"identifier": m.language.identifier, "title": m.language.title,
                     "direction": m.language.direction},
        # Material lacks the content's language: its UI strings are English (lang="en").
        "ui_language": ui,
        "ui_fallback": ui == "en" and _match(m.language.identifier, {"en": "en"}) is None,
        # our own UI words (uiwords.py), in Material's UI language where we have it
        "ui_lang": ui_lang,
        "ui_dir": "rtl" if ui_lang in RIGHT_TO_LEFT else "ltr",
        "ui": words,
        "attribution": credit,
        "digits": site.theme.digits,
        "title": m.title,
        "identifier": m.identifier,
        "version": m.version,
        "subject": site.subject,
        "body_class": site.theme.body_class,
        # The build's content status when the pages were made; the page refreshes it from
        # build_log.json (which may say "started" while a publish is still uploading).
        "status": site.log.status,
        "errors": len(site.log.errors),
        "warnings": len(site.log.warnings),
        "csp": content_security_policy(),
    }
