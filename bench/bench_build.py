"""Speed figures on ../shared/samples/full_bible (66 books): `make bench`.

Prints, as the median of 3 runs:
- the USFM stage: read → page HTML for all books (the core's build_site, in process);
- the whole `tx-mkdocs build` (a fresh process each time) and its peak RSS;
- the content record's share of that build (the time the build's process spends on it: it is
  made in a process beside the build when a CPU is spare), its own work (and cutting the pages
  into sections, which the search index then reuses), and two whole Bibles' records compared
  (`tx-mkdocs diff`);
- `tx-mkdocs serve`: seconds from saving an edited book to the new text being served (a Bible
  book; one book of the whole-Bible tN below);
and, in one run, the helps stage: translation notes for all 66 books (the rows of the en_tn
sample, repeated to about 150 000 rows, more than unfoldingWord's en_tn has) → page HTML, in a
process of its own, with the peak resident memory of its process tree (worker processes too);
the first load of a chapter page (43-LUK.html) in Chromium: bytes transferred, fonts aside (a
figure with a target, not a timing; the search index is fetched only when search is opened);
the resources built together (``--with``): GL quotes of a tN from the aligned full_bible (its
New Testament is aligned: three notes a verse on two-word quotes), and the verse helps panel's
data of the whole Bible with that tN (the tN built as its own site with its GL quotes, cut into
``helps/<book>/<chapter>.json``);
the hostile stage: seconds per MB of a whole `tx-mkdocs build` of the worst shapes at their
size limits (nested ``<div>`` in Markdown, 80 000 ``\\fig`` on one line …), which were quadratic;
and the PDF stage (``--pdf`` alone): `tx-mkdocs build --pdf` of the 4-book en_ult sample and of
the whole Bible, and the peak memory of the build's process tree (docs/pdf.md).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FULL_BIBLE = ROOT.parent / "shared" / "samples" / "full_bible"
EN_TN = ROOT.parent / "shared" / "samples" / "en_tn"
#: hostile: seconds per MB of the worst shapes (a build of a 1 MB file in ~10 s at most).
#: record_share: % of the whole build; compare: seconds for two whole Bibles.
TARGETS = {"record_share": 5.0, "compare": 1.0, "usfm": 1.5, "build": 4.0, "rss": 600.0,
           "serve": 1.0, "helps": 5.0, "helps_rss": 600.0, "serve_tn": 0.5,
           "hostile": 10.0, "first_load_kb": 700.0, "gl_quotes": 5.0, "panel": 5.0,
           "pdf_4_books": 5.0, "pdf_bible": 60.0, "pdf_tree_mb": 1500.0}
EN_ULT = ROOT.parent / "shared" / "samples" / "en_ult"
#: Rows of a whole-Bible tN (unfoldingWord's en_tn: about 150 000).
HELPS_ROWS = 150_000
RUNS = 3


def _verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER TARGET"


def bench_usfm_stage() -> float:
    from tx_mkdocs.build import build_site

    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        site = build_site(FULL_BIBLE)
        times.append(time.perf_counter() - start)
        site.record_bytes()  # made beside (bench_build counts it): not beside the next run
    assert len([p for p in site.pages if p.template == "bible.html"]) == 66
    return statistics.median(times)


def bench_record() -> tuple[float, float, float]:
    """Seconds of the content record's own work when made in the build's process (a build
    with a spare CPU makes it in a process beside: :func:`bench_build` measures what that adds),
    of which seconds cutting the pages into sections (the search index reuses them), and
    seconds to compare two whole Bibles' records (read both, compare, the changes page) when
    every 10th verse changed."""

    from tx_mkdocs import build
    from tx_mkdocs.core import search
    from tx_mkdocs.core.changes import Item, changes_html, compare, dump_record, load_record

    search.clear_cache()  # the stages before left this Bible's sections cut
    may_fork, build.may_fork = build.may_fork, lambda: False
    try:
        site = build.build_site(FULL_BIBLE)
    finally:
        build.may_fork = may_fork
    search.clear_cache()
    start = time.perf_counter()
    for page in site.pages:
        search.search_entries(page)
    cutting = time.perf_counter() - start
    edited = [i if n % 10 else i._replace(text=i.text + " more")
              for n, i in enumerate(site.items)]
    old, new = dump_record(site.items), dump_record(edited)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        changes = compare(load_record(old), load_record(new))
        changes_html(changes, changes.summary("0" * 10), "../old/")
        times.append(time.perf_counter() - start)
    assert len(changes.changed) > 2_000 and isinstance(site.items[0], Item)
    return site.timings["record"], cutting, statistics.median(times)


def bench_build() -> tuple[float, float, float]:
    """Seconds of a whole build, its peak RSS in MB, and the seconds its process spent on the
    content record (build_log.json's ``timings.record``: made here, or forking the process
    that makes it beside the build and waiting for its bytes)."""
    times, records = [], []
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(RUNS):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "tx_mkdocs.cli", "build", str(FULL_BIBLE),
                            "--site-dir", f"{tmp}/site{i}"], check=True, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
            log = json.loads(Path(tmp, f"site{i}", "build_log.json").read_text(encoding="utf-8"))
            records.append(log["timings"]["record"])
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return statistics.median(times), peak_mb, statistics.median(records)


def _row_id(i: int) -> str:
    """The ``i``-th well-formed row ID (a letter, then three of ``[a-z0-9]``)."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join((alphabet[(i // 36**2) % 26], alphabet[(i // 36) % 36], alphabet[i % 36],
                    "x"))


def _whole_bible_tn(folder: Path) -> Path:
    """A tN repository of 66 books made of the en_tn sample's rows (IDs made unique)."""
    from tx_mkdocs.core.books import BOOKS

    files = sorted(EN_TN.glob("tn_*.tsv"))
    header = files[0].read_text(encoding="utf-8").splitlines()[0]
    rows = [line for f in files for line in f.read_text(encoding="utf-8").splitlines()[1:]]
    books = list(BOOKS)[:66]
    per_book = HELPS_ROWS // len(books)
    tsv = {}
    for code in books:
        lines = [header]
        for i in range(per_book):
            cells = rows[i % len(rows)].split("\t")
            cells[1] = _row_id(i)  # unique in the book, well formed: no warnings of our making
            lines.append("\t".join(cells))
        tsv[code] = lines
    return _write_tn(folder, tsv)


def _write_tn(folder: Path, books: dict[str, list[str]]) -> Path:
    """A tN repository of these books (code → TSV lines), with en_tn's manifest."""
    projects = [f"  - identifier: {code.lower()}\n    path: ./tn_{code}.tsv\n"
                f"    sort: {n}\n    title: {code}\n" for n, code in enumerate(books, 1)]
    for code, lines in books.items():
        (folder / f"tn_{code}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest = (EN_TN / "manifest.yaml").read_text(encoding="utf-8").split("\nprojects:")[0]
    (folder / "manifest.yaml").write_text(f"{manifest}\nprojects:\n{''.join(projects)}",
                                          encoding="utf-8")
    return folder


def _tree_memory(pid: int) -> int:
    """Bytes of memory of process ``pid`` and all its descendants (Linux /proc): each one's
    proportional set size, so that pages shared by processes forked from one another (the
    helps workers, the record's process) count once, not once per process."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup", encoding="ascii") as rollup:
                total += next(int(line.split()[1]) * 1024 for line in rollup
                              if line.startswith("Pss:"))
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as kids:
                    todo.extend(int(k) for k in kids.read().split())
        except (OSError, ValueError, StopIteration):
            continue  # it ended meanwhile
    return total


def bench_helps_stage() -> tuple[float, float]:
    """Seconds of the helps stage on a whole-Bible tN (in a process of its own, as a build
    runs), and the peak memory of that process and any it starts (:func:`_tree_memory`), in MB."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = _whole_bible_tn(Path(tmp))
        proc = subprocess.Popen([sys.executable, __file__, "--helps-stage", str(repo)],
                                stdout=subprocess.PIPE, text=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_memory(proc.pid))
            time.sleep(0.02)
        out = proc.stdout.read() if proc.stdout else ""
        if proc.returncode:
            sys.exit(f"helps stage failed ({proc.returncode})")
    return float(out.split()[-1]), peak / 2**20


def _helps_stage(repo: Path) -> None:
    """The helps stage alone (``--helps-stage REPO``): prints its seconds."""
    from tx_mkdocs.build import build_site

    start = time.perf_counter()
    site = build_site(repo)
    elapsed = time.perf_counter() - start
    assert len([p for p in site.pages if p.template == "tn.html"]) == 66
    print(f"{elapsed:.3f}")


_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _aligned_tn(folder: Path) -> Path:
    """A tN of the 66 books of full_bible: on every verse, notes on runs of two original words
    as the alignment has them (each with its occurrence), the note texts the en_tn sample's."""
    from tx_mkdocs.core.books import book
    from tx_mkdocs.usfm.alignment import read_alignment

    files = sorted(EN_TN.glob("tn_*.tsv"))
    header = files[0].read_text(encoding="utf-8").splitlines()[0]
    notes = [line.split("\t")[6] for f in files
             for line in f.read_text(encoding="utf-8").splitlines()[1:]]
    tsv, row = {}, 0
    for usfm in sorted(FULL_BIBLE.glob("*.usfm")):
        code = usfm.stem.split("-")[1]
        if book(code) is None:
            continue
        lines = [header]
        verses = read_alignment(usfm.read_text(encoding="utf-8")).verses
        for (chapter, verse), aligned in verses.items():
            words = [key for key, _ in sorted(aligned.at.items(), key=lambda item: item[1])]
            for (first, occurrence), (second, _) in list(itertools.pairwise(words))[::4][:3]:
                row += 1
                digits = [_BASE36[len(lines) // 36 ** k % 36] for k in (2, 1, 0)]
                lines.append(f"{chapter}:{verse}\tt{''.join(digits)}\t\t\t{first} {second}\t"
                             f"{occurrence}\t{notes[row % len(notes)]}")
        tsv[code] = lines
    return _write_tn(folder, tsv)


def bench_related() -> tuple[float, float, int]:
    """(seconds GL quotes add to a whole-Bible tN build, seconds of the panel data of the whole
    Bible with that tN, rows)."""
    from tx_mkdocs.build import build_site
    from tx_mkdocs.core.links import ExternalSites
    from tx_mkdocs.versehelps import add_related

    with tempfile.TemporaryDirectory() as tmp:
        repo = _aligned_tn(Path(tmp))
        rows = sum(len(f.read_text(encoding="utf-8").splitlines()) - 1 for f in repo.glob("*.tsv"))
        # no content records: one made beside a build would run beside the next measurement
        start = time.perf_counter()
        build_site(repo, record=False)
        alone = time.perf_counter() - start
        start = time.perf_counter()
        site = build_site(repo, related=[FULL_BIBLE], record=False)
        with_bible = time.perf_counter() - start
        assert sum("tx-gl-quote" in page.html for page in site.pages) == 27  # the aligned NT
        bible = build_site(FULL_BIBLE, related=[repo], record=False)
        start = time.perf_counter()
        files = add_related(bible, FULL_BIBLE, [repo], ExternalSites())
        panel = time.perf_counter() - start - with_bible  # the tN's own build is counted above
        assert len(files) == 260  # every chapter of the New Testament
    return with_bible - alone, panel, rows


def _hostile_repos(folder: Path) -> dict[str, tuple[Path, int]]:
    """Repositories holding one worst-shape file at its size limit: name → (repo, its bytes)."""
    from tx_mkdocs.core.limits import MAX_FILE_BYTES, MAX_MARKDOWN_FILE_BYTES

    usfm_head = "\\id MAT\n\\h Matthew\n\\c 1\n\\p\n\\v 1 "
    figure = '\\fig a|src="x.jpg"\\fig*'
    divs = MAX_MARKDOWN_FILE_BYTES // 11 - 10
    shapes = {
        "nested <div>, tA article (1 MB)": ("ta", "<div>" * divs + "x" + "</div>" * divs),
        "unclosed <div>, one a line (1 MB)": ("ta", "<div>\n" * (MAX_MARKDOWN_FILE_BYTES // 7)),
        "\\fig on one line, USFM (1.8 MB)": ("usfm", usfm_head + figure * 80_000),
        "\\fig on one line, USFM (32 MB)": ("usfm", usfm_head + figure
                                           * ((MAX_FILE_BYTES - 100) // len(figure))),
    }
    repos = {}
    for i, (name, (kind, text)) in enumerate(shapes.items()):
        repo = folder / f"repo{i}"
        repo.mkdir()
        if kind == "ta":
            (repo / "translate" / "a").mkdir(parents=True)
            (repo / "translate" / "toc.yaml").write_text("sections:\n- title: A\n  link: a\n")
            (repo / "translate" / "a" / "title.md").write_text("A")
            path = repo / "translate" / "a" / "01.md"
            manifest = ("dublin_core: {identifier: ta, title: T, subject: Translation Academy,"
                        " format: text/markdown,\n  language: {identifier: en, title: English}}\n"
                        "projects:\n- {identifier: translate, path: ./translate, sort: 1, "
                        "title: T}\n")
        else:
            path = repo / "41-MAT.usfm"
            manifest = ("dublin_core: {identifier: ult, title: T, subject: Bible, format: "
                        "text/usfm,\n  language: {identifier: en, title: English}}\n")
        (repo / "manifest.yaml").write_text(manifest, encoding="utf-8")
        path.write_text(text, encoding="utf-8")
        repos[name] = (repo, len(text.encode()))
    return repos


def bench_hostile() -> dict[str, tuple[float, int]]:
    """Seconds of a whole `tx-mkdocs build` of each worst shape, and the size of its file."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (repo, size) in _hostile_repos(Path(tmp)).items():
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "tx_mkdocs.cli", "build", str(repo),
                            "--site-dir", f"{repo}-site"], check=True, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            results[name] = (time.perf_counter() - start, size)
    return results


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait(url: str, needle: str, timeout: float = 60.0) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            if needle in _get(url):
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.01)
    raise TimeoutError(f"{needle!r} not served at {url} within {timeout} s")


def _serve_edits(repo: Path, page: str, ready: str, book: Path,
                 edit: Callable[[str, str], str]) -> float:
    """Median seconds from saving ``book`` edited (``edit(text, word)`` puts ``word`` in it) to
    ``page`` of `tx-mkdocs serve` on ``repo`` showing ``word``."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "tx_mkdocs.cli", "serve", str(repo),
                             "-a", f"127.0.0.1:{port}"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/{page}"
    try:
        _wait(url, ready, timeout=300)
        times = []
        for i in range(RUNS):
            time.sleep(1.0)  # let the watcher settle
            word = f"benchword{i}"
            book.write_text(edit(book.read_text(encoding="utf-8"), word), encoding="utf-8")
            times.append(_wait(url, word))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return statistics.median(times)


def bench_serve() -> float:
    """A Bible book edited under `serve`."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp, "full_bible")
        shutil.copytree(FULL_BIBLE, repo)
        return _serve_edits(repo, "57-TIT.html", "056-ch-001-v-001", repo / "57-TIT.usfm",
                            lambda text, word: re.sub(r"(\\v 1\s)", rf"\g<1>{word} ", text,
                                                      count=1))


def bench_serve_tn() -> float:
    """One book of a whole-Bible tN edited under `serve` (the other 65 come from the cache)."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = _whole_bible_tn(Path(tmp))
        book = next(repo.glob("tn_TIT.tsv"))
        first_id = book.read_text(encoding="utf-8").split("\n")[1].split("\t")[1]
        return _serve_edits(repo, "57-TIT.html", f'id="{first_id}"', book, _edit_first_note)


def _edit_first_note(text: str, word: str) -> str:
    """The TSV with ``word`` at the start of its first row's note (the last column)."""
    header, first, rest = text.split("\n", 2)
    cells = first.split("\t")
    cells[-1] = f"{word} {cells[-1]}"
    return "\n".join((header, "\t".join(cells), rest))


def bench_first_load() -> tuple[int, int]:
    """Bytes of a first load of full_bible's 43-LUK.html (Playwright, Debian's Chromium), and of
    the site's search index (not part of it)."""
    sys.path.insert(0, str(ROOT))
    from tests.browser_support import DESKTOP, browsing, first_load_bytes

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "tx_mkdocs.cli", "build", str(FULL_BIBLE),
                        "--site-dir", f"{tmp}/site"], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        index = (Path(tmp) / "site" / "search" / "search_index.json").stat().st_size
        with browsing(Path(tmp) / "site") as (base, browser):
            sizes = first_load_bytes(browser, base + "43-LUK.html", **DESKTOP)
    return sum(sizes.values()), index


def print_hostile() -> None:
    for name, (seconds, size) in bench_hostile().items():
        per_mb = seconds / (size / 2**20)
        print(f"hostile: {name:34} {seconds:6.2f} s, {per_mb:5.2f} s/MB "
              f"(target ≤ {TARGETS['hostile']} s/MB: {_verdict(per_mb, TARGETS['hostile'])})")


def bench_pdf(repo: Path) -> tuple[float, float, float]:
    """``tx-mkdocs build REPO --pdf`` in a fresh process: seconds, CPU seconds (the fairer
    figure on a loaded machine) and the peak memory of its process tree (the build and its
    Typst workers), sampled every 0.1 s."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "tx_mkdocs.cli", "build", str(repo),
                                    "--pdf", "--site-dir", f"{tmp}/site"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = 0.0
        while process.poll() is None:
            peak = max(peak, _tree_memory(process.pid) / 1e6)
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        made = len(list(Path(tmp, "site", "pdf").glob("*.pdf")))
    assert process.returncode == 0 and made > 1, (process.returncode, made)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
    return seconds, cpu, peak


def print_pdf() -> None:
    four, cpu, _ = bench_pdf(EN_ULT)
    print(f"PDF: en_ult (4 books) build --pdf:  {four:.2f} s, {cpu:.1f} s CPU "
          f"(target ≤ {TARGETS['pdf_4_books']} s: {_verdict(four, TARGETS['pdf_4_books'])})")
    bible, cpu, tree = bench_pdf(FULL_BIBLE)
    print(f"PDF: 66 books build --pdf:          {bible:.2f} s, {cpu:.1f} s CPU "
          f"(target ≤ {TARGETS['pdf_bible']} s: {_verdict(bible, TARGETS['pdf_bible'])})")
    print(f"PDF: peak memory (PSS) of the tree: {tree:.0f} MB "
          f"(target ≤ {TARGETS['pdf_tree_mb']:.0f} MB: {_verdict(tree, TARGETS['pdf_tree_mb'])})")


def main() -> None:
    if "--hostile" in sys.argv:
        print_hostile()
        return
    if "--helps-stage" in sys.argv:
        _helps_stage(Path(sys.argv[sys.argv.index("--helps-stage") + 1]))
        return
    if "--pdf" in sys.argv:
        print_pdf()
        return
    if not FULL_BIBLE.is_dir():
        sys.exit(f"full_bible sample not found at {FULL_BIBLE}")
    usfm = bench_usfm_stage()
    print(f"USFM stage (66 books → page HTML): {usfm:.2f} s "
          f"(target ≤ {TARGETS['usfm']} s: {_verdict(usfm, TARGETS['usfm'])})")
    build, rss, in_build = bench_build()
    print(f"whole tx-mkdocs build:             {build:.2f} s "
          f"(target ≤ {TARGETS['build']} s: {_verdict(build, TARGETS['build'])})")
    record, cutting, seconds = bench_record()
    share = 100 * in_build / build
    print(f"content record:                    {share:.1f} % added to the build "
          f"(target ≤ {TARGETS['record_share']} %: {_verdict(share, TARGETS['record_share'])}): "
          f"{in_build:.2f} s of the build's process; its own work {record - cutting:.2f} s "
          f"(+{cutting:.2f} s cutting the pages into sections, which the search index reuses), "
          "beside the build on the other CPU")
    print(f"two whole Bibles compared:         {seconds:.2f} s "
          f"(target ≤ {TARGETS['compare']} s: {_verdict(seconds, TARGETS['compare'])})")
    print(f"peak RSS of the build:             {rss:.0f} MB "
          f"(target ≤ {TARGETS['rss']:.0f} MB: {_verdict(rss, TARGETS['rss'])})")
    serve = bench_serve()
    print(f"serve: edit → new page served:     {serve:.2f} s "
          f"(target ≤ {TARGETS['serve']} s: {_verdict(serve, TARGETS['serve'])})")
    if EN_TN.is_dir():
        serve_tn = bench_serve_tn()
        print(f"serve: one tN book of 66 edited → served: {serve_tn:.2f} s "
              f"(target ≤ {TARGETS['serve_tn']} s: {_verdict(serve_tn, TARGETS['serve_tn'])})")
    loaded, index = bench_first_load()
    print(f"first load of 43-LUK.html:         {loaded / 1000:.0f} kB, fonts aside "
          f"(target ≤ {TARGETS['first_load_kb']:.0f} kB: "
          f"{_verdict(loaded / 1000, TARGETS['first_load_kb'])}); "
          f"search index {index / 1e6:.1f} MB, fetched when search is opened")
    if EN_TN.is_dir():
        helps, helps_rss = bench_helps_stage()
        print(f"helps stage ({HELPS_ROWS} tN rows → HTML): {helps:.2f} s "
              f"(target ≤ {TARGETS['helps']} s: {_verdict(helps, TARGETS['helps'])})")
        print(f"peak memory (PSS) of the helps stage and its processes: {helps_rss:.0f} MB "
              f"(target ≤ {TARGETS['helps_rss']:.0f} MB: "
              f"{_verdict(helps_rss, TARGETS['helps_rss'])})")
        gl, panel, rows = bench_related()
        print(f"--with: GL quotes of {rows} tN rows:  +{gl:.2f} s "
              f"(target ≤ {TARGETS['gl_quotes']} s: {_verdict(gl, TARGETS['gl_quotes'])})")
        print(f"--with: verse helps of the Bible:  +{panel:.2f} s beyond the tN's build "
              f"(target ≤ {TARGETS['panel']} s: {_verdict(panel, TARGETS['panel'])})")
    print_hostile()
    print_pdf()


if __name__ == "__main__":
    main()
