"""Huge, deep and long inputs: each is handled within seconds, or refused with a clear message.

Nothing may raise, and every input here finishes within :data:`LIMIT` seconds (most within a
fraction of it): a 200 MB USFM file, a million-row TSV, character styles nested thousands deep,
a 10 MB line, YAML and JSON nested past any parser's stack, Markdown nesting and bracket bombs.
The limits themselves are in ``tx_mkdocs/core/limits.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tx_mkdocs.core.limits import MAX_FILE_BYTES, MAX_MESSAGE_CHARS, MAX_TSV_ROWS
from tx_mkdocs.core.links import LinkTable
from tx_mkdocs.core.markup import LinkContext, render_markdown
from tx_mkdocs.core.model import Site
from tx_mkdocs.core.site import build_site
from tx_mkdocs.usfm import render_book

from .fuzzing import BOUNDS
from .helps_support import make_repo

# dozens of bombs, each within seconds: about 20 s together
pytestmark = pytest.mark.slow

#: Seconds any one hostile input may take (they take 0.01–2.5 s on a 2-core CI machine).
LIMIT = 6.0


def bounded(name: str, function: Callable, *args, **kwargs):
    """Run one hostile input; it must not raise and must finish within LIMIT seconds."""
    started = time.perf_counter()
    try:
        result = function(*args, **kwargs)
    except Exception:
        BOUNDS.append((name, time.perf_counter() - started, "exception"))
        raise
    elapsed = time.perf_counter() - started
    BOUNDS.append((name, elapsed, "ok" if elapsed < LIMIT else "too slow"))
    assert elapsed < LIMIT, f"{name}: {elapsed:.1f} s"
    return result


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
}


@pytest.mark.parametrize("name", USFM_BOMBS)
def test_usfm_bombs(name: str):
    rendered = bounded(f"USFM: {name}", render_book, USFM_BOMBS[name], source="x.usfm")
    assert rendered.html and len(rendered.messages) <= 10_001


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
}


@pytest.mark.parametrize("name", MARKDOWN_BOMBS)
def test_markdown_bombs(name: str):
    table = LinkTable("tn", "en", lambda resource, parts: None)
    html = bounded(f"Markdown: {name}", render_markdown, MARKDOWN_BOMBS[name],
                   LinkContext(table, "bomb.md", 1))
    assert "<script" not in html and isinstance(html, str)
    if len(MARKDOWN_BOMBS[name]) > 100_000 or "nest" in name or "[ ×" in name:
        assert table.notes, "a text that had to be bounded is reported"


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
