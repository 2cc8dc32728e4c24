"""USFM tokenizer: normalization, the alignment pre-pass, and the token pattern.

Speed matters (a whole aligned Bible is ~30 MB, 90 % of it alignment markup), so the heavy work is
done by C-level regex and ``str`` operations; Python code only sees the few markers that remain.

1. ``normalize``: BOM and CRLF/CR are removed.
2. ``strip_alignment``: ``\\zaln-s``/``\\k-s`` start milestones (with their attributes, in the
   2024 form ``\\zaln-s |…\\*`` and the 2018 form ``\\zaln-s | …`` ending at the line end) are
   dropped, and every complete one-line ``\\w word|attrs\\w*`` becomes ``word``. It never removes a
   newline, so line numbers in the reduced text are those of the source.
3. ``TOKEN`` splits the reduced text into text runs, ``\\c``/``\\v`` with their number, and other
   markers. End milestones ``\\zaln-e\\*``/``\\k-e\\*`` stay inside text runs: ``clean_text``
   removes them together with the whitespace before them, which keeps punctuation that follows
   ``\\zaln-e\\*`` attached to its word (the whitespace rule of tcdocs ``whitespace.adoc``).
"""

from __future__ import annotations

import re

# One pattern, one literal prefix (a backslash): the regex engine skips between matches at memchr
# speed. Group 1 is the word of a \w; it is None for a start milestone (see strip_alignment).
_ALIGNMENT = re.compile(
    r"\\(?:\+?w[ \t]([^\\|\n]*)(?:\|[^\\\n]*)?\\\+?w\*"
    r"|(?:zaln|k)-s[ \t]*(?:\|[^\\\n]*)?(?:\\\*)?)"
)

#: Tokens: 1 = text run (may contain end milestones); 2, 3 = \c or \v and its number;
#: 4, 5, 6 = other marker: "+" nesting prefix, name, "*" closing suffix. The one space after an
#: opening marker is a separator and is consumed; the space after a closing marker is content.
TOKEN = re.compile(
    r"((?:[^\\]+|\\(?:zaln|k)-e\\\*)+)"
    r"|\\([cv])(?![\w*+-])[ \t]*([^\s\\]*)"
    r"|\\(\+?)([A-Za-z0-9_-]*)(?:(\*)|[ \t]?)"
)

_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not \s: NBSP and other Unicode spaces are content
_END_MILESTONES = ("\\zaln-e\\*", "\\k-e\\*")

#: A closing marker (``\\w*``, ``\\+nd*``), matched at the end of a text run to tell attributes
#: (``word|lemma="…"\\w*``) from a stray ``|``.
CLOSER_AT = re.compile(r"\\\+?[A-Za-z0-9_-]+\*")
_STRAY_ATTRIBUTES = re.compile(r'\|[ \t]*(?:[\w:-]+[ \t]*=[ \t]*"[^"\n]*"[ \t]*)*')


def normalize(text: str) -> str:
    """Drop BOMs and turn CRLF / CR into LF (line numbers are unchanged)."""
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def strip_alignment(text: str) -> tuple[str, int]:
    """Remove alignment markup; returns the reduced text and the number of start milestones.

    ``re.split`` with one capturing group does the ``\\w`` → word substitution in C (``re.sub``
    with a group template calls Python per match on CPython 3.11). A ``\\w`` that is not closed on
    its line is left for the tokenizer, which reports it.
    """
    if "\\zaln-s" not in text and "\\w" not in text and "\\k-s" not in text:
        return text, 0
    parts = _ALIGNMENT.split(text)
    starts = parts.count(None)
    return "".join(filter(None, parts)), starts


def clean_text(run: str) -> tuple[str, int]:
    """Collapse whitespace to one space and drop end milestones with the space before them.

    Returns the text and the number of end milestones removed. ``word⏎\\zaln-e\\*,`` → ``word,``
    while ``word\\zaln-e\\*⏎next`` → ``word next``: the space after a milestone is kept.
    """
    # Aligned text has a newline between every two words: plain replaces beat a regex here.
    text = run.replace("\n", " ")
    if "\t" in text or "\f" in text or "\v" in text:
        text = _SPACES.sub(" ", text)
    while "  " in text:
        text = text.replace("  ", " ")
    if "\\" not in text:
        return text, 0
    ends = text.count("-e\\*")
    for marker in _END_MILESTONES:
        text = text.replace(" " + marker, "").replace(marker, "")
    return text, ends


def strip_attributes(run: str, closer_follows: bool) -> str:
    """Remove ``|attributes`` from a text run: all of it before a closing marker, else only
    ``|key="value"`` pairs (or a lone ``|``), so that stray bars never reach the page."""
    if closer_follows:
        return run[: run.index("|")]
    return _STRAY_ATTRIBUTES.sub("", run)
