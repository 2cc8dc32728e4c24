"""How ``tx-mkdocs serve`` notices a saved file: MkDocs' polling, sooner.

MkDocs' live-reload server looks at the watched folders every 0.5 s (a poll: every file's
``stat``), then waits until nothing changed for 0.1 s: 0.35 s on average between saving a file
and its rebuild starting. Polling is kept (it sees changes that file-system events miss: network
folders, WSL's Windows drives, some containers), but a repository that is cheap to look at is
looked at every 0.05 s (a Bible's 70 files: under a millisecond a look) and the wait is one such
interval; a large repository is looked at less often, so that watching takes about a tenth of a
core at most, and never less often than MkDocs does.
"""

from __future__ import annotations

import time
from typing import Any

from mkdocs.livereload import LiveReloadServer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingEmitter, PollingObserver

#: Seconds between two looks at a watched folder: at least, and at most (MkDocs' own).
SOONEST, LATEST = 0.05, 0.5
#: A look may take this share of the time at most (the rest is waiting for the next one).
SHARE = 0.1


class _Poller(PollingEmitter):
    """Looks at one watched folder again :data:`SOONEST` s after the last look, or later when
    a look takes long (see :data:`SHARE`)."""

    interval = SOONEST

    def queue_events(self, timeout: float) -> None:
        started = time.perf_counter()
        super().queue_events(self.interval)
        looked = time.perf_counter() - started - self.interval
        self.interval = min(LATEST, max(SOONEST, looked / SHARE))


class _Observer(PollingObserver):
    """A polling observer whose folders are looked at by :class:`_Poller`."""

    def __init__(self) -> None:
        BaseObserver.__init__(self, _Poller)


class Server(LiveReloadServer):
    """MkDocs' live-reload server with :class:`_Observer` watching its folders; a rebuild
    starts :data:`SOONEST` s after the last change seen (MkDocs: 0.1 s)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.observer = _Observer()
        self.build_delay = SOONEST
