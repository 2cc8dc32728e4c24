"""Who and what is being built: owner, repo, commit and ref, from options, CI, git or defaults."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import subprocess
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,99}$")
_SAFE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/]{0,199}$")
_HEX_COMMIT = re.compile(r"[0-9a-fA-F]{7,64}")
_REMOTE = re.compile(r"[:/]([^/:]+)/([^/]+?)(?:\.git)?/?$")
DEFAULT_BRANCHES = ("master", "main")
PLACEHOLDER_COMMIT = "0" * 40


def utc_now() -> str:
    """Door43 timestamp format: ``2024-01-23T10:15:03Z``."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_name(value: str, what: str) -> str:
    """An owner or repo name safe to use in paths and S3 keys; ValueError otherwise."""
    if not _SAFE_NAME.fullmatch(value) or ".." in value:  # fullmatch: "$" allows a final "\n"
        raise ValueError(f"invalid {what} name {value!r}")
    return value


def check_ref(value: str) -> str:
    """A branch or tag name safe to use in paths and keys (slashes allowed, no ``..``)."""
    if (not _SAFE_REF.fullmatch(value) or ".." in value or "//" in value or value.endswith("/")
            or value.endswith(".lock")):
        raise ValueError(f"invalid ref name {value!r}")
    return value


def check_commit(value: str) -> str:
    """A commit hash (7–64 hex digits), lower-cased; ValueError otherwise."""
    if not _HEX_COMMIT.fullmatch(value):
        raise ValueError(f"invalid commit {value!r}: expected a hex hash")
    return value.lower()


@dataclass
class BuildContext:
    owner: str
    repo: str
    commit: str
    ref: str
    ref_type: str = "branch"  # defaultBranch | branch | tag | unknown
    server_url: str = "https://git.door43.org"
    job_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created_at: str = field(default_factory=utc_now)

    @property
    def commit10(self) -> str:
        return self.commit[:10]

    @property
    def repo_url(self) -> str:
        return f"{self.server_url.rstrip('/')}/{self.owner}/{self.repo}"

    @property
    def source_url(self) -> str:
        """Where a reader downloads the source of this build."""
        return f"{self.repo_url}/archive/{self.commit}.zip"


def git_folder(root: Path) -> tuple[Path | None, str]:
    """The repository's own ``.git`` folder, or None and why its ``.git`` is not used ("" when
    there is none).

    Only a real folder right in the repository counts. A ``.git`` file (``gitdir: <path>``, as
    worktrees and submodules have), a link, or a folder that shares another repository's data
    (``commondir``) or whose HEAD, config or refs are links would make git report another
    repository's commit and remote, and an unpacked archive may hold any of them.
    """
    folder = root / ".git"
    try:
        mode = os.lstat(folder).st_mode
    except OSError:
        return None, ""
    if stat.S_ISLNK(mode):
        return None, f"a symbolic link (to {os.readlink(folder)})"
    if not stat.S_ISDIR(mode):
        return None, "not a folder (a 'gitdir:' file would lead git to another repository)"
    if os.path.lexists(folder / "commondir"):
        return None, "a folder that shares another repository's data ('commondir')"
    entries = [folder / name for name in ("HEAD", "config", "packed-refs")]
    for base, dirs, files in os.walk(folder / "refs"):  # links are listed, not followed
        entries.extend(Path(base, name) for name in dirs + files)
    for entry in entries:
        if entry.is_symlink():
            return None, f"a folder with a symbolic link ('{entry.relative_to(root)}')"
    return folder, ""


def _git(git_dir: Path, *args: str) -> str:
    """Output of a read-only git command on ``git_dir`` ("" on any failure).

    The folder is given explicitly (no discovery: no ``gitdir:`` file is followed, no parent
    repository is found), GIT_* variables of the caller do not apply, and commands the
    repository's config could run are switched off.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    command = ["git", f"--git-dir={git_dir}", "-c", "core.fsmonitor=false",
               "-c", f"core.hooksPath={os.devnull}", *args]
    try:
        out = subprocess.run(command, capture_output=True, text=True, env=env,
                             stdin=subprocess.DEVNULL, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def git_archive(root: Path, ref: str, out: Path) -> str:
    """Write the tree of ``ref`` of the repository at ``root`` as a zip to ``out``; returns the
    commit ("" when ``root`` has no usable ``.git`` of its own, see :func:`git_folder`, or git
    does not know ``ref``). Read-only, with the same precautions as every git fact here."""
    folder, _ = git_folder(root)
    if folder is None or ref.startswith("-"):  # never an option
        return ""
    commit = _git(folder, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if not commit:
        return ""
    _git(folder, "archive", "--format=zip", f"--output={out}", commit)
    return commit if out.is_file() else ""


def resolve_context(repo: str | os.PathLike[str], *, owner: str | None = None,
                    name: str | None = None, commit: str | None = None, ref: str | None = None,
                    env: Mapping[str, str] | None = None) -> BuildContext:
    """Options first, then the CI environment (``GITHUB_*``, also set by Gitea), then git.

    Raises ValueError for names that are unsafe in paths or keys.
    """
    env = os.environ if env is None else env
    root = Path(repo).resolve()
    # git facts only from the repository's own .git folder (see git_folder)
    git_dir, _ = git_folder(root)

    def git(*args: str) -> str:
        return _git(git_dir, *args) if git_dir else ""

    ci_owner, _, ci_repo = env.get("GITHUB_REPOSITORY", "").partition("/")
    git_owner = git_repo = ""
    if git_dir and (not (owner or ci_owner) or not (name or ci_repo)):
        # this file only: an include.path could name another repository's config
        match = _REMOTE.search(git("config", "--file", str(git_dir / "config"), "--no-includes",
                                   "--get", "remote.origin.url"))
        if match:
            git_owner, git_repo = match.groups()
    owner = owner or ci_owner or git_owner or "local"
    name = name or ci_repo or git_repo or (
        re.sub(r"[^A-Za-z0-9._-]+", "-", root.name).strip("-.") or "repo")
    commit = (commit or env.get("GITHUB_SHA") or git("rev-parse", "HEAD")
              or PLACEHOLDER_COMMIT)
    ref_type = env.get("GITHUB_REF_TYPE", "") if not ref else ""
    ref = ref or env.get("GITHUB_REF_NAME") or git("symbolic-ref", "--short", "HEAD")
    if not ref:
        ref = git("describe", "--tags", "--exact-match") or "local"
        ref_type = ref_type or ("tag" if ref != "local" else "unknown")
    if not ref_type:
        ref_type = "branch"
    if ref_type == "branch" and ref in DEFAULT_BRANCHES:
        ref_type = "defaultBranch"
    return BuildContext(
        owner=check_name(owner, "owner"),
        repo=check_name(name, "repo"),
        commit=check_commit(commit),
        ref=check_ref(ref),
        ref_type=ref_type,
        server_url=env.get("GITHUB_SERVER_URL") or "https://git.door43.org",
    )
