"""Book-keeping for the fuzzers: how many inputs each tried, printed at the end of the run."""

from __future__ import annotations

from collections import Counter

from hypothesis import settings

#: Inputs tried per fuzzer name (filled by the fuzz tests, printed by conftest).
TRIED: Counter[str] = Counter()
#: Exceptions that escaped per fuzzer (a failing test also fails the run; this is for the summary).
ESCAPED: Counter[str] = Counter()
#: Summary lines of the other hostile-input proofs (XSS corpus, regex audit), printed at the end.
REPORTS: list[str] = []
#: Hostile inputs of the bounds tests: (name, seconds it took (information only), "ok" /
#: "over its work bound" / "exception").
BOUNDS: list[tuple[str, float, str]] = []

settings.register_profile("fuzz", max_examples=700, deadline=None, derandomize=True,
                          print_blob=True)
FUZZ = settings.get_profile("fuzz")


def tried(name: str, function, *args, **kwargs):
    """Run ``function`` on one fuzz input, counting it, and counting an escaping exception."""
    TRIED[name] += 1
    try:
        return function(*args, **kwargs)
    except Exception:
        ESCAPED[name] += 1
        raise
