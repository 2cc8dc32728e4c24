"""Theme folders that ``serve`` lists without their hidden folders.

On every build MkDocs lists each file of the theme's folders to find the static files to copy
(``Files.add_files_from_theme``: Jinja's listing, then MkDocs drops hidden paths, templates,
``*.py`` …). Jinja's listing walks hidden folders too: Material's ``.icons`` holds 14 348 of its
14 509 files, and listing and dropping them was ~0.1 s of every rebuild under ``serve``.

A view of such a folder is a private folder with the same tree of (not hidden) folders, a
symbolic link to each of its files, and one to each hidden folder. Jinja's listing does not
follow links to folders, yet loads templates through them (``{% include ".icons/…" %}``);
MkDocs finds the same static files, copies a link as its target and compares its target's
modification time, so an edited file is copied again. A file added or removed in the folder is
seen by the next build (the view is compared with the folder's tree, hidden folders left out).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path


def _tree(folder: Path) -> set[str]:
    """The folder's files and hidden folders (with a trailing ``/``), relative paths; hidden
    folders are not entered (in a view they are links, which are not followed)."""
    found: set[str] = set()
    for top, dirs, files in os.walk(folder):
        rel = os.path.relpath(top, folder)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        found.update(prefix + name for name in files)
        found.update(prefix + name + "/" for name in dirs if name.startswith("."))
        dirs[:] = [name for name in dirs if not name.startswith(".")]
    return found


def _has_hidden_folder(folder: Path) -> bool:
    return any(entry.is_dir() and entry.name.startswith(".") for entry in os.scandir(folder))


def listing_view(folder: str, views: Path) -> str:
    """The view of theme ``folder`` in ``views``, made or brought up to date; ``folder`` itself
    when it has no hidden folder at its top (nothing to gain) or links cannot be made."""
    source = Path(folder)
    if not source.is_dir() or not _has_hidden_folder(source):
        return folder
    view = views / hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:16]
    tree = _tree(source)
    if view.is_dir() and _tree(view) == tree:
        return str(view)
    shutil.rmtree(view, ignore_errors=True)
    try:
        for rel in sorted(tree):
            link = view / rel.rstrip("/")
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(source / rel.rstrip("/"), target_is_directory=rel.endswith("/"))
    except OSError:  # no symbolic links here (some Windows accounts): the folder as it is
        shutil.rmtree(view, ignore_errors=True)
        return folder
    return str(view)
