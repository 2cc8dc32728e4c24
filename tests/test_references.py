"""The site's reference table (references.json): what a typed reference resolves against."""

from __future__ import annotations

import json
from pathlib import Path

from tx_mkdocs.build import build_site
from tx_mkdocs.core.books import ABBREVIATIONS, BOOKS
from tx_mkdocs.core.references import REFERENCES_FILE, reference_table

from .helpers import EXAMPLE, build_cli, require_shared


def test_example_bible_table_has_own_and_english_names_and_verse_runs():
    table = reference_table(build_site(EXAMPLE))
    assert table is not None
    second = table["books"][0]
    assert (second["code"], second["page"], second["title"]) == ("2JN", "64-2JN.html", "2 John")
    # \h, \toc1-3 of the book itself, then the English name and abbreviations, once each
    assert second["names"] == ["2 John", "The Second Letter of John", "2Jn"]
    number, chapter_id, label, runs = second["chapters"][0]
    assert (number, chapter_id, label) == (1, "063-ch-001", "1")
    assert runs[0][0] == 1 and runs[-1][1] >= 6


def test_spanish_names_and_bridged_verses(tmp_path: Path):
    repo = tmp_path / "es"
    repo.mkdir()
    (repo / "manifest.yaml").write_text(
        "dublin_core: {conformsto: rc0.2, format: text/usfm, identifier: x, subject: Bible,\n"
        "  language: {identifier: es, title: Español, direction: ltr}, title: X, type: bundle}\n"
        "projects: [{identifier: jhn, path: ./44-JHN.usfm, title: Juan}]\n", encoding="utf-8")
    (repo / "44-JHN.usfm").write_text(
        "\\id JHN\n\\h Juan\n\\toc1 El Evangelio según Juan\n\\toc3 Jn\n\\c 3\n\\p\n"
        "\\v 1 uno\n\\v 2-3 dos y tres\n\\v 4 cuatro\n\\v 16 dieciséis\n", encoding="utf-8")
    build_cli(repo, tmp_path / "site")
    table = json.loads((tmp_path / "site" / REFERENCES_FILE).read_text(encoding="utf-8"))
    (john,) = table["books"]
    assert john["names"][:3] == ["Juan", "El Evangelio según Juan", "Jn"]
    assert "John" in john["names"]
    assert john["chapters"] == [[3, "043-ch-003", "3", [[1, 2], [4, 4], [16, 16]]]]


def test_no_table_without_a_bible(tmp_path: Path):
    build_cli(require_shared() / "en_tq", tmp_path / "site")
    assert not (tmp_path / "site" / REFERENCES_FILE).exists()


def test_abbreviations_are_of_known_books_and_not_mere_prefixes():
    for code, abbreviations in ABBREVIATIONS.items():
        info = BOOKS[code]
        for abbreviation in abbreviations:
            assert not info.name.lower().startswith(abbreviation.lower()), (code, abbreviation)
            assert abbreviation.replace(" ", "").upper() != code
