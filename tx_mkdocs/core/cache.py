"""Reuse of expensive per-file results across rebuilds (``serve``): only what changed is redone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .fs import RepoFS

T = TypeVar("T")


class RenderCache:
    """Maps a repo file to a result computed from it, valid while the file is unchanged.

    Keyed by path and kind of result; a file counts as unchanged while its size, modification
    time and inode stay the same. ``keep=False``: nothing is kept (a single build, which would
    only hold a second copy of every result).
    """

    def __init__(self, *, keep: bool = True) -> None:
        self.keep = keep
        self._entries: dict[tuple[str, str], tuple[tuple[int, ...], Any]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, fs: RepoFS, rel: str, kind: str, compute: Callable[[], T]) -> T:
        stamp = fs.stamp(rel)
        key = (rel, kind)
        entry = self._entries.get(key)
        if stamp is not None and entry is not None and entry[0] == stamp:
            self.hits += 1
            return entry[1]
        self.misses += 1
        value = compute()
        if stamp is not None and self.keep:
            self._entries[key] = (stamp, value)
        return value
