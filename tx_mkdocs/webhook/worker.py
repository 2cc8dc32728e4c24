"""Running one job: fetch the commit, build it as ``tx-mkdocs build`` does, publish it as
``tx-mkdocs publish`` does, report.

Statuses, in the job record and in ``<commit10>/build_log.json`` / project.json: ``requested``
(written by the web process) → ``started`` → ``success`` / ``warnings`` / ``errors`` / ``failed``,
or ``superseded`` when a newer push of the same ref came before the job could run. The final
job JSON goes by POST to the callback URL, if one is set.

The build runs in a child process (:mod:`tx_mkdocs.timeout`'s): a build that hangs is killed after
``build_timeout``, one that crashes fails its job only. Any exception of the job itself fails
the job and leaves the worker running. When the service stops, running builds are stopped and
their jobs queued again, so that the next start builds them.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huey.exceptions import RetryTask

from .. import __version__
from ..core.context import PLACEHOLDER_COMMIT, BuildContext, utc_now
from ..core.records import (
    BUILD_LOG,
    build_log_record,
    closed_record,
    requested_record,
    started_record,
)
from ..publish import PublishError, Storage, publish, publish_status, unpublish_ref
from ..publish.publisher import SITE_STATUSES, Layout
from ..timeout import child_command, kill_group, write_spec
from .archive import Limits, SourceError, fetch_archive, fetch_git
from .config import WebhookConfig
from .jobs import FINAL, JobQueue

log = logging.getLogger("tx_mkdocs.webhook")
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"
CALLBACK_ATTEMPTS = 3
#: Seconds a worker waits for the web process to publish ``requested`` before ``started``.
ANNOUNCE_WAIT = 5.0


class Interrupted(Exception):  # noqa: N818 - an outcome, not a fault
    """The service is stopping: the job is queued again rather than failed."""


def job_context(job: dict[str, Any]) -> BuildContext:
    """The BuildContext of a job: its id and creation time go into every build log."""
    return BuildContext(owner=job["owner"], repo=job["repo"],
                        commit=job["commit"] or PLACEHOLDER_COMMIT, ref=job["ref"],
                        ref_type=job["ref_type"], server_url=job["server_url"],
                        job_id=job["job_id"], created_at=job["created_at"])


def job_urls(storage: Storage, prefix: str, context: BuildContext) -> dict[str, str]:
    """Where the build's log and the ref's site appear (ValueError: the ref cannot be published,
    e.g. it looks like a commit folder)."""
    layout = Layout.of(prefix, context)
    return {"build_log_url": storage.url(layout.build + BUILD_LOG),
            "site_url": storage.url(layout.alias + "index.html")}


def update(job: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """``job`` with ``fields``; a new status is appended to its ``statuses`` history."""
    changed = {**job, **fields}
    if "status" in fields:
        changed["statuses"] = [*job.get("statuses", []),
                               {"status": fields["status"], "at": utc_now()}]
    return changed


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def post_callback(url: str, job: dict[str, Any], secret: str) -> dict[str, Any]:
    """POST the job JSON to ``url``, signed like the webhook (``X-Tx-Mkdocs-Signature:
    sha256=…``, HMAC-SHA256 with the webhook secret); a few tries. Returns what happened."""
    body = json.dumps(job, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json", "User-Agent": f"tx-mkdocs/{__version__}"}
    if secret:
        headers["X-Tx-Mkdocs-Signature"] = sign(secret, body)
    request = urllib.request.Request(url, data=body, method="POST",  # noqa: S310 - http(s)
                                     headers=headers)
    error = ""
    for attempt in range(CALLBACK_ATTEMPTS):
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - checked
                return {"url": url, "status": answer.status, "at": utc_now()}
        except (OSError, ValueError) as exc:
            error = str(getattr(exc, "reason", exc))
            time.sleep(2 ** attempt)
    log.warning("callback %s failed: %s", url, error)
    return {"url": url, "error": error, "at": utc_now()}


@contextlib.contextmanager
def heartbeat(queue: JobQueue, job_id: str, interval: float) -> Iterator[None]:
    """Tell the other workers every ``interval`` seconds that this job's worker is alive."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(interval):
            try:
                queue.beat(job_id)
            except Exception:
                log.warning("heartbeat of job %s failed", job_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"heartbeat-{job_id[:8]}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


class Worker:
    """Runs jobs (huey's task body): one at a time per huey worker thread."""

    def __init__(self, config: WebhookConfig, queue: JobQueue, storage: Storage) -> None:
        self.config, self.queue, self.storage = config, queue, storage
        self.limits = Limits(max_download=config.max_download, max_unpacked=config.max_unpacked,
                             max_entries=config.max_entries, max_ratio=config.max_ratio,
                             timeout=config.fetch_timeout)
        self._builds: dict[str, subprocess.Popen[bytes]] = {}
        self._guard = threading.Lock()
        self.stopping = threading.Event()

    def stop(self) -> None:
        """Stop the running builds; their jobs are queued again."""
        self.stopping.set()
        with self._guard:
            for process in self._builds.values():
                kill_group(process)

    # --- the task ---------------------------------------------------------------------------

    def run(self, job_id: str) -> None:
        """Run job ``job_id`` unless it is finished; wait (in huey's schedule) while another
        job of its ref runs; supersede it if a newer job of its ref exists."""
        queue = self.queue
        queue.beat(job_id)
        job = queue.get(job_id)
        if job is None or job["status"] in FINAL:
            return
        if self.stopping.is_set():
            raise RetryTask(delay=self.config.lock_retry)
        if not queue.lock(job):
            raise RetryTask(delay=self.config.lock_retry)
        try:
            job = queue.get(job_id) or job
            if job["status"] in FINAL:
                return
            newer = queue.latest(job)
            if newer and newer != job_id:
                job = self._supersede(job, newer)
            elif job["action"] == "delete":
                job = self._delete(job)
            else:
                with heartbeat(queue, job_id, self.config.lease / 4):
                    job = self._build_and_publish(job)
        except Interrupted:
            job = update(queue.get(job_id) or job, status="requested",
                         message="The service stopped during the job; it runs again.")
            queue.save(job)
            queue.enqueue(job_id)
            return
        except Exception as exc:
            log.exception("job %s crashed", job_id)
            job = self._finish(queue.get(job_id) or job, "failed",
                               f"tx-mkdocs job failed: {type(exc).__name__}: {exc}")
        finally:
            queue.unlock(job)
        if self.config.callback_url:
            job = {**job, "callback": post_callback(self.config.callback_url, job,
                                                    self.config.secret)}
            queue.save(job)

    def _finish(self, job: dict[str, Any], status: str, message: str,
                **fields: Any) -> dict[str, Any]:
        job = update(job, status=status, message=message, ended_at=utc_now(), **fields)
        self.queue.save(job)
        log.info("job %s %s: %s", job["job_id"], status, message)
        return job

    def _supersede(self, job: dict[str, Any], newer: str) -> dict[str, Any]:
        message = f"Superseded by job {newer}: a newer push to {job['ref']} came first."
        if job["action"] == "build" and job["commit"]:
            try:
                publish_status(self.storage, closed_record(requested_record(job_context(job)),
                                                           "superseded", message),
                               prefix=self.config.prefix)
            except (PublishError, ValueError) as exc:
                log.warning("job %s: the superseded build log was not written: %s",
                            job["job_id"], exc)
        return self._finish(job, "superseded", message, superseded_by=newer)

    def _delete(self, job: dict[str, Any]) -> dict[str, Any]:
        job = update(job, status="started", started_at=utc_now(), worker=WORKER_ID)
        self.queue.save(job)
        try:
            count = unpublish_ref(self.storage, job_context(job), prefix=self.config.prefix)
        except (PublishError, ValueError) as exc:
            return self._finish(job, "failed", f"Removing {job['ref']} failed: {exc}")
        kind = "tag" if job["ref_type"] == "tag" else "branch"
        return self._finish(job, "success",
                            f"The {kind} {job['ref']} was deleted: its folder ({count} objects) is "
                            "removed and its builds are marked deleted in project.json.")

    def _announce(self, context: BuildContext, started_at: str) -> None:
        """``started`` in build_log.json and project.json before the build (best effort: the
        final publish writes them anyway)."""
        record = {**started_record(requested_record(context)), "started_at": started_at}
        try:
            publish_status(self.storage, record, prefix=self.config.prefix)
        except (PublishError, ValueError) as exc:
            log.warning("job %s: the started build log was not written: %s", context.job_id, exc)

    def _build_and_publish(self, job: dict[str, Any]) -> dict[str, Any]:
        context, started_at = job_context(job), utc_now()
        job = update(job, status="started", started_at=started_at, worker=WORKER_ID,
                     message="tx-mkdocs build started.")
        self.queue.save(job)
        if job["commit"]:
            deadline = time.monotonic() + ANNOUNCE_WAIT
            while not self.queue.announced(job["job_id"]) and time.monotonic() < deadline:
                time.sleep(0.05)
            self._announce(context, started_at)
        workdir = self.config.state_dir / "work" / job["job_id"]
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        try:
            try:
                root, commit = self._fetch(job, workdir)
            except SourceError as exc:
                build_log = build_log_record(None, context, started_at=started_at,
                                             failure=f"The source could not be fetched: {exc}")
            else:
                if not job["commit"]:  # a release: the tag's commit is known now
                    context.commit = commit
                    job = {**job, "commit": commit,
                           **job_urls(self.storage, self.config.prefix, context)}
                    self.queue.save(job)
                    self._announce(context, started_at)
                build_log = self._build(root, workdir, context, started_at)
            if self.stopping.is_set():
                raise Interrupted
            if not job["commit"]:
                return self._finish(job, "failed", build_log["errors"][0],
                                    errors=build_log["errors"][:20])
            try:
                result = publish(workdir / "site", context, build_log, self.storage,
                                 prefix=self.config.prefix, history=self.config.history)
            except (PublishError, ValueError) as exc:
                return self._finish(job, "failed", f"Publishing failed: {exc}",
                                    errors=[str(exc)])
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        fields: dict[str, Any] = {"errors": build_log["errors"][:20],
                                  "warnings": len(build_log["warnings"])}
        if result.ref_build:
            fields["site_url"] = result.url
        if build_log["status"] in SITE_STATUSES:  # since the previous build of the ref
            fields["changes"] = result.changes
        failed = build_log["status"] == "failed" and build_log["errors"]
        return self._finish(job, build_log["status"],
                            build_log["errors"][0] if failed else build_log["message"], **fields)

    def _fetch(self, job: dict[str, Any], workdir: Path) -> tuple[Path, str]:
        if self.config.fetch == "git":
            return fetch_git(job["clone_url"], job["commit"], job["ref"], job["ref_type"],
                             workdir, token=self.config.token, limits=self.limits)
        return fetch_archive(job["html_url"], job["commit"], job["ref"], workdir,
                             token=self.config.token, limits=self.limits)

    def _build(self, root: Path, workdir: Path, context: BuildContext,
               started_at: str) -> dict[str, Any]:
        """Build in a child process (:func:`~tx_mkdocs.timeout.child_command`, i.e.
        :func:`~tx_mkdocs.sitebuild.run_build`); its build_log.json, or a ``failed`` one that
        says why there is none."""
        if self.stopping.is_set():
            raise Interrupted
        site_dir = workdir / "site"
        spec = workdir / "build.json"
        write_spec(spec, root, site_dir, context, links=self.config.plugin_options)
        # the build reads untrusted files: it gets no credentials
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("AWS_", "TX_WEBHOOK_"))}
        output = workdir / "build.out"
        with open(output, "wb") as out:
            process = subprocess.Popen(child_command(spec), cwd=workdir, env=env,
                                       stdin=subprocess.DEVNULL, stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        with self._guard:
            self._builds[context.job_id] = process
        try:
            code = process.wait(timeout=self.config.build_timeout)
            failure = None
        except subprocess.TimeoutExpired:
            kill_group(process)
            code, failure = None, (f"The build took longer than {self.config.build_timeout:g} s "
                                   "and was stopped.")
        finally:
            with self._guard:
                self._builds.pop(context.job_id, None)
        if self.stopping.is_set():
            raise Interrupted
        if failure is None:
            with contextlib.suppress(OSError, ValueError):
                build_log = json.loads((site_dir / BUILD_LOG).read_text(encoding="utf-8"))
                if isinstance(build_log, dict) and build_log.get("job_id") == context.job_id:
                    return build_log
            tail = output.read_text(encoding="utf-8", errors="replace").strip()[-1000:]
            failure = f"The build stopped without a build log (exit code {code}): {tail}"
        return build_log_record(None, context, started_at=started_at, failure=failure)
