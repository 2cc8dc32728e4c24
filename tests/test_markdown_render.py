"""The Markdown renderer (pyromark, core/markup.py): expected HTML for representative notes of the
samples, every row of every TSV sample on its page with its text, and the HTML that needs no
sanitizer (markup.generated_html) the sanitizer's to the byte."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tx_mkdocs.build import build_site
from tx_mkdocs.core import markup
from tx_mkdocs.core.ids import content_id
from tx_mkdocs.core.links import LinkTable
from tx_mkdocs.core.markup import (
    ALLOWED_TAGS,
    LinkContext,
    generated_html,
    markdown_html,
    note_text,
    render_markdown,
    sanitize,
)
from tx_mkdocs.types.bookhelps.refs import book_from_filename

from .helpers import SAMPLES

#: Markdown (as the samples write it) → the HTML a reader gets. ``rc://`` and relative links
#: become link-table placeholders (``#tx-link-T-N``, resolved when the site is finished).
EXPECTED = {
    "a note with emphasis and an rc link": (
        note_text("The word **this** refers to the *letter* (See: [[rc://*/ta/man/translate/"
                  "figs-explicit]])"),
        '<p>The word <strong>this</strong> refers to the <em>letter</em> (See: '
        '<a href="#tx-link-T-0" rel="noopener noreferrer">figs-explicit</a>)</p>\n'),
    "literal \\n as a line break, two as a paragraph": (
        note_text("If it would be clearer:\\n\\nAlternate translation: “to you”\\nor “for you”"),
        "<p>If it would be clearer:</p>\n<p>Alternate translation: “to you”<br>\n"
        "or “for you”</p>\n"),
    "a book introduction's outline: an ordered item, then bullets": (
        note_text("### Outline\\n\\n1. Jonah runs away (1:1–2:10)  \\n* Jonah disobeys\\n"
                  "* Jonah prays"),
        "<h3>Outline</h3>\n<ol>\n<li>Jonah runs away (1:1–2:10)</li>\n</ol>\n<ul>\n"
        "<li>Jonah disobeys</li>\n<li>Jonah prays</li>\n</ul>\n"),
    "a nested list (2 spaces, as markdown-it reads it)": (
        "- one\n  - one a\n  - one b\n- two\n",
        "<ul>\n<li>one\n<ul>\n<li>one a</li>\n<li>one b</li>\n</ul>\n</li>\n<li>two</li>\n"
        "</ul>\n"),
    "a table with alignment": (
        "| Hebrew | English |\n|:--|--:|\n| אֱלֹהִים | God |\n",
        '<table><thead><tr><th align="left">Hebrew</th><th align="right">English</th></tr>'
        '</thead><tbody>\n<tr><td align="left">אֱלֹהִים</td><td align="right">God</td></tr>\n'
        "</tbody></table>\n"),
    "relative, bare rc and web links": (
        "See [the next verse](../01/02.md), rc://en/tw/dict/bible/kt/god and "
        "[Door43](https://door43.org).",
        '<p>See <a href="#tx-link-T-0" rel="noopener noreferrer">the next verse</a>, '
        '<a href="#tx-link-T-1" rel="noopener noreferrer">rc://en/tw/dict/bible/kt/god</a> and '
        '<a href="https://door43.org" rel="noopener noreferrer">Door43</a>.</p>\n'),
    "raw HTML: kept when allowed, else sanitized": (
        '<sup>1</sup> <b onclick="x()">bold</b> <script>alert(1)</script><span class="md-dialog" '
        'id="__config">x</span> <a href="javascript:alert(1)">j</a>',
        '<p><sup>1</sup> <b>bold</b> <span id="user-content-__config">x</span> '
        '<a rel="noopener noreferrer">j</a></p>\n'),
    "a heading demoted under its entry, attr_list braces as text": (
        "# Title {#mine}\n\n> quoted\n",
        "<h3>Title {#mine}</h3>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n"),
}


@pytest.mark.parametrize("name", EXPECTED)
def test_expected_html(name: str):
    text, expected = EXPECTED[name]
    table = LinkTable("tn", "en", lambda resource, parts: ("x.html", ""))
    shift = 2 if "demoted" in name else 0
    rendered = render_markdown(text, LinkContext(table, "tn_JON.tsv", 3), shift_headings=shift)
    assert rendered.replace(table.token, "T") == expected
    assert all(link.line == 3 for link in table.links)


#: TSV samples: file name pattern, the column shown as the row's text, the anchor prefix.
TSV_SAMPLES = {
    "en_tn": ("tn_*.tsv", "Note", "tn"),
    "en_tn_9col": ("en_tn_*.tsv", "OccurrenceNote", "tn"),
    "en_twl": ("twl_*.tsv", "OrigWords", "twl"),
}
#: What a note's Markdown holds besides its words: link targets, addresses, tags, entities.
_NOT_WORDS = re.compile(r"\[\[rc://[^\]]*\]\]|\]\([^)]*\)|(?:rc|https?)://\S+|<[^>]*>|&\w+;")
_WORD = re.compile(r"\w{4,}")
_TAGS = re.compile(r"<[^>]*>")


def _sections(page: str) -> dict[str, str]:
    """Element id → the visible text from that element to the next id, of a page."""
    parts = re.split(r'\sid="([^"]+)"', page)
    return {parts[i]: html.unescape(_TAGS.sub(" ", parts[i + 1]))
            for i in range(1, len(parts) - 1, 2)}


@pytest.mark.parametrize("sample", TSV_SAMPLES)
def test_every_tsv_row_is_on_its_page_with_its_text(sample: str):
    pattern, column, prefix = TSV_SAMPLES[sample]
    site = build_site(SAMPLES / sample)
    checked = 0
    for path in sorted((SAMPLES / sample).glob(pattern)):
        info = book_from_filename(path.name)
        assert info is not None, path
        sections = _sections(site.page(f"{info.page_stem}.md").html)
        lines = path.read_text(encoding="utf-8").split("\n")
        header = lines[0].split("\t")
        seen: set[str] = set()
        for number, line in enumerate(lines[1:], start=2):
            if not line.strip():
                continue
            row = dict(zip(header, line.split("\t"), strict=False))
            row_id = row["ID"].strip()
            anchor = content_id(row_id) if row_id not in seen else None
            seen.add(row_id)
            anchor = anchor or f"{prefix}-{info.code.lower()}-line-{number}"
            assert anchor in sections, f"{path.name}:{number}: no element id={anchor!r}"
            words = _WORD.findall(_NOT_WORDS.sub(" ", row.get(column, "").replace("\\n", " ")))
            missing = [w for w in words if w not in sections[anchor]]
            assert not missing, f"{path.name}:{number}: {missing} not shown"
            checked += 1
    assert checked > 100


def test_a_note_in_the_sample_renders_as_expected(tmp_path: Path):
    """The outline of Jonah's introduction (en_tn): an ordered list, then a bullet list, as
    markdown-it shows it (Python-Markdown showed the bullets as text in the first item)."""
    site = build_site(SAMPLES / "en_tn")
    page = site.page("32-JON.md").html
    assert "<li>Jonah tries to run away from Yahweh. (1:1–2:10)</li>\n</ol>\n<ul>" in page


def test_generated_html_of_every_sample_text_is_the_sanitizers(monkeypatch):
    """Every Markdown text of every sample (notes, questions, articles, stories) that takes the
    way without the sanitizer renders to the byte as the sanitizer would have returned it, with
    only tags of the allow-list."""
    handed: list[str] = []

    def recording(rendered: str) -> str | None:
        handed.append(rendered)
        return generated_html(rendered)

    monkeypatch.setattr(markup, "generated_html", recording)
    for sample in sorted(p for p in SAMPLES.iterdir() if (p / "manifest.yaml").is_file()):
        build_site(sample, record=False)
    generated = [(rendered, generated_html(rendered)) for rendered in handed]
    generated = [(rendered, fast) for rendered, fast in generated if fast is not None]
    for rendered, fast in generated:
        assert fast == sanitize(rendered), rendered
    assert {tag for _, fast in generated for tag in _TAG_NAME.findall(fast)} <= ALLOWED_TAGS
    assert len(generated) > 1500  # most notes of en_tn, stories, questions


_TAG_NAME = re.compile(r"</?([a-z][a-z0-9]*)")

#: Markdown without ``<`` that must come out as the sanitizer has it: link definitions and
#: entity-spelled schemes, images, escaped and encoded markup, code, tables, NBSP, CR, NUL.
HOSTILE = [
    "[x]\n\n[x]: javascript:alert(1)",
    "[x][y]\n\n[y]: JaVaScRiPt:alert(1) \"t\"",
    "[x](&#106;avascript:alert(1)) [y](java&#x73;cript&colon;alert(1))",
    "[x](rc://*/ta/man/translate/figs-idiom) [y](../01/02.md) [z](data:text/html,x)",
    "![i](javascript:alert(1)) ![j](rc://*/x.png \"t\") ![k](x.png)",
    "&lt;script&gt;alert(1)&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62;",
    "\\*not em\\* &amp;lt; &unknown; &#0; &#x1; &#xD800; &#1114112;",
    "&#13; x&#13;\ny",
    "```js\nalert(1)\n```\n\n    indented &lt;b&gt;\n\n`a &lt; b` ``c`d``",
    "| a | b |\n|:-|-:|\n| &lt;i&gt; | **x** |\n\n| c |\n|---|",
    "# h1\n## h2 #\nsetext\n===\n\n> q\n> > q2\n\n---\n***",
    "1. a\n2. b\n\n7) c\n\n* d\n  * e\n\n~~del~~ *em* __strong__",
    "a\u00a0b &nbsp; `\u00a0` line  \nbreak\\\nbreak",
    "cr\rlone \r\n crlf `co\rde`\n\n    pre\r\n",
    "nul\u0000 `\u0000` &#x0;",
    "{#id .class} \" ' &quot; &apos; \u2028 \ufeff \u00ad \x0c",
    "www.example.com https://example.com a@b.example",
    "[^1]\n\n[^1]: note",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_generated_html_is_the_sanitizers_on_hostile_markdown(text: str):
    """Without ``<``, the rendered note is the sanitized one, links going to the link table."""
    def rendered(fast: bool) -> str:
        table = LinkTable("tn", "en", lambda resource, parts: ("x.html", ""), token="0" * 16)
        with pytest.MonkeyPatch.context() as patch:
            if not fast:
                patch.setattr(markup, "generated_html", lambda html: None)
            return render_markdown(text, LinkContext(table, "tn_JON.tsv", 3), shift_headings=1)

    assert rendered(fast=True) == rendered(fast=False)
    html = markdown_html(text)
    fast = generated_html(html)
    assert fast is None or fast == sanitize(html)


@pytest.mark.parametrize("html", [
    '<p><a href="javascript:alert(1)">x</a></p>\n',
    '<p><img src="x.png" alt="i" /></p>\n',
    '<pre><code class="language-js">x\n</code></pre>\n',
    "<p>a\rb</p>\n",
    "<p>a\x00b</p>\n",
])
def test_links_images_classes_cr_and_nul_go_to_the_sanitizer(html: str):
    assert generated_html(html) is None
