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


def test_one_off_builds_share_compiled_templates_in_a_private_folder(tmp_path: Path):
    """A build in a process of its own finds the theme's templates compiled by the one before
    (Jinja's per-user cache folder under TMPDIR), and builds the same site."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temp)}
    sites = []
    for name in ("first", "second"):
        sites.append(tmp_path / name)
        subprocess.run([sys.executable, "-m", "tx_mkdocs.cli", "build", str(EXAMPLES / "bible"),
                        "--site-dir", str(sites[-1])], check=True, env=env,
                       capture_output=True)
        [folder] = temp.glob("_jinja2-cache-*")
        compiled = sorted(folder.glob("__jinja2_*.cache"))
        assert compiled and folder.stat().st_mode & 0o777 == 0o700
        if name == "first":
            first = [(p.name, p.stat().st_mtime_ns) for p in compiled]
    assert [(p.name, p.stat().st_mtime_ns) for p in compiled] == first  # read, not rewritten
    assert (sites[0] / "64-2JN.html").read_text() == (sites[1] / "64-2JN.html").read_text()
