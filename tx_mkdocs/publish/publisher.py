"""Publish a built site the Door43 way, correct under concurrency and faults.

Keys, under ``<prefix>/<owner>/<repo>/`` (default prefix ``u``)::

    <commit10>/…             the build: pages and build_log.json
    <ref>/…                  a server-side copy of the newest finished build of that branch or tag
    project.json             the history (conditional writes), manifest.json (the default branch's)

Order of one publish, so that a reader never sees a half-published build as finished:

1. ``<commit10>/build_log.json`` with status ``started``, then the changed pages (the ETag, an
   MD5, tells which; a page that the ref folder already holds is copied server-side instead of
   uploaded), then stale pages deleted, then the final ``build_log.json``.
2. project.json: read, merge (``merge_project``), write with ``IfMatch``/``IfNoneMatch``; a lost
   race (412, 404, 409) means re-read, merge and retry after a jittered backoff.
3. ``<ref>/``: ``started`` build log, changed objects copied from the newest finished build of the
   ref that project.json lists, stale ones deleted, that build's final log last. It then re-reads
   project.json and repeats if a concurrent publish registered a newer build of the ref meanwhile,
   so concurrent publishes converge on the newest build.
4. Folders of builds that fell out of the bounded history are deleted.

Until step 1 ends nothing a reader sees has changed, so a failure there leaves the previous build
of the ref intact. Failed builds (no site) publish their build log and history entry only.

For a build service (``tx-mkdocs webhook``): :func:`publish_status` writes the log and entry of a
build that has no pages yet (``requested``, ``started``) or never will (``superseded``), never
over a later stage of the same job; :func:`unpublish_ref` removes a deleted branch's or tag's
folder. Both change project.json through the same compare-and-swap (:func:`update_project`).
"""

from __future__ import annotations

import contextlib
import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from ..core.context import BuildContext, check_name, check_ref, utc_now
from ..core.records import (
    BUILD_LOG,
    HISTORY_LIMIT,
    MANIFEST_JSON,
    PROJECT_JSON,
    commit_entry,
    context_from_build_log,
    dumps_json,
    merge_project,
    started_record,
)
from .changes import add_changes
from .storage import Conflict, Storage, StorageError, md5_hex

DEFAULT_PREFIX = "u"
#: Statuses of builds that produced a site (a ref folder may point at them).
SITE_STATUSES = ("success", "warnings", "errors")
#: project.json write attempts when other publishes keep winning the race.
PROJECT_ATTEMPTS = 40
#: Rounds of re-pointing a ref folder while concurrent publishes of that ref keep landing.
ALIAS_ROUNDS = 20

NO_CACHE = "max-age=0"
IMMUTABLE = "public, max-age=31536000, immutable"
STATIC = "public, max-age=3600"
_NO_CACHE_SUFFIXES = (".html", ".htm", ".json", ".xml", ".xml.gz", ".txt")
_FINGERPRINTED = re.compile(r"\.[0-9a-f]{8,}\.[a-z0-9.]+$")  # Material: bundle.a5f9d56c.min.js
_COMMIT10 = re.compile(r"[0-9a-f]{10}", re.IGNORECASE)
_TYPES = {
    ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8", ".map": "application/json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8", ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".ico": "image/vnd.microsoft.icon",
    ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".gz": "application/gzip",
    ".pdf": "application/pdf", ".zip": "application/zip",
}


class PublishError(Exception):
    """Publishing stopped; the message says what failed and what readers still see."""


class Headers(TypedDict):
    """The keyword arguments of :meth:`Storage.put` and :meth:`Storage.copy` a key's name
    decides."""

    content_type: str
    cache_control: str


def headers(key: str) -> Headers:
    """Content-Type and Cache-Control of a key: pages and records are revalidated on every
    read, fingerprinted assets are cached for a year, other assets for an hour."""
    name = key.rsplit("/", 1)[-1].lower()
    suffix = name[name.rfind("."):] if "." in name else ""
    if name.endswith(_NO_CACHE_SUFFIXES):
        cache = NO_CACHE
    elif _FINGERPRINTED.search(name):
        cache = IMMUTABLE
    else:
        cache = STATIC
    return {"content_type": _TYPES.get(suffix, "application/octet-stream"),
            "cache_control": cache}


def ref_segment(ref: str) -> str:
    """The key segment of a branch or tag. ``/`` becomes ``~``: git forbids ``~`` in ref names,
    so ``feature/x`` → ``feature~x`` cannot collide with another ref, and a ref folder never
    nests inside another (deleting stale objects of ``feature/`` must not touch ``feature/x``)."""
    segment = check_ref(ref).replace("/", "~")
    if _COMMIT10.fullmatch(segment) or segment in (PROJECT_JSON, MANIFEST_JSON):
        raise ValueError(f"ref {ref!r} would collide with a commit folder or a repo record")
    return segment


def check_prefix(prefix: str) -> str:
    """The key prefix, ``/``-separated safe names (``u``, ``preview/u``) or empty."""
    parts = [part for part in prefix.split("/") if part]
    for part in parts:
        check_name(part, "prefix")
    return "/".join(parts)


@dataclass(frozen=True)
class Layout:
    """Every key of one repository; built only from validated names, so nothing escapes."""

    base: str
    build: str
    alias: str
    ref: str

    @classmethod
    def of(cls, prefix: str, context: BuildContext) -> Layout:
        root = check_prefix(prefix)
        base = "/".join(filter(None, [root, check_name(context.owner, "owner"),
                                      check_name(context.repo, "repo")])) + "/"
        if not _COMMIT10.fullmatch(context.commit10):
            raise ValueError(f"commit {context.commit!r}: publishing needs 10 hex digits or more")
        return cls(base=base, build=f"{base}{context.commit10.lower()}/",
                   alias=f"{base}{ref_segment(context.ref)}/", ref=context.ref)

    def folder(self, build_id: str) -> str:
        return f"{self.base}{build_id}/"

    @property
    def project(self) -> str:
        return self.base + PROJECT_JSON

    @property
    def manifest(self) -> str:
        return self.base + MANIFEST_JSON


@dataclass
class Counts:
    uploaded: int = 0
    copied: int = 0  # server-side
    unchanged: int = 0
    deleted: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.uploaded += other.uploaded
        self.copied += other.copied
        self.unchanged += other.unchanged
        self.deleted += other.deleted
        return self

    def __str__(self) -> str:
        return (f"{self.uploaded} uploaded, {self.copied} copied, {self.unchanged} unchanged, "
                f"{self.deleted} deleted")


@dataclass
class PublishResult:
    layout: Layout
    pages: Counts = field(default_factory=Counts)
    alias: Counts = field(default_factory=Counts)
    #: the build the ref folder shows now (None: the ref has no finished build yet)
    ref_build: str | None = None
    history: int = 0
    pruned: list[str] = field(default_factory=list)
    url: str = ""
    #: build_log.json's ``changes``: since the previous build of the ref (None: nothing to
    #: compare with; absent from ``build_log`` when the build has no site)
    changes: dict[str, Any] | None = None


def load_build(site_dir: Path) -> tuple[BuildContext, dict[str, Any]]:
    """The build a site folder holds, from its ``build_log.json``."""
    try:
        build_log = json.loads((site_dir / BUILD_LOG).read_text(encoding="utf-8"))
        return context_from_build_log(build_log), build_log
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PublishError(f"{site_dir / BUILD_LOG}: not a tx-mkdocs build log ({exc})") from exc


def site_files(site_dir: Path) -> dict[str, Path]:
    """The objects of a build: every file of the site except the records written separately."""
    files = {path.relative_to(site_dir).as_posix(): path
             for path in sorted(site_dir.rglob("*")) if path.is_file()}
    for record in (BUILD_LOG, PROJECT_JSON):  # the site's project.json is a local merge only
        files.pop(record, None)
    return files


def publish(site_dir: Path, context: BuildContext, build_log: dict[str, Any], storage: Storage,
            *, prefix: str = DEFAULT_PREFIX, history: int = HISTORY_LIMIT,
            workers: int = 8) -> PublishResult:
    """Publish the site in ``site_dir`` (see the module docstring for keys and order)."""
    layout = Layout.of(prefix, context)
    result = PublishResult(layout=layout)
    has_site = build_log.get("status") in SITE_STATUSES
    if has_site:
        with _phase(f"comparing with the previous build of {context.ref!r}",
                    "nothing was published."):
            project = _loads((storage.get(layout.project) or (None, ""))[0]) or {}
            build_log = add_changes(site_dir, build_log, storage, layout.base,
                                    previous_build(project, build_log))
            result.changes = build_log.get("changes")
    with _phase(f"uploading the build to {layout.build}",
                f"{layout.alias} and {PROJECT_JSON} still show the previous build."):
        _put_json(storage, layout.build + BUILD_LOG, started_record(build_log))
        if has_site:
            result.pages = _upload(storage, layout, site_files(site_dir), workers)
        _put_json(storage, layout.build + BUILD_LOG, build_log)
    with _phase(f"recording the build in {layout.project}",
                f"the build is complete at {layout.build}; {layout.alias} is unchanged."):
        project, gone = _record(storage, layout, context, commit_entry(build_log), history)
    result.history = len(project["commits"])
    if has_site:
        with _phase(f"pointing {layout.alias} at the newest build of {context.ref!r}",
                    f"{layout.alias} says 'started' (not finished) until the next publish; "
                    f"the build is complete at {layout.build}."):
            result.ref_build, result.alias = _point_ref(
                storage, layout, project, workers,
                default_branch=context.ref_type == "defaultBranch")
    with _phase("deleting builds that left the history",
                f"the build is published; {PROJECT_JSON} no longer lists them."):
        for build_id in sorted(gone):
            _delete_folder(storage, layout.folder(build_id))
            result.pruned.append(build_id)
    folder = layout.alias if result.ref_build else layout.build
    result.url = storage.url(folder + ("index.html" if has_site else BUILD_LOG))
    return result


def _upload(storage: Storage, layout: Layout, files: dict[str, Path], workers: int) -> Counts:
    """The pages into the commit folder: what the folder lacks is copied from the ref folder
    when that holds the same content (the previous build, mostly), else uploaded."""
    sums = {key: md5_hex(path.read_bytes()) for key, path in files.items()}
    previous = storage.list(layout.alias)

    def transfer(key: str) -> str:
        if previous.get(key) == sums[key]:
            with contextlib.suppress(Conflict):  # changed since listed: upload instead
                storage.copy(layout.alias + key, layout.build + key, **headers(key),
                             if_match=sums[key])
                return "copied"
        storage.put(layout.build + key, files[key].read_bytes(), **headers(key))
        return "uploaded"

    return _sync(storage, sums, layout.build, workers, transfer)


@contextlib.contextmanager
def _phase(what: str, left: str) -> Iterator[None]:
    try:
        yield
    except StorageError as exc:
        raise PublishError(f"{what} failed: {exc}\nLeft as it was: {left}") from exc


def _put_json(storage: Storage, key: str, data: Any, **condition: Any) -> None:
    storage.put(key, dumps_json(data).encode("utf-8"), **headers(key), **condition)


def _loads(body: bytes | None) -> dict[str, Any] | None:
    try:
        data = json.loads(body) if body is not None else None
    except ValueError:
        return None  # unreadable: replaced by a valid one
    return data if isinstance(data, dict) else None


def _parallel(func: Callable[[str], str], keys: list[str], workers: int) -> list[str]:
    """Run ``func`` over ``keys`` in threads; the first failure cancels what has not started."""
    if not keys:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(keys)))) as pool:
        futures = [pool.submit(func, key) for key in keys]
        try:
            return [future.result() for future in as_completed(futures)]
        finally:
            for future in futures:
                future.cancel()


def _sync(storage: Storage, source: dict[str, str], prefix: str, workers: int,
          transfer: Callable[[str], str]) -> Counts:
    """Make ``prefix`` hold exactly ``source`` (``{key: md5}``), its build log aside: transfer
    what differs (``transfer`` says "uploaded" or "copied"), then delete what ``source`` lacks."""
    existing = storage.list(prefix)
    changed = sorted(key for key, etag in source.items() if existing.get(key) != etag)
    moved = _parallel(transfer, changed, workers)
    stale = sorted(key for key in existing if key not in source and key != BUILD_LOG)
    storage.delete(prefix + key for key in stale)
    return Counts(uploaded=moved.count("uploaded"), copied=moved.count("copied"),
                  unchanged=len(source) - len(changed), deleted=len(stale))


def _backoff(attempt: int) -> float:
    """Full jitter: contenders spread out instead of colliding again in step."""
    return random.uniform(0, min(2.0, 0.05 * 2 ** attempt))  # noqa: S311 - not cryptographic


def update_project(storage: Storage, layout: Layout,
                   change: Callable[[dict[str, Any] | None], dict[str, Any] | None]
                   ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Apply ``change`` to project.json by compare-and-swap: read it, change it, write it only if
    nobody wrote it meanwhile, else start again after a jittered backoff. ``change`` gets the
    current content (None when absent or unreadable) and must not mutate it. Returns the content
    the change was applied to and the result (equal: nothing was written)."""
    for attempt in range(PROJECT_ATTEMPTS):
        current = storage.get(layout.project)
        existing = _loads(current[0] if current else None)
        changed = change(existing)
        if changed == existing:
            return existing, changed
        try:
            _put_json(storage, layout.project, changed,
                      if_match=current[1] if current else None, if_none_match=current is None)
        except Conflict:
            time.sleep(_backoff(attempt))
            continue
        return existing, changed
    raise StorageError(f"{layout.project}: other publishes won the race {PROJECT_ATTEMPTS} times")


def _record(storage: Storage, layout: Layout, context: BuildContext, entry: dict[str, Any],
            history: int) -> tuple[dict[str, Any], set[str]]:
    """Add ``entry`` to project.json; returns it and the build ids that left the history (their
    folders go)."""
    existing, merged = update_project(
        storage, layout, lambda current: merge_project(current, context, entry, limit=history))
    assert merged is not None
    kept = {c.get("id") for c in merged["commits"]}
    before = (existing or {}).get("commits", [])
    gone = {c.get("id") for c in before if isinstance(c, dict)} - kept
    return merged, {str(i) for i in gone if _COMMIT10.fullmatch(str(i))}


def _stage(status: object) -> int:
    return {"requested": 0, "started": 1}.get(str(status), 2)


def _later(old: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    """Whether ``old`` is a later stage of the same job than ``new`` (started after requested,
    a final status after either)."""
    return (old is not None and old.get("job_id") == new.get("job_id")
            and _stage(old.get("status")) > _stage(new.get("status")))


def publish_status(storage: Storage, build_log: dict[str, Any], *,
                   prefix: str = DEFAULT_PREFIX) -> str:
    """Publish the log of a build that has no pages (yet): ``requested``, ``started``, or one that
    ended without a build (``superseded``), to ``<commit10>/build_log.json`` and its project.json
    entry (a superseded build's entry is removed instead: it was never built, and would crowd the
    bounded history out). Returns the log's URL.

    A webhook service announces ``requested`` from its web process while a worker may already
    have started the same job, so neither the log nor the entry is ever replaced by an earlier
    stage of the same job (the log is written with a condition on the version that was read).
    """
    context = context_from_build_log(build_log)
    layout = Layout.of(prefix, context)
    key = layout.build + BUILD_LOG
    entry = commit_entry(build_log)

    def change(existing: dict[str, Any] | None) -> dict[str, Any] | None:
        same = [old for old in (existing or {}).get("commits", []) if isinstance(old, dict)
                and (old.get("id"), old.get("ref")) == (entry["id"], entry["ref"])]
        if any(_later(old, build_log) for old in same):
            return existing
        if build_log.get("status") == "superseded":  # never built: not history
            if existing is None or not any(old.get("job_id") == entry["job_id"] for old in same):
                return existing
            return {**existing, "commits": [c for c in existing.get("commits", [])
                                            if not any(c is old for old in same)]}
        # no pruning here: the final publish prunes, and deletes the folders that leave
        return merge_project(existing, context, entry, limit=sys.maxsize)

    with _phase(f"writing {key} ({build_log.get('status')})",
                f"{layout.alias} and {PROJECT_JSON} still show the previous build."):
        current = storage.get(key)
        if not _later(_loads(current[0]) if current else None, build_log):
            with contextlib.suppress(Conflict):  # a later stage landed meanwhile: keep it
                _put_json(storage, key, build_log, if_match=current[1] if current else None,
                          if_none_match=current is None)
        update_project(storage, layout, change)
    return storage.url(key)


def unpublish_ref(storage: Storage, context: BuildContext, *,
                  prefix: str = DEFAULT_PREFIX) -> int:
    """A branch or tag was deleted: its ref folder goes, and its project.json entries get a
    ``deleted_at`` time (they stay: the commit folders still hold those builds, and the history
    tells what happened; the ref folder is never pointed at them again). Returns the number of
    objects deleted."""
    layout = Layout.of(prefix, context)
    now = utc_now()

    def change(existing: dict[str, Any] | None) -> dict[str, Any] | None:
        if existing is None:
            return None
        commits = [{**c, "deleted_at": now} if isinstance(c, dict) and c.get("ref") == layout.ref
                   and not c.get("deleted_at") else c for c in existing.get("commits", [])]
        return {**existing, "commits": commits}

    with _phase(f"removing {layout.alias}", "the ref folder may be partly deleted."):
        update_project(storage, layout, change)
        objects = storage.list(layout.alias)
        storage.delete(layout.alias + key for key in objects)
    return len(objects)


def latest_build(project: dict[str, Any], ref: str) -> str | None:
    """The id (commit folder) of the newest build of ``ref`` that produced a site."""
    builds = [c for c in project.get("commits", [])
              if isinstance(c, dict) and c.get("ref") == ref and not c.get("deleted_at")
              and c.get("status") in SITE_STATUSES and _COMMIT10.fullmatch(str(c.get("id")))]
    if not builds:
        return None
    # Timestamps have whole seconds: of two builds in the same second, the one project.json
    # lists later (it keeps them oldest first, registered in turn) is the newer.
    _, newest = max(enumerate(builds), key=lambda ic: (str(ic[1].get("created_at") or ""),
                                                       str(ic[1].get("started_at") or ""), ic[0]))
    return str(newest["id"]).lower()


def previous_build(project: dict[str, Any], build_log: dict[str, Any]) -> str | None:
    """The build this one is compared with: the newest finished build of its ref, other than
    itself, created no later than it."""
    own, created = build_log.get("commit_id"), str(build_log.get("created_at") or "")
    earlier = [c for c in project.get("commits", []) if isinstance(c, dict)
               and c.get("id") != own and str(c.get("created_at") or "") <= created]
    return latest_build({"commits": earlier}, str(build_log.get("ref")))


def _point_ref(storage: Storage, layout: Layout, project: dict[str, Any], workers: int, *,
               default_branch: bool) -> tuple[str | None, Counts]:
    """Make the ref folder a copy of the newest finished build of the ref (server-side copies),
    until project.json names no newer one."""
    total = Counts()
    for _ in range(ALIAS_ROUNDS):
        target = latest_build(project, layout.ref)
        if target is None:
            return None, total
        source = layout.folder(target)
        log = _loads((storage.get(source + BUILD_LOG) or (None, ""))[0])
        if log is None:
            raise StorageError(f"{source}{BUILD_LOG} is missing or unreadable")
        _put_json(storage, layout.alias + BUILD_LOG, started_record(log))
        objects = storage.list(source)
        objects.pop(BUILD_LOG, None)
        def transfer(key: str, source: str = source) -> str:
            storage.copy(source + key, layout.alias + key, **headers(key))
            return "copied"

        total += _sync(storage, objects, layout.alias, workers, transfer)
        storage.copy(source + BUILD_LOG, layout.alias + BUILD_LOG, **headers(BUILD_LOG))
        if MANIFEST_JSON in objects:
            current = storage.get(layout.manifest)
            if current is None or (default_branch and current[1] != objects[MANIFEST_JSON]):
                storage.copy(source + MANIFEST_JSON, layout.manifest, **headers(MANIFEST_JSON))
        project = _loads((storage.get(layout.project) or (None, ""))[0]) or {}
        if latest_build(project, layout.ref) == target:
            return target, total
    raise StorageError(f"{layout.alias}: newer builds kept arriving for {ALIAS_ROUNDS} rounds")


def _delete_folder(storage: Storage, prefix: str) -> None:
    storage.delete(prefix + key for key in storage.list(prefix))
