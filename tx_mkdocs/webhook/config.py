"""The webhook service's settings: a TOML file, then ``TX_WEBHOOK_*`` environment variables, then
command-line options, each overriding the one before.

Secrets (the webhook secret, the forge token) come from the file, the environment or a file of
their own (``secret_file``, ``token_file``: systemd credentials, Docker secrets), never from
the command line, where every user of the host could read them.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..core.records import HISTORY_LIMIT
from ..publish import DEFAULT_ATTEMPTS, DEFAULT_PREFIX
from ..publish.publisher import check_prefix

ENV_PREFIX = "TX_WEBHOOK_"
ROLES = ("all", "web", "worker")
FETCHES = ("archive", "git")
MiB = 1024 * 1024


@dataclass
class WebhookConfig:
    """Every setting, with its default. Sizes are bytes, times seconds."""

    #: the shared secret of the webhook (HMAC-SHA256 of the body); required
    secret: str = field(default="", repr=False)
    #: where to listen; put a TLS proxy in front, passing ``Host`` and ``X-Forwarded-Proto``
    #: (they make ``job_url``)
    host: str = "127.0.0.1"
    #: the port to listen on
    port: int = 8080
    #: all: web + workers in one process; web: answer and queue only; worker: build only
    role: str = "all"
    #: builds at a time (role ``all`` or ``worker``)
    workers: int = 2
    #: sqlite:///PATH (embedded, one worker process) or redis://HOST:PORT/DB (many workers);
    #: default ``sqlite:///<data_dir>/queue.db``
    queue: str = ""
    #: the name of the huey queue
    queue_name: str = "tx-mkdocs"
    #: the SQLite queue and the build folders live here; default ``$STATE_DIRECTORY`` (systemd),
    #: else ``./tx-mkdocs-webhook``
    data_dir: str = ""
    # where sites go: the options of `tx-mkdocs publish` (credentials from the AWS chain)
    #: the bucket to publish to (or ``file:///DIR``); give this or ``dest``
    bucket: str = ""
    #: a local folder to publish to instead of a bucket
    dest: str = ""
    #: an S3-compatible server (default: AWS)
    endpoint_url: str = ""
    #: public URL of the bucket root, for the site URLs (default: the bucket's URL)
    base_url: str = ""
    #: key prefix; builds go to ``<prefix>/<owner>/<repo>/``
    prefix: str = DEFAULT_PREFIX
    #: builds kept in ``project.json`` (tags are always kept)
    history: int = HISTORY_LIMIT
    #: tries per S3 request
    attempts: int = DEFAULT_ATTEMPTS
    # fetching the source
    #: ``archive`` (the forge's zip of the commit) or ``git`` (a depth-1 fetch)
    fetch: str = "archive"
    #: a forge access token (Gitea/Gogs "token" scheme) for private repositories
    token: str = field(default="", repr=False)
    #: repositories must live under one of these URLs (empty: any http(s) URL)
    forge_urls: list[str] = field(default_factory=list)
    #: build private repositories too (by default they are ignored: their site would be public)
    allow_private: bool = False
    #: receives every job's final JSON by POST (signed like the webhook)
    callback_url: str = ""
    # limits
    #: largest webhook body accepted (bytes)
    max_body: int = 2 * MiB
    #: largest archive downloaded (bytes)
    max_download: int = 512 * MiB
    #: largest total size of an extracted archive (bytes)
    max_unpacked: int = 2048 * MiB
    #: most entries in an archive
    max_entries: int = 100_000
    #: most an archive or entry may expand (unpacked / packed size)
    max_ratio: float = 100.0
    #: seconds a build may take before it is killed
    build_timeout: float = 900.0
    #: seconds fetching the source may take
    fetch_timeout: float = 300.0
    # the queue's timing
    #: seconds without a heartbeat after which a running job is queued again (a lost worker)
    lease: float = 60.0
    #: seconds between tries of a job waiting for the lock of its repo and ref
    lock_retry: float = 2.0
    #: days job records are kept
    keep_days: float = 30.0
    # where rc:// links to other resources lead (the --links-* options of the CLI)
    #: as ``--links-owner`` of ``tx-mkdocs build``
    links_owner: str = ""
    #: as ``--links-base-url``
    links_base_url: str = ""
    #: as ``--links-language``
    links_language: str = ""
    # PDFs (docs/pdf.md): published with each site
    #: as ``--pdf``: every build also makes the resource's PDFs (more CPU and memory per build)
    pdf: bool = False
    #: as ``--pdf-images``: a local folder where PDFs find the pictures (OBS, tA) by file name
    pdf_images: str = ""

    @property
    def queue_url(self) -> str:
        return self.queue or f"sqlite:///{Path(self.state_dir, 'queue.db')}"

    @property
    def state_dir(self) -> Path:
        return Path(self.data_dir or os.environ.get("STATE_DIRECTORY", "")
                    or "tx-mkdocs-webhook").resolve()

    @property
    def plugin_options(self) -> dict[str, Any]:
        """The plugin's options that are set (``links_*``, ``pdf``, ``pdf_images``), as the
        build's command-line options give them."""
        options: dict[str, Any] = {
            name: value for name in ("links_owner", "links_base_url", "links_language", "pdf")
            if (value := getattr(self, name))}
        if self.pdf_images:
            options["pdf_images"] = str(Path(self.pdf_images).resolve())
        return options

    def check(self) -> WebhookConfig:
        """Refuse settings that cannot work, before anything starts; ValueError says which."""
        if not self.secret and self.role != "worker":
            raise ValueError("a webhook secret is required (secret, secret_file or "
                             f"{ENV_PREFIX}SECRET): unsigned pushes are refused")
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if self.fetch not in FETCHES:
            raise ValueError(f"fetch must be one of {', '.join(FETCHES)}")
        if bool(self.bucket) == bool(self.dest):
            raise ValueError("give either bucket (or file:///DIR) or dest")
        check_prefix(self.prefix)
        scheme = urlparse(self.queue_url).scheme
        if scheme not in ("sqlite", "redis", "rediss", "unix"):
            raise ValueError(f"queue {self.queue_url!r}: use sqlite:///PATH or redis://HOST/DB")
        if self.workers < 1 and self.role != "web":
            raise ValueError("workers must be 1 or more")
        for url in self.forge_urls + ([self.callback_url] if self.callback_url else []):
            if urlparse(url).scheme not in ("http", "https"):
                raise ValueError(f"{url!r} is not an http(s) URL")
        if self.pdf_images and self.role != "web" and not Path(self.pdf_images).is_dir():
            raise ValueError(f"pdf_images: {self.pdf_images!r} is not a folder")
        for name in ("max_body", "max_download", "max_unpacked", "max_entries", "max_ratio",
                     "build_timeout", "fetch_timeout", "lease", "lock_retry", "history",
                     "attempts"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        return self


def _fields() -> dict[str, dataclasses.Field[Any]]:
    return {f.name: f for f in dataclasses.fields(WebhookConfig)}


def _convert(name: str, value: Any) -> Any:
    """A file or environment value as the type of the setting (environment values are text)."""
    default = _fields()[name].default
    kind = list if default is dataclasses.MISSING else type(default)
    if kind is list:
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list):
            raise ValueError(f"{name}: expected a list")
        return [str(item).strip() for item in items if str(item).strip()]
    if kind is bool:
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("1", "true", "yes", "on"):
            return True
        if str(value).lower() in ("0", "false", "no", "off", ""):
            return False
        raise ValueError(f"{name}: expected true or false, not {value!r}")
    try:
        return kind(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected {kind.__name__}, not {value!r}") from exc


def _read_secret(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ValueError(f"{what}: cannot read {path}: {exc.strerror}") from exc


def load_config(path: str | os.PathLike[str] | None = None, *,
                env: Mapping[str, str] | None = None,
                overrides: Mapping[str, Any] | None = None) -> WebhookConfig:
    """The settings of ``path`` (TOML), then ``TX_WEBHOOK_*`` from ``env``, then ``overrides``
    (None values ignored). Checked; ValueError says what is wrong."""
    env = os.environ if env is None else env
    names = _fields()
    values: dict[str, Any] = {}
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"{path}: {exc}") from exc
        data = data.get("webhook", data)  # a [webhook] table, or top-level keys
        for key, value in data.items():
            if key in ("secret_file", "token_file"):
                values[key.removesuffix("_file")] = _read_secret(str(value), key)
            elif key in names:
                values[key] = _convert(key, value)
            else:
                raise ValueError(f"{path}: unknown setting {key!r}")
    for key in ("secret", "token"):
        file_var = f"{ENV_PREFIX}{key.upper()}_FILE"
        if env.get(file_var):
            values[key] = _read_secret(env[file_var], file_var)
    for key in names:
        if (value := env.get(ENV_PREFIX + key.upper())) is not None:
            values[key] = _convert(key, value)
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = _convert(key, value)
    return WebhookConfig(**values).check()
