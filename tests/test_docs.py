"""The documentation: its example resource type works as docs/adding-a-type.md says, and the
site (mkdocs.yml, docs/) builds with ``mkdocs build --strict``."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tx_mkdocs.registry import TypeRegistrationError, registry

from .helpers import build_cli, content_html, ids, visible_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
TOYTYPE = EXAMPLES / "toytype"


def install(project: Path, site_packages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``pip install -e <project>`` does for a type's package, without pip: its folder and a
    ``<name>-<version>.dist-info`` (METADATA and the entry points of its pyproject.toml) on
    ``sys.path``, where :mod:`importlib.metadata` finds the entry point; the registry reloads."""
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    points = meta["entry-points"]["tx_mkdocs.types"]
    info = site_packages / f"{meta['name']}-{meta['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {meta['name']}\n"
                                   f"Version: {meta['version']}\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[tx_mkdocs.types]\n" + "".join(f"{k} = {v}\n" for k, v in points.items()),
        encoding="utf-8")
    monkeypatch.syspath_prepend(str(site_packages))
    monkeypatch.syspath_prepend(str(project))
    monkeypatch.delitem(sys.modules, "toytype", raising=False)
    registry.cache_clear()


@pytest.fixture
def clean_registry() -> Iterator[None]:
    """The registry and the imported toy type forgotten after the test."""
    yield
    sys.modules.pop("toytype", None)
    registry.cache_clear()


@pytest.fixture
def toytype(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_registry: None) -> None:
    """docs/examples/toytype installed as the tutorial's "Register the type" step says."""
    install(TOYTYPE, tmp_path / "site-packages", monkeypatch)


def test_a_type_missing_a_declared_template_is_refused_when_registered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_registry: None):
    broken = tmp_path / "toytype"
    shutil.copytree(TOYTYPE, broken)
    (broken / "toytype" / "templates" / "toy.html").unlink()
    install(broken, tmp_path / "site-packages", monkeypatch)
    with pytest.raises(TypeRegistrationError, match=r"toytype .*declares .* missing .*toy\.html"):
        registry()


def test_every_type_of_the_package_is_registered_with_its_files():
    names = [t.name for t in registry()]
    assert names == ["bible", "markdown", "obs", "obs_helps", "study", "ta", "tn", "tq", "tw",
                     "twl"]
    assert all(not t.missing_files() for t in registry())


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
