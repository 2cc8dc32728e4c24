"""OBS helps: translation and study notes and questions, and word links, for the 50 stories.

Markdown per frame (``content/NN/FF.md``, the form Door43 rendered) or one TSV file
(``tn_OBS.tsv`` …, never rendered before): either way a page per story, ``NN.html``, with a
section per frame whose id is ``NN-FF`` — where ``rc://*/obs-tn/help/obs/NN/FF`` links land.
"""

from __future__ import annotations

from ...core.links import LinkTable
from ...core.log import BuildLog
from ...core.rc import RC
from ...core.resource import ResourceType, TypeOutput
from ..obsstories import stories
from .markdown_form import build_markdown
from .tsv_form import build_tsv

#: Subject → kind of help. Door43 gives TSV repos the Markdown subject (the identifier map
#: knows only ``obs-tn`` …), so both subjects of a kind are claimed and the files decide the form.
KINDS = {
    "OBS_Translation_Notes": "tn", "TSV_OBS_Translation_Notes": "tn",
    "OBS_Study_Notes": "sn", "TSV_OBS_Study_Notes": "sn",
    "OBS_Translation_Questions": "tq", "TSV_OBS_Translation_Questions": "tq",
    "OBS_Study_Questions": "sq", "TSV_OBS_Study_Questions": "sq",
    "TSV_OBS_Translation_Words_Links": "twl",
}


class ObsHelpsType(ResourceType):
    name = "obs_helps"
    templates = ("obs_helps.html",)
    subjects = tuple(KINDS)
    rc_resources = ("obs-tn", "obs-tq", "obs-sn", "obs-sq", "obs-twl")

    def rc_target(self, parts: list[str]) -> tuple[str, str] | None:
        return stories.rc_target(parts)

    def path_target(self, path: str) -> tuple[str, str] | None:
        return stories.path_target(path)

    def build(self, rc: RC, log: BuildLog, links: LinkTable) -> TypeOutput:
        kind = KINDS.get(rc.subject, "tn")
        files = tsv_files(rc, log)
        if files:
            pages = build_tsv(rc, kind, files, log, links)
        elif "tsv" in rc.manifest.format.lower() or rc.subject.startswith("TSV_"):
            log.error(f"No TSV file found for {rc.subject}", file=rc.manifest.origin,
                      code="obs.no-tsv")
            pages = []
        else:
            pages = build_markdown(rc, log, links)
        if not pages:
            log.error(f"No {rc.subject.replace('_', ' ')} found", code="obs.no-helps")
        return TypeOutput(pages=pages, nav=stories.nav(pages),
                          input_format="tsv" if files else "md", body_class=f"obs {kind}")


def tsv_files(rc: RC, log: BuildLog) -> list[str]:
    """The TSV files of the projects (``./tn_OBS.tsv``), else those at the repo root."""
    found = [path for project in rc.manifest.projects
             if (path := rc.project_path(project, log)) and path.lower().endswith(".tsv")
             and rc.fs.is_file(path)]
    return list(dict.fromkeys(found)) or [n for n in rc.fs.listdir(".")
                                          if n.lower().endswith(".tsv") and rc.fs.is_file(n)]


TYPE = ObsHelpsType()
