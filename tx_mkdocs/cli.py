"""``tx-mkdocs``: build, preview and materialize Door43 repositories without an mkdocs.yml.

Exit codes of ``build``: 0 a site was written (its content status is in build_log.json);
1 no site could be written, or ``--strict`` and the content has errors; 2 usage errors.

The repository's own ``mkdocs.yml`` is ignored on purpose: repositories are untrusted, and an
``mkdocs.yml`` can run code (``hooks:``). The CLI generates its own configuration.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import click
import yaml

from . import __version__
from .core.context import BuildContext, resolve_context, utc_now
from .core.records import build_log_record, write_records

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _context(repo: str, owner: str | None, name: str | None, commit: str | None,
             ref: str | None) -> BuildContext:
    try:
        return resolve_context(repo, owner=owner, name=name, commit=commit, ref=ref)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc


@contextlib.contextmanager
def generated_config(repo: Path, site_dir: Path, context: BuildContext) -> Iterator[Path]:
    """A temporary mkdocs.yml (and empty docs dir) that builds ``repo`` with the tx plugin."""
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
                "commit": context.commit, "ref": context.ref, "records": False,
                "site_name_from_manifest": True,
            }}],
        }
        path = Path(tmp, "mkdocs.yml")
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        yield path


def run_build(repo: Path, site_dir: Path, context: BuildContext, *, strict: bool = False) -> int:
    """Build the site and its records; returns the process exit code."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    started_at, started = utc_now(), time.perf_counter()
    plugin = None
    try:
        with generated_config(repo, site_dir, context) as config_file:
            config = load_config(config_file=str(config_file))
            plugin = config.plugins["tx"]
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
        click.echo(f"error: {record['errors'][0]}", err=True)
        return 1
    site = plugin.site
    timings = {**site.timings, "total": time.perf_counter() - started}
    record = build_log_record(site, context, started_at=started_at, timings=timings)
    write_records(site_dir, site, context, record)
    click.echo(f"{site_dir / 'index.html'}")
    click.echo(f"status: {record['status']} ({len(record['errors'])} errors, "
               f"{len(record['warnings'])} warnings) in {timings['total']:.1f} s", err=True)
    for line in record["errors"][:20]:
        click.echo(f"  error: {line}", err=True)
    return 1 if strict and record["status"] == "errors" else 0


def _identity_options(func):
    for option in reversed([
        click.option("--owner", help="Repository owner (default: CI env, git remote, 'local')."),
        click.option("--repo", "name",
                     help="Repository name (default: CI env, git remote, folder)."),
        click.option("--commit", help="Commit hash (default: $GITHUB_SHA, git HEAD)."),
        click.option("--ref", help="Branch or tag name (default: $GITHUB_REF_NAME, git)."),
    ]):
        func = option(func)
    return func


@click.group()
@click.version_option(__version__, prog_name="tx-mkdocs")
@click.option("--verbose", "-v", is_flag=True, help="Show MkDocs' informational messages.")
def main(verbose: bool) -> None:
    """Door43 Resource Container repositories → static websites (MkDocs + Material)."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


@main.command("build")
@click.argument("repo", default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--site-dir", "-d", default="site", show_default=True, type=click.Path(),
              help="Where to write the site.")
@click.option("--strict", is_flag=True, help="Exit 1 when the content has errors.")
@_identity_options
def build_command(repo: str, site_dir: str, strict: bool, owner: str | None, name: str | None,
                  commit: str | None, ref: str | None) -> None:
    """Build REPO (default: the current folder) into a site."""
    context = _context(repo, owner, name, commit, ref)
    raise SystemExit(run_build(Path(repo).resolve(), Path(site_dir).resolve(), context,
                               strict=strict))


@main.command("serve")
@click.argument("repo", default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True,
              help="IP address and port to serve on.")
@_identity_options
def serve_command(repo: str, dev_addr: str, owner: str | None, name: str | None,
                  commit: str | None, ref: str | None) -> None:
    """Live preview of REPO: rebuilds and reloads the browser when its files change."""
    from mkdocs.commands.serve import serve

    logging.getLogger("mkdocs").setLevel(logging.INFO)  # "Serving on …", rebuild notices
    context = _context(repo, owner, name, commit, ref)
    with tempfile.TemporaryDirectory(prefix="tx-mkdocs-site-") as site_tmp, \
            generated_config(Path(repo).resolve(), Path(site_tmp), context) as config_file:
        # livereload explicitly: its default depends on the click version (mkdocs#4032).
        # dirty: only pages whose content changed are rendered again (see the plugin).
        serve(config_file=str(config_file), livereload=True, build_type="dirty",
              dev_addr=dev_addr)


@main.command("materialize")
@click.argument("repo", type=click.Path(exists=True, file_okay=False))
@click.argument("out", type=click.Path(file_okay=False))
def materialize_command(repo: str, out: str) -> None:
    """Write REPO as a plain docs/ folder + mkdocs.yml into OUT (for ProperDocs, Zensical, …)."""
    from .materialize import materialize

    site = materialize(Path(repo), Path(out))
    click.echo(f"{Path(out) / 'mkdocs.yml'}: {len(site.pages)} pages, status {site.log.status}")


if __name__ == "__main__":
    main()
