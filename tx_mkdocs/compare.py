"""``tx-mkdocs diff``: the content records of two built sites, or of two commits of a checkout,
compared (core/changes.py). A commit's record is made by the core build of its tree (no MkDocs,
no theme): the same items a published build of it would have."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from .build import build_site
from .core.changes import RECORD, Changes, Item, load_record, word_diff_text
from .core.context import git_archive
from .webhook.archive import Limits, SourceError, extract_zip

#: Control characters: a repository's text must not drive the reader's terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class CompareError(Exception):
    """A side of the comparison has no record (the message says which and why)."""


def site_record(path: Path) -> list[Item]:
    """The record of a built site folder (or the record file itself)."""
    file = path / RECORD if path.is_dir() else path
    try:
        return load_record(file.read_bytes())
    except (OSError, ValueError) as exc:
        raise CompareError(f"{file}: no content record ({exc}); was it built by tx-mkdocs "
                           "with content records?") from exc


def commit_record(repo: Path, ref: str) -> tuple[str, list[Item]]:
    """The commit ``ref`` names in the checkout ``repo`` and the record of its tree."""
    with tempfile.TemporaryDirectory(prefix="tx-mkdocs-diff-") as tmp:
        archive = Path(tmp, "tree.zip")
        commit = git_archive(repo, ref, archive)
        if not commit:
            raise CompareError(f"{repo}: no commit {ref!r} (the folder needs a .git folder of "
                               "its own, see docs/cli.md)")
        try:
            root, _ = extract_zip(archive, Path(tmp, "tree"), Limits())
        except SourceError as exc:
            raise CompareError(f"{repo} {ref}: {exc}") from exc
        return commit, build_site(root, name=repo.name).items


def changes_json(changes: Changes, old: str, new: str) -> dict[str, Any]:
    """The comparison for machines: the counts, then every item."""
    def item(i: Item) -> dict[str, str]:
        return {"key": i.key, "label": i.label, "href": i.href, "text": i.text}

    return {"old": old, "new": new, "changed": len(changes.changed),
            "added": len(changes.added), "removed": len(changes.removed),
            "alignment_changed": len(changes.realigned),
            "items": {
                "changed": [{**item(n), "old_text": o.text} for o, n in changes.changed],
                "added": [item(i) for i in changes.added],
                "removed": [item(i) for i in changes.removed],
                "alignment_changed": [item(i) for i in changes.realigned]}}


def changes_lines(changes: Changes) -> list[str]:
    """The comparison for people: the summary line, then one line per item (a word diff for
    changed ones: ``[-removed-]{+added+}``)."""
    lines = [changes.line()]
    lines += [f"changed {n.key}: {word_diff_text(o.text, n.text)}" for o, n in changes.changed]
    lines += [f"added {i.key}: {i.text}" for i in changes.added]
    lines += [f"removed {i.key}: {i.text}" for i in changes.removed]
    lines += [f"alignment changed {i.key}" for i in changes.realigned]
    return [_CONTROL.sub("\ufffd", line) for line in lines]
