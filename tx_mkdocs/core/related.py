"""The resources built together with the one being built (``--with``): a contract of the core,
so that a type finds, say, the aligned Bible of its notes without importing another type."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rc import RC

#: Subjects of Bibles whose ``\\zaln`` alignment gives the GL words of an original quote.
BIBLE_SUBJECTS = ("Aligned_Bible", "Bible")


@dataclass(frozen=True)
class Related:
    """Related repositories, each loaded read-only through its own confined RepoFS, in the order
    they were given."""

    resources: tuple[RC, ...] = ()

    def __iter__(self) -> Iterator[RC]:
        return iter(self.resources)

    def __len__(self) -> int:
        return len(self.resources)

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

    @property
    def key(self) -> str:
        """What rendered pages depend on: which resources are related (for the render cache)."""
        return "|".join(f"{rc.manifest.language.identifier}/{rc.manifest.identifier}"
                        f"@{rc.manifest.version}:{rc.root}" for rc in self.resources)
