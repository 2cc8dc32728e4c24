"""What changed since the previous build of the ref, added to a build as it is published.

The previous build is the newest finished build of the same ref that project.json lists, made
before this one (not this commit: publishing a build again gives the same pages); its content
record (:data:`~tx_mkdocs.core.changes.RECORD`) is compared with this build's. The build then
gets ``changes.html`` (the About page's frame — header, nav, footer — around the list of
changes), the About page's "What changed" paragraph, and the ``changes`` summary in its build
log. A first build of a ref, or one after a build without a record, says that there is nothing
to compare with (``changes: null``).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from ..core.changes import (
    CHANGES_PAGE,
    RECORD,
    Changes,
    changes_html,
    compare,
    elements_by_id,
    load_record,
    summary_text,
)
from ..core.records import BUILD_LOG, write_json
from ..core.report import REPORT
from .storage import Storage

ABOUT = REPORT.removesuffix(".md") + ".html"
_ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset">).*?(</article>)', re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_SUMMARY = re.compile(r'<p class="tx-changes-summary">.*?</p>', re.S)
#: The About page's table of contents (the changes page has its own headings).
_TOC = re.compile(r'<(nav) class="md-nav md-nav--secondary" aria-label="([^"<>]*)">')


def previous_changes(site_dir: Path, storage: Storage, base: str, previous: str | None,
                     ) -> Changes | None:
    """This build's record compared with the one of build ``previous`` (a folder under
    ``base``); None when there is nothing to compare (no previous build, no record)."""
    mine = site_dir / RECORD
    found = storage.get(f"{base}{previous}/{RECORD}") if previous and mine.is_file() else None
    try:
        return compare(load_record(found[0]), load_record(mine.read_bytes())) if found else None
    except ValueError:  # an unreadable record is no record
        return None


def add_changes(site_dir: Path, build_log: dict[str, Any], storage: Storage, base: str,
                previous: str | None) -> dict[str, Any]:
    """Write the changes page and the About page's summary into ``site_dir``; returns the build
    log with its ``changes`` (also written to the folder's build_log.json)."""
    about = site_dir / ABOUT
    if not about.is_file():  # no site (a failed build): nothing to add to
        return build_log
    changes = previous_changes(site_dir, storage, base, previous)
    summary = changes.summary(previous) if changes is not None and previous else None
    page = about.read_text(encoding="utf-8")
    link = f' <a href="{CHANGES_PAGE}">See what changed</a>' if summary else ""
    about.write_text(_SUMMARY.sub(lambda _: f'<p class="tx-changes-summary">'
                                  f"{html.escape(summary_text(summary))}{link}</p>", page, 1),
                     encoding="utf-8")
    body = changes_html(changes or Changes(), summary, f"../{previous}/")
    (site_dir / CHANGES_PAGE).write_text(_changes_page(page, body), encoding="utf-8")
    build_log = {**build_log, "changes": summary}
    write_json(site_dir / BUILD_LOG, build_log)
    return build_log


def _changes_page(about: str, body: str) -> str:
    """The About page with its article replaced by ``body``, its title and contents adapted."""
    for _, start, outer in elements_by_id(about, _TOC):
        about = about[:start] + about[start + len(outer):]
        break
    about = _TITLE.sub(lambda m: "<title>" + m.group(1).replace("About this build", "What changed")
                       + "</title>", about, 1)
    return _ARTICLE.sub(lambda m: m.group(1) + body + m.group(2), about, 1)
