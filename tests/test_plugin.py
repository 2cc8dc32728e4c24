"""The MkDocs plugin on a repository with a three-line mkdocs.yml."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .helpers import EXAMPLES, build_log, content_html, ids


def test_mkdocs_build_with_three_line_config(tmp_path: Path):
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "bible", repo)
    (repo / "mkdocs.yml").write_text("site_name: Example\ntheme: material\nplugins: [tx]\n")
    (repo / "docs").mkdir()  # MkDocs requires docs_dir to exist; it may stay empty
    before = sorted(p.relative_to(repo) for p in repo.rglob("*"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=repo, check=True, env=env)
    site = repo / "site"
    assert "063-ch-001-v-001" in ids(content_html(site / "64-2JN.html"))
    assert "65-3JN.html" in (site / "index.html").read_text()
    assert build_log(site)["status"] == "success"
    assert (site / "project.json").exists() and (site / "manifest.json").exists()
    after = sorted(p.relative_to(repo) for p in repo.rglob("*") if "site" not in p.parts)
    assert after == before, "the build wrote into the repository"
