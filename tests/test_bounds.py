"""Huge, deep and long inputs: each is handled with work that grows linearly with its size, or
refused with a clear message.

Nothing may raise. No test here times anything: a loaded machine may be five times slower.
Instead each checks the work done where the quadratic shapes were: the characters the USFM
look-aheads read (at most the text's length per needle), the nesting depth of the HTML the
sanitizer (html5ever) built and the size of what it was handed, for a 200 MB USFM file, a
million-row TSV, character styles nested thousands deep, a 10 MB line, 80 000 ``\\fig`` on one
line, YAML and JSON nested past any parser's stack, Markdown nesting, bracket and ``<div>`` bombs.
The seconds each took are only printed (the summary of the run). The limits themselves are in
``tx_mkdocs/core/limits.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tx_mkdocs.build import build_site
from tx_mkdocs.core import markup
from tx_mkdocs.core.limits import (
    MAX_FILE_BYTES,
    MAX_HTML_NESTING,
    MAX_MARKDOWN_FILE_BYTES,
    MAX_MARKDOWN_NESTING,
    MAX_MESSAGE_CHARS,
    MAX_TSV_FILE_BYTES,
    MAX_TSV_ROWS,
)
from tx_mkdocs.core.links import LinkTable
from tx_mkdocs.core.markup import LinkContext, render_markdown
from tx_mkdocs.core.model import Site
from tx_mkdocs.types.bookhelps import pool as book_pool
from tx_mkdocs.usfm import render_book

from .fuzzing import BOUNDS
from .helps_support import make_repo

# dozens of bombs, each within their work bounds: about 20 s together
pytestmark = pytest.mark.slow


def bounded(name: str, function: Callable, *args, **kwargs):
    """Run one hostile input, which must not raise; its seconds go to the summary of the run
    (information only: the tests check the work done, never the time)."""
    started = time.perf_counter()
    try:
        result = function(*args, **kwargs)
    except Exception:
        BOUNDS.append((name, time.perf_counter() - started, "exception"))
        raise
    BOUNDS.append((name, time.perf_counter() - started, "ok"))
    return result


def work_within(name: str, work: float, bound: float, what: str) -> None:
    """The work the input ``name`` took is within its bound (the outcome goes to the summary)."""
    if work > bound:
        last = max(i for i, b in enumerate(BOUNDS) if b[0] == name)
        BOUNDS[last] = (name, BOUNDS[last][1], "over its work bound")
    assert work <= bound, f"{name}: {what} {work:,.0f}, more than {bound:,.0f}"


def texts(site: Site) -> list[str]:
    return [m.format() for m in site.log.messages]


def bible_repo(folder: Path, files: dict[str, bytes | str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.yaml").write_text(
        "dublin_core: {identifier: ult, title: T, subject: Bible, format: text/usfm,\n"
        "  language: {identifier: en, title: English}}\n", encoding="utf-8")
    for name, data in files.items():
        (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    return folder


USFM_HEAD = "\\id MAT\n\\h Matthew\n\\c 1\n\\p\n\\v 1 "


# --------------------------------------------------------------------------- huge files


def test_200_mb_usfm_file_is_refused_by_its_size(tmp_path: Path):
    repo = bible_repo(tmp_path / "repo", {"41-MAT.usfm": USFM_HEAD + "word\n"})
    with (repo / "40-GEN.usfm").open("wb") as handle:  # sparse: 200 MB without writing them
        handle.truncate(200 * 1024 * 1024)
    site = bounded("200 MB USFM file", build_site, repo)
    assert any("'40-GEN.usfm' is 200.0 MB, more than the 32.0 MB a file of its kind may have"
               in t for t in texts(site)), texts(site)
    assert [p.path for p in site.pages] == ["index.md", "41-MAT.md", "build-report.md"]
    assert MAX_FILE_BYTES < 200 * 1024 * 1024


def test_million_row_tsv_is_refused_by_its_rows(tmp_path: Path):
    rows = "1:1\tabcd\t\t\t\t\tn\n" * 1_000_000  # 15 MB: under the size limit, over the rows
    repo = make_repo(tmp_path / "tn", "tn", "TSV_Translation_Notes", {
        "tn_TIT.tsv": "Reference\tID\tTags\tSupportReference\tQuote\tOccurrence\tNote\n" + rows},
        [("tit", "tn_TIT.tsv")])
    site = bounded("1 000 000-row TSV", build_site, repo)
    assert any(f"TSV file has 1000001 lines, more than the {MAX_TSV_ROWS} rows a table may have"
               in t for t in texts(site)), texts(site)[:5]


def test_tsv_with_a_10_mb_note_and_header(tmp_path: Path):
    header = "Reference\tID\tTags\tSupportReference\tQuote\tOccurrence\tNote"
    note = "word " * 2_000_000
    repo = make_repo(tmp_path / "tn", "tn", "TSV_Translation_Notes", {
        "tn_TIT.tsv": f"{header}\n1:1\tabcd\t\t\t\t\t{note}\n",
        "tn_PHM.tsv": f"{'x' * 10_000_000}\n1:1\tabcd\t\t\t\t\tnote\n"},
        [("tit", "tn_TIT.tsv"), ("phm", "tn_PHM.tsv")])
    site = bounded("TSV: a 10 MB note, a 10 MB header line", build_site, repo)
    assert all(len(m.text) <= MAX_MESSAGE_CHARS for m in site.log.messages)
    assert any("Unexpected TSV header line #1" in t for t in texts(site))
    assert "word word" in site.page("57-TIT.md").html


@pytest.mark.parametrize("threshold", [book_pool.PARALLEL_MIN_BYTES, 1])
def test_a_file_refused_for_its_size_does_not_start_worker_processes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threshold: int):
    """Processes are started for much work: a file too large to be read is none."""
    header = "Reference\tID\tTags\tSupportReference\tQuote\tOccurrence\tNote\n"
    repo = make_repo(tmp_path / "tn", "tn", "TSV_Translation_Notes", {
        "tn_TIT.tsv": header + "1:1\tabcd\t\t\t\t\tnote\n", "tn_PHM.tsv": ""},
        [("tit", "tn_TIT.tsv"), ("phm", "tn_PHM.tsv")])
    with (repo / "tn_PHM.tsv").open("wb") as handle:  # sparse
        handle.truncate(MAX_TSV_FILE_BYTES + 1)
    pools: list[int] = []

    class Pool:  # stands for ProcessPoolExecutor: records that workers would start
        def __init__(self, workers: int, **kwargs) -> None:
            pools.append(workers)
            raise BrokenProcessPool("not started in this test")

    monkeypatch.setattr(book_pool, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(book_pool, "usable_cpus", lambda: 2)
    monkeypatch.setattr(book_pool, "PARALLEL_MIN_BYTES", threshold)
    site = build_site(repo)
    assert any("'tn_PHM.tsv' is 16.0 MB, more than" in t for t in texts(site)), texts(site)
    assert "note" in site.page("57-TIT.md").html
    assert pools == ([] if threshold > 1 else [2])


# --------------------------------------------------------------------------- USFM

USFM_BOMBS = {
    "\\+bd × 5000, closed": USFM_HEAD + "\\+bd a" * 5000 + "\\+bd*" * 5000,
    "\\+bd × 50 000, closed by the wrong marker": USFM_HEAD + "\\+bd a" * 50_000
    + "\\+it*" * 50_000,
    "\\f in \\f × 5000": USFM_HEAD + "\\f + \\ft a \\f + \\fq b " * 5000 + "\\f*" * 5000,
    "\\x in \\f in \\x × 5000": USFM_HEAD + "\\x - \\f + \\xt a " * 5000,
    "a 10 MB line": USFM_HEAD + "word " * 2_000_000,
    "\\v 1 × 100 000 (duplicate ids)": USFM_HEAD + "\\v 1 " * 100_000,
    "\\c 1 × 30 000": "\\id MAT\n" + "\\c 1\n" * 30_000,
    "\\fig with a 1 MB attribute name": USFM_HEAD + "\\fig |" + "a" * 1_000_000 + "\\fig*",
    "\\w with 100 000 bars": USFM_HEAD + "\\w a|" * 100_000,
    "\\zaln-s × 200 000 unclosed": USFM_HEAD + "\\zaln-s |" * 200_000,
    "1 000 000 backslashes": USFM_HEAD + "\\" * 1_000_000,
    "\\esb × 30 000": USFM_HEAD + "\\esb \\cat c\\cat*\n" * 30_000,
    "\\fig × 80 000 on one line": USFM_HEAD + '\\fig a|src="x.jpg"\\fig*' * 80_000,
    "\\+fig × 80 000 in \\bd on one line": USFM_HEAD + "\\bd " + "\\+fig a\\+fig*" * 80_000,
    "\\fig* \\fig × 80 000 on one line (empty)": USFM_HEAD + "\\fig*\\fig " * 80_000,
}
#: Needles the USFM look-aheads search for (``\\fig*``, ``\\+fig*`` and a line start): each
#: reads the text at most once.
LOOKAHEAD_NEEDLES = 3


@pytest.mark.parametrize("name", USFM_BOMBS)
def test_usfm_bombs(name: str):
    text = USFM_BOMBS[name]
    rendered = bounded(f"USFM: {name}", render_book, text, source="x.usfm")
    assert rendered.html and len(rendered.messages) <= 10_001
    work_within(f"USFM: {name}", rendered.scanned, LOOKAHEAD_NEEDLES * len(text),
                "characters read by look-aheads")


def test_figures_on_one_line_read_the_line_once():
    """Each ``\\fig`` looks for its end and the next line start: without remembering the
    line start, 80 000 figures on one line read 80 000 × 1 MB."""
    one = render_book(USFM_HEAD + '\\fig a|src="x.jpg"\\fig*' * 40_000, source="x.usfm")
    two = render_book(USFM_HEAD + '\\fig a|src="x.jpg"\\fig*' * 80_000, source="x.usfm")
    assert two.html.count('<figure class="fig">') == 80_000
    assert 0 < two.scanned <= 2.1 * one.scanned


# --------------------------------------------------------------------------- Markdown

MARKDOWN_BOMBS = {
    "> × 10 000": ">" * 10_000 + " a",
    "1000 lines of > nesting": "\n".join(">" * i + " a" for i in range(1, 1_000)),
    "[ × 100 000": "[" * 100_000,
    "[ × 20 000 then ] × 20 000": "[" * 20_000 + "]" * 20_000,
    "![ × 20 000": "![" * 20_000,
    "[a]( × 25 000": "[a](" * 25_000,
    "[a](x\" ) × 20 000": '[a](x" )' * 20_000,
    "[[rc:// × 20 000": "[[rc://" * 20_000,
    "<a  × 30 000": "<a " * 30_000,
    "<http:// × 20 000": "<http://" * 20_000,
    "list nested 2000 deep": "\n".join("  " * i + "- a" for i in range(2000)),
    "# a × 10 000 lines": "# a\n" * 10_000,
    "=== lines × 10 000": "=\n" * 10_000,
    "*** lines × 10 000": "***\n" * 10_000,
    "` × 100 000": "`" * 100_000,
    "<!-- × 20 000": "<!--" * 20_000,
    "<div> nested 20 000 deep": "<div>" * 20_000 + "x" + "</div>" * 20_000,
    "<div> × 20 000 unclosed, one a line": "<div>\n" * 20_000,
    "<div> × 20 000 unclosed, blank lines between": "<div>\n\n" * 20_000,
    "<b><div></b> × 10 000 (misnested)": "<b><div></b>" * 10_000,
    "<b class=…> × 2000 unclosed, then 2000 paragraphs": "".join(
        f"<b class=c{i}>" for i in range(2000)) + "\n\nx" * 2000,
    "<table><tr><td> × 10 000": "<table><tr><td>" * 10_000,
    "<li> in <ul> × 10 000": "<ul><li>" * 10_000,
    "<div><table><li></div> × 10 000": "<div><table><li></div>" * 10_000,
    "<ul><li><p></ul> × 10 000": "<ul><li><p></ul>" * 10_000,
}
#: Open elements the sanitizer may hold for Markdown: the author's (twice: html5ever reopens
#: unclosed formatting elements in each block), Markdown's block quotes and lists, a few more.
MAX_SANITIZED_DEPTH = 2 * MAX_HTML_NESTING + 3 * MAX_MARKDOWN_NESTING + 8


class _Depth(HTMLParser):
    """The nesting depth of serialized HTML (as html5ever writes it: every element closed)."""

    VOID = frozenset(("area", "br", "col", "embed", "hr", "img", "input", "source", "track",
                      "wbr"))

    def __init__(self, html: str) -> None:
        super().__init__()
        self.depth = self.deepest = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in self.VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag: str) -> None:
        self.depth -= 1


def sanitizer_work(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Record (characters handed to the sanitizer, nesting depth of the tree it built) per
    call: html5ever's work is at most their product (it scans the open elements per tag)."""
    calls: list[tuple[int, int]] = []
    sanitize = markup.sanitize

    def recorded(fragment: str, links: LinkContext | None = None) -> str:
        clean = sanitize(fragment, links)
        calls.append((len(fragment), _Depth(clean).deepest))
        return clean

    monkeypatch.setattr(markup, "sanitize", recorded)
    return calls


@pytest.mark.parametrize("name", MARKDOWN_BOMBS)
def test_markdown_bombs(name: str, monkeypatch: pytest.MonkeyPatch):
    table = LinkTable("tn", "en", lambda resource, parts: None)
    calls = sanitizer_work(monkeypatch)
    text = MARKDOWN_BOMBS[name]
    html = bounded(f"Markdown: {name}", render_markdown, text, LinkContext(table, "bomb.md", 1))
    assert "<script" not in html and isinstance(html, str)
    if "nest" in name or "<div> ×" in name or text.startswith(">>"):
        assert table.notes, "a text that had to be bounded is reported"
    # without "<", the renderer's own HTML may need no sanitizer (markup.generated_html): its
    # depth is the page's then, and html5ever did no work
    [(size, depth)] = calls or [(0, _Depth(html).deepest)]
    work_within(f"Markdown: {name}", depth, MAX_SANITIZED_DEPTH, "sanitized nesting depth")
    work_within(f"Markdown: {name}", size, 12 * len(text) + 1000,
                "characters handed to the sanitizer")


def test_nested_html_is_shown_as_text_beyond_the_limit():
    table = LinkTable("tn", "en", lambda resource, parts: None)
    depth = MAX_HTML_NESTING + 3
    html = render_markdown("<div>" * depth + "x" + "</div>" * depth,
                           LinkContext(table, "deep.md", 1))
    assert html.count("<div>") == html.count("</div>") == MAX_HTML_NESTING
    assert html.count("&lt;div&gt;") == html.count("&lt;/div&gt;") == 3
    assert [text for text, _, _ in table.notes] == [
        f"Markdown too deeply nested: HTML elements nested deeper than "
        f"{MAX_HTML_NESTING} levels (the deeper tags are shown as text)"]
    shallow = "<ul><li>a<li>b</ul>" * 40 + "<div><br><img src=x.png><hr></div>" * 40
    assert "&lt;" not in render_markdown(shallow), "closed and empty elements do not nest"


def test_nested_divs_cost_the_sanitizer_linear_work(monkeypatch: pytest.MonkeyPatch):
    """Twice the nested ``<div>``: twice the characters at the same depth (it was quadratic:
    a 600 kB file took 47 s)."""
    calls = sanitizer_work(monkeypatch)
    for n in (20_000, 40_000):
        render_markdown("<div>" * n + "x" + "</div>" * n)
    (size1, depth1), (size2, depth2) = calls
    assert depth1 == depth2 <= MAX_SANITIZED_DEPTH
    assert size2 * depth2 <= 2.1 * size1 * depth1


@pytest.mark.slow
def test_nested_divs_at_the_markdown_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    n = MAX_MARKDOWN_FILE_BYTES // 11 - 10
    article = "# A\n\n" + "<div>" * n + "x" + "</div>" * n + "\n"
    repo = make_repo(tmp_path / "ta", "ta", "Translation_Academy", {
        "translate/toc.yaml": "sections:\n- title: A\n  link: a\n",
        "translate/a/01.md": article, "translate/a/title.md": "A"},
        [("translate", "translate")])
    calls = sanitizer_work(monkeypatch)
    site = bounded("tA article of nested <div> at the size limit", build_site, repo)
    assert any(f"HTML elements nested deeper than {MAX_HTML_NESTING} levels" in t
               for t in texts(site)), texts(site)
    assert "&lt;div&gt;" in site.page("03-translate.md").html
    name = "tA article of nested <div> at the size limit"
    work_within(name, max(depth for _, depth in calls), MAX_SANITIZED_DEPTH,
                "sanitized nesting depth")
    work_within(name, sum(size for size, _ in calls), 12 * len(article) + 100_000,
                "characters handed to the sanitizer")


# --------------------------------------------------------------------------- YAML, JSON

MANIFEST_BOMBS = {
    "manifest.yaml": {
        "flow nesting 100 000": "dublin_core: " + "[" * 100_000 + "]" * 100_000,
        "block nesting 10 000": "dublin_core:\n" + "".join(" " * i + f"k{i}:\n"
                                                          for i in range(1, 10_000)),
        "a billion laughs": "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c]\n",
        "a 10 MB line": "dublin_core: {title: '" + "x" * 10_000_000 + "'}",
    },
    "manifest.json": {
        "array nesting 100 000": "[" * 100_000 + "]" * 100_000,
        "object nesting 100 000": '{"a":' * 100_000 + "1" + "}" * 100_000,
    },
}


@pytest.mark.parametrize(("file", "name"), [(f, n) for f, bombs in MANIFEST_BOMBS.items()
                                            for n in bombs])
def test_manifest_bombs(tmp_path: Path, file: str, name: str):
    repo = bible_repo(tmp_path / "en_ult", {"41-MAT.usfm": USFM_HEAD + "word\n"})
    (repo / "manifest.yaml").unlink()
    (repo / file).write_text(MANIFEST_BOMBS[file][name], encoding="utf-8")
    site = bounded(f"{file}: {name}", build_site, repo)
    assert [m for m in site.log.messages if m.file == file and m.severity == "error"], \
        texts(site)
    assert site.page("41-MAT.md") is not None, "the rest of the site is built"


def test_ta_toc_nested_deeper_than_any_stack(tmp_path: Path):
    depth = 3000  # past the recursion limit of a recursive walk (JSON is YAML, flow style)
    toc = ('{"sections": [{"title": "t", "link": "a", "sections": ['
           + '{"title": "t", "sections": [' * depth + "]}" * (depth + 2))
    repo = make_repo(tmp_path / "ta", "ta", "Translation_Academy", {
        "translate/toc.yaml": toc,
        "translate/config.yaml": yaml.safe_dump({"a": {"dependencies": ["a"] * 10_000}}),
        "translate/a/01.md": "# A\n\ntext\n", "translate/a/title.md": "A"},
        [("translate", "translate")])
    site = bounded("tA toc.yaml nested 3000 deep", build_site, repo)
    assert site.page("03-translate.md") is not None
