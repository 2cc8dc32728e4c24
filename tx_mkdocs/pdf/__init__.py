"""PDFs of a site: one per part — a Bible or tN/tQ book, an OBS story, a tA manual, a tW section,
each a page of the site — and one of the whole resource (``pdf/<language>_<identifier>.pdf``).

An orchestration-level layer (below the plugin, above the theme): it reads the :class:`Site`
the resource type built (its pages' HTML, see :mod:`.document`) and the manifest, and typesets
with Typst (:mod:`.typeset`). Why Typst, with measurements: docs/pdf.md. A PDF that fails is
reported in the build log (``pdf.failed``) and left out; the site never depends on it.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..build import INDEX
from ..core.log import BuildLog
from ..core.model import Page, Site, page_stem
from ..core.report import REPORT
from ..theme import attribution, ui_language
from .document import Converter
from .typeset import Job, PdfCache, Typesetter, chunks, merge
from .words import pdf_words

#: The site's folder of PDFs.
PDF_DIR = "pdf"
#: Languages Typst hyphenates (its ``hypher`` patterns), by ISO 639-1 code.
HYPHENATION = frozenset((
    "af", "be", "bg", "ca", "cs", "cy", "da", "de", "el", "en", "es", "et", "eu", "fi", "fr",
    "ga", "gl", "hr", "hu", "hy", "is", "it", "ka", "ku", "la", "lt", "lv", "mk", "mn", "nb",
    "nl", "nn", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "tk", "tr", "uk"))
#: Scripts written without spaces between words (Thai, Lao, Tibetan, Myanmar, Khmer): in a
#: narrow column their lines break badly, so their books are set in one column.
_NO_SPACES = re.compile("[\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff]")
_LANG = re.compile(r"[a-z]{2,3}")
#: Image files Typst may read, by their first bytes (never by the name an author chose).
_IMAGE_MAGIC = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png", b"GIF87a": "gif",
                b"GIF89a": "gif"}
MAX_IMAGE_BYTES = 20_000_000
_IMAGE_NAME = re.compile(r"[\w.-]+")


@dataclass
class PdfFile:
    """A PDF that was made: its path in the site (``pdf/57-TIT.pdf``) and what it holds."""

    path: str
    title: str


def parts(site: Site) -> list[Page]:
    """The pages that are parts of the resource (its books, stories, manuals, sections)."""
    return [p for p in site.pages if p.path not in (INDEX, REPORT) and p.html.strip()]


def whole_name(site: Site) -> str:
    """``en_ult``: the whole resource's PDF name, made safe."""
    m = site.manifest
    return page_stem(f"{m.language.identifier}_{m.identifier}")


class _Images:
    """Images an author referenced, found by file name in a local folder (``images``), copied
    into the Typst root under names of ours; None (a placeholder) for any other."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder.resolve() if folder else None
        self.files: dict[str, Path] = {}
        self.names: dict[Path, str] = {}

    def __call__(self, src: str) -> str | None:
        if self.folder is None:
            return None
        name = src.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        if not _IMAGE_NAME.fullmatch(name) or name.startswith("."):
            return None
        path = self.folder / name
        if path in self.names:
            return self.names[path]
        try:
            if not path.is_file() or path.stat().st_size > MAX_IMAGE_BYTES:
                return None
            with path.open("rb") as file:
                head = file.read(8)
        except OSError:
            return None
        kind = next((k for magic, k in _IMAGE_MAGIC.items() if head.startswith(magic)), None)
        if kind is None:
            return None
        local = f"img/{len(self.files)}.{kind}"
        self.files[local], self.names[path] = path, local
        return local


class _Part:
    """A page as print data: its title (its first ``<h1>``, else the page's), its blocks (other
    headings from level 2 on, each with its plain text for the running header)."""

    def __init__(self, page: Page, site: Site, images: _Images) -> None:
        blocks = Converter(images).convert(page.html)
        self.title = page.title
        first = next((b for b in blocks if b["k"] == "h"), None)
        if first is not None and first["l"] == 1:
            self.title = _plain(first["c"]) or page.title
            blocks.remove(first)
        for block in blocks:
            if block["k"] == "h":
                block["l"] = max(block["l"], 2)
                block["x"] = _plain(block["c"])
        self.data = {"title": self.title, "dir": site.theme.direction, "blocks": blocks}
        self.text = _sample(blocks)
        self.headings = any(b["k"] == "h" for b in blocks)


def _plain(content: list[Any]) -> str:
    """The text of inline runs (for running headers and titles): notes and verse numbers out."""

    def text(runs: list[Any]) -> str:
        return "".join(part if isinstance(part, str) else
                       "" if part.get("t") in ("v", "fn") else text(part.get("c", []))
                       for part in runs)

    return " ".join(text(content).split())


def _sample(blocks: list[dict[str, Any]]) -> str:
    """A sample of the text (the first blocks), to tell the script."""
    return " ".join(_plain(b.get("c", [])) for b in blocks[:200])


def _facts(site: Site, words: dict[str, str]) -> list[list[str]]:
    """The title page's facts: version, license and attribution (CC BY/BY-SA require it)."""
    m = site.manifest
    who = attribution(m)
    facts = [[words["pdf_version"], m.version]]
    license_ = who["license"]
    facts.append([words["pdf_license"],
                  " ".join(x for x in (license_["name"], license_["url"]) if x)])
    if who["creator"]:
        facts.append([words["pdf_creator"], who["creator"]])
    if who["publisher"]:
        facts.append([words["pdf_publisher"], who["publisher"]])
    if who["contributors"]:
        facts.append([words["pdf_contributors"], ", ".join(who["contributors"])[:2000]])
    if who["sources"]:
        facts.append([words["pdf_sources"], ", ".join(who["sources"])[:1000]])
    if m.modified or m.issued:
        facts.append([words["pdf_date"], m.modified or m.issued])
    return facts


def _document(site: Site, selected: list[_Part], subtitle: str, **layout: Any) -> dict[str, Any]:
    """The data of one PDF; ``layout``: ``title-page``, ``toc`` (``outline``, ``list`` or
    ``none``), ``toc-list`` ([title, page] for ``list``), ``body`` and ``first-page``."""
    m = site.manifest
    code = m.language.identifier.lower().split("-", 1)[0].split("_", 1)[0]
    lang = code if _LANG.fullmatch(code) else "und"
    sample = " ".join(p.text for p in selected[:3])
    bible = site.theme.body_class == "bible"
    spaced = len(_NO_SPACES.findall(sample)) < len(sample) / 10
    words = pdf_words(ui_language(m.language.identifier))
    return {
        "title": m.title, "subtitle": subtitle, "authors": [m.creator, m.publisher],
        "language": f"{m.language.title} ({m.language.identifier})", "lang": lang,
        "dir": m.language.direction if m.language.direction in ("ltr", "rtl") else "ltr",
        "hyphenate": lang in HYPHENATION, "bible": bible,
        "columns": 2 if bible and spaced else 1, "size": 10 if bible else 10.5,
        "facts": _facts(site, words), "contents": words["pdf_contents"], "toc-depth": 2,
        "title-page": True, "toc": "outline", "toc-list": [], "body": True, "first-page": 1,
        "parts": [p.data for p in selected], **layout,
    }


def write_pdfs(site: Site, folder: Path, log: BuildLog, *, images: Path | None = None,
               cache: PdfCache | None = None) -> list[PdfFile]:
    """Write the site's PDFs into ``folder/pdf/``; the ones made, whole resource first.

    Each part's PDF has a title page, its table of contents and its body. The whole resource
    is its own title page and table of contents, then the body of every part typeset again
    with the page numbers it has there, merged: one Typst document of a whole Bible would
    need more memory than a build may take (docs/pdf.md).

    ``images``: a local folder where the pictures the pages reference (OBS, tA) may be found
    by file name; nothing is ever downloaded. Each failure is a ``pdf.failed`` warning.
    ``cache``: PDFs typeset before (``serve``), used where their data is the same.
    """
    missing = [name for name in ("typst", "pypdf") if importlib.util.find_spec(name) is None]
    if missing:
        log.warning(f"No PDFs were made: {' and '.join(missing)} not installed (pip install "
                    "'tx-mkdocs[pdf]')", code="pdf.failed")
        return []
    found = _Images(images)
    out = folder / PDF_DIR
    converted: list[tuple[Page, _Part]] = []
    for page in parts(site):
        try:
            converted.append((page, _Part(page, site, found)))
        except Exception as exc:  # noqa: BLE001 - one page's bug must not cost the other PDFs
            log.warning(f"PDF of '{page.url}' was not made: {type(exc).__name__}: {exc}",
                        page=page.url, code="pdf.failed")
    if not converted:
        return []
    out.mkdir(parents=True, exist_ok=True)
    books = [Job(_document(site, [part], part.title, toc="outline" if part.headings else "none"),
                 out / f"{Path(page.path).stem}.pdf", found.files) for page, part in converted]
    with Typesetter(cache) as typesetter:
        typesetter.run(books)
        done = [PdfFile(f"{PDF_DIR}/{job.target.name}", part.title)
                for job, (_, part) in zip(books, converted, strict=True) if _made(job, log)]
        whole = out / f"{whole_name(site)}.pdf"
        made = [(job, part) for job, (_, part) in zip(books, converted, strict=True)
                if not job.error]
        if len(converted) > 1 and len(made) == len(converted):
            _whole(site, made, whole, log, found, typesetter)
    if len(converted) == 1 and made:
        shutil.copyfile(made[0][0].target, whole)
    if whole.is_file():
        done.insert(0, PdfFile(f"{PDF_DIR}/{whole.name}", site.manifest.title))
    elif made:
        log.warning(f"PDF '{PDF_DIR}/{whole.name}' was not made: a part's PDF failed",
                    code="pdf.failed")
    return done


def _made(job: Job, log: BuildLog) -> bool:
    if job.error is not None:
        log.warning(f"PDF '{PDF_DIR}/{job.target.name}' ({job.data['subtitle']}) was not made: "
                    f"{job.error}", code="pdf.failed")
    _text_layer(job.target.name, job, log)
    return job.error is None


def _text_layer(name: str, job: Job, log: BuildLog) -> None:
    """Report a PDF whose text layer is as Typst wrote it: copied text may repeat pieces of
    letters with marks (docs/pdf.md, Text out of a PDF); the PDF itself is fine."""
    if job.text_layer is not None:
        log.warning(f"PDF '{PDF_DIR}/{name}': its text layer was left as Typst wrote it "
                    f"(copied text may repeat letters with marks): {job.text_layer}",
                    code="pdf.text")


def _whole(site: Site, made: list[tuple[Job, _Part]], target: Path, log: BuildLog,
           found: _Images, typesetter: Typesetter) -> None:
    """The whole resource from its parts' bodies (see :func:`write_pdfs`)."""
    with tempfile.TemporaryDirectory(prefix="tx-pdf-whole-") as tmp:
        starts = list(chunks([part for _, part in made], [job.body_pages for job, _ in made]))
        front = Job(_document(site, [], "", toc="list", body=False,
                              **{"toc-list": [[part.title, page] for part, page in starts]}),
                    Path(tmp, "front.pdf"))
        bodies = [Job(_document(site, [part], part.title, toc="none", body=True,
                                **{"title-page": False, "first-page": page}),
                      Path(tmp, f"{n}.pdf"), found.files)
                  for n, (part, page) in enumerate(starts)]
        typesetter.run([front, *bodies])
        failed = next((job for job in (front, *bodies) if job.error), None)
        for job in (front, *bodies):
            _text_layer(target.name, job, log)
        if failed is not None:
            log.warning(f"PDF '{PDF_DIR}/{target.name}' was not made: {failed.error}",
                        code="pdf.failed")
            return
        try:
            merge(front.target, [(part.title, job.target)
                                 for job, (part, _) in zip(bodies, starts, strict=True)],
                  target, site.manifest.title)
        except (OSError, ValueError) as exc:
            log.warning(f"PDF '{PDF_DIR}/{target.name}' was not made: {exc}", code="pdf.failed")
            target.unlink(missing_ok=True)
