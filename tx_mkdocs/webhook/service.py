"""Running the webhook service: the web side (uvicorn), the workers (a huey consumer with thread
workers), or both in one process (``role = "all"``, the default, for a small server).

The workers also run recovery (see ``jobs.py``): once at start, then every ``lease / 2``
seconds, with an hourly pruning of old job records.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from huey.consumer import Consumer

from ..publish import open_storage
from .app import create_app
from .config import WebhookConfig
from .jobs import JobQueue, sole_consumer
from .worker import Worker

log = logging.getLogger("tx_mkdocs.webhook")
#: Seconds a stopping service waits for jobs that are publishing (builds are stopped at once).
STOP_TIMEOUT = 30.0
PRUNE_EVERY = 3600.0


class _Consumer(Consumer):
    """huey's consumer, stopping the running builds first when it stops; when it shares the
    process with uvicorn, uvicorn owns the signals."""

    def __init__(self, huey: Any, *, on_stop: Callable[[], None], own_signals: bool,
                 **options: Any) -> None:
        self._on_stop, self._own_signals = on_stop, own_signals
        super().__init__(huey, **options)

    def stop(self, graceful: bool = False) -> None:
        self._on_stop()
        super().stop(graceful)

    def _set_signal_handlers(self) -> None:
        if self._own_signals:
            super()._set_signal_handlers()


class Workers:
    """The consumer, and the recovery loop beside it."""

    def __init__(self, config: WebhookConfig, queue: JobQueue, worker: Worker, *,
                 own_signals: bool) -> None:
        self.config, self.queue, self.worker = config, queue, worker
        self.consumer = _Consumer(
            queue.huey, on_stop=worker.stop, own_signals=own_signals, workers=config.workers,
            worker_type="thread", periodic=False, initial_delay=0.1, backoff=1.15,
            max_delay=1.0, shutdown_timeout=STOP_TIMEOUT, graceful_signal="TERM")
        self._stop = threading.Event()
        self._recovery = threading.Thread(target=self._recover, name="recovery", daemon=True)

    def _recover(self) -> None:
        pruned = time.monotonic()
        while not self._stop.wait(self.config.lease / 2):
            try:
                self.queue.recover()
                if time.monotonic() - pruned > PRUNE_EVERY:
                    pruned = time.monotonic()
                    self.queue.prune()
            except Exception:
                log.exception("recovery failed")

    def _begin(self) -> None:
        again = self.queue.recover(everything=self.queue.embedded)
        if again:
            log.warning("%d unfinished jobs queued again", len(again))
        self._recovery.start()

    def start(self) -> None:
        """Start in the background (beside uvicorn)."""
        self._begin()
        self.consumer.start()

    def stop(self) -> None:
        self._stop.set()
        self.consumer.stop(graceful=True)

    def run(self) -> None:
        """Run until SIGTERM or SIGINT (the worker role)."""
        self._begin()
        try:
            self.consumer.run()
        finally:
            self._stop.set()


def serve(config: WebhookConfig) -> None:
    """Run the role that ``config`` names until the process is told to stop."""
    import uvicorn

    queue = JobQueue(config)
    storage = open_storage(bucket=config.bucket or None, dest=config.dest or None,
                           endpoint_url=config.endpoint_url or None,
                           base_url=config.base_url or None, attempts=config.attempts)
    workers = None
    if config.role in ("all", "worker"):
        worker = Worker(config, queue, storage)
        queue.bind(worker.run)
        workers = Workers(config, queue, worker, own_signals=config.role == "worker")
    if config.role == "worker":
        assert workers is not None
        with sole_consumer(queue):
            workers.run()
        return

    @contextlib.asynccontextmanager
    async def lifespan(app: object) -> AsyncIterator[None]:
        if workers is None:
            yield
            return
        with sole_consumer(queue):
            workers.start()
            try:
                yield
            finally:
                workers.stop()

    app = create_app(config, queue, storage, lifespan=lifespan)
    uvicorn.run(app, host=config.host, port=config.port, server_header=False,
                timeout_graceful_shutdown=10)
