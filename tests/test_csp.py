"""The Content-Security-Policy of every page, and the theme's scripts made files for it.

S3 serves no headers of ours, so the policy is a ``<meta http-equiv>`` in the head of every page
(tx_mkdocs/theme.py ``content_security_policy``). It allows no inline script: Material's inline
scripts are files in templates/assets/javascripts/theme/, kept equal to the installed Material's
here. That the browser refuses nothing on real sites is checked in Chromium by
tests/test_browser.py (every console error fails it) and tests/test_xss.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tx_mkdocs.theme import content_security_policy, templates_dir

from .helpers import BIBLE_SAMPLES, EXAMPLES, build_cli, free_ports

THEME_SCRIPTS = templates_dir() / "assets" / "javascripts" / "theme"
#: How Material's inline scripts differ from our files: the scope is read from the element.
MATERIAL_SCOPE = 'new URL("{{ config.extra.scope | d(base_url) }}",location)'
OUR_SCOPE = "new URL(document.currentScript.dataset.scope,location)"


def _code(script: str) -> str:
    """A script file without its leading comment."""
    return re.sub(r"\A/\*.*?\*/\s*", "", script, flags=re.S).strip()


@pytest.mark.parametrize("name", ["base", "content", "palette"])
def test_theme_scripts_are_materials_inline_scripts(name: str):
    import material

    partial = Path(material.__file__).parent / "templates/partials/javascripts" / f"{name}.html"
    inline = re.findall(r"^<script>(.*)</script>$", partial.read_text(encoding="utf-8"), re.M)
    ours = _code((THEME_SCRIPTS / f"{name}.js").read_text(encoding="utf-8"))
    # content.html's first script belongs to content.tabs.link, which no site of ours turns on
    assert inline[-1].replace(MATERIAL_SCOPE, OUR_SCOPE) == ours


class _Head(HTMLParser):
    """The CSP meta (and whether it came before any script) and the inline scripts of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.csp: str | None = None
        self.script_before_csp = False
        self.inline: list[str] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == \
                "content-security-policy":
            self.csp = values.get("content")
        if tag == "script":
            self.script_before_csp |= self.csp is None
            self._in_script = values

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        script = self._in_script
        if script is not None and not script.get("src") and script.get("type") != \
                "application/json" and data.strip():
            self.inline.append(data.strip()[:80])


def _check_pages(site: Path, policy: str) -> list[str]:
    problems = []
    pages = sorted(site.rglob("*.html"))
    assert pages
    for page in pages:
        head = _Head()
        head.feed(page.read_text(encoding="utf-8"))
        if head.csp != policy:
            problems.append(f"{page.name}: CSP {head.csp!r}")
        if head.script_before_csp:
            problems.append(f"{page.name}: a script before the CSP")
        problems += [f"{page.name}: inline script {s!r}" for s in head.inline]
    return problems


def test_every_page_has_the_policy_and_no_inline_script(tmp_path: Path):
    build_cli(EXAMPLES / "bible", tmp_path / "site")
    assert not _check_pages(tmp_path / "site", content_security_policy())


@pytest.mark.slow
@pytest.mark.parametrize("sample", ["en_tn", "en_ta", "en_tw", "en_obs", BIBLE_SAMPLES[0]])
def test_samples_have_the_policy_and_no_inline_script(built_sample, sample: str):
    assert not _check_pages(built_sample(sample), content_security_policy())


def test_the_policy():
    policy = dict(part.split(" ", 1) for part in content_security_policy().split("; "))
    assert policy["script-src"] == "'self'"
    assert policy["worker-src"] == "'self'"  # a forged data: search worker cannot start
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'none'"
    assert "https:" in policy["img-src"]  # OBS pictures and tA figures on cdn.door43.org
    local = dict(part.split(" ", 1)
                 for part in content_security_policy(remote_images=False).split("; "))
    assert local["img-src"] == "'self' data:"
    serving = content_security_policy(inline_scripts=True)
    assert "script-src 'self' 'unsafe-inline'" in serving  # mkdocs serve's live reload


def test_no_remote_images_option(tmp_path: Path):
    build_cli(EXAMPLES / "bible", tmp_path / "site", "--no-remote-images")
    assert not _check_pages(tmp_path / "site", content_security_policy(remote_images=False))


@pytest.mark.slow
def test_serve_allows_its_live_reload(tmp_path: Path):
    """``serve`` injects its live reload as an inline script: there the policy allows it."""
    (port,) = free_ports(1)
    server = subprocess.Popen(
        [sys.executable, "-m", "tx_mkdocs.cli", "serve", str(EXAMPLES / "bible"), "--dev-addr",
         f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        page = ""
        for _ in range(240):  # a generous bound, only to catch a hang
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html") as answer:
                    page = answer.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.5)
        head = _Head()
        head.feed(page)
        assert head.csp == content_security_policy(inline_scripts=True)
        assert any("livereload" in s for s in head.inline)
    finally:
        server.terminate()
        server.wait(timeout=30)
