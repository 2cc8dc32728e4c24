"""Translation Notes: TSV 7-column (``tn_TIT.tsv``), TSV 9-column (``en_tn_57-TIT.tsv``) and
Markdown (``tit/01/01.md``), one page per book with Door43's ``tn-…`` ids.

Each TSV note shows its quote (the GL quote of TSV9 when there is one, else the original-language
quote), its occurrence when not the first, a link to its tA article (SupportReference: an rc link
or a bare slug such as ``figs-idiom``), and its Markdown with literal ``\\n`` and ``<br>`` as line
breaks (:mod:`~tx_mkdocs.types.bookhelps.notes`, shared with the ``study`` type).
"""

from __future__ import annotations

from ..bookhelps import BookHelpsType, note_entries


class TnType(BookHelpsType):
    name = "tn"
    templates = ("tn.html",)
    subjects = ("Translation_Notes", "TSV_Translation_Notes")
    rc_resources = ("tn",)
    markdown = True

    tsv_entries = staticmethod(note_entries)


TYPE = TnType()
