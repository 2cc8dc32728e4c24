"""Our own UI words (tx_mkdocs/uiwords.py): complete rows, Material's codes, used by the site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tx_mkdocs import theme as theme_module
from tx_mkdocs.theme import templates_dir, ui_language
from tx_mkdocs.uiwords import ENGLISH, TRANSLATIONS, ui_words
from tx_mkdocs.usfm.chapters import chapter_heading


@pytest.mark.parametrize("code", sorted(TRANSLATIONS))
def test_a_row_has_every_word_and_the_same_numbers(code):
    row = TRANSLATIONS[code]
    assert set(row) == set(ENGLISH)
    for key, text in row.items():
        assert text.strip(), key
        assert text.count("{}") == ENGLISH[key].count("{}"), key
    assert ui_language(code) == code  # a code Material ships


def test_words_of_a_site():
    assert ui_words("es") == ("es", TRANSLATIONS["es"])
    assert ui_words("pt-BR") == ("pt", TRANSLATIONS["pt"])
    assert ui_words("ku-IQ") == ("ckb", TRANSLATIONS["ku-IQ"])  # Material's code, Sorani's lang
    assert ui_words("nl") == ("en", ENGLISH)  # none of ours in Dutch: English


def test_every_word_the_templates_and_scripts_ask_for_exists():
    root = templates_dir()
    text = "".join(p.read_text(encoding="utf-8") for p in [*root.rglob("*.html"),
                                                           *root.glob("assets/javascripts/*.js")])
    asked = set(re.findall(r"\bw\.([a-z_]+)", text)) | set(re.findall(r'word\("([a-z_]+)"\)', text))
    asked |= set(re.findall(r"\.ui\.([a-z_]+)", text))
    theme = Path(theme_module.__file__).read_text(encoding="utf-8")  # the palette, downloads
    asked |= set(re.findall(r'"name": "([a-z_]+)"', theme))
    asked |= set(re.findall(r'\)\[1\]\["([a-z_]+)"\]', theme))
    assert asked and asked <= set(ENGLISH), asked - set(ENGLISH)
    assert not (set(ENGLISH) - asked), "words nobody uses"


@pytest.mark.parametrize("code", sorted(TRANSLATIONS))
def test_a_rows_chapter_is_the_chapter_heading_of_its_language(code):
    """The picker's "Chapter N" and the Bible's default headings say the same."""
    lang, row = ui_words(code)
    assert chapter_heading("{}", lang, psalms=False) == row["chapter"]
