"""Browser tests' support: build sites through the CLI, serve them on 127.0.0.1, drive Chromium.

Chromium is Debian's (``apt-get install chromium``, done by ``.ci/run``); Playwright's Python
package brings its own driver, and ``playwright install`` (a download) is never needed.
Without Playwright or Chromium the browser tests skip, except under ``CI=true`` where they fail.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .helpers import ROOT

#: Screenshots and PDFs for people to look at (git-ignored).
OUTPUT = ROOT / "test-output" / "browser"

#: Read as a reader would, at a desktop's and at a phone's width.
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 2}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]



def skip_or_fail(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true: browser tests must run, but {reason}")
    pytest.skip(reason)


def chromium_path() -> str:
    """Debian's Chromium (or $TX_CHROMIUM); skips (fails under CI) when there is none."""
    for candidate in (os.environ.get("TX_CHROMIUM"), shutil.which("chromium"),
                      "/usr/bin/chromium", "/usr/lib/chromium/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    skip_or_fail("no Chromium found (apt-get install chromium)")
    raise AssertionError  # unreachable


def require_playwright():
    try:
        from playwright import sync_api
    except ImportError:
        skip_or_fail("playwright is not installed (pip install -e '.[test]')")
    return sync_api


# --------------------------------------------------------------------------- building sites


@dataclass
class Build:
    """One CLI build: repository → site folder."""

    repo: Path
    site: Path
    commit: str
    ref: str = "master"
    owner: str = "test"
    name: str | None = None
    #: "tag": a release build (the ref comes from the CI environment, as a tag push sets it).
    ref_type: str = ""
    #: Resources built together with it (``--with``).
    related: list[Path] = field(default_factory=list)


def build_sites(builds: list[Build]) -> None:
    """Run ``tx-mkdocs build`` for every build, in parallel processes (one per CPU)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

    def run(b: Build) -> tuple[Build, subprocess.CompletedProcess]:
        args = [sys.executable, "-m", "tx_mkdocs.cli", "build", str(b.repo), "--site-dir",
                str(b.site), "--owner", b.owner, "--repo", b.name or b.repo.name,
                "--commit", b.commit]
        ci = {"GITHUB_REF_NAME": b.ref, "GITHUB_REF_TYPE": b.ref_type} if b.ref_type else {}
        args += [] if b.ref_type else ["--ref", b.ref]
        args += [arg for path in b.related for arg in ("--with", str(path))]
        return b, subprocess.run(args, capture_output=True, text=True, env={**env, **ci},
                                 cwd=ROOT, timeout=300)

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        for b, done in pool.map(run, builds):
            assert done.returncode == 0, f"build of {b.repo.name} failed:\n{done.stderr}"


def write_mini_bible(folder: Path, *, code: str, title: str, direction: str, book_name: str,
                     verses: list[str]) -> Path:
    """A one-chapter Genesis RC in a language no sample has (Amharic, Chinese, …)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.yaml").write_text(
        "dublin_core:\n"
        "  conformsto: 'rc0.2'\n  format: 'text/usfm'\n  identifier: 'mini'\n"
        f"  language: {{direction: '{direction}', identifier: '{code}', title: '{title}'}}\n"
        "  rights: 'CC BY-SA 4.0'\n  subject: 'Bible'\n"
        f"  title: 'Mini {code}'\n  type: 'bundle'\n  version: '1'\n"
        "projects:\n"
        f"  - {{title: '{book_name}', identifier: 'gen', sort: 1, path: './01-GEN.usfm',"
        " categories: ['bible-ot']}\n", encoding="utf-8")
    text = "\n".join(f"\\v {i} {v}" for i, v in enumerate(verses, 1))
    (folder / "01-GEN.usfm").write_text(
        f"\\id GEN\n\\h {book_name}\n\\mt {book_name}\n\\c 1\n\\p\n{text}\n", encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- serving


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler,
                                                                     directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def published_path(name: str, commit: str) -> str:
    """Where a site is published: ``u/<owner>/<repo>/<commit10>/`` (owner ``test``)."""
    return f"u/test/{name}/{commit[:10]}/"


def require_browser() -> None:
    """Skip (fail under CI) before building anything when Playwright or Chromium is missing."""
    require_playwright()
    chromium_path()


@contextmanager
def built_and_served(root: Path, builds: list[Build]) -> Iterator[tuple[str, object]]:
    """The sites built (:func:`build_sites`), ``root`` served and a Chromium (:func:`browsing`);
    the screenshot folder made."""
    build_sites(builds)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with browsing(root) as served:
        yield served


@contextmanager
def browsing(root: Path) -> Iterator[tuple[str, object]]:
    """``root`` served (:func:`serve`) and a Chromium: (base URL, browser)."""
    sync_api = require_playwright()
    executable = chromium_path()
    with serve(root) as base, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield base, browser
        finally:
            browser.close()


# --------------------------------------------------------------------------- watching pages


@dataclass
class PageWatch:
    """Console errors, uncaught exceptions and every request of one page."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, page) -> PageWatch:
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))
        return self

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console.error: {message.text} "
                               f"({message.location.get('url', '')})")

    def external(self) -> list[str]:
        """Requests that leave 127.0.0.1 (data: and blob: URLs stay in the page)."""
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.scheme not in ("http", "https") or parts.hostname != "127.0.0.1":
                out.append(url)
        return out

    def assert_clean(self) -> None:
        assert not self.errors, "\n".join(self.errors)
        assert self.requests, "no request was recorded"
        assert not self.external(), f"requests left 127.0.0.1: {self.external()}"


# --------------------------------------------------------------------------- first loads


def first_load_bytes(browser, url: str, **context) -> dict[str, int]:
    """Bytes (bodies and headers) each request of a first visit to ``url`` transferred, in a
    fresh context, once the network is idle; fonts are not counted (the site ships none)."""
    ctx = browser.new_context(**context)
    try:
        page = ctx.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="networkidle")
        sizes = {}
        for response in responses:
            if response.request.resource_type == "font":
                continue
            size = response.request.sizes()
            sizes[response.url] = size["responseBodySize"] + size["responseHeadersSize"]
        return sizes
    finally:
        ctx.close()


@contextmanager
def page_opener(base: str, browser, *, clean: bool = True) -> Iterator[Callable[..., object]]:
    """Yields ``open(path, width="desktop", *, route=None, pattern="**/*",
    wait_until="load")``: each page in a browser context of its own (a reader width of
    :data:`WIDTHS`), watched; ``route`` handles the requests matching ``pattern``. At the end
    every context is closed and its watch checked: ``clean``, no errors and no request off
    127.0.0.1 (:meth:`PageWatch.assert_clean`); else no uncaught script error (pages whose
    picture host is cut off log failed loads)."""
    opened: list[tuple[object, PageWatch]] = []

    def open_page(path: str, width: str = "desktop", *, route=None, pattern: str = "**/*",
                  wait_until: str = "load"):
        context = browser.new_context(**WIDTHS[width])
        page = context.new_page()
        watch = PageWatch().attach(page)
        if route is not None:
            page.route(pattern, route)
        opened.append((context, watch))
        page.goto(base + path, wait_until=wait_until)
        return page

    try:
        yield open_page
    finally:
        for context, watch in opened:
            try:
                if clean:
                    watch.assert_clean()
                else:
                    assert not [e for e in watch.errors if e.startswith("pageerror")], \
                        watch.errors
            finally:
                context.close()
