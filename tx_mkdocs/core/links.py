"""Links between resources: ``rc://`` links, ``[[rc://…]]``, relative ``../kt/god.md``, tA slugs.

While pages are rendered, every link gets a placeholder href (``#tx-link-N``) and is recorded
with where it was found. When all pages exist, :meth:`LinkTable.finalize` replaces each
placeholder: by a link into this site when the target page and anchor exist here, otherwise by
the published Door43 site of the other resource (no network access at build time). A link that
cannot be resolved at all is reported once in the build log and shown as plain text — no raw
``rc://`` ever reaches a reader.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from .log import BuildLog
from .model import Page

PLACEHOLDER = "#tx-link-"
_PLACEHOLDER_LINK = re.compile(r'<a\b([^>]*?)\shref="#tx-link-(\d+)"([^>]*)>(.*?)</a>', re.S)
_ID = re.compile(r'\sid="([^"]+)"')
RC_LINK = re.compile(r"rc://([^/\s\])]+)/([^/\s\])]+)/([^\s\])\"'<>]*)")

#: (resource identifier, rc path parts) → (page url, anchor) — provided by resource types.
RcMapper = Callable[[str, list[str]], "tuple[str, str] | None"]
#: Repo path of this resource → (page url, anchor), also for files absent from a partial repo.
PathMapper = Callable[[str], "tuple[str, str] | None"]


@dataclass
class ExternalSites:
    """Where other resources are published: ``{base}/{owner}/{lang}_{resource}/{ref}/``."""

    base_url: str = "https://door43.org/u"
    owner: str = "unfoldingWord"
    ref: str = "master"

    def url(self, language: str, resource: str, page: str, anchor: str) -> str:
        repo = f"{language}_{resource}"
        frag = f"#{quote(anchor)}" if anchor else ""
        return f"{self.base_url.rstrip('/')}/{quote(self.owner)}/{quote(repo)}/{quote(self.ref)}/" \
               f"{quote(page)}{frag}"


@dataclass
class _Link:
    source: str
    line: int | None
    raw: str
    #: Internal target (page url, anchor) if the link points into this resource.
    internal: tuple[str, str] | None = None
    #: Fallback URL outside this site (another published resource), if any.
    external: str | None = None


@dataclass
class LinkTable:
    """Collects the links of one build and resolves them once every page is known."""

    resource: str
    language: str
    rc_mapper: RcMapper
    external: ExternalSites = field(default_factory=ExternalSites)
    path_mapper: PathMapper = lambda path: None
    #: Repo-relative source file → (page url, anchor) it was rendered to.
    files: dict[str, tuple[str, str]] = field(default_factory=dict)
    links: list[_Link] = field(default_factory=list)

    def register_file(self, path: str, page: str, anchor: str = "") -> None:
        """Say that repo file ``path`` is rendered at ``page#anchor`` (for relative links)."""
        self.files[posixpath.normpath(path)] = (page, anchor)

    def _add(self, link: _Link) -> str:
        self.links.append(link)
        return f"{PLACEHOLDER}{len(self.links) - 1}"

    def rc(self, url: str, *, source: str, line: int | None = None) -> str:
        """Placeholder href for an ``rc://lang/resource/type/project/…`` link."""
        match = RC_LINK.match(url.strip())
        link = _Link(source, line, url)
        if match:
            language, resource, rest = match.groups()
            parts = [p for p in rest.split("/") if p]
            language = self.language if language == "*" else language
            target = self.rc_mapper(resource.lower(), parts)
            if target is not None:
                if resource.lower() == self.resource and language == self.language:
                    link.internal = target
                link.external = self.external.url(language, resource.lower(), *target)
        return self._add(link)

    def relative(self, href: str, *, source: str, line: int | None = None) -> str:
        """Placeholder href for a relative link (``../kt/god.md``) found in repo file ``source``."""
        path, _, anchor = href.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        link = _Link(source, line, href)
        if target in self.files:
            page, own_anchor = self.files[target]
            link.internal = (page, anchor or own_anchor)
        elif not target.startswith("..") and (mapped := self.path_mapper(target)) is not None:
            # a file of this resource missing from a partial repo: its published page
            link.external = self.external.url(self.language, self.resource, *mapped)
        return self._add(link)

    def finalize(self, pages: list[Page], log: BuildLog) -> None:
        """Replace every placeholder in ``pages``; report links that lead nowhere."""
        anchors = {p.url: set(_ID.findall(p.html)) for p in pages}
        resolved: list[str | None] = []
        reported: set[tuple[str, str]] = set()
        for link in self.links:
            href = None
            if link.internal is not None:
                page, anchor = link.internal
                if page in anchors and (not anchor or anchor in anchors[page]):
                    href = f"{page}#{anchor}" if anchor else page
            if href is None and link.external:
                href = link.external
            if href is None and (link.raw, link.source) not in reported:
                reported.add((link.raw, link.source))
                log.warning(f"Unable to resolve link '{link.raw}'", file=link.source,
                            line=link.line, code="link.unresolved")
            resolved.append(href)

        def replace(match: re.Match[str]) -> str:
            before, number, after, text = match.groups()
            href = resolved[int(number)]
            if href is None:
                return f'<span class="tx-broken-link">{text}</span>'
            return f'<a{before} href="{html.escape(href)}"{after}>{text}</a>'

        for page in pages:
            if PLACEHOLDER in page.html:
                page.html = _PLACEHOLDER_LINK.sub(replace, page.html)
