"""Search entries come from the core's pages (Material does not parse them again)."""

from __future__ import annotations

import json
from pathlib import Path

from tx_mkdocs.core.model import Page
from tx_mkdocs.core.search import clear_cache, search_entries

from .helpers import EXAMPLES, build_cli


def test_entries_per_heading_with_escaped_text():
    page = Page("x.md", "A & B", '<nav class="g"><a href="#c1">1</a></nav><p>intro</p>'
                '<h2 class="c-num" id="c1">1</h2><p>one &lt;b&gt; <span>two</span></p>'
                '<h3>no id</h3><p>three</p><h2 id="c2">Two</h2><p>four</p>')
    entries = search_entries(page)
    assert [(e.anchor, e.title, e.text) for e in entries] == [
        ("", "A &amp; B", "intro"),
        ("c1", "1", "one &lt;b&gt; two no id three"),
        ("c2", "Two", "four"),
    ]


def test_site_search_index_has_every_chapter_once(tmp_path: Path):
    build_cli(EXAMPLES / "bible", tmp_path)
    docs = json.loads((tmp_path / "search" / "search_index.json").read_text())["docs"]
    locations = [d["location"] for d in docs]
    assert len(locations) == len(set(locations))
    assert "64-2JN.html#063-ch-001" in locations and "65-3JN.html#064-ch-001" in locations
    verse = next(d for d in docs if d["location"] == "64-2JN.html#063-ch-001-v-001")
    assert verse["title"] == "2 John 1:1" and verse["text"].startswith("The elder writes to")
    assert "chosen lady" in verse["text"] and "dear lady" not in verse["text"]
    # the footnote is searchable with its chapter, not inside verse 5's short text
    chapter = next(d for d in docs if d["location"] == "64-2JN.html#063-ch-001")
    five = next(d for d in docs if d["location"] == "64-2JN.html#063-ch-001-v-005")
    assert "let us keep loving" in chapter["text"] and "keep loving" not in five["text"]


def test_verses_of_a_chapter_are_entries_of_their_own():
    page = Page("x.md", "Ruth", '<h2 class="c-num" id="008-ch-002">2</h2><p>Head '
                '<span class="v-num" id="008-ch-002-v-001"><sup>1</sup></span> One'
                '<sup class="fn-caller"><a href="#fn-1" id="ref-fn-1">1</a></sup> &amp; more '
                '<span class="v-num" id="008-ch-002-v-002"><sup>2-3</sup></span> Two</p>'
                '<div class="footnotes">\n<p class="footnote" id="fn-1">A note</p>\n</div>')
    assert [(e.anchor, e.title, e.text) for e in search_entries(page)] == [
        ("", "Ruth", ""),
        ("008-ch-002", "2", "Head A note"),
        ("008-ch-002-v-001", "Ruth 2:1", "One &amp; more"),
        ("008-ch-002-v-002", "Ruth 2:2-3", "Two"),
    ]


def test_clear_cache_cuts_the_pages_anew():
    page = Page("x.md", "A", '<h2 id="c1">1</h2><p>one</p>')
    kept = search_entries(page)
    assert search_entries(page)[1] is kept[1]  # the same page: its cut sections, kept
    clear_cache()
    again = search_entries(page)
    assert again == kept and again[1] is not kept[1]


def test_whitespace_folds_to_one_space_whatever_it_is():
    """Single spaces are left where they are (not matched one by one); every other run of
    whitespace, tags included, is one space, as ``str.split`` sees whitespace."""
    html = ('<h2 id="a">T</h2>\n<p>one two\tthree\u00a0four \n five</p><p>six'
            '\u2003 seven <b>eight</b><i> </i>nine\u3000\u3000ten\x1felf </p>')
    [_, entry] = search_entries(Page(path="p.md", title="P", html=html))
    assert entry.text == "one two three four five six seven eight nine ten elf"
