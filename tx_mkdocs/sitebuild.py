"""The MkDocs build of a repository: a generated mkdocs.yml with the ``tx`` plugin, built, and
its records written. Used by the CLI (``build``, ``serve``) and by the child process of
:mod:`tx_mkdocs.timeout` (``--timeout``, the webhook worker); no command-line front end here.

The repository's own ``mkdocs.yml`` is ignored on purpose: repositories are untrusted, and an
``mkdocs.yml`` can run code (``hooks:``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import yaml

from .core.context import BuildContext, utc_now
from .core.records import build_log_record, write_records

if TYPE_CHECKING:  # the plugin imports MkDocs, which only a build needs
    from .plugin import TxPlugin

# MkDocs 1.x announces MkDocs 2 on every start; builds here (CLI, child builds) stay on 1.x.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def log_to_stderr(verbose: bool) -> None:
    """MkDocs' messages on stderr, informational ones only when ``verbose``: the same in the
    CLI and in a child build."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


@contextlib.contextmanager
def generated_config(repo: Path, site_dir: Path, context: BuildContext,
                     links: Mapping[str, Any] | None = None) -> Iterator[Path]:
    """A temporary mkdocs.yml (and empty docs dir) that builds ``repo`` with the tx plugin.

    ``links`` are the plugin's ``links_*`` options (where other resources are published).
    """
    with tempfile.TemporaryDirectory(prefix="tx-mkdocs-") as tmp:
        docs = Path(tmp, "docs")
        docs.mkdir()
        config = {
            "site_name": context.repo,
            "docs_dir": str(docs),
            "site_dir": str(site_dir),
            "theme": {"name": "material"},
            "plugins": ["search", {"tx": {
                "repo": str(repo), "owner": context.owner, "name": context.repo,
                "commit": context.commit, "ref": context.ref,
                "ref_type": context.ref_type, "records": False,
                "site_name_from_manifest": True, **(links or {}),
            }}],
        }
        path = Path(tmp, "mkdocs.yml")
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        yield path


def run_build(repo: Path, site_dir: Path, context: BuildContext, *, strict: bool = False,
              links: Mapping[str, Any] | None = None) -> int:
    """Build the site and its records; returns the process exit code."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    started_at, started = utc_now(), time.perf_counter()
    plugin = None
    try:
        with generated_config(repo, site_dir, context, links) as config_file:
            config = load_config(config_file=str(config_file))
            plugin = cast("TxPlugin", config.plugins["tx"])
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
    except Exception as exc:  # noqa: BLE001 - reported in build_log.json, exit 1
        site = getattr(plugin, "site", None)
        record = build_log_record(site, getattr(plugin, "context", None) or context,
                                  started_at=started_at,
                                  failure=f"No site could be written: {type(exc).__name__}: {exc}")
        site_dir.mkdir(parents=True, exist_ok=True)
        write_records(site_dir, site, context, record)
        print(f"error: {record['errors'][0]}", file=sys.stderr)
        return 1
    site = plugin.site
    assert site is not None  # a build that ended without an exception made its site
    timings = {**site.timings, "total": time.perf_counter() - started}
    record = build_log_record(site, context, started_at=started_at, timings=timings)
    write_records(site_dir, site, context, record)
    print(f"status: {record['status']} ({len(record['errors'])} errors, "
          f"{len(record['warnings'])} warnings) in {timings['total']:.1f} s", file=sys.stderr)
    for line in record["errors"][:20]:
        print(f"  error: {line}", file=sys.stderr)
    return 1 if strict and record["status"] == "errors" else 0
