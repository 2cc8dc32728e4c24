"""The JSON records of a build, with the old Door43 field names (readers and scripts use them)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import __version__
from .context import BuildContext, check_commit, check_name, check_ref, utc_now
from .model import Site

BUILD_LOG = "build_log.json"
PROJECT_JSON = "project.json"
MANIFEST_JSON = "manifest.json"
#: Default bound of project.json history (tags are always kept).
HISTORY_LIMIT = 100


def build_log_record(site: Site | None, context: BuildContext, *, started_at: str,
                     status: str | None = None, message: str | None = None,
                     failure: str | None = None, timings: dict[str, float] | None = None
                     ) -> dict[str, Any]:
    """``build_log.json``: Door43 fields first, then tx-mkdocs' own.

    ``site`` is None when the build failed before a site model existed (``failure`` says why).
    """
    log = site.log if site else None
    errors = [m.format() for m in log.errors] if log else []
    warnings = log.warning_lines() if log else []
    if failure:
        errors.insert(0, failure)
    status = status or ("failed" if failure else log.status if log else "failed")
    finished = status in ("success", "warnings", "errors", "failed")
    return {
        "job_id": context.job_id,
        "identifier": f"{context.owner}/{context.repo}/{context.commit10}",
        "repo_owner_username": context.owner,
        "repo_owner": context.owner,
        "repo_name": context.repo,
        "commit_id": context.commit10,
        "commit_hash": context.commit10,
        "commit_sha": context.commit,
        "commit_type": context.ref_type,
        "ref": context.ref,
        "repo_url": context.repo_url,
        "source": context.source_url,
        "resource_type": site.subject if site else "unknown",
        "input_format": site.input_format if site else "unknown",
        "output_format": "html",
        "created_at": context.created_at,
        "started_at": started_at,
        "ended_at": utc_now() if finished else None,
        "status": status,
        "success": status in ("success", "warnings"),
        "message": message or _message(status),
        "log": list(log.log) if log else [],
        # every kind of problem: warnings up to 200 of each code, then a line counting the rest
        "warnings": warnings,
        "errors": errors,
        "messages": [m.to_dict() for m in (log.messages if log else [])],
        "counts": log.counts() if log else {},
        "tx_mkdocs_version": __version__,
        "pages": [p.url for p in site.pages] if site else [],
        "timings": {k: round(v, 3) for k, v in (timings or {}).items()},
    }


def _message(status: str) -> str:
    return {
        "success": "tx-mkdocs build completed.",
        "warnings": "tx-mkdocs build completed with warnings.",
        "errors": "tx-mkdocs build completed with errors.",
        "failed": "tx-mkdocs build failed.",
        "started": "tx-mkdocs build started.",
        "requested": "tx-mkdocs build requested.",
    }.get(status, status)


def started_record(build_log: dict[str, Any]) -> dict[str, Any]:
    """The ``started`` form of a finished build log, published before its pages."""
    return {**build_log, "status": "started", "success": False, "ended_at": None,
            "message": _message("started")}


def requested_record(context: BuildContext) -> dict[str, Any]:
    """The build log of a build that is queued but not started (a webhook answered, a worker
    will pick it up): readers of ``<commit10>/build_log.json`` see it while they wait."""
    return {**build_log_record(None, context, started_at="", status="requested"),
            "started_at": None}


def closed_record(build_log: dict[str, Any], status: str, message: str) -> dict[str, Any]:
    """A build log ended without a build (``superseded``: a newer push of the ref came first)."""
    return {**build_log, "status": status, "success": False, "ended_at": utc_now(),
            "message": message}


def context_from_build_log(build_log: dict[str, Any]) -> BuildContext:
    """The BuildContext a ``build_log.json`` was written for (validated: it names S3 keys)."""
    repo_url = str(build_log.get("repo_url") or "")
    owner, repo = str(build_log["repo_owner_username"]), str(build_log["repo_name"])
    suffix = f"/{owner}/{repo}"
    return BuildContext(
        owner=check_name(owner, "owner"),
        repo=check_name(repo, "repo"),
        commit=check_commit(str(build_log["commit_sha"])),
        ref=check_ref(str(build_log["ref"])),
        ref_type=str(build_log.get("commit_type") or "unknown"),
        server_url=repo_url[: -len(suffix)] if repo_url.endswith(suffix) else repo_url,
        job_id=str(build_log["job_id"]),
        created_at=str(build_log["created_at"]),
    )


def commit_entry(build_log: dict[str, Any]) -> dict[str, Any]:
    """The ``commits[]`` entry of project.json for one build."""
    return {
        "id": build_log["commit_id"],
        "commit_hash": build_log["commit_hash"],
        "ref": build_log["ref"],
        "type": build_log["commit_type"],
        "created_at": build_log["created_at"],
        "started_at": build_log["started_at"],
        "ended_at": build_log["ended_at"],
        "status": build_log["status"],
        "success": build_log["success"],
        "job_id": build_log["job_id"],
    }


def merge_project(existing: dict[str, Any] | None, context: BuildContext,
                  entry: dict[str, Any], limit: int = HISTORY_LIMIT) -> dict[str, Any]:
    """project.json with ``entry`` added, oldest first.

    An entry of the same commit and ref is replaced (publishing a build again is idempotent); the
    same commit under another ref (a tag on a branch head) is a build of its own. History keeps
    every tag plus the newest ``limit`` other builds.
    """
    key = (entry["id"], entry.get("ref"))
    commits = [c for c in (existing or {}).get("commits", [])
               if isinstance(c, dict) and (c.get("id"), c.get("ref")) != key]
    commits.append(entry)
    commits.sort(key=lambda c: str(c.get("created_at") or ""))
    others = [c for c in commits if c.get("type") != "tag"]
    dropped = {id(c) for c in others[: max(0, len(others) - limit)]}
    return {
        "user": context.owner,
        "repo": context.repo,
        "repo_url": context.repo_url,
        "commits": [c for c in commits if id(c) not in dropped],
    }


def dumps_json(data: Any) -> str:
    """The one JSON form of the records, on disk and on S3."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps_json(data), encoding="utf-8")


def write_records(site_dir: Path, site: Site | None, context: BuildContext,
                  build_log: dict[str, Any]) -> None:
    """Write build_log.json, manifest.json and project.json (merged with a local one)."""
    write_json(site_dir / BUILD_LOG, build_log)
    if site is not None:
        write_json(site_dir / MANIFEST_JSON, site.manifest.to_rc())
    project_file = site_dir / PROJECT_JSON
    try:
        existing = json.loads(project_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        existing = None
    write_json(project_file, merge_project(existing, context, commit_entry(build_log)))
