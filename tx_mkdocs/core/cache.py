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
        self._derived: dict[tuple[str, str], tuple[object, Any]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, fs: RepoFS, rel: str, kind: str, compute: Callable[[], T]) -> T:
        """The result of ``compute`` for file ``rel``, computed again only if the file changed."""
        return self.get_many(fs, [(rel, kind)], lambda missing: [compute() for _ in missing])[0]

    def get_many(self, fs: RepoFS, items: list[tuple[str, str]],
                 compute: Callable[[list[int]], list[T]]) -> list[T]:
        """:meth:`get` for several (file, kind) items at once: ``compute`` gets the indexes of
        the items not cached and returns their results, all in one call (so that it can compute
        them in parallel)."""
        stamps = [fs.stamp(rel) for rel, _ in items]  # before computing: a later edit is new
        results: list[T | None] = [None] * len(items)
        missing = []
        for i, (key, stamp) in enumerate(zip(items, stamps, strict=True)):
            entry = self._entries.get(key)
            if stamp is not None and entry is not None and entry[0] == stamp:
                self.hits += 1
                results[i] = entry[1]
            else:
                missing.append(i)
        self.misses += len(missing)
        if missing:
            for i, value in zip(missing, compute(missing), strict=True):
                results[i] = value
                stamp = stamps[i]
                if stamp is not None and self.keep:
                    self._entries[items[i]] = (stamp, value)
        return results  # type: ignore[return-value]

    def derived(self, name: str, kind: str, inputs: object, compute: Callable[[], T]) -> T:
        """The result of ``compute`` from ``inputs`` (not a file: e.g. a page's final HTML, which
        also depends on the other pages), computed again only when ``inputs`` differ from those
        it was last computed from under (``name``, ``kind``). The inputs are kept and compared,
        never hashed: they are mostly the very objects of the last build, which compare at
        once, where hashing a whole tN's pages on every rebuild cost more than it saved.
        :attr:`hits` and :attr:`misses` count files only."""
        if not self.keep:
            return compute()
        key = (name, kind)
        entry = self._derived.get(key)
        if entry is not None and entry[0] == inputs:
            return entry[1]  # type: ignore[no-any-return]
        value = compute()
        self._derived[key] = (inputs, value)
        return value
