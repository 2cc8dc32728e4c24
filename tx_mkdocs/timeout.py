"""``--timeout``: a build run in a child process, stopped when it takes too long.

The limits of :mod:`~tx_mkdocs.core.limits` bound what one file can cost, but not a repository
of many costly files, nor a bug. ``tx-mkdocs build --timeout SECONDS`` runs the build
(:func:`~tx_mkdocs.sitebuild.run_build`, exactly as without the option) in a child process; when the
time is up the child's whole process group is killed, the site folder is emptied (it holds half a
site) and the parent writes ``build_log.json`` with status ``failed`` and the reason. Exit code 1.

Why a child process and not ``SIGALRM`` in the main thread: a signal handler runs only between
Python bytecodes of the main thread, so it cannot interrupt one long call into C (a regular
expression, nh3, libyaml, a huge ``str.join``), it does nothing for builds run in other threads
(``serve``, a service), and the exception it raises lands wherever the build happens to be,
inside MkDocs or a library, which then cleans up (or not) in any state. A process is stopped
whatever it is doing, gives all its memory back, and leaves nothing half-done in the parent,
which was only waiting. The cost is the child's start (about half a second of imports).

``python -m tx_mkdocs.timeout SPEC`` is the child (:func:`child_command`; the webhook worker
runs its builds the same way): SPEC is the JSON file :func:`write_spec` writes, with ``repo``,
``site_dir``, ``context`` (the fields of :class:`~tx_mkdocs.core.context.BuildContext`, so that
the child's build log names the same job), ``strict``, ``links`` and ``verbose``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .core.context import BuildContext, utc_now
from .core.records import build_log_record, write_records
from .sitebuild import log_to_stderr, run_build

PACKAGE_PARENT = Path(__file__).resolve().parents[1]


def run_build_limited(repo: Path, site_dir: Path, context: BuildContext, *, timeout: float,
                      strict: bool = False, links: Mapping[str, Any] | None = None,
                      verbose: bool = False) -> int:
    """:func:`~tx_mkdocs.sitebuild.run_build` in a child process, for at most ``timeout`` seconds;
    returns its exit code (1 when it was stopped, with the failed build log written).

    ``site_dir`` is a fresh folder of ours (:func:`~tx_mkdocs.outdir.replaced_folder`): a
    stopped build's folder is removed and made again."""
    started_at, started = utc_now(), time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tx-mkdocs-job-") as tmp:
        spec_file = Path(tmp, "spec.json")
        write_spec(spec_file, repo, site_dir, context, strict=strict, links=links,
                   verbose=verbose)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (str(PACKAGE_PARENT), os.environ.get("PYTHONPATH", "")) if p)}
        child = subprocess.Popen(child_command(spec_file), env=env, start_new_session=True)
        try:
            return child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(child)
        except BaseException:  # Ctrl-C in the parent: the child is in a session of its own
            kill_group(child)
            raise
    _empty(site_dir)
    elapsed = time.monotonic() - started
    record = build_log_record(
        None, context, started_at=started_at,
        failure=f"The build was stopped after {elapsed:.1f} s: it took longer than the "
                f"--timeout of {timeout:g} seconds, and no site was written")
    write_records(site_dir, None, context, record)
    print(f"error: {record['errors'][0]}", file=sys.stderr)
    return 1


def write_spec(spec_file: Path, repo: Path, site_dir: Path, context: BuildContext, *,
               strict: bool = False, links: Mapping[str, Any] | None = None,
               verbose: bool = False) -> None:
    """Write the spec of a child build, the file :func:`main` reads (see the module doc)."""
    spec = {"repo": str(repo), "site_dir": str(site_dir), "context": dataclasses.asdict(context),
            "strict": strict, "links": dict(links or {}), "verbose": verbose}
    spec_file.write_text(json.dumps(spec), encoding="utf-8")


def child_command(spec_file: Path) -> list[str]:
    """The command of a child build; start it with ``start_new_session=True`` (a process group
    of its own, for :func:`kill_group`)."""
    return [sys.executable, "-m", "tx_mkdocs.timeout", str(spec_file)]


def kill_group(child: subprocess.Popen) -> None:
    """SIGKILL the child's process group (anything it started goes too), and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()


def _empty(site_dir: Path) -> None:
    """Remove the half site a stopped build wrote (into the fresh folder of
    :func:`~tx_mkdocs.outdir.replaced_folder`)."""
    shutil.rmtree(site_dir, ignore_errors=True)
    site_dir.mkdir(parents=True, exist_ok=True)


def main(argv: list[str]) -> int:
    """The child: one build as the spec file says."""
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    log_to_stderr(bool(spec.get("verbose")))
    return run_build(Path(spec["repo"]), Path(spec["site_dir"]),
                     BuildContext(**spec["context"]), strict=bool(spec.get("strict")),
                     links=spec.get("links") or None)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
