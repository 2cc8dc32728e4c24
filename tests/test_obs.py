"""Open Bible Stories: the complete en_obs sample, the per-frame layout, and the story checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tx_mkdocs.build import build_site
from tx_mkdocs.types.obs import TYPE
from tx_mkdocs.types.obsstories.stories import FRAME_COUNTS

from .helpers import HREF, build_cli, build_log, content_html, content_pages, ids, visible_text

_FRAME_ID = re.compile(r"^(\d\d)-(\d\d)$")
_IMG = re.compile(r'<img src="([^"]*)" alt="Frame (\d\d-\d\d)"')


@pytest.fixture(scope="module")
def en_obs(built_sample) -> Path:
    return built_sample("en_obs")


def _messages(site: Path) -> list[str]:
    return build_log(site)["warnings"] + build_log(site)["errors"]


def test_pages_and_status(en_obs: Path):
    log = build_log(en_obs)
    stories = [f"{n:02d}.html" for n in range(1, 51)]
    assert content_pages(log) == ["front.html", *stories, "back.html"]
    assert log["status"] == "success", log["warnings"] + log["errors"]
    assert log["resource_type"] == "Open_Bible_Stories" and log["input_format"] == "md"


def test_every_frame_with_its_picture_and_text(en_obs: Path, samples: Path):
    source_frames = 0
    for n in range(1, 51):
        source = (samples / "en_obs" / "content" / f"{n:02d}.md").read_text(encoding="utf-8")
        source_frames += len(re.findall(r"^!\[", source, re.M))
        fragment = content_html(en_obs / f"{n:02d}.html")
        frames = [i for i in ids(fragment) if _FRAME_ID.match(i)]
        assert frames == [f"{n:02d}-{f:02d}" for f in range(1, FRAME_COUNTS[n - 1] + 1)]
        pictures = _IMG.findall(fragment)
        assert [frame for _, frame in pictures] == frames
        assert all(src.endswith(f"obs-en-{frame}.jpg") for src, frame in pictures)
        assert 'class="obs-reference"' in fragment
    assert source_frames == sum(FRAME_COUNTS) == 598


def test_standard_frame_counts_match_the_complete_sample(samples: Path):
    counts = tuple(len(re.findall(r"^!\[", (samples / "en_obs" / "content" / f"{n:02d}.md")
                                  .read_text(encoding="utf-8"), re.M)) for n in range(1, 51))
    assert counts == FRAME_COUNTS


def test_direct_artefacts_cleaned_and_text_kept(en_obs: Path):
    fragment = content_html(en_obs / "04.html")
    assert "?direct" not in fragment and "direct&amp;" not in fragment
    assert 'src="https://cdn.door43.org/obs/jpg/360px/obs-en-04-01.jpg"' in fragment
    text = visible_text(fragment)
    assert "4. God’s Covenant with Abraham" in text
    assert "A Bible story from: Genesis 11-15" in text
    assert "Babel" in text


def test_front_and_back_matter(en_obs: Path):
    front = visible_text(content_html(en_obs / "front.html"))
    assert "Open Bible Stories" in front and "Distant Shores Media" in front
    assert "Get Involved!" in visible_text(content_html(en_obs / "back.html"))


def test_no_rc_links_reach_readers(en_obs: Path):
    for name in build_log(en_obs)["pages"]:
        fragment = content_html(en_obs / name)
        assert "rc://" not in visible_text(fragment), name
        assert not [h for h in HREF.findall(fragment) if h.startswith("rc:")], name


def test_nav_one_entry_per_story(samples: Path):
    site = build_site(samples / "en_obs")
    titles = [item.title for item in site.nav]
    assert len(site.nav) == 53 and all(item.path for item in site.nav)
    assert titles[2] == "1. The Creation" and titles[-2] == "50. Jesus Returns"


def test_missing_story_frame_title_reference_and_untranslated_front(sample_copy, tmp_path):
    repo = sample_copy("en_obs")
    content = repo / "content"
    (content / "05.md").unlink()
    six = (content / "06.md").read_text(encoding="utf-8")
    six = re.sub(r"!\[OBS Image\]\([^)]*06-03\.jpg\)\n\n[^\n]*\n\n", "", six)
    (content / "06.md").write_text(six, encoding="utf-8")
    seven = (content / "07.md").read_text(encoding="utf-8")
    (content / "07.md").write_text(re.sub(r"\n_A Bible story[^\n]*_\s*$", "\n", seven),
                                   encoding="utf-8")
    eight = (content / "08.md").read_text(encoding="utf-8")
    (content / "08.md").write_text(eight.split("\n", 1)[1], encoding="utf-8")
    manifest = (repo / "manifest.yaml").read_text(encoding="utf-8")
    (repo / "manifest.yaml").write_text(manifest.replace("identifier: 'en'", "identifier: 'fr'"),
                                        encoding="utf-8")
    site = tmp_path / "site"
    log = build_cli(repo, site)
    assert log["status"] == "warnings"
    messages = _messages(site)
    for expected in ("Chapter 05 does not exist.", "content/06.md: Missing frame: 06-03",
                     "Bible reference not found at end of chapter 07!",
                     "Chapter 08 does not have a title.",
                     "content/front/intro.md: Story front matter is not translated."):
        assert any(expected in m for m in messages), (expected, messages)
    assert "05.html" not in content_pages(log) and "06.html" in content_pages(log)
    assert "06-03" not in ids(content_html(site / "06.html"))


def test_frame_folders_and_translation_studio_text(tmp_path: Path):
    """``NN/title.txt``, ``NN/FF.txt``, ``NN/reference.txt``: pictures come from the CDN."""
    repo = tmp_path / "fr_obs"
    story = repo / "content" / "01"
    story.mkdir(parents=True)
    (repo / "manifest.yaml").write_text(
        "dublin_core:\n  identifier: obs\n  language: {identifier: fr, title: Français}\n"
        "  title: Histoires\n  subject: Open Bible Stories\nprojects:\n  - identifier: obs\n"
        "    path: ./content\n", encoding="utf-8")
    (story / "title.txt").write_text("1. La Création", encoding="utf-8")
    for frame in range(1, 17):
        (story / f"{frame:02d}.txt").write_text(f"Texte {frame} <script>x</script>",
                                                encoding="utf-8")
    (story / "reference.txt").write_text("Genèse 1-2", encoding="utf-8")
    (story / "notes.txt").write_text("ignored", encoding="utf-8")
    (repo / "content" / "51.md").write_text("# too far", encoding="utf-8")
    site = tmp_path / "site"
    log = build_cli(repo, site)
    assert content_pages(log) == ["01.html"]
    fragment = content_html(site / "01.html")
    assert [i for i in ids(fragment) if _FRAME_ID.match(i)] == [f"01-{f:02d}" for f in
                                                                 range(1, 17)]
    assert 'src="https://cdn.door43.org/obs/jpg/360px/obs-en-01-16.jpg" alt="Frame 01-16"' in \
        fragment
    text = visible_text(fragment)
    assert "1. La Création" in text and "Texte 16" in text and "Genèse 1-2" in text
    assert "<script" not in fragment
    messages = _messages(site)
    assert any("Unexpected '51.md' file" in m for m in messages)
    assert any("Unexpected 'notes.txt' file in 'content/01/'" in m for m in messages)
    assert any("Chapter 02 does not exist." in m for m in messages)
    assert any("front.md does not exist." in m for m in messages)


def test_bad_picture_links_do_not_break_frames(tmp_path: Path):
    repo = tmp_path / "xx_obs"
    (repo / "content").mkdir(parents=True)
    (repo / "content" / "02.md").write_text(
        "# 2. Title\n\n![OBS Image](javascript:alert(1))\n\nOne.\n\n"
        "![OBS Image](https://cdn.door43.org/obs/jpg/360px/obs-en-02-05.jpg?direct&)\n\nFive.\n\n"
        "![x](https://example.org/picture.jpg)\n\nSix.\n\n_Genesis 3_", encoding="utf-8")
    site = tmp_path / "site"
    build_cli(repo, site)
    fragment = content_html(site / "02.html")
    assert [i for i in ids(fragment) if _FRAME_ID.match(i)] == ["02-01", "02-05", "02-06"]
    assert "javascript" not in fragment
    assert 'src="https://example.org/picture.jpg" alt="Frame 02-06"' in fragment
    messages = _messages(site)
    assert any("content/02.md:3: Unexpected picture link formatting: 02-01" in m
               for m in messages)
    assert any("Missing frame: 02-02" in m for m in messages)


def test_rc_and_path_targets():
    assert TYPE.rc_target(["book", "obs", "01", "02"]) == ("01.html", "01-02")
    assert TYPE.rc_target(["obs", "50"]) == ("50.html", "")
    assert TYPE.rc_target(["book", "obs", "front", "intro"]) == ("front.html", "")
    assert TYPE.rc_target(["book", "obs", "51", "01"]) is None
    assert TYPE.path_target("content/07/03.md") == ("07.html", "07-03")
    assert TYPE.path_target("content/07.md") == ("07.html", "")
    assert TYPE.path_target("content/back/intro.md") == ("back.html", "")
