"""Every regular expression of tx_mkdocs, run on adversarial input: none may backtrack badly.

Python's ``re`` backtracks; a pattern with nested or overlapping quantifiers (``(a+)+``,
``(.*?)\\s*$``, ``\\w+=`` searched in a long word) can take seconds to hours on a short hostile
line, and nothing can interrupt it. This audit finds every compiled pattern of the package by
itself (module globals, tuples of patterns) and every inline ``re.<function>(r"…")`` call (listed
below: a new one fails the test until it is audited too), then runs each on

- generic inputs: long runs of each character of the pattern, and of that character alternating
  with a space, a letter, a newline …;
- targeted inputs for the patterns that take a prefix to reach their quantifiers;

with the methods the code calls on it (found in the source): ``finditer`` stands for every
scanning one (``search``, ``findall``, ``sub``, ``split`` try each start position), ``match`` and
``fullmatch`` try one; a pattern handed around (imported, in a tuple) gets all three.

Each run must end within :data:`LIMIT` seconds on :data:`N` characters. That is no speed
measure but a guard against a hang: a linear pattern takes milliseconds (under a tenth of the
limit even on a busy machine), the quadratic ones found below took about a second on 10 000
characters, so half a minute on N — and hours on the longer lines hostile content can hold.

Findings of the audit (fixed): ``\\fig`` attributes (``[\\w-]+=`` from every letter of a long
word), OBS / Markdown / tW heading lines (``(.*?)(?:\\s+#+)?\\s*$``: quadratic on spaces, now
string operations), tA config keys (``[^'":]*`` ran across lines), OBS picture lines
(``^\\s*`` with re.M ran over every following blank line), ``[[rc://`` wiki links
(``[^\\]\\s]+`` ran over the next ``[[``), backtick code spans (Python-Markdown's
``(`+)(.+?)(?<!`)\\1``: now one pass over the runs); and, linear only on the page HTML the core
makes: link placeholders and search-entry tags (``[^>]*`` now stops at ``<``).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from pathlib import Path

import pytest

import tx_mkdocs

from . import fuzzing

N = 50_000
#: Seconds one pattern may take on one input of N characters (linear: ~10–300 ms; quadratic:
#: ~25 s and more).
LIMIT = 5.0
ROOT = Path(tx_mkdocs.__file__).parent

#: Inline patterns (``re.sub(r"…", …)`` in a function): (function, pattern) per file.
INLINE = {
    "core/context.py": [("sub", r"[^A-Za-z0-9._-]+")],
    "core/rc.py": [("sub", r"\s+"), ("split", r"[_\-]")],
    "core/manifest.py": [("split", r"[_\-\s]+")],
    "types/bookhelps/refs.py": [("fullmatch", r"\d+:\d+")],
    "types/markdown/__init__.py": [("sub", r"\s+"), ("findall", r'\sid="([^"]+)"'),
                                   ("sub", r"[^\w]+")],
    "types/obs/story.py": [("match", r"^https?://")],
    "types/tsvhelps/rows.py": [("fullmatch", r"[A-Za-z0-9-]+")],
    "theme.py": [("sub", r"[ -]")],
}
_INLINE_CALL = re.compile(r"\bre\.(sub|subn|search|match|fullmatch|findall|finditer|split)"
                          r"\(\s*r?([\"'])(.*?)(?<!\\)\2")
ONE_START = frozenset({"match", "fullmatch"})

#: Inputs that reach the quantifiers of anchored or prefixed patterns.
TARGETED = [
    "a" * N, " " * N + "x", "\n" * N + "x", "# a" + " " * N + "b", "#" + " #" * (N // 2),
    "![" + "a" * N, "![a](" + "x" * N, "![a](x '" + "y" * N, "_a" + " _" * (N // 2),
    "_" + "x_" * (N // 2), "1:1" + " " * N + "x", ("a" * 10 + "\n") * (N // 11),
    "[[rc://" * (N // 7), "rc://" + "." * N, "rc://a." * (N // 7), "rc://" + "a" * N,
    "<a" + " x" * (N // 2), '<a href="#tx-link-0123456789abcdef-1">' + "x" * N,
    "\\w " + "a|" * (N // 2), "\\w a|" + 'x="1"' * (N // 5), "\\zaln-s |" * (N // 9),
    "\\zaln-s |" + "x" * N, "a'\n" + " " * N + "x", "|" + ' x="1"' * (N // 6) + " x=",
    "a" * N + "..", "http://" + "a" * N + " ", "a/" * (N // 2) + " ", "<h2 " + " x" * (N // 2),
    '<h2 id="a">' + "x" * N, "<h2>" + "x" * N, ":" + "a/" * (N // 2), "/" * N, "a-" * (N // 2),
    "](../" * (N // 5), "`a" * (N // 2), "``" + "a" * N, " >" * (N // 2), "   >" * (N // 4),
    "\\fig |" + "a" * N, "\\v " + "1" * N, "\\c " * (N // 3), "\\+" * (N // 2) + "*",
    '"' + "\\\"" * (N // 3), "=" * N, "&#" * (N // 2), "\\" * N, "<" + "a" * N,
    "['\"" * (N // 3) + ":", "x" * N + ":", "front:" + " " * N, "en/" + "a" * N + "?",
    "h1 id=\"" * (N // 7), "\\id " + "x" * N, "\\zaln-e\\*" * (N // 9), "-1" * (N // 2),
    "0" * N + "a", "1-" * (N // 2) + "1.jpg", "?direct&" * (N // 8),
]
FILLERS = [" ", "a", "\n", "\\", '"', "<", "[", "#"]


def compiled_patterns() -> dict[str, re.Pattern]:
    """Every compiled pattern of the package: module globals and tuples of patterns."""
    found: dict[str, re.Pattern] = {}
    for info in pkgutil.walk_packages(tx_mkdocs.__path__, "tx_mkdocs."):
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional extra (the webhook service) that is not installed
            continue
        for name, value in vars(module).items():
            values = value if isinstance(value, tuple) else (value,)
            for i, item in enumerate(values):
                if isinstance(item, re.Pattern):
                    key = f"{info.name}.{name}" + (f"[{i}]" if len(values) > 1 else "")
                    found[key] = item
    return found


def inline_patterns() -> dict[str, tuple[re.Pattern, set[str]]]:
    return {f"{path}: re.{function}({source!r})": (re.compile(source), {function})
            for path, calls in INLINE.items() for function, source in calls}


SOURCES = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
           for p in ROOT.rglob("*.py")}


def methods(name: str) -> set[str]:
    """The methods the package calls on the pattern named ``name`` (all, when it is passed
    around: imported elsewhere, put in a tuple, given as an argument)."""
    short = name.rsplit(".", 1)[-1].split("[")[0]
    found: set[str] = set()
    use = re.compile(rf"(?<![\w.]){re.escape(short)}\b(?:\.(\w+)\()?")
    for text in SOURCES.values():
        for line in text.split("\n"):
            if line.lstrip().startswith(("from ", "import ", "#")) or f"{short} = " in line:
                continue
            for match in use.finditer(line):
                found.add(match.group(1) or "passed around")
    return found if found <= ONE_START else {"finditer", "match", "fullmatch"}


def test_every_inline_pattern_is_audited():
    found = {(rel, m.group(1), m.group(3)) for rel, text in SOURCES.items()
             for m in _INLINE_CALL.finditer(text)}
    listed = {(rel, function, source) for rel, calls in INLINE.items()
              for function, source in calls}
    assert found == listed, ("add new inline patterns to INLINE", found - listed, listed - found)


def inputs_for(pattern: re.Pattern) -> list[str]:
    source = pattern.pattern  # a bytes pattern (raw USFM) gets the same inputs, as UTF-8
    if isinstance(source, bytes):
        source = source.decode("latin-1")
    chars = sorted({c for c in source if not c.isalnum()} | {"a", "1", " ", "\n"})
    generic = [c * N for c in chars]
    generic += [(c + f) * (N // 2) for c in chars for f in FILLERS if f != c]
    return generic + TARGETED


PATTERNS = {**{name: (p, methods(name)) for name, p in compiled_patterns().items()},
            **inline_patterns()}


def run(pattern: re.Pattern, used: set[str], text: str) -> None:
    if isinstance(pattern.pattern, bytes):
        text = text.encode("utf-8")  # type: ignore[assignment]  # the bytes of the same input
    if used - ONE_START:  # search, sub, split …: every start position is tried
        for _ in pattern.finditer(text):
            pass
    if "match" in used or used - ONE_START:
        pattern.match(text)
    if "fullmatch" in used or used - ONE_START:
        pattern.fullmatch(text)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_is_linear_on_adversarial_input(name: str):
    pattern, used = PATTERNS[name]
    slowest = (0.0, "")
    for text in inputs_for(pattern):
        started = time.perf_counter()
        run(pattern, used, text)
        elapsed = time.perf_counter() - started
        if elapsed > slowest[0]:
            slowest = (elapsed, text[:40])
        assert elapsed < LIMIT, f"{name} took {elapsed:.2f} s on {text[:60]!r}…"
    AUDIT.append((name, slowest[0]))
    if len(AUDIT) == len(PATTERNS):
        name, seconds = max(AUDIT, key=lambda a: a[1])
        fuzzing.REPORTS.append(
            f"regex audit: {len(PATTERNS)} patterns × {len(inputs_for(pattern))}+ adversarial "
            f"inputs of {N} characters, 0 over {LIMIT} s (slowest {seconds * 1000:.0f} ms: "
            f"{name})")


AUDIT: list[tuple[str, float]] = []
