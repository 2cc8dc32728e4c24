"""The USFM/USX committee's conformance corpus (../shared/usfm-conformance, CC BY 4.0, tcdocs).

- No case may raise.
- ``pass`` cases with an expected USX: our verse texts equal those of ``origin.xml`` (the USX keeps
  whitespace; its USJ does not), compared as in test_usfm_fidelity.py: the same rule for what is
  verse text, the same normalization.
- ``fail`` cases: at least one diagnostic about the content itself (the book-level checks, such as
  missing headers or chapters against the versification, do not count: the cases are excerpts).

Every case that still differs must be listed, with its reason, in usfm_known_differences.tsv, and
every listed case must still differ (so the list stays short and true).
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tx_mkdocs.usfm import render_book

from .fuzzing import tried
from .helpers import require_shared
from .usfm_support import NON_VERSE_PARAGRAPHS, html_verses, normalize, same_words

KNOWN = Path(__file__).with_name("usfm_known_differences.tsv")
#: Checks of a whole book: every excerpt of the corpus would trigger them.
BOOK_LEVEL = frozenset(("usfm.missing-header", "usfm.chapter-count", "usfm.verse-count"))

#: USX paragraph styles that are not verse text: those of NON_VERSE_PARAGRAPHS, headings and
#: titles (h1–h6 in our HTML), identification, introductions.
_USX_NON_VERSE = re.compile(
    r"(?:mt\d?|mte\d?|ms\d?|s[1-4]?|cl|h\d?|toc\d|toca\d|rem|sts|usfm|restore|periph|i\w*|"
    + "|".join(sorted(NON_VERSE_PARAGRAPHS)) + ")")
_USX_SKIPPED = frozenset(("note", "figure", "book", "sidebar"))
_USX_BLOCKS = frozenset(("para", "cell", "row", "table"))
_ID_KEY = re.compile(r"-ch-(\d+)(?:-(\d+))?-v-(\d+)(?:-(\d+))?$")


def _number(text: str | None) -> int:
    match = re.search(r"\d+", text or "")
    return int(match.group()) if match else 0


def usx_verses(xml: str) -> dict[tuple[int, int, int, int], str]:
    """(chapter, its occurrence, verse, its occurrence) → verse text of a USX document.

    A verse runs from its ``<verse>`` to its ``eid`` or the next verse or chapter; notes and
    figures are left out. Whitespace-only text with a line break is the file's indentation.
    """
    texts: dict[tuple[int, int, int, int], list[str]] = {}
    seen: dict[tuple, int] = {}
    state: dict = {"chapter": (0, 1), "verse": None}

    def add(text: str | None) -> None:
        if text and state["verse"] is not None and not (text.isspace() and "\n" in text):
            texts[state["verse"]].append(text)

    def occurrence(key: tuple) -> int:
        seen[key] = seen.get(key, 0) + 1
        return seen[key]

    def walk(element: ET.Element) -> None:
        tag, style = element.tag, element.get("style", "")
        if tag == "chapter":
            state["verse"] = None
            if element.get("number") is not None:
                number = _number(element.get("number"))
                state["chapter"] = (number, occurrence((number,)))
        elif tag == "verse":
            if element.get("number") is None:  # eid
                state["verse"] = None
            else:
                key = (*state["chapter"], _number(element.get("number")))
                state["verse"] = (*key, occurrence(key))
                texts[state["verse"]] = []
        elif tag == "para" and _USX_NON_VERSE.fullmatch(style):
            before, state["verse"] = state["verse"], None  # unless a verse starts inside it
            for child in element:
                walk(child)
                add(child.tail)
            if state["verse"] is None:
                state["verse"] = before
        elif tag not in _USX_SKIPPED and not (tag == "char" and style in ("va", "vp", "ca")):
            block = tag in _USX_BLOCKS
            if block:
                add(" ")
            add(element.text)
            for child in element:
                walk(child)
                add(child.tail)
            if block:
                add(" ")

    walk(ET.fromstring(xml))
    return {key: "".join(parts) for key, parts in texts.items()}


def our_verses(page: str) -> dict[tuple[int, int, int, int], str]:
    """The same keys for our HTML (ids ``…-ch-001[-2]-v-001[-2]`` carry the occurrences)."""
    verses = {}
    for verse_id, text in html_verses(page)[0].items():
        match = _ID_KEY.search(verse_id)
        assert match, verse_id
        chapter, chapter_n, verse, verse_n = match.groups()
        verses[(int(chapter), int(chapter_n or 1), int(verse), int(verse_n or 1))] = text
    return verses


def _known() -> dict[str, tuple[str, str]]:
    """case path → (kind, reason); kind is "text" or "diagnostic"."""
    with KNOWN.open(encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle, delimiter="\t") if r and not r[0].startswith("#")]
    assert all(len(r) == 3 and r[2].strip() for r in rows), "case<TAB>kind<TAB>reason"
    return {case: (kind, reason) for case, kind, reason in rows}


@pytest.mark.slow
def test_conformance_corpus(capsys):
    corpus = require_shared("usfm-conformance")
    with (corpus / "index.tsv").open(encoding="utf-8") as handle:
        cases = list(csv.DictReader(handle, delimiter="\t"))
    known = _known()
    exceptions, text_differ, not_flagged, noisy = [], set(), set(), []
    passes = compared = equal = fails = flagged = 0
    for case in cases:
        folder = corpus / case["case_path"]
        name = case["case_path"].removeprefix("cases/")
        if not (folder / "origin.usfm").is_file():
            continue
        text = (folder / "origin.usfm").read_text(encoding="utf-8")
        try:  # the point: nothing may raise (counted in the fuzzing summary, as a fuzzer)
            rendered = tried(f"usfm conformance ({case['validated']} cases)", render_book, text)
        except Exception as exc:
            exceptions.append((name, repr(exc)))
            continue
        content = [m for m in rendered.messages if m.code not in BOOK_LEVEL]
        if case["validated"] == "fail":
            fails += 1
            if content:
                flagged += 1
            else:
                not_flagged.add(name)
            continue
        passes += 1
        noisy += [name] if content else []
        if not (folder / "origin.xml").is_file():
            continue
        compared += 1
        expected = usx_verses((folder / "origin.xml").read_text(encoding="utf-8-sig"))
        ours = our_verses(rendered.html)
        if ours.keys() == expected.keys() and all(
                same_words(ours[k], expected[k]) for k in ours):
            equal += 1
        else:
            text_differ.add(name)
    listed_text = {c for c, (kind, _) in known.items() if kind == "text"}
    listed_flag = {c for c, (kind, _) in known.items() if kind == "diagnostic"}
    with capsys.disabled():
        print(f"\nconformance: {passes} pass cases, {compared} with USX compared, {equal} equal, "
              f"{len(text_differ)} known differences ({len(noisy)} pass cases with a diagnostic); "
              f"{fails} fail cases, {flagged} flagged, {len(not_flagged)} known differences; "
              f"{len(exceptions)} exceptions")
    assert not exceptions, exceptions
    assert text_differ == listed_text, (sorted(text_differ - listed_text),
                                        sorted(listed_text - text_differ))
    assert not_flagged == listed_flag, (sorted(not_flagged - listed_flag),
                                        sorted(listed_flag - not_flagged))


def test_usx_reader_follows_the_verse_rules():
    usx = """<usx version="3.0"><book code="GEN" style="id">Genesis</book>
  <chapter number="1" style="c" sid="GEN 1"/>
  <para style="s1">Heading</para>
  <para style="p">
    <verse number="1" style="v" sid="GEN 1:1"/>In <char style="w">the</char> <char style="nd">
    Lord</char><note caller="+" style="f"><char style="ft">note</char></note>.<verse eid="GEN 1:1"/>
    <verse number="2" style="v" sid="GEN 1:2"/>Two</para>
  <para style="lit">Glory: <verse number="3" style="v"/>Three</para>
  <chapter eid="GEN 1"/></usx>"""
    assert {k: normalize(v) for k, v in usx_verses(usx).items()} == {
        (1, 1, 1, 1): "In the Lord", (1, 1, 2, 1): "Two", (1, 1, 3, 1): "Three"}
