"""OBS helps: the en_obs-tn sample (Markdown per frame) and invented TSV notes, questions and
word links (no TSV sample exists)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tx_mkdocs.types.obs_helps import TYPE

from .helpers import HREF, build_cli, build_log, content_html, content_pages, ids, visible_text


def _no_rc(site: Path) -> None:
    for name in build_log(site)["pages"]:
        fragment = content_html(site / name)
        assert "rc://" not in visible_text(fragment), name
        assert not [h for h in HREF.findall(fragment) if h.startswith("rc:")], name


def _messages(site: Path) -> list[str]:
    log = build_log(site)
    return log["warnings"] + log["errors"]


def _repo(root: Path, identifier: str, subject: str, tsv_name: str, rows: list[str]) -> Path:
    """A TSV OBS helps repository: manifest + one TSV file (header first)."""
    root.mkdir()
    (root / "manifest.yaml").write_text(
        f"dublin_core:\n  identifier: '{identifier}'\n  format: 'text/tsv'\n"
        f"  subject: '{subject}'\n  title: 'Helps'\n  relation: ['en/obs', 'en/ta', 'en/tw']\n"
        "  language: {identifier: en, title: English, direction: ltr}\n"
        f"projects:\n  - identifier: obs\n    path: './{tsv_name}'\n", encoding="utf-8")
    (root / tsv_name).write_text("\n".join(rows), encoding="utf-8")  # no final newline
    return root


@pytest.fixture(scope="module")
def obs_tn(built_sample) -> Path:
    return built_sample("en_obs-tn")


def test_markdown_notes_every_frame(obs_tn: Path, samples: Path):
    log = build_log(obs_tn)
    assert content_pages(log) == ["01.html", "02.html", "03.html", "04.html", "05.html"]
    assert log["status"] == "success", log["warnings"] + log["errors"]
    content = samples / "en_obs-tn" / "content"
    for folder in sorted(content.iterdir()):
        fragment = content_html(obs_tn / f"{folder.name}.html")
        expected = [f"{folder.name}-{f.stem}" for f in sorted(folder.glob("*.md"))]
        assert [i for i in ids(fragment) if re.fullmatch(r"\d\d-\d\d", i)] == expected
    text = visible_text(content_html(obs_tn / "01.html"))
    assert "the beginning" in text and "before anything existed except God" in text
    _no_rc(obs_tn)


def test_markdown_notes_wiki_links_go_to_tw(obs_tn: Path):
    hrefs = HREF.findall(content_html(obs_tn / "01.html"))
    assert any(h.endswith("/en_tw/master/kt.html#god") for h in hrefs), hrefs


def test_tsv_notes_rows_checks_and_links(tmp_path: Path):
    header = "Reference\tID\tTags\tSupportReference\tQuote\tOccurrence\tNote"
    rows = [
        header,
        "front:intro\tab12\t\t\t\t0\t# Introduction\\n\\nThese notes help.",
        "1:intro\tcd34\t\t\t\t0\tStory one<br>in a few words",
        "1:1\tef56\t\trc://*/ta/man/translate/figs-metaphor\tthe beginning\t1\t"
        "See [[rc://en/tw/dict/bible/kt/god]] and [frame 2](rc://*/obs-tn/help/obs/01/02).",
        "1:2\tgh78\t\tfigs-idiom\tlight\t1\tA bare tA slug.",
        "1:2\tgh78\t\t\tgood\tone\tSame ID, bad occurrence.",
        "1:3\t\t\t\tsky\t1\tNo ID.",
        "51:1\tij90\t\t\tx\t1\tNo such story.",
        "nowhere\tkl12\t\t\tx\t1\tNo reference.",
        "2:4-5\tmn34\t\t\tAbram\t1\tA range: <script>alert(1)</script>",
        "too\tfew",
        "3:1\tBAD\t\t\tx\t1\tBad ID.",
    ]
    repo = _repo(tmp_path / "en_obs-tn", "obs-tn", "OBS Translation Notes", "tn_OBS.tsv", rows)
    site = tmp_path / "site"
    log = build_cli(repo, site)
    assert log["resource_type"] == "OBS_Translation_Notes" and log["input_format"] == "tsv"
    assert content_pages(log) == ["front.html", "01.html", "02.html", "03.html"]
    all_ids = [i for p in content_pages(log) for i in ids(content_html(site / p))]
    for row_id in ("ab12", "cd34", "ef56", "gh78", "mn34"):
        assert all_ids.count(row_id) == 1, row_id
    one = content_html(site / "01.html")
    assert {"01-intro", "01-01", "01-02", "01-03"} <= set(ids(one))
    assert 'href="01.html#01-02"' in one  # rc://*/obs-tn/… inside this site
    hrefs = HREF.findall(one)
    assert any(h.endswith("/en_ta/master/03-translate.html#figs-metaphor") for h in hrefs)
    assert any(h.endswith("/en_ta/master/03-translate.html#figs-idiom") for h in hrefs)
    assert any(h.endswith("/en_tw/master/kt.html#god") for h in hrefs)
    text = visible_text(one)
    assert "the beginning" in text and "No ID." in text and "Same ID, bad occurrence." in text
    assert "Introduction" in visible_text(content_html(site / "front.html"))
    assert "<script" not in content_html(site / "02.html")
    messages = _messages(site)
    for expected in ("tn_OBS.tsv:6: Duplicate ID 'gh78'",
                     "tn_OBS.tsv:6: Bad Occurrence number 'one'", "tn_OBS.tsv:7: Missing ID",
                     "tn_OBS.tsv:8: Bad story number '51'", "tn_OBS.tsv:9: Bad reference",
                     "tn_OBS.tsv:11: Unable to convert bad TSV line",
                     "tn_OBS.tsv:12: Bad ID 'BAD' (Should be exactly four characters long; "
                     "Should be lowercase)"):
        assert any(m.startswith(expected) for m in messages), (expected, messages)
    # the codes of the Bible-book helps' row checks (tsvhelps), one per problem
    codes = {(m["line"], m["code"]) for m in build_log(site)["messages"] if "line" in m}
    assert {(6, "tsv.id-duplicate"), (6, "tsv.occurrence"), (7, "tsv.id-missing"),
            (12, "tsv.id-bad")} <= codes, codes
    _no_rc(site)


def test_tsv_questions(tmp_path: Path):
    rows = ["Reference\tID\tTags\tQuote\tOccurrence\tQuestion\tResponse",
            "1:1\tq123\t\t\t\tWhat was there in the beginning?\tOnly God.",
            "1:2\tq124\t\tlight\t1\tWhat did God say?\t“Let there be light!”",
            "50:17\tq125\t\t\t\tHow does the story end?\tWith Jesus as king."]
    repo = _repo(tmp_path / "en_obs-sq", "obs-sq", "TSV OBS Study Questions", "sq_OBS.tsv", rows)
    site = tmp_path / "site"
    log = build_cli(repo, site)
    assert log["status"] == "success", _messages(site)
    assert content_pages(log) == ["01.html", "50.html"]
    one = content_html(site / "01.html")
    assert ids(one).count("q123") == 1 and ids(one).count("q124") == 1
    assert "What did God say?" in visible_text(one) and "Let there be light!" in visible_text(one)
    assert "50-17" in ids(content_html(site / "50.html"))


def test_tsv_word_links(tmp_path: Path):
    rows = ["Reference\tID\tTags\tOrigWords\tOccurrence\tTWLink",
            "1:1\tw001\tkeyterm\tGod\t1\trc://*/tw/dict/bible/kt/god",
            "1:1\tw002\t\tearth\t1\trc://*/tw/dict/bible/other/earth",
            "1:2\tw003\t\tlight\t1\thttps://example.org/light"]
    repo = _repo(tmp_path / "en_obs-twl", "obs-twl", "TSV OBS Translation Words Links",
                 "twl_OBS.tsv", rows)
    site = tmp_path / "site"
    log = build_cli(repo, site)
    assert log["resource_type"] == "TSV_OBS_Translation_Words_Links"
    one = content_html(site / "01.html")
    assert [i for i in ids(one) if i.startswith("w")] == ["w001", "w002", "w003"]
    hrefs = HREF.findall(one)
    assert any(h.endswith("/en_tw/master/other.html#earth") for h in hrefs)
    assert "example.org" not in " ".join(hrefs)
    assert any("twl_OBS.tsv:4: Bad TWLink" in m for m in _messages(site))
    _no_rc(site)


def test_markdown_story_files_and_odd_files(tmp_path: Path):
    """``content/NN.md`` for a whole story, ``intro.md``/``title.md``, and unexpected files."""
    repo = tmp_path / "en_obs-sq"
    content = repo / "content"
    (content / "02").mkdir(parents=True)
    (repo / "manifest.yaml").write_text(
        "dublin_core:\n  identifier: obs-sq\n  format: text/markdown\n  title: Study Questions\n"
        "projects:\n  - identifier: obs\n    path: ./content\n", encoding="utf-8")
    (content / "01.md").write_text("# The Creation\n\n## Who made everything?\n\nGod.",
                                   encoding="utf-8")
    (content / "02" / "title.md").write_text("# Sin Enters the World", encoding="utf-8")
    (content / "02" / "intro.md").write_text("# About\n\nSee [frame 3](03.md).",
                                             encoding="utf-8")
    (content / "02" / "03.md").write_text("# Question\n\nAnswer.", encoding="utf-8")
    (content / "02" / "13.md").write_text("# Beyond\n\nThe story has 12.", encoding="utf-8")
    (content / "02" / "notes.md").write_text("stray", encoding="utf-8")
    site = tmp_path / "site"
    log = build_cli(repo, site)
    assert content_pages(log) == ["01.html", "02.html"]
    one = visible_text(content_html(site / "01.html"))
    assert "The Creation" in one and "Who made everything?" in one
    two = content_html(site / "02.html")
    assert {"02-intro", "02-03", "02-13"} <= set(ids(two))
    assert 'href="02.html#02-03"' in two and "Sin Enters the World" in visible_text(two)
    messages = _messages(site)
    assert any("Unexpected 'notes.md' file in 'content/02/'" in m for m in messages)
    assert any("Unexpected '13.md' file in 'content/02/'" in m for m in messages)


def test_rc_targets():
    assert TYPE.rc_target(["help", "obs", "01", "02"]) == ("01.html", "01-02")
    assert TYPE.rc_target(["help", "obs", "12"]) == ("12.html", "")
    assert TYPE.path_target("content/03/04.md") == ("03.html", "03-04")
    assert {"obs-tn", "obs-tq", "obs-sn", "obs-sq", "obs-twl"} <= set(TYPE.rc_resources)
