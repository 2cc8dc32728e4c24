"""The documentation: its example resource type works as docs/adding-a-type.md says, and the
site (mkdocs.yml, docs/) builds with ``mkdocs build --strict``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import tx_mkdocs.types
from tx_mkdocs.types.base import registry

from .helpers import build_cli, content_html, ids, visible_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"


@pytest.fixture
def toytype() -> Iterator[None]:
    """Register docs/examples/toytype as the tutorial's "Register the type" step does: the
    folder becomes a subpackage of ``tx_mkdocs.types`` (here by adding docs/examples to the
    package's search path instead of copying it there)."""
    tx_mkdocs.types.__path__.append(str(EXAMPLES))
    registry.cache_clear()
    try:
        yield
    finally:
        tx_mkdocs.types.__path__.remove(str(EXAMPLES))
        sys.modules.pop("tx_mkdocs.types.toytype", None)
        registry.cache_clear()


def test_the_tutorial_type_builds_its_example_repository(toytype: None, tmp_path: Path):
    assert "toytype" in [t.name for t in registry()]
    site = tmp_path / "site"
    log = build_cli(EXAMPLES / "en_toy", site)
    assert log["resource_type"] == "Toy_Glossary"
    assert log["status"] == "warnings"
    assert any("glossary.tsv:4: Duplicate term 'wick'" in w for w in log["warnings"])
    page = content_html(site / "glossary.html")
    assert ids(page) == ["lamp-stand", "wick", "bad-b-term-b"]
    assert 'href="glossary.html#wick"' in page  # the rc:// link, resolved by rc_target
    assert "<script" not in page and "<b>term" not in page
    assert "Bad <b>term</b>" in visible_text(page)


def test_without_the_type_the_repository_is_generic_markdown(tmp_path: Path):
    log = build_cli(EXAMPLES / "en_toy", tmp_path / "site")
    assert log["resource_type"] == "Generic_Markdown"


@pytest.mark.slow
def test_the_documentation_builds_strict(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"),
         "-d", str(tmp_path / "docs")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    cli = (tmp_path / "docs" / "cli" / "index.html").read_text(encoding="utf-8")
    assert "tx-mkdocs publish" in cli and "--site-dir" in cli
    plugin = (tmp_path / "docs" / "plugin" / "index.html").read_text(encoding="utf-8")
    assert "links_base_url" in plugin
