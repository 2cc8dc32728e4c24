"""Load any Door43 manifest into one normalized :class:`~tx_mkdocs.core.model.Manifest`.

Which file wins, and the defaults, follow the old system (door43-conventions §3): ``manifest.yaml``
→ ``manifest.json`` (translationStudio) → ``package.json`` (RC 0.1) → ``project.json`` →
``meta.json`` → inference from the repository name and files. A malformed file is an error in the
build log (file, line, parser message) and loading goes on with the next source.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any

import yaml

from .books import book
from .fs import OutsideRepoError, RepoFS
from .log import BuildLog
from .model import Language, Manifest, Project

MANIFEST_FILES = ("manifest.yaml", "manifest.json", "package.json", "project.json", "meta.json")


if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:  # libyaml when PyYAML has it: pure-Python parsing of a 66-book manifest takes 0.1 s.
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ManifestLoader(_SafeLoader):
    """Safe YAML without dates-as-objects (Door43 #865)."""


def _timestamp_text(loader: _ManifestLoader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


_ManifestLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_text)


def parse_yaml(text: str) -> Any:
    """Parse YAML safely: dates stay strings, aliases (YAML bombs) are refused.

    Raises ``yaml.YAMLError`` with the position of the problem.
    """
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in manifests",
                event.start_mark)  # type: ignore[arg-type]  # the stubs: libyaml's Mark is one too
    return yaml.load(text, Loader=_ManifestLoader)  # noqa: S506 - a SafeLoader subclass


def yaml_error_line(error: yaml.YAMLError) -> int | None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def _parse(fs: RepoFS, name: str, repo_name: str, log: BuildLog) -> dict[str, Any] | None:
    """The file's top-level mapping, or None (with an error logged) when it cannot be used."""
    try:
        text = fs.read_text(name)
    except (OSError, OutsideRepoError) as exc:
        log.error(f"Unable to read '{name}': {exc}", file=name)
        return None
    try:
        data = parse_yaml(text) if name.endswith(".yaml") else json.loads(text)
    except yaml.YAMLError as exc:
        line = yaml_error_line(exc)
        reason = " ".join(str(exc).split())
        log.error(f"Badly formed '{name}' in {repo_name}: {reason}", file=name, line=line,
                  code="manifest.syntax")
        return None
    except json.JSONDecodeError as exc:
        log.error(f"Badly formed '{name}' in {repo_name}: {exc.msg} (column {exc.colno})",
                  file=name, line=exc.lineno, code="manifest.syntax")
        return None
    except RecursionError:
        log.error(f"Badly formed '{name}' in {repo_name}: nested too deeply", file=name,
                  code="manifest.syntax")
        return None
    if not isinstance(data, dict):
        log.error(f"Badly formed '{name}' in {repo_name}: expected a mapping at the top level",
                  file=name, line=1, code="manifest.syntax")
        return None
    return data


def _str(value: Any) -> str:
    """A manifest scalar as a clean string ('' for null, lists and mappings)."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip()


def _first(mapping: Any, *keys: str) -> str:
    """The first non-empty string value among ``keys`` of a mapping."""
    if not isinstance(mapping, dict):
        return ""
    for key in keys:
        text = _str(mapping.get(key))
        if text:
            return text
    return ""


def _str_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [s for s in (_str(v) for v in value) if s]
    text = _str(value)
    return [text] if text else []


def _int(value: Any, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _direction(value: str) -> str:
    return "rtl" if value.lower() == "rtl" else "ltr"


def normalize(data: dict[str, Any], *, origin: str | None, repo_name: str, fs: RepoFS) -> Manifest:
    """Normalize any manifest mapping (RC 0.2, tS, RC 0.1, legacy) with Door43's defaults."""
    resource = data.get("dublin_core") or data.get("resource") or data
    if not isinstance(resource, dict):
        resource = data
    type_field = data.get("type") if isinstance(data.get("type"), dict) else {}
    identifier = (
        _first(resource, "identifier", "id", "slug") or _first(type_field, "id") or repo_name
    ).lower()
    title = _first(resource, "title", "name") or identifier
    subject = _first(resource, "subject") or title

    lang_src = resource.get("language") or data.get("language") or data.get("target_language")
    language = Language(
        identifier=_first(lang_src, "identifier", "slug", "id", "ietf") or "en",
        title=_first(lang_src, "title", "name") or "English",
        direction=_direction(_first(lang_src, "direction", "dir")),
    )

    fmt = _first(resource, "format", "content_mime_type") or _first(data, "format")
    if fmt.lower() in ("usfm", "usfm3", "markdown", "tsv"):
        fmt = f"text/{fmt.lower()}"
    rc_type = resource.get("type") if isinstance(resource.get("type"), str) else ""

    checking = found if isinstance(found := data.get("checking"), dict) else {}
    contributors = _str_list(resource.get("contributor"))
    if not contributors and isinstance(data.get("translators"), list):
        contributors = [
            _first(t, "name") if isinstance(t, dict) else _str(t) for t in data["translators"]
        ]
        contributors = [c for c in contributors if c]

    sources = resource.get("source") or data.get("source_translations") or []
    source = []
    for item in sources if isinstance(sources, list) else []:
        if isinstance(item, dict):
            source.append({
                "identifier": _first(item, "identifier", "resource_id", "resource_slug"),
                "language": _first(item, "language", "language_id", "language_slug"),
                "version": _first(item, "version"),
            })

    today = dt.date.today().isoformat()
    status = resource.get("status") if isinstance(resource.get("status"), dict) else {}
    manifest = Manifest(
        identifier=identifier,
        title=title,
        subject=subject,
        language=language,
        description=_first(resource, "description") or title,
        format=fmt,
        type=_str(rc_type),
        version=_first(resource, "version") or "1",
        conformsto=_first(resource, "conformsto") or "pre-rc",
        issued=_first(resource, "issued") or _first(status, "pub_date") or today,
        modified=_first(resource, "modified") or today,
        rights=_first(resource, "rights") or "CC BY-SA 4.0",
        creator=_first(resource, "creator") or "Unknown Creator",
        publisher=_first(resource, "publisher") or "Door43",
        contributor=contributors,
        source=source,
        relation=_str_list(resource.get("relation")),
        checking_entity=_str_list(checking.get("checking_entity")) or ["Wycliffe Associates"],
        checking_level=_first(checking, "checking_level") or "1",
        origin=origin,
    )
    manifest.projects = _projects(data, manifest, fs)
    if not manifest.format:
        manifest.format = "text/usfm" if _has_usfm(fs, manifest.projects) else ""
    if not manifest.type:
        manifest.type = "bundle" if _has_usfm(fs, manifest.projects) else "book"
    return manifest


def _projects(data: dict[str, Any], manifest: Manifest, fs: RepoFS) -> list[Project]:
    raw = data.get("projects")
    if not isinstance(raw, list) or not raw:
        single = data.get("project")
        raw = [single] if isinstance(single, dict) else [{}]
    default_path = "./content" if fs.is_dir("content") else "./"
    projects = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        identifier = (
            _first(item, "identifier", "id", "project_id", "slug") or manifest.identifier
        ).lower()
        projects.append(Project(
            identifier=identifier,
            title=_first(item, "title", "name"),
            path=_first(item, "path") or default_path,
            sort=_int(item.get("sort"), 1),
            categories=_str_list(item.get("categories")),
            versification=_first(item, "versification") or "kjv",
        ))
    return projects


def _has_usfm(fs: RepoFS, projects: list[Project]) -> bool:
    paths = {p.path for p in projects} | {"."}
    for path in paths:
        if path.lower().endswith(".usfm") and fs.is_file(path):
            return True
        if any(n.lower().endswith(".usfm") for n in fs.listdir(path)):
            return True
    return False


_LANG_TOKEN = re.compile(r"^[a-z]{2,3}(-[a-z0-9]+)*$", re.I)
_SUBJECT_SUFFIX = {
    "ta": "Translation Academy", "tn": "Translation Notes", "tq": "Translation Questions",
    "tw": "Translation Words", "obs": "Open Bible Stories",
}


def infer(repo_name: str, fs: RepoFS) -> Manifest:
    """A manifest made up from the repo name (``en_ulb``, ``fr_tq``) and the files present."""
    tokens = [t for t in re.split(r"[_\-\s]+", repo_name) if t]
    language = "en"
    if tokens and _LANG_TOKEN.match(tokens[0]) and not book(tokens[0]):
        language = tokens[0].lower()
    subject = ""
    for token in tokens[1:]:
        subject = _SUBJECT_SUFFIX.get(token.lower(), subject)
    data: dict[str, Any] = {
        "dublin_core": {
            "identifier": repo_name.lower() or "repo",
            "title": repo_name or "Untitled",
            "subject": subject,
            "language": {"identifier": language, "title": language},
        }
    }
    books = [t.upper() for t in tokens if book(t) and t.lower() != language]
    if books:
        data["projects"] = [{"identifier": code.lower()} for code in books]
    manifest = normalize(data, origin=None, repo_name=repo_name, fs=fs)
    if not subject and manifest.format == "text/usfm":
        manifest.subject = "Bible"
    return manifest


def load_manifest(fs: RepoFS, repo_name: str, log: BuildLog) -> Manifest:
    """The normalized manifest of the repository; problems go to ``log``, never raise."""
    for name in MANIFEST_FILES:
        if not fs.is_file(name):
            continue
        data = _parse(fs, name, repo_name, log)
        if data is None:
            continue
        return normalize(data, origin=name, repo_name=repo_name, fs=fs)
    log.warning("Possible missing manifest file in project folder", code="manifest.missing")
    return infer(repo_name, fs)
