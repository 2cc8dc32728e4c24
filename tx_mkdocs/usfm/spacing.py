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

MAQAF = "\u05be"

#: Po characters that are not closing: they stand alone or open (¿ ¡), or are symbols.
_NOT_CLOSING = frozenset("\"'¿¡*#%&@/\\§¶†‡\u05c0\u2e18\u2e2e")  # \u05c0 paseq stands free


def _punctuation() -> tuple[str, str]:
    """(closing, opening) punctuation characters, from the Unicode categories."""
    closing, opening = [], []
    for code in range(0x20000):  # the planes that hold punctuation (BMP, SMP)
        char = chr(code)
        category = unicodedata.category(char)
        if category in ("Pe", "Pf") or (category == "Po" and char not in _NOT_CLOSING):
            closing.append(char)
        elif category in ("Ps", "Pi") or char in "¿¡":
            opening.append(char)
    return "".join(closing), "".join(opening)


def _ranges(chars: str) -> str:
    """A regex class body for ``chars`` (sorted), with runs of code points as ranges."""
    parts, codes = [], [ord(c) for c in chars]
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        first, last = re.escape(chr(codes[i])), re.escape(chr(codes[j]))
        parts.append(first if i == j else f"{first}-{last}")
        i = j + 1
    return "".join(parts)


_CLOSING_CHARS, _OPENING_CHARS = _punctuation()
#: (closing, opening) brackets: Pe and Ps.
_BRACKETS = tuple("".join(c for c in chars if unicodedata.category(c) == category)
                  for chars, category in ((_CLOSING_CHARS, "Pe"), (_OPENING_CHARS, "Ps")))
_CLOSING, _OPENING = _ranges(_CLOSING_CHARS), _ranges(_OPENING_CHARS)
_LOWER = _ranges("".join(chr(c) for c in range(0x20000) if unicodedata.category(chr(c)) == "Ll"))
_LETTER = r"[^\W\d_]"
_QUOTE = "\"'"

_BEFORE_BREAK = re.compile(r"(?<![ \t])[ \t]+\n")  # from the run's start: linear
_AFTER_BREAK = re.compile(r"\n[ \t]+")
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
#: engine scans for it at C speed); between two letters, the usual case, four tests fail fast.
_JOIN = re.compile(
    rf"\n(?:(?=[{_CLOSING}{MAQAF}])"  # before closing punctuation, before a maqaf
    rf"|(?<=[{_OPENING}{MAQAF}]\n)"  # after opening punctuation, after a maqaf
    rf"|(?<=[{_QUOTE}’-]\n)(?:"  # after a quote or a hyphen:
    rf"(?<=^[{_QUOTE}]\n)(?={_LETTER})"  # an opening quote at the start,
    rf"|(?<=[\s{_OPENING}][{_QUOTE}]\n)(?={_LETTER})"  # after a space or (,
    rf"|(?<=[,:;][{_QUOTE}]\n)(?={_LETTER})(?![{_LOWER}])"  # after , : ; (not "a ghost," and)
    rf"|(?<={_LETTER}-\n)(?={_LETTER})"  # in a hyphenated word
    rf"|(?<=\w['’]\n)(?=s(?!\w)))"  # camel' s (tC 2018 split possessives)
    rf"|(?=[{_QUOTE}-])(?:"  # before a quote or a hyphen:
    rf"(?=[{_QUOTE}](?!\n?{_LETTER}))"  # a closing straight quote,
    rf"|(?<={_LETTER}\n)(?=-{_LETTER})))"  # in a hyphenated word
)

#: Written spaces that no writing convention has: before ``,`` ``.`` (not a spaced ellipsis) or a
#: closing bracket, after an opening bracket, around a maqaf (``لاتانە .``, ``( لووت)``).
_SLIP = re.compile(
    rf" (?=[,.{_ranges(_BRACKETS[0])}{MAQAF}])(?!\.\.)"
    rf"| (?<=[{_ranges(_BRACKETS[1])}{MAQAF}] )")


def breaks(text: str) -> str:
    """Whitespace as single spaces (written on a line) and single newlines (line breaks)."""
    if "\t" in text or "\f" in text or "\v" in text:
        text = text.replace("\t", " ").replace("\f", " ").replace("\v", " ")
    if "\n" in text:
        if " \n" in text:
            text = _BEFORE_BREAK.sub("\n", text)
        if "\n " in text:
            text = _AFTER_BREAK.sub("\n", text)
        while "\n\n" in text:
            text = text.replace("\n\n", "\n")
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def space(text: str) -> str:
    """``text`` (alignment milestones removed, whitespace through :func:`breaks`) with its line
    breaks resolved into spaces or none, and its slips of the space bar removed."""
    if " " in text:  # written spaces only: line breaks are still newlines
        text = _SLIP.sub("", text)
    if "\n" in text:
        if _MOVE_AT.search(text):
            text = _MOVE.sub(r" \1\2", text)
        text = _JOIN.sub("", text).replace("\n", " ")
    return text
