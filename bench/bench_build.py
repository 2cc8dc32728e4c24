"""Speed figures on ../shared/samples/full_bible (66 books): `make bench`.

Prints, as the median of 3 runs:
- the USFM stage: read → page HTML for all books (the core's build_site, in process);
- the whole `tx-mkdocs build` (a fresh process each time) and its peak RSS;
- `tx-mkdocs serve`: seconds from saving an edited book to the new text being served.
"""

from __future__ import annotations

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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FULL_BIBLE = ROOT.parent / "shared" / "samples" / "full_bible"
TARGETS = {"usfm": 1.5, "build": 4.0, "rss": 600.0, "serve": 1.0}
RUNS = 3


def _verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER TARGET"


def bench_usfm_stage() -> float:
    from tx_mkdocs.core.site import build_site

    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        site = build_site(FULL_BIBLE)
        times.append(time.perf_counter() - start)
    assert len([p for p in site.pages if p.template == "bible.html"]) == 66
    return statistics.median(times)


def bench_build() -> tuple[float, float]:
    times = []
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(RUNS):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "tx_mkdocs.cli", "build", str(FULL_BIBLE),
                            "--site-dir", f"{tmp}/site{i}"], check=True, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return statistics.median(times), peak_mb


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


def bench_serve() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp, "full_bible")
        shutil.copytree(FULL_BIBLE, repo)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        proc = subprocess.Popen([sys.executable, "-m", "tx_mkdocs.cli", "serve", str(repo),
                                 "-a", f"127.0.0.1:{port}"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/57-TIT.html"
        try:
            _wait(url, "056-ch-001-v-001")
            book = repo / "57-TIT.usfm"
            times = []
            for i in range(RUNS):
                time.sleep(1.0)  # let the watcher settle
                word = f"benchword{i}"
                text = book.read_text(encoding="utf-8")
                book.write_text(re.sub(r"(\\v 1\s)", rf"\g<1>{word} ", text, count=1),
                                encoding="utf-8")
                times.append(_wait(url, word))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return statistics.median(times)


def main() -> None:
    if not FULL_BIBLE.is_dir():
        sys.exit(f"full_bible sample not found at {FULL_BIBLE}")
    usfm = bench_usfm_stage()
    print(f"USFM stage (66 books → page HTML): {usfm:.2f} s "
          f"(target ≤ {TARGETS['usfm']} s: {_verdict(usfm, TARGETS['usfm'])})")
    build, rss = bench_build()
    print(f"whole tx-mkdocs build:             {build:.2f} s "
          f"(target ≤ {TARGETS['build']} s: {_verdict(build, TARGETS['build'])})")
    print(f"peak RSS of the build:             {rss:.0f} MB "
          f"(target ≤ {TARGETS['rss']:.0f} MB: {_verdict(rss, TARGETS['rss'])})")
    serve = bench_serve()
    print(f"serve: edit → new page served:     {serve:.2f} s "
          f"(target ≤ {TARGETS['serve']} s: {_verdict(serve, TARGETS['serve'])})")


if __name__ == "__main__":
    main()
