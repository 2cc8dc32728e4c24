"""The Markdown renderer, chosen by measurement: `make bench-markdown`.

Every Markdown text the samples (../shared/samples) hand to the renderer is recorded while their
sites are built, then rendered by each candidate:

- speed: microseconds per text (the median of 3 passes);
- semantics: how many texts each renders as markdown-it does (markdown-it-py with the table and
  strikethrough rules: what tc-create and the Door43 reader show authors), compared after the
  sanitizer (what a reader gets), whitespace between tags aside;
- old and new: per sample, how many texts render differently with pyromark (the renderer of
  core/markup.py) than with Python-Markdown as it was configured before (tables, sane_lists,
  attr_list), by kind of difference, and how many of those now match markdown-it.

``--examples N`` prints N differing texts of each kind.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples"
RUNS = 3

#: Kinds of difference: the elements whose counts differ (a text may show several kinds).
KINDS = {
    "lists": ("ul", "ol", "li"),
    "tables": ("table", "tr", "td", "th"),
    "headings": ("h1", "h2", "h3", "h4", "h5", "h6"),
    "links and images": ("a", "img"),
    "emphasis and code": ("em", "strong", "code", "del", "pre"),
    "paragraphs and line breaks": ("p", "br", "blockquote", "hr"),
}
_TAG = re.compile(r"<([a-z][a-z0-9]*)\b")
_BETWEEN_TAGS = re.compile(r">\s+<")
_SPACE = re.compile(r"\s+")


def recorded_texts() -> dict[str, list[str]]:
    """Sample name → the Markdown texts its build hands to the renderer."""
    from tx_mkdocs.build import build_site
    from tx_mkdocs.core import markup

    texts: dict[str, list[str]] = defaultdict(list)
    render = markup.markdown_html
    current = ""

    def recording(text: str) -> str:
        texts[current].append(text)
        return render(text)

    markup.markdown_html = recording
    try:
        for sample in sorted(p for p in SAMPLES.iterdir() if (p / "manifest.yaml").is_file()):
            current = sample.name
            build_site(sample)
    finally:
        markup.markdown_html = render
    return dict(texts)


def renderers() -> dict[str, Callable[[str], str]]:
    """Candidate name → text → HTML (not sanitized)."""
    import cmarkgfm
    import markdown
    import markdown_it_pyrs
    from markdown_it import MarkdownIt

    from tx_mkdocs.core.markup import markdown_html

    mdit = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    mdit_rs = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(["table", "strikethrough"])
    old = markdown.Markdown(extensions=["tables", "sane_lists", "attr_list"])
    gfm = cmarkgfm.Options.CMARK_OPT_UNSAFE
    return {
        f"pyromark {version('pyromark')} (pulldown-cmark)": markdown_html,
        f"cmarkgfm {version('cmarkgfm')} (cmark-gfm)":
            lambda t: cmarkgfm.github_flavored_markdown_to_html(t, options=gfm),
        f"markdown-it-pyrs {version('markdown-it-pyrs')} (markdown-it.rs)": mdit_rs.render,
        f"markdown-it-py {version('markdown-it-py')} (reference)": mdit.render,
        f"Python-Markdown {version('Markdown')} (before)": lambda t: old.reset().convert(t),
    }


def shown(html: str) -> str:
    """What a reader gets of ``html``: sanitized, whitespace between tags aside."""
    from tx_mkdocs.core.markup import sanitize

    return _SPACE.sub(" ", _BETWEEN_TAGS.sub("><", sanitize(html))).strip()


def kinds(old: str, new: str) -> list[str]:
    """The kinds of difference between two renderings of one text."""
    before, after = Counter(_TAG.findall(old)), Counter(_TAG.findall(new))
    found = [kind for kind, tags in KINDS.items()
             if any(before[t] != after[t] for t in tags)]
    if not found:
        same_text = _SPACE.sub("", re.sub(r"<[^>]*>", "", old)) == \
            _SPACE.sub("", re.sub(r"<[^>]*>", "", new))
        found.append("spaces only" if same_text else "text and attributes")
    return found


def speeds(texts: list[str], candidates: dict[str, Callable[[str], str]]) -> None:
    reference = [shown(t) for t in map(candidates[_reference(candidates)], texts)]
    print(f"{len(texts)} texts, {sum(map(len, texts)) / 1e6:.1f} MB, from {SAMPLES}")
    print(f"{'renderer':52} {'µs a text':>10} {'as markdown-it shows':>21}")
    for name, render in candidates.items():
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            out = [render(t) for t in texts]
            times.append(time.perf_counter() - start)
        same = sum(shown(o) == r for o, r in zip(out, reference, strict=True))
        print(f"{name:52} {statistics.median(times) / len(texts) * 1e6:10.1f} "
              f"{same:>10}/{len(texts)}")


def _reference(candidates: dict[str, Callable[[str], str]]) -> str:
    return next(n for n in candidates if "reference" in n)


def differences(by_sample: dict[str, list[str]], candidates: dict[str, Callable[[str], str]],
                examples: int) -> None:
    names = list(candidates)
    new, old = candidates[names[0]], candidates[next(n for n in names if "before" in n)]
    reference = candidates[_reference(candidates)]
    print("\nPython-Markdown (before) → pyromark (now), per sample: texts that render "
          "differently, by kind; 'as markdown-it' counts those that now match markdown-it")
    shown_examples: dict[str, int] = Counter()
    totals: Counter[str] = Counter()
    for sample, texts in by_sample.items():
        counts: Counter[str] = Counter()
        for text in texts:
            before, after = shown(old(text)), shown(new(text))
            if before == after:
                continue
            counts["differ"] += 1
            counts["as markdown-it"] += after == shown(reference(text))
            for kind in kinds(before, after):
                counts[kind] += 1
                if shown_examples[kind] < examples:
                    shown_examples[kind] += 1
                    print(f"--- {kind} ({sample})\n{text[:400]!r}\nbefore: {before[:400]}\n"
                          f"now:    {after[:400]}")
        totals.update(counts)
        totals["texts"] += len(texts)
        detail = ", ".join(f"{k} {v}" for k, v in counts.items()
                           if k not in ("differ", "as markdown-it"))
        print(f"{sample:18} {len(texts):6} texts, {counts['differ']:5} differ "
              f"({counts['as markdown-it']} as markdown-it){': ' + detail if detail else ''}")
    detail = ", ".join(f"{k} {v}" for k, v in totals.items()
                       if k not in ("differ", "as markdown-it", "texts"))
    print(f"{'all':18} {totals['texts']:6} texts, {totals['differ']:5} differ "
          f"({totals['as markdown-it']} as markdown-it): {detail}")


def main() -> None:
    examples = int(sys.argv[sys.argv.index("--examples") + 1]) if "--examples" in sys.argv else 0
    by_sample = recorded_texts()
    candidates = renderers()
    speeds([t for texts in by_sample.values() for t in texts], candidates)
    differences(by_sample, candidates, examples)


if __name__ == "__main__":
    main()
