"""Study Notes (``sn``, TSV laid out like tN TSV7) and Study Questions (``sq``, TSV laid out like
tQ TSV): one page per book, rendered with the tN and tQ renderers of
:mod:`tx_mkdocs.types.bookhelps`.

Ids use the prefix ``study`` for both (``study-chunk-tit-001-002``, row IDs as anchors): an
``rc://*/sn/…`` or ``rc://*/sq/…`` link is mapped by :meth:`rc_target`, which is not told which of
the two resources it is resolving, so both must share one naming.
"""

from __future__ import annotations

from ...core.links import LinkTable
from ...core.log import BuildLog
from ...core.rc import RC
from ..bookhelps import Anchors, BookHelpsType, BookSource, Entry, note_entries, question_entries

QUESTIONS = "TSV_Study_Questions"


class StudyType(BookHelpsType):
    name = "study"
    templates = ("study.html",)
    subjects = ("TSV_Study_Notes", QUESTIONS)
    rc_resources = ("sn", "sq")

    def body_class(self, rc: RC) -> str:
        return "sq" if rc.subject == QUESTIONS else "sn"

    def tsv_entries(self, rc: RC, source: BookSource, anchors: Anchors, log: BuildLog,
                    links: LinkTable) -> list[Entry]:
        render = question_entries if rc.subject == QUESTIONS else note_entries
        return render(rc, source, anchors, log, links)


TYPE = StudyType()
