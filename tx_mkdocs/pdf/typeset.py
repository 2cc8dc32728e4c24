"""Print data → PDF with Typst (the ``typst`` package bundles the compiler: no other install).

Each PDF is compiled in a temporary folder made for it, which is Typst's root: it holds only
the fixed template (``template.typ`` of this package), ``data.json`` and the images the writer
copied there, so nothing else on the machine can be read by a document. Fonts come from the
system (Debian's fonts-noto-core and fonts-noto-cjk); Typst embeds the subsets it uses.

Compiles run in two worker processes (:mod:`.worker`): as many as the machine's cores we
count on, and Typst's memory stays out of the build's.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty, Queue
from typing import Any

TEMPLATE = Path(__file__).with_name("template.typ")
WORKER = Path(__file__).with_name("worker.py")
WORKERS = 2
#: Compiles per worker process before it is replaced.
TASKS_PER_WORKER = 8

#: The font stack, in order: Typst takes each character from the first font that has it (then
#: any system font). Serif for reading; each script's Noto face; CJK last (it has Latin too).
FONTS = ["Noto Serif", "Noto Serif Hebrew", "Noto Naskh Arabic", "Noto Serif Devanagari",
         "Noto Serif Bengali", "Noto Serif Ethiopic", "Noto Serif Thai", "Noto Serif Lao",
         "Noto Serif Khmer", "Noto Serif Myanmar", "Noto Serif Georgian", "Noto Serif Armenian",
         "Noto Serif Tamil", "Noto Serif Telugu", "Noto Serif Kannada", "Noto Serif Malayalam",
         "Noto Serif Gujarati", "Noto Serif Gurmukhi", "Noto Serif Sinhala", "Noto Serif Tibetan",
         "Noto Sans", "Noto Serif CJK SC", "DejaVu Serif"]
MONO = ["DejaVu Sans Mono", "Noto Sans Mono CJK SC"]


@dataclass
class Job:
    """One PDF to typeset: the print data (:mod:`tx_mkdocs.pdf.document`) and where it goes;
    ``images``: file name inside the root (as the data names it) → a checked local file."""

    data: dict[str, Any]
    target: Path
    images: dict[str, Path] = field(default_factory=dict)
    #: After the run: why it failed (None: it was made), and its body's page count.
    error: str | None = None
    body_pages: int = 0
    #: Why its text layer is as Typst wrote it (None: repaired, or nothing to repair).
    text_layer: str | None = None


def _root(job: Job, folder: Path) -> Path:
    """The Typst root of ``job``: the template, its data and its images, nothing else."""
    folder.mkdir()
    shutil.copyfile(TEMPLATE, folder / "main.typ")
    data = {**job.data, "fonts": FONTS, "mono": MONO}
    (folder / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    if job.images:
        (folder / "img").mkdir()
        for name, source in job.images.items():
            shutil.copyfile(source, folder / name)
    return folder / "main.typ"


class PdfCache:
    """PDFs typeset before, by a digest of their Typst root (template, data, fonts, images: all
    a compile reads), kept by ``serve`` with ``pdf: true`` so that an edit typesets again only
    the PDFs whose data changed (all of a whole Bible's take half a minute). A folder of its
    own; after each write it keeps only the PDFs that write used."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="tx-pdf-cache-"))
        self.entries: dict[str, tuple[int, str | None]] = {}  # digest → body pages, text layer
        self.used: set[str] = set()
        #: Compiles saved and compiles stored, since the cache was made.
        self.hits = self.stores = 0

    @staticmethod
    def digest(root: Path) -> str:
        """What a compile of ``root`` reads: its files' names and bytes."""
        h = hashlib.blake2b(digest_size=20)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix().encode()
            h.update(len(name).to_bytes(4, "big") + name)
            data = path.read_bytes()
            h.update(len(data).to_bytes(8, "big") + data)
        return h.hexdigest()

    def fetch(self, key: str, job: Job) -> bool:
        """Put the PDF made from ``key`` at the job's target, if there is one."""
        if key not in self.entries:
            return False
        shutil.copyfile(self.folder / f"{key}.pdf", job.target)
        job.error = None
        job.body_pages, job.text_layer = self.entries[key]
        self.used.add(key)
        self.hits += 1
        return True

    def store(self, key: str, job: Job) -> None:
        shutil.copyfile(job.target, self.folder / f"{key}.pdf")
        self.entries[key] = job.body_pages, job.text_layer
        self.used.add(key)
        self.stores += 1

    def keep_used(self) -> None:
        """Forget what the last write did not use (an edited book's old PDF)."""
        for key in set(self.entries) - self.used:
            del self.entries[key]
            (self.folder / f"{key}.pdf").unlink(missing_ok=True)
        self.used = set()

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self.entries, self.used = {}, set()


class _Worker:
    """One typesetting process (:mod:`.worker`), started when first needed and replaced after
    :data:`TASKS_PER_WORKER` jobs, or when it dies."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.done = 0

    def typeset(self, queue: Queue[tuple[Job, Path]]) -> None:
        """Typeset jobs from ``queue`` until it is empty."""
        while True:
            try:
                job, main = queue.get_nowait()
            except Empty:
                return
            if self.process is None:
                self.process = subprocess.Popen([sys.executable, str(WORKER)],
                                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                text=True, encoding="utf-8")
            assert self.process.stdin is not None and self.process.stdout is not None
            try:
                self.process.stdin.write(json.dumps([str(main), str(job.target)]) + "\n")
                self.process.stdin.flush()
                answer = self.process.stdout.readline()
            except OSError:
                answer = ""
            if answer:
                job.error, job.body_pages, job.text_layer = json.loads(answer)
            else:
                job.error = "the typesetting process ended unexpectedly"
            self.done += 1
            if not answer or self.done % TASKS_PER_WORKER == 0:
                self.stop()
            if job.error is not None:
                job.target.unlink(missing_ok=True)

    def stop(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Typesetter:
    """Typesets lists of jobs with :data:`WORKERS` processes kept from one list to the next
    (a write's parts, then its whole resource: a process costs a Python start, the imports
    and the font search). Use it as a context manager: the processes end with it, and the
    ``cache`` (if any) then keeps only what they used."""

    def __init__(self, cache: PdfCache | None = None) -> None:
        self.workers = [_Worker() for _ in range(WORKERS)]
        self.cache = cache

    def __enter__(self) -> Typesetter:
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.workers:
            worker.stop()
        if self.cache is not None:
            self.cache.keep_used()

    def run(self, jobs: list[Job]) -> None:
        """Typeset ``jobs`` (largest first, two at a time; from the cache what is in it);
        each gets its ``error`` and page count."""
        with tempfile.TemporaryDirectory(prefix="tx-pdf-") as tmp:
            queue: Queue[tuple[Job, Path]] = Queue()
            keys: list[tuple[Job, str]] = []
            for i in sorted(range(len(jobs)), key=lambda i: -len(json.dumps(jobs[i].data))):
                main = _root(jobs[i], Path(tmp, str(i)))
                if self.cache is not None:
                    key = self.cache.digest(main.parent)
                    if self.cache.fetch(key, jobs[i]):
                        continue
                    keys.append((jobs[i], key))
                queue.put((jobs[i], main))
            threads = [threading.Thread(target=worker.typeset, args=(queue,))
                       for worker in self.workers[:queue.qsize()]]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        if self.cache is not None:
            for job, key in keys:
                if job.error is None:
                    self.cache.store(key, job)


def merge(front: Path, bodies: list[tuple[str, Path]], target: Path, title: str) -> None:
    """The whole resource: its front matter, then each part's body; a bookmark per part and
    page labels (i, ii … then 1, 2 …) as printed."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle

    writer = PdfWriter()
    writer.append(PdfReader(front), import_outline=False)
    front_pages = len(writer.pages)
    for name, path in bodies:
        start = len(writer.pages)
        writer.append(PdfReader(path), import_outline=False)
        writer.add_outline_item(title=name, page_number=start)
    if front_pages:
        writer.set_page_label(0, front_pages - 1, style=PageLabelStyle.LOWERCASE_ROMAN)
    if len(writer.pages) > front_pages:
        writer.set_page_label(front_pages, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL)
    writer.add_metadata({"/Title": title})
    with target.open("wb") as file:
        writer.write(file)


def chunks(items: list[Any], sizes: list[int]) -> Iterator[tuple[Any, int]]:
    """Each item with the page its body starts on, after the bodies before it."""
    page = 1
    for item, size in zip(items, sizes, strict=True):
        yield item, page
        page += size
