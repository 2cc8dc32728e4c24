"""Open Bible Stories: one page per story (``01.html`` … ``50.html``), front and back matter.

Each frame is its picture and its text in a block with the Door43 frame id ``NN-FF`` (the
picture keeps the old ``alt="Frame NN-FF"``), so ``rc://*/obs/book/obs/01/02`` lands on it.
Stories are checked against the standard OBS: missing stories, frames, titles, references,
and English front matter left untranslated.
"""

from __future__ import annotations

import html
import re

from ...core.changes import Item, elements_by_id, html_words
from ...core.links import LinkTable
from ...core.log import BuildLog
from ...core.markup import IMAGE_ATTRIBUTES_HTML, LinkContext, render_markdown
from ...core.model import Page, TocEntry
from ...core.rc import RC
from ...core.resource import ResourceType, TypeOutput, section_items
from ..obsstories import stories
from ..obsstories.matter import MATTER_TITLES, register_matter, text_page
from ..obsstories.stories import BACK, FRONT, STORY_COUNT, frame_id, is_story, join, number, read
from .story import Story, assemble_story, check_story, parse_story

#: Phrases of the English front matter: still there in another language = not translated.
_ENGLISH_FRONT = ("an unrestricted visual mini-Bible in any language",
                  "This is a human-readable summary of", "Under the following conditions:")


#: Door43's OBS pictures, in a folder named by their width (``…/obs/jpg/360px/obs-en-01-01.jpg``:
#: pictures 360 pixels wide). Their height is not in the name (nor anywhere we can read offline).
_DOOR43_PICTURE = re.compile(r"^https://cdn\.door43\.org/obs/jpg/([1-9]\d{0,3})px/[^/]+$")


def image_size(url: str) -> str:
    """`` width="360"`` for a Door43 picture (the width its folder names), else nothing: it is
    never shown wider than it is, and its place is kept while it loads (tx-obs.css reserves a
    landscape box at that width until the picture's own proportions are known)."""
    match = _DOOR43_PICTURE.match(url)
    return f' width="{match.group(1)}"' if match else ""


#: A story frame's element.
_FRAME = re.compile(r'<(div) class="obs-frame" id="([^"<>]+)">')


class ObsType(ResourceType):
    name = "obs"
    templates = ("obs.html",)
    subjects = ("Open_Bible_Stories",)
    rc_resources = ("obs",)

    def rc_target(self, parts: list[str]) -> tuple[str, str] | None:
        return stories.rc_target(parts)

    def path_target(self, path: str) -> tuple[str, str] | None:
        return stories.path_target(path)

    def items(self, rc: RC, output: TypeOutput) -> list[Item]:
        """One item per frame (``01-02``: frame ids are unique in the stories), the front and
        back matter by section."""
        items = []
        for page in output.pages:
            frames = list(elements_by_id(page.html, _FRAME))
            items += [Item.of(f"OBS {frame}", page.title, f"Frame {frame}",
                              f"{page.url}#{frame}", html_words(outer), outer)
                      for frame, _, outer in frames] if frames else section_items([page])
        return items

    def build(self, rc: RC, log: BuildLog, links: LinkTable) -> TypeOutput:
        folder = stories.content_dir(rc, log)
        found = self._read_stories(rc, folder, log)
        if not found:
            log.error("No Open Bible Stories found", file=folder, code="obs.no-stories")
        for n in range(1, STORY_COUNT + 1):
            if found and n not in found:
                log.warning(f"Chapter {n:02d} does not exist.", file=folder,
                            code="obs.missing-story")
        matter = register_matter(rc, folder, links)
        for story in found.values():
            for source in story.sources:
                links.register_file(source, f"{story.id}.html")
            for frame in story.frames:
                links.register_file(frame.source, f"{story.id}.html",
                                    frame_id(story.number, frame.number))
        pages = []
        front = text_page(rc, FRONT, matter[FRONT], "obs.html", MATTER_TITLES[FRONT], log, links)
        if front is None:
            log.warning("front.md does not exist.", file=folder, code="obs.no-front")
        else:
            self._check_front(rc, front, log)
            pages.append(front)
        for n in sorted(found):
            check_story(found[n], log)
            pages.append(self._story_page(found[n], links))
            log.info(f"Converted {', '.join(found[n].sources)} to {found[n].id}.html.")
        back = text_page(rc, BACK, matter[BACK], "obs.html", MATTER_TITLES[BACK], log, links)
        if back is not None:
            pages.append(back)
        return TypeOutput(pages=pages, nav=stories.nav(pages), input_format="md",
                          body_class="obs")

    def _read_stories(self, rc: RC, folder: str, log: BuildLog) -> dict[int, Story]:
        """Every story of the folder: ``NN.md`` files, else ``NN/`` folders of frames."""
        found: dict[int, Story] = {}
        for name in rc.fs.listdir(folder):
            n = number(name)
            path = join(folder, name)
            if n is None or not (name.endswith(".md") or rc.fs.is_dir(path)):
                continue
            if not is_story(n):
                log.warning(f"Unexpected '{name}' file in '{folder}/'", file=path,
                            code="obs.unexpected-file")
            elif n in found:
                log.warning(f"Story {n:02d}: '{path}' ignored, the story is already in "
                            f"'{found[n].source}'", file=path, code="obs.duplicate-story")
            elif rc.fs.is_dir(path):
                found[n] = assemble_story(rc.fs, path, n, log)
            elif (text := read(rc.fs, path, log)) is not None:
                found[n] = parse_story(text, n, path, log)
        return found

    def _story_page(self, story: Story, links: LinkTable) -> Page:
        esc = html.escape
        title = story.title or story.id
        parts = [f'<h1 class="obs-title">{esc(title)}</h1>']
        if story.intro.strip():
            parts.append(render_markdown(story.intro, LinkContext(links, story.source,
                                                                  story.title_line)))
        toc = []
        for frame in story.frames:
            fid = frame_id(story.number, frame.number)
            text = render_markdown(frame.text, LinkContext(links, frame.source, frame.line))
            parts.append(f'<div class="obs-frame" id="{fid}">\n'
                         f'<p class="obs-image"><img src="{esc(frame.image)}" alt="Frame {fid}"'
                         f'{image_size(frame.image)} {IMAGE_ATTRIBUTES_HTML}></p>\n{text}\n</div>')
            toc.append(TocEntry(2, fid, fid))
        if story.reference:
            reference = render_markdown(story.reference, LinkContext(
                links, story.reference_source, story.reference_line))
            parts.append(f'<div class="obs-reference">{reference}</div>')
        return Page(path=f"{story.id}.md", title=title, html="\n".join(parts), toc=toc,
                    template="obs.html", sources=list(story.sources),
                    meta={"story": story.id, "frames": len(story.frames)})

    def _check_front(self, rc: RC, page: Page, log: BuildLog) -> None:
        """Door43's ``Story front matter is not translated.``: English text in another language."""
        if rc.manifest.language.identifier.lower().split("-")[0] == "en":
            return
        if any(phrase in page.html for phrase in _ENGLISH_FRONT):
            log.warning("Story front matter is not translated.", file=page.sources[-1],
                        code="obs.front-untranslated")


TYPE = ObsType()
