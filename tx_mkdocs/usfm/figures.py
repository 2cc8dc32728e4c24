"""``\\fig``: read raw up to ``\\fig*`` (its attributes may hold ``\\"``), shown as a figure.

A figure is a ``<figure>`` between paragraphs, or an inline ``span.fig`` inside a note or a
character span. Its image is shown only for a relative file name or an http(s) URL: the content
is hostile, and a ``javascript:`` or ``../`` source must not reach the page.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from ..core.markup import IMAGE_ATTRIBUTES_HTML

if TYPE_CHECKING:
    from .report import Report
    from .tokenizer import Lookahead

#: ``key="value"`` in ``\\fig``; a name starts only where a word starts (else a long word without
#: ``=`` is scanned again from each of its letters).
_FIG_ATTRIBUTE = re.compile(r'(?<![\w-])([\w-]++)[ \t]*+=[ \t]*+"((?:[^"\\]|\\.)*+)"')
_MARKUP = re.compile(r"\\\+?[A-Za-z0-9-]*\*?")
#: An image source we link to: an http(s) URL or a relative file name (no scheme, no "..").
_SAFE_SRC = re.compile(r"https?://[^\s\"'<>\\`]+|(?!.*\.\.)\w[\w .()-]*(?:/\w[\w .()-]*)*")


class Figure:
    """A figure's image and caption, as HTML."""

    __slots__ = ("image", "label")

    def __init__(self, image: str, label: str) -> None:
        self.image, self.label = image, label

    def inline(self) -> str:
        """Inside a note or a character span, where a block cannot go."""
        return f'<span class="fig">{self.image}<span class="fig-caption">{self.label}</span></span>'

    def block(self) -> str:
        """Between paragraphs."""
        return f'<figure class="fig">{self.image}<figcaption>{self.label}</figcaption></figure>\n'


def read_figure(text: str, ahead: Lookahead, pos: int, plus: bool,
                report: Report) -> tuple[Figure, int]:
    """The figure whose marker is at ``pos``, and where its content ends (the walk skips it).
    Without ``\\fig*`` the content ends with its line."""
    start = pos + (5 if plus else 4)
    if text[start:start + 1] in (" ", "\t"):
        start += 1
    closer = "\\+fig*" if plus else "\\fig*"
    close = ahead.find(closer, start)
    line_end = ahead.find("\n\\", start)
    if close < 0 or 0 <= line_end < close:
        end = line_end if line_end >= 0 else len(text)
        content, skip_to = text[start:end], end
        report.warn("Missing closing marker '\\fig*'", pos, "usfm.unclosed-char")
    else:
        content, skip_to = text[start:close], close + len(closer)
    caption, src, alt, ref = _figure_parts(content)
    if not caption and not src:
        report.warn("Empty figure", pos, "usfm.figure")
    if src and not _SAFE_SRC.fullmatch(src):
        report.warn(f"Figure source '{src}' is not a file name or http(s) address", pos,
                    "usfm.figure")
        src = ""
    image = (f'<img src="{escape(src)}" alt="{escape(alt or caption)}" '
             f'{IMAGE_ATTRIBUTES_HTML}>') if src else ""
    label = escape(caption) + (f' <span class="fig-ref">{escape(ref)}</span>' if ref else "")
    return Figure(image, label), skip_to


def _figure_parts(content: str) -> tuple[str, str, str, str]:
    """(caption, src, alt, ref) of ``\\fig`` content: USFM 3 ``caption|key="value" …`` (or a
    default ``src``), or USFM 2 ``DESC|FILE|SIZE|LOC|COPY|CAP|REF``."""
    parts = content.split("|")
    if len(parts) == 7:
        alt, src, _, _, _, caption, ref = parts
    else:
        caption, _, rest = content.partition("|")
        found = {k: v.replace('\\"', '"') for k, v in _FIG_ATTRIBUTE.findall(rest)}
        if not found and rest.strip():
            found = {"src": rest}
        src, alt, ref = found.get("src", found.get("file", "")), found.get("alt", ""), found.get(
            "ref", "")
    caption, alt, ref = (" ".join(_MARKUP.sub("", part).split()) for part in (caption, alt, ref))
    return caption, src.strip(), alt, ref
