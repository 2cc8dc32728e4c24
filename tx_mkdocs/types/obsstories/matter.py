"""The front and back matter of OBS and OBS helps (``front.md`` or ``front/intro.md`` with an
optional title file), and a page of one Markdown text."""

from __future__ import annotations

import html

from ...core.links import LinkTable
from ...core.log import BuildLog
from ...core.markup import LinkContext, atx_heading, render_markdown
from ...core.model import Page
from ...core.rc import RC
from .stories import BACK, FRONT, join, read

MATTER_TITLES = {FRONT: "Front Matter", BACK: "Back Matter"}


def register_matter(rc: RC, folder: str, links: LinkTable,
                    ) -> dict[str, tuple[str | None, str | None]]:
    """(title file, text file) of the front and back matter (``front.md`` or
    ``front/intro.md``), registered for links before anything is rendered."""
    found = {}
    for key in (FRONT, BACK):
        sub = join(folder, key)
        candidates = ([f"{sub}/title.md", f"{sub}/title.txt"],
                      [join(folder, f"{key}.md"), f"{sub}/intro.md", f"{sub}/intro.txt"])
        title, intro = (next((c for c in group if rc.fs.is_file(c)), None)
                        for group in candidates)
        found[key] = (title, intro)
        for path in filter(None, found[key]):
            links.register_file(path, f"{key}.html")
    return found


def text_page(rc: RC, key: str, sources: tuple[str | None, str | None], template: str,
              fallback_title: str, log: BuildLog, links: LinkTable, *,
              shift_headings: int = 0) -> Page | None:
    """A page ``key.html`` of one Markdown text (front/back matter, a whole-story help file).

    The title comes from the title file, else the text's own leading ``# heading`` (which then
    is the page heading), else ``fallback_title``; None when the text is missing.
    """
    title_path, text_path = sources
    text = read(rc.fs, text_path, log) if text_path else None
    if text_path is None or text is None:
        return None
    first_line = next((line for line in text.split("\n") if line.strip()), "")
    own = atx_heading(first_line) if first_line.lstrip().startswith("# ") else None
    title_text = (read(rc.fs, title_path, log) or "").strip() if title_path else ""
    if title_text:
        first = title_text.split("\n")[0]
        title = atx_heading(first) or first.strip()
    else:
        title = own or fallback_title
    context = LinkContext(links, text_path)
    if own and not title_text:
        body = render_markdown(text, context)
    else:
        body = (f'<h1 class="obs-title">{html.escape(title)}</h1>\n'
                + render_markdown(text, context, shift_headings=shift_headings))
    return Page(path=f"{key}.md", title=title, html=body, template=template,
                sources=[p for p in sources if p], meta={"story": key})
