"""How ``tx-mkdocs serve`` notices saved files (tx_mkdocs/watching.py): polling as MkDocs does,
as often as a look at the repository is cheap."""

from __future__ import annotations

from pathlib import Path

import pytest
from watchdog.observers.api import EventQueue, ObservedWatch
from watchdog.observers.polling import PollingEmitter

from tx_mkdocs import watching


@pytest.mark.parametrize(("look", "interval"), [
    (0.0001, watching.SOONEST),  # a Bible's repository: as often as allowed
    (0.02, 0.2),  # a look takes a tenth of the time at most
    (1.0, watching.LATEST),  # never less often than MkDocs
])
def test_a_costly_look_is_made_less_often(tmp_path: Path, monkeypatch, look: float,
                                          interval: float):
    clock = [0.0]
    waits = []

    def queue_events(self, timeout: float) -> None:
        waits.append(timeout)
        clock[0] += timeout + look

    monkeypatch.setattr(PollingEmitter, "queue_events", queue_events)
    monkeypatch.setattr(watching.time, "perf_counter", lambda: clock[0])
    poller = watching._Poller(EventQueue(), ObservedWatch(str(tmp_path), recursive=True))
    poller.queue_events(1.0)
    poller.queue_events(1.0)
    assert waits[0] == watching.SOONEST
    assert waits[1] == pytest.approx(interval)


def test_the_server_polls_with_it(tmp_path: Path):
    server = watching.Server(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        server.watch(str(tmp_path))
        assert [type(e) for e in server.observer.emitters] == [watching._Poller]
        assert server.build_delay == watching.SOONEST
    finally:
        server.server_close()
