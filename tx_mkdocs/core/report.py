"""The "About this build" page (``build-report.html``, a name links keep): the build's facts,
versions and attribution come from the template (templates/report.html); this module writes its
problems part: every kind of problem of the build with its count, identical messages grouped,
each place linked (file:line, and its place in the site)."""

from __future__ import annotations

import html
import re

from .log import NO_CODE, BuildLog, Message, more_of_this_kind
from .model import Page

REPORT = "build-report.md"
#: The place a helps message starts with (``TIT 1:2 - ``, ``TIT - ``, ``1:2 - ``): shown with
#: the place, so that the same problem at many places is one row.
_PLACE = re.compile(r"(?:[A-Z0-9]{3}(?: \d\S*)?|\d\S*) - ")


def _place(message: Message) -> tuple[str, str]:
    """(the message's place as its text gives it, the rest of its text)."""
    m = _PLACE.match(message.text)
    return (m.group()[:-3], message.text[m.end():]) if m else ("", message.text)


def _where(message: Message, place: str) -> str:
    esc = html.escape
    label = message.file or ""
    if message.file and message.line:
        label = f"{message.file}:{message.line}"
    label = " ".join(part for part in (place, label) if part)
    if not message.page:
        return f"<code>{esc(label)}</code>"
    href = message.page + (f"#{message.anchor}" if message.anchor else "")
    return f'<a href="{esc(href)}"><code>{esc(label or message.page)}</code></a>'


def _row(severity: str, count: int, text: str, where: str) -> str:
    esc = html.escape
    return (f'<tr class="tx-{esc(severity)}"><td>{esc(severity)}</td><td>{count}</td>'
            f"<td>{esc(text)}</td><td>{where}</td></tr>")


def report_page(log: BuildLog) -> Page:
    """A page of the build's problems: errors first, then warnings; the same problem at several
    places is one row with its count and every place; the warnings of a code beyond the build
    log's cap are one row that counts them."""
    groups: dict[tuple[bool, str, str], list[tuple[Message, str]]] = {}
    for message in sorted(log.messages, key=lambda m: m.severity != "error"):
        place, text = _place(message)
        key = (message.severity == "error", message.code or NO_CODE, text)
        groups.setdefault(key, []).append((message, place))
    rows = [_row("error" if error else "warning", len(found), text,
                 " ".join(_where(m, place) for m, place in found))
            for (error, _, text), found in groups.items()]
    rows += [_row("warning", count, more_of_this_kind(count, code), "")
             for code, count in log.unlisted.items()]
    counts = log.counts()
    errors = len(log.errors)
    summary = (f'<p class="tx-report-summary tx-status-{html.escape(log.status)}">'
               f"Status: <strong>{html.escape(log.status)}</strong> — "
               f"{errors} errors, {sum(counts.values()) - errors} warnings.</p>")
    if not rows:
        body = summary + "<p>No problems were found in this build.</p>"
    else:
        kinds = ", ".join(f"<code>{html.escape(code)}</code> {count}"
                          for code, count in sorted(counts.items()))
        body = (f'{summary}<p class="tx-report-kinds">By kind: {kinds}.</p>\n'
                '<table class="tx-report">\n<thead><tr><th>Severity</th><th>Count</th>'
                "<th>Problem</th><th>Where</th></tr></thead>\n<tbody>\n"
                + "\n".join(rows) + "\n</tbody></table>")
    return Page(path=REPORT, title="About this build",
                # English, whatever the language of the site: said so, and isolated
                html='<div class="tx-about-page" lang="en" dir="auto">\n'
                f'<h1 id="tx-report">About this build</h1>\n'
                f'<h2 id="tx-problems">Problems found</h2>\n{body}\n</div>\n',
                template="report.html",
                meta={"tx_status": log.status})
