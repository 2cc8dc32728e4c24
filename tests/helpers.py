"""Small helpers for reading built sites in tests."""

from __future__ import annotations

import html
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_TAG = re.compile(r"<[^>]+>")
_ID = re.compile(r'\sid="([^"]+)"')
#: The href values of a fragment.
HREF = re.compile(r'\shref="([^"]*)"')


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
