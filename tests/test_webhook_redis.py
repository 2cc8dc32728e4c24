"""The distributed path: one web process and two worker processes sharing a Redis queue (a real
redis-server on 127.0.0.1, started by the test). A worker killed mid-job: its job's heartbeat
stops, and the other worker queues it again after the lease."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest_webhook import Forge, Service, recorded
from .helpers import EXAMPLE, sha

pytestmark = [pytest.mark.service, pytest.mark.slow]


def test_many_workers_on_redis_survive_a_killed_worker(
        redis_url: str, tmp_path: Path, forge: Forge, services: Callable[..., Service]):
    settings = {"dest": str(tmp_path / "site"), "queue": redis_url, "lease": 3.0}
    web = services(**settings, role="web")
    workers = [services(**settings, role="worker", workers=1) for _ in range(2)]
    assert web.get("/healthz")[1]["queue"] == "redis"
    push = recorded("gogs_push.json", forge)
    sent = []
    for repo in ("en_qa", "en_qb", "en_qc", "en_qc"):
        commit = sha(f"redis-{len(sent)}")
        forge.add("jdoe", repo, commit, EXAMPLE)
        forge.delays[commit] = 1.5
        repository = {**push["repository"], "name": repo, "full_name": f"jdoe/{repo}",
                      "html_url": f"{forge.url}/jdoe/{repo}"}
        answer = web.post({**push, "after": commit, "repository": repository})
        assert answer.status == 202 and answer.body["status"] == "requested", answer
        sent.append(answer.body["job_id"])

    victim = workers[0]
    assert victim.process is not None
    deadline = time.monotonic() + 20
    killed = None
    while killed is None and time.monotonic() < deadline:
        for job_id in sent:
            job = web.job(job_id)
            if job["status"] == "started" and job.get("worker", "").endswith(
                    f":{victim.process.pid}"):
                killed = job_id
        time.sleep(0.05)
    assert killed, "the first worker never started a job"
    victim.stop(signal.SIGKILL)

    assert killed in sent[:2]  # not one of the two pushes of en_qc (one may be superseded)
    jobs = web.wait(sent, timeout=60)
    assert {j["status"] for j in jobs.values()} <= {"success", "superseded"}, jobs
    history = [s["status"] for s in jobs[killed]["statuses"]]
    assert history[:3] == ["requested", "started", "requested"], history
    assert jobs[killed]["status"] == "success"
    assert jobs[killed]["worker"].endswith(f":{workers[1].process.pid}")
    # the two pushes of en_qc: the newer one is published, whatever happened to the older
    assert jobs[sent[3]]["status"] == "success"
    log = (tmp_path / "site/u/jdoe/en_qc/master/build_log.json").read_text()
    assert sha("redis-3") in log
    for repo in ("en_qa", "en_qb"):
        assert (tmp_path / f"site/u/jdoe/{repo}/master/index.html").exists()
    listed = web.get("/jobs?repo=en_qc")[1]["jobs"]
    assert [j["job_id"] for j in listed] == [sent[3], sent[2]]
