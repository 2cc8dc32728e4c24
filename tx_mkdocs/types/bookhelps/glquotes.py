"""GL quotes: the words of the related aligned Bible (``--with en_ult``) that translate a row's
original-language quote, shown next to it (tN, SN notes and TWL rows).

The book's alignment is read once, when its helps book is rendered
(:func:`~tx_mkdocs.usfm.alignment.read_alignment`); without a related Bible nothing changes. With
the original-language Bible also related (UGNT, UHB), a quote's words and their occurrences are
found in its verse text (:class:`~tx_mkdocs.usfm.alignment.SourceVerse`), as uw-quote-helpers does.
"""

from __future__ import annotations

import html

from ...core.log import BuildLog
from ...core.rc import RC
from ...core.tsv import Row
from ...usfm.alignment import BookAlignment, SourceVerse, read_alignment
from ...usfm.tokenizer import normalize
from .refs import FRONT, INTRO, OTHER
from .rows import Placed, TsvChecks

#: Subjects of the original-language Bibles whose verse text counts a quote's occurrences.
ORIGINAL_SUBJECTS = ("Greek_New_Testament", "Hebrew_Old_Testament")


class GlQuotes:
    """The GL quotes of one helps book, from the related Bible's same book."""

    def __init__(self, rc: RC, code: str, log: BuildLog) -> None:
        self.book: BookAlignment | None = None
        #: The original-language book (its words as a book of verses), when related.
        self.source: BookAlignment | None = None
        self.lang, self.dir, self.bible = "", "ltr", ""
        bible = rc.related.bible()
        found = _book_text(bible, code) if bible is not None else None
        if bible is None or found is None:
            return
        path, text = found
        if "\\zaln-s" not in text:  # no quote could be found: said once, not for every row
            log.warning(f"{bible.name} has no word alignment (\\zaln-s) in {path}: the {code} "
                        "rows have no GL quotes", code="helps.gl-unaligned")
            return
        self.book = read_alignment(normalize(text))
        language = bible.manifest.language
        self.lang, self.dir = language.identifier, language.direction
        self.bible = f"{language.identifier}_{bible.manifest.identifier}"
        for subject in ORIGINAL_SUBJECTS:
            original = rc.related.find(subject=subject)
            source = _book_text(original, code) if original is not None else None
            if original is not None and source is not None:
                self.source = read_alignment(normalize(source[1]))
                self.bible += f" (words counted in {original.name})"
                break

    def html(self, item: Placed, quote: str, checks: TsvChecks) -> str:
        """The GL quote of a row as a ``tx-gl-quote`` element, "" when there is none to give;
        a quote that the Bible's alignment does not have is reported (the row stays)."""
        if self.book is None:  # no related Bible: the usual build, nothing to read per row
            return ""
        ref, row = item.ref, item.row
        occurrence = _occurrence(row)
        if (not quote.strip() or occurrence in (None, 0) or ref.chapter in (FRONT, OTHER)
                or ref.verse == INTRO):
            return ""
        verse = self.book.verse(ref.chapter, ref.verse, ref.end or None)
        source = (self.source.verse(ref.chapter, ref.verse, ref.end or None)
                  if self.source is not None else None)
        found = (verse.gl_quote(quote, occurrence,
                                SourceVerse(source.targets) if source is not None else None)
                 if verse is not None else None)
        if found is None:
            checks.warn(row, item.where, f"Quote '{quote.strip()}' (occurrence {occurrence}) is "
                        f"not in the alignment of {self.bible}: no GL quote",
                        code="helps.gl-quote")
            return ""
        return (f'<span class="tx-gl-quote" lang="{html.escape(self.lang)}" '
                f'dir="{html.escape(self.dir)}">{html.escape(found)}</span>')


def _book_text(bible: RC, code: str) -> tuple[str, str] | None:
    """The repo path and USFM of one book of a related Bible, None when it has not that book."""
    project = next((p for p in bible.manifest.projects
                    if p.identifier.upper() == code.upper()), None)
    path = bible.project_path(project, BuildLog()) if project is not None else None
    if path is None:
        return None
    try:
        return path, bible.fs.read_text(path)
    except OSError:
        return None


def _occurrence(row: Row) -> int | None:
    """The row's Occurrence (1 when empty), None when unreadable (reported by the row checks)."""
    value = row["Occurrence"].strip() or "1"
    try:
        return int(value)
    except ValueError:
        return None
