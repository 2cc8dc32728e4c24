"""Where sites are published: a small object-store interface, for S3 and for a local folder.

The publish algorithm (``publisher.py``) sees only :class:`Storage`, so ``--dest``/``file://`` and
any S3-compatible server run the same code path. Keys are ``/``-separated; an object's ``etag``
is the hex MD5 of its content (S3's ETag of a single-part upload or copy), which is how unchanged
objects are recognised without downloading them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

#: How often one S3 request is tried (connection errors, 5xx, throttling) before it fails.
DEFAULT_ATTEMPTS = 5
#: Error codes of a conditional write that lost the race: IfMatch on a changed key gives 412
#: (404 on AWS and moto when the key vanished, 412 on SeaweedFS), and AWS answers 409 when two
#: conditional writes overlap.
_LOST_RACE = {"PreconditionFailed", "NoSuchKey", "ConditionalRequestConflict", "412", "404",
              "409"}
_TMP = ".tx-mkdocs-tmp-"
_BUCKET = re.compile(r"[a-z0-9][a-z0-9._-]{1,62}")


class StorageError(Exception):
    """A storage operation failed for good (after the backend's own retries)."""


class Conflict(Exception):  # noqa: N818 - an outcome, not a fault
    """A conditional write lost the race: the object changed (or appeared) since it was read."""


def md5_hex(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


class Storage(ABC):
    """The five operations publishing needs. Every error is a :class:`StorageError`."""

    @abstractmethod
    def list(self, prefix: str) -> dict[str, str]:
        """``{key relative to prefix: etag}`` of every object under ``prefix`` (ends with /)."""

    @abstractmethod
    def get(self, key: str) -> tuple[bytes, str] | None:
        """Content and etag of ``key``, or None when it does not exist."""

    @abstractmethod
    def put(self, key: str, body: bytes, *, content_type: str, cache_control: str,
            if_match: str | None = None, if_none_match: bool = False) -> None:
        """Write ``key``; with ``if_match``/``if_none_match`` raise :class:`Conflict` instead of
        overwriting an object that changed since it was read (or that appeared meanwhile)."""

    @abstractmethod
    def copy(self, source: str, key: str, *, content_type: str, cache_control: str,
             if_match: str | None = None) -> None:
        """Server-side copy (no download, no re-upload); keeps the etag. With ``if_match``,
        raise :class:`Conflict` unless ``source`` still has that etag."""

    @abstractmethod
    def delete(self, keys: Iterable[str]) -> None:
        """Delete ``keys``; missing ones are fine."""

    @abstractmethod
    def url(self, key: str) -> str:
        """Where a reader finds ``key``."""


class S3Storage(Storage):
    """A bucket on AWS S3 or any S3-compatible server; credentials from the standard AWS chain."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None,
                 base_url: str | None = None, attempts: int = DEFAULT_ATTEMPTS,
                 workers: int = 8) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        config = Config(
            # "standard" retries connection errors, 5xx and throttling with jittered backoff
            retries={"mode": "standard", "max_attempts": attempts},
            connect_timeout=10, read_timeout=60, max_pool_connections=workers + 2,
            # the newer default checksums are refused by several S3-compatible servers
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        self.client = boto3.session.Session().client("s3", endpoint_url=endpoint_url,
                                                     config=config)
        endpoint = endpoint_url or self.client.meta.endpoint_url
        self.base_url = (base_url or f"{endpoint.rstrip('/')}/{bucket}").rstrip("/")

    @contextlib.contextmanager
    def _errors(self, what: str, key: str) -> Iterator[None]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"{what} s3://{self.bucket}/{key}: {exc}") from exc

    def list(self, prefix: str) -> dict[str, str]:
        found: dict[str, str] = {}
        with self._errors("listing", prefix):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix)
            for page in pages:
                for item in page.get("Contents", []):
                    found[item["Key"][len(prefix):]] = item["ETag"].strip('"')
        return found

    def get(self, key: str) -> tuple[bytes, str] | None:
        with self._errors("reading", key):
            try:
                answer = self.client.get_object(Bucket=self.bucket, Key=key)
            except self.client.exceptions.NoSuchKey:
                return None
            return answer["Body"].read(), answer["ETag"].strip('"')

    @contextlib.contextmanager
    def _conflicts(self, conditional: bool, key: str) -> Iterator[None]:
        """A failed precondition of a conditional request is a :class:`Conflict`."""
        from botocore.exceptions import ClientError

        try:
            yield
        except ClientError as exc:
            error = exc.response.get("Error", {})
            status = str(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode"))
            if conditional and (error.get("Code") in _LOST_RACE or status in _LOST_RACE):
                raise Conflict(key) from exc
            raise

    def put(self, key: str, body: bytes, *, content_type: str, cache_control: str,
            if_match: str | None = None, if_none_match: bool = False) -> None:
        extra: dict[str, Any] = {}
        if if_match is not None:
            extra["IfMatch"] = f'"{if_match}"'
        elif if_none_match:
            extra["IfNoneMatch"] = "*"
        with self._errors("writing", key), self._conflicts(bool(extra), key):
            self.client.put_object(Bucket=self.bucket, Key=key, Body=body,
                                   ContentType=content_type, CacheControl=cache_control, **extra)

    def copy(self, source: str, key: str, *, content_type: str, cache_control: str,
             if_match: str | None = None) -> None:
        extra = {"CopySourceIfMatch": f'"{if_match}"'} if if_match else {}
        with self._errors("copying to", key), self._conflicts(bool(extra), key):
            self.client.copy_object(Bucket=self.bucket, Key=key,
                                    CopySource={"Bucket": self.bucket, "Key": source},
                                    MetadataDirective="REPLACE", ContentType=content_type,
                                    CacheControl=cache_control, **extra)

    def delete(self, keys: Iterable[str]) -> None:
        batch = sorted(keys)
        for start in range(0, len(batch), 1000):  # DeleteObjects takes at most 1000 keys
            chunk = batch[start:start + 1000]
            with self._errors("deleting", chunk[0]):
                answer = self.client.delete_objects(Bucket=self.bucket, Delete={
                    "Objects": [{"Key": k} for k in chunk], "Quiet": True})
            if answer.get("Errors"):
                first = answer["Errors"][0]
                raise StorageError(f"deleting s3://{self.bucket}/{first.get('Key')}: "
                                   f"{first.get('Code')} {first.get('Message')}")

    def url(self, key: str) -> str:
        return f"{self.base_url}/{key}"


class LocalStorage(Storage):
    """A folder laid out like the bucket (``--dest DIR`` or ``file://``): for demos, tests and
    users without S3. Files are replaced atomically; conditional writes hold a lock file."""

    LOCK = ".tx-mkdocs.lock"

    def __init__(self, root: str | os.PathLike[str], *, base_url: str | None = None) -> None:
        self.root = Path(root).resolve()
        self.base_url = (base_url or self.root.as_uri()).rstrip("/")

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise StorageError(f"key {key!r} is not a file inside {self.root}")
        return path

    @contextlib.contextmanager
    def _errors(self, what: str, key: str) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            raise StorageError(f"{what} {self.root / key}: {exc}") from exc

    def list(self, prefix: str) -> dict[str, str]:
        base = self._path(prefix)
        found: dict[str, str] = {}
        with self._errors("listing", prefix):
            for folder, _dirs, files in os.walk(base):
                for name in files:
                    if not name.startswith(_TMP):
                        path = Path(folder, name)
                        found[path.relative_to(base).as_posix()] = md5_hex(path.read_bytes())
        return found

    def get(self, key: str) -> tuple[bytes, str] | None:
        path = self._path(key)
        with self._errors("reading", key):
            try:
                body = path.read_bytes()
            except FileNotFoundError:
                return None
        return body, md5_hex(body)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        import fcntl  # POSIX only, like the conditional writes that need it

        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / self.LOCK, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def put(self, key: str, body: bytes, *, content_type: str, cache_control: str,
            if_match: str | None = None, if_none_match: bool = False) -> None:
        path = self._path(key)
        with self._errors("writing", key):
            if if_match is None and not if_none_match:
                self._write(path, body)
                return
            with self._locked():
                current = self.get(key)
                if (current is None) != (if_match is None) or (
                        current is not None and current[1] != if_match):
                    raise Conflict(key)
                self._write(path, body)

    @staticmethod
    def _write(path: Path, body: bytes) -> None:
        """Readers see the old file or the new one, never half of one."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_TMP, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(body)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def copy(self, source: str, key: str, *, content_type: str, cache_control: str,
             if_match: str | None = None) -> None:
        with self._errors("copying to", key):
            try:
                body = self._path(source).read_bytes()
            except FileNotFoundError:
                if if_match:
                    raise Conflict(source) from None
                raise
            if if_match and md5_hex(body) != if_match:
                raise Conflict(source)
            self._write(self._path(key), body)

    def delete(self, keys: Iterable[str]) -> None:
        for key in keys:
            path = self._path(key)
            with self._errors("deleting", key):
                path.unlink(missing_ok=True)
                for parent in path.parents:  # drop folders left empty, up to the root
                    if parent == self.root:
                        break
                    with contextlib.suppress(OSError):
                        parent.rmdir()

    def url(self, key: str) -> str:
        return f"{self.base_url}/{key}"


def open_storage(*, bucket: str | None = None, dest: str | None = None,
                 endpoint_url: str | None = None, base_url: str | None = None,
                 attempts: int = DEFAULT_ATTEMPTS) -> Storage:
    """``dest`` (or a ``file://`` bucket) is a local folder, anything else an S3 bucket.

    Raises ValueError when neither or both are given, or the bucket name is not one.
    """
    if bucket and bucket.startswith("file://"):
        if dest:
            raise ValueError("give either a bucket or a destination folder, not both")
        dest = url2pathname(urlparse(bucket).path)
        bucket = None
    if bool(bucket) == bool(dest):
        raise ValueError("give either --bucket NAME (or file:///DIR) or --dest DIR")
    if dest:
        return LocalStorage(dest, base_url=base_url)
    assert bucket is not None
    if not _BUCKET.fullmatch(bucket):
        raise ValueError(f"invalid bucket name {bucket!r}")
    return S3Storage(bucket, endpoint_url=endpoint_url, base_url=base_url, attempts=attempts)
