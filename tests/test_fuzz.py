"""Fuzzers for the loaders and renderers the core owns: manifests, TSV, Markdown, whole builds.

Inputs are generated (hypothesis) or mutated from real sample files; whatever they are, no
exception may escape: the result is a model, or a clear message in the build log.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tx_mkdocs.build import build_site
from tx_mkdocs.core.fs import RepoFS
from tx_mkdocs.core.links import LinkTable
from tx_mkdocs.core.log import BuildLog
from tx_mkdocs.core.manifest import load_manifest
from tx_mkdocs.core.markup import (
    LinkContext,
    generated_html,
    markdown_html,
    render_markdown,
    sanitize,
)
from tx_mkdocs.core.tsv import read_tsv

from .fuzzing import FUZZ, tried
from .helpers import EXAMPLES

SEED_MANIFEST = (EXAMPLES / "bible" / "manifest.yaml").read_bytes()
SEED_USFM = (EXAMPLES / "bible" / "65-3JN.usfm").read_bytes()

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=30))
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
        ["dublin_core", "projects", "language", "identifier", "title", "subject", "format",
         "path", "direction", "version", "sort", "categories", "checking", "relation",
         "source", "contributor", "project", "resource", "target_language", "type", "id"]),
        inner, max_size=6)), max_leaves=25)


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    """A real file with a few random byte edits (flip, insert, delete, duplicate a slice)."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        pos = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["flip", "insert", "delete", "dup"]))
        if op == "flip" and pos < len(data):
            data[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 20))]
        else:
            data[pos:pos] = data[pos:pos + draw(st.integers(1, 60))]
    return bytes(data)


def _load(tmp: Path, name: str, data: bytes) -> None:
    (tmp / name).write_bytes(data)
    log = BuildLog()
    manifest = load_manifest(RepoFS(tmp), "xx_repo", log)
    assert manifest.identifier and manifest.language.identifier
    assert all(m.file is None or m.file == name for m in log.messages)


@pytest.mark.slow
@FUZZ
@given(doc=documents, as_json=st.booleans())
def test_fuzz_manifest_generated(tmp_path_factory, doc, as_json: bool):
    tmp = tmp_path_factory.mktemp("m")
    name, data = (("manifest.json", json.dumps(doc).encode()) if as_json else
                  ("manifest.yaml", yaml.safe_dump(doc, allow_unicode=True).encode()))
    tried("manifest (generated)", _load, tmp, name, data)


@pytest.mark.slow
@FUZZ
@given(data=mutated(SEED_MANIFEST))
def test_fuzz_manifest_mutated(tmp_path_factory, data: bytes):
    tried("manifest (mutated)", _load, tmp_path_factory.mktemp("m"), "manifest.yaml", data)


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(list("ab1:\t\n \\<>|#*-")) | st.characters(),
                    max_size=300))
def test_fuzz_tsv(text: str):
    def run() -> None:
        log = BuildLog()
        table = read_tsv(text, source="x.tsv", log=log,
                         expected=["Reference", "ID", "Tags", "Quote", "Occurrence", "Note"])
        assert all(len(r) == len(table.header) for r in table.rows)

    tried("tsv", run)


class _Markup(HTMLParser):
    """The tags and attribute values of an HTML fragment (text that merely reads
    ``javascript:`` is harmless: a line that opens an HTML block is raw HTML in CommonMark)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.values: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.values.extend((value or "").strip().lower() for _, value in attrs)


@FUZZ
@given(text=st.text(max_size=400) | st.sampled_from([
    "[x](rc://*/ta/man/translate/figs-metaphor) [[rc://en/tw/dict/bible/kt/god]]",
    "<script>alert(1)</script><img src=x onerror=alert(1)>[a](javascript:alert(1))",
    "# t #\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[r](../01/02.md)",
]))
def test_fuzz_markdown(text: str):
    def run() -> None:
        table = LinkTable("tn", "en", lambda resource, parts: None)
        html = render_markdown(text, LinkContext(table, source="a/b.md", line=1))
        markup = _Markup(html)
        assert "script" not in markup.tags
        assert not any(v.startswith("javascript:") for v in markup.values)

    tried("markdown", run)


#: Markdown's punctuation, entities, NBSP, CR and NUL: what may change how a text renders.
_MARKDOWN_PIECES = st.sampled_from([
    "*", "_", "~", "`", "#", ">", "-", "+", "1.", "2)", "|", ":", "!", "[", "]", "(", ")",
    "\\", "&", ";", "&amp;", "&lt;", "&#13;", "&#0;", "&nbsp;", '"', "'", "=", "/",
    " ", "  ", "    ", "\n", "\n\n", "\r", "\u00a0", "\u0000", "a", "x y", "javascript:",
    "rc://*/ta/x", "http://e.x", "---", "```", "|-|", "![i](x)", "[l]: u",
])


@FUZZ
@given(pieces=st.lists(_MARKDOWN_PIECES, max_size=40))
def test_fuzz_generated_html_is_the_sanitizers(pieces: list[str]):
    """Markdown without ``<`` that takes the way without the sanitizer (core/markup.py's
    generated_html) comes out as the sanitizer returns it."""
    def run() -> None:
        html = markdown_html("".join(pieces))
        fast = generated_html(html)
        assert fast is None or fast == sanitize(html)

    tried("generated html", run)


@pytest.mark.slow
@FUZZ
@given(manifest=mutated(SEED_MANIFEST), usfm=mutated(SEED_USFM))
def test_fuzz_whole_build(tmp_path_factory, manifest: bytes, usfm: bytes):
    """A whole core build of a repo with a mutated manifest and a mutated book."""
    repo = tmp_path_factory.mktemp("repo")
    (repo / "manifest.yaml").write_bytes(manifest)
    (repo / "65-3JN.usfm").write_bytes(usfm)

    def run() -> None:
        site = build_site(repo)
        assert site.pages[0].path == "index.md"
        assert not any(m.code == "internal" for m in site.log.messages), site.log.messages

    tried("whole build", run)
