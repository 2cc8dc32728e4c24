"""``tx-mkdocs init-ci``: the caller workflow that makes a repository build and publish itself on
every push, through the reusable workflow ``ci/gogs-actions.yml``.

That reusable workflow is published in a template repository at
``.github/workflows/gogs-actions.yml``: Gitea accepts any ``.<dir>/workflows/`` path, but act
(which tests it) only ``.github/workflows/``. Callers pin a tag, as act_runner caches reusable
workflows per ref.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .. import __version__
from ..core.context import check_name, check_ref
from .publisher import DEFAULT_PREFIX, check_prefix

CALLER_PATH = ".gitea/workflows/door43.yml"
WORKFLOW_PATH = ".github/workflows/gogs-actions.yml"
DEFAULT_WORKFLOW_REPO = "unfoldingWord/tx-mkdocs"
DEFAULT_WORKFLOW_REF = f"v{__version__}"
_HEADER = """\
# Build this repository with tx-mkdocs and publish it on every push (`tx-mkdocs init-ci`).
# Repository settings → Actions: secrets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and the
# variable DOOR43_BUCKET unless a bucket is written below.
"""


def caller_workflow(*, workflow_repo: str = DEFAULT_WORKFLOW_REPO,
                    workflow_ref: str = DEFAULT_WORKFLOW_REF, bucket: str | None = None,
                    endpoint_url: str | None = None, prefix: str = DEFAULT_PREFIX,
                    install_spec: str | None = None) -> str:
    """The YAML of ``.gitea/workflows/door43.yml`` (``github.*`` context only: act rejects
    ``gitea.*`` and Gitea accepts both)."""
    owner, _, name = workflow_repo.partition("/")
    check_name(owner, "workflow owner")
    check_name(name, "workflow repo")
    check_ref(workflow_ref)
    inputs = {"bucket": bucket or "${{ vars.DOOR43_BUCKET }}", "prefix": check_prefix(prefix),
              "tx-mkdocs-version": __version__}
    if endpoint_url:
        inputs["endpoint"] = endpoint_url
    if install_spec:
        inputs["install-spec"] = install_spec
    workflow = {
        "name": "door43",
        "on": {"push": {"branches": ["**"], "tags": ["**"]}},
        # a newer push of the same ref cancels the build of the last (tc-create saves often);
        # Gitea versions without `concurrency` ignore it
        "concurrency": {"group": "door43-${{ github.ref }}", "cancel-in-progress": True},
        "jobs": {"publish": {
            "uses": f"{owner}/{name}/{WORKFLOW_PATH}@{workflow_ref}",
            "with": inputs,
            "secrets": {key: "${{ secrets." + key + " }}"
                        for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")},
        }},
    }
    return _HEADER + yaml.safe_dump(workflow, sort_keys=False, allow_unicode=True, width=100)


def write_caller(repo: Path, *, force: bool = False, **options: str | None) -> Path:
    """Write the caller workflow into ``repo``; FileExistsError unless ``force``."""
    path = repo / CALLER_PATH
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists (use --force to replace it)")
    text = caller_workflow(**{k: v for k, v in options.items() if v is not None})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
