"""Every bound on hostile input, in one place.

Repositories are written by anyone, and some inputs make the parsers we rely on slow far beyond
their size (PyYAML is pure Python, the sanitizer quadratic in nesting depth). Each limit below
is far above what real Door43 content needs (the measured maximum is in the comment) and low
enough that the worst input it admits is processed in seconds. Crossing a limit is never silent:
the file is refused, or the part beyond the limit is shown as plain text, with a message in the
build log that names the file and the limit.
"""

from __future__ import annotations

from pathlib import PurePosixPath

#: Largest file read at all (USFM): a whole aligned book is at most ~10 MB (en_ult Psalms).
MAX_FILE_BYTES = 32 * 1024 * 1024
#: Largest Markdown / text file (tA, tW, OBS, generic Markdown): real articles are < 100 kB.
#: The worst shapes (``<div>`` nested to the depth limit) build in seconds (`make bench`).
MAX_MARKDOWN_FILE_BYTES = 1024 * 1024
#: Largest TSV file (tN, tQ, TWL, SN, SQ, OBS helps): en_tn's Psalms is ~4 MB.
MAX_TSV_FILE_BYTES = 16 * 1024 * 1024
#: Largest YAML / JSON file (manifests, tA toc.yaml and config.yaml): real ones are < 100 kB.
#: PyYAML reads about 0.5 MB per second.
MAX_YAML_FILE_BYTES = 512 * 1024

#: Characters of one page's HTML (a whole Bible book is < 2 MB; hostile USFM can multiply its
#: size by 12). A larger page is replaced by a notice, so that MkDocs never has to render it.
MAX_PAGE_CHARS = 32_000_000
#: Bytes of a page's file name (file systems allow 255, with ``.html``).
MAX_PAGE_NAME_BYTES = 200

#: Rows of one TSV file (a book of TWL, the longest table, has ~30 000). A longer file is refused.
MAX_TSV_ROWS = 100_000

#: Nesting depth of Markdown block quotes and list indentation (in 4-column steps).
MAX_MARKDOWN_NESTING = 8
#: Nesting depth of the HTML elements an author types in Markdown (real notes nest < 5). The
#: sanitizer (html5ever) scans the open elements at each tag: quadratic in the depth (a 600 kB
#: file of nested ``<div>`` took 47 s).
MAX_HTML_NESTING = 32

#: Problems listed per USFM file (the rest are counted).
MAX_MESSAGES_PER_FILE = 10_000
#: Warnings listed per message code in a build log (the rest of each code are counted); errors
#: are all listed.
MAX_WARNINGS_PER_CODE = 200
#: Characters of one build-log message (messages quote content, which may be a 10 MB line).
MAX_MESSAGE_CHARS = 1000

#: Open USFM character styles at a time (``\\+bd`` inside ``\\+it`` …); real text uses < 5.
MAX_USFM_NESTING = 32


def max_file_bytes(path: str) -> int:
    """The largest size a repository file of this kind may have (by its extension)."""
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in (".md", ".markdown", ".txt"):
        return MAX_MARKDOWN_FILE_BYTES
    if suffix == ".tsv":
        return MAX_TSV_FILE_BYTES
    if suffix in (".yaml", ".yml", ".json"):
        return MAX_YAML_FILE_BYTES
    return MAX_FILE_BYTES


def human_size(n: float) -> str:
    """A size for messages about limits: ``12.3 MB`` (MB = 2**20 bytes), ``512 kB`` below."""
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{int(n) // 1024} kB"
