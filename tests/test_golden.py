"""Golden sites: every file of every sample's site, by hash, as it was when this file was made.

A refactoring must leave every site byte-identical: this test says which files of which sample
changed. When a change of output is intended, write the new hashes with
``TX_GOLDEN_UPDATE=1 .venv/bin/pytest tests/test_golden.py`` and say why in the commit.

What differs from one build to the next is left out: the times and job id of ``build_log.json``
and ``project.json``, and the ``lastmod`` dates of the sitemap (its gzip copy is left out). The
theme's assets (``assets/``) are hashed together, one entry per site.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from .helpers import EXAMPLES, SAMPLES, build_cli

GOLDEN = Path(__file__).parent / "data" / "golden.json"
UPDATE = os.environ.get("TX_GOLDEN_UPDATE") == "1"
#: Keys of the build records that change with every build.
_VOLATILE = {"job_id", "created_at", "started_at", "ended_at", "timings"}
_LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")


def _steady(data: object) -> object:
    if isinstance(data, dict):
        return {k: _steady(v) for k, v in data.items() if k not in _VOLATILE}
    if isinstance(data, list):
        return [_steady(v) for v in data]
    return data


def _content(path: Path) -> bytes:
    if path.name in ("build_log.json", "project.json"):
        data = _steady(json.loads(path.read_text(encoding="utf-8")))
        return json.dumps(data, sort_keys=True).encode("utf-8")
    if path.name == "sitemap.xml":
        return _LASTMOD.sub(b"", path.read_bytes())
    return path.read_bytes()


def site_hashes(site: Path) -> dict[str, str]:
    """Relative path → hash of every file of a site (``assets/`` as one entry)."""
    hashes, assets = {}, hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        name = path.relative_to(site).as_posix()
        if name == "sitemap.xml.gz":
            continue
        digest = hashlib.sha256(_content(path)).hexdigest()[:16]
        if name.startswith("assets/"):
            assets.update(f"{name} {digest}\n".encode())
        else:
            hashes[name] = digest
    hashes["assets/"] = assets.hexdigest()[:16]
    return hashes


def _golden() -> dict[str, dict[str, str]]:
    return json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.is_file() else {}


def _compare(name: str, site: Path) -> None:
    actual = site_hashes(site)
    if UPDATE:
        golden = _golden()
        golden[name] = actual
        GOLDEN.write_text(json.dumps(dict(sorted(golden.items())), indent=0, sort_keys=True)
                          + "\n", encoding="utf-8")
        return
    expected = _golden().get(name)
    assert expected is not None, f"no golden hashes for {name}: run with TX_GOLDEN_UPDATE=1"
    changed = sorted(p for p in expected.keys() & actual.keys() if expected[p] != actual[p])
    gone, new = sorted(expected.keys() - actual.keys()), sorted(actual.keys() - expected.keys())
    assert not (changed or gone or new), (
        f"{name}: {len(changed)} files changed {changed[:10]}, {len(gone)} gone {gone[:10]}, "
        f"{len(new)} new {new[:10]}")


def _sample_names() -> list[str]:
    return sorted(p.name for p in SAMPLES.iterdir() if p.is_dir()) if SAMPLES.is_dir() else []


def test_example_site_is_golden(tmp_path: Path):
    build_cli(EXAMPLES / "bible", tmp_path / "site")
    _compare("examples/bible", tmp_path / "site")


@pytest.mark.slow
@pytest.mark.parametrize("sample", _sample_names() or ["(no samples)"])
def test_sample_site_is_golden(built_sample: Callable[[str], Path], sample: str):
    _compare(sample, built_sample(sample))


def test_every_sample_is_covered(samples: Path):
    assert sorted(p.name for p in samples.iterdir() if p.is_dir()) == _sample_names()
    assert len(_sample_names()) >= 18
