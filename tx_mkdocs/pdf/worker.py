"""The typesetting process: compiles the Typst roots named on its standard input, one JSON
``[main, target]`` a line, repairs each PDF's text layer (:mod:`.textlayer`), and answers each
with a JSON ``[error or null, body pages, why the text layer was not repaired or null]`` line.

Run as a script by :mod:`tx_mkdocs.pdf.typeset` (it imports nothing of the package but its
sibling ``textlayer``, found in the script's folder): a process of its own keeps Typst's memory
out of the build's, and is replaced now and then because Typst's caches only grow inside one
process.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any


@cache
def _compiler() -> Any:
    """One Typst compiler for the process: it finds the system's fonts once (a ``typst.compile``
    of its own searches them again each time); each compile still gets its own root."""
    import typst

    return typst.Compiler()


def compile_root(main: str, target: str) -> tuple[str | None, int, str | None]:
    """Compile one root: (why it failed or None, how many pages are numbered 1, 2 …, why its
    text layer is as Typst wrote it or None)."""
    import typst
    from pypdf import PdfReader
    from textlayer import repair  # type: ignore[import-not-found]  # the script's folder

    try:
        _compiler().compile(input=main, output=target, root=str(Path(main).parent))
    except typst.TypstError as exc:
        return " ".join(str(exc.message).split())[:500], 0, None
    except (OSError, RuntimeError) as exc:
        return f"{type(exc).__name__}: {exc}"[:500], 0, None
    labels = PdfReader(target).page_labels
    return None, sum(label.isdigit() for label in labels), repair(Path(target))


def main() -> None:
    for line in sys.stdin:
        root, target = json.loads(line)
        print(json.dumps(compile_root(root, target)), flush=True)


if __name__ == "__main__":
    main()
