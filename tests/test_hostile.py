"""Hostile repositories: nothing outside the repository is read or published."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from tx_mkdocs.cli import main

from .conftest import EXAMPLES
from .helpers import build_log

SECRET = "TOP-SECRET-SERVER-FILE-CONTENT"


def test_symlinks_outside_are_neither_read_nor_published(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text(f"\\v 1 {SECRET}\n# {SECRET}\n")
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "bible", repo)
    (repo / "stolen.usfm").symlink_to(secret)
    (repo / "notes.md").symlink_to(secret)
    (repo / "outside-dir").symlink_to(tmp_path)
    os.mkfifo(repo / "pipe.usfm")
    # a manifest project pointing at the link must not be followed either
    manifest = (repo / "manifest.yaml").read_text()
    (repo / "manifest.yaml").write_text(manifest.replace("./65-3JN.usfm", "./stolen.usfm"))
    site = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(repo), "--site-dir", str(site)])
    assert result.exit_code == 0, result.output
    for path in site.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    log = build_log(site)
    refused = {m["file"] for m in log["messages"] if m.get("code") == "fs.refused"}
    assert {"notes.md", "outside-dir", "pipe.usfm"} <= refused
    assert any(m.get("code") == "rc.path-outside" for m in log["messages"])
