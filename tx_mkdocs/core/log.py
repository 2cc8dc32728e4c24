"""The build log: every problem found in content, with where it was found.

Content problems never raise; they become messages here and end up in ``build_log.json`` and in
the site's report page. Wording follows the old Door43 style (``"RUT 1:2 - Empty verse"``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from .limits import MAX_LOG_MESSAGES, MAX_MESSAGE_CHARS

Severity = Literal["error", "warning"]

#: The old system capped its lists at 1000 entries: the first 990, an ellipsis, the last 9.
MAX_MESSAGES = 1000


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
    """Collects messages and informational log lines during one build."""

    messages: list[Message] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    #: Messages beyond :data:`~tx_mkdocs.core.limits.MAX_LOG_MESSAGES`, counted by severity.
    unlisted: dict[str, int] = field(default_factory=dict)
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
        if len(message.text) > MAX_MESSAGE_CHARS:
            message = replace(message, text=message.text[:MAX_MESSAGE_CHARS - 1] + "…")
        key = (message.severity, message.text, message.file, message.line)
        if key in self._seen:
            return
        if len(self.messages) >= MAX_LOG_MESSAGES:
            if not self.unlisted:
                self.log.append(f"More than {MAX_LOG_MESSAGES} problems: the rest are counted, "
                                "not listed")
            self.unlisted[message.severity] = self.unlisted.get(message.severity, 0) + 1
            return
        self._seen.add(key)
        self.messages.append(message)

    def extend(self, messages: list[Message]) -> None:
        for message in messages:
            self.add(message)

    def absorb(self, part: BuildLog) -> None:
        """Take in what another log collected (a part of the build rendered apart)."""
        self.extend(part.messages)
        self.log.extend(part.log)
        for severity, count in part.unlisted.items():
            self.unlisted[severity] = self.unlisted.get(severity, 0) + count

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.severity == "error"]

    @property
    def warnings(self) -> list[Message]:
        return [m for m in self.messages if m.severity == "warning"]

    @property
    def status(self) -> str:
        """Door43's severity rule: any error → errors; else any warning → warnings; else success."""
        if self.errors or self.unlisted.get("error"):
            return "errors"
        if self.warnings or self.unlisted.get("warning"):
            return "warnings"
        return "success"


def capped(lines: list[str], limit: int = MAX_MESSAGES, what: str = "warnings") -> list[str]:
    """Cap a list as the old system did: first ``limit-10``, ``…``, last 9, and a count line."""
    if len(lines) <= limit:
        return list(lines)
    head, tail = lines[: limit - 10], lines[-9:]
    return [*head, "…", *tail, f"{what.capitalize()} reduced from {len(lines)} to {limit}"]
