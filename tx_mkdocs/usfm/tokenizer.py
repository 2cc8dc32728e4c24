"""USFM tokenizer: normalization, the alignment pre-pass, and the token pattern.

Speed matters (a whole aligned Bible is ~30 MB, 90 % of it alignment markup), so the heavy work is
done by C-level regex and ``str`` operations; Python code only sees the few markers that remain.

1. ``normalize``: BOM and CRLF/CR are removed.
2. ``strip_alignment``: the attributes of ``\\zaln-s``/``\\k-s`` start milestones are dropped (the
   2024 form ``\\zaln-s |…\\*`` and the 2018 form ``\\zaln-s | …`` that ends at the line end), and
   every one-line ``\\w word|attrs\\w*`` with well-formed attributes becomes ``word`` (a ``\\w``
   without attributes is a glossary word and stays; malformed attributes are left for the
   renderer to report). It never removes a newline, so line numbers in the reduced text are those
   of the source.
3. ``TOKEN`` splits the reduced text into text runs, ``\\c``/``\\v`` with their number, and other
   markers. The bare alignment milestones ``\\zaln-s``, ``\\zaln-e\\*`` (and ``\\k-…``) stay inside
   text runs, where ``clean_text`` counts them (for the balance check) and removes them; an end
   milestone goes with the whitespace before it, which keeps punctuation that follows
   ``\\zaln-e\\*`` attached to its word (the whitespace rule of tcdocs ``whitespace.adoc``).
"""

from __future__ import annotations

import re
import sys

from .spacing import breaks, space


def _outside(chars: str) -> str:
    """The class of every character but ``chars``, spelled as ranges: the regex engine tests a
    class of ranges at C speed, but a negated class of a few characters (``[^\\\n]``) op by
    op, which made the alignment attributes of a whole Bible cost ~0.1 s more to strip."""
    ranges, start = [], 0
    for code in sorted(map(ord, chars)):
        if code > start:
            ranges.append(f"\\U{start:08x}-\\U{code - 1:08x}")
        start = code + 1
    return "[" + "".join(ranges) + f"\\U{start:08x}-\\U{sys.maxunicode:08x}]"


#: What a \w's word, an attribute's value, a \w's bare default attribute, a milestone's
#: attributes run over: ``[^\\|\n]``, ``[^"\n]``, ``[^\\\n="]``, ``[^\\\n]``.
_WORD, _VALUE, _BARE, _LINE = map(_outside, ("\\|\n", '"\n', '\\\n="', "\\\n"))

# One pattern, one literal prefix (a backslash): the regex engine skips between matches at memchr
# speed. Groups: 1 = the word of a \w; 2, 3 = the backslash and name of a start milestone.
# Possessive (``*+``, ``++``): each run is followed by a character its class excludes, so giving
# characters back never makes a match; the engine then keeps no state to give them back.
_ALIGNMENT = re.compile(
    rf"\\(?:\+?w[ \t]({_WORD}*+)\|"
    rf"(?:(?:[ \t]*+[A-Za-z0-9_-]++=\"{_VALUE}*+\")++[ \t]*+|{_BARE}*+)"
    r"\\\+?w\*"
    rf"|(?<=(\\))((?:zaln|k)-s)[ \t]*+(?:\|{_LINE}*+)?(?:\\\*)?)"
)

#: Tokens: 1 = text run (may hold bare alignment milestones); 2, 3 = \c or \v and its number;
#: 4, 5, 6 = other marker: "+" nesting prefix, name, "*" closing suffix. The one space after an
#: opening marker is a separator and is consumed; the space after a closing marker is content.
TOKEN = re.compile(
    r"((?:[^\\]+|\\(?:zaln|k)-(?:s|e\\\*))+)"
    r"|\\([cv])(?![\w*+-])[ \t]*([^\s\\|]*)"
    r"|\\(\+?)([A-Za-z0-9_-]*)(?:(\*)|[ \t]?)"
)

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
    """Drop the alignment milestones of a text run and resolve its whitespace (``spacing``).

    Returns the text and the change of milestone depth (starts minus ends). An end milestone goes
    with the whitespace before it: ``word⏎\\zaln-e\\*,`` → ``word,``, ``word\\zaln-e\\*⏎next`` →
    ``word next``.
    """
    if run == "\n":  # a line break between two markers (a third of all runs): one space
        return " ", 0
    starts = ends = 0
    if "\\" in run:
        ends = run.count("-e\\*")
        starts = run.count("\\") - 2 * ends  # an end milestone has two backslashes, a start one
        if starts:
            for marker in _START_MILESTONES:
                run = run.replace(marker, "")
        if ends:
            for marker in _END_MILESTONES:
                run = run.replace("\n" + marker, "").replace(" " + marker, "").replace(marker, "")
    return space(breaks(run)), starts - ends


def strip_attributes(run: str) -> str:
    """Remove ``|key="value"`` pairs (or a lone ``|``) from a text run that is not followed by a
    closing marker, so that stray bars never reach the page."""
    return _STRAY_ATTRIBUTES.sub("", run)


_NAMED_ATTRIBUTES = re.compile(r'[ \t]*(?:[\w-]+[ \t]*=[ \t]*"[^"\n]*"[ \t]*)*')


def attributes_ok(attributes: str, default_allowed: bool) -> bool:
    """``key="value"`` pairs, or (for markers that have one) a default attribute value, bare or
    quoted."""
    if _NAMED_ATTRIBUTES.fullmatch(attributes):
        return True
    value = attributes.strip()
    if value[:1] == '"' and value[-1:] == '"' and len(value) > 1:
        value = value[1:-1]
    return default_allowed and "=" not in value and '"' not in value


#: A start milestone whose attributes are not closed by ``\*`` on their line: the 2018 alignment
#: format (``\zaln-s | x-strong="…"`` ⏎), valid for Door43 tools but not USFM 3.
#: One pattern per name, so that a search stops at the first hit of each.
OLD_MILESTONES = tuple(re.compile(rf"\\({name})(?=[ \t]*\|)(?!{_LINE}*\\\*)")
                       for name in ("zaln-s", "k-s"))


class Lookahead:
    """``str.find`` for searches from positions that only move forward (one per marker).

    Each search is remembered with where it started: a later search from a position between
    that start and the hit has the same answer, so none of the text is read twice per needle.
    Searching afresh from every marker would read to the next hit each time: quadratic, for
    80 000 ``\\fig`` on one line looking for the line's end.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.hits: dict[str, tuple[int, int]] = {}  # needle → (searched from, hit or len(text))
        #: Characters read so far, over all needles.
        self.scanned = 0

    def find(self, needle: str, start: int) -> int:
        """The first ``needle`` at or after ``start``, or -1."""
        end = len(self.text)
        searched, hit = self.hits.get(needle, (end + 1, end))
        if not searched <= start <= hit:
            found = self.text.find(needle, start)
            hit = found if found >= 0 else end
            self.scanned += max(hit - start, 0)
            self.hits[needle] = (start, hit)
        return hit if hit < end else -1
