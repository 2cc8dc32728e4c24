"""Output folders that are ours alone: never a symbolic link, never emptied through one.

Builds often run inside a checkout of the repository they build (``tx-mkdocs build --publish``
in CI, with the default ``--site-dir site``), so the repository may hold the output path itself:
``site -> /`` or ``out -> ~``. A build that empties its output folder first would empty whatever
such a link points at. Hence every folder tx-mkdocs writes (the site, ``materialize``'s
``docs/`` and ``overrides/``) goes through :func:`replaced_folder`: the path must not be a
link nor lie under one (:func:`own_folder`), the new content is written into a fresh folder
beside it, and that folder is renamed into place; only then is the old folder removed (renamed
aside first, so nothing is ever deleted through a link).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path


class OutputDirError(ValueError):
    """An output path that is, or lies under, a symbolic link (or is no folder)."""


def own_folder(path: str | os.PathLike[str]) -> Path:
    """The absolute path of an output folder; :class:`OutputDirError` if the path or any folder
    above it is a symbolic link, or if it exists and is not a folder.

    Relative paths are taken from the current folder (its physical path, so that only the links
    the path itself names are checked).
    """
    absolute = Path(os.path.abspath(path))
    for part in (*reversed(absolute.parents), absolute):
        try:
            mode = os.lstat(part).st_mode
        except FileNotFoundError:
            break
        if stat.S_ISLNK(mode):
            where = "is" if part == absolute else f"lies under {part}, which is"
            raise OutputDirError(
                f"output folder {absolute} {where} a symbolic link (to {os.readlink(part)}): "
                f"refused, tx-mkdocs writes only into folders of its own; give the real path "
                f"({absolute.resolve()}) if that is what you mean")
        if not stat.S_ISDIR(mode):
            raise OutputDirError(f"output folder {absolute}: {part} is not a folder")
    return absolute


@contextlib.contextmanager
def replaced_folder(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A new empty folder to write into; on leaving without an exception it takes the place of
    ``path`` (checked by :func:`own_folder`), whose old content is removed.

    Nothing of the old folder is kept, not even the dot files MkDocs keeps when it cleans a
    site folder: one of them could be a link that publishing would follow. On an exception the
    new folder is removed and ``path`` is left as it was.
    """
    target = own_folder(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        yield fresh
        _swap(fresh, target)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _swap(fresh: Path, target: Path) -> None:
    """Rename ``fresh`` to ``target``; the old ``target`` (a real folder) is renamed aside, then
    removed (``shutil.rmtree`` unlinks links inside it, it never follows them)."""
    own_folder(target)  # again: the build took a while
    if not os.path.lexists(target):
        os.rename(fresh, target)
        return
    old = fresh.with_name(fresh.name.replace(".new-", ".old-", 1))  # unique as fresh is
    os.rename(target, old)  # renames the folder itself, never follows a link
    try:
        os.rename(fresh, target)
    except OSError:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
