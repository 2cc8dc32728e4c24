"""``python -m tx_mkdocs.webhook.runner SPEC``: one build of the webhook service, in a process of
its own, through the CLI's own :func:`~tx_mkdocs.cli.run_build`.

A process per build keeps MkDocs' global state (plugins, logging, caches) out of the service's
worker threads, lets a build that runs too long be killed, and means that a build that crashes
or exhausts memory takes nothing else down. SPEC is a JSON file: ``repo``, ``site_dir``,
``context`` (the fields of :class:`~tx_mkdocs.core.context.BuildContext`) and ``links``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..cli import run_build
from ..core.context import BuildContext


def main(argv: list[str]) -> int:
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    return run_build(Path(spec["repo"]), Path(spec["site_dir"]), BuildContext(**spec["context"]),
                     links=spec.get("links") or None)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
