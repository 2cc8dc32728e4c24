"""Output folders are ours alone (no link is written or emptied through), and git facts come
only from the repository's own ``.git`` folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tx_mkdocs.cli import main

from .helpers import EXAMPLES, build_log

EXAMPLE = EXAMPLES / "bible"
#: No CI identity: the build falls back to git (or placeholders).
NO_CI = {name: None for name in ("GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_REF_NAME",
                                 "GITHUB_REF_TYPE", "GITHUB_SERVER_URL")}


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=NO_CI)
    return result.exit_code, result.output


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the repository with a file that must survive every build."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "sentinel.txt").write_text("keep me")
    return folder


def _untouched(folder: Path) -> bool:
    return (sorted(p.name for p in folder.iterdir()) == ["sentinel.txt"]
            and (folder / "sentinel.txt").read_text() == "keep me")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    shutil.copytree(EXAMPLE, folder)
    return folder


def test_site_dir_that_is_a_link_in_the_repo_is_refused(repo: Path, outside: Path,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch):
    (repo / "site").symlink_to(Path("..") / "outside")
    code, out = _run("build", str(repo), "--site-dir", str(repo / "site"))
    assert code == 2 and "symbolic link" in out, out
    assert _untouched(outside)
    monkeypatch.chdir(repo)  # as `build --publish` runs in CI: inside the checkout, default dir
    dest = tmp_path / "dest"
    code, out = _run("build", "--publish", "--dest", str(dest))
    assert code == 2 and "symbolic link" in out, out
    assert _untouched(outside) and not dest.exists()
    code, out = _run("publish", str(repo), "--site-dir", "site", "--dest", str(dest))
    assert code == 2 and _untouched(outside) and not dest.exists(), out
    code, out = _run("publish", "--no-build", "--site-dir", "site", "--dest", str(dest))
    assert code == 2 and _untouched(outside) and not dest.exists(), out
    assert not [p for p in tmp_path.rglob(".site.*")], "a fresh folder was left behind"


def test_site_dir_under_a_linked_folder_is_refused(repo: Path, outside: Path, tmp_path: Path):
    (repo / "out").symlink_to(outside)
    code, out = _run("build", str(repo), "--site-dir", str(repo / "out" / "site"))
    assert code == 2 and f"lies under {repo / 'out'}" in out, out
    assert _untouched(outside)


def test_site_dir_holding_the_repository_is_refused(repo: Path, tmp_path: Path):
    for site in (repo, tmp_path):
        code, out = _run("build", str(repo), "--site-dir", str(site))
        assert code == 2 and "holds the repository" in out, out
    assert (repo / "manifest.yaml").is_file()


def test_rebuild_replaces_the_old_site(repo: Path, tmp_path: Path):
    site = tmp_path / "site"
    args = ("build", str(repo), "--site-dir", str(site), "--owner", "o", "--commit", "1" * 40)
    assert _run(*args)[0] == 0
    (site / "stale.html").write_text("old")
    (site / "old-folder").mkdir()
    (site / ".secret").symlink_to(tmp_path / "repo" / "manifest.yaml")  # publishing follows
    code, out = _run(*args)
    assert code == 0, out
    assert str(site / "index.html") in out
    assert not (site / "stale.html").exists() and not (site / "old-folder").exists()
    assert (site / "index.html").is_file() and build_log(site)["status"] == "success"
    assert not os.path.lexists(site / ".secret"), "nothing of the old folder is kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "site"]


def test_a_stopped_build_is_swapped_in_with_its_failed_log(repo: Path, tmp_path: Path):
    site = tmp_path / "site"
    (repo / "extra.usfm").write_text("\\id GEN\n" + "\\v 1 x\n" * 5)
    site.mkdir()
    (site / "stale.html").write_text("old")
    code, _ = _run("build", str(repo), "--site-dir", str(site), "--timeout", "0.001")
    assert code == 1 and build_log(site)["status"] == "failed"
    assert not (site / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "site"]


@pytest.mark.parametrize("linked", ["out", "docs", "overrides"])
def test_materialize_refuses_linked_folders(repo: Path, outside: Path, tmp_path: Path,
                                            linked: str):
    out = tmp_path / "project"
    if linked == "out":
        out.symlink_to(outside)
    else:
        out.mkdir()
        (out / linked).symlink_to(outside)
    code, output = _run("materialize", str(repo), str(out))
    assert code == 2 and "symbolic link" in output, output
    assert _untouched(outside)
    assert not (out / "mkdocs.yml").exists()


def test_mkdocs_build_refuses_a_linked_site_dir(repo: Path, outside: Path):
    (repo / "mkdocs.yml").write_text("site_name: Example\ntheme: material\nplugins: [tx]\n")
    (repo / "docs").mkdir()
    (repo / "site").symlink_to(outside)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=repo, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "symbolic link" in result.stderr, result.stderr
    assert _untouched(outside)


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture
def other_repo(tmp_path: Path) -> tuple[Path, str]:
    """Another git repository (a remote, a commit) that no build may report."""
    other = tmp_path / "other"
    other.mkdir()
    _git(other, "init", "-q", "-b", "main")
    _git(other, "remote", "add", "origin", "https://git.door43.org/victim/secret_repo.git")
    (other / "f").write_text("x")
    _git(other, "add", "f")
    _git(other, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "m")
    return other, _git(other, "rev-parse", "HEAD")


@pytest.mark.parametrize("kind", ["gitdir-file", "link", "linked-ref"])
def test_git_facts_only_from_the_repositorys_own_git_folder(repo: Path, tmp_path: Path,
                                                            other_repo: tuple[Path, str],
                                                            kind: str):
    other, commit = other_repo
    dot_git = repo / ".git"
    if kind == "gitdir-file":
        dot_git.write_text(f"gitdir: {other / '.git'}\n")
    elif kind == "link":
        dot_git.symlink_to(other / ".git")
    else:  # a real .git folder whose branch is a link into the other repository
        _git(repo, "init", "-q", "-b", "main")
        (dot_git / "refs" / "heads" / "main").symlink_to(other / ".git" / "refs" / "heads" / "main")
        shutil.copy(other / ".git" / "config", dot_git / "config")
    site = tmp_path / "site"
    code, out = _run("build", str(repo), "--site-dir", str(site))
    assert code == 0, out
    log = build_log(site)
    assert (log["repo_owner_username"], log["commit_sha"]) == ("local", "0" * 40)
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (commit[:7], "victim", "secret_repo"):
                assert secret.encode() not in data, (path, secret)
    refused = [m for m in log["messages"] if m.get("file") == ".git"]
    assert [m["code"] for m in refused] == ["fs.refused"], log["messages"]
    assert refused[0]["severity"] == "warning" and refused[0]["text"].startswith("'.git' was")
    assert any(w.startswith(".git: '.git' was") for w in log["warnings"])


def test_a_real_git_folder_still_names_the_build(repo: Path, tmp_path: Path):
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "remote", "add", "origin", "https://git.door43.org/jdoe/en_exb.git")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "m")
    site = tmp_path / "site"
    assert _run("build", str(repo), "--site-dir", str(site))[0] == 0
    log = build_log(site)
    assert (log["repo_owner_username"], log["repo_name"], log["ref"]) == ("jdoe", "en_exb", "main")
    assert log["commit_sha"] == _git(repo, "rev-parse", "HEAD")
    assert not [m for m in log["messages"] if m.get("file") == ".git"]
