"""``tx-mkdocs gh-deploy``: the built site as the only tree of a branch (``gh-pages``), pushed to
a remote, for forges that serve pages from a branch. Same tool and steps as ``mkdocs gh-deploy``
(``ghp-import``, which MkDocs itself depends on)."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

from ..core.context import check_name, check_ref
from .publisher import PublishError


def gh_deploy(repo: Path, site_dir: Path, *, remote: str = "origin", branch: str = "gh-pages",
              message: str, force: bool = False) -> None:
    """Commit ``site_dir`` onto ``branch`` of the git repository ``repo`` and push it.

    The remote branch is fetched first so that the new commit follows it (a plain push then
    suffices); ``force`` replaces it instead. Raises PublishError.
    """
    import ghp_import

    check_name(remote, "remote")
    check_ref(branch)
    with contextlib.chdir(repo):
        # a missing remote branch is fine: the first deploy creates it
        subprocess.run(["git", "fetch", "--quiet", remote, branch], capture_output=True,
                       check=False, timeout=300)
        try:
            ghp_import.ghp_import(str(site_dir), mesg=message, remote=remote, branch=branch,
                                  push=True, force=force, nojekyll=True)
        except ghp_import.GhpError as exc:
            raise PublishError(f"gh-deploy: {exc.message}") from exc
        except subprocess.CalledProcessError as exc:
            raise PublishError(f"gh-deploy: git push {remote} {branch} failed "
                               f"(exit {exc.returncode})") from exc
