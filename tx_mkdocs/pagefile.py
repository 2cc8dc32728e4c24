"""The on-disk / in-memory form of a core page, as MkDocs (or ProperDocs, Zensical) reads it.

The core renders every page to safe HTML itself, so it must not pass through Markdown again
(slow, and it would re-interpret text). A page file is YAML front matter (title, template, meta)
and a marker line with the table of contents, followed by the HTML; the Markdown extension in
:mod:`tx_mkdocs.mdext` stores that HTML untouched and hands the TOC to the theme.

Titles, TOC names (and their ``html``) and TOC ids are escaped here with :func:`theme_text`,
because MkDocs themes print them unescaped (Jinja's autoescape is off in MkDocs; Zensical's
minijinja prints them as they are too), in text and in attributes.
"""

from __future__ import annotations

import html
import json

import yaml

from .core.model import Page, TocEntry

MARKER = "<!-- tx-page "
MARKER_END = " -->"
#: libyaml's emitter where PyYAML has it: a Bible's front matter (every book's chapter list) is
#: written 4× faster, and reads back as the same data (non-BMP characters come out escaped).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def theme_text(text: str) -> str:
    """Repository text (a title, a nav or TOC entry, an id) as MkDocs and Material templates
    need it: they print it as it is, as text (``<title>{{ page.title }}``) and in attributes
    (``aria-label="{{ config.site_name }}"``, ``href="{{ toc_item.url }}"``), so every
    character HTML gives meaning is escaped, quotes included. The one escaping for all of them
    (the site name, nav titles, page titles, TOC names and ids)."""
    return html.escape(text, quote=True)


def _toc_tokens(entries: list[TocEntry]) -> list[dict]:
    """Python-Markdown ``toc_tokens`` shape, all its keys (Zensical reads every one): ``name``
    is the heading's text as HTML and ``html`` its inner HTML (the toc extension makes both; our
    titles are plain text, so both are the escaped title), and ``data-toc-label`` is empty, as
    for a heading without that attribute."""
    tokens = []
    for e in entries:
        title = theme_text(e.title)
        tokens.append({"level": e.level, "id": theme_text(e.id), "name": title, "html": title,
                       "data-toc-label": "", "children": _toc_tokens(e.children)})
    return tokens


def page_source(page: Page, *, lang: str, direction: str, body_class: str) -> str:
    """The page file text: front matter, TOC marker line, content wrapped with lang/dir."""
    meta = {"title": theme_text(page.title), **page.meta}
    if page.template:
        meta["template"] = page.template
    front = yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)
    toc = json.dumps({"toc": _toc_tokens(page.toc)}, ensure_ascii=True).replace("--", "-\\u002d")
    cls = " ".join(c for c in ("tx-content", body_class) if c)
    return (f"---\n{front}---\n{MARKER}{toc}{MARKER_END}\n"
            f'<div class="{html.escape(cls)}" lang="{html.escape(lang)}" '
            f'dir="{html.escape(direction)}">\n{page.html}\n</div>\n')


def parse_marker(line: str) -> list[dict] | None:
    """The TOC tokens of a marker line, or None if ``line`` is not a tx page marker."""
    if not (line.startswith(MARKER) and line.endswith(MARKER_END)):
        return None
    try:
        data = json.loads(line[len(MARKER):-len(MARKER_END)])
    except ValueError:
        return None
    return data.get("toc", []) if isinstance(data, dict) else None
