"""Shared pieces of the book-based helps tests (tN, tQ, TWL, SN, SQ)."""

from __future__ import annotations

from pathlib import Path

from tx_mkdocs.build import build_site
from tx_mkdocs.core.model import Site

from .helpers import HREF, build_log, content_html, content_pages, ids, visible_text


def pages(site: Path) -> dict[str, str]:
    """Content HTML of each book page of a built site, checked for what must never show."""
    out = {}
    for name in content_pages(build_log(site)):
        fragment = content_html(site / name)
        page_ids = ids(fragment)
        assert len(page_ids) == len(set(page_ids)), f"duplicate ids in {name}"
        assert "rc://" not in visible_text(fragment), name
        assert not [h for h in HREF.findall(fragment) if "rc://" in h or "#tx-link-" in h], name
        out[name] = fragment
    return out


def tsv_ids(path: Path) -> list[str]:
    """The ID column of a TSV file (header excluded)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    column = lines[0].split("\t").index("ID")
    return [line.split("\t")[column] for line in lines[1:] if line.strip()]


def make_repo(root: Path, identifier: str, subject: str, files: dict[str, str],
              projects: list[tuple[str, str]] | None = None) -> Path:
    """An invented RC: ``files`` (path → text) and a manifest listing ``projects`` (id, path)."""
    root.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    items = "".join(f"  - identifier: {code}\n    path: ./{path}\n"
                    for code, path in projects or [])
    (root / "manifest.yaml").write_text(
        "dublin_core:\n"
        f"  identifier: {identifier}\n"
        f"  subject: {subject}\n"
        f"  title: Invented {identifier}\n"
        "  language: {identifier: en, title: English, direction: ltr}\n"
        f"projects:\n{items or '  []'}\n", encoding="utf-8")
    return root


def site_of(repo: Path) -> Site:
    """The core's site model of ``repo`` (no MkDocs: fast)."""
    return build_site(repo)


def messages(site: Site) -> list[str]:
    return [m.format() for m in site.log.messages]
