"""USFM tokenizer: normalization, the alignment pre-pass, and the token pattern.

Speed matters (a whole aligned Bible is ~30 MB, 90 % of it alignment markup), so the heavy work is
done by C-level regex and ``str`` operations; Python code only sees the few markers that remain.

1. ``normalize``: BOM and CRLF/CR are removed.
2. ``strip_alignment``: the attributes of ``\\zaln-s``/``\\k-s`` start milestones are dropped (the
   2024 form ``\\zaln-s |…\\*`` and the 2018 form ``\\zaln-s | …`` that ends at the line end), and
   every complete one-line ``\\w word|attrs\\w*`` becomes ``word``. It never removes a newline, so
   line numbers in the reduced text are those of the source.
3. ``TOKEN`` splits the reduced text into text runs, ``\\c``/``\\v`` with their number, and other
   markers. The bare alignment milestones ``\\zaln-s``, ``\\zaln-e\\*`` (and ``\\k-…``) stay inside
   text runs, where ``clean_text`` counts them (for the balance check) and removes them; an end
   milestone goes with the whitespace before it, which keeps punctuation that follows
   ``\\zaln-e\\*`` attached to its word (the whitespace rule of tcdocs ``whitespace.adoc``).
"""

from __future__ import annotations

import re

# One pattern, one literal prefix (a backslash): the regex engine skips between matches at memchr
# speed. Groups: 1 = the word of a \w; 2, 3 = the backslash and name of a start milestone.
_ALIGNMENT = re.compile(
    r"\\(?:\+?w[ \t]([^\\|\n]*)(?:\|[^\\\n]*)?\\\+?w\*"
    r"|(?<=(\\))((?:zaln|k)-s)[ \t]*(?:\|[^\\\n]*)?(?:\\\*)?)"
)

#: Tokens: 1 = text run (may hold bare alignment milestones); 2, 3 = \c or \v and its number;
#: 4, 5, 6 = other marker: "+" nesting prefix, name, "*" closing suffix. The one space after an
#: opening marker is a separator and is consumed; the space after a closing marker is content.
TOKEN = re.compile(
    r"((?:[^\\]+|\\(?:zaln|k)-(?:s|e\\\*))+)"
    r"|\\([cv])(?![\w*+-])[ \t]*([^\s\\|]*)"
    r"|\\(\+?)([A-Za-z0-9_-]*)(?:(\*)|[ \t]?)"
)

_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not \s: NBSP and other Unicode spaces are content
_END_MILESTONES = ("\\zaln-e\\*", "\\k-e\\*")
_START_MILESTONES = ("\\zaln-s", "\\k-s")

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


def strip_alignment(text: str) -> str:
    """Remove alignment attributes and ``\\w`` wrappers (see the module docstring).

    ``re.split`` with capturing groups does the substitution in C (``re.sub`` with a group
    template calls Python per match on CPython 3.11); unmatched groups are None and are filtered
    out. A ``\\w`` that is not closed on its line is left for the tokenizer, which reports it.
    """
    if "\\zaln-s" not in text and "\\w" not in text and "\\k-s" not in text:
        return text
    return "".join(filter(None, _ALIGNMENT.split(text)))


def clean_text(run: str) -> tuple[str, int]:
    """Collapse whitespace to one space and drop the alignment milestones of a text run.

    Returns the text and the change of milestone depth (starts minus ends). An end milestone goes
    with the space before it: ``word⏎\\zaln-e\\*,`` → ``word,``, ``word\\zaln-e\\*⏎next`` →
    ``word next``.
    """
    starts = ends = 0
    if "\\" in run:
        ends = run.count("-e\\*")
        starts = run.count("\\") - 2 * ends  # an end milestone has two backslashes, a start one
        if starts:
            for marker in _START_MILESTONES:
                run = run.replace(marker, "")
    # Aligned text has a newline between every two words: plain replaces beat a regex here.
    text = run.replace("\n", " ")
    if "\t" in text or "\f" in text or "\v" in text:
        text = _SPACES.sub(" ", text)
    while "  " in text:
        text = text.replace("  ", " ")
    if ends:
        for marker in _END_MILESTONES:
            text = text.replace(" " + marker, "").replace(marker, "")
    return text, starts - ends


def strip_attributes(run: str, closer_follows: bool) -> str:
    """Remove ``|attributes`` from a text run: all of it before a closing marker, else only
    ``|key="value"`` pairs (or a lone ``|``), so that stray bars never reach the page."""
    if closer_follows:
        return run[: run.index("|")]
    return _STRAY_ATTRIBUTES.sub("", run)
