"""The "About this build" page (``build-report.html``, a name links keep): the build's facts,
versions and attribution come from the template (templates/report.html); this module writes its
problems part, every warning and error of the build, each linked to its place."""

from __future__ import annotations

import html
from collections import Counter

from .log import BuildLog, Message
from .model import Page

REPORT = "build-report.md"
#: The report lists at most this many messages (the build log has the same cap).
REPORT_LIMIT = 1000


def _row(message: Message) -> str:
    esc = html.escape
    where = message.file or ""
    if message.file and message.line:
        where = f"{message.file}:{message.line}"
    target = ""
    if message.page:
        href = message.page + (f"#{message.anchor}" if message.anchor else "")
        target = f'<a href="{esc(href)}">{esc(message.page)}</a>'
    return (f'<tr class="tx-{message.severity}"><td>{esc(message.severity)}</td>'
            f"<td><code>{esc(where)}</code></td><td>{esc(message.text)}</td><td>{target}</td></tr>")


def report_page(log: BuildLog) -> Page:
    """A page listing errors first, then warnings, with file, line and a link into the site."""
    messages = sorted(log.messages, key=lambda m: m.severity != "error")[:REPORT_LIMIT]
    counts = Counter(m.severity for m in log.messages)
    summary = (f'<p class="tx-report-summary tx-status-{html.escape(log.status)}">'
               f"Status: <strong>{html.escape(log.status)}</strong> — "
               f"{counts['error']} errors, {counts['warning']} warnings.</p>")
    if not messages:
        body = summary + "<p>No problems were found in this build.</p>"
    else:
        more = ""
        if len(log.messages) > REPORT_LIMIT:
            more = (f"<p>Only the first {REPORT_LIMIT} of {len(log.messages)} problems are "
                    "listed; build_log.json has the counts.</p>")
        rows = "\n".join(_row(m) for m in messages)
        body = (f'{summary}{more}<table class="tx-report">\n<thead><tr><th>Severity</th>'
                f"<th>Where</th><th>Problem</th><th>Page</th></tr></thead>\n<tbody>\n{rows}\n"
                "</tbody></table>")
    return Page(path=REPORT, title="About this build",
                # English, whatever the language of the site: said so, and isolated
                html='<div class="tx-about-page" lang="en" dir="auto">\n'
                f'<h1 id="tx-report">About this build</h1>\n'
                f'<h2 id="tx-problems">Problems found</h2>\n{body}\n</div>\n',
                template="report.html",
                meta={"tx_status": log.status})
