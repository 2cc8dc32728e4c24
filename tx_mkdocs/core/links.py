"""Links between resources: ``rc://`` links, ``[[rc://…]]``, relative ``../kt/god.md``, tA slugs.

While pages are rendered, every link gets a placeholder href (``#tx-link-N``) and is recorded
with where it was found. When all pages exist, :meth:`LinkTable.finalize` replaces each
placeholder: by a link into this site when the target page and anchor exist here, otherwise by
the published Door43 site of the other resource (no network access at build time; owner, base
URL and language configurable, see :class:`ExternalSites`). Relative links are resolved then
too, so the order in which files are rendered and registered does not matter. A link that
cannot be resolved at all is reported once in the build log and shown as plain text — no raw
``rc://`` ever reaches a reader. A link that shows its slug (``figs-abstractnouns``) shows the
article's title instead ("Abstract Nouns") when its resource is among the related ones
(:attr:`LinkTable.titles`).
"""

from __future__ import annotations

import html
import posixpath
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from urllib.parse import quote

from .books import book
from .cache import RenderCache
from .log import BuildLog
from .model import Page

PLACEHOLDER = "#tx-link-"
#: A placeholder link: ``#tx-link-<token>-<n>``. The token is drawn for each build, so that an
#: author cannot write a placeholder of their own (``[x](#tx-link-999)``).
_PLACEHOLDER_LINK = re.compile(
    r'<a\b([^<>]*?)\shref="#tx-link-([0-9a-f]{16})-(\d{1,9})"([^<>]*)>(.*?)</a>', re.S)
_ID = re.compile(r'\sid="([^"]+)"')

RC_LINK = re.compile(r"rc://([^/\s\])]+)/([^/\s\])]+)/([^\s\])\"'<>]*)")


def _replace_links(text: str, replace: Callable[[re.Match[str]], str]) -> str:
    """``_PLACEHOLDER_LINK.sub(replace, text)``, the links found from their placeholders: the
    opening tag of each is the last ``<`` before one. A page of a megabyte holding three
    placeholders is not tried tag by tag."""
    out: list[str] = []
    last = 0
    found = text.find(PLACEHOLDER)
    while found != -1:
        start = text.rfind("<", last, found)
        match = _PLACEHOLDER_LINK.match(text, start) if start != -1 else None
        if match is None:
            found = text.find(PLACEHOLDER, found + 1)
            continue
        out.append(text[last:start])
        out.append(replace(match))
        last = match.end()
        found = text.find(PLACEHOLDER, max(last, found + 1))
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


#: (resource identifier, rc path parts) → (page url, anchor) — provided by resource types.
RcMapper = Callable[[str, list[str]], "tuple[str, str] | None"]
#: Repo path of this resource → (page url, anchor), also for files absent from a partial repo.
PathMapper = Callable[[str], "tuple[str, str] | None"]
#: (language, resource) → (page url, anchor) → the title of the article there.
Titles = dict[tuple[str, str], dict[tuple[str, str], str]]
#: An rc:// address's (internal, external, titled) target: see :meth:`LinkTable._rc_target`.
_RcTarget = tuple[tuple[str, str] | None, str | None, tuple[str, str, str, str] | None]


_RELATION = re.compile(r"^\s*([^/\s?]+)/([^/\s?]+)(?:\?.*)?$")


def parse_relation(entry: str) -> tuple[str, str] | None:
    """A manifest ``relation`` entry → (language, resource): ``hbo/uhb?v=2.1.30`` → hbo, uhb."""
    match = _RELATION.match(entry)
    return (match.group(1), match.group(2).lower()) if match else None


@dataclass
class ExternalSites:
    """Where other resources are published: ``{base}/{owner}/{lang}_{resource}/{ref}/``.

    An ``rc://*/…`` link to another resource goes to the edition in ``language`` if set, else
    the one the manifest's ``relation`` names for that resource (``en/ta`` → ``en_ta``), else the
    edition in the language of this repository.
    """

    base_url: str = "https://door43.org/u"
    owner: str = "unfoldingWord"
    ref: str = "master"
    language: str | None = None
    #: resource → language, from the manifest's ``relation`` (see :meth:`with_relation`).
    languages: dict[str, str] = field(default_factory=dict)

    def with_relation(self, relation: list[str]) -> ExternalSites:
        """A copy whose per-resource languages default to the manifest's ``relation``."""
        found: dict[str, str] = {}
        for language, resource in filter(None, map(parse_relation, relation)):
            found.setdefault(resource, language)
        return replace(self, languages=found | self.languages)

    def language_for(self, resource: str, default: str) -> str:
        """The language of the edition of ``resource`` that ``rc://*/…`` links point to."""
        return self.language or self.languages.get(resource, default)

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
    #: Repo path targeted by a relative link: resolved in :meth:`LinkTable.finalize`, when
    #: every rendered file has been registered, whatever the order of rendering.
    path: str | None = None
    anchor: str = ""
    #: (language, resource, page url, anchor) of an rc target, for its title.
    target: tuple[str, str, str, str] | None = None


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
    #: Other problems met while rendering linked text (Markdown that had to be bounded):
    #: (text, source, line), reported by :meth:`finalize` with the link problems.
    notes: list[tuple[str, str, int | None]] = field(default_factory=list)
    token: str = field(default_factory=lambda: secrets.token_hex(8))
    #: rc:// address → (internal, external) target: a tN names the same few hundred articles
    #: tens of thousands of times. Shared with the :meth:`fork` tables (same settings).
    rc_targets: dict[str, _RcTarget] = field(
        default_factory=dict, repr=False)
    #: Token of an absorbed part's table → (its first link in :attr:`links`, its link count).
    parts: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)
    #: Titles of the related resources' articles (``--with``): the text of links to them.
    titles: Titles = field(default_factory=dict)
    #: Token of an absorbed part → the HTML :meth:`absorb` returned for it (the very object):
    #: a page still holding it is that part's alone, so :meth:`finalize` may reuse its results.
    absorbed: dict[str, str] = field(default_factory=dict, repr=False)

    def note(self, text: str, *, source: str, line: int | None = None) -> None:
        self.notes.append((text, source, line))

    def fork(self) -> LinkTable:
        """An empty table with this one's settings, for a part of the build rendered apart
        (kept in the render cache across rebuilds); its links come in with :meth:`absorb`."""
        return LinkTable(self.resource, self.language, self.rc_mapper, self.external,
                         self.path_mapper, rc_targets=self.rc_targets, titles=self.titles)

    @property
    def settings_key(self) -> str:
        """What the links of a part depend on besides its text: where rc targets live."""
        return f"{self.resource}|{self.language}|{self.external!r}"

    def absorb(self, part: LinkTable, html: str) -> str:
        """Take in the links and notes of ``part`` (a :meth:`fork`); ``html``, rendered with
        ``part``, for this table. Its placeholders keep the part's token, which
        :meth:`finalize` knows: a cached part costs no pass over its HTML and no copy of its
        links (only a part taken in twice is renumbered)."""
        offset = len(self.links)
        self.links.extend(part.links)  # finalize reads them, never changes them
        self.notes.extend(part.notes)
        if part.token not in self.parts:
            self.parts[part.token] = (offset, len(part.links))
            self.absorbed[part.token] = html
            return html
        return re.sub(rf"{re.escape(PLACEHOLDER)}{part.token}-(\d+)",
                      lambda m: f"{PLACEHOLDER}{self.token}-{int(m.group(1)) + offset}", html)

    def settle(self, html: str) -> str:
        """``html``, rendered with this table, with its links that leave the site (a tA article,
        a tW word, another resource) in their final form already: their targets do not depend
        on the other pages. A part rendered in a worker process settles them there, so that
        :meth:`finalize` is left with the few links into this site (the same HTML results)."""

        def settled(match: re.Match[str]) -> str:
            token, number = match.group(2), int(match.group(3))
            link = self.links[number] if token == self.token and number < len(self.links) else None
            if link is None or link.path is not None or link.internal is not None \
                    or not link.external:
                return match.group()
            return self._link_html(match, link, link.external)

        return _replace_links(html, settled)

    def _link_html(self, match: re.Match[str], link: _Link, href: str | None) -> str:
        """The final form of a placeholder link: to ``href``, or its text alone (None); a link
        showing its raw address or slug shows the article's title, else a readable label."""
        before, _, _, after, text = match.groups()
        shown = html.unescape(text).strip()
        if shown in (link.raw.strip(), rc_label(link.raw)):  # <rc://…>, [[rc://…]], a slug
            text = html.escape(self._title(link.target) or rc_label(link.raw))
        if href is None:
            return f'<span class="tx-broken-link">{text}</span>'
        return f'<a{before} href="{html.escape(href)}"{after}>{text}</a>'

    def register_file(self, path: str, page: str, anchor: str = "") -> None:
        """Say that repo file ``path`` is rendered at ``page#anchor`` (for relative links)."""
        self.files[posixpath.normpath(path)] = (page, anchor)

    def _add(self, link: _Link) -> str:
        self.links.append(link)
        return f"{PLACEHOLDER}{self.token}-{len(self.links) - 1}"

    def rc(self, url: str, *, source: str, line: int | None = None) -> str:
        """Placeholder href for an ``rc://lang/resource/type/project/…`` link."""
        internal, external, titled = self._target(url)
        return self._add(_Link(source, line, url, internal, external, target=titled))

    def outside(self, url: str) -> tuple[str, str] | None:
        """(href, text) of a link showing an rc:// address's label when the target is outside
        the site (a tA article from a tN): final at once, as :meth:`finalize` would make it
        (the article's title, else the label); None when it needs :meth:`rc` and finalize."""
        internal, external, titled = self._target(url)
        if internal is not None or not external:
            return None
        return external, self._title(titled) or rc_label(url)

    def _target(self, url: str) -> _RcTarget:
        """:meth:`_rc_target`, once per address."""
        key = url.strip()
        target = self.rc_targets.get(key)
        if target is None:
            target = self.rc_targets[key] = self._rc_target(key)
        return target

    def _rc_target(self, url: str) -> _RcTarget:
        """(internal, external, titled) target of an rc:// address: each may be None; titled
        is (language, resource, page url, anchor), the key of its title."""
        match = RC_LINK.match(url)
        if not match:
            return None, None, None
        language, resource, rest = match.groups()
        parts = [p for p in rest.split("/") if p]
        resource = _canonical_resource(resource.lower(), parts)
        own = resource == self.resource.lower()
        if language == "*":
            language = (self.language if own
                        else self.external.language_for(resource, self.language))
        target = self.rc_mapper(resource, parts)
        if target is None:
            return None, None, None
        return (target if own and language == self.language else None,
                self.external.url(language, resource, *target),
                (language.lower(), resource, *target))

    def relative(self, href: str, *, source: str, line: int | None = None) -> str:
        """Placeholder href for a relative link (``../kt/god.md``) found in repo file ``source``."""
        path, _, anchor = href.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        return self._add(_Link(source, line, href, path=target, anchor=anchor))

    def _targets(self, link: _Link) -> tuple[tuple[str, str] | None, str | None]:
        """(internal, external) target of a link; a relative link's: a rendered file, else the
        published page of the file."""
        path = link.path
        if path is None:
            return link.internal, link.external
        if path in self.files:
            page, own_anchor = self.files[path]
            return (page, link.anchor or own_anchor), link.external
        if not path.startswith("..") and (mapped := self.path_mapper(path)):
            # a file of this resource missing from a partial repo: its published page
            page, own_anchor = mapped
            return link.internal, self.external.url(self.language, self.resource, page,
                                                    link.anchor or own_anchor)
        return link.internal, link.external

    def _part(self, page: Page) -> str | None:
        """The token of the absorbed part whose HTML ``page`` holds unchanged, if any."""
        for token, html_of_part in self.absorbed.items():
            if html_of_part is page.html:
                return token
        return None

    def finalize(self, pages: list[Page], log: BuildLog, cache: RenderCache | None = None,
                 ) -> None:
        """Replace every placeholder in ``pages``; report links that lead nowhere.

        With ``cache`` (``serve``), a page that is an absorbed part unchanged (a cached book of
        a tN) keeps its ids and its final HTML while its links resolve as before: an edit of
        one book of a whole-Bible tN does not replace 136 000 links again.
        """
        for text, source, line in self.notes:
            log.warning(text, file=source, line=line, code="markdown.bounded")
        cache = cache or RenderCache(keep=False)
        parts_of = {page.path: self._part(page) for page in pages} if self.absorbed else {}

        def ids(page: Page) -> set[str]:
            token = parts_of.get(page.path)
            if token is None:
                return set(_ID.findall(page.html))
            return cache.derived(page.path, "link-ids", token,
                                 lambda: set(_ID.findall(page.html)))

        by_url = {p.url: p for p in pages}
        anchors: dict[str, set[str]] = {}  # the ids of the pages links lead into, read once

        def exists(url: str, anchor: str) -> bool:
            page = by_url.get(url)
            if page is None or not anchor:
                return page is not None
            if url not in anchors:
                anchors[url] = ids(page)
            return anchor in anchors[url]

        resolved: list[str | None] = []
        reported: set[tuple[str, str]] = set()
        for link in self.links:
            internal, external = self._targets(link)
            href = None
            if internal is not None and exists(*internal):
                url, anchor = internal
                href = f"{url}#{anchor}" if anchor else url
            if href is None and external:
                href = external
            if href is None and (link.raw, link.source) not in reported:
                reported.add((link.raw, link.source))
                shown = link.raw.removeprefix("rc://")  # the report is read by people, too
                log.warning(f"Unable to resolve link '{shown}'", file=link.source,
                            line=link.line, code="link.unresolved")
            resolved.append(href)

        parts = {**self.parts, self.token: (0, len(self.links))}

        def substitute(match: re.Match[str]) -> str:
            token, number = match.group(2, 3)
            offset, count = parts.get(token, (0, 0))
            if int(number) >= count:
                return match.group()  # not ours: an in-page link like any other
            index = offset + int(number)
            return self._link_html(match, self.links[index], resolved[index])

        def final(page: Page) -> str:
            return _replace_links(page.html, substitute)

        for page in pages:
            token = parts_of.get(page.path)
            if token is not None:  # page.html alone holds it now: replaced, it is freed
                self.absorbed.pop(token, None)
            if token is None or not cache.keep:
                if PLACEHOLDER in page.html:
                    page.html = final(page)
                continue
            # a part is not searched for a placeholder first: a whole tN's 97 MB on every edit
            offset, count = parts[token]
            # what the part's final HTML depends on: its links' hrefs and titles
            targets = "\0".join(f"{resolved[i]}\1{self._title(self.links[i].target)}"
                                 for i in range(offset, offset + count))
            page.html = cache.derived(page.path, "link-final", f"{token}\0{targets}",
                                      partial(final, page))

    def _title(self, target: tuple[str, str, str, str] | None) -> str | None:
        """The title of a related article an rc link leads to (its ``target``), if it is known."""
        if target is None:
            return None
        language, resource, page, anchor = target
        return self.titles.get((language, resource), {}).get((page, anchor))


def _canonical_resource(resource: str, parts: list[str]) -> str:
    """The resource an rc path really names: old ``tn/help/obs/…`` links mean OBS tN."""
    if resource in ("tn", "tq", "sn", "sq") and parts[:2] == ["help", "obs"]:
        return f"obs-{resource}"
    return resource


#: Words of rc paths that name a container type, not a target (``dict/bible``, ``man``, ``help``).
_CONTAINER_WORDS = {"dict", "bible", "man", "help", "book"}


@lru_cache(maxsize=4096)  # a tN shows the same few hundred tA articles over and over
def rc_label(url: str) -> str:
    """A readable label for a link shown with its raw ``rc://`` address as text.

    ``…/tn/help/act/04/33`` → ``Acts 4:33``; ``…/obs-tn/help/obs/01/02`` → ``OBS 1:2``;
    ``…/tw/dict/bible/kt/god`` → ``god``.
    """
    match = RC_LINK.match(url.strip())
    if not match:
        return url
    parts = [p for p in match.group(3).split("/") if p and p not in _CONTAINER_WORDS]
    numbers = [str(int(p)) for p in parts[1:3] if p.isdigit()]
    if numbers and len(numbers) == len(parts) - 1:
        info = book(parts[0])
        return f"{info.name if info else parts[0].upper()} {':'.join(numbers)}"
    return parts[-1] if parts else match.group(2)
