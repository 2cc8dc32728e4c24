"""One OBS story read from its sources: title, frames (image + text), the Bible reference.

Two layouts exist: a whole story in ``content/NN.md`` (RC), or a folder per story with
``title``, ``reference`` and one file per frame (``NN/FF.md`` or translationStudio ``.txt``).
Both become the same :class:`Story`, so pages and checks do not care where a story came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...core.fs import RepoFS
from ...core.log import BuildLog
from ...core.markup import atx_heading
from ..obsstories.stories import folder_files, frame_count, frame_id, read

#: A frame starts with its picture: ``![OBS Image](https://…/obs-en-01-02.jpg)`` (+ text after).
_IMAGE = re.compile(r"^\s*!\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^)]*)?\)\s*(.*)$")
#: A picture line (not ``^\\s*``: with re.M it ran over every blank line after each line start).
_PICTURE_LINE = re.compile(r"^[ \t]*!\[", re.M)
#: The closing reference line: ``_A Bible story from: Genesis 1-2_`` (or ``*…*``).
_REFERENCE = re.compile(r"^\s*([_*])(?!\1)(.+)\1\s*$")
_FRAME_IN_URL = re.compile(r"(\d{1,3})-(\d{1,3})\.(?:jpe?g|png|gif|webp)$", re.I)
#: Old Door43 exports appended ``?direct&`` (a DokuWiki media flag) to image URLs.
_DIRECT = re.compile(r"[?&]direct&?$")
CDN_IMAGE = "https://cdn.door43.org/obs/jpg/360px/obs-en-{id}.jpg"


@dataclass
class Frame:
    number: int
    image: str
    text: str
    source: str
    line: int


@dataclass
class Story:
    number: int
    source: str
    title: str = ""
    title_line: int = 1
    #: Text between the title and the first frame (rare; shown before the frames).
    intro: str = ""
    frames: list[Frame] = field(default_factory=list)
    reference: str = ""
    reference_source: str = ""
    reference_line: int = 0
    sources: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.number:02d}"


def clean_image_url(url: str) -> str:
    return _DIRECT.sub("", url.strip())


def heading_text(line: str) -> str | None:
    """The text of an ATX heading line (closing ``#``s removed), or None."""
    return atx_heading(line)


def _frame_number(story: Story, url: str, log: BuildLog, line: int) -> int:
    """The frame a picture belongs to: from its URL when that fits, else the next one."""
    previous = story.frames[-1].number if story.frames else 0
    match = _FRAME_IN_URL.search(clean_image_url(url))
    if match and int(match.group(1)) == story.number and int(match.group(2)) > previous:
        return int(match.group(2))
    log.warning(f"Unexpected picture link formatting: {frame_id(story.number, previous + 1)}",
                file=story.source, line=line, code="obs.image-link")
    return previous + 1


def _image(story: Story, frame: int, url: str, log: BuildLog, source: str, line: int) -> str:
    """A safe picture URL: http(s) as in the source (cleaned), else the standard CDN picture."""
    url = clean_image_url(url)
    if re.match(r"^https?://", url, re.I):
        return url
    log.warning(f"Unexpected picture link formatting: {frame_id(story.number, frame)}",
                file=source, line=line, code="obs.image-link")
    return CDN_IMAGE.format(id=frame_id(story.number, frame))


def parse_story(text: str, story_number: int, source: str, log: BuildLog) -> Story:
    """A whole story in one Markdown file (``# title``, frames, ``_reference_``)."""
    story = Story(story_number, source, sources=[source])
    chunk: list[tuple[int, str]] = []  # (line number, text) since the last picture
    frame: Frame | None = None

    def flush() -> None:
        body = "\n".join(text for _, text in chunk).strip("\n")
        if frame is not None:
            frame.text = body
        else:
            story.intro = body
        chunk.clear()

    for line_number, line in enumerate(text.split("\n"), start=1):
        match = _IMAGE.match(line)
        if match:
            flush()
            n = _frame_number(story, match.group(1), log, line_number)
            url = _image(story, n, match.group(1), log, source, line_number)
            frame = Frame(n, url, "", source, line_number)
            story.frames.append(frame)
            chunk.append((line_number, match.group(2)))
        elif not story.title and frame is None and (title := heading_text(line)):
            story.title, story.title_line = title, line_number
        else:
            chunk.append((line_number, line))
    _take_reference(story, chunk)
    flush()
    return story


def _take_reference(story: Story, chunk: list[tuple[int, str]]) -> None:
    """Move a closing ``_reference_`` paragraph (one line) out of the last frame's text."""
    while chunk and not chunk[-1][1].strip():
        chunk.pop()
    if not chunk or not (match := _REFERENCE.match(chunk[-1][1])):
        return
    if len(chunk) > 1 and chunk[-2][1].strip():  # the end of a longer paragraph
        return
    line, _ = chunk.pop()
    story.reference = match.group(2).strip()
    story.reference_source, story.reference_line = story.source, line


def assemble_story(fs: RepoFS, folder: str, story_number: int, log: BuildLog) -> Story:
    """A story folder: ``title``, ``intro``, ``reference`` and ``FF`` files (``.md``/``.txt``)."""
    story = Story(story_number, folder)
    for kind, path in folder_files(fs, folder, ("title", "intro", "reference"), log):
        text = read(fs, path, log)
        if text is None:
            continue
        story.sources.append(path)
        if kind == 1 and len(_PICTURE_LINE.findall(text)) > 1:  # old layout: story in 01.md
            return parse_story(text, story_number, path, log)
        if isinstance(kind, int):
            story.frames.append(_frame_from_file(story, kind, text, path, log))
        elif kind == "title":
            first = text.strip().split("\n")[0]
            story.title, story.title_line = heading_text(first) or first.strip(), 1
        elif kind == "intro":
            story.intro = text
        else:
            story.reference = text.strip().strip("_*").strip()
            story.reference_source, story.reference_line = path, 1
    return story


def _frame_from_file(story: Story, n: int, text: str, path: str, log: BuildLog) -> Frame:
    """One frame file: its text, and its picture if the file has one (else the standard one)."""
    lines = text.strip("\n").split("\n")
    match = _IMAGE.match(lines[0]) if lines else None
    if match:
        image = _image(story, n, match.group(1), log, path, 1)
        body = "\n".join([match.group(2), *lines[1:]]).strip("\n")
        return Frame(n, image, body, path, 1)
    return Frame(n, CDN_IMAGE.format(id=frame_id(story.number, n)), text.strip("\n"), path, 1)


def check_story(story: Story, log: BuildLog) -> None:
    """Title, frames and reference against the standard OBS (old obs_linter wording)."""
    key = story.id
    if not story.title:
        log.warning(f"Chapter {key} does not have a title.", file=story.source,
                    code="obs.no-title")
    expected = frame_count(story.number)
    present = {f.number for f in story.frames}
    for n in range(1, expected + 1):
        if n not in present:
            log.warning(f"Missing frame: {frame_id(story.number, n)}", file=story.source,
                        code="obs.missing-frame")
    for frame in story.frames:
        if frame.number > expected:
            log.warning(f"Unexpected frame: {frame_id(story.number, frame.number)} (story {key} "
                        f"has {expected} frames)", file=frame.source, line=frame.line,
                        code="obs.extra-frame")
        if not frame.text.strip():
            log.warning(f"Empty frame: {frame_id(story.number, frame.number)}",
                        file=frame.source, line=frame.line, code="obs.empty-frame")
    if not story.reference:
        log.warning(f"Bible reference not found at end of chapter {key}!", file=story.source,
                    code="obs.no-reference")

