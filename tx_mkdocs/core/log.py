"""The build log: every problem found in content, with where it was found.

Content problems never raise; they become messages here and end up in ``build_log.json`` and in
the site's report page. Wording follows the old Door43 style (``"RUT 1:2 - Empty verse"``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from .limits import MAX_MESSAGE_CHARS, MAX_WARNINGS_PER_CODE

Severity = Literal["error", "warning"]

#: The code of messages given none.
NO_CODE = "other"


@dataclass(frozen=True)
class Message:
    """One problem: what, where in the repo (file/line), and where in the site (page/anchor)."""

    severity: Severity
    text: str
    file: str | None = None
    line: int | None = None
    code: str | None = None
    page: str | None = None
    anchor: str | None = None

    def format(self) -> str:
        """The Door43-style one-line form used in ``warnings[]`` / ``errors[]``."""
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return where + self.text

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class BuildLog:
    """Collects messages and informational log lines during one build.

    Every kind of problem is kept: warnings are listed up to
    :data:`~tx_mkdocs.core.limits.MAX_WARNINGS_PER_CODE` per message code and the rest of each
    code counted (a tN with 7 740 stray spaces must not hide its one broken link); errors are
    all listed.
    """

    messages: list[Message] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    #: Message code → warnings of that code beyond the cap: counted, not listed.
    unlisted: dict[str, int] = field(default_factory=dict)
    #: Message code → warnings of that code listed.
    listed: dict[str, int] = field(default_factory=dict)
    _seen: set[tuple[str, str, str | None, int | None]] = field(default_factory=set, repr=False)

    def error(self, text: str, **where: Any) -> None:
        self.add(Message("error", text, **where))

    def warning(self, text: str, **where: Any) -> None:
        self.add(Message("warning", text, **where))

    def info(self, text: str) -> None:
        self.log.append(text)

    def add(self, message: Message) -> None:
        """Add a message once: the same text at the same place is reported only once.

        A text longer than :data:`~tx_mkdocs.core.limits.MAX_MESSAGE_CHARS` is shortened (it
        quotes content, which may be a line of megabytes).
        """
        code = message.code or NO_CODE
        if message.severity == "warning" and self.listed.get(code, 0) >= MAX_WARNINGS_PER_CODE:
            self.unlisted[code] = self.unlisted.get(code, 0) + 1
            return
        if len(message.text) > MAX_MESSAGE_CHARS:
            message = replace(message, text=message.text[:MAX_MESSAGE_CHARS - 1] + "…")
        key = (message.severity, message.text, message.file, message.line)
        if key in self._seen:
            return
        self._seen.add(key)
        self.messages.append(message)
        if message.severity == "warning":
            self.listed[code] = self.listed.get(code, 0) + 1

    def extend(self, messages: list[Message]) -> None:
        for message in messages:
            self.add(message)

    def absorb(self, part: BuildLog) -> None:
        """Take in what another log collected (a part of the build rendered apart)."""
        self.extend(part.messages)
        self.log.extend(part.log)
        for code, count in part.unlisted.items():
            self.unlisted[code] = self.unlisted.get(code, 0) + count

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.severity == "error"]

    @property
    def warnings(self) -> list[Message]:
        return [m for m in self.messages if m.severity == "warning"]

    def counts(self) -> dict[str, int]:
        """Message code → problems of that code, listed or not (errors and warnings)."""
        counts: dict[str, int] = {}
        for m in self.messages:
            counts[m.code or NO_CODE] = counts.get(m.code or NO_CODE, 0) + 1
        for code, count in self.unlisted.items():
            counts[code] = counts.get(code, 0) + count
        return counts

    def warning_lines(self) -> list[str]:
        """The warnings in their one-line form; after the last listed warning of a code whose
        others were only counted, ``… and N more of this kind (code)``."""
        last = {m.code or NO_CODE: i for i, m in enumerate(self.warnings)}
        lines: list[str] = []
        for i, m in enumerate(self.warnings):
            lines.append(m.format())
            code = m.code or NO_CODE
            if last[code] == i and self.unlisted.get(code):
                lines.append(more_of_this_kind(self.unlisted[code], code))
        return lines

    @property
    def status(self) -> str:
        """Door43's severity rule: any error → errors; else any warning → warnings; else success."""
        if self.errors:
            return "errors"
        if self.warnings or self.unlisted:
            return "warnings"
        return "success"


def more_of_this_kind(count: int, code: str) -> str:
    """The line that stands for the warnings of ``code`` counted but not listed."""
    return f"… and {count} more of this kind ({code})"
