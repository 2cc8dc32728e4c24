"""Getting a pushed commit's files: the forge's zip archive, or a shallow git fetch, within limits.

Archives come from the network and name their own paths, so extraction trusts nothing in them:
absolute paths, ``..``, backslashes and drive letters are refused, and so are symbolic links
(zip entries whose Unix mode is ``S_IFLNK``), device files, encrypted and duplicate entries; the
entry count, the total size and the compression ratio are bounded before anything is written,
and the bytes actually written are counted again (a zip's sizes are claims). Files are created
fresh (``O_EXCL | O_NOFOLLOW``), mode 0644, never executable. Any refusal is a
:class:`SourceError` whose message is shown to the user in ``build_log.json``.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import time
import urllib.error
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import quote, urlparse

from .. import __version__
from ..core.limits import human_size

CHUNK = 1024 * 1024
#: Ratios are checked only above this size: tiny files compress to tiny sizes whatever the ratio.
RATIO_FLOOR = 1024 * 1024
DOWNLOAD_ATTEMPTS = 3
_HEX40 = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


class SourceError(Exception):
    """The source could not be fetched or was refused; the message says why, for users."""


@dataclass(frozen=True)
class Limits:
    max_download: int = 512 * 1024 * 1024
    max_unpacked: int = 2048 * 1024 * 1024
    max_entries: int = 100_000
    max_ratio: float = 100.0
    timeout: float = 300.0


def _safe_parts(name: str) -> list[str]:
    """The path components of an entry name, or SourceError if it could land outside."""
    if "\x00" in name or "\\" in name:
        raise SourceError(f"archive entry {name!r}: NUL or backslash in a path")
    if name.startswith("/"):
        raise SourceError(f"archive entry {name!r}: absolute path")
    raw = name.split("/")
    if ".." in raw:
        raise SourceError(f"archive entry {name!r}: path traversal ('..')")
    parts = [part for part in raw if part not in ("", ".")]
    if not parts:
        raise SourceError(f"archive entry {name!r}: empty path")
    if ":" in parts[0]:
        raise SourceError(f"archive entry {name!r}: drive letter or stream name")
    return parts


def _check_entries(zf: zipfile.ZipFile, archive_size: int,
                   limits: Limits) -> list[tuple[zipfile.ZipInfo, list[str]]]:
    """Every entry checked before anything is written."""
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise SourceError(f"the archive has {len(infos)} entries (limit {limits.max_entries})")
    plan, seen, declared = [], set(), 0
    for info in infos:
        parts = _safe_parts(info.filename)
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind == stat.S_IFLNK:
            raise SourceError(f"archive entry {info.filename!r}: symbolic links are refused")
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise SourceError(f"archive entry {info.filename!r}: special file")
        if info.flag_bits & 0x1:
            raise SourceError(f"archive entry {info.filename!r}: encrypted")
        key = "/".join(parts)
        if key in seen:
            raise SourceError(f"archive entry {info.filename!r}: appears twice")
        seen.add(key)
        declared += info.file_size
        if (info.file_size > RATIO_FLOOR
                and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
            ratio = info.file_size // max(info.compress_size, 1)
            raise SourceError(f"archive entry {info.filename!r} expands {ratio} times "
                              f"(limit {limits.max_ratio:g}): a zip bomb?")
        plan.append((info, parts))
    if declared > limits.max_unpacked:
        raise SourceError(f"the archive unpacks to {human_size(declared)} "
                          f"(limit {human_size(limits.max_unpacked)})")
    if declared > RATIO_FLOOR and declared > limits.max_ratio * max(archive_size, 1):
        raise SourceError(f"the archive expands {declared // max(archive_size, 1)} times "
                          f"(limit {limits.max_ratio:g}): a zip bomb?")
    return plan


def extract_zip(archive: Path, dest: Path, limits: Limits) -> tuple[Path, str | None]:
    """Extract ``archive`` into the empty folder ``dest``. Returns the repository root (the one
    top folder that forge archives have, else ``dest``) and the commit that ``git archive``
    wrote as the zip comment (None if there is none)."""
    dest.mkdir(parents=True, exist_ok=True)
    base = dest.resolve()
    try:
        with zipfile.ZipFile(archive) as zf:
            plan = _check_entries(zf, archive.stat().st_size, limits)
            written = 0
            for info, parts in plan:
                target = base.joinpath(*parts)
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.parent.resolve().is_relative_to(base):
                    raise SourceError(f"archive entry {info.filename!r} leaves the folder")
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
                with zf.open(info) as source, os.fdopen(fd, "wb") as out:
                    written = _copy(source, out, written, limits.max_unpacked,
                                    "the archive unpacks to more than "
                                    f"{human_size(limits.max_unpacked)}")
            comment = zf.comment.decode("ascii", "replace").strip().lower()
    except SourceError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError,
            EOFError, OSError, ValueError) as exc:
        raise SourceError(f"the archive could not be extracted: {exc}") from exc
    tops = {parts[0] for _, parts in plan}
    nested = any(len(parts) > 1 for _, parts in plan)
    root = base / tops.pop() if len(tops) == 1 and nested else base
    return root, comment if _HEX40.fullmatch(comment) else None


def _copy(source: IO[bytes], out: IO[bytes], done: int, limit: int, too_large: str) -> int:
    """Copy ``source`` to ``out`` in chunks; ``done`` bytes count already. SourceError
    (``too_large``) once more than ``limit`` bytes in all: nothing is read past it. Returns
    the bytes counted."""
    while chunk := source.read(CHUNK):
        done += len(chunk)
        if done > limit:
            raise SourceError(too_large)
        out.write(chunk)
    return done


def _request(url: str, token: str) -> urllib.request.Request:
    request = urllib.request.Request(  # noqa: S310 - http(s): html_url is checked in events.py
        url, headers={"User-Agent": f"tx-mkdocs/{__version__}"})
    if token:  # never sent on to another host after a redirect
        request.add_unredirected_header("Authorization", f"token {token}")
    return request


def download(url: str, dest: Path, *, token: str, limits: Limits) -> None:
    """Download ``url`` into ``dest``, at most ``limits.max_download`` bytes. Connection
    errors, 5xx answers and incomplete bodies are retried (forges build archives on demand and
    the first answer can fail); 4xx answers are not."""
    for attempt in range(1, DOWNLOAD_ATTEMPTS + 1):
        try:
            with urllib.request.urlopen(_request(url, token),  # noqa: S310 - http(s) checked
                                        timeout=limits.timeout) as answer, open(dest, "wb") as out:
                length = answer.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > limits.max_download:
                    raise SourceError(f"the archive is {human_size(int(length))} "
                                      f"(limit {human_size(limits.max_download)})")
                size = _copy(answer, out, 0, limits.max_download,
                             f"the archive is larger than {human_size(limits.max_download)}")
                if length and length.isdigit() and size != int(length):
                    raise ConnectionError(f"got {size} of {length} bytes")
            return
        except urllib.error.HTTPError as exc:
            if exc.code < 500 or attempt == DOWNLOAD_ATTEMPTS:
                hint = " (a private repository needs a token)" if exc.code in (401, 403, 404) \
                    else ""
                raise SourceError(f"{url}: HTTP {exc.code} {exc.reason}{hint}") from exc
        except (urllib.error.URLError, OSError) as exc:
            if attempt == DOWNLOAD_ATTEMPTS:
                raise SourceError(f"{url}: {getattr(exc, 'reason', exc)}") from exc
        time.sleep(attempt)


def fetch_archive(html_url: str, commit: str | None, ref: str, workdir: Path, *, token: str,
                  limits: Limits) -> tuple[Path, str]:
    """The files of ``commit`` (or of the tag ``ref`` when the commit is not known yet) from the
    forge's archive ``<html_url>/archive/<commit>.zip``. Returns the repository root and the
    commit (from the zip comment when it was not known)."""
    url = f"{html_url.rstrip('/')}/archive/{quote(commit or ref, safe='')}.zip"
    archive = workdir / "source.zip"
    for attempt in range(1, DOWNLOAD_ATTEMPTS + 1):
        download(url, archive, token=token, limits=limits)
        if zipfile.is_zipfile(archive) or attempt == DOWNLOAD_ATTEMPTS:
            break
        time.sleep(attempt)  # Gitea can serve a half-written archive under load (BadZipFile)
    shutil.rmtree(workdir / "source", ignore_errors=True)
    root, found = extract_zip(archive, workdir / "source", limits)
    archive.unlink()
    if commit and found and found != commit:
        raise SourceError(f"the archive is of commit {found}, not {commit}")
    if not commit and not found:
        raise SourceError(f"cannot tell which commit {ref!r} names: the archive has no "
                          "commit comment")
    return root, commit or found or ""


def _git(args: list[str], cwd: Path, env: dict[str, str], limits: Limits,
         watch: Path | None = None) -> str:
    """Run git; a fetch is stopped when ``watch`` (the .git folder) outgrows the download
    limit or the timeout passes."""
    process = subprocess.Popen(["git", *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + limits.timeout
    try:
        while process.poll() is None:
            if time.monotonic() > deadline:
                raise SourceError(f"git {args[0]} took longer than {limits.timeout:g} s")
            if watch is not None and _tree_size(watch) > limits.max_download:
                raise SourceError(f"the git fetch grew past {human_size(limits.max_download)}")
            time.sleep(0.2)
    finally:
        if process.poll() is None:
            process.kill()
        out, err = process.communicate()
    if process.returncode:
        raise SourceError(f"git {args[0]} failed: {err.strip()[-500:]}")
    return out.strip()


def _tree_size(folder: Path) -> int:
    total = 0
    for base, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(base, name)).st_size
            except OSError:
                continue
    return total


def fetch_git(clone_url: str, commit: str | None, ref: str, ref_type: str, workdir: Path, *,
              token: str, limits: Limits) -> tuple[Path, str]:
    """The files of ``commit`` by a shallow fetch (depth 1) from ``clone_url``: by hash first,
    then by the ref (servers may refuse fetching a bare hash) as long as it still points at
    the commit. Only http(s) transports; symbolic links are checked out as plain files; the
    token travels in the environment (GIT_CONFIG_*), not on a command line."""
    if urlparse(clone_url).scheme not in ("http", "https"):
        raise SourceError(f"clone URL {clone_url!r} is not http(s)")
    config = {"protocol.allow": "never", "protocol.http.allow": "always",
              "protocol.https.allow": "always", "core.symlinks": "false",
              "advice.detachedHead": "false", "init.defaultBranch": "main"}
    if token:
        config["http.extraHeader"] = f"Authorization: token {token}"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(workdir),
           "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_COUNT": str(len(config))}
    for index, (key, value) in enumerate(config.items()):
        env[f"GIT_CONFIG_KEY_{index}"], env[f"GIT_CONFIG_VALUE_{index}"] = key, value
    source = workdir / "source"
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    _git(["init", "-q", "."], source, env, limits)
    named = f"refs/{'tags' if ref_type == 'tag' else 'heads'}/{ref}"
    errors = []
    for target in ([commit] if commit else []) + [named]:
        try:
            _git(["fetch", "-q", "--depth", "1", "--no-tags", clone_url, target], source, env,
                 limits, watch=source / ".git")
            break
        except SourceError as exc:
            errors.append(str(exc))
    else:
        raise SourceError("; ".join(errors))
    found = _git(["rev-parse", "FETCH_HEAD^{commit}"], source, env, limits).lower()
    if commit and found != commit:
        raise SourceError(f"{ref} has moved on to {found[:10]}: the newer push builds it")
    _git(["checkout", "-q", "FETCH_HEAD"], source, env, limits)
    shutil.rmtree(source / ".git")
    if _tree_size(source) > limits.max_unpacked:
        raise SourceError(f"the checkout is larger than {human_size(limits.max_unpacked)}")
    return source, found
