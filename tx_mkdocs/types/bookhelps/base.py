"""The base class of the book-helps types (tN, tQ, TWL, study): one page per Bible book."""

from __future__ import annotations

from dataclasses import replace

from ...core.changes import Item
from ...core.links import LinkTable
from ...core.log import BuildLog
from ...core.model import NavItem
from ...core.rc import RC
from ...core.resource import ResourceType, TypeOutput
from .pages import Entry, book_page, markdown_entries, page_items
from .pool import RenderedBook, render_tsv_books
from .refs import Anchors, file_target, help_target
from .sources import BookSource, find_books


class BookHelpsType(ResourceType):
    """A resource with one page per Bible book: finds the books, registers and renders them.

    Subclasses say how a TSV book becomes entries (:meth:`tsv_entries`); the Markdown form
    (``tit/01/01.md``), where the type has one, is common to all.
    """

    #: Whether the type also has the Markdown form (one file per chunk).
    markdown: bool = False

    @property
    def prefix(self) -> str:
        """Prefix of the page ids, the type's name (``tn`` → ``tn-chunk-tit-001-001``)."""
        return self.name

    @property
    def template(self) -> str:
        """The page template: the type's first declared one (``tn.html``)."""
        return self.templates[0]

    def rc_target(self, parts: list[str]) -> tuple[str, str] | None:
        return help_target(self.prefix, parts)

    def path_target(self, path: str) -> tuple[str, str] | None:
        return file_target(self.prefix, path)

    def body_class(self, rc: RC) -> str:
        return self.name

    def wrap(self, body: str) -> str:
        """The body of one verse section made of its entries' HTML."""
        return body

    def tsv_entries(self, rc: RC, source: BookSource, anchors: Anchors, log: BuildLog,
                    links: LinkTable) -> list[Entry]:
        raise NotImplementedError

    def _tsv_books(self, rc: RC, sources: list[BookSource], links: LinkTable,
                   ) -> list[RenderedBook]:
        """The TSV books, each rendered apart (:func:`render_tsv_book`) and kept in the render
        cache while its file is unchanged, so that ``serve`` re-renders only the books that
        changed; those not cached are rendered in parallel processes when they are large."""
        # the kind says what a page depends on besides its file
        items = [(s.path, "|".join((f"{self.name}-book", rc.subject, s.info.code, s.title,
                                    links.settings_key, rc.related.key))) for s in sources]

        def render(missing: list[int]) -> list[RenderedBook]:
            return render_tsv_books(self, rc, [sources[i] for i in missing], links)

        return rc.cache.get_many(rc.fs, items, render)

    def items(self, rc: RC, output: TypeOutput) -> list[Item]:
        """One item per TSV row (see :func:`page_items`)."""
        return [item for page in output.pages for item in page_items(page)]

    def build(self, rc: RC, log: BuildLog, links: LinkTable) -> TypeOutput:
        sources = find_books(rc, log, markdown=self.markdown)
        tsv = [s for s in sources if s.chunks is None]
        rendered = dict(zip([s.path for s in tsv], self._tsv_books(rc, tsv, links), strict=True))
        pages = []
        for source in sources:
            anchors = Anchors(self.prefix, source.info.code)
            links.register_file(source.path, source.page)
            for ref, path in source.chunks or []:
                links.register_file(path, source.page, anchors.section(ref.chapter, ref.verse))
            if source.chunks is not None:
                entries = markdown_entries(rc, source, log, links)
                pages.append(book_page(source, entries, anchors, self.template, self.wrap))
            else:
                page, book_links, book_log = rendered.pop(source.path)  # one copy at a time
                log.absorb(book_log)
                pages.append(replace(page, html=links.absorb(book_links, page.html)))
            log.info(f"Converted {source.path} to {source.page}.")
        if not sources:
            log.error(f"No book files found for {rc.subject}", code=f"{self.name}.no-books")
        return TypeOutput(
            pages=pages,
            nav=[NavItem(page.title, page.path) for page in pages],
            input_format="md" if sources and all(s.chunks is not None for s in sources)
            else "tsv",
            body_class=self.body_class(rc),
        )
