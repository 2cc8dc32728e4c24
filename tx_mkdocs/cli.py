"""``tx-mkdocs``: build, preview, materialize and publish Door43 repositories without an mkdocs.yml.

Exit codes of ``build``: 0 a site was written (its content status is in build_log.json);
1 no site could be written, or ``--strict`` and the content has errors; 2 usage errors;
3 (``publish``, ``build --publish``, ``gh-deploy``) the site was built but publishing failed.

The repository's own ``mkdocs.yml`` is ignored on purpose: repositories are untrusted, and an
``mkdocs.yml`` can run code (``hooks:``). The CLI generates its own configuration.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from . import __version__
from .core.changes import summary_text
from .core.context import BuildContext, resolve_context
from .core.records import HISTORY_LIMIT
from .outdir import OutputDirError, own_folder, replaced_folder
from .publish import DEFAULT_ATTEMPTS, DEFAULT_PREFIX, Storage
from .sitebuild import generated_config, log_to_stderr, run_build

#: Exit code: the site was built but could not be published.
PUBLISH_FAILED = 3


def _context(repo: str, owner: str | None, name: str | None, commit: str | None,
             ref: str | None) -> BuildContext:
    try:
        return resolve_context(repo, owner=owner, name=name, commit=commit, ref=ref)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc


def _remember_link_option(ctx: click.Context, param: click.Parameter,
                          value: str | bool | None) -> None:
    if value is not None and value != "":
        ctx.meta.setdefault("tx_links", {})[param.name] = value


def _remember_related(ctx: click.Context, param: click.Parameter,
                      value: tuple[str, ...]) -> None:
    if value:  # absolute: the generated mkdocs.yml is elsewhere
        ctx.meta.setdefault("tx_links", {})["with"] = [str(Path(p).resolve()) for p in value]


def _links() -> dict[str, Any]:
    """The ``--links-*``, ``--no-remote-images`` and ``--with`` options given to the current
    command (plugin option names)."""
    return dict(click.get_current_context().meta.get("tx_links", {}))


def _timeout_option(func):
    return click.option(
        "--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
        help="Stop the build after SECONDS (it runs in a child process): build_log.json says "
             "'failed' and why, exit code 1.")(func)


def _output_folder(path: str | os.PathLike[str]) -> Path:
    """:func:`~tx_mkdocs.outdir.own_folder`, a usage error (exit 2) when refused."""
    try:
        return own_folder(path)
    except OutputDirError as exc:
        raise click.UsageError(str(exc)) from exc


def _build(repo: Path, site_dir: Path, context: BuildContext, *, strict: bool = False,
           timeout: float | None = None) -> int:
    """:func:`run_build` into a fresh folder that then replaces ``site_dir``
    (:func:`~tx_mkdocs.outdir.replaced_folder`), in a child process stopped after ``timeout``
    seconds if one is given (see :mod:`tx_mkdocs.timeout`)."""
    if site_dir == repo or site_dir in repo.parents:
        raise click.UsageError(f"the site folder {site_dir} holds the repository {repo}: "
                               "building would delete it")
    try:
        with replaced_folder(site_dir) as fresh:
            if timeout is None:
                code = run_build(repo, fresh, context, strict=strict, links=_links())
            else:
                from .timeout import run_build_limited

                verbose = bool(click.get_current_context().find_root().params.get("verbose"))
                code = run_build_limited(repo, fresh, context, timeout=timeout, strict=strict,
                                         links=_links(), verbose=verbose)
    except OutputDirError as exc:
        raise click.UsageError(str(exc)) from exc
    if (site_dir / "index.html").is_file():
        click.echo(f"{site_dir / 'index.html'}")
    return code


def _identity_options(func):
    for option in reversed([
        click.option("--owner", help="Repository owner (default: CI env, git remote, 'local')."),
        click.option("--repo", "name",
                     help="Repository name (default: CI env, git remote, folder)."),
        click.option("--commit", help="Commit hash (default: $GITHUB_SHA, git HEAD)."),
        click.option("--ref", help="Branch or tag name (default: $GITHUB_REF_NAME, git)."),
        click.option("--links-owner", expose_value=False, callback=_remember_link_option,
                     help="Owner of the other resources that rc:// links lead to "
                          "(default: this owner)."),
        click.option("--links-base-url", expose_value=False, callback=_remember_link_option,
                     help="Where other resources are published (default: https://door43.org/u)."),
        click.option("--links-language", expose_value=False, callback=_remember_link_option,
                     help="Language of rc://*/ links (default: from the manifest's relation)."),
        click.option("--with", "related", multiple=True, expose_value=False,
                     type=click.Path(exists=True, file_okay=False), callback=_remember_related,
                     metavar="PATH",
                     help="A local checkout of a related resource (the manifest's relation: "
                          "en/ult, en/tw …) to build with, e.g. the aligned Bible that gives "
                          "notes their GL quotes; repeatable. Nothing is fetched."),
        click.option("--pdf", flag_value=True, default=None, expose_value=False,
                     callback=_remember_link_option,
                     help="Also make PDFs (pdf/ in the site, in the Downloads menu)."),
        click.option("--pdf-images", expose_value=False, callback=_remember_link_option,
                     type=click.Path(exists=True, file_okay=False, resolve_path=True),
                     help="Local folder of the pictures for PDFs (OBS, tA), found by file name."),
        click.option("--no-remote-images", "remote_images", flag_value=False, default=None,
                     expose_value=False, callback=_remember_link_option,
                     help="Pages show images of the site only (the Content-Security-Policy "
                          "refuses other hosts; default: images may come from any host)."),
    ]):
        func = option(func)
    return func


def _target_options(func):
    for option in reversed([
        click.option("--bucket", help="S3 bucket to publish to (file:///DIR: a local folder)."),
        click.option("--dest", type=click.Path(file_okay=False),
                     help="Publish into a local folder instead, in the same layout."),
        click.option("--prefix", default=DEFAULT_PREFIX, show_default=True,
                     help="Key prefix: builds go to PREFIX/<owner>/<repo>/."),
        click.option("--endpoint-url",
                     help="Any S3-compatible server (default: AWS, or $AWS_ENDPOINT_URL_S3)."),
        click.option("--base-url", help="Public URL of the bucket root, for the printed URL."),
        click.option("--history", default=HISTORY_LIMIT, show_default=True,
                     type=click.IntRange(1), help="Builds kept in project.json, besides tags."),
        click.option("--attempts", default=DEFAULT_ATTEMPTS, show_default=True,
                     type=click.IntRange(1),
                     help="Tries per S3 request on connection errors and 5xx (with backoff)."),
    ]):
        func = option(func)
    return func


def _open_target(context: BuildContext | None, target: dict[str, Any]) -> Storage:
    """The storage of the ``_target_options``; usage errors (no target, unsafe keys) come
    before any build."""
    from .publish import open_storage
    from .publish.publisher import Layout

    try:
        storage = open_storage(bucket=target["bucket"], dest=target["dest"],
                               endpoint_url=target["endpoint_url"],
                               base_url=target["base_url"], attempts=target["attempts"])
        if context is not None:
            Layout.of(target["prefix"], context)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    return storage


def run_publish(site_dir: Path, storage: Storage, *, prefix: str, history: int) -> int:
    """Publish a built site folder: counts on stderr, the site URL last on stdout."""
    from .publish import PublishError, load_build, publish

    try:
        context, build_log = load_build(site_dir)
        result = publish(site_dir, context, build_log, storage, prefix=prefix, history=history)
    except (PublishError, ValueError) as exc:
        click.echo(f"error: publishing failed: {exc}", err=True)
        return PUBLISH_FAILED
    layout, build_log = result.layout, load_build(site_dir)[1]
    click.echo(f"pages: {result.pages} → {layout.build}", err=True)
    if result.ref_build:
        click.echo(f"ref {context.ref}: {result.alias} → {layout.alias} "
                   f"(build {result.ref_build})", err=True)
    if "changes" in build_log:  # the site's log, now with the changes publishing found
        click.echo(f"changes: {summary_text(result.changes)}", err=True)
    pruned = f", {len(result.pruned)} old builds deleted" if result.pruned else ""
    click.echo(f"{layout.project}: {result.history} builds{pruned}", err=True)
    click.echo(result.url)
    return 0


@contextlib.contextmanager
def _site_folder(site_dir: str | None) -> Iterator[Path]:
    if site_dir:
        yield _output_folder(site_dir)
        return
    with tempfile.TemporaryDirectory(prefix="tx-mkdocs-site-") as tmp:
        yield Path(tmp).resolve()  # macOS: /var is a link to /private/var


@click.group()
@click.version_option(__version__, prog_name="tx-mkdocs")
@click.option("--verbose", "-v", is_flag=True, help="Show MkDocs' informational messages.")
def main(verbose: bool) -> None:
    """Door43 Resource Container repositories → static websites (MkDocs + Material)."""
    log_to_stderr(verbose)


@main.command("build")
@click.argument("repo", default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--site-dir", "-d", default="site", show_default=True, type=click.Path(),
              help="Where to write the site.")
@click.option("--strict", is_flag=True, help="Exit 1 when the content has errors.")
@_timeout_option
@_identity_options
@click.option("--publish", "publish_", is_flag=True,
              help="Then publish the site (as `tx-mkdocs publish`; needs --bucket or --dest).")
@_target_options
def build_command(repo: str, site_dir: str, strict: bool, timeout: float | None,
                  owner: str | None, name: str | None, commit: str | None, ref: str | None,
                  publish_: bool, **target) -> None:
    """Build REPO (default: the current folder) into a site."""
    context = _context(repo, owner, name, commit, ref)
    storage = _open_target(context, target) if publish_ else None
    folder = _output_folder(site_dir)
    code = _build(Path(repo).resolve(), folder, context, strict=strict, timeout=timeout)
    if storage is not None:
        code = max(code, run_publish(folder, storage, prefix=target["prefix"],
                                     history=target["history"]))
    raise SystemExit(code)


@main.command("publish")
@click.argument("repo", default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--site-dir", "-d", type=click.Path(file_okay=False),
              help="Build into DIR and keep it (default: a temporary folder).")
@click.option("--no-build", is_flag=True,
              help="Publish the site already in --site-dir (its build_log.json names the build).")
@_timeout_option
@_identity_options
@_target_options
def publish_command(repo: str, site_dir: str | None, no_build: bool, timeout: float | None,
                    owner: str | None, name: str | None, commit: str | None, ref: str | None,
                    **target) -> None:
    """Build REPO and publish it to S3 or a folder, in the Door43 layout.

    Keys: PREFIX/<owner>/<repo>/<commit10>/, then <ref>/ (a copy), project.json and
    manifest.json. Unchanged objects are not uploaded again. Credentials come from the
    standard AWS chain (environment, ~/.aws, instance role). The site URL is the last line.
    """
    if no_build:
        if not site_dir:
            raise click.UsageError("--no-build needs --site-dir")
        if any((owner, name, commit, ref)):
            raise click.UsageError("with --no-build the build's identity is its build_log.json")
        raise SystemExit(run_publish(_output_folder(site_dir), _open_target(None, target),
                                     prefix=target["prefix"], history=target["history"]))
    context = _context(repo, owner, name, commit, ref)
    storage = _open_target(context, target)
    with _site_folder(site_dir) as folder:
        code = _build(Path(repo).resolve(), folder, context, timeout=timeout)
        code = max(code, run_publish(folder, storage, prefix=target["prefix"],
                                     history=target["history"]))
    raise SystemExit(code)


@main.command("gh-deploy")
@click.argument("repo", default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--remote-branch", "-b", default="gh-pages", show_default=True,
              help="Branch that receives the site.")
@click.option("--remote-name", "-r", default="origin", show_default=True,
              help="Remote to push to.")
@click.option("--message", "-m", help="Commit message (default: the commit and version).")
@click.option("--force", is_flag=True, help="Replace the branch instead of adding a commit.")
@_timeout_option
@_identity_options
def gh_deploy_command(repo: str, remote_branch: str, remote_name: str, message: str | None,
                      force: bool, timeout: float | None, owner: str | None, name: str | None,
                      commit: str | None, ref: str | None) -> None:
    """Build REPO and push the site to a branch of it (as `mkdocs gh-deploy` does)."""
    from .publish import PublishError
    from .publish.ghdeploy import gh_deploy

    context = _context(repo, owner, name, commit, ref)
    with _site_folder(None) as folder:
        code = _build(Path(repo).resolve(), folder, context, timeout=timeout)
        if code:
            raise SystemExit(code)
        try:
            gh_deploy(Path(repo).resolve(), folder, remote=remote_name, branch=remote_branch,
                      force=force, message=message or (
                          f"Deployed {context.commit10} with tx-mkdocs version: {__version__}"))
        except (PublishError, ValueError) as exc:
            click.echo(f"error: {exc}", err=True)
            raise SystemExit(PUBLISH_FAILED) from exc
    click.echo(f"pushed to {remote_name} {remote_branch}", err=True)


@main.command("init-ci")
@click.argument("repo", default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--workflow-repo", default=None,
              help="OWNER/REPO holding .github/workflows/gogs-actions.yml "
                   "[default: unfoldingWord/tx-mkdocs].")
@click.option("--workflow-ref", default=None,
              help="Tag or commit of it to pin [default: v<version>].")
@click.option("--bucket", help="Bucket to publish to (default: the DOOR43_BUCKET variable).")
@click.option("--endpoint-url", help="S3-compatible server (default: AWS).")
@click.option("--prefix", default=DEFAULT_PREFIX, show_default=True, help="Key prefix.")
@click.option("--install-spec", help="pip arguments installing tx-mkdocs, if not from PyPI.")
@click.option("--force", is_flag=True, help="Replace an existing workflow.")
def init_ci_command(repo: str, force: bool, **options: str | None) -> None:
    """Write .gitea/workflows/door43.yml: build and publish REPO on every push."""
    from .publish.ci import write_caller

    try:
        path = write_caller(Path(repo), force=force, **options)
    except (FileExistsError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(str(path))


def _stop_serving(signum: int, frame: object) -> None:
    """SIGTERM (``kill``, a service manager, an editor's task runner) stops ``serve`` as Ctrl-C
    does: MkDocs removes its site folder, the plugin its private folders (the pages, the theme's
    view), and we the generated configuration; killed outright, they were left in the temporary
    folder."""
    raise KeyboardInterrupt


@main.command("serve")
@click.argument("repo", default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True,
              help="IP address and port to serve on.")
@_identity_options
def serve_command(repo: str, dev_addr: str, owner: str | None, name: str | None,
                  commit: str | None, ref: str | None) -> None:
    """Live preview of REPO: rebuilds and reloads the browser when its files change."""
    from unittest import mock

    from mkdocs.commands import serve as mkdocs_serve

    from .watching import Server

    logging.getLogger("mkdocs").setLevel(logging.INFO)  # "Serving on …", rebuild notices
    signal.signal(signal.SIGTERM, _stop_serving)
    context = _context(repo, owner, name, commit, ref)
    with tempfile.TemporaryDirectory(prefix="tx-mkdocs-site-") as site_tmp, \
            generated_config(Path(repo).resolve(), Path(site_tmp), context,
                             _links()) as config_file:
        # livereload explicitly: its default depends on the click version (mkdocs#4032).
        # dirty: only pages whose content changed are rendered again (see the plugin).
        # a server that notices a saved file sooner (watching.py); MkDocs has no option for it
        with mock.patch.object(mkdocs_serve, "LiveReloadServer", Server):
            mkdocs_serve.serve(config_file=str(config_file), livereload=True,
                               build_type="dirty", dev_addr=dev_addr)


@main.command("materialize")
@click.argument("repo", type=click.Path(exists=True, file_okay=False))
@click.argument("out", type=click.Path(file_okay=False))
def materialize_command(repo: str, out: str) -> None:
    """Write REPO as a plain docs/ folder + mkdocs.yml into OUT (for ProperDocs, Zensical, …)."""
    from .materialize import materialize

    try:
        site = materialize(Path(repo), Path(out))
    except OutputDirError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"{Path(out) / 'mkdocs.yml'}: {len(site.pages)} pages, status {site.log.status}")


@main.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--repo", "repo", type=click.Path(exists=True, file_okay=False), metavar="PATH",
              help="OLD and NEW are commits, branches or tags of the checkout PATH (its own "
                   ".git folder), not site folders.")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
def diff_command(old: str, new: str, repo: str | None, as_json: bool) -> None:
    """What changed from OLD to NEW: two built sites (their content.json.gz), or with --repo
    two commits of a checkout. Prints 'changed N, added N, removed N, alignment changed N',
    then each item (changed ones as a word diff, [-removed-]{+added+}); exit 0."""
    import json

    from .compare import CompareError, changes_json, changes_lines, commit_record, site_record
    from .core.changes import compare

    try:
        if repo:
            (old, before), (new, after) = (commit_record(Path(repo), ref) for ref in (old, new))
        else:
            before, after = site_record(Path(old)), site_record(Path(new))
    except CompareError as exc:
        raise click.UsageError(str(exc)) from exc
    changes = compare(before, after)
    if as_json:
        click.echo(json.dumps(changes_json(changes, old, new), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(changes_lines(changes)))


@main.command("webhook")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              envvar="TX_WEBHOOK_CONFIG", help="TOML settings file (or $TX_WEBHOOK_CONFIG).")
@click.option("--host", help="Address to listen on [default: 127.0.0.1].")
@click.option("--port", type=int, help="Port to listen on [default: 8080].")
@click.option("--role", type=click.Choice(["all", "web", "worker"]),
              help="all: answer and build in one process [default]; web: answer and queue; "
                   "worker: build what the queue holds.")
@click.option("--workers", type=click.IntRange(1), help="Builds at a time [default: 2].")
@click.option("--queue", help="sqlite:///PATH (embedded, default) or redis://HOST:PORT/DB.")
@click.option("--data-dir", help="Where the SQLite queue and build folders live.")
def webhook_command(config_file: str | None, **overrides: Any) -> None:
    """Receive Gogs and Gitea push webhooks: answer with the job at once, then build and publish
    in the background (the original tX flow). POST /hooks/push, GET /jobs/<id>, GET /jobs,
    GET /healthz.

    Settings come from --config, then TX_WEBHOOK_* variables, then these options; the secret
    and the bucket (or dest) are required. See docs/webhook.md.
    """
    try:
        from .webhook.config import load_config
        from .webhook.service import serve
    except ImportError as exc:
        raise click.UsageError(f"{exc.name} is missing: pip install 'tx-mkdocs[webhook]'") from exc
    try:
        config = load_config(config_file, overrides=overrides)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    try:
        serve(config)
    except RuntimeError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from exc


if __name__ == "__main__":
    main()
