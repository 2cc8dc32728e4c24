"""PDFs (tx_mkdocs/pdf, docs/pdf.md): the data the template reads, every verse in the book PDFs
in order, fonts embedded, repository text never Typst code, the Downloads menu, a failed PDF
that costs nothing else. Page images for a person to look at go to test-output/pdf/."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import unicodedata
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from tx_mkdocs.build import build_site
from tx_mkdocs.cli import main
from tx_mkdocs.core.log import BuildLog
from tx_mkdocs.pdf import PDF_DIR, _made, write_pdfs
from tx_mkdocs.pdf import typeset as typeset_module
from tx_mkdocs.pdf.document import Converter, Node, parse, text_of
from tx_mkdocs.pdf.textlayer import ContentError, _replace_streams, repair, repair_content
from tx_mkdocs.pdf.typeset import Job, PdfCache
from tx_mkdocs.pdf.words import ENGLISH, TRANSLATIONS

from .helpers import ROOT, build_log

OUTPUT = ROOT / "test-output" / "pdf"
#: Left-to-right Bible samples: pdftotext gives every verse's words in order.
LTR_BIBLES = ["en_ult", "en_ust", "en_ulb", "bdf_reg", "ceb_ulb", "el-x-koine_ugnt"]
#: Right-to-left ones: pdftotext gives every verse's words once its lines are read in logical
#: order (:func:`_logical`); the pointed Hebrew one's thanks to the text layer's repair
#: (tx_mkdocs/pdf/textlayer.py).
RTL_BIBLES = ["hbo_uhb", "ckb_2pe_text_reg"]
_EMBEDDING = re.compile("[\u202a-\u202e]+")
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def _pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _logical(text: str) -> str:
    """``pdftotext -raw`` text with its right-to-left lines in logical order. It writes a line
    in visual order, left to right, each right-to-left run between embedding marks
    (U+202B … U+202C); a word Typst set in several pieces (a letter drawn as glyphs of its own)
    is adjacent pieces with no space between. Reading a line's words, and each word's pieces,
    from the right gives the text as written."""
    lines = []
    for line in text.splitlines():
        words = line.split()
        if _RTL_LETTER.search(line):
            words = ["".join(reversed(_EMBEDDING.split(word))) for word in reversed(words)]
        lines.append(" ".join(words))
    return "\n".join(lines)


def _words(text: str) -> list[str]:
    """Words to compare: marks (points, accents) dropped, a word broken at its own hyphen at a
    line end joined, hyphens and joiners ignored; a word Typst hyphenated keeps its soft
    hyphen (U+00AD), to be joined with the rest of the word by :func:`_missing`."""
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.category(c).startswith("M"))
    text = text.replace("-\n", "-")
    text = re.sub("[-\u2010\u2011\u2060\u200b]", "", text)
    return re.findall(r"\w+\u00ad?", text)


def _verse_text(fragment: str) -> str:
    """A Bible page's verse text: headings, verse numbers, note callers and notes left out."""
    out: list[str] = []
    skip = {"v-num", "fn-caller", "xr-caller", "footnotes", "crossrefs"}

    def walk(node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                out.append(child)
            elif child.tag in ("nav", "h1", "h2", "h3", "h4") or skip & set(child.classes):
                out.append(" ")
            else:
                walk(child)

    walk(parse(fragment))
    return "".join(out)


def _missing(want: list[str], got: list[str]) -> str | None:
    """The first word of ``want`` that ``got`` lacks in order (None: all there). A word Typst
    hyphenated at a column's end continues later: its footnotes may come in between; a word
    with a footnote's caller (``a`` … ``z``, superscript) reads with it."""
    i = 0
    for k, word in enumerate(want):
        while i < len(got) and got[i] != word and not (
                got[i].startswith(word) and re.fullmatch("[a-z]{1,2}", got[i][len(word):])):
            head = got[i][:-1]
            if got[i].endswith("\u00ad") and word.startswith(head) and (
                    word[len(head):] in got[i + 1:i + 400]):
                i = got.index(word[len(head):], i + 1)
                break
            i += 1
        if i >= len(got):
            return f"word {k} of {len(want)}: {' '.join(want[max(0, k - 6):k + 3])!r}"
        i += 1
    return None


def _fonts_not_embedded(pdf: Path) -> list[str]:
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    return [row for row in rows if row.split()[-5] != "yes"]


def _pictures(pdf: Path, name: str, pages: str = "1-4") -> list[Path]:
    """Page images (60 dpi) for a person to look at, in test-output/pdf/."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    first, last = pages.split("-")
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", first, "-l", last, str(pdf),
                    str(OUTPUT / name)], check=True)
    return sorted(OUTPUT.glob(f"{name}-*.png"))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory, samples: Path):
    """The PDFs of a sample (built once per module): (site, folder, log)."""
    made: dict[tuple[str, Path | None], tuple] = {}

    def make(name: str, images: Path | None = None):
        if (name, images) not in made:
            site = build_site(samples / name)
            folder = tmp_path_factory.mktemp(name)
            log = BuildLog()
            files = write_pdfs(site, folder, log, images=images)
            made[name, images] = (site, folder, log, files)
        return made[name, images]

    return make


# --- the data: what the template reads ----------------------------------------------------

def test_verses_and_footnotes_become_data():
    html = ('<nav class="tx-chapter-grid"><a href="#c">1</a></nav>'
            '<div class="chapter"><h2 class="c-num" id="c">Chapter 1</h2>'
            '<p class="q1"><span class="v-num" id="v"><sup>1</sup>&nbsp;</span>Blessed '
            '<em>is</em> the man<sup class="fn-caller"><a href="#fn-1" id="ref-fn-1">a</a></sup>'
            ' who walks</p><div class="footnotes"><p class="footnote" id="fn-1">'
            '<a href="#ref-fn-1">a</a> <em class="fq">man </em><span class="ft">or person</span>'
            '</p></div></div>')
    blocks = Converter().convert(html)
    assert blocks[0] == {"k": "h", "l": 2, "c": ["Chapter 1"], "r": True}
    assert blocks[1]["s"] == "q1" and blocks[1]["c"] == [
        {"t": "v", "n": "1"}, "Blessed ", {"t": "i", "c": ["is"]}, " the man",
        {"t": "fn", "c": [{"t": "i", "c": ["man "]}, "or person"]}, " who walks"]
    assert len(blocks) == 2  # the chapter grid and the note list are not printed


# --- Typst never runs repository text --------------------------------------------------------

INJECTIONS = ['#read("/etc/passwd")', '#import "/etc/hosts": *', '#image("/etc/passwd")',
              '$x^2$ ] ) } #let x = 1', '<label> @ref *bold* _em_ `raw` \\ // comment',
              '#{ panic("injected") }', '#json("/etc/passwd")']


def _titus(repo: Path, usfm: str, *, title: str, rights: str = "CC BY-SA 4.0",
           language: str = "{identifier: en, title: English, direction: ltr}") -> Path:
    """A one-book Bible repository: ``usfm`` as Titus."""
    repo.mkdir()
    (repo / "57-TIT.usfm").write_text(usfm, encoding="utf-8")
    (repo / "manifest.yaml").write_text(
        f"dublin_core:\n  identifier: ult\n  title: '{title}'\n  subject: Bible\n"
        f"  language: {language}\n  rights: '{rights}'\n  version: '1'\n"
        "projects:\n  - {identifier: tit, path: ./57-TIT.usfm, title: Titus}\n",
        encoding="utf-8")
    return repo


def test_repository_text_is_printed_never_run(tmp_path: Path):
    verses = "\n".join(f"\\v {n} {text}" for n, text in enumerate(INJECTIONS, 1))
    site = build_site(_titus(
        tmp_path / "repo",
        f"\\id TIT\n\\h #read(\"/etc/passwd\")\n\\mt Titus\n\\c 1\n\\p\n{verses}\n"
        "\\v 8 note\\f + \\ft #import \"x.typ\"\\f*\n",
        title='#read("/etc/passwd") ]', rights='#panic("x")'))
    log = BuildLog()
    made = write_pdfs(site, tmp_path / "site", log)
    assert [f.path for f in made] == ["pdf/en_ult.pdf", "pdf/57-TIT.pdf"], log.warnings
    pdf = tmp_path / "site" / "pdf" / "57-TIT.pdf"
    text = _pdftotext(pdf, "-raw")
    assert _missing(_words(_verse_text(site.pages[1].html)), _words(text)) is None
    flat = re.sub(r"\s|\u00ad", "", text)
    for payload in ['#read("/etc/passwd")', '#image("/etc/passwd")', '#json("/etc/passwd")',
                    '#import"x.typ"', '#import"/etc/hosts":*', 'panic("injected")']:
        assert payload in flat
    assert "root:" not in text
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout
    assert len(images.splitlines()) == 2  # the header of the list: no image


@pytest.mark.slow
def test_serve_typesets_again_only_what_an_edit_changed(tmp_path: Path):
    repo = _titus(tmp_path / "repo", "\\id TIT\n\\h Titus\n\\c 1\n\\p\n\\v 1 Paul wrote.\n",
                  title="Bible")
    (repo / "65-3JN.usfm").write_text("\\id 3JN\n\\h 3 John\n\\c 1\n\\p\n\\v 1 The elder.\n",
                                      encoding="utf-8")
    with (repo / "manifest.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write("  - {identifier: 3jn, path: ./65-3JN.usfm, title: 3 John}\n")

    def write(name: str) -> dict[str, bytes]:
        made = write_pdfs(build_site(repo), tmp_path / name, BuildLog(), cache=cache)
        return {f.path: (tmp_path / name / f.path).read_bytes() for f in made}

    cache = PdfCache()
    try:
        first = write("first")
        assert len(first) == 3 and cache.hits == 0
        typeset = cache.stores  # the books, and the whole resource's front matter and bodies
        assert write("again") == first
        assert (cache.stores, cache.hits) == (typeset, typeset)
        (repo / "65-3JN.usfm").write_text(
            "\\id 3JN\n\\h 3 John\n\\c 1\n\\p\n\\v 1 The elder wrote again.\n",
            encoding="utf-8")
        edited = write("edited")
        assert cache.stores == typeset + 2  # 3 John's PDF and its body in the whole resource
        assert edited["pdf/57-TIT.pdf"] == first["pdf/57-TIT.pdf"]
        assert "wrote again" in _pdftotext(tmp_path / "edited" / PDF_DIR / "en_ult.pdf")
        assert len(list(cache.folder.iterdir())) == typeset  # the old 3 John PDFs forgotten
    finally:
        cache.close()
    assert not cache.folder.exists()


# --- the PDF's own words -------------------------------------------------------------------------

def test_every_row_of_words_is_complete():
    assert all(row.keys() == ENGLISH.keys() for row in TRANSLATIONS.values())


def test_title_page_and_contents_in_the_content_language(tmp_path: Path):
    usfm = "\\id TIT\n\\h Tite\n\\mt Tite\n\\c 1\n\\p\n\\v 1 Paul, serviteur de Dieu.\n"
    french = _titus(tmp_path / "fr", usfm, title="Bible en français",
                    language="{identifier: fr, title: Français, direction: ltr}")
    write_pdfs(build_site(french), tmp_path / "fr-site", BuildLog())
    text = _pdftotext(tmp_path / "fr-site" / PDF_DIR / "57-TIT.pdf")
    assert "Table des matières" in text and "Licence" in text and "Contents" not in text
    # a language without a row of ours: English
    other = _titus(tmp_path / "bdf", usfm, title="Bible",
                   language="{identifier: bdf, title: Bodo, direction: ltr}")
    write_pdfs(build_site(other), tmp_path / "bdf-site", BuildLog())
    text = _pdftotext(tmp_path / "bdf-site" / PDF_DIR / "57-TIT.pdf")
    assert "Contents" in text and "License" in text


# --- Bibles ------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", LTR_BIBLES)
def test_every_verse_in_order_and_fonts_embedded(pdfs, name: str):
    site, folder, log, files = pdfs(name)
    assert not [m.format() for m in log.warnings if m.code in ("pdf.failed", "pdf.text")]
    books = [p for p in site.pages if p.template == "bible.html"]
    assert {f.path for f in files} == {f"{PDF_DIR}/{Path(p.path).stem}.pdf" for p in books} | {
        f"{PDF_DIR}/{site.manifest.language.identifier}_{site.manifest.identifier}.pdf"}
    for page in books:
        pdf = folder / PDF_DIR / f"{Path(page.path).stem}.pdf"
        problem = _missing(_words(_verse_text(page.html)), _words(_pdftotext(pdf, "-raw")))
        assert problem is None, f"{pdf.name}: {problem}"
    for file in files:
        assert _fonts_not_embedded(folder / file.path) == [], file.path


def _chapter_labels(fragment: str) -> list[str]:
    """A Bible page's chapter headings, in order."""
    found: list[str] = []

    def walk(node: Node) -> None:
        for child in node.children:
            if isinstance(child, Node):
                if child.tag == "h2" and "c-num" in child.classes:
                    found.append(" ".join(text_of(child).split()))
                else:
                    walk(child)

    walk(parse(fragment))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("name", ["en_ult", "en_ust"])
def test_running_header_names_the_chapter_at_the_top_of_the_page(pdfs, name: str):
    """The header shows the chapter the page's first line belongs to: one that starts there,
    else the last one before the page (a page that continues a chapter names that chapter,
    not the next one starting lower on it)."""
    site, folder, _, _ = pdfs(name)
    continued = 0
    for page in (p for p in site.pages if p.template == "bible.html"):
        labels = set(_chapter_labels(page.html))
        pdf = folder / PDF_DIR / f"{Path(page.path).stem}.pdf"
        current = None
        for number, text in enumerate(_pdftotext(pdf, "-raw").split("\f"), 1):
            header, *body = [line.strip() for line in text.splitlines()] or [""]
            if not any(header.endswith(label) for label in labels):
                continue  # front matter, the end
            on_page = [line for line in body if line in labels]
            at_top = body[0] if body and body[0] in labels else None
            want = at_top or current or on_page[0]
            assert header.endswith(want), f"{pdf.name} page {number}: {header!r}, not {want!r}"
            continued += bool(on_page and not at_top and current and want != on_page[0])
            current = on_page[-1] if on_page else current
    assert continued > 0  # pages that continue a chapter while another starts on them


@pytest.mark.slow
@pytest.mark.parametrize("name", RTL_BIBLES)
def test_rtl_bibles_have_their_fonts(pdfs, name: str):
    _, folder, log, files = pdfs(name)
    assert not [m.format() for m in log.warnings if m.code == "pdf.failed"]
    for file in files:
        pdf = folder / file.path
        assert _fonts_not_embedded(pdf) == [], file.path
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert ("Hebrew" if name == "hbo_uhb" else "Arabic") in fonts


@pytest.mark.slow
@pytest.mark.parametrize("name", RTL_BIBLES)
def test_rtl_bibles_every_verse_in_order(pdfs, name: str):
    """Right to left: every verse's words, the lines read in logical order (:func:`_logical`);
    the pointed Hebrew's each letter once, though Typst writes a letter whose points the font
    moves as several pieces, each with the whole letter's text (tx_mkdocs/pdf/textlayer.py)."""
    site, folder, log, _ = pdfs(name)
    assert not [m.format() for m in log.warnings if m.code == "pdf.text"]
    for page in (p for p in site.pages if p.template == "bible.html"):
        pdf = folder / PDF_DIR / f"{Path(page.path).stem}.pdf"
        text = _logical(_pdftotext(pdf, "-raw"))
        assert _missing(_words(_verse_text(page.html)), _words(text)) is None, pdf.name


@pytest.mark.slow
def test_page_images_for_a_person(pdfs):
    """A Bible, a Hebrew Bible, a tN and an OBS story as pictures (and the Hebrew PDF) in
    test-output/pdf/: the title page, the contents and the first pages of the text."""
    _, ult, _, _ = pdfs("en_ult")
    assert len(_pictures(ult / PDF_DIR / "57-TIT.pdf", "en_ult-57-TIT")) == 4
    _, uhb, _, _ = pdfs("hbo_uhb")
    assert len(_pictures(uhb / PDF_DIR / "08-RUT.pdf", "hbo_uhb-08-RUT")) == 4
    shutil.copyfile(uhb / PDF_DIR / "08-RUT.pdf", OUTPUT / "hbo_uhb-08-RUT.pdf")
    _, tn, _, _ = pdfs("en_tn")
    assert len(_pictures(tn / PDF_DIR / "57-TIT.pdf", "en_tn-57-TIT")) == 4
    _, obs, _, _ = pdfs("en_obs")
    assert len(_pictures(obs / PDF_DIR / "01.pdf", "en_obs-01")) == 4


# --- the text layer (textlayer.py) ---------------------------------------------------------------

#: Pointed Hebrew (Jonah 1:3, Ruth 1:1) and a letter with the same points three times over,
#: each set by Typst as pieces at the heights the font gives its points.
POINTED = "וַיָּקָם יוֹנָה לִבְרֹחַ תַּרְשִׁישָׁה מִלִּפְנֵי יְהוָה\n\nבְּבְּבְּ וַֽיְהִ֗י בִּימֵי֙ שְׁפֹ֣ט"


def _typeset(folder: Path, text: str) -> Path:
    """``text`` typeset right to left in the Hebrew face, as Typst writes it."""
    import typst

    folder.mkdir()
    (folder / "main.typ").write_text(
        '#set page(width: 12cm, height: auto, margin: 1cm)\n'
        '#set text(font: "Noto Serif Hebrew", size: 14pt, lang: "he", dir: rtl)\n'
        '#json("text.json")\n', encoding="utf-8")
    (folder / "text.json").write_text(json.dumps(text), encoding="utf-8")
    typst.compile(str(folder / "main.typ"), output=str(folder / "out.pdf"))
    return folder / "out.pdf"


def _page_image(pdf: Path) -> bytes:
    return subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", str(pdf)],
                          capture_output=True, check=True).stdout


def test_pointed_hebrew_reads_each_letter_once_and_looks_the_same(tmp_path: Path):
    pdf = _typeset(tmp_path / "doc", POINTED.replace("\n\n", " "))
    typst_wrote = pdf.read_bytes()
    want = _words(POINTED)
    # What Typst 0.15 writes: letters copied once per piece (when this fails, Typst writes
    # them once and textlayer.py may go: docs/pdf.md, Text out of a PDF)
    assert _words(_logical(_pdftotext(pdf, "-raw"))) != want
    assert repair(pdf) is None
    assert pdf.read_bytes() != typst_wrote
    assert _words(_logical(_pdftotext(pdf, "-raw"))) == want
    # the same page, the same fonts, and a PDF readers take as it is
    before = tmp_path / "before.pdf"
    before.write_bytes(typst_wrote)
    assert _page_image(pdf) == _page_image(before)
    assert _fonts_not_embedded(pdf) == [] and "Hebrew" in subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert repair(pdf) is None and _words(_logical(_pdftotext(pdf, "-raw"))) == want


def test_a_pdf_the_repair_cannot_read_is_left_as_it_was(tmp_path: Path):
    from pypdf import PdfReader

    pdf = _typeset(tmp_path / "doc", POINTED)
    reader = PdfReader(pdf)
    contents = reader.pages[0].get("/Contents")  # the reference, not the stream
    odd = contents.get_object().get_data() + b"\nBI /W 1 /H 1 ID x EI"  # an inline image
    pdf.write_bytes(_replace_streams(pdf.read_bytes(), reader.xref[0], {contents.idnum: odd}))
    written = pdf.read_bytes()
    assert repair(pdf) == "ContentError: an inline image"
    assert pdf.read_bytes() == written and not list(tmp_path.glob("doc/*.tmp"))
    not_a_pdf = tmp_path / "x.pdf"
    not_a_pdf.write_bytes(b"%PDF-1.7 nothing")
    assert repair(not_a_pdf) is not None and not_a_pdf.read_bytes() == b"%PDF-1.7 nothing"
    with pytest.raises(ContentError, match="inline image"):
        repair_content(b"BT (a) Tj ET BI /W 1 /H 1 ID x EI", {})


def test_a_text_layer_left_as_typst_wrote_it_is_a_warning():
    log = BuildLog()
    job = Job({"subtitle": "Ruth"}, Path("pdf/08-RUT.pdf"), text_layer="ContentError: odd")
    assert _made(job, log)  # the PDF is made, and the log says what to expect of its text
    assert [(m.code, "ContentError: odd" in m.text) for m in log.warnings] == [("pdf.text", True)]


# --- helps, OBS, tA, tW ------------------------------------------------------------------------

@pytest.mark.slow
def test_tn_pdfs_have_verse_references_as_headers(pdfs):
    _, folder, _, files = pdfs("en_tn")
    assert [f.path for f in files] == ["pdf/en_tn.pdf", "pdf/08-RUT.pdf", "pdf/32-JON.pdf",
                                       "pdf/57-TIT.pdf", "pdf/65-3JN.pdf"]
    text = _pdftotext(folder / PDF_DIR / "57-TIT.pdf", "-raw")
    # a page of notes has the book and the verse it is at in its running header (first line)
    headers = [page.split("\n", 1)[0] for page in text.split("\f")]
    assert sum(bool(re.fullmatch(r"Titus Titus \d:\d+", h)) for h in headers) > 10, headers


@pytest.mark.slow
def test_obs_parts_with_pictures_found_offline_and_placeholders(pdfs, tmp_path: Path):
    images = tmp_path / "images"
    images.mkdir()
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress((b"\x00" + b"\x80\x40\x20" * 4) * 3))  # 4×3 RGB
           + chunk(b"IEND", b""))
    (images / "obs-en-01-01.jpg").write_bytes(png)  # the file's bytes decide, not its name
    (images / "obs-en-01-02.jpg").write_bytes(b"<svg onload=alert(1)>")  # not an image: skipped
    _, folder, _, files = pdfs("en_obs", images)
    names = {f.path for f in files}
    assert "pdf/en_obs.pdf" in names and "pdf/01.pdf" in names and "pdf/50.pdf" in names
    listing = subprocess.run(["pdfimages", "-list", str(folder / PDF_DIR / "01.pdf")],
                             capture_output=True, text=True, check=True).stdout
    assert len(listing.splitlines()) - 2 == 1  # one picture; the others are placeholders
    assert "Frame 01-02" in _pdftotext(folder / PDF_DIR / "01.pdf")


@pytest.mark.slow
@pytest.mark.parametrize(("name", "expected"), [
    ("en_ta", {"pdf/en_ta.pdf", "pdf/01-intro.pdf", "pdf/03-translate.pdf"}),
    ("en_tw", {"pdf/en_tw.pdf", "pdf/kt.pdf", "pdf/names.pdf", "pdf/other.pdf"}),
    ("en_tq", {"pdf/en_tq.pdf", "pdf/57-TIT.pdf"}),
])
def test_manuals_sections_and_questions(pdfs, name: str, expected: set[str]):
    _, folder, log, files = pdfs(name)
    assert {f.path for f in files} == expected, [m.format() for m in log.warnings]
    for file in files:
        assert _fonts_not_embedded(folder / file.path) == []


# --- the site: --pdf, the Downloads menu, a failed PDF ------------------------------------------

@pytest.mark.slow
def test_build_pdf_links_them_from_the_downloads_menu(samples: Path, tmp_path: Path):
    result = CliRunner().invoke(main, ["build", str(samples / "en_ult"), "--pdf",
                                       "--site-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "pdf").iterdir()) == [
        "08-RUT.pdf", "32-JON.pdf", "57-TIT.pdf", "65-3JN.pdf", "A0-FRT.pdf", "en_ult.pdf"]
    page = (tmp_path / "57-TIT.html").read_text(encoding="utf-8")
    assert 'href="pdf/57-TIT.pdf"' in page and 'href="pdf/en_ult.pdf"' in page
    assert 'href="pdf/57-TIT.pdf"' in (tmp_path / "build-report.html").read_text("utf-8")
    assert "pdf" in build_log(tmp_path)["timings"]


@pytest.mark.slow
def test_a_failed_pdf_costs_nothing_else(samples: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch):
    broken = tmp_path / "broken.typ"
    broken.write_text('#panic("forced failure")\n', encoding="utf-8")
    monkeypatch.setattr(typeset_module, "TEMPLATE", broken)
    result = CliRunner().invoke(main, ["build", str(samples / "en_ult"), "--pdf",
                                       "--site-dir", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    assert (site / "57-TIT.html").is_file() and not (site / "pdf").exists()
    assert 'href="pdf/' not in (site / "57-TIT.html").read_text(encoding="utf-8")
    warnings = json.dumps(build_log(site)["warnings"])
    assert "PDF 'pdf/57-TIT.pdf' (Titus) was not made" in warnings
    assert "forced failure" in warnings


@pytest.mark.slow
def test_publish_pdf_publishes_them_with_the_site(samples: Path, tmp_path: Path):
    dest = tmp_path / "bucket"
    result = CliRunner().invoke(main, ["publish", str(samples / "hbo_uhb"), "--pdf", "--dest",
                                       str(dest), "--owner", "test", "--commit", "2" * 40,
                                       "--ref", "master"])
    assert result.exit_code == 0, result.output
    published = {p.relative_to(dest).as_posix() for p in dest.rglob("*.pdf")}
    assert {"u/test/hbo_uhb/2222222222/pdf/08-RUT.pdf", "u/test/hbo_uhb/master/pdf/08-RUT.pdf",
            "u/test/hbo_uhb/2222222222/pdf/hbo_uhb.pdf"} <= published, published


@pytest.mark.slow
def test_a_build_without_pdf_after_one_with_has_none(tmp_path: Path):
    """MkDocs keeps the plugin's instance from build to build in one process (``serve``, the
    tests): the PDFs of one build are not the next one's."""
    example = ROOT / "examples" / "bible"
    for flag, site in ((["--pdf"], tmp_path / "a"), ([], tmp_path / "b")):
        result = CliRunner().invoke(main, ["build", str(example), *flag, "--site-dir", str(site)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a" / "pdf").is_dir() and not (tmp_path / "b" / "pdf").exists()
    assert 'href="pdf/' not in (tmp_path / "b" / "index.html").read_text(encoding="utf-8")
