"""Bible book codes and Door43's three numbering schemes.

- USFM file number (``NN`` in ``41-MAT.usfm`` / ``41-MAT.html``; 40 is skipped, FRT is ``A0``);
- the 3-digit anchor key of the old HTML (``040-ch-001-v-001``; MAT is 040, FRT 000);
- the manifest ``sort`` (canonical index, MAT = 40).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Book:
    code: str  # upper-case USFM code: "MAT"
    name: str  # English name: "Matthew"
    usfm_number: str  # "41"
    index: int  # canonical index: 40 (0 for front matter)

    @property
    def anchor_key(self) -> str:
        """3-digit key of Door43 verse and chapter ids (``040``)."""
        return f"{self.index:03d}"

    @property
    def page_stem(self) -> str:
        """Door43 page name without extension (``41-MAT``)."""
        return f"{self.usfm_number}-{self.code}"

    @property
    def testament(self) -> str:
        """``ot``, ``nt``, ``dc`` (deuterocanon), or for a peripheral book where a printed Bible
        has it: ``front`` (FRT, INT: before the testaments) or ``back`` (the rest: after them)."""
        if 1 <= self.index <= 39:
            return "ot"
        if 40 <= self.index <= 66:
            return "nt"
        if self.index >= 67:
            return "dc"
        return "front" if self.code in FRONT_MATTER else "back"


_OT = [
    ("GEN", "Genesis"), ("EXO", "Exodus"), ("LEV", "Leviticus"), ("NUM", "Numbers"),
    ("DEU", "Deuteronomy"), ("JOS", "Joshua"), ("JDG", "Judges"), ("RUT", "Ruth"),
    ("1SA", "1 Samuel"), ("2SA", "2 Samuel"), ("1KI", "1 Kings"), ("2KI", "2 Kings"),
    ("1CH", "1 Chronicles"), ("2CH", "2 Chronicles"), ("EZR", "Ezra"), ("NEH", "Nehemiah"),
    ("EST", "Esther"), ("JOB", "Job"), ("PSA", "Psalms"), ("PRO", "Proverbs"),
    ("ECC", "Ecclesiastes"), ("SNG", "Song of Songs"), ("ISA", "Isaiah"), ("JER", "Jeremiah"),
    ("LAM", "Lamentations"), ("EZK", "Ezekiel"), ("DAN", "Daniel"), ("HOS", "Hosea"),
    ("JOL", "Joel"), ("AMO", "Amos"), ("OBA", "Obadiah"), ("JON", "Jonah"), ("MIC", "Micah"),
    ("NAM", "Nahum"), ("HAB", "Habakkuk"), ("ZEP", "Zephaniah"), ("HAG", "Haggai"),
    ("ZEC", "Zechariah"), ("MAL", "Malachi"),
]
_NT = [
    ("MAT", "Matthew"), ("MRK", "Mark"), ("LUK", "Luke"), ("JHN", "John"), ("ACT", "Acts"),
    ("ROM", "Romans"), ("1CO", "1 Corinthians"), ("2CO", "2 Corinthians"),
    ("GAL", "Galatians"), ("EPH", "Ephesians"), ("PHP", "Philippians"), ("COL", "Colossians"),
    ("1TH", "1 Thessalonians"), ("2TH", "2 Thessalonians"), ("1TI", "1 Timothy"),
    ("2TI", "2 Timothy"), ("TIT", "Titus"), ("PHM", "Philemon"), ("HEB", "Hebrews"),
    ("JAS", "James"), ("1PE", "1 Peter"), ("2PE", "2 Peter"), ("1JN", "1 John"),
    ("2JN", "2 John"), ("3JN", "3 John"), ("JUD", "Jude"), ("REV", "Revelation"),
]
_DEUTEROCANON = [
    ("TOB", "Tobit"), ("JDT", "Judith"), ("ESG", "Esther (Greek)"),
    ("WIS", "Wisdom of Solomon"), ("SIR", "Sirach"), ("BAR", "Baruch"),
    ("LJE", "Letter of Jeremiah"), ("S3Y", "Song of the Three Young Men"), ("SUS", "Susanna"),
    ("BEL", "Bel and the Dragon"), ("1MA", "1 Maccabees"), ("2MA", "2 Maccabees"),
    ("3MA", "3 Maccabees"), ("4MA", "4 Maccabees"), ("1ES", "1 Esdras"), ("2ES", "2 Esdras"),
    ("MAN", "Prayer of Manasseh"), ("PS2", "Psalm 151"),
]
#: Peripheral books read before the testaments; the others (BAK, GLO, …) come after them.
FRONT_MATTER = frozenset({"FRT", "INT"})
# Peripheral books: (code, name, USFM number). Anchor key 000 like Door43's FRT.
_PERIPHERAL = [
    ("FRT", "Front Matter", "A0"), ("BAK", "Back Matter", "A1"), ("OTH", "Other Matter", "A2"),
    ("INT", "Introductions", "A7"), ("CNC", "Concordance", "A8"), ("GLO", "Glossary", "A9"),
    ("TDX", "Topical Index", "B0"), ("NDX", "Names Index", "B1"),
]


def _table() -> dict[str, Book]:
    books: dict[str, Book] = {}
    for i, (code, name) in enumerate(_OT, start=1):
        books[code] = Book(code, name, f"{i:02d}", i)
    for i, (code, name) in enumerate(_NT, start=40):
        books[code] = Book(code, name, f"{i + 1:02d}", i)
    for i, (code, name) in enumerate(_DEUTEROCANON, start=67):
        books[code] = Book(code, name, f"{i + 1:02d}", i)
    for code, name, number in _PERIPHERAL:
        books[code] = Book(code, name, number, 0)
    return books


BOOKS: dict[str, Book] = _table()

#: Common English abbreviations (SBL and others) that are neither the book's code nor a prefix
#: of its English name — a reader's "Jn 3:16", "Mt 5", "Ps 23" (prefixes work by themselves).
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "LEV": ("Lv",), "NUM": ("Nm", "Nb"), "DEU": ("Dt",), "JOS": ("Jsh",), "JDG": ("Jdgs", "Jg"),
    "RUT": ("Rth",), "1SA": ("1 Sm",), "2SA": ("2 Sm",), "1KI": ("1 Kgs",), "2KI": ("2 Kgs",),
    "PSA": ("Pss",), "PRO": ("Prv",), "ECC": ("Qoh",), "SNG": ("SOS", "Cant", "Song of Solomon"),
    "JER": ("Jr",), "DAN": ("Dn",), "JOL": ("Jl",), "JON": ("Jnh",), "HAB": ("Hb",),
    "ZEP": ("Zp",), "HAG": ("Hg",), "ZEC": ("Zc",), "MAL": ("Ml",), "MAT": ("Mt",),
    "MRK": ("Mk", "Mr"), "LUK": ("Lk",), "JHN": ("Jn",), "ROM": ("Rm",), "1TI": ("1 Tm",),
    "2TI": ("2 Tm",), "TIT": ("Tt",), "PHM": ("Phlm",), "JAS": ("Jm",), "1PE": ("1 Pt",),
    "2PE": ("2 Pt",), "JUD": ("Jd",), "REV": ("Rv", "Apoc"),
}

#: Reading order: peripherals FRT and INT first (as Door43 did), then canon, then the rest.
_ORDER = {code: n for n, code in enumerate(
    [*sorted(FRONT_MATTER), *(code for code, _ in _OT + _NT + _DEUTEROCANON)])}


def book(code: str) -> Book | None:
    """The book for a USFM code, case-insensitive; None if unknown."""
    return BOOKS.get(code.strip().upper())


def sort_key(code: str) -> tuple[int, str]:
    """Canonical reading order for a book code (unknown codes last, alphabetically)."""
    code = code.upper()
    return (_ORDER.get(code, len(_ORDER) + (0 if code in BOOKS else 1)), code)
