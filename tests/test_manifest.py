"""The manifest loader on every sample and on broken manifests we write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tx_mkdocs.core.fs import RepoFS
from tx_mkdocs.core.log import BuildLog
from tx_mkdocs.core.manifest import load_manifest
from tx_mkdocs.core.rc import load_rc
from tx_mkdocs.registry import known_identifiers, known_subjects

from .helpers import SAMPLES

ALL_SAMPLES = sorted(p.name for p in SAMPLES.iterdir() if p.is_dir()) if SAMPLES.is_dir() else []


def _load(path: Path, name: str | None = None):
    log = BuildLog()
    manifest = load_manifest(RepoFS(path), name or path.name, log)
    return manifest, log


@pytest.mark.parametrize("name", ALL_SAMPLES or ["(samples missing)"])
def test_every_sample_loads_cleanly(samples: Path, name: str):
    manifest, log = _load(samples / name)
    assert log.messages == []
    assert manifest.origin in ("manifest.yaml", "manifest.json")
    assert manifest.identifier and manifest.title and manifest.language.identifier
    assert manifest.projects, "every sample lists at least one project"
    fs = RepoFS(samples / name)
    for project in manifest.projects:
        assert fs.is_file(project.path) or fs.is_dir(project.path), project.path


def test_sample_details(samples: Path):
    hbo, _ = _load(samples / "hbo_uhb")
    assert (hbo.language.identifier, hbo.language.direction) == ("hbo", "rtl")
    assert hbo.version == "1.4.1" and isinstance(hbo.version, str)
    ceb, _ = _load(samples / "ceb_ulb")  # BOM before '---'
    assert ceb.identifier == "ulb" and ceb.language.identifier == "ceb"
    obs, _ = _load(samples / "en_obs")  # null categories, no final newline
    assert obs.projects[0].categories == [] and obs.projects[0].path == "./content"
    ult, _ = _load(samples / "en_ult")
    assert [p.identifier for p in ult.projects][:2] == ["frt", "rut"]
    assert ult.projects[1].sort == 8 and ult.projects[1].path == "./08-RUT.usfm"
    ts, _ = _load(samples / "ckb_2pe_text_reg")
    assert ts.origin == "manifest.json"
    assert (ts.language.identifier, ts.language.direction) == ("ckb", "rtl")
    assert ts.projects[0].identifier == "2pe" and ts.format == "text/usfm"
    assert ts.contributor == ["Omid.Rahmani.baneh", "dana"]


@pytest.mark.parametrize("name, subject", [
    ("en_ult", "Aligned_Bible"), ("en_ulb", "Bible"), ("bdf_reg", "Bible"),
    ("hbo_uhb", "Hebrew_Old_Testament"), ("el-x-koine_ugnt", "Greek_New_Testament"),
    ("ckb_2pe_text_reg", "Bible"), ("full_bible", "Aligned_Bible"),
])
def test_bible_subjects(samples: Path, name: str, subject: str):
    rc = load_rc(samples / name, None, BuildLog(), known_identifiers(), known_subjects())
    assert rc.subject == subject


def test_helps_are_not_taken_for_bibles(samples: Path):
    """'Bible stories' and 'Bible translation … questions' must not become Bibles."""
    for name in ("en_obs", "en_tq", "hi_tq"):
        rc = load_rc(samples / name, None, BuildLog(), known_identifiers(), known_subjects())
        assert rc.subject != "Bible", name


def test_broken_yaml_names_file_and_line(tmp_path: Path):
    (tmp_path / "manifest.yaml").write_text(
        "dublin_core:\n  identifier: ulb\n  title: 'unterminated\n  subject: Bible\n"
        "projects:\n  - identifier: tit\n    path: ./57-TIT.usfm\n  - [broken\n")
    (tmp_path / "57-TIT.usfm").write_text("\\id TIT\n\\c 1\n\\p\n\\v 1 Text.\n")
    manifest, log = _load(tmp_path, "xx_ulb")
    assert log.status == "errors"
    [error] = log.errors
    assert error.file == "manifest.yaml" and error.line is not None
    assert "Badly formed 'manifest.yaml'" in error.text
    assert "manifest.yaml:" in error.format()
    # the build goes on with what can be inferred
    assert manifest.format == "text/usfm" and manifest.origin is None


def test_broken_json_and_fallback_to_next_file(tmp_path: Path):
    (tmp_path / "manifest.json").write_text('{"package_version": 7,\n "format": "usfm",\n}')
    (tmp_path / "package.json").write_text(json.dumps({
        "package_version": 3, "content_mime_type": "text/usfm",
        "language": {"slug": "fr", "name": "français", "dir": "ltr"},
        "project": {"slug": "tit", "name": "Tite", "sort": 56},
        "resource": {"slug": "ulb", "name": "Unlocked Literal Bible"},
    }))
    manifest, log = _load(tmp_path)
    [error] = log.errors
    assert error.file == "manifest.json" and error.line == 3
    assert manifest.origin == "package.json"
    assert manifest.language.identifier == "fr" and manifest.identifier == "ulb"
    assert manifest.projects[0].identifier == "tit" and manifest.projects[0].sort == 56


def test_dates_stay_strings_and_aliases_are_refused(tmp_path: Path):
    (tmp_path / "manifest.yaml").write_text(
        "dublin_core:\n  identifier: ulb\n  issued: 2024-01-02\n  title: x\n")
    manifest, log = _load(tmp_path)
    assert manifest.issued == "2024-01-02" and log.messages == []
    (tmp_path / "manifest.yaml").write_text("a: &x [1, 2]\nb: *x\n")
    _, log = _load(tmp_path)
    assert log.errors and "aliases" in log.errors[0].text


@pytest.mark.parametrize("text", ["- just\n- a list\n", "42\n", "", "dublin_core: 5\n"])
def test_odd_top_levels_never_raise(tmp_path: Path, text: str):
    (tmp_path / "manifest.yaml").write_text(text)
    manifest, _ = _load(tmp_path, "en_ulb")
    assert manifest.identifier


def test_no_manifest_inferred_from_name_and_files(tmp_path: Path):
    (tmp_path / "57-TIT.usfm").write_text("\\id TIT\n")
    manifest, log = _load(tmp_path, "fr_ulb_tit")
    assert [m.text for m in log.warnings] == ["Possible missing manifest file in project folder"]
    assert manifest.language.identifier == "fr"
    assert manifest.format == "text/usfm" and manifest.type == "bundle"
    rc = load_rc(tmp_path, "fr_ulb_tit", BuildLog(), known_identifiers(), known_subjects())
    assert rc.subject == "Bible"


def test_project_paths_outside_the_repo_are_skipped(tmp_path: Path):
    outside = tmp_path / "outside.usfm"
    outside.write_text("\\id TIT\n\\c 1\n\\p\n\\v 1 secret\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "link.usfm").symlink_to(outside)
    (repo / "manifest.yaml").write_text(
        "dublin_core: {identifier: ulb, subject: Bible, format: text/usfm}\n"
        "projects:\n  - {identifier: tit, path: ../outside.usfm}\n"
        "  - {identifier: phm, path: /etc/passwd}\n  - {identifier: jud, path: ./link.usfm}\n")
    log = BuildLog()
    rc = load_rc(repo, None, log, known_identifiers(), known_subjects())
    assert all(rc.project_path(p, log) is None for p in rc.manifest.projects)
    assert len(log.errors) == 3
    assert {e.code for e in log.errors} == {"rc.path-outside"}
