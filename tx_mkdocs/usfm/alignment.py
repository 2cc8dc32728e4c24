"""The word alignment of an aligned Bible (``\\zaln-s`` milestones around ``\\w`` words): which
target words translate which original words, verse by verse, and the GL quote of an original
quote (the target words of its original words, in target order).

With the original-language Bible (UGNT/UHB) also given, a quote's words are found in its verse
text as uw-quote-helpers finds them (:class:`SourceVerse`): each ``&`` or ``…`` part is a run of
adjacent words, the Occurrence counts the first part's runs, each later part is the next run after
the one before, and each word's occurrence is its count in the verse; without it, the alignment's
own ``x-occurrence`` attributes decide (:meth:`AlignedVerse.gl_quote`).

One regex pass over a book, linear in its size; it is a reader of its own, independent of the
renderer (which drops the alignment, :mod:`~tx_mkdocs.usfm.tokenizer`).

Original words are compared :func:`folded`: notes and Bibles differ in Unicode normalization
(NFC/NFD), word joiners (U+2060), Hebrew cantillation and maqaf, and in the apostrophe.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

_TOKEN = re.compile(
    r"\\c[ \t]+(\d+)"
    r"|\\v[ \t]+(\d+)"
    r"|\\zaln-s[ \t]*\|([^\\\n]*)(?:\\\*)?"
    r"|\\zaln-e\\\*"
    r"|\\\+?w[ \t]([^|\\]*)(?:\|[^\\]*)?\\\+?w\*"
)
#: The two attributes read (a literal name first: no backtracking across long words).
_CONTENT = re.compile(r'x-content[ \t]*=[ \t]*"([^"\n]*)"')
_OCCURRENCE = re.compile(r'x-occurrence[ \t]*=[ \t]*"([^"\n]*)"')
#: Invisible joiners (U+2060 between Hebrew morphemes): left out of words.
_JOINERS = re.compile("[\u2060\u200b-\u200d\ufeff]")
#: Hebrew cantillation marks (U+0591–U+05AF), meteg and paseq: left out when comparing loosely.
_CANTILLATION = re.compile("[\u0591-\u05af\u05bd\u05c0]")
_APOSTROPHES = str.maketrans({"'": "’", "ʼ": "’", "᾽": "’", "ʹ": "’"})
#: Between the parts of a quote: each part is a run of adjacent words in the original verse.
_PARTS = re.compile(r"&|…|\.\.\.")
#: Between the words of a quote: spaces, ellipses and maqaf.
_SEPARATORS = re.compile(r"[\s\u05be]+|…|\.\.\.")
_PUNCTUATION = ",.;:·;!?()[]{}“”\"‘«»\u05c3\u05be\u05c0—–-"
ELLIPSIS = "…"


@lru_cache(maxsize=1 << 16)  # a book's words repeat: quotes are read word by word
def surface(word: str) -> str:
    """A word as the alignment counts it (``x-occurrence`` counts each form with its accents):
    NFC, without joiners or outer punctuation, one apostrophe."""
    word = unicodedata.normalize("NFC", _JOINERS.sub("", word)).translate(_APOSTROPHES)
    return word.strip(_PUNCTUATION + " ")


@lru_cache(maxsize=1 << 16)
def folded(word: str) -> str:
    """A :func:`surface` form without Hebrew cantillation: notes and Bibles may differ in it."""
    decomposed = _CANTILLATION.sub("", unicodedata.normalize("NFD", surface(word)))
    return unicodedata.normalize("NFC", decomposed).strip(_PUNCTUATION + " ")


def quote_words(quote: str) -> list[str]:
    """The :func:`surface` forms of the original words of one part of a quote (no ``&``)."""
    return [w for w in map(surface, _SEPARATORS.split(quote)) if w and folded(w)]


def quote_parts(quote: str) -> list[list[str]]:
    """The parts of a quote (between ``&`` and ``…``), each the :func:`quote_words` of a run."""
    return [words for part in _PARTS.split(quote) if (words := quote_words(part))]


class SourceVerse:
    """A verse of the original-language Bible: its words, compared :func:`folded`, and each
    word's occurrence in the verse (as ``x-occurrence`` counts it: by its surface form)."""

    def __init__(self, words: list[str]) -> None:
        self.words = [surface(w) for w in words]
        self.loose = [folded(w) for w in self.words]
        seen: Counter[str] = Counter()
        self.occurrences = []
        for word in self.words:
            seen[word] += 1
            self.occurrences.append(seen[word])

    def places(self, parts: list[list[str]], occurrence: int) -> list[tuple[str, int]] | None:
        """The (surface form, occurrence) of the verse words a quote names, None when the verse
        does not have it: the ``occurrence``-th run of the first part (-1: every run), each later
        part the next run after the one before. Words are compared as written (accents count,
        as in uw-quote-helpers), else :func:`folded` when the quote is not there as written."""
        if not parts:
            return None
        for words, wanted in ((self.words, parts),
                              (self.loose, [[folded(w) for w in part] for part in parts])):
            positions = self._positions(words, wanted, occurrence)
            if positions:
                return [(self.words[i], self.occurrences[i]) for i in positions]
        return None

    @staticmethod
    def _positions(words: list[str], wanted: list[list[str]], occurrence: int) -> list[int]:
        """The positions in ``words`` of the quote's ``occurrence`` (-1: of every one)."""
        firsts = []
        start = _run(words, wanted[0], 0)
        while start is not None:
            firsts.append(start)
            start = _run(words, wanted[0], start + 1)
        if occurrence != -1:
            firsts = firsts[occurrence - 1:occurrence] if occurrence >= 1 else []
        positions: list[int] = []
        for first in firsts:
            chain = _follow(words, wanted, first)
            if chain is None and occurrence != -1:
                return []
            positions.extend(chain or ())
        return positions


def _follow(words: list[str], wanted: list[list[str]], first: int) -> list[int] | None:
    """The positions of one instance of a quote whose first part starts at ``first``."""
    positions = list(range(first, first + len(wanted[0])))
    end = positions[-1] + 1
    for part in wanted[1:]:
        at = _run(words, part, end)
        if at is None:
            return None
        end = at + len(part)
        positions.extend(range(at, end))
    return positions


def _run(words: list[str], part: list[str], start: int) -> int | None:
    """Where the words of ``part`` next stand together in ``words``, from ``start`` on."""
    size = len(part)
    for at in range(start, len(words) - size + 1):
        if words[at:at + size] == part:
            return at
    return None


@dataclass
class AlignedVerse:
    """One verse (or a range of verses joined): its target words and, for each original word
    and occurrence, the target words aligned to it."""

    targets: list[str] = field(default_factory=list)
    #: (original word's surface form, occurrence) → indexes of its target words, in order.
    places: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    #: (surface form, occurrence) → target position of its milestone (for nearness).
    at: dict[tuple[str, int], int] = field(default_factory=dict)
    #: surface form → how many times it occurs in the verse.
    counts: Counter[str] = field(default_factory=Counter)
    #: folded form → its surface forms in the verse, first seen first.
    forms: dict[str, list[str]] = field(default_factory=dict)

    def open(self, content: str, occurrence: str) -> tuple[str, int]:
        """A ``\\zaln-s`` of ``content``: its key (its ``x-occurrence``, else the next one)."""
        word = surface(content)
        same = self.forms.setdefault(folded(word), [])
        if word not in same:
            same.append(word)
        occ = int(occurrence) if occurrence.isdigit() and int(occurrence) > 0 else (
            self.counts[word] + 1)
        key = (word, occ)
        self.places.setdefault(key, [])
        self.at.setdefault(key, len(self.targets))
        self.counts[word] = max(self.counts[word], occ)
        return key

    def joined(self, other: AlignedVerse) -> AlignedVerse:
        """This verse followed by ``other`` (a range ``1:6-7``): occurrences count on."""
        out = AlignedVerse(self.targets + other.targets, dict(self.places), dict(self.at),
                           Counter(self.counts), {k: list(v) for k, v in self.forms.items()})
        shift = len(self.targets)
        for (word, occ), places in other.places.items():
            key = (word, occ + self.counts[word])
            out.places[key] = [i + shift for i in places]
            out.at[key] = other.at[(word, occ)] + shift
        for word, count in other.counts.items():
            out.counts[word] += count
        for loose, forms in other.forms.items():
            known = out.forms.setdefault(loose, [])
            known.extend(f for f in forms if f not in known)
        return out

    def gl_quote(self, quote: str, occurrence: int,
                 source: SourceVerse | None = None) -> str | None:
        """The target words of ``quote`` at its ``occurrence`` (-1: every one), in target order
        with ``…`` between words that are not adjacent; None when it is not in the verse.
        With the original ``source`` verse its words are found there; without it (or when
        that verse has not the quote: its versification or a Ketiv may differ) the
        ``&``-separated parts of a quote are pieces of one instance of it, so their words are
        taken together (``ἀληθείᾳ & ἀληθείᾳ`` is both occurrences).
        """
        chosen: set[int] | None = None
        if source is not None:
            keys = source.places(quote_parts(quote), occurrence)
            chosen = self._aligned(keys) if keys else None
        if not chosen:  # not in the original verse (another versification, a Ketiv): as without
            words = [self._form(word) for part in quote.split("&") for word in quote_words(part)]
            chosen = self._instances(words, occurrence) if words else None
        if not chosen:
            return None
        out: list[str] = []
        previous = None
        for index in sorted(chosen):
            if previous is not None and index != previous + 1:
                out.append(ELLIPSIS)
            out.append(self.targets[index])
            previous = index
        return " ".join(out)

    def _form(self, word: str) -> str:
        """The verse's surface form of a quote's word: the same, else the first that differs
        only in cantillation."""
        if word in self.counts:
            return word
        return next(iter(self.forms.get(folded(word), ())), word)

    def _aligned(self, keys: list[tuple[str, int]]) -> set[int]:
        """The target indexes aligned to these original words and occurrences."""
        chosen: set[int] = set()
        for word, occ in keys:
            key = (word, occ) if (word, occ) in self.places else (self._form(word), occ)
            chosen.update(self.places.get(key, ()))
        return chosen

    def _instances(self, words: list[str], occurrence: int) -> set[int] | None:
        """The target indexes of a quote's words. Without the original text its word order is
        unknown: the part's rarest word fixes the instance (its n-th occurrences are the n-th
        instance), and each other word is taken at the occurrence aligned nearest to it."""
        need = Counter(words)
        if any(self.counts[w] < n for w, n in need.items()):
            return None
        anchor = min(need, key=lambda w: (self.counts[w] // need[w], words.index(w)))
        instances = self.counts[anchor] // need[anchor]
        wanted = range(1, instances + 1) if occurrence == -1 else [occurrence]
        if occurrence != -1 and not 1 <= occurrence <= instances:
            return None
        chosen: set[int] = set()
        for instance in wanted:
            first = (instance - 1) * need[anchor] + 1
            # an occurrence may have no milestone (x-occurrence="2" without a 1st aligned)
            keys = [(anchor, occ) for occ in range(first, first + need[anchor])
                    if (anchor, occ) in self.at]
            if not keys:
                continue
            center = sum(self.at[k] for k in keys) / len(keys)
            for word, n in need.items():
                if word != anchor:
                    keys.extend((word, occ) for occ in self._nearest(word, n, center))
            for key in keys:
                chosen.update(self.places.get(key, ()))
        return chosen

    def _nearest(self, word: str, n: int, center: float) -> list[int]:
        """The ``n`` occurrences of ``word`` aligned nearest to ``center``, in order."""

        def distance(occ: int) -> tuple[float, int]:
            return abs(self.at.get((word, occ), 0) - center), occ

        return sorted(sorted(range(1, self.counts[word] + 1), key=distance)[:n])


@dataclass
class BookAlignment:
    """An aligned book: (chapter, verse) → :class:`AlignedVerse`."""

    verses: dict[tuple[int, int], AlignedVerse] = field(default_factory=dict)

    def verse(self, chapter: int, first: int, last: int | None = None) -> AlignedVerse | None:
        """A verse, or the verses ``first``–``last`` joined; None when none of them is there."""
        found = [self.verses[(chapter, v)] for v in range(first, (last or first) + 1)
                 if (chapter, v) in self.verses]
        if not found:
            return None
        joined = found[0]
        for other in found[1:]:
            joined = joined.joined(other)
        return joined


def read_alignment(text: str) -> BookAlignment:
    """The alignment of one USFM book (one pass; unaligned words are target words too)."""
    book = BookAlignment()
    chapter, verse = 0, AlignedVerse()
    open_keys: list[tuple[str, int]] = []
    for match in _TOKEN.finditer(text):
        c, v, attributes, word = match.groups()
        if c is not None:
            chapter, open_keys = int(c), []
            verse = AlignedVerse()  # chapter headings before \v 1 belong to no verse
        elif v is not None:
            verse, open_keys = book.verses.setdefault((chapter, int(v)), AlignedVerse()), []
        elif attributes is not None:
            content, occurrence = _CONTENT.search(attributes), _OCCURRENCE.search(attributes)
            open_keys.append(verse.open(content.group(1) if content else "",
                                        occurrence.group(1) if occurrence else ""))
        elif word is not None:
            index = len(verse.targets)
            verse.targets.append(word.strip())
            for key in open_keys:
                verse.places[key].append(index)
        elif open_keys:  # \zaln-e\*
            open_keys.pop()
    return book

