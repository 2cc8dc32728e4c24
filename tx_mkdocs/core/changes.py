"""What changed between two builds: the content record of a build, its comparison, the page.

Every build writes :data:`RECORD` with the site: one :class:`Item` per verse, TSV row, article
section or story frame (each resource type says which, :meth:`ResourceType.items`), with the text
as a reader sees it, normalized, and a hash of the item's source (the raw USFM of a verse, the
rendered HTML of other items; none when the text is all there is). Two records compare by key: an
item whose text differs is *changed* (with a word-level diff), one whose source alone differs is
*realigned* (re-alignment, attributes, markup or whitespace that leave the text the same).

The record stores the text itself, so the text is compared, not a hash of it: version 1 records
(published before) also carried a hash of the text, which is dropped when they are read.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, NamedTuple

#: The content record, next to ``build_log.json`` (gzip JSON: a whole Bible is about 3 MB).
RECORD = "content.json.gz"
#: The changes page, written into a build when it is published after an earlier one.
CHANGES_PAGE = "changes.html"
_VERSION = 2
#: Version 1 items: the fields of :class:`Item` with the text's hash before the source's.
_V1_FIELDS = 7
#: Above this many words on a side an item's diff shows the whole old and new text (the
#: word matcher is quadratic on texts with few common words).
MAX_DIFF_WORDS = 5000
_TAG = re.compile(r"<[^<>]*>")
_WORD = re.compile(r"\S+")


def normalize(text: str, *, folded: bool = False) -> str:
    """Text as compared: NFC, whitespace runs as one space, trimmed.

    Most texts come folded already: ``folded`` says so (a search entry's text without
    entities: NFC is all there is to do); else printable text, whose only whitespace is a
    space, with no two spaces together and none around, is left as it is (re-splitting a whole
    Bible's words costs more than the rest of its record)."""
    text = unicodedata.normalize("NFC", text)
    if folded or (text.isprintable() and "  " not in text and text[:1] != " "
                  and text[-1:] != " "):
        return text
    return " ".join(text.split())


def digest(data: str | bytes) -> str:
    """A short hash (64 bits: collisions between two builds' items are not a concern)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.blake2b(raw, digest_size=8).hexdigest()


def html_text(fragment: str) -> str:
    """The text of an HTML fragment the core rendered, as a reader sees it."""
    return normalize(html_words(fragment))


def html_words(fragment: str) -> str:
    """:func:`html_text` before it is normalized: for :meth:`Item.of`, which normalizes (a
    whole tN's record is read twice otherwise)."""
    return html.unescape(_TAG.sub(" ", fragment))


class Item(NamedTuple):
    """One unit of content: where it is (``group`` heading, ``label``, ``href`` in the site),
    its normalized ``text``, and the hash of its source ("" when it has none but its text).
    A tuple: records of whole Bibles are read and compared in a fraction of a second."""

    key: str  # stable between builds: "TIT 1:1", "TIT rtc9"
    group: str  # "Titus 1", "Translate / Figures of Speech"
    label: str  # "Titus 1:2"
    href: str  # "57-TIT.html#056-ch-001-v-002"
    text: str
    source_hash: str

    @classmethod
    def of(cls, key: str, group: str, label: str, href: str, text: str,
           source: str | bytes | None = None) -> Item:
        """An item of ``text`` (normalized here); ``source`` is what it was made from (None:
        only its text)."""
        return cls(key, group, label, href, normalize(text),
                   digest(source) if source is not None else "")


def elements_by_id(fragment: str, opening: re.Pattern[str], wanted: Sequence[str] | None = None,
                   ) -> Iterator[tuple[str, int, str]]:
    """(id, start, outer HTML) of each element whose opening tag ``opening`` matches (group 1
    the tag name, group 2 the id), to its balanced closing tag: the core's HTML is well
    nested. ``wanted``: only the elements of these ids, in page order (an id once per element
    of it wanted), found from the ids: a page of a megabyte is read once, not tag by tag, for
    a few of its elements."""
    matches = opening.finditer(fragment) if wanted is None else _openings(fragment, opening,
                                                                          wanted)
    for match in matches:
        element_id = html.unescape(match.group(2))
        tag, pos, depth = match.group(1), match.end(), 1
        tags = _tags_named(tag)
        while depth:
            found = tags.search(fragment, pos)
            if found is None:
                pos = len(fragment)
                break
            depth += -1 if found.group(1) else 1
            pos = found.end()
        yield element_id, match.start(), fragment[match.start():pos]


def _openings(fragment: str, opening: re.Pattern[str], wanted: Sequence[str],
              ) -> list[re.Match[str]]:
    """The opening tags ``opening`` matches of the ids ``wanted`` (in page order): each the
    first after the one before."""
    found, start = [], 0
    for element_id in wanted:
        needle = f'id="{html.escape(element_id)}"'
        pos = fragment.find(needle, start)
        while pos != -1:
            match = opening.match(fragment, fragment.rfind("<", 0, pos))
            if match is not None and html.unescape(match.group(2)) == element_id:
                found.append(match)
                start = match.end()
                break
            pos = fragment.find(needle, pos + 1)
    return found


@functools.lru_cache(maxsize=64)
def _tags_named(tag: str) -> re.Pattern[str]:
    """Opening and closing tags of elements named ``tag`` (compiled once, not per element)."""
    return re.compile(rf"<(/?){tag}\b[^<>]*>")


# --- the record on disk ------------------------------------------------------------------------


def dump_record(items: list[Item]) -> bytes:
    """The record's bytes: gzip JSON, one array per item (compact and fast to read)."""
    data = {"version": _VERSION, "items": items}  # each item a JSON array
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=1, mtime=0)  # same content, same bytes


def load_record(data: bytes) -> list[Item]:
    """The items of a record of either version; ValueError when it is not one (a record is
    read from storage)."""
    try:
        parsed = json.loads(gzip.decompress(data))
        version = parsed.get("version")
        rows = parsed["items"] if version in (1, _VERSION) else None
        if not isinstance(rows, list):
            raise ValueError("unknown record version")
        if version == 1:  # the text's hash goes; a source hash equal to it meant "no source"
            rows = [[*row[:5], "" if row[6] == row[5] else row[6]] for row in rows
                    if type(row) is list and len(row) == _V1_FIELDS]
        items = [Item._make(row) for row in rows
                 if type(row) is list and len(row) == len(Item._fields)]
        if not all(type(value) is str for item in items for value in item):
            raise ValueError("an item's fields are not all text")
        return items
    except (OSError, EOFError, KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a content record ({exc})") from exc


# --- comparison --------------------------------------------------------------------------------


@dataclass
class Changes:
    """Two records compared, in the new record's order (removed items in the old one's)."""

    changed: list[tuple[Item, Item]] = field(default_factory=list)  # (old, new)
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    realigned: list[Item] = field(default_factory=list)

    def summary(self, since: str) -> dict[str, Any]:
        """The ``changes`` of build_log.json and of the webhook's job."""
        return {"since": since, "changed": len(self.changed), "added": len(self.added),
                "removed": len(self.removed), "alignment_changed": len(self.realigned)}

    def line(self) -> str:
        return (f"changed {len(self.changed)}, added {len(self.added)}, "
                f"removed {len(self.removed)}, alignment changed {len(self.realigned)}")


def compare(old: list[Item], new: list[Item]) -> Changes:
    """Items by key: changed text, source only, added and removed."""
    before = {item.key: item for item in old}
    keys = {item.key for item in new}
    changes = Changes(removed=[item for item in old if item.key not in keys])
    for item in new:
        previous = before.get(item.key)
        if previous is None:
            changes.added.append(item)
        elif previous.text != item.text:
            changes.changed.append((previous, item))
        elif previous.source_hash != item.source_hash:
            changes.realigned.append(item)
    return changes


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``new`` against ``old`` word by word: runs of words, each ``=`` (kept), ``-`` (removed)
    or ``+`` (added)."""
    a, b = _WORD.findall(old), _WORD.findall(new)
    opcodes: Sequence[tuple[str, int, int, int, int]] = [("replace", 0, len(a), 0, len(b))]
    if len(a) <= MAX_DIFF_WORDS and len(b) <= MAX_DIFF_WORDS:
        opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    runs = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            runs.append(("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("+", " ".join(b[j1:j2])))
    return runs


def word_diff_html(old: str, new: str) -> str:
    """The word diff with removed words in ``<del>``, added ones in ``<ins>``; every word
    escaped (the text is the repository's)."""
    tags = {"=": ("", ""), "-": ("<del>", "</del>"), "+": ("<ins>", "</ins>")}
    return " ".join(f"{tags[op][0]}{html.escape(text)}{tags[op][1]}"
                    for op, text in word_diff(old, new))


def word_diff_text(old: str, new: str) -> str:
    """The word diff as ``git diff --word-diff`` writes it: ``[-removed-]{+added+}``."""
    marks = {"=": ("", ""), "-": ("[-", "-]"), "+": ("{+", "+}")}
    return " ".join(f"{marks[op][0]}{text}{marks[op][1]}" for op, text in word_diff(old, new))


# --- the page ----------------------------------------------------------------------------------


def summary_text(summary: dict[str, Any] | None) -> str:
    """One sentence for the About page and the changes page (None: nothing to compare with)."""
    if not summary:
        return ("This is the first build of its branch or tag with a content record: there is "
                "nothing to compare it with.")
    realigned = summary.get("alignment_changed")
    return (f"Since build {summary['since']}: {summary['changed']} changed, "
            f"{summary['added']} added, {summary['removed']} removed"
            + (f"; {realigned} with only their alignment or markup changed" if realigned else "")
            + ".")


def changes_html(changes: Changes, summary: dict[str, Any] | None, old_base: str) -> str:
    """The body of the changes page: per group (book and chapter, manual, story), the changed,
    added and removed items, each linked to its place in this build and in ``old_base`` (the
    previous build's folder, relative to this one)."""
    esc = html.escape
    groups: dict[str, list[str]] = {}
    for old, new in changes.changed:
        groups.setdefault(new.group, []).append(
            _entry("changed", new, old_base, old, word_diff_html(old.text, new.text)))
    for item in changes.added:
        groups.setdefault(item.group, []).append(_entry("added", item, "", None,
                                                        f"<ins>{esc(item.text)}</ins>"))
    for item in changes.removed:
        groups.setdefault(item.group, []).append(_entry("removed", None, old_base, item,
                                                        f"<del>{esc(item.text)}</del>"))
    body = [f'<p class="tx-changes-summary">{esc(summary_text(summary))}</p>']
    if summary and not groups:
        body.append('<p class="tx-empty">No text changed.</p>')
    for number, (group, entries) in enumerate(groups.items(), 1):
        body.append(f'<h2 id="tx-changes-{number}">{esc(group)}</h2>\n'
                    f'<ul class="tx-changes">\n{"".join(entries)}</ul>')
    if changes.realigned:
        links = ", ".join(f'<a href="{esc(i.href)}">{esc(i.label)}</a>' for i in changes.realigned)
        body.append('<h2 id="tx-changes-realigned">Alignment or markup only</h2>\n'
                    f'<p class="tx-changes-realigned">The text of these is the same: {links}.</p>')
    return ('<div class="tx-changes-page">\n<h1 id="tx-changes">What changed</h1>\n'
            + "\n".join(body) + "\n</div>\n")


def _entry(kind: str, new: Item | None, old_base: str, old: Item | None, diff: str) -> str:
    esc = html.escape
    item = new or old
    assert item is not None
    links = []
    if new is not None:
        links.append(f'<a href="{esc(new.href)}">this build</a>')
    if old is not None:
        links.append(f'<a href="{esc(old_base + old.href)}">previous build</a>')
    return (f'<li class="tx-change tx-change-{kind}"><span class="tx-change-label">'
            f'{esc(item.label)}</span> <span class="tx-change-kind">{kind}</span> '
            f'<span class="tx-change-links">{" · ".join(links)}</span>'
            f'<p class="tx-change-text">{diff}</p></li>\n')
