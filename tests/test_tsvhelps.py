"""The row checks shared by Bible-book and OBS helps (tx_mkdocs/types/tsvhelps): one rule, one
code and one wording per problem."""

from __future__ import annotations

import pytest

from tx_mkdocs.build import build_site
from tx_mkdocs.core.log import BuildLog
from tx_mkdocs.core.tsv import Row
from tx_mkdocs.types.tsvhelps import TN7, RowChecks

from .helps_support import make_repo


def _row(line: int, **cells: str) -> Row:
    return Row(line, {column: cells.get(column, "") for column in TN7})


def _codes(log: BuildLog) -> list[str | None]:
    return [m.code for m in log.messages]


@pytest.mark.parametrize("value", ["-1", "0", "1", "2", "12"])
def test_good_occurrences(value: str):
    log = BuildLog()
    RowChecks(log, "tn_OBS.tsv").check(_row(2, ID="ab12", Quote="x", Occurrence=value), "")
    assert log.messages == []


@pytest.mark.parametrize("value", ["01", "00", "-2", "-0", "x", "1.5", ""])
def test_bad_occurrences(value: str):
    log = BuildLog()
    RowChecks(log, "tn_TIT.tsv", "TIT").check(_row(2, ID="ab12", Quote="x", Occurrence=value),
                                              "1:2")
    assert [m.format() for m in log.messages] == [
        f"tn_TIT.tsv:2: TIT 1:2 - Bad Occurrence number '{value}' (Should be number -1,0,1,2,…)"]
    assert _codes(log) == ["tsv.occurrence"]


def test_no_occurrence_without_a_quote():
    log = BuildLog()
    RowChecks(log, "tq_OBS.tsv").check(_row(2, ID="ab12"), "")
    assert log.messages == []


def test_ids_anchors_and_shared_ids():
    log, ids = BuildLog(), set[str]()
    first, second = RowChecks(log, "a.tsv", ids=ids), RowChecks(log, "b.tsv", ids=ids)
    assert first.check(_row(2, ID="ab12"), "") == "ab12"
    assert second.check(_row(2, ID="ab12"), "") is None  # a duplicate across the files
    assert first.check(_row(3, ID=""), "") is None
    assert first.check(_row(4, ID="Bad_1"), "") == "Bad_1"  # reported, still an anchor
    assert first.check(_row(5, ID="__config"), "") != "__config"  # namespaced (content_id)
    assert [(m.format(), m.code) for m in log.messages[:3]] == [
        ("b.tsv:2: Duplicate ID 'ab12'", "tsv.id-duplicate"),
        ("a.tsv:3: Missing ID", "tsv.id-missing"),
        ("a.tsv:4: Bad ID 'Bad_1' (Should be exactly four characters long; Should only contain "
         "letters, digits and hyphens; Should be lowercase)", "tsv.id-bad"),
    ]


def test_whitespace():
    log = BuildLog()
    RowChecks(log, "tn_OBS.tsv").check(_row(2, ID="ab12", Note="two  spaces\u00a0"), "")
    assert [m.text for m in log.messages] == ["Unexpected double spaces in Note",
                                              "Unexpected non-break space in Note"]
    assert set(_codes(log)) == {"tsv.whitespace"}


@pytest.mark.parametrize("cell", [" xvs8", "lje9  ", "  rxpn", "\tab12 "])
def test_an_id_with_stray_whitespace_is_trimmed_with_a_warning(cell: str):
    log = BuildLog()
    anchor = RowChecks(log, "tn_MAT.tsv", "MAT").check(_row(1195, ID=cell, Note="n"), "5:3")
    assert anchor == cell.strip()
    assert [(m.format(), m.code) for m in log.messages] == [
        (f"tn_MAT.tsv:1195: MAT 5:3 - ID '{cell}' has whitespace around it: read as "
         f"'{cell.strip()}'", "tsv.id-trimmed")]


def test_a_trimmed_id_is_the_rows_anchor_on_its_page(tmp_path):
    repo = make_repo(tmp_path / "en_tn", "tn", "TSV Translation Notes", {
        "tn_TIT.tsv": "Reference\tID\tTags\tSupportReference\tQuote\tOccurrence\tNote\n"
                      "1:1\t xvs8\t\t\t\t\tFirst note.\n"
                      "1:2\tlje9  \t\t\t\t\tSecond note, see [it](../01/01/xvs8).\n"},
        [("tit", "tn_TIT.tsv")])
    site = build_site(repo)
    html = site.page("57-TIT.md").html
    assert 'id="xvs8"' in html and 'id="lje9"' in html and "-line-" not in html
    assert 'href="#xvs8"' in html
    assert [m.code for m in site.log.messages] == ["tsv.id-trimmed"] * 2
