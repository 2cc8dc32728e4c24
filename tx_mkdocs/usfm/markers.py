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
CHAPTER_LABEL = "cl"  # \cl: chapter label (a prefix before \c 1, the literal label after \c)
CHAPTER_PUB = "cp"  # \cp: published chapter character
CHAR = "char"  # character styles, closed by \X*
NOTE = "note"  # \f, \fe, \ef (footnotes), \x, \ex (cross references)
NOTE_CHAR = "notechar"  # \fr \ft \fq …: inside notes, each one closes the previous one
CELL = "cell"  # table cells: spans closed by the next cell or the end of the row
MILESTONE = "milestone"  # \qt-s … \qt-e\*, \ts\*: dropped with their attributes
IGNORE = "ignore"  # markers with no output and no content of their own (\s5, \ie, \pb)


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
    for name in ("mr", "sr", "r", "sp", "qa", "cd"):
        m[name] = _block("p", name, HEADING)
    for name in ("p", "m", "po", "pr", "cls", "pmo", "pm", "pmc", "pmr", "mi", "nb", "pc",
                 "qr", "qc", "qd", "lh", "lf", "lit", "d", "tr", "ps", "psi",
                 "ip", "ipi", "im", "imi", "ipq", "imq", "ipr", "iex"):
        m[name] = _block("p", name)
    for base, count in (("pi", 3), ("ph", 3), ("q", 4), ("qm", 3), ("li", 4), ("lim", 4),
                        ("iq", 3), ("ili", 2), ("io", 4)):
        for name, level in _levels(base, count):
            m[name] = _block("p", f"{base}{level}")
    for name in ("b", "ib"):
        m[name] = Marker(BLANK, f'<div class="{name}"></div>\n')
    for name, level in _levels("sd", 4):
        m[name] = Marker(BLANK, f'<div class="sd{level}"></div>\n')
    m["cl"] = Marker(CHAPTER_LABEL)
    m["cp"] = Marker(CHAPTER_PUB)
    for name in ("s5", "ie", "pb", "esb", "esbe"):
        m[name] = Marker(IGNORE)

    for name in ("add", "bk", "dc", "k", "nd", "ord", "pn", "png", "addpn", "qt", "sig", "sls",
                 "tl", "no", "sc", "ior", "iqt", "rq", "qs", "qac", "litl", "lik", "w", "wg",
                 "wh", "wa", "rb", "pro", "fig", "jmp", "ndx", "ref", "ca", "va", "vp", "cat"):
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

    for kind in ("th", "thr", "thc", "tc", "tcr", "tcc"):
        for n in range(1, 6):
            m[f"{kind}{n}"] = _span(f"{kind}{n}", category=CELL)

    for name in ("ts", "zaln-s", "zaln-e", "k-s", "k-e", "ts-s", "ts-e", "t-s", "t-e",
                 "qt-s", "qt-e", *(f"qt{n}-{e}" for n in range(1, 6) for e in "se")):
        m[name] = Marker(MILESTONE)
    return m


MARKERS: dict[str, Marker] = _table()

#: Paragraph used when text or a verse appears where no paragraph is open.
IMPLICIT_PARAGRAPH = MARKERS["p"]

#: Header markers whose text is kept in RenderedBook.headers though they are also rendered.
TITLE_MARKERS = frozenset(n for n in MARKERS if n.startswith("mt") and not n.startswith("mte"))
