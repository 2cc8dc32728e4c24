"""A Resource Container: a confined repository view, its manifest and its Door43 subject."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .fs import OutsideRepoError, RepoFS
from .log import BuildLog
from .manifest import load_manifest
from .model import Manifest, Project


@dataclass
class RC:
    fs: RepoFS
    name: str
    manifest: Manifest
    subject: str

    @property
    def root(self) -> Path:
        return self.fs.root

    def project_path(self, project: Project, log: BuildLog) -> str | None:
        """The project's repo-relative path, or None (error logged) if it leaves the repo."""
        try:
            resolved = self.fs.resolve(project.path)
        except OutsideRepoError as exc:
            log.error(
                f"Project '{project.identifier}' skipped: {exc}",
                file=self.manifest.origin, code="rc.path-outside",
            )
            return None
        rel = self.fs.relpath(resolved) if resolved != self.fs.root else "."
        if not (self.fs.is_file(rel) or self.fs.is_dir(rel)):
            log.warning(
                f"Project '{project.identifier}': path '{project.path}' does not exist",
                file=self.manifest.origin, code="rc.path-missing",
            )
            return None
        return rel


def load_rc(root: str | Path, name: str | None, log: BuildLog, known: dict[str, str],
            subjects: set[str]) -> RC:
    """Load the repository at ``root``; ``known`` maps identifiers to subjects (from the types)."""
    fs = RepoFS(root)
    repo_name = name or fs.root.name
    manifest = load_manifest(fs, repo_name, log)
    subject = detect_subject(manifest, repo_name, known, subjects)
    return RC(fs=fs, name=repo_name, manifest=manifest, subject=subject)


def detect_subject(manifest: Manifest, repo_name: str, known: dict[str, str],
                   subjects: set[str]) -> str:
    """Door43's ``get_tX_subject``: manifest subject, format, identifier, then the repo name."""
    subject = re.sub(r"\s+", "_", manifest.subject.strip())
    identifier = manifest.identifier.lower()
    fmt = manifest.format.lower()
    if subject in subjects:
        found = subject
    elif "bible" in subject.lower() and identifier not in known:
        found = "Bible"
    elif fmt in ("usfm", "usfm3", "text/usfm", "text/usfm3"):
        found = "Bible"
    elif identifier in known:
        found = known[identifier]
    else:
        suffix = re.split(r"[_\-]", identifier)[-1]
        found = known.get(suffix) or known.get(manifest.type.lower(), "")
    if found == "Translation_Notes" and "tsv" in fmt:
        found = "TSV_Translation_Notes"
    if not found:
        lowered = repo_name.lower()
        found = "Open_Bible_Stories" if ("-obs" in lowered or "_obs" in lowered) else (
            "Generic_Markdown")
    return found
