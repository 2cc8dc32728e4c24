"""OBS helps in TSV (``tn_OBS.tsv``, ``tq_OBS.tsv``, ``sn_OBS.tsv``, ``sq_OBS.tsv``,
``twl_OBS.tsv``): rows placed by ``Reference`` (``1:2`` = story 1 frame 2, ``1:intro``,
``front:intro``), each row in its frame's section with its ``ID`` as anchor.

The old pipeline never rendered these. Rows are checked as the Bible-book helps' rows are, with
the same codes and wording (``tsvhelps``: IDs, Occurrence, whitespace, links); a row that cannot
be placed is reported with its line and left out, never the rest of the file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from ...core.links import LinkTable
from ...core.log import BuildLog
from ...core.markup import LinkContext, note_text, render_markdown
from ...core.model import Page
from ...core.rc import RC
from ...core.tsv import Row, read_tsv
from ..obsstories.stories import FRONT, frame_count, is_story, read, story_key
from ..tsvhelps import COLUMNS, RowChecks, support_reference, tw_link
from .sections import StoryHelps, help_page

_REFERENCE = re.compile(r"^\s*(front|\d{1,3})\s*:\s*(intro|title|\d{1,3})(?:\s*[-–,].*)?\s*$",
                        re.I)
Place = tuple[str, int]  # (story key or "front", frame number; 0 = the intro)
Renderer = Callable[[Row, "str | None", LinkContext, RowChecks], str]


@dataclass(frozen=True)
class Layout:
    """The columns of one kind of OBS helps TSV and how a row of it is shown."""

    columns: list[str]
    render: Renderer
    #: Rows are ``<li>`` items, shown in a list.
    listed: bool = False


def build_tsv(rc: RC, kind: str, files: list[str], log: BuildLog,
              links: LinkTable) -> list[Page]:
    """A page per story (``NN.html``) and ``front.html``, from the rows of every TSV file."""
    stories: dict[str, dict[int, list[tuple[bool, str]]]] = {}
    sources: dict[str, dict[str, None]] = {}
    ids: set[str] = set()  # across files: the rows of several files can share a page
    for path in files:
        text = read(rc.fs, path, log)
        if text is None:
            continue
        layout = _layout(text, LAYOUTS[kind])
        checks = RowChecks(log, path, ids=ids)
        for row in read_tsv(text, source=path, log=log, expected=layout.columns).rows:
            place = _place(row, path, log)
            if place is None:
                continue
            anchor = checks.check(row, "")
            rendered = layout.render(row, anchor, LinkContext(links, path, row.line), checks)
            stories.setdefault(place[0], {}).setdefault(place[1], []).append(
                (layout.listed, rendered))
            sources.setdefault(place[0], {})[path] = None
    pages = []
    for key in sorted(stories, key=lambda k: -1 if k == FRONT else int(k)):
        helps = StoryHelps(key, sources=list(sources[key]))
        for frame, rows in stories[key].items():
            body = _join(rows)
            if frame == 0:
                helps.intro = body
            else:
                helps.frames[frame] = body
        pages.append(help_page(helps, rc.manifest.title if key == FRONT else key))
    return pages


def _join(rows: list[tuple[bool, str]]) -> str:
    """Rows of a frame, with runs of list rows wrapped in their list."""
    parts = []
    for listed, run in groupby(rows, key=lambda r: r[0]):
        items = "\n".join(html_ for _, html_ in run)
        parts.append(f'<ul class="obs-twl">\n{items}\n</ul>' if listed else items)
    return "\n".join(parts)


def _layout(text: str, default: Layout) -> Layout:
    """The known layout the file's header has (else the subject's, whose header read_tsv checks)."""
    header = [cell.strip() for cell in text.split("\n", 1)[0].split("\t")]
    return next((layout for layout in LAYOUTS.values() if layout.columns == header), default)


def _place(row: Row, path: str, log: BuildLog) -> Place | None:
    """Where a row goes: (``NN`` or ``front``, frame or 0 for the intro); None if nowhere."""
    match = _REFERENCE.match(row["Reference"])
    if not match:
        log.warning(f"Bad reference '{row['Reference']}'", file=path, line=row.line,
                    code="obs.bad-reference")
        return None
    story, frame = match.group(1).lower(), match.group(2).lower()
    frame_number = int(frame) if frame.isdigit() else 0
    if story == FRONT:
        return FRONT, 0
    if not is_story(int(story)):
        log.warning(f"Bad story number '{story}' in reference '{row['Reference']}'", file=path,
                    line=row.line, code="obs.bad-reference")
        return None
    if frame_number > frame_count(int(story)):
        log.warning(f"Bad frame number in reference '{row['Reference']}' (story {story} has "
                    f"{frame_count(int(story))} frames)", file=path, line=row.line,
                    code="obs.bad-reference")
    return story_key(int(story)), frame_number


def _open(anchor: str | None, css: str, row: Row) -> str:
    """The opening tag of a row's block, with its ID anchor and its tags."""
    id_attr = f' id="{html.escape(anchor)}"' if anchor else ""
    tags = row["Tags"].strip()
    badge = f'<span class="obs-tags">{html.escape(tags)}</span>\n' if tags else ""
    return f'<div class="{css}"{id_attr}>\n{badge}'


def _note(row: Row, anchor: str | None, context: LinkContext, checks: RowChecks) -> str:
    """tN / sN row: the quote as heading, the tA support reference, the note."""
    parts = [_open(anchor, "obs-note", row)]
    if quote := row["Quote"].strip():
        parts.append(f'<h3 class="obs-quote">{html.escape(quote)}</h3>\n')
    if support := support_reference(checks, row, "", context):
        parts.append(f'<p class="obs-support-ref">{support}</p>\n')
    parts.append(render_markdown(note_text(row["Note"]), context, shift_headings=2))
    return "".join(parts) + "\n</div>"


def _question(row: Row, anchor: str | None, context: LinkContext, checks: RowChecks) -> str:
    """tQ / sQ row: the quote if any, the question, the response."""
    parts = [_open(anchor, "obs-question", row)]
    if quote := row["Quote"].strip():
        parts.append(f'<p class="obs-quote">{html.escape(quote)}</p>\n')
    parts.append('<div class="obs-q">'
                 f"{render_markdown(note_text(row['Question']), context)}</div>\n")
    parts.append('<div class="obs-a">'
                 f"{render_markdown(note_text(row['Response']), context)}</div>")
    return "".join(parts) + "\n</div>"


def _word(row: Row, anchor: str | None, context: LinkContext, checks: RowChecks) -> str:
    """TWL row: the words of the story and the tW article they link to."""
    id_attr = f' id="{html.escape(anchor)}"' if anchor else ""
    words = f'<span class="obs-words">{html.escape(row["OrigWords"].strip())}</span>'
    target = tw_link(checks, row, "", context) or (
        f'<span class="tx-broken-link">{html.escape(row["TWLink"].strip())}</span>')
    tags = row["Tags"].strip()
    badge = f' <span class="obs-tags">{html.escape(tags)}</span>' if tags else ""
    return f"<li{id_attr}>{words} → {target}{badge}</li>"


NOTES = Layout(COLUMNS["tn"], _note)
QUESTIONS = Layout(COLUMNS["tq"], _question)
WORDS = Layout(COLUMNS["twl"], _word, listed=True)
#: Help kind (from the subject) → its TSV layout.
LAYOUTS = {"tn": NOTES, "sn": NOTES, "tq": QUESTIONS, "sq": QUESTIONS, "twl": WORDS}
