"""Confined, forgiving access to a repository's files.

Repositories are hostile: a project path may say ``../../etc``, a file may be a symlink to
``/etc/passwd`` or to a FIFO. Everything the core reads goes through :class:`RepoFS`, which refuses
anything that resolves outside the repository root and anything that is not a regular file or
folder. Text is decoded forgivingly (BOM stripped, CRLF/CR → LF, invalid UTF-8 and NUL replaced)
so that a bad byte never costs the rest of a file. Files larger than their kind may be
(:func:`~tx_mkdocs.core.limits.max_file_bytes`) are not read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .limits import human_size, max_file_bytes

#: Folders Door43 never treated as content.
IGNORED_DIRS = frozenset({".git", ".github", ".gitea", ".apps", "00", "__pycache__", ".forgejo"})


class OutsideRepoError(ValueError):
    """A path that leaves the repository (``..``, absolute, or a symlink pointing outside)."""


class FileTooLargeError(OSError):
    """A file above the size its kind may have (:func:`~tx_mkdocs.core.limits.max_file_bytes`):
    not read, so that one file cannot exhaust memory or time."""


class RepoFS:
    """Read-only view of one repository folder."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()
        #: Entries met while listing that were refused: repo-relative path → reason.
        self.refused: dict[str, str] = {}

    def resolve(self, rel: str | os.PathLike[str]) -> Path:
        """The real path of ``rel`` inside the repo; :class:`OutsideRepoError` if it leaves it."""
        text = str(rel).replace("\\", "/")
        pure = PurePosixPath(text)
        if pure.is_absolute() or ".." in pure.parts or "\x00" in text:
            raise OutsideRepoError(f"path '{text}' leaves the repository")
        real = (self.root / pure).resolve()
        if real != self.root and self.root not in real.parents:
            raise OutsideRepoError(f"path '{text}' points outside the repository")
        return real

    def relpath(self, path: Path) -> str:
        """Repo-relative POSIX form of a path inside the repo (for messages)."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.name

    def _kind(self, path: Path) -> str | None:
        """'file', 'dir' or None (missing, special file, or a symlink escaping the repo)."""
        return self._classify(path)[0]

    def _classify(self, path: Path) -> tuple[str | None, str]:
        """(kind, reason it is refused) of a path; kind None means: not to be read."""
        try:
            real = path.resolve()
            if real != self.root and self.root not in real.parents:
                return None, "a symbolic link pointing outside the repository"
            mode = real.stat().st_mode
        except (OSError, RuntimeError):
            return None, "a broken or looping symbolic link"
        if stat.S_ISREG(mode):
            return "file", ""
        if stat.S_ISDIR(mode):
            return "dir", ""
        return None, "not a regular file or folder"

    def _listed_kind(self, path: Path) -> str | None:
        """Kind of a listed entry; a refused one is remembered in :attr:`refused`."""
        kind, reason = self._classify(path)
        if kind is None:
            self.refused.setdefault(self.relpath(path), reason)
        return kind

    def is_file(self, rel: str | os.PathLike[str]) -> bool:
        try:
            return self._kind(self.resolve(rel)) == "file"
        except OutsideRepoError:
            return False

    def is_dir(self, rel: str | os.PathLike[str]) -> bool:
        try:
            return self._kind(self.resolve(rel)) == "dir"
        except OutsideRepoError:
            return False

    def stamp(self, rel: str | os.PathLike[str]) -> tuple[int, ...] | None:
        """(size, mtime_ns, inode) of a regular file, to tell whether it changed; None if none."""
        try:
            path = self.resolve(rel)
            if self._kind(path) != "file":
                return None
            st = path.stat()
        except (OutsideRepoError, OSError):
            return None
        return (st.st_size, st.st_mtime_ns, st.st_ino)

    def readable_size(self, rel: str | os.PathLike[str]) -> int:
        """Bytes :meth:`read_bytes` would read: 0 for no file, or one refused for its size (work
        is planned by it, and a refused file is no work)."""
        stamp = self.stamp(rel)
        size = stamp[0] if stamp else 0
        return size if size <= max_file_bytes(str(rel)) else 0

    def read_bytes(self, rel: str | os.PathLike[str]) -> bytes:
        path = self.resolve(rel)
        if self._kind(path) != "file":
            raise FileNotFoundError(f"'{rel}' is not a regular file in the repository")
        size, limit = path.stat().st_size, max_file_bytes(str(rel))
        if size > limit:
            raise FileTooLargeError(f"'{rel}' is {human_size(size)}, more than the "
                                    f"{human_size(limit)} a file of its kind may have: it was "
                                    "not read")
        with path.open("rb") as handle:  # a file that grows while read is cut at the limit
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise FileTooLargeError(f"'{rel}' is more than the {human_size(limit)} a file of its "
                                    "kind may have: it was not read")
        return data

    def read_text(self, rel: str | os.PathLike[str]) -> str:
        """Decoded, BOM-free, LF-only text of a repo file."""
        return decode_text(self.read_bytes(rel))

    def listdir(self, rel: str | os.PathLike[str] = ".") -> list[str]:
        """Sorted names of the regular files and folders in ``rel`` that stay in the repo."""
        try:
            base = self.resolve(rel)
            names = sorted(os.listdir(base))
        except (OutsideRepoError, OSError):
            return []
        return [n for n in names if self._listed_kind(base / n) is not None]

    def walk(self, rel: str | os.PathLike[str] = ".") -> Iterator[str]:
        """Repo-relative paths of all regular files under ``rel``, sorted, skipping ignored dirs.

        Symlinks are followed only while they stay inside the repo; a folder is never entered
        twice, so a symlink loop cannot hang the walk.
        """
        seen: set[Path] = set()
        try:
            start = self.resolve(rel)
        except OutsideRepoError:
            return
        stack = [start]
        while stack:
            folder = stack.pop()
            real = folder.resolve()
            if real in seen:
                continue
            seen.add(real)
            try:
                names = sorted(os.listdir(folder), reverse=True)
            except OSError:
                continue
            files, dirs = [], []
            for name in names:
                kind = self._listed_kind(folder / name)
                if kind == "file":
                    files.append(folder / name)
                elif kind == "dir" and name not in IGNORED_DIRS:
                    dirs.append(folder / name)
            yield from (self.relpath(f) for f in reversed(files))
            stack.extend(dirs)


def decode_text(data: bytes) -> str:
    """UTF-8 (or UTF-16 with BOM) → str with the BOM removed and line ends normalised to LF."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        text = data.decode("utf-8", errors="replace")
    text = text.removeprefix("\ufeff")
    if "\x00" in text:  # a NUL is no text: shown as a replacement character, like bad UTF-8
        text = text.replace("\x00", "\ufffd")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
