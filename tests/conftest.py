"""Shared fixtures: the reference samples and their sites built once per session."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .helpers import build_cli, require_shared

#: The fixtures of the publish tests (a real S3 server, built example sites) and of the webhook
#: tests (the service, a forge, a callback receiver, Redis).
pytest_plugins = ["tests.conftest_s3", "tests.conftest_webhook"]


@pytest.fixture(scope="session")
def samples() -> Path:
    return require_shared()


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory, samples: Path) -> Callable[[str], Path]:
    """``built_sample(name)``: the site of a sample built by the CLI, once per test session
    (several test modules read the same sites; none may change them)."""
    built: dict[str, Path] = {}

    def build(name: str) -> Path:
        if name not in built:
            built[name] = tmp_path_factory.mktemp(name)
            build_cli(samples / name, built[name])
        return built[name]

    return build


@pytest.fixture
def sample_copy(tmp_path: Path, samples: Path):
    """Copy a sample into a temporary folder (to break it, or to add files)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(samples / name, target)
        return target

    return copy


def pytest_terminal_summary(terminalreporter) -> None:
    """One summary line per fuzzer (inputs tried, exceptions that escaped), then one per other
    hostile-input proof (the XSS corpus in Chromium, the bounds)."""
    from .fuzzing import BOUNDS, ESCAPED, REPORTS, TRIED

    if REPORTS or BOUNDS:
        terminalreporter.section("hostile input")
        for line in REPORTS:
            terminalreporter.write_line(line)
    if BOUNDS:
        name, slowest, _ = max(BOUNDS, key=lambda b: b[1])
        outcomes = [b[2] for b in BOUNDS]
        terminalreporter.write_line(
            f"bounds: {len(BOUNDS)} hostile inputs (huge, deep, long), "
            f"{outcomes.count('ok')} handled within their work bounds, "
            f"{outcomes.count('over its work bound')} over them, "
            f"{outcomes.count('exception')} exceptions; slowest {slowest:.1f} s ({name}; "
            "seconds are information, not a limit)")
    if not TRIED:
        return
    terminalreporter.section("fuzzing")
    for name in sorted(TRIED):
        terminalreporter.write_line(
            f"fuzz {name}: {TRIED[name]} inputs tried, {ESCAPED[name]} exceptions")
    terminalreporter.write_line(
        f"fuzz total: {sum(TRIED.values())} inputs tried, {sum(ESCAPED.values())} exceptions")
