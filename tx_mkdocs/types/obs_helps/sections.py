"""The page of one story's helps, whatever form they came in (Markdown per frame or TSV rows).

``NN.html``: the story heading, an optional story introduction (``NN-intro``), then a section per
frame headed ``NN-FF`` with that id — the anchor Door43 gave OBS helps, and the one
``rc://*/obs-tn/help/obs/NN/FF`` links point to.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from ...core.model import Page, TocEntry
from ..obsstories.stories import frame_id

TEMPLATE = "obs_helps.html"


@dataclass
class StoryHelps:
    """Rendered help sections of one story (``01``), or of ``front`` (an intro only)."""

    key: str
    title: str = ""
    intro: str = ""
    #: frame number → rendered HTML of its helps.
    frames: dict[int, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


def help_page(helps: StoryHelps, fallback_title: str) -> Page:
    """The page of a story's helps: intro first, then the frames in order."""
    title = helps.title or fallback_title
    parts = [f'<h1 class="obs-title">{html.escape(title)}</h1>']
    if helps.intro:
        parts.append(f'<section class="obs-help-intro" id="{helps.key}-intro">\n{helps.intro}\n'
                     "</section>")
    toc = []
    for frame in sorted(helps.frames):
        fid = frame_id(int(helps.key), frame)
        parts.append(f'<section class="obs-help-frame">\n<h2 class="obs-frame-title" id="{fid}">'
                     f"{fid}</h2>\n{helps.frames[frame]}\n</section>")
        toc.append(TocEntry(2, fid, fid))
    return Page(path=f"{helps.key}.md", title=title, html="\n".join(parts), toc=toc,
                template=TEMPLATE, sources=helps.sources,
                meta={"story": helps.key, "frames": len(helps.frames)})
