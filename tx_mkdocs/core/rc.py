"""A Resource Container: a confined repository view, its manifest, its Door43 subject, and the
resources built together with it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .cache import RenderCache
from .fs import OutsideRepoError, RepoFS
from .log import BuildLog
from .manifest import load_manifest
from .model import Manifest, Project

#: Door43's subjects (door43-job-handler webhook.py), plus the TSV helps it never rendered.
DOOR43_SUBJECTS = frozenset({
    "Bible", "Aligned_Bible", "Greek_New_Testament", "Hebrew_Old_Testament",
    "Open_Bible_Stories", "OBS_Translation_Notes", "OBS_Study_Notes",
    "OBS_Translation_Questions", "OBS_Study_Questions", "Translation_Academy",
    "Translation_Words", "Translation_Questions", "Translation_Notes", "TSV_Translation_Notes",
    "TSV_Translation_Questions", "TSV_Translation_Words_Links", "TSV_Study_Notes",
    "TSV_Study_Questions", "TSV_OBS_Translation_Notes", "TSV_OBS_Translation_Questions",
    "TSV_OBS_Study_Notes", "TSV_OBS_Study_Questions", "TSV_OBS_Translation_Words_Links",
    "Greek_Lexicon", "Hebrew-Aramaic_Lexicon", "Greek_Grammar", "Hebrew_Grammar",
    "Generic_Markdown",
})

#: Door43's ``RESOURCE_SUBJECT_MAP``: identifier → subject.
DOOR43_IDENTIFIERS = {
    "obs": "Open_Bible_Stories", "obs-sn": "OBS_Study_Notes", "obs-sq": "OBS_Study_Questions",
    "obs-tn": "OBS_Translation_Notes", "obs-tq": "OBS_Translation_Questions",
    "obs-sg": "Generic_Markdown", "obs-twl": "TSV_OBS_Translation_Words_Links",
    "bible": "Bible", "reg": "Bible", "ulb": "Bible", "udb": "Bible", "glt": "Bible",
    "gst": "Bible", "ult": "Aligned_Bible", "ust": "Aligned_Bible",
    "ugnt": "Greek_New_Testament", "uhb": "Hebrew_Old_Testament",
    "ta": "Translation_Academy", "tn": "Translation_Notes", "tq": "Translation_Questions",
    "tw": "Translation_Words", "twl": "TSV_Translation_Words_Links", "sn": "TSV_Study_Notes",
    "sq": "TSV_Study_Questions", "ugl": "Greek_Lexicon", "uhal": "Hebrew-Aramaic_Lexicon",
    "ugg": "Greek_Grammar", "uhg": "Hebrew_Grammar",
}


#: Subjects of Bibles whose ``\\zaln`` alignment gives the GL words of an original quote.
BIBLE_SUBJECTS = ("Aligned_Bible", "Bible")


@dataclass(frozen=True)
class Related:
    """The resources built together with the one being built (``--with``), a contract of the
    core so that a type finds, say, the aligned Bible of its notes without importing another
    type. Related repositories, each loaded read-only through its own confined RepoFS, in the
    order they were given."""

    resources: tuple[RC, ...] = ()

    def find(self, *, identifier: str | None = None, subject: str | None = None,
             language: str | None = None) -> RC | None:
        """The first related resource with that identifier, subject and language (each
        optional, identifiers and languages compared without case)."""
        for rc in self.resources:
            manifest = rc.manifest
            if identifier is not None and manifest.identifier.lower() != identifier.lower():
                continue
            if subject is not None and rc.subject != subject:
                continue
            if (language is not None
                    and manifest.language.identifier.lower() != language.lower()):
                continue
            return rc
        return None

    def bible(self) -> RC | None:
        """The Bible that GL quotes are taken from: an aligned one first (ULT before UST in
        the order given), else any other."""
        for subject in BIBLE_SUBJECTS:
            found = self.find(subject=subject)
            if found is not None:
                return found
        return None

    @cached_property
    def key(self) -> str:
        """What rendered pages depend on: which resources are related, and the state of their
        files (for the render cache: ``serve`` renders again what an edit of the aligned Bible
        or of tA changes, e.g. GL quotes and titles)."""
        digest = hashlib.sha256()
        for rc in self.resources:
            digest.update(f"{rc.manifest.language.identifier}/{rc.manifest.identifier}"
                          f"@{rc.manifest.version}:{rc.root}\n".encode())
            for path in rc.fs.walk():
                digest.update(f"{path}:{rc.fs.stamp(path)}\n".encode())
        return digest.hexdigest() if self.resources else ""


@dataclass
class RC:
    fs: RepoFS
    name: str
    manifest: Manifest
    subject: str
    #: Results of earlier builds of this repository (``serve``), reused for unchanged files.
    cache: RenderCache
    #: The resources built together with this one (``--with``), empty when built alone.
    related: Related = field(default_factory=Related)
    #: Whether a type makes the content record (core/changes) where it renders, in parallel:
    #: when the build makes one (a build that may be published or compared) and cannot make it
    #: beside itself once the pages are final (build.py).
    record_while_rendering: bool = True

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


def load_rc(root: str | Path, name: str | None, log: BuildLog,
            extra_identifiers: Mapping[str, str] | None = None,
            extra_subjects: Iterable[str] = (), cache: RenderCache | None = None) -> RC:
    """Load the repository at ``root``; resource types may add identifiers and subjects."""
    fs = RepoFS(root)
    repo_name = name or fs.root.name
    manifest = load_manifest(fs, repo_name, log)
    known = {**DOOR43_IDENTIFIERS, **(extra_identifiers or {})}
    subject = detect_subject(manifest, repo_name, known, DOOR43_SUBJECTS | set(extra_subjects))
    return RC(fs=fs, name=repo_name, manifest=manifest, subject=subject,
              cache=cache or RenderCache(keep=False))


def detect_subject(manifest: Manifest, repo_name: str, known: Mapping[str, str],
                   subjects: Set[str]) -> str:
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
