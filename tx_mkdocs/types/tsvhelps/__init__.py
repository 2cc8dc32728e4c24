"""The rows of helps TSV files, shared by the Bible-book helps (``bookhelps``: tN, tQ, TWL, SN,
SQ) and the OBS helps (``obs_helps``): a library of the types layer, not a type.

``rows``: the columns of each kind of file, Door43's row checks with one set of message codes
(``tsv.id-missing``, ``tsv.id-bad``, ``tsv.id-duplicate``, ``tsv.occurrence``,
``tsv.whitespace`` …) and the links a row makes (SupportReference → tA, TWLink → tW).
"""

from __future__ import annotations

from .rows import (
    COLUMNS,
    QUOTE_COLUMNS,
    TN7,
    TN9,
    TQ,
    TWL,
    RowChecks,
    rc_link,
    support_reference,
    tw_link,
)

__all__ = [
    "COLUMNS",
    "QUOTE_COLUMNS",
    "TN7",
    "TN9",
    "TQ",
    "TWL",
    "RowChecks",
    "rc_link",
    "support_reference",
    "tw_link",
]
