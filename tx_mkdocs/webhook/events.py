"""What a Gogs or Gitea webhook delivery asks for: its signature, its event, and the build or the
ref deletion it means.

Both forges sign the raw body with HMAC-SHA256 and the hook's secret: Gogs in ``X-Gogs-Signature``,
Gitea (and Forgejo) in ``X-Gitea-Signature`` (hex, no prefix) and ``X-Hub-Signature-256``
(``sha256=…``). Every one of them that a delivery carries must match; the comparison is constant
time, and it happens before the body is parsed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from ..core.context import DEFAULT_BRANCHES, check_commit, check_name, check_ref

ZERO_COMMIT = "0" * 40
SIGNATURE_HEADERS = ("x-gitea-signature", "x-gogs-signature", "x-hub-signature-256")
EVENT_HEADERS = (("x-gitea-event", "gitea"), ("x-forgejo-event", "gitea"),
                 ("x-gogs-event", "gogs"))
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


class Ignored(Exception):  # noqa: N818 - an outcome, not a fault
    """A valid delivery that asks for nothing (another event, a draft release, …)."""


class Refused(Exception):  # noqa: N818 - an outcome, not a fault
    """A delivery that cannot be honoured: ``status`` is the HTTP answer (400, 403)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def signature(secret: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``body`` (what the forges send)."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """Whether the delivery is signed with ``secret``: at least one signature header, and every
    one present matches (compared in constant time)."""
    expected = signature(secret, body).encode("ascii")
    given = [headers[name] for name in SIGNATURE_HEADERS if name in headers]
    valid = bool(given)
    for value in given:
        digest = value.strip().removeprefix("sha256=").lower().encode("utf-8", "replace")
        valid &= hmac.compare_digest(digest, expected)
    return valid


def event_of(headers: Mapping[str, str]) -> tuple[str, str]:
    """``(event, forge)`` of a delivery; the event is empty when no forge header names one."""
    for header, forge in EVENT_HEADERS:
        if headers.get(header):
            return headers[header].strip().lower(), forge
    return "", ""


@dataclass(frozen=True)
class JobRequest:
    """A build (``action == "build"``) or a ref deletion (``"delete"``), from validated fields."""

    action: str
    event: str
    forge: str
    owner: str
    repo: str
    ref: str
    ref_type: str  # defaultBranch | branch | tag
    #: 40 (or 64) hex digits; None for a release whose tag the worker resolves, and deletions
    commit: str | None
    html_url: str
    clone_url: str
    pusher: str
    delivery: str = ""

    @property
    def server_url(self) -> str:
        """The forge's base URL (``html_url`` without ``/owner/repo``)."""
        suffix = f"/{self.owner}/{self.repo}".lower()
        url = self.html_url.rstrip("/")
        if url.lower().endswith(suffix):
            return url[: -len(suffix)]
        parsed = urlparse(url)
        return f"{parsed.scheme}://{parsed.netloc}"


def _user(value: Any) -> str:
    """A forge user's name: Gitea sends ``login`` and ``username``, old Gogs ``username``."""
    if isinstance(value, dict):
        return str(value.get("login") or value.get("username") or value.get("name") or "")
    return ""


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def parse_event(event: str, forge: str, payload: Any, *, delivery: str = "",
                allow_private: bool = False, forge_urls: list[str] | None = None) -> JobRequest:
    """The job a delivery asks for. Raises :class:`Ignored` (answer 202), :class:`Refused`
    (400 for malformed or unsafe fields, 403 for a repository that is not ours to build)."""
    if event not in ("push", "release", "delete"):
        raise Ignored(f"{event or 'unknown'} events are not built" if event else
                      "no X-Gitea-Event or X-Gogs-Event header")
    if not isinstance(payload, dict) or not isinstance(payload.get("repository"), dict):
        raise Refused(400, "the payload has no repository")
    repository: dict[str, Any] = payload["repository"]
    full_name = _text(repository, "full_name")
    owner = _user(repository.get("owner")) or full_name.partition("/")[0]
    name = _text(repository, "name") or full_name.partition("/")[2]
    html_url = (_text(repository, "html_url") or _text(repository, "url")).rstrip("/")
    try:
        check_name(owner, "owner")
        check_name(name, "repo")
    except ValueError as exc:
        raise Refused(400, str(exc)) from exc
    if urlparse(html_url).scheme not in ("http", "https") or not urlparse(html_url).netloc:
        raise Refused(400, f"repository.html_url {html_url!r} is not an http(s) URL")
    if forge_urls and not any(html_url.lower().startswith(base.rstrip("/").lower() + "/")
                              for base in forge_urls):
        raise Refused(403, f"{html_url} is not on a forge this service builds for")
    if repository.get("private") and not allow_private:
        raise Ignored("private repository (set allow_private to build it: its site is public)")
    default_branch = _text(repository, "default_branch")
    clone_url = _text(repository, "clone_url") or f"{html_url}.git"
    pusher = _user(payload.get("pusher")) or _user(payload.get("sender"))

    def request(action: str, ref: str, kind: str, commit: str | None) -> JobRequest:
        try:
            check_ref(ref)
            commit = check_commit(commit) if commit else None
        except ValueError as exc:
            raise Refused(400, str(exc)) from exc
        if kind == "branch" and (ref == default_branch or (
                not default_branch and ref in DEFAULT_BRANCHES)):
            kind = "defaultBranch"
        return JobRequest(action=action, event=event, forge=forge, owner=owner, repo=name,
                          ref=ref, ref_type=kind, commit=commit, html_url=html_url,
                          clone_url=clone_url, pusher=pusher, delivery=delivery)

    if event == "push":
        full_ref, after = _text(payload, "ref"), _text(payload, "after").lower()
        if full_ref.startswith("refs/heads/"):
            ref, kind = full_ref.removeprefix("refs/heads/"), "branch"
        elif full_ref.startswith("refs/tags/"):
            ref, kind = full_ref.removeprefix("refs/tags/"), "tag"
        else:
            raise Ignored(f"ref {full_ref!r} is neither a branch nor a tag")
        if after == ZERO_COMMIT:
            return request("delete", ref, kind, None)
        if not _SHA.fullmatch(after):
            raise Refused(400, f"after {after!r} is not a commit hash")
        if _text(payload, "before").lower() == after:
            raise Ignored("nothing changed (before == after)")
        return request("build", ref, kind, after)
    if event == "release":
        release = payload.get("release")
        action = _text(payload, "action")
        if not isinstance(release, dict):
            raise Refused(400, "the payload has no release")
        if action not in ("published", "updated"):
            raise Ignored(f"release {action or 'event'}: only published and updated are built")
        if release.get("draft"):
            raise Ignored("draft release")
        target = _text(release, "target_commitish").lower()
        return request("build", _text(release, "tag_name"), "tag",
                       target if _SHA.fullmatch(target) else None)
    kind = _text(payload, "ref_type")  # delete
    if kind not in ("branch", "tag"):
        raise Ignored(f"deleted {kind or 'ref'}: only branches and tags are published")
    ref = _text(payload, "ref").removeprefix("refs/heads/").removeprefix("refs/tags/")
    return request("delete", ref, kind, None)
