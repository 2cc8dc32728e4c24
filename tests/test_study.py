"""Study Notes and Study Questions (TSV): invented repos, as no public sample exists."""

from __future__ import annotations

from pathlib import Path

from tx_mkdocs.types.study import TYPE

from .helps_support import make_repo, messages, site_of

NOTES = ("Reference\tID\tTags\tSupportReference\tQuote\tOccurrence\tNote\n"
         "front:intro\tsn01\t\t\t\t0\t# Introduction to Ruth\\n\\nThe book.\n"
         "1:1\tsn02\t\trc://*/ta/man/translate/figs-idiom\tוַיְהִי\t1\t"
         "A note. (See [1:2](../01/02.md))\n"
         "1:2\tsn03\t\t\t\t\tA note about the verse.")
QUESTIONS = ("Reference\tID\tTags\tQuote\tOccurrence\tQuestion\tResponse\n"
             "1:1\tsq01\t\t\t\tWhy did they leave?\tThere was a famine.\n"
             "1:2\tsq02\t\t\t\tWho went?\tElimelek and his family.")


def test_study_notes(tmp_path: Path):
    repo = make_repo(tmp_path / "sn", "sn", "TSV Study Notes", {"sn_RUT.tsv": NOTES},
                     [("rut", "sn_RUT.tsv")])
    site = site_of(repo)
    assert site.subject == "TSV_Study_Notes" and site.theme.body_class == "sn"
    assert not site.log.messages, messages(site)
    page = site.page("08-RUT.md")
    assert page is not None and page.template == "study.html"
    for anchor in ("study-rut", "study-chapter-rut-front", "study-chapter-rut-001",
                   "study-chunk-rut-001-001", "study-chunk-rut-001-002", "sn01", "sn02", "sn03"):
        assert page.html.count(f'id="{anchor}"') == 1, anchor
    assert '<span class="tx-quote" lang="hbo" dir="auto">וַיְהִי</span>' in page.html
    assert "03-translate.html#figs-idiom" in page.html
    assert '<a href="#study-chunk-rut-001-002"' in page.html
    assert "<h2>Introduction to Ruth</h2>" in page.html


def test_study_questions(tmp_path: Path):
    repo = make_repo(tmp_path / "sq", "sq", "TSV Study Questions", {"sq_RUT.tsv": QUESTIONS},
                     [("rut", "sq_RUT.tsv")])
    site = site_of(repo)
    assert site.subject == "TSV_Study_Questions" and site.theme.body_class == "sq"
    page = site.page("08-RUT.md")
    assert page is not None
    assert '<div class="tx-question" id="sq01">' in page.html
    assert "<h4>Why did they leave?</h4>\n<p>There was a famine.</p>" in page.html
    assert [n.title for n in site.nav[1:]] == ["Ruth"]


def test_rc_target_shared_by_sn_and_sq():
    assert TYPE.rc_target(["help", "rut", "01", "02"]) == ("08-RUT.html",
                                                           "study-chunk-rut-001-002")
    assert TYPE.rc_target(["help", "rut", "01", "02", "sn03"]) == ("08-RUT.html", "sn03")
