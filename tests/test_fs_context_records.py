"""Confined file access, build identity (options → CI env → git → placeholders), records."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tx_mkdocs.core.context import resolve_context
from tx_mkdocs.core.fs import OutsideRepoError, RepoFS, decode_text
from tx_mkdocs.core.limits import MAX_WARNINGS_PER_CODE
from tx_mkdocs.core.log import BuildLog
from tx_mkdocs.core.records import merge_project
from tx_mkdocs.core.report import report_page


def test_decode_text_bom_crlf_and_bad_bytes():
    assert decode_text(b"\xef\xbb\xbfa\r\nb\rc") == "a\nb\nc"
    assert decode_text(b"ok \xff end") == "ok \ufffd end"
    assert decode_text("\ufeffhé".encode("utf-16")) == "hé"


def test_repofs_confinement(tmp_path: Path):
    (tmp_path / "secret").write_text("secret")
    repo = tmp_path / "repo"
    (repo / "sub").mkdir(parents=True)
    (repo / "sub" / "a.txt").write_text("a")
    (repo / "out").symlink_to(tmp_path / "secret")
    (repo / "outdir").symlink_to(tmp_path)
    (repo / "in").symlink_to(repo / "sub" / "a.txt")
    (repo / "loop").symlink_to(repo)
    fs = RepoFS(repo)
    for bad in ("../secret", "/etc/passwd", "out", "outdir/secret", "sub/../../secret"):
        with pytest.raises((OutsideRepoError, FileNotFoundError)):
            fs.read_text(bad)
    assert fs.read_text("in") == "a"
    assert not fs.is_file("out") and not fs.is_dir("outdir")
    assert sorted(fs.walk()) == ["in", "sub/a.txt"]
    assert "out" not in fs.listdir(".") and "outdir" not in fs.listdir(".")


def test_context_precedence(tmp_path: Path):
    env = {"GITHUB_REPOSITORY": "ci-owner/ci-repo", "GITHUB_SHA": "a" * 40,
           "GITHUB_REF_NAME": "v1", "GITHUB_REF_TYPE": "tag"}
    ctx = resolve_context(tmp_path, env=env)
    assert (ctx.owner, ctx.repo, ctx.commit10, ctx.ref, ctx.ref_type) == (
        "ci-owner", "ci-repo", "a" * 10, "v1", "tag")
    ctx = resolve_context(tmp_path, owner="me", name="mine", commit="b" * 40, ref="master",
                          env=env)
    assert (ctx.owner, ctx.repo, ctx.commit, ctx.ref_type) == ("me", "mine", "b" * 40,
                                                                "defaultBranch")


def test_context_from_git_then_placeholders(tmp_path: Path):
    ctx = resolve_context(tmp_path, env={})
    assert ctx.owner == "local" and ctx.commit == "0" * 40 and ctx.ref == "local"
    run = lambda *a: subprocess.run(["git", "-C", str(tmp_path), *a], check=True,  # noqa: E731
                                    capture_output=True)
    run("init", "-q", "-b", "main")
    run("remote", "add", "origin", "https://git.door43.org/jdoe/en_ult.git")
    (tmp_path / "f").write_text("x")
    run("add", "f")
    run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "m")
    ctx = resolve_context(tmp_path, env={})
    assert (ctx.owner, ctx.repo, ctx.ref, ctx.ref_type) == ("jdoe", "en_ult", "main",
                                                            "defaultBranch")
    assert len(ctx.commit) == 40


@pytest.mark.parametrize("kwargs", [{"owner": "../x"}, {"name": "a/b"}, {"ref": "a/../b"},
                                    {"commit": "not-hex"}, {"owner": "a\nb"},
                                    {"owner": "evil\n"}, {"name": "repo\n"}, {"ref": "main\n"},
                                    {"ref": "a\x00b"}, {"commit": "a" * 40 + "\n"}])
def test_unsafe_names_are_refused(tmp_path: Path, kwargs):
    with pytest.raises(ValueError):
        resolve_context(tmp_path, env={}, **kwargs)


def test_log_status_and_dedupe():
    log = BuildLog()
    assert log.status == "success"
    log.warning("w", file="a", line=1)
    log.warning("w", file="a", line=1)
    assert log.status == "warnings" and len(log.messages) == 1
    log.error("e")
    assert log.status == "errors"


def test_log_caps_each_code_and_never_an_error():
    """7 740 stray spaces do not hide the one broken link, nor any error."""
    log = BuildLog()
    for i in range(1000):
        log.warning(f"TIT 1:{i} - Unexpected leading space(s) in Note", file="tn_TIT.tsv",
                    line=i + 2, code="tsv.whitespace")
    log.warning("Unable to resolve link 'x'", file="tn_TIT.tsv", line=5, code="link.unresolved")
    for i in range(MAX_WARNINGS_PER_CODE + 50):
        log.error(f"Bad {i}", file="a.usfm", line=i + 1, code="usfm.bad")
    assert len(log.warnings) == MAX_WARNINGS_PER_CODE + 1
    assert len(log.errors) == MAX_WARNINGS_PER_CODE + 50
    assert log.counts() == {"tsv.whitespace": 1000, "link.unresolved": 1,
                            "usfm.bad": MAX_WARNINGS_PER_CODE + 50}
    lines = log.warning_lines()
    assert lines[MAX_WARNINGS_PER_CODE] == "… and 800 more of this kind (tsv.whitespace)"
    assert lines[-1] == "tn_TIT.tsv:5: Unable to resolve link 'x'"
    part = BuildLog()
    part.warning("w", code="tsv.whitespace")
    log.absorb(part)
    assert log.counts()["tsv.whitespace"] == 1001 and log.status == "errors"


def test_project_history_merge_is_bounded_and_idempotent(tmp_path: Path):
    ctx = resolve_context(tmp_path, owner="o", name="r", commit="c" * 40, ref="master", env={})
    project = None
    for i in range(120):
        entry = {"id": f"{i:010d}", "commit_hash": f"{i:010d}", "ref": "master",
                 "type": "tag" if i % 50 == 0 else "branch", "created_at": f"2024-01-01T00:{i:04d}",
                 "started_at": "", "ended_at": "", "status": "success", "success": True,
                 "job_id": str(i)}
        project = merge_project(project, ctx, entry, limit=100)
        project = merge_project(project, ctx, entry, limit=100)
    ids = [c["id"] for c in project["commits"]]
    assert len(ids) == len(set(ids)) == 100 + 3  # the newest 100 builds plus tags 0, 50, 100
    assert ids[0] == f"{0:010d}" and ids[-1] == f"{119:010d}"
    assert project["user"] == "o" and project["repo"] == "r"


def test_report_groups_the_same_problem_and_counts_every_kind():
    log = BuildLog()
    for i in range(MAX_WARNINGS_PER_CODE + 40):
        log.warning(f"TIT 1:{i} - Unexpected leading space(s) in Note", file="tn_TIT.tsv",
                    line=i + 2, code="tsv.whitespace", page="57-TIT.html", anchor=f"n{i}")
    log.warning("Unable to resolve link 'x'", file="tn_TIT.tsv", line=5, code="link.unresolved")
    log.error("TIT 1:1 - Bad <thing>", file="tn_TIT.tsv", line=3, code="tsv.bad")
    page = report_page(log).html
    rows = re.findall(r'<tr class="tx-(\w+)"><td>\w+</td><td>(\d+)</td><td>([^<]*)</td>', page)
    assert rows == [
        ("error", "1", "Bad &lt;thing&gt;"),
        ("warning", str(MAX_WARNINGS_PER_CODE), "Unexpected leading space(s) in Note"),
        ("warning", "1", "Unable to resolve link &#x27;x&#x27;"),
        ("warning", "40", "… and 40 more of this kind (tsv.whitespace)"),
    ]
    assert '<a href="57-TIT.html#n7"><code>TIT 1:7 tn_TIT.tsv:9</code></a>' in page
    assert "<code>TIT 1:1 tn_TIT.tsv:3</code>" in page
    assert "<code>tsv.whitespace</code> 240" in page
