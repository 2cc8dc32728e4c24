"""USFM 3 marker table: what each marker is, and how it is rendered.

The categories follow the USFM 3 spec (tcdocs ``markers/``: para, char, note, ms, cv, fig, periph,
doc). The renderer dispatches on the category, so a marker added here needs no code elsewhere.
Numbered forms (``\\q`` = ``\\q1``, ``\\s`` = ``\\s1``) map to the class of level 1, as Door43 did.
"""

from __future__ import annotations

from typing import NamedTuple

# Categories. HEADING is a paragraph that cannot hold verses (a ``\v`` there opens a new ``<p>``).
HEADER = "header"  # identification / metadata: hidden, captured into RenderedBook.headers
PARA = "para"  # body and introduction paragraphs
HEADING = "heading"  # titles, section headings, references under headings
BLANK = "blank"  # \b, \ib: an empty block
META = "meta"  # text that labels something else: \cl \cp \ca (chapter), \vp (verse), \cat
CHAR = "char"  # character styles, closed by \X*
NOTE = "note"  # \f, \fe, \ef (footnotes), \x, \ex (cross references)
NOTE_CHAR = "notechar"  # \fr \ft \fq …: inside notes, each one closes the previous one
ROW = "row"  # \tr: a table row; consecutive rows make one <table>
CELL = "cell"  # table cells: closed by the next cell or the end of the row
SIDEBAR = "sidebar"  # \esb … \esbe: an <aside> around paragraphs
FIGURE = "figure"  # \fig caption|attributes\fig*
MILESTONE = "milestone"  # \qt-s … \qt-e\*, \ts\*: dropped with their attributes
IGNORE = "ignore"  # markers with no output and no content of their own (\s5, \ie, \pb)

#: Highest table column number with a marker of its own (\tc1 … \tc12, spans \tc1-2 …).
MAX_COLUMNS = 12


class Marker(NamedTuple):
    category: str
    open: str = ""  # HTML opening tag
    close: str = ""  # HTML closing tag


def _block(tag: str, cls: str, category: str = PARA) -> Marker:
    return Marker(category, f'<{tag} class="{cls}">', f"</{tag}>\n")


def _span(cls: str, tag: str = "span", category: str = CHAR) -> Marker:
    return Marker(category, f'<{tag} class="{cls}">', f"</{tag}>")


def _levels(name: str, count: int, first: int = 1) -> list[tuple[str, int]]:
    """``q`` → [("q", 1), ("q1", 1), ("q2", 2), …]: the bare name is level 1."""
    return [(name, first)] + [(f"{name}{n}", n) for n in range(first, first + count)]


def _table() -> dict[str, Marker]:
    m: dict[str, Marker] = {}
    for name in ("id", "usfm", "ide", "sts", "rem", "h", "h1", "h2", "h3",
                 "toc1", "toc2", "toc3", "toca1", "toca2", "toca3"):
        m[name] = Marker(HEADER)
    # Headings: (name, levels, tag of level 1, tag of the lower levels).
    for base, count, top, lower in (("mt", 4, "h1", "h2"), ("imt", 4, "h2", "h3"),
                                    ("mte", 2, "h2", "h3"), ("imte", 2, "h2", "h3"),
                                    ("ms", 3, "h3", "h4"), ("s", 4, "h3", "h4"),
                                    ("is", 2, "h3", "h4")):
        for name, level in _levels(base, count):
            m[name] = _block(top if level == 1 else lower, f"{base}{level}", HEADING)
    for name in ("iot", "periph"):
        m[name] = _block("h3" if name == "iot" else "h2", name, HEADING)
    # Not headings, but like them not verse text: explanatory (\iex) and liturgical (\lit) notes.
    for name in ("mr", "sr", "r", "sp", "qa", "cd", "iex", "lit"):
        m[name] = _block("p", name, HEADING)
    for name in ("p", "m", "po", "pr", "cls", "pmo", "pm", "pmc", "pmr", "mi", "nb", "pc",
                 "qr", "qc", "qd", "lh", "lf", "d", "ps", "psi",
                 "ip", "ipi", "im", "imi", "ipq", "imq", "ipr"):
        m[name] = _block("p", name)
    for base, count in (("pi", 3), ("ph", 3), ("q", 4), ("qm", 3), ("li", 4), ("lim", 4),
                        ("iq", 3), ("ili", 2), ("io", 4)):
        for name, level in _levels(base, count):
            m[name] = _block("p", f"{base}{level}")
    for name in ("b", "ib"):
        m[name] = Marker(BLANK, f'<div class="{name}"></div>\n')
    for name, level in _levels("sd", 4):
        m[name] = Marker(BLANK, f'<div class="sd{level}"></div>\n')
    for name in ("cl", "cp", "ca", "vp", "cat"):
        m[name] = Marker(META)
    for name in ("s5", "ie", "pb"):
        m[name] = Marker(IGNORE)
    m["esb"] = Marker(SIDEBAR, '<aside class="esb">\n', "</aside>\n")
    m["esbe"] = Marker(SIDEBAR)
    m["fig"] = Marker(FIGURE)
    m["tr"] = Marker(ROW, "<tr>", "</tr>\n")

    for name in ("add", "bk", "dc", "k", "nd", "ord", "pn", "png", "addpn", "qt", "sig", "sls",
                 "tl", "no", "sc", "ior", "iqt", "rq", "qs", "qac", "litl", "lik", "w", "wg",
                 "wh", "wa", "rb", "pro", "jmp", "ndx", "ref", "va"):
        m[name] = _span(name)
    for name, level in _levels("liv", 5):
        m[name] = _span(f"liv{level}")
    m["wj"] = _span("woc")
    m["it"] = _span("it", "em")
    m["em"] = _span("em", "em")
    m["bd"] = _span("bd", "strong")
    m["bdit"] = _span("bdit", "strong")
    m["sup"] = _span("sup", "sup")

    for name in ("f", "fe", "ef", "x", "ex"):
        m[name] = Marker(NOTE)
    for name in ("fr", "fk", "ft", "fl", "fw", "fp", "fv", "fdc", "fm",
                 "xo", "xk", "xt", "xta", "xop", "xot", "xnt", "xdc"):
        m[name] = _span(name, category=NOTE_CHAR)
    for name in ("fq", "fqa", "fqb", "xq"):
        m[name] = _span(name, "em", NOTE_CHAR)

    # Cells: \th (header) and \tc, "r" right-aligned, "c" centred; \tc1-3 spans 3 columns.
    for kind in ("th", "thr", "thc", "tc", "tcr", "tcc"):
        tag = "th" if kind.startswith("th") else "td"
        for first in range(1, MAX_COLUMNS + 1):
            m[f"{kind}{first}"] = _span(f"{kind}{first}", tag, CELL)
            for last in range(first + 1, MAX_COLUMNS + 1):
                name = f"{kind}{first}-{last}"
                m[name] = Marker(CELL, f'<{tag} class="{name}" colspan="{last - first + 1}">',
                                 f"</{tag}>")

    for name in ("ts", "zaln-s", "zaln-e", "k-s", "k-e", "ts-s", "ts-e", "t-s", "t-e",
                 "qt-s", "qt-e", *(f"qt{n}-{e}" for n in range(1, 6) for e in "se")):
        m[name] = Marker(MILESTONE)
    return m


MARKERS: dict[str, Marker] = _table()

#: Paragraph used when text or a verse appears where no paragraph is open.
IMPLICIT_PARAGRAPH = MARKERS["p"]

#: Header markers whose text is kept in RenderedBook.headers though they are also rendered.
TITLE_MARKERS = frozenset(n for n in MARKERS if n.startswith("mt") and not n.startswith("mte"))

#: The page has one <h1>: a second main title (``\mt1`` again) is demoted to this.
DEMOTED_TITLE = _block("h2", "mt1", HEADING)

#: Markers with a default attribute (``\w grace|lemma\w*``); on the others only named
#: attributes (``|key="value"``) are valid.
DEFAULT_ATTRIBUTE = frozenset(("w", "wg", "wh", "wa", "rb", "xt", "jmp", "ref", "fig", "k"))
