"""Translation Questions: Markdown (``tit/01/01.md``, lower- or upper-case book folders) and TSV
(``tq_TIT.tsv``: Reference, ID, Tags, Quote, Occurrence, Question, Response), one page per book
with Door43's ``tq-…`` ids.

A question is shown as the old Markdown files had it: the question as a heading, the response
below (:mod:`~tx_mkdocs.types.bookhelps.questions`, shared with the ``study`` type).
"""

from __future__ import annotations

from ..bookhelps import BookHelpsType, question_entries


class TqType(BookHelpsType):
    name = "tq"
    templates = ("tq.html",)
    subjects = ("Translation_Questions", "TSV_Translation_Questions")
    rc_resources = ("tq",)
    markdown = True

    tsv_entries = staticmethod(question_entries)


TYPE = TqType()
