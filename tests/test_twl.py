"""Translation Words Links sites: en_twl (never rendered by the old tX) and an invented repo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tx_mkdocs.types.twl import TYPE

from .helpers import build_log
from .helps_support import make_repo, messages, pages, site_of, tsv_ids

TSV_HEADER = "Reference\tID\tTags\tOrigWords\tOccurrence\tTWLink\n"


@pytest.fixture(scope="module")
def site(built_sample) -> Path:
    return built_sample("en_twl")


def test_every_row_once_in_its_verse_table(site: Path, samples: Path):
    log = build_log(site)
    assert log["status"] == "success", log["warnings"] + log["errors"]
    built = pages(site)
    assert list(built) == ["57-TIT.html"]
    fragment = built["57-TIT.html"]
    row_ids = tsv_ids(samples / "en_twl/twl_TIT.tsv")
    assert len(row_ids) == 221
    for row_id in row_ids:
        assert fragment.count(f'<tr id="{row_id}">') == 1, row_id
    assert '<h1 id="twl-tit">' in fragment
    assert 'id="twl-chunk-tit-001-001"' in fragment and 'id="twl-chapter-tit-003"' in fragment
    assert fragment.count('<table class="tx-twl">') == len(re.findall(r'<h3 class="tx-helps-verse"',
                                                                       fragment))


def test_words_link_to_tw_articles(site: Path):
    fragment = pages(site)["57-TIT.html"]
    row = re.search(r'<tr id="pmq8">.*?</tr>', fragment)
    assert row is not None
    assert re.search(r'<a class="tx-tw-link" href="[^"]*kt\.html#god">god</a>', row.group(0))
    assert '<span class="tx-quote" lang="el-x-koine" dir="auto">Θεοῦ</span>' in row.group(0)
    assert '<span class="tx-tag">keyterm</span>' in row.group(0)


def test_bad_links_and_rc_target(tmp_path: Path):
    rows = ["1:1\tab01\tkeyterm\tλόγος\t1\trc://*/tw/dict/bible/kt/word",
            "1:1\tab02\t\tλόγος\t2\thttps://example.org/word",
            "1:2\tab03\t\tλόγος\tone\trc://*/tw/dict/bible/kt/word"]
    repo = make_repo(tmp_path / "twl", "twl", "TSV Translation Words Links",
                     {"twl_TIT.tsv": TSV_HEADER + "\n".join(rows)}, [("tit", "twl_TIT.tsv")])
    site = site_of(repo)
    found = messages(site)
    assert "twl_TIT.tsv:3: TIT 1:1 - Bad TWLink 'https://example.org/word'" in found
    assert ("twl_TIT.tsv:4: TIT 1:2 - Bad Occurrence number 'one' (Should be number -1,0,1,2,…)"
            in found)
    page = site.page("57-TIT.md")
    assert page is not None and page.template == "twl.html"
    assert all(page.html.count(f'<tr id="{i}">') == 1 for i in ("ab01", "ab02", "ab03"))
    assert TYPE.rc_target(["help", "tit", "01", "02"]) == ("57-TIT.html", "twl-chunk-tit-001-002")
