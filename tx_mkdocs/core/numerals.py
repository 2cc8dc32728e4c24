"""The digits a site writes its numbers in: the Bible's own (Arabic-Indic in a Kurdish Bible,
Devanagari …) where its chapter and verse labels show them, else Western.

Decided once per site, from all its books, so that a book or a generated page (the home page's
grids, the verse picker, search results) never shows Western digits next to books with their
own. Only what is shown changes: ids, URLs and references typed by readers stay ASCII.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

WESTERN_DIGITS = "0123456789"


def digits_of(value: str) -> str | None:
    """The ten digits of the first decimal digit in ``value`` ("بەشی١" → "٠١٢…٩", "Sabta 1" →
    "0123456789"), or None when it has none."""
    if value.isascii():
        return WESTERN_DIGITS if any(c.isdigit() for c in value) else None
    for char in value:
        if char.isdecimal():
            zero = ord(char) - unicodedata.decimal(char)
            return "".join(chr(zero + n) for n in range(10))
    return None


def site_digits(evidence: Iterable[Mapping[str, int]]) -> str:
    """The digits of a site from its books' evidence (each: digits → how many of its numbers
    and labels are written in them): those with the most evidence, a tie going to a Bible's own
    (a Bible that writes its own digits at all wants them); Western without any evidence."""
    total: Counter[str] = Counter()
    for counts in evidence:
        total.update(counts)
    if not total:
        return WESTERN_DIGITS
    return max(sorted(total), key=lambda digits: (total[digits], digits != WESTERN_DIGITS))


def in_digits(text: str, digits: str) -> str:
    """``text`` with its Western digits written in ``digits`` (the site's)."""
    if digits == WESTERN_DIGITS:
        return text
    return text.translate(str.maketrans(WESTERN_DIGITS, digits))
