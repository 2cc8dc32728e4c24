"""Spacing of Scripture text: where the characters want it, not where an aligner broke the lines.

Aligned USFM puts one word per line and the punctuation on the line of a milestone, so a line
break says nothing about the text: ``them⏎\\zaln-e\\*,"⏎What`` is ``them, "What``. A *line
break* (whitespace that holds a newline, with the alignment milestones in it) is therefore soft:

- none before closing punctuation (Unicode Pe, Pf and most Po: ``, . ; : ? ! ) ] ” ’ » ׃ ،``),
  nor after opening punctuation (Ps, Pi: ``( [ “ ‘ «``);
- a straight ``"`` or ``'`` opens when it follows a space or an opening bracket (or starts the
  text) and a letter follows it, or when it follows ``, : ;`` and a letter that is not lower
  case follows it (``said,"⏎What`` opens, ``a ghost,"⏎and`` closes): then it is opening
  punctuation, else closing;
- opening punctuation written against the previous word with a line break after it
  (``Rabbi(⏎which``, ``said,"⏎What``) takes the space before it: ``Rabbi (which``;
- a maqaf (U+05BE) joins both sides, and so does a hyphen between letters (``mother-in-law``);
- a possessive split by tC 2018 (``camel'⏎s``) is one word;
- any other line break is one space.

Spaces and tabs on one line were written by the translator and stay (French ``mot ;``,
``« Venez ! »``), except slips that no writing convention has: a space before ``,`` ``.`` (not a
spaced ellipsis) or a closing bracket, after an opening bracket, around a maqaf.
Characters are never changed: only whitespace is dropped, moved or turned into a space.
This module is the one place of these rules; ``tokenizer.clean_text`` applies them to each run
(a note's caller sits on the word before it: that is the renderer's, ``render._start_note``).
"""

from __future__ import annotations

import re
import unicodedata

from . import charclasses

MAQAF = "\u05be"

#: Po characters that are not closing: they stand alone or open (¿ ¡), or are symbols.
_NOT_CLOSING = frozenset("\"'¿¡*#%&@/\\§¶†‡\u05c0\u2e18\u2e2e")  # \u05c0 paseq stands free


def scan_classes() -> tuple[str, str, str]:
    """(closing punctuation, opening punctuation, lower-case letters), from the Unicode
    categories of this Python: one pass over the planes that hold them (BMP, SMP)."""
    closing, opening, lower = [], [], []
    for code in range(0x20000):
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Ll":
            lower.append(char)
        elif category in ("Pe", "Pf") or (category == "Po" and char not in _NOT_CLOSING):
            closing.append(char)
        elif category in ("Ps", "Pi") or char in "¿¡":
            opening.append(char)
    return "".join(closing), "".join(opening), "".join(lower)


def _classes() -> tuple[str, str, str]:
    """:func:`scan_classes` as :mod:`.charclasses` holds it for this Unicode version (the scan
    cost every build process and helps worker ~0.08 s at import); another version is scanned."""
    if charclasses.UNIDATA_VERSION != unicodedata.unidata_version:
        return scan_classes()
    closing, opening, lower = (
        "".join(chr(code) for first, last in table for code in range(first, last + 1))
        for table in (charclasses.CLOSING, charclasses.OPENING, charclasses.LOWER))
    return closing, opening, lower


def runs(chars: str) -> list[tuple[int, int]]:
    """The code points of ``chars`` (sorted) as runs (first, last)."""
    found: list[tuple[int, int]] = []
    for code in map(ord, chars):
        if found and found[-1][1] == code - 1:
            found[-1] = (found[-1][0], code)
        else:
            found.append((code, code))
    return found


def _ranges(chars: str) -> str:
    """A regex class body for ``chars`` (sorted), with runs of code points as ranges."""
    return "".join(re.escape(chr(first)) if first == last
                   else f"{re.escape(chr(first))}-{re.escape(chr(last))}"
                   for first, last in runs(chars))


_CLOSING_CHARS, _OPENING_CHARS, _LOWER_CHARS = _classes()
#: (closing, opening) brackets: Pe and Ps.
_BRACKETS = tuple("".join(c for c in chars if unicodedata.category(c) == category)
                  for chars, category in ((_CLOSING_CHARS, "Pe"), (_OPENING_CHARS, "Ps")))
_CLOSING, _OPENING = _ranges(_CLOSING_CHARS), _ranges(_OPENING_CHARS)
_LOWER = _ranges(_LOWER_CHARS)
_LETTER = r"[^\W\d_]"
_QUOTE = "\"'"

#: Opening punctuation against the word before it, with a line break after: the space moves
#: before it. A straight quote there only when it opens (after ``, : ;``, see the module doc).
#: ``_MOVE_AT`` finds one at the newline (a fast scan); ``_MOVE`` moves, on the few texts found.
_MOVE_AT = re.compile(
    rf"\n(?:(?<=[^\s{_OPENING}][{_OPENING}]\n)"
    rf"|(?<=[,:;][{_QUOTE}]\n)(?={_LETTER})(?![{_LOWER}]))")
_MOVE = re.compile(
    rf"([{_OPENING}])(?<=[^\s{_OPENING}][{_OPENING}])\n"
    rf"|([{_QUOTE}])(?<=[,:;][{_QUOTE}])\n(?={_LETTER})(?![{_LOWER}])")
#: Soft boundaries that are no space at all. Every alternative starts with the newline (the
#: engine scans for it at C speed); between two letters, the usual case, two tests fail fast.
_JOIN = re.compile(
    rf"\n(?:(?=[{_CLOSING}{MAQAF}{_QUOTE}-])(?:"  # before
    rf"(?=[{_CLOSING}{MAQAF}])"  # closing punctuation, a maqaf,
    rf"|(?=[{_QUOTE}](?!\n?{_LETTER}))"  # a closing straight quote,
    rf"|(?<={_LETTER}\n)(?=-{_LETTER}))"  # a hyphen in a word;
    rf"|(?<=[{_OPENING}{MAQAF}{_QUOTE}’-]\n)(?:"  # after
    rf"(?<=[{_OPENING}{MAQAF}]\n)"  # opening punctuation, a maqaf,
    rf"|(?<=^[{_QUOTE}]\n)(?={_LETTER})"  # an opening quote at the start,
    rf"|(?<=[\s{_OPENING}][{_QUOTE}]\n)(?={_LETTER})"  # after a space or (,
    rf"|(?<=[,:;][{_QUOTE}]\n)(?={_LETTER})(?![{_LOWER}])"  # after , : ; (not "a ghost," and)
    rf"|(?<={_LETTER}-\n)(?={_LETTER})"  # a hyphen in a word,
    rf"|(?<=\w['’]\n)(?=s(?!\w))))"  # camel' s (tC 2018 split possessives)
)

#: Written spaces that no writing convention has: before ``,`` ``.`` (not a spaced ellipsis) or a
#: closing bracket, after an opening bracket, around a maqaf (``لاتانە .``, ``( لووت)``).
_SLIP = re.compile(
    rf" (?=[,.{_ranges(_BRACKETS[0])}{MAQAF}])(?!\.\.)"
    rf"| (?<=[{_ranges(_BRACKETS[1])}{MAQAF}] )")
#: Where ``_SLIP`` may match, found from the punctuation (rarer than spaces: a faster scan).
_SLIP_AT = re.compile(
    rf"[,.{_ranges(''.join(sorted(_BRACKETS[0] + _BRACKETS[1])))}{MAQAF}]"
    rf"(?:(?<= [,.{_ranges(_BRACKETS[0])}{MAQAF}])|(?<=[{_ranges(_BRACKETS[1])}{MAQAF}])(?= ))")


def breaks(text: str) -> str:
    """Whitespace as single spaces (written on a line) and single newlines (line breaks).

    Plain replaces (C speed; space runs first, so a space next to a break is a single one)."""
    if "\t" in text or "\f" in text or "\v" in text:
        text = text.replace("\t", " ").replace("\f", " ").replace("\v", " ")
    while "  " in text:
        text = text.replace("  ", " ")
    if "\n" in text:
        if " \n" in text:
            text = text.replace(" \n", "\n")
        if "\n " in text:
            text = text.replace("\n ", "\n")
        while "\n\n" in text:
            text = text.replace("\n\n", "\n")
    return text


#: What a line break at the end of a run joins onto (nothing follows it there to look at).
_JOINS_AT_END = frozenset(_OPENING_CHARS + MAQAF)


def space(text: str) -> str:
    """``text`` (alignment milestones removed, whitespace through :func:`breaks`) with its line
    breaks resolved into spaces or none, and its slips of the space bar removed."""
    if " " in text and _SLIP_AT.search(text):  # written spaces only: breaks are still newlines
        text = _SLIP.sub("", text)
    last = len(text) - 1
    newline = text.find("\n")
    if newline == last >= 0:  # the usual run, a line's text: its only break is at its end
        return text[:-1] + " " if last == 0 or text[-2] not in _JOINS_AT_END else _end(text)
    if newline >= 0:
        return _breaks_between(text)
    return text


def _end(text: str) -> str:
    """A run ending with opening punctuation or a maqaf, then its only line break: what
    :func:`_breaks_between` makes of it (the rules after such a break need nothing after it)."""
    before = text[-3:-2]
    if text[-2] != MAQAF and before and not before.isspace() and before not in _OPENING_CHARS:
        return f"{text[:-2]} {text[-2]}"  # Rabbi(⏎ → Rabbi (
    return text[:-1]


def _breaks_between(text: str) -> str:
    """The line breaks of ``text`` resolved by the rules of the module doc."""
    if _MOVE_AT.search(text):
        text = _MOVE.sub(r" \1\2", text)
    return _JOIN.sub("", text).replace("\n", " ")
