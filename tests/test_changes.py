"""What changed between builds (core/changes.py, publish/changes.py, ``tx-mkdocs diff``): a
Bible repository committed and published in turn to a folder, as a reviewer would read it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tx_mkdocs.build import build_site
from tx_mkdocs.core.changes import (
    RECORD,
    Item,
    compare,
    digest,
    dump_record,
    load_record,
    word_diff_html,
)
from tx_mkdocs.types.bible.record import verse_digests

from .conftest_s3 import S3Server
from .helpers import cli, require_shared

BASE = Path("u", "test", "bible")
TIT = "57-TIT.usfm"
#: The record of en_ult's Titus as tx-mkdocs wrote it before version 2 (commit cd3c4d2): records
#: of that version are on S3, and the next build of their ref is compared with them.
V1_RECORD = Path(__file__).parent / "data" / "records" / "57-TIT-v1.json.gz"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                           "-c", "commit.gpgsign=false", *args], check=True,
                          capture_output=True, text=True).stdout.strip()


def publish(repo: Path, dest: Path) -> tuple[str, dict]:
    """Publish HEAD of ``repo`` to ``dest``: the commit folder and its build log."""
    folder = dest / BASE / publish_to(repo, "--dest", str(dest))
    return folder.name, json.loads((folder / "build_log.json").read_text(encoding="utf-8"))


def publish_to(repo: Path, *target: str) -> str:
    """Publish HEAD of ``repo`` to ``target`` (``--dest DIR``, or ``--bucket`` …): its commit
    folder's name."""
    code, _, err = cli("publish", str(repo), *target, "--owner", "test", "--repo", "bible",
                       "--ref", "master")
    assert code == 0, err
    return git(repo, "rev-parse", "HEAD")[:10]


def edit(repo: Path, old: str, new: str, count: int = 1) -> None:
    path = repo / TIT
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture
def bible(tmp_path: Path) -> Path:
    """The aligned ULT sample, Titus only, as a git repository of one commit."""
    sample = require_shared() / "en_ult"
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("manifest.yaml", TIT):
        shutil.copy(sample / name, repo / name)
    git(repo, "init", "-q", "-b", "master")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "one")
    return repo


def second_commit(repo: Path) -> None:
    """A word edited in 1:1, an occurrence re-aligned in 1:3, 3:15 replaced by 3:16."""
    edit(repo, '\\w with|x-occurrence="1" x-occurrences="1"\\w*',
         '\\w in|x-occurrence="1" x-occurrences="1"\\w*')
    text = (repo / TIT).read_text(encoding="utf-8")
    verse3 = text.index("\\v 3 ")
    at = text.index('x-occurrence="1"', verse3)
    text = text[:at] + 'x-occurrence="2"' + text[at + len('x-occurrence="1"'):]
    last = text.index("\\v 15 ", text.index("\\c 3"))
    text = text[:last] + "\\v 16 A new verse <script>alert(1)</script> & more.\n"
    (repo / TIT).write_text(text, encoding="utf-8")
    git(repo, "commit", "-qam", "two")


@pytest.mark.slow
def test_builds_published_in_turn_say_what_changed(bible: Path, tmp_path: Path):
    dest = tmp_path / "dest"
    first, log1 = publish(bible, dest)
    assert log1["changes"] is None  # the first build of the ref says so
    about = (dest / BASE / first / "build-report.html").read_text(encoding="utf-8")
    assert "first build of its branch or tag" in about
    first_page = (dest / BASE / first / "changes.html").read_text(encoding="utf-8")
    assert "first build of its branch or tag" in first_page
    assert "No text changed" not in first_page

    second_commit(bible)
    second, log2 = publish(bible, dest)
    page = (dest / BASE / second / "changes.html").read_text(encoding="utf-8")
    assert_second_build(first, log2, page)
    ref_page = (dest / BASE / "master" / "changes.html").read_text(encoding="utf-8")
    assert ref_page == page
    about = (dest / BASE / second / "build-report.html").read_text(encoding="utf-8")
    assert f"Since build {first}: 1 changed, 1 added, 1 removed" in about
    assert '<a href="changes.html">' in about

    # the same content again, as a new commit: nothing changed
    git(bible, "commit", "-q", "--allow-empty", "-m", "three")
    third, log3 = publish(bible, dest)
    assert log3["changes"] == {"since": second, "changed": 0, "added": 0, "removed": 0,
                               "alignment_changed": 0}
    assert "No text changed." in (dest / BASE / third / "changes.html").read_text("utf-8")

    # tx-mkdocs diff agrees, on the two sites and on the two commits
    code, out, _ = cli("diff", str(dest / BASE / first), str(dest / BASE / second))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "changed 1, added 1, removed 1, alignment changed 1"
    assert lines[1].startswith("changed TIT 1:1: ") and "[-with-] {+in+}" in lines[1]
    assert lines[2].startswith("added TIT 3:16: A new verse <script>")
    assert lines[3].startswith("removed TIT 3:15: All those with me greet you.")
    assert lines[4] == "alignment changed TIT 1:3"
    code, out, _ = cli("diff", "--json", "--repo", str(bible), "HEAD~2", "HEAD")
    data = json.loads(out)
    assert code == 0 and data["new"] == git(bible, "rev-parse", "HEAD")
    assert {k: data[k] for k in ("changed", "added", "removed", "alignment_changed")} == {
        k: log2["changes"][k] for k in ("changed", "added", "removed", "alignment_changed")}
    assert [i["key"] for i in data["items"]["changed"]] == ["TIT 1:1"]
    assert [i["key"] for i in data["items"]["removed"]] == ["TIT 3:15"]


def assert_second_build(first: str, build_log: dict, page: str) -> None:
    """The build log and changes page of the build after ``first`` (:func:`second_commit`)."""
    assert build_log["changes"] == {"since": first, "changed": 1, "added": 1, "removed": 1,
                                    "alignment_changed": 1}
    article = page[page.index("<article"):page.index("</article>")]
    assert "<del>with</del> <ins>in</ins> godliness" in article
    assert article.count('class="tx-change tx-change-') == 3
    assert '<a href="57-TIT.html#056-ch-001-v-001">this build</a>' in article
    assert f'<a href="../{first}/57-TIT.html#056-ch-003-v-015">previous build</a>' in article
    assert "&lt;script&gt;" in article and "<script>alert" not in page  # escaped
    assert "Titus 1:3" in article.split('id="tx-changes-realigned"')[1]  # listed apart
    assert "<title>" in page and "What changed</title>" in page


@pytest.mark.s3
@pytest.mark.slow
def test_builds_published_in_turn_to_s3_say_what_changed(bible: Path, s3_env: S3Server,
                                                          bucket: str):
    """The same as to a folder, on a real S3 server: the previous build's record is read from
    the bucket."""
    target = ("--bucket", bucket, "--endpoint-url", s3_env.endpoint)
    base = f"{BASE.as_posix()}/"
    first = publish_to(bible, *target)
    assert s3_env.json(bucket, f"{base}{first}/build_log.json")["changes"] is None
    assert f"{base}{first}/{RECORD}" in s3_env.objects(bucket, base)

    second_commit(bible)
    second = publish_to(bible, *target)
    client = s3_env.client()
    page = client.get_object(Bucket=bucket, Key=f"{base}{second}/changes.html")["Body"].read()
    assert_second_build(first, s3_env.json(bucket, f"{base}{second}/build_log.json"),
                        page.decode("utf-8"))
    assert s3_env.json(bucket, f"{base}master/build_log.json")["changes"]["since"] == first


def test_diff_refuses_what_has_no_record(tmp_path: Path):
    code, _, err = cli("diff", str(tmp_path), str(tmp_path))
    assert code == 2 and "no content record" in err
    code, _, err = cli("diff", "--repo", str(tmp_path), "HEAD~1", "HEAD")
    assert code == 2 and "no commit 'HEAD~1'" in err


def _tn(tmp_path: Path, name: str, note: str | None = None) -> list:
    repo = tmp_path / name
    shutil.copytree(require_shared() / "en_tn", repo)
    if note is not None:
        path = repo / "tn_TIT.tsv"
        lines = path.read_text(encoding="utf-8").split("\n")
        row = next(i for i, line in enumerate(lines) if line.split("\t")[1:2] == ["rtc9"])
        cells = lines[row].split("\t")
        cells[-1] = note
        lines[row] = "\t".join(cells)
        path.write_text("\n".join(lines), encoding="utf-8")
    return build_site(repo).items


def test_an_edited_tn_row_is_one_changed_row(tmp_path: Path):
    changes = compare(_tn(tmp_path, "old"), _tn(tmp_path, "new", "A **new** note."))
    assert [(old.key, new.text) for old, new in changes.changed] == [
        ("TIT rtc9", "κατὰ πίστιν ἐκλεκτῶν Θεοῦ καὶ ἐπίγνωσιν ἀληθείας Support Reference: "
                     "figs-abstractnouns A new note.")]
    assert changes.changed[0][1].href == "57-TIT.html#rtc9"
    assert changes.changed[0][1].group == "Titus 1"
    assert not (changes.added or changes.removed)


def test_the_record_round_trips_and_compares_to_nothing_with_itself(tmp_path: Path):
    items = _tn(tmp_path, "tn")
    assert load_record(dump_record(items)) == items
    assert dump_record(items) == dump_record(list(items))  # same content, same bytes
    assert compare(items, items).summary("x")["changed"] == 0
    with pytest.raises(ValueError):
        load_record(b"not gzip")


def test_a_whitespace_or_alignment_edit_is_no_text_change(bible: Path, tmp_path: Path):
    before = build_site(bible).items
    edit(bible, "\\v 2 ", "\\v 2   \n")  # whitespace
    edit(bible, 'x-occurrence="1"', 'x-occurrence="3"', 5)  # alignment attributes
    changes = compare(before, build_site(bible).items)
    assert not (changes.changed or changes.added or changes.removed)
    assert {i.key for i in changes.realigned} >= {"TIT 1:1", "TIT 1:2"}


def test_a_record_of_the_first_version_still_compares(bible: Path):
    old = load_record(V1_RECORD.read_bytes())
    assert compare(old, build_site(bible).items).summary("x") == {
        "since": "x", "changed": 0, "added": 0, "removed": 0, "alignment_changed": 0}
    edit(bible, "\\v 2 ", "\\v 2   \n")  # whitespace
    edit(bible, '\\w with|x-occurrence="1" x-occurrences="1"\\w*',
         '\\w in|x-occurrence="1" x-occurrences="1"\\w*')
    changes = compare(old, build_site(bible).items)
    assert [(o.key, n.key) for o, n in changes.changed] == [("TIT 1:1", "TIT 1:1")]
    assert [i.key for i in changes.realigned] == ["TIT 1:2"] and not changes.added
    assert load_record(dump_record(old)) == old  # written again as version 2


def test_a_verse_source_runs_from_its_number_to_the_next_chapter_or_verse_marker():
    usfm = (b'\\id TIT\n\\v 9 before any chapter\n\\c 1\n\\p\n\\v 1 one \\w a|x="1"\\w*\n'
            b"\\v 1 repeated\n\\v x no number\n\\c x\n\\v 2 no chapter\n"
            b"\\c 2\r\n\\v  \t0071234567 crlf\r\n\\v \n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n8 far")
    assert verse_digests(usfm) == {
        (1, 1): digest(b'1 one \\w a|x="1"\\w*\n'),
        (2, 7123): digest(b" \t0071234567 crlf\r\n"),  # six digits at most
    }


def test_diff_prints_no_control_characters():
    from tx_mkdocs.compare import changes_lines

    old = [Item.of("GEN 1:1", "Genesis 1", "Genesis 1:1", "01-GEN.html", "a")]
    new = [Item.of("GEN 1:1", "Genesis 1", "Genesis 1:1", "01-GEN.html", "a \x1b[2J b")]
    assert changes_lines(compare(old, new))[1] == "changed GEN 1:1: a {+\ufffd[2J b+}"


def test_the_word_diff_marks_words_and_escapes_them():
    assert word_diff_html("a <b> c", "a <i> c d") == (
        "a <del>&lt;b&gt;</del> <ins>&lt;i&gt;</ins> c <ins>d</ins>")


def test_every_build_writes_its_record(tmp_path: Path):
    site = tmp_path / "site"
    code, _, err = cli("build", str(require_shared() / "en_obs"), "--site-dir", str(site))
    assert code == 0, err
    items = load_record((site / RECORD).read_bytes())
    frame = next(i for i in items if i.key == "OBS 01-02")
    assert frame.text.startswith('Then God said, "Let there be light!"')
    assert frame.href == "01.html#01-02" and frame.group == "1. The Creation"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_changes_page_reads_as_a_page_of_the_site(bible: Path, tmp_path: Path, width: str):
    """Screenshots: test-output/browser/changes-<width>.png."""
    from .browser_support import OUTPUT, browsing, page_opener

    dest = tmp_path / "dest"
    publish(bible, dest)
    second_commit(bible)
    publish(bible, dest)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with browsing(dest) as served, page_opener(*served) as open_page:
        page = open_page(f"{BASE.as_posix()}/master/changes.html", width)
        assert page.locator("h1").inner_text() == "What changed"
        assert page.locator("ins", has_text="in").first.is_visible()
        assert page.locator(".tx-change").count() == 3
        assert page.locator(".md-footer, footer").count() >= 1  # the site's frame
        page.screenshot(path=OUTPUT / f"changes-{width}.png", full_page=True)
        page.locator(".tx-change-changed a", has_text="previous build").click()
        page.wait_for_url("**/57-TIT.html#056-ch-001-v-001")


def test_only_builds_that_may_be_published_make_the_record():
    """serve's previews, materialize and the related resources of a verse helps panel skip it."""
    example = Path(__file__).resolve().parents[1] / "examples" / "bible"
    assert "2JN 1:1" in {item.key for item in build_site(example).items}
    assert build_site(example, record=False).items == []


def test_a_verse_is_recorded_as_a_reader_reads_it(bible: Path):
    """Quotes, ampersands and text that looks like an entity, written in the USFM: the record
    holds the characters the page shows, whitespace folded."""
    edit(bible, "\\v 2 ", '\\v 2 "Quoted" &quot;, it\'s &amp; a\u00a0b ~ c &#10; d. ')
    edit(bible, "\\v 3 ", '\\v 3 "Only" \'quotes\'. ')
    items = {item.key: item.text for item in build_site(bible).items}
    assert items["TIT 1:2"].startswith('"Quoted" &quot;, it\'s &amp; a b c &#10; d. ')
    assert items["TIT 1:3"].startswith('"Only" \'quotes\'. ')
