"""Durable jobs on huey: the queue, the job records, one running job per repo and ref, recovery.

huey (https://huey.readthedocs.io) gives both backends from one library and one API: SqliteHuey,
embedded, needs no other server, and its queue is a table that survives restarts; RedisHuey lets
many worker processes on many hosts share one queue. Everything here uses huey's queue and its
key-value store (``put_data``/``peek_data``/``put_if_empty``: SQLite rows or one Redis hash), so
both backends run the same code:

``tx.job.<id>``
    the job record (JSON): what the API answers and the callback receives
``tx.latest.<owner>/<repo>/<ref>``
    the newest job of a ref: an older one that comes to run is ``superseded``
``tx.lock.<owner>/<repo>/<ref>``
    the job running on that ref (``put_if_empty``: at most one); another job of the ref waits
    in huey's schedule (``RetryTask``) until it is released
``tx.beat.<id>``
    when the job's worker last said it was alive
``tx.announced.<id>``
    the web process has published the ``requested`` build log (the worker waits a little for
    it, so that ``started`` never lands before ``requested``)

A queued task is a row (or list item) until a worker takes it. A job whose worker died (killed,
host lost) is found by :meth:`JobQueue.recover`: at start for the embedded queue, whose single
consumer process holds a file lock so that nothing else can be running its jobs, and every
``lease / 2`` seconds for any queue, for jobs whose heartbeat is older than ``lease``. Such a job
is queued again; running it twice is harmless (the ref lock and the status check let one run
build it, the others see it finished).
"""

from __future__ import annotations

import calendar
import contextlib
import fcntl
import json
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

from huey import RedisHuey, SqliteHuey
from huey.api import Huey
from huey.constants import EmptyData

from ..core.context import utc_now
from .config import WebhookConfig

log = logging.getLogger("tx_mkdocs.webhook")

TASK_NAME = "tx_mkdocs_job"
ACTIVE = ("requested", "started")
FINAL = ("success", "warnings", "errors", "failed", "superseded")


def open_huey(config: WebhookConfig) -> Huey:
    """SqliteHuey for ``sqlite:///PATH`` (relative, or ``sqlite:////abs``), RedisHuey else."""
    url = config.queue_url
    if urlparse(url).scheme == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        # results=False: tasks report through the job records, not huey's result store
        return SqliteHuey(config.queue_name, filename=str(path), results=False, timeout=30)
    return RedisHuey(config.queue_name, url=url, results=False)


def ref_key(job: dict[str, Any]) -> str:
    return f"{job['owner']}/{job['repo']}/{job['ref']}"


def timestamp(value: str | None) -> float:
    """Seconds since the epoch of a Door43 timestamp (``2024-01-23T10:15:03Z``); 0 if none."""
    try:
        return float(calendar.timegm(time.strptime(value or "", "%Y-%m-%dT%H:%M:%SZ")))
    except ValueError:
        return 0.0


class JobQueue:
    """The huey instance, its one task, and the job records in huey's key-value store."""

    def __init__(self, config: WebhookConfig) -> None:
        self.config = config
        self.huey = open_huey(config)
        self.storage = self.huey.storage
        self._run: Callable[[str], None] | None = None
        self.task = self.huey.task(name=TASK_NAME)(self._execute)

    @property
    def embedded(self) -> bool:
        return isinstance(self.huey, SqliteHuey)

    def bind(self, run: Callable[[str], None]) -> None:
        """The function that runs a job, in processes that have workers."""
        self._run = run

    def _execute(self, job_id: str) -> None:
        if self._run is None:
            raise RuntimeError("this process has no workers")
        self._run(job_id)

    # --- records ---------------------------------------------------------------------------

    def save(self, job: dict[str, Any]) -> None:
        self.storage.put_data(f"tx.job.{job['job_id']}", json.dumps(job).encode("utf-8"))

    def get(self, job_id: str) -> dict[str, Any] | None:
        data = self.storage.peek_data(f"tx.job.{job_id}")
        return None if data is EmptyData else json.loads(bytes(data))

    def jobs(self) -> list[dict[str, Any]]:
        """Every job record, newest first."""
        found = [json.loads(bytes(value)) for key, value in self.storage.result_items().items()
                 if key.startswith("tx.job.")]
        return sorted(found, key=lambda j: (j.get("created_at") or "", j.get("seq") or 0),
                      reverse=True)

    def find(self, *, owner: str | None = None, repo: str | None = None,
             ref: str | None = None, status: str | None = None,
             limit: int = 50) -> list[dict[str, Any]]:
        wanted = {"owner": owner, "repo": repo, "ref": ref, "status": status}
        return [job for job in self.jobs()
                if all(value is None or job.get(key) == value
                       for key, value in wanted.items())][:limit]

    def latest(self, job: dict[str, Any]) -> str | None:
        data = self.storage.peek_data(f"tx.latest.{ref_key(job)}")
        return None if data is EmptyData else bytes(data).decode()

    def beat(self, job_id: str) -> None:
        self.storage.put_data(f"tx.beat.{job_id}", str(time.time()).encode())

    def mark_announced(self, job_id: str) -> None:
        """The web process has published (or tried to) the ``requested`` build log."""
        self.storage.put_data(f"tx.announced.{job_id}", b"1")

    def announced(self, job_id: str) -> bool:
        return bool(self.storage.has_data_for_key(f"tx.announced.{job_id}"))

    def last_beat(self, job_id: str) -> float | None:
        data = self.storage.peek_data(f"tx.beat.{job_id}")
        return None if data is EmptyData else float(bytes(data))

    # --- the queue -------------------------------------------------------------------------

    def submit(self, job: dict[str, Any]) -> None:
        """Record a new job, make it the newest of its ref, queue it (in that order: a task
        never runs before its record exists, and a record without a task is recovered)."""
        self.save(job)
        self.storage.put_data(f"tx.latest.{ref_key(job)}", job["job_id"].encode())
        self.enqueue(job["job_id"])

    def enqueue(self, job_id: str) -> None:
        self.huey.enqueue(self.task.s(job_id, id=job_id))

    def queued(self) -> set[str]:
        """Ids of the jobs waiting in the queue or in the schedule (lock retries)."""
        return {task.id for task in self.huey.pending() + self.huey.scheduled()}

    # --- one running job per repo and ref ---------------------------------------------------

    def lock(self, job: dict[str, Any]) -> bool:
        return bool(self.storage.put_if_empty(f"tx.lock.{ref_key(job)}",
                                              job["job_id"].encode()))

    def lock_holder(self, job: dict[str, Any]) -> str | None:
        data = self.storage.peek_data(f"tx.lock.{ref_key(job)}")
        return None if data is EmptyData else bytes(data).decode()

    def unlock(self, job: dict[str, Any]) -> None:
        """Release the ref lock if ``job`` holds it."""
        if self.lock_holder(job) == job["job_id"]:
            self.storage.delete_data(f"tx.lock.{ref_key(job)}")

    # --- recovery and housekeeping ---------------------------------------------------------

    def recover(self, *, everything: bool = False) -> list[str]:
        """Queue again the unfinished jobs whose worker is gone: no task queued for them, and
        no heartbeat for ``lease`` seconds (``everything``: whatever the heartbeat, when this
        process is known to be the only consumer and has not started yet). Returns their ids."""
        queued, now, again = self.queued(), time.time(), []
        for job in self.jobs():
            job_id = job["job_id"]
            if job.get("status") not in ACTIVE or job_id in queued:
                continue
            seen = self.last_beat(job_id) or timestamp(job.get("created_at"))
            if not everything and now - seen < self.config.lease:
                continue
            if job["status"] == "started":
                self.unlock(job)
                job = {**job, "status": "requested",
                       "message": "The worker running this job stopped; the job runs again.",
                       "statuses": [*job.get("statuses", []),
                                    {"status": "requested", "at": utc_now()}]}
                self.save(job)
            self.beat(job_id)  # another worker's recovery leaves it alone for a lease
            self.enqueue(job_id)
            again.append(job_id)
            log.warning("job %s (%s) queued again: its worker is gone", job_id, ref_key(job))
        return again

    def prune(self) -> int:
        """Forget finished jobs older than ``keep_days``, and newest-of-ref pointers to
        forgotten jobs. Returns the number of records deleted."""
        horizon = time.time() - self.config.keep_days * 86400
        items = self.storage.result_items()
        gone = 0
        for job in self.jobs():
            if job.get("status") in FINAL and timestamp(job.get("created_at")) < horizon:
                self.storage.delete_data(f"tx.job.{job['job_id']}")
                self.storage.delete_data(f"tx.beat.{job['job_id']}")
                self.storage.delete_data(f"tx.announced.{job['job_id']}")
                gone += 1
        for key, value in items.items():
            if key.startswith("tx.latest.") and self.get(bytes(value).decode()) is None:
                self.storage.delete_data(key)
        return gone


@contextlib.contextmanager
def sole_consumer(queue: JobQueue) -> Iterator[None]:
    """For the embedded queue: hold a file lock next to the database while consuming, so that
    a second worker process on the same file fails at once (recovery at start assumes it is
    alone). Redis queues need no such lock."""
    if not queue.embedded:
        yield
        return
    path = Path(queue.config.queue_url.removeprefix("sqlite:///") + ".consumer.lock")
    handle: IO[str] = open(path, "a")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(f"another worker process consumes {path.with_suffix('')}; an "
                               "embedded (SQLite) queue takes one (use Redis for more)") from None
        yield
    finally:
        handle.close()
