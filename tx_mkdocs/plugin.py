"""MkDocs plugin ``tx``: a thin adapter from the core's site model to MkDocs.

In ``mkdocs.yml``::

    site_name: My Bible
    theme: material
    plugins: [search, tx]

The repository is the folder of ``mkdocs.yml`` (or the plugin's ``repo`` option). Pages are
generated in memory (nothing is written into the repository); the repository is watched by
``mkdocs serve``; ``build_log.json``, ``project.json`` and ``manifest.json`` are written into the
site after the build.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkPage
from mkdocs.utils import is_error_template
from mkdocs.utils.templates import TemplateContext

from .build import build_site
from .core.cache import RenderCache
from .core.changes import RECORD
from .core.context import BuildContext, resolve_context, utc_now
from .core.links import ExternalSites
from .core.model import Page, Site, ThemeSettings
from .core.records import build_log_record, write_records
from .core.references import REFERENCES_FILE, reference_table
from .core.search import search_entries
from .outdir import OutputDirError, own_folder
from .pagefile import page_source, theme_text
from .pdf import PdfFile, write_pdfs
from .pdf.typeset import PdfCache
from .theme import (
    content_security_policy,
    downloads,
    extra_config,
    nav_config,
    search_config,
    template_dirs,
    theme_config,
)
from .themeview import listing_view
from .versehelps import add_related, write_files

log = get_plugin_logger(__name__)


class TxConfig(Config):
    """The plugin's options; the ``#:`` comments are its documentation (docs/plugin.md)."""

    #: The repository to build (default: the folder of ``mkdocs.yml``).
    repo = c.Optional(c.Dir(exists=True))
    #: Owner on the forge (default: CI environment, then the ``origin`` remote, then ``local``).
    owner = c.Optional(c.Type(str))
    #: Repository name (default: as ``owner``, then the folder's name).
    name = c.Optional(c.Type(str))
    #: Commit SHA of the build (default: CI environment, then ``HEAD``).
    commit = c.Optional(c.Type(str))
    #: Branch or tag (default: CI environment, then the branch or tag checked out, or ``local``).
    ref = c.Optional(c.Type(str))
    #: ``tag``, ``branch``, ``defaultBranch`` … of ``ref`` when it is given (the CLI knows it from
    #: CI): a tag is a release, shown in the header; anything else is a draft.
    ref_type = c.Optional(c.Type(str))
    #: Write build_log.json / project.json / manifest.json after the build (the CLI writes its own).
    records = c.Type(bool, default=True)
    #: Replace ``site_name`` by "<language>: <title>" from the manifest (the CLI's default).
    site_name_from_manifest = c.Type(bool, default=False)
    #: Where other resources (targets of rc:// links) are published.
    links_base_url = c.Type(str, default=ExternalSites.base_url)
    #: Their owner (default: ours; unfoldingWord when ours is unknown).
    links_owner = c.Optional(c.Type(str))
    #: The language of ``rc://*/…`` links (default: the manifest's ``relation``, ``en/ta`` →
    #: en_ta, else the language of this repository).
    links_language = c.Optional(c.Type(str))
    #: Let pages show images from other hosts (OBS pictures, tA figures on cdn.door43.org);
    #: false: the Content-Security-Policy allows images of the site only.
    remote_images = c.Type(bool, default=True)
    #: Local checkouts of related resources (the manifest's ``relation``: ``en/ult``, ``en/tw``
    #: …) built together with this one, e.g. the aligned Bible that gives tN, TWL and SN rows
    #: their GL quotes. Read only, each confined to itself; nothing is fetched. The option is
    #: named ``with`` (``with_`` is only its Python name).
    with_ = c.ListOfItems(c.Dir(exists=True), default=[])
    with_._name = "with"
    #: Make PDFs (``pdf/``: one per book, story, manual or section, and the whole resource),
    #: linked from the Downloads menu; a PDF that fails is reported, the site is built anyway.
    pdf = c.Type(bool, default=False)
    #: A local folder where PDFs find the pictures pages show (OBS, tA), by file name; nothing
    #: is downloaded, and a picture not found there is a placeholder.
    pdf_images = c.Optional(c.Dir(exists=True))


def _search_plugins(config: MkDocsConfig) -> list[BasePlugin]:
    """The search plugins that are on (Material's, under either of its names)."""
    return [config.plugins[name] for name in ("material/search", "search")
            if name in config.plugins]


def _search_index_file(config: MkDocsConfig) -> Path:
    """Where Material's search plugin writes its index."""
    return Path(config.site_dir) / "search" / "search_index.json"


def _material_search_index(config: MkDocsConfig):
    """Material's search index object, if its search plugin is on and looks as expected."""
    plugin = next(iter(_search_plugins(config)), None)
    index = getattr(plugin, "search_index", None)
    return index if isinstance(getattr(index, "entries", None), list) else None


#: The last complete search index under ``serve``, while MkDocs builds (beside the index).
_KEPT_INDEX = ".search_index.last.json"


def _search_json(index: dict[str, Any]) -> str:
    """The search index as Material writes it."""
    return json.dumps(index, separators=(",", ":"), default=str)


def _page_search_json(page: Page) -> bytes:
    """A page's search entries (core/search) as they are written in the index's list."""
    return ",".join(
        _search_json({"location": page.url + (f"#{entry.anchor}" if entry.anchor else ""),
                      "title": entry.title, "text": entry.text})
        for entry in search_entries(page)).encode("utf-8")


class _TemplateCache(jinja2.BytecodeCache):
    """Compiled theme templates kept across ``serve`` rebuilds.

    MkDocs makes a new Jinja environment for every build, and compiling Material's templates
    costs about 0.4 s each time; Jinja checks each entry against its template's source.
    """

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


def _template_cache(command: str) -> jinja2.BytecodeCache:
    """Where compiled theme templates are kept: in memory across ``serve`` rebuilds; for other
    builds in Jinja's per-user folder (``$TMPDIR/_jinja2-cache-<uid>``, mode 0700, refused
    when another user owns it), so that the next build in a process of its own (the webhook
    service's jobs, a translator's repeated builds) does not compile them again. Jinja checks
    each entry against its template's source and its own and Python's versions."""
    if command == "serve":
        return _TemplateCache()
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no safe folder: compiled in memory, as before
        return _TemplateCache()


class TxPlugin(BasePlugin[TxConfig]):
    site: Site | None = None
    context: BuildContext | None = None
    cache: RenderCache | None = None
    templates: jinja2.BytecodeCache | None = None
    pages_dir: Path | None = None
    #: What every page shows of the site, and its pages, as of the last ``serve --dirty`` build.
    site_wide: str | None = None
    page_paths: set[str] = set()  # noqa: RUF012 - replaced, never changed in place
    #: Under ``serve``: the thread writing the last build's search index.
    search_writer: threading.Thread | None = None
    #: Material's default search pipeline of each UI language, kept across ``serve`` rebuilds.
    search_pipelines: dict[str, list[str] | None] = {}  # noqa: RUF012 - replaced in on_startup
    #: The site's table of Bible references (core/references), None when it has no Bible.
    references: dict[str, Any] | None = None
    #: Files the related resources add (versehelps: a Bible's verse helps), and their builds'
    #: render caches, kept across ``serve`` rebuilds.
    related_files: dict[str, str] | None = None
    related_caches: dict[str, RenderCache] | None = None
    #: The MkDocs command: ``serve`` writes into a folder of its own, and its live reload is an
    #: inline script, which the CSP must then allow.
    command: str = "build"
    #: This build's PDFs (a temporary folder, copied into the site by MkDocs) and their entries.
    pdf_dir: Path | None = None
    pdfs: list[PdfFile] = []  # noqa: RUF012 - replaced, never changed in place
    #: Under ``serve``: the PDFs typeset before, so an edit typesets only what it changed.
    pdf_cache: PdfCache | None = None
    #: A page's HTML while Material's search plugin looks at the page (on_page_context).
    held_content: str | None = None
    #: Under ``serve``: where theme folders are viewed without their hidden folders (themeview).
    theme_views: Path | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this instance (and its caches) across ``serve`` rebuilds.

        Under ``serve --dirty`` pages are backed by files in a private folder, rewritten only
        when their content changes, so that MkDocs re-renders only the changed pages.
        """
        self.command = command
        # a single build would only hold a second copy of every result
        self.cache = RenderCache(keep=command == "serve")
        self.related_caches = {}
        self.templates = _template_cache(command)
        self.search_pipelines = {}
        self.pages_dir = Path(tempfile.mkdtemp(prefix="tx-pages-")) if dirty else None
        self.pdf_cache = PdfCache() if command == "serve" and self.config.pdf else None
        self.theme_views = Path(tempfile.mkdtemp(prefix="tx-theme-")) if command == "serve" \
            else None

    def on_shutdown(self) -> None:
        self._finish_search_index()
        if self.pages_dir is not None:
            shutil.rmtree(self.pages_dir, ignore_errors=True)
        self._drop_pdfs()
        if self.pdf_cache is not None:
            self.pdf_cache.close()
        if self.theme_views is not None:
            shutil.rmtree(self.theme_views, ignore_errors=True)

    @event_priority(100)  # before Material's and search's on_config use theme.language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._finish_search_index()
        if self.command != "serve":  # MkDocs empties site_dir next: never through a link
            try:
                own_folder(config.site_dir)
            except OutputDirError as exc:
                raise PluginError(str(exc)) from exc
        self.started_at = utc_now()
        self.started = time.perf_counter()
        repo = Path(self.config.repo or Path(config.config_file_path or ".").parent)
        self.context = resolve_context(repo, owner=self.config.owner, name=self.config.name,
                                       commit=self.config.commit, ref=self.config.ref)
        if self.config.ref and self.config.ref_type:
            self.context.ref_type = self.config.ref_type
        owner = self.context.owner if self.context.owner != "local" else ExternalSites.owner
        external = ExternalSites(base_url=self.config.links_base_url,
                                 owner=self.config.links_owner or owner,
                                 language=self.config.links_language)
        self.site = site = build_site(repo, name=self.context.repo, external=external,
                                      cache=self.cache, related=self.config["with"],
                                      record=self.command != "serve")
        for message in site.log.errors:
            log.warning(message.format())
        self.related_files = add_related(site, repo, self.config["with"], external,
                                         self.related_caches)
        self.references = reference_table(site)
        self._make_pdfs(site)
        if self.config.site_name_from_manifest:
            config.site_name = theme_text(site.name)
        theme = config.theme
        theme.dirs[0:0] = [str(folder) for folder in template_dirs()]
        if self.theme_views is not None:  # listed on every rebuild; a custom_dir stays as it is
            # (``serve --watch-theme`` watches the folders themselves)
            theme.dirs[:] = [folder if folder == theme.custom_dir
                             else listing_view(folder, self.theme_views) for folder in theme.dirs]
        for key, value in theme_config(site).items():
            theme[key] = value
        for plugin in _search_plugins(config):
            search, settings = plugin.config, search_config(site)
            search["lang"], search["separator"] = settings["lang"], settings["separator"]
            if search.get("pipeline") is None:  # Material's default for the language
                search["pipeline"] = self.search_pipelines.get(theme["language"])
        config.use_directory_urls = False
        if config.nav is None:
            config.nav = nav_config(site.nav)
        if "tx_mkdocs.mdext" not in config.markdown_extensions:
            config.markdown_extensions.append("tx_mkdocs.mdext")
        ctx = self.context
        config.extra["tx"] = {**extra_config(site), "repo_url": ctx.repo_url,
                              "repo_label": f"{ctx.owner}/{ctx.repo}",
                              "source_url": ctx.source_url,
                              "downloads": downloads(site, ctx.source_url, self.pdfs),
                              "commit": ctx.commit10, "ref": ctx.ref,
                              # the header's version: a release's tag, else a draft
                              "release": ctx.ref if ctx.ref_type == "tag" else "",
                              # a Bible: references typed into search, the verse picker
                              "references": REFERENCES_FILE if self.references else "",
                              "csp": content_security_policy(
                                  remote_images=self.config.remote_images,
                                  inline_scripts=self.command == "serve")}
        for folder in (repo, *self.config["with"]):
            if str(folder) not in config.watch:
                config.watch.append(str(folder))
        return config

    def _drop_pdfs(self) -> None:
        """Forget the last build's PDFs: MkDocs keeps this instance from build to build."""
        if self.pdf_dir is not None:
            shutil.rmtree(self.pdf_dir, ignore_errors=True)
        self.pdf_dir, self.pdfs = None, []

    def _make_pdfs(self, site: Site) -> None:
        """This build's PDFs (with the ``pdf`` option), in a folder of their own."""
        self._drop_pdfs()
        if not self.config.pdf:
            return
        self.pdf_dir = Path(tempfile.mkdtemp(prefix="tx-pdf-site-"))
        started = time.perf_counter()
        images = Path(self.config.pdf_images) if self.config.pdf_images else None
        self.pdfs = write_pdfs(site, self.pdf_dir, site.log, images=images,
                               cache=self.pdf_cache)
        site.timings["pdf"] = time.perf_counter() - started
        for message in site.log.warnings:
            if message.code == "pdf.failed":
                log.warning(message.format())

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
               ) -> jinja2.Environment:
        env.bytecode_cache = self.templates
        return env

    @event_priority(1)  # just before Material's search plugin (0) reads the page
    def _hide_from_material_search(self, context: TemplateContext, *, page: MkPage,
                                   config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        """Spare Material parsing our pages for its search index (their entries are added to
        the index it writes, :meth:`_add_search_entries`) and scanning their HTML for its
        ``data-search-*`` attributes, which ours never have (a pass over a whole tN book's
        HTML): the HTML is held back while it looks, and given back right after."""
        if _material_search_index(config) is not None and self.site is not None \
                and self.site.page(page.file.src_uri) is not None:
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
            self.held_content, page.content = page.content, ""
        return context

    @event_priority(-1)  # just after Material's search plugin
    def _give_back_content(self, context: TemplateContext, *, page: MkPage,
                           config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        if self.held_content is not None:
            page.content, self.held_content = self.held_content, None
        return context

    on_page_context = CombinedEvent(_hide_from_material_search, _give_back_content)

    def _add_search_entries(self, site: Site, index_file: Path) -> None:
        """Our pages' entries (core/search), after those Material wrote for other pages.

        Under ``serve --dirty`` MkDocs renders only the pages that changed, and Material's index
        would hold only theirs (and keep a deleted page's): the entries of every page are added
        after each build instead, as JSON kept while its page is unchanged. The file is what
        Material would write with all the entries in one list.

        Under ``serve`` the index (70 MB for a whole tN) is written while the edited page is
        already served (it is fetched only when search is opened): the last complete index,
        kept aside while Material wrote its own (:meth:`_set_index_aside`), is in place until
        then; the first build, which has none, writes it at once."""
        theirs = json.loads(index_file.read_bytes())
        kept = index_file.with_name(_KEPT_INDEX)
        if self.command != "serve" or not kept.is_file():
            self._write_search_index(site, index_file, theirs)
            return
        os.replace(kept, index_file)
        self.search_writer = threading.Thread(target=self._write_search_index,
                                              args=(site, index_file, theirs))
        self.search_writer.start()

    def _write_search_index(self, site: Site, index_file: Path, theirs: dict[str, Any]) -> None:
        """Material's index ``theirs`` with our pages' entries, in place of ``index_file``."""
        cache = self.cache or RenderCache(keep=False)
        ours = [entries for page in site.pages
                if (entries := cache.derived(page.path, "search-json", (page.html, page.title),
                                             partial(_page_search_json, page)))]
        if not ours:
            return
        written = index_file.with_name(f".{index_file.name}.new")
        with written.open("wb") as out:  # piece by piece: a whole tN's is 70 MB
            # "docs" last whatever order Material gave, so that the JSON ends with its "]}"
            head = {**{k: v for k, v in theirs.items() if k != "docs"}, "docs": theirs["docs"]}
            out.write(_search_json(head).encode("utf-8")[:-2])  # without "]}"
            for i, entries in enumerate(ours):
                if i or theirs["docs"]:
                    out.write(b",")
                out.write(entries)
            out.write(b"]}")
        os.replace(written, index_file)  # never read half written

    def _finish_search_index(self) -> None:
        """Wait for the last build's search index (``serve``): the next build uses the cache."""
        if self.search_writer is not None:
            self.search_writer.join()
            self.search_writer = None

    def on_template_context(self, context: TemplateContext, *, template_name: str,
                            config: MkDocsConfig) -> TemplateContext:
        """404.html links the theme relative to itself, not from the server's root.

        MkDocs gives error pages the path of ``site_url`` as their base, ``/`` without one
        (``/assets/…``); a site without a ``site_url`` lives under any folder
        (``u/<owner>/<repo>/<commit>/``, with its 404.html beside its index.html)."""
        if is_error_template(template_name) and not config.site_url:
            context["base_url"] = "."
        return context

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        site = self.site
        assert site is not None
        for plugin in _search_plugins(config) if self.command == "serve" else ():
            # Material finds it in a template compiled for it in every build: kept
            self.search_pipelines[config.theme["language"]] = plugin.config.get("pipeline")
        for page in site.pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                files.remove(existing)
            if self.pages_dir is None:
                files.append(File.generated(config, page.path, content=self._page_source(page)))
            else:
                files.append(File.generated(config, page.path,
                                            abs_src_path=self._backing_file(page)))
        if self.pages_dir is not None:
            self._when_site_changed(site, config)
        if self.pdf_dir is not None:
            for pdf in self.pdfs:
                files.append(File.generated(config, pdf.path,
                                            abs_src_path=str(self.pdf_dir / pdf.path)))
        return files

    def _page_source(self, page: Page) -> str:
        theme = self.site.theme if self.site else ThemeSettings()
        return page_source(page, lang=theme.language, direction=theme.direction,
                           body_class=theme.body_class)

    def _backing_file(self, page: Page) -> str:
        """The page's file in the private folder (``serve --dirty``), written again only when
        what it is made from changed: an unchanged page (mostly the very HTML object of the
        last build, from the render cache) costs a comparison, not the making of its text."""
        assert self.pages_dir is not None and self.cache is not None and self.site is not None
        target = self.pages_dir / page.path
        theme = self.site.theme
        inputs = (page.html, page.title, page.template, page.meta, page.toc, theme.language,
                  theme.direction, theme.body_class)

        def write() -> str:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(self._page_source(page), encoding="utf-8")
            return str(target)

        written = self.cache.derived(page.path, "page-file", inputs, write)
        return written if Path(written).is_file() else write()

    def _when_site_changed(self, site: Site, config: MkDocsConfig) -> None:
        """Have MkDocs render every page again (``serve --dirty``) when what every page shows
        changed: the nav (a book added, removed or renamed), the other pages' facts the landing
        page shows, the header's and footer's settings. MkDocs renders a page again when its
        file is newer than its output. A page that is gone (a book deleted) is no longer
        served: MkDocs leaves its output in place. The theme's 404 page, which shows only what
        every page shows, is made again only then."""
        assert self.pages_dir is not None
        pages = [(p.path, p.title, p.template, p.meta) for p in site.pages]
        shown = repr((config.nav, config.site_name, config.extra, dict(config.theme), pages))
        if shown == self.site_wide:
            if Path(config.site_dir, "404.html").is_file():
                config.theme.static_templates.discard("404.html")
            return
        for path in self.page_paths - {p.path for p in site.pages}:
            for gone in (self.pages_dir / path, Path(config.site_dir, path).with_suffix(".html")):
                gone.unlink(missing_ok=True)
        self.site_wide, self.page_paths = shown, {p.path for p in site.pages}
        for page in site.pages:
            os.utime(self.pages_dir / page.path)

    @event_priority(1)  # just before Material's search plugin writes its index
    def _set_index_aside(self, *, config: MkDocsConfig) -> None:
        """Under ``serve``, keep the last complete index aside only while Material writes its
        own (of the other pages) in its place; it is put back at once after
        (:meth:`_add_search_entries`). A search opened while a rebuild renders its pages finds
        the last complete index, not none."""
        index_file = _search_index_file(config)
        if self.command == "serve" and index_file.is_file():
            os.replace(index_file, index_file.with_name(_KEPT_INDEX))

    @event_priority(-100)  # after Material's search plugin wrote its index
    def _after_build(self, *, config: MkDocsConfig) -> None:
        index_file = _search_index_file(config)
        if self.site is not None and index_file.is_file() \
                and _material_search_index(config) is not None:
            self._add_search_entries(self.site, index_file)
        write_files(Path(config.site_dir), self.related_files or {})
        if self.references is not None:
            (Path(config.site_dir) / REFERENCES_FILE).write_text(  # compact: read by every search
                json.dumps(self.references, ensure_ascii=False, separators=(",", ":")),
                encoding="utf-8")
        if self.site is not None and self.command != "serve":
            # what the next published build is compared with (core/changes.py); a preview is
            # never compared, and a whole tN's record takes seconds to write on every edit
            (Path(config.site_dir) / RECORD).write_bytes(self.site.record_bytes())
        if not self.config.records or self.site is None or self.context is None:
            return
        timings = {**self.site.timings, "total": time.perf_counter() - self.started}
        record = build_log_record(self.site, self.context, started_at=self.started_at,
                                  timings=timings)
        write_records(Path(config.site_dir), self.site, self.context, record)
        log.info(f"{self.site.name}: {record['status']}, "
                 f"{len(record['errors'])} errors, {len(record['warnings'])} warnings")

    on_post_build = CombinedEvent(_set_index_aside, _after_build)
