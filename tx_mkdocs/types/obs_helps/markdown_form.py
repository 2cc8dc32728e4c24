"""OBS helps in Markdown: ``content/NN/FF.md`` per frame (``intro.md``, ``title.md`` too), or a
whole story in ``content/NN.md``; front and back matter as for OBS."""

from __future__ import annotations

from ...core.links import LinkTable
from ...core.log import BuildLog
from ...core.markup import LinkContext, atx_heading, render_markdown
from ...core.model import Page
from ...core.rc import RC
from ..obsstories.matter import MATTER_TITLES, register_matter, text_page
from ..obsstories.stories import (
    BACK,
    FRONT,
    content_dir,
    folder_files,
    frame_count,
    frame_id,
    is_story,
    join,
    number,
    read,
    story_key,
)
from .sections import TEMPLATE, StoryHelps, help_page


def build_markdown(rc: RC, log: BuildLog, links: LinkTable) -> list[Page]:
    """Pages ``front.html``, ``NN.html`` …, ``back.html`` from the Markdown helps."""
    folder = content_dir(rc, log)
    folders, files = _discover(rc, folder, log)
    for n, entries in folders.items():
        for kind, path in entries:
            anchor = frame_id(n, kind) if isinstance(kind, int) else (
                f"{story_key(n)}-intro" if kind == "intro" else "")
            links.register_file(path, f"{story_key(n)}.html", anchor)
    for n, path in files.items():
        links.register_file(path, f"{story_key(n)}.html")
    matter = register_matter(rc, folder, links)

    pages = []
    front = text_page(rc, FRONT, matter[FRONT], TEMPLATE, MATTER_TITLES[FRONT], log, links)
    if front is not None:
        pages.append(front)
    for n in sorted({*folders, *files}):
        if n in files:
            page = text_page(rc, story_key(n), (None, files[n]), TEMPLATE, story_key(n), log,
                             links, shift_headings=1)
        else:
            page = help_page(_story(rc, n, folders[n], log, links), story_key(n))
        if page is not None:
            pages.append(page)
            log.info(f"Converted {', '.join(page.sources)} to {page.url}.")
    back = text_page(rc, BACK, matter[BACK], TEMPLATE, MATTER_TITLES[BACK], log, links)
    if back is not None:
        pages.append(back)
    return pages


def _discover(rc: RC, folder: str, log: BuildLog,
              ) -> tuple[dict[int, list[tuple[int | str, str]]], dict[int, str]]:
    """Story folders (their title / intro / frame files) and whole-story files, by story."""
    folders: dict[int, list[tuple[int | str, str]]] = {}
    files: dict[int, str] = {}
    for name in rc.fs.listdir(folder):
        n, path = number(name), join(folder, name)
        is_dir = rc.fs.is_dir(path)
        if n is None or not (is_dir or name.lower().endswith(".md")):
            continue
        if not is_story(n):
            log.warning(f"Unexpected '{name}' file in '{folder}/'", file=path,
                        code="obs.unexpected-file")
        elif is_dir:
            folders[n] = _story_files(rc, path, n, log)
        elif n in folders:  # listdir is sorted: "01" comes before "01.md"
            log.warning(f"'{path}' ignored: story {story_key(n)} has a folder", file=path,
                        code="obs.duplicate-story")
        else:
            files[n] = path
    return folders, files


def _story_files(rc: RC, folder: str, story: int, log: BuildLog) -> list[tuple[int | str, str]]:
    """(frame number or ``title``/``intro``, path) of a story folder; odd files reported."""
    found = folder_files(rc.fs, folder, ("title", "intro"), log)
    for kind, path in found:
        if isinstance(kind, int) and kind > frame_count(story):
            log.warning(f"Unexpected '{path.rsplit('/', 1)[-1]}' file in '{folder}/' (story "
                        f"{story_key(story)} has {frame_count(story)} frames)", file=path,
                        code="obs.extra-frame")
    return found


def _story(rc: RC, story: int, entries: list[tuple[int | str, str]], log: BuildLog,
           links: LinkTable) -> StoryHelps:
    helps = StoryHelps(story_key(story))
    for kind, path in entries:
        text = read(rc.fs, path, log)
        if text is None:
            continue
        helps.sources.append(path)
        if kind == "title":
            first = text.strip().split("\n")[0]
            helps.title = atx_heading(first) or first.strip()
        elif kind == "intro":
            helps.intro = render_markdown(text, LinkContext(links, path), shift_headings=1)
        else:
            if not text.strip():
                log.warning(f"Empty file for frame {frame_id(story, int(kind))}", file=path,
                            code="obs.empty-frame")
            helps.frames[int(kind)] = render_markdown(text, LinkContext(links, path),
                                                      shift_headings=2)
    return helps
