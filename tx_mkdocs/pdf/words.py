"""The words a PDF prints of its own — the title page's labels and the contents' heading — in
the content's language where we know them, else English.

Keyed like the site's UI words (the Material UI language of the content's language,
:func:`tx_mkdocs.theme.ui_language`), with complete rows and ``pdf_`` keys, so that the rows
can be folded into that table (``tx_mkdocs/uiwords.py``) as they are. Add a language only with
words you know.
"""

from __future__ import annotations

ENGLISH: dict[str, str] = {
    "pdf_contents": "Contents",
    "pdf_version": "Version",
    "pdf_license": "License",
    "pdf_creator": "Creator",
    "pdf_publisher": "Publisher",
    "pdf_contributors": "Contributors",
    "pdf_sources": "Sources",
    "pdf_date": "Date",
}

#: Material language code → the words in it (complete rows).
TRANSLATIONS: dict[str, dict[str, str]] = {
    "es": {"pdf_contents": "Contenido", "pdf_version": "Versión", "pdf_license": "Licencia",
           "pdf_creator": "Creador", "pdf_publisher": "Editorial",
           "pdf_contributors": "Colaboradores", "pdf_sources": "Fuentes", "pdf_date": "Fecha"},
    "fr": {"pdf_contents": "Table des matières", "pdf_version": "Version",
           "pdf_license": "Licence", "pdf_creator": "Créateur", "pdf_publisher": "Éditeur",
           "pdf_contributors": "Contributeurs", "pdf_sources": "Sources", "pdf_date": "Date"},
    "pt": {"pdf_contents": "Sumário", "pdf_version": "Versão", "pdf_license": "Licença",
           "pdf_creator": "Criador", "pdf_publisher": "Editora",
           "pdf_contributors": "Colaboradores", "pdf_sources": "Fontes", "pdf_date": "Data"},
    "de": {"pdf_contents": "Inhalt", "pdf_version": "Version", "pdf_license": "Lizenz",
           "pdf_creator": "Urheber", "pdf_publisher": "Herausgeber",
           "pdf_contributors": "Mitwirkende", "pdf_sources": "Quellen", "pdf_date": "Datum"},
    "ru": {"pdf_contents": "Содержание", "pdf_version": "Версия", "pdf_license": "Лицензия",
           "pdf_creator": "Автор", "pdf_publisher": "Издатель",
           "pdf_contributors": "Участники", "pdf_sources": "Источники", "pdf_date": "Дата"},
    "id": {"pdf_contents": "Daftar Isi", "pdf_version": "Versi", "pdf_license": "Lisensi",
           "pdf_creator": "Pembuat", "pdf_publisher": "Penerbit",
           "pdf_contributors": "Kontributor", "pdf_sources": "Sumber", "pdf_date": "Tanggal"},
    "zh": {"pdf_contents": "目录", "pdf_version": "版本", "pdf_license": "许可证",
           "pdf_creator": "创作者", "pdf_publisher": "出版者", "pdf_contributors": "贡献者",
           "pdf_sources": "来源", "pdf_date": "日期"},
    "ar": {"pdf_contents": "المحتويات", "pdf_version": "الإصدار", "pdf_license": "الترخيص",
           "pdf_creator": "المنشئ", "pdf_publisher": "الناشر",
           "pdf_contributors": "المساهمون", "pdf_sources": "المصادر", "pdf_date": "التاريخ"},
}
#: Material codes that share a row.
_SAME = {"pt-BR": "pt"}


def pdf_words(ui_language: str) -> dict[str, str]:
    """The words for content whose Material UI language is ``ui_language``: its row where
    there is one, else English."""
    return TRANSLATIONS.get(_SAME.get(ui_language, ui_language), ENGLISH)
