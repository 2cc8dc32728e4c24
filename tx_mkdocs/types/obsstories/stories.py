"""What every Open Bible Stories resource shares: the 50 stories, their frames, page names, ids.

The OBS text and its helps (notes, questions, word links) are all organised by story and frame,
published as ``NN.html`` with a ``NN-FF`` id per frame, so a link ``rc://…/01/02`` lands on
frame 2 of story 1 whichever of these resources it names.
"""

from __future__ import annotations

import re
from typing import TypeGuard

from ...core.fs import RepoFS
from ...core.log import BuildLog
from ...core.model import NavItem, Page
from ...core.rc import RC

#: Frames per story in the standard OBS (counted in the complete en_obs v4; unchanged since).
FRAME_COUNTS = (
    16, 12, 16, 9, 10, 7, 10, 15, 15, 12, 8, 14, 15, 15, 13, 18, 14, 13, 18, 13,
    15, 7, 10, 9, 8, 10, 11, 10, 9, 9, 8, 16, 9, 10, 13, 7, 11, 15, 12, 9,
    8, 11, 13, 9, 13, 10, 14, 14, 18, 17,
)
STORY_COUNT = len(FRAME_COUNTS)
#: Non-story pages, in reading order around the stories.
FRONT, BACK = "front", "back"

_NUMBER = re.compile(r"^\d{1,3}$")


def number(name: str) -> int | None:
    """``"01"`` / ``"01.md"`` / ``"1.txt"`` → 1; anything else → None."""
    stem = name.rsplit("/", 1)[-1].split(".", 1)[0]
    return int(stem) if _NUMBER.match(stem) else None


def is_story(n: int | None) -> TypeGuard[int]:
    return n is not None and 1 <= n <= STORY_COUNT


def frame_count(story: int) -> int:
    """Standard number of frames of a story (0 outside 1–50)."""
    return FRAME_COUNTS[story - 1] if is_story(story) else 0


def story_key(story: int) -> str:
    """Door43 page stem of a story: ``01`` … ``50``."""
    return f"{story:02d}"


def frame_id(story: int, frame: int) -> str:
    """Door43 frame id ``NN-FF`` (the anchor of a frame in the story page)."""
    return f"{story:02d}-{frame:02d}"


def content_dir(rc: RC, log: BuildLog) -> str:
    """The folder holding the stories: the first project's folder, else ``content``, else root."""
    for project in rc.manifest.projects:
        path = rc.project_path(project, log)
        if path is not None and rc.fs.is_dir(path):
            return path
    return "content" if rc.fs.is_dir("content") else "."


def join(folder: str, name: str) -> str:
    """Repo-relative path of ``name`` in ``folder`` (no ``./`` prefix)."""
    return name if folder in (".", "") else f"{folder}/{name}"


def read(fs: RepoFS, path: str, log: BuildLog) -> str | None:
    """A repo file's text, or None with the error logged (a bad file never stops the build)."""
    try:
        return fs.read_text(path)
    except OSError as exc:
        log.error(f"Unable to read '{path}': {exc}", file=path, code="obs.read")
        return None


def folder_files(fs: RepoFS, folder: str, specials: tuple[str, ...],
                 log: BuildLog) -> list[tuple[int | str, str]]:
    """(frame number or special name like ``title``, path) of a story folder's ``.md``/``.txt``
    files, frames in order; any other file is reported."""
    found: dict[int | str, str] = {}
    for name in fs.listdir(folder):
        stem, _, ext = name.rpartition(".")
        kind = stem.lower() if stem.lower() in specials else number(stem)
        path = join(folder, name)
        if ext.lower() not in ("md", "txt") or kind in (None, 0) or kind in found:
            log.warning(f"Unexpected '{name}' file in '{folder}/'", file=path,
                        code="obs.unexpected-file")
            continue
        found[kind] = path
    # specials first, then frames by number ("2.txt" is listed after "10.txt")
    return sorted(found.items(), key=lambda e: (0, 0) if isinstance(e[0], str) else (1, e[0]))


def rc_target(parts: list[str]) -> tuple[str, str] | None:
    """``[book|help,] obs, NN[, FF]`` (or ``front``/``back``) → (page url, anchor)."""
    parts = [p.lower() for p in parts]
    if parts and parts[0] in ("book", "help", "bundle"):
        parts = parts[1:]
    if parts and parts[0] == "obs":
        parts = parts[1:]
    if not parts:
        return None
    if parts[0] in (FRONT, BACK):
        return f"{parts[0]}.html", ""
    story = number(parts[0])
    if not is_story(story):
        return None
    frame = number(parts[1]) if len(parts) > 1 else None
    anchor = frame_id(story, frame) if frame else ""
    return f"{story_key(story)}.html", anchor


def path_target(path: str) -> tuple[str, str] | None:
    """``content/01.md`` → ``01.html``; ``content/01/02.md`` → ``01.html#01-02``; front/back."""
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if parts and parts[0] == "content":
        parts = parts[1:]
    if not parts:
        return None
    head = parts[0].split(".", 1)[0].lower()
    if head in (FRONT, BACK):
        return f"{head}.html", ""
    story = number(parts[0])
    if not is_story(story):
        return None
    frame = number(parts[1]) if len(parts) > 1 else None
    return f"{story_key(story)}.html", frame_id(story, frame) if frame else ""


def nav(pages: list[Page]) -> list[NavItem]:
    """One nav entry per page: front matter, the stories in order, back matter."""
    return [NavItem(page.title, page.path) for page in pages]
