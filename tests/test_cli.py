"""The tx-mkdocs command line: build, exit codes, records, materialize, serve."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tx_mkdocs.cli import main

from .helpers import EXAMPLES, build_log, content_html, free_ports, ids

EXAMPLE = EXAMPLES / "bible"


def _build(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", *args])
    return result.exit_code, result.output


def test_build_example(tmp_path: Path):
    code, out = _build(str(EXAMPLE), "--site-dir", str(tmp_path), "--owner", "jdoe",
                       "--repo", "en_exb", "--commit", "abcdef0123" * 4, "--ref", "master")
    assert code == 0, out
    assert str(tmp_path / "index.html") in out
    index = (tmp_path / "index.html").read_text()
    assert "64-2JN.html" in index and "65-3JN.html" in index
    letter = content_html(tmp_path / "64-2JN.html")
    assert "063-ch-001" in ids(letter) and "063-ch-001-v-013" in ids(letter)
    log = build_log(tmp_path)
    for field in ("job_id", "repo_owner_username", "repo_name", "commit_id", "commit_hash",
                  "commit_type", "resource_type", "input_format", "output_format", "created_at",
                  "started_at", "ended_at", "status", "success", "message", "log", "warnings",
                  "errors", "tx_mkdocs_version", "pages", "timings"):
        assert field in log, field
    assert (log["repo_owner_username"], log["repo_name"], log["commit_id"]) == (
        "jdoe", "en_exb", "abcdef0123")
    assert log["commit_type"] == "defaultBranch"
    assert log["resource_type"] == "Bible" and log["input_format"] == "usfm"
    assert log["status"] == "success", log["warnings"] + log["errors"]
    assert log["success"] is True
    project = json.loads((tmp_path / "project.json").read_text())
    assert project["user"] == "jdoe" and project["commits"][0]["id"] == "abcdef0123"
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["dublin_core"]["identifier"] == "exb"


def test_usage_errors_exit_2(tmp_path: Path):
    assert _build(str(tmp_path / "missing"))[0] == 2
    assert _build(str(EXAMPLE), "--owner", "../evil", "--site-dir", str(tmp_path))[0] == 2
    assert _build(str(EXAMPLE), "--no-such-option")[0] == 2


def test_strict_exits_1_on_content_errors(tmp_path: Path):
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    (repo / "manifest.yaml").write_text("dublin_core: [unclosed\n")
    code, _ = _build(str(repo), "--site-dir", str(tmp_path / "a"))
    assert code == 0 and build_log(tmp_path / "a")["status"] == "errors"
    code, _ = _build(str(repo), "--site-dir", str(tmp_path / "b"), "--strict")
    assert code == 1 and (tmp_path / "b" / "index.html").exists()


def test_no_site_exits_1_with_a_build_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def broken_build(config):
        raise OSError("disk full")

    monkeypatch.setattr("mkdocs.commands.build.build", broken_build)
    code, _ = _build(str(EXAMPLE), "--site-dir", str(tmp_path))
    assert code == 1
    log = build_log(tmp_path)
    assert log["status"] == "failed" and log["success"] is False
    assert "disk full" in log["errors"][0]


def test_materialize_builds_without_the_plugin(tmp_path: Path):
    out = tmp_path / "project"
    result = CliRunner().invoke(main, ["materialize", str(EXAMPLE), str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "docs" / "64-2JN.md").exists() and (out / "overrides" / "main.html").exists()
    config = (out / "mkdocs.yml").read_text()
    assert "tx:" not in config.split("plugins:")[1].split("markdown_extensions")[0]
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(out / "mkdocs.yml"),
                    "-d", str(tmp_path / "site")], check=True)
    letter = content_html(tmp_path / "site" / "64-2JN.html")
    assert "063-ch-001-v-003" in ids(letter)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


@contextlib.contextmanager
def _serving(repo: Path) -> Iterator[str]:
    """``tx-mkdocs serve REPO`` running; yields its base URL."""
    [port] = free_ports(1)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tx_mkdocs.cli", "serve", str(repo), "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_rebuilds_after_a_usfm_edit(tmp_path: Path):
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    with _serving(repo) as base:
        page = _wait_for(lambda: _get(base + "64-2JN.html"), "the chosen lady")
        assert "livereload" in page
        usfm = repo / "64-2JN.usfm"
        usfm.write_text(usfm.read_text().replace("the chosen lady", "the faithful house"))
        _wait_for(lambda: _get(base + "64-2JN.html"), "the faithful house")


def test_serve_stopped_leaves_nothing_in_the_temporary_folder(tmp_path: Path):
    """``serve`` ended with SIGTERM removes what it made in the temporary folder (the site, its
    configuration, the pages and the theme's view), as after Ctrl-C."""
    repo, temporary = tmp_path / "repo", tmp_path / "tmp"
    shutil.copytree(EXAMPLE, repo)
    temporary.mkdir()
    [port] = free_ports(1)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temporary)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tx_mkdocs.cli", "serve", str(repo), "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        _wait_for(lambda: _get(f"http://127.0.0.1:{port}/64-2JN.html"), "the chosen lady")
        assert any(temporary.iterdir())
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert sorted(p.name for p in temporary.iterdir()) == []


def _search_docs(base: str) -> list[dict]:
    return json.loads(_get(base + "search/search_index.json"))["docs"]


def test_serve_keeps_nav_and_search_of_every_page_right(tmp_path: Path):
    """``serve`` renders only the pages that changed, yet a book added or deleted shows in the
    nav of the pages that did not change, and the search index is a fresh build's after every
    edit (no entry twice, none of a deleted book)."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    third = repo / "65-3JN.usfm"
    usfm = third.read_text(encoding="utf-8")
    third.unlink()
    fresh = tmp_path / "fresh"
    with _serving(repo) as base:
        _wait_for(lambda: _get(base + "64-2JN.html"), "the chosen lady")
        assert "65-3JN.html" not in _get(base + "64-2JN.html")
        third.write_text(usfm.replace("Gaius", "Gaius the edited"), encoding="utf-8")
        _wait_for(lambda: _get(base + "65-3JN.html"), "Gaius the edited")
        assert "65-3JN.html" in _get(base + "64-2JN.html"), "the unchanged page's nav"
        code, out = _build(str(repo), "--site-dir", str(fresh))
        assert code == 0, out
        expected = (fresh / "search" / "search_index.json").read_text()
        # written just after the page is served (the last complete index until then)
        _wait_for(lambda: "same" if _get(base + "search/search_index.json") == expected else "",
                  "same")  # the index of a fresh build, its settings too
        assert any("Gaius the edited" in d["text"] for d in _search_docs(base))
        third.unlink()
        _wait_for(lambda: "gone" if not any(d["location"].startswith("65-3JN")
                                            for d in _search_docs(base)) else "", "gone")
        assert "65-3JN.html" not in _get(base + "64-2JN.html")
        with pytest.raises(urllib.error.HTTPError):
            _get(base + "65-3JN.html")
        assert len({d["location"] for d in _search_docs(base)}) == len(_search_docs(base))


def _wait_for(fetch, needle: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            last = fetch()
            if needle in last:
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} not served within {timeout} s")


def test_links_options_choose_where_other_resources_live(samples: Path, tmp_path: Path):
    code, out = _build(str(samples / "en_tw"), "--site-dir", str(tmp_path), "--links-owner",
                       "Door43-Catalog", "--links-base-url", "https://example.org/u")
    assert code == 0, out
    kt = (tmp_path / "kt.html").read_text()
    assert 'href="https://example.org/u/Door43-Catalog/en_ta/master/03-translate.html#' in kt
