"""``tx-mkdocs webhook`` as a forge sees it, on 127.0.0.1: recorded Gogs and Gitea deliveries,
a local forge serving archives, a real S3 server (SeaweedFS), the embedded SQLite queue.

Redis and many worker processes: test_webhook_redis.py. The parts alone: test_webhook_units.py.
"""

from __future__ import annotations

import contextlib
import json
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tx_mkdocs.webhook.events import signature

from .conftest_s3 import FaultProxy, S3Server
from .conftest_webhook import (
    FINAL,
    SECRET,
    CallbackSink,
    Forge,
    Service,
    make_zip,
    recorded,
)
from .helpers import EXAMPLE, ROOT, free_ports, sha

pytestmark = pytest.mark.service

BASE = "u/jdoe/en_exb/"


def s3_settings(s3: S3Server, bucket: str, endpoint: str | None = None, **more) -> dict:
    return {"bucket": bucket, "endpoint_url": endpoint or s3.endpoint, **more}


def statuses_written(proxy: FaultProxy, key: str) -> list[str]:
    """The statuses of the JSON bodies PUT to ``key``, in order, repeats merged."""
    found: list[str] = []
    for method, path, body in proxy.log:
        if method == "PUT" and path.split("?")[0].endswith(key) and body:
            status = json.loads(body)["status"]
            if not found or found[-1] != status:
                found.append(status)
    return found


def entry_statuses_written(proxy: FaultProxy, commit10: str, ref: str) -> list[str]:
    found: list[str] = []
    for method, path, body in proxy.log:
        if method == "PUT" and path.split("?")[0].endswith("/project.json") and body:
            for entry in json.loads(body)["commits"]:
                if (entry["id"], entry["ref"]) == (commit10, ref) and (
                        not found or found[-1] != entry["status"]):
                    found.append(entry["status"])
    return found


@pytest.mark.s3
@pytest.mark.slow
def test_gogs_push_is_answered_at_once_then_built_and_published(
        s3_env: S3Server, bucket: str, forge: Forge, callbacks: CallbackSink,
        services: Callable[..., Service]):
    """The acceptance path: a recorded Gogs push with a valid signature → the job JSON at once
    (status requested) → statuses requested, started, success in build_log.json and
    project.json, in that order → the site and its final build_log.json in the bucket → the
    final job JSON at the callback URL, signed."""
    push = recorded("gogs_push.json", forge)
    commit = push["after"]
    forge.add("jdoe", "en_exb", commit, EXAMPLE)
    with FaultProxy(s3_env.endpoint) as proxy:
        service = services(**s3_settings(s3_env, bucket, proxy.endpoint,
                                         callback_url=callbacks.url))
        answer = service.post(push)
        assert answer.status == 202, answer
        job = answer.body
        assert job["status"] == "requested"  # answered before the build, not after it
        assert (job["owner"], job["repo"], job["commit"], job["ref"]) == (
            "jdoe", "en_exb", commit, "master")
        assert job["created_at"].endswith("Z") and len(job["job_id"]) == 32
        key = f"{BASE}{commit[:10]}/build_log.json"
        assert job["build_log_url"] == f"{proxy.endpoint}/{bucket}/{key}"
        assert answer.headers["location"] == job["job_url"] == f"{service.url}/jobs/{job['job_id']}"

        final = service.wait([job["job_id"]])[job["job_id"]]
        assert final["status"] == "success", final
        assert [s["status"] for s in final["statuses"]] == ["requested", "started", "success"]
        assert statuses_written(proxy, key) == ["requested", "started", "success"]
        assert entry_statuses_written(proxy, commit[:10], "master") == [
            "requested", "started", "success"]

    log = s3_env.json(bucket, key)
    assert (log["status"], log["job_id"], log["commit_sha"]) == ("success", job["job_id"], commit)
    assert log["source"] == f"{forge.url}/jdoe/en_exb/archive/{commit}.zip"
    assert s3_env.json(bucket, f"{BASE}master/build_log.json")["status"] == "success"
    keys = s3_env.objects(bucket)
    assert {f"{BASE}master/index.html", f"{BASE}master/64-2JN.html",
            f"{BASE}{commit[:10]}/65-3JN.html", f"{BASE}manifest.json"} <= set(keys)
    [entry] = s3_env.json(bucket, BASE + "project.json")["commits"]
    assert (entry["status"], entry["job_id"]) == ("success", job["job_id"])
    assert final["site_url"].endswith(f"/{bucket}/{BASE}master/index.html")
    # the first build of the ref: nothing to compare with, said in the job and the log
    assert "changes" in final and final["changes"] is None and log["changes"] is None
    assert f"{BASE}master/changes.html" in keys

    deadline = time.monotonic() + 10
    while not callbacks.received and time.monotonic() < deadline:
        time.sleep(0.05)
    [(sent, signed, raw)] = callbacks.received
    assert sent["job_id"] == job["job_id"] and sent["status"] == "success"
    assert "changes" in sent
    assert signed == f"sha256={signature(SECRET, raw)}"
    assert service.job(job["job_id"])["callback"]["status"] == 204

    status, listed = service.get("/jobs?owner=jdoe&repo=en_exb")
    assert status == 200 and [j["job_id"] for j in listed["jobs"]] == [job["job_id"]]
    assert service.get("/jobs?owner=someone-else")[1]["jobs"] == []
    assert service.get("/jobs/" + "0" * 32)[0] == 404
    assert service.get("/healthz") == (200, {"status": "ok", "role": "all", "queue": "sqlite",
                                             "queued": 0})


@pytest.mark.s3
@pytest.mark.slow
def test_gitea_branch_tag_release_and_deletion(s3_env: S3Server, bucket: str, forge: Forge,
                                               services: Callable[..., Service]):
    """Gitea deliveries (X-Gitea-Signature and X-Hub-Signature-256, or the latter alone): a
    branch with a slash, a tag push, a release whose tag's commit the worker finds in the
    archive, then the branch deleted (its folder goes, its project.json entry is marked)."""
    service = services(**s3_settings(s3_env, bucket))
    push = recorded("gitea_push.json", forge)
    tag = recorded("gitea_push_tag.json", forge)
    release = recorded("gitea_release.json", forge)
    release_commit = sha("v2")
    for commit in (push["after"], tag["after"]):
        forge.add("jdoe", "en_exb", commit, EXAMPLE)
    forge.add("jdoe", "en_exb", "v2", EXAMPLE, commit=release_commit)

    body = json.dumps(push).encode()
    hub_only = service.post(body, forge="gitea", signature="", headers={
        "X-Hub-Signature-256": f"sha256={signature(SECRET, body)}"})
    answers = [hub_only, service.post(tag, forge="gitea"),
               service.post(release, event="release", forge="gitea")]
    assert [a.status for a in answers] == [202, 202, 202], answers
    assert answers[2].body["commit"] is None
    assert answers[2].body["build_log_url"].endswith(f"{BASE}v2/build_log.json")
    jobs = service.wait([a.body["job_id"] for a in answers])
    assert [j["status"] for j in jobs.values()] == ["success"] * 3, jobs
    assert jobs[answers[2].body["job_id"]]["commit"] == release_commit

    keys = s3_env.objects(bucket)
    for folder in ("feature~intro", "v1", "v2", push["after"][:10], release_commit[:10]):
        assert f"{BASE}{folder}/index.html" in keys, folder
    project = s3_env.json(bucket, BASE + "project.json")
    assert {(c["ref"], c["type"]) for c in project["commits"]} == {
        ("feature/intro", "branch"), ("v1", "tag"), ("v2", "tag")}

    deletion = service.post(recorded("gitea_push_delete.json", forge), forge="gitea")
    assert deletion.status == 202 and deletion.body["action"] == "delete"
    done = service.wait([deletion.body["job_id"]])[deletion.body["job_id"]]
    assert done["status"] == "success", done
    keys = s3_env.objects(bucket)
    assert not [k for k in keys if k.startswith(f"{BASE}feature~intro/")]
    assert f"{BASE}{push['after'][:10]}/index.html" in keys  # the build itself stays
    entries = {c["ref"]: c for c in s3_env.json(bucket, BASE + "project.json")["commits"]}
    assert entries["feature/intro"]["deleted_at"] and "deleted_at" not in entries["v1"]


def test_bad_deliveries_are_refused_and_nothing_is_queued(tmp_path: Path, forge: Forge,
                                                          services: Callable[..., Service]):
    service = services(dest=str(tmp_path / "site"), max_body=64 * 1024)
    push = recorded("gogs_push.json", forge)
    body = json.dumps(push).encode()
    assert service.post(body, signature="").status == 401
    assert service.post(body, signature="0" * 64).status == 401
    assert service.post(body, signature=signature("another-secret", body)).status == 401
    assert service.post(body, signature=signature(SECRET, body + b" ")).status == 401
    bad_json = b'{"ref": "refs/heads/master", '
    answer = service.post(bad_json)
    assert answer.status == 400 and "not JSON" in answer.body["error"]
    assert service.post(b"[" * 50_000).status == 400  # nested too deep for the parser
    big = json.dumps({**push, "padding": "x" * 70_000}).encode()
    assert service.post(big).status == 413
    ignored = service.post(body, event="issues")
    assert (ignored.status, ignored.body["status"]) == (202, "ignored")
    private = {**push, "repository": {**push["repository"], "private": True}}
    assert service.post(private).body["status"] == "ignored"
    unsafe = {**push, "repository": {**push["repository"], "name": "../../etc"}}
    assert service.post(unsafe).status == 400
    commitish = {**push, "ref": "refs/heads/0123456789"}  # would collide with a build folder
    assert service.post(commitish).status == 400
    assert service.get("/jobs")[1]["jobs"] == []
    assert service.get("/healthz")[1]["queued"] == 0
    assert not (tmp_path / "site").exists()


@pytest.mark.s3
@pytest.mark.slow
def test_bad_archives_fail_their_job_with_a_clear_error(s3_env: S3Server, bucket: str,
                                                        forge: Forge,
                                                        services: Callable[..., Service]):
    """Path traversal, a symlink, a zip bomb, a missing archive: each job fails with the reason
    in its build_log.json; the service goes on and builds the next push."""
    import io
    import stat
    import zipfile

    def archive(*entries) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("en_exb/manifest.yaml", (EXAMPLE / "manifest.yaml").read_bytes())
            for entry in entries:
                zf.writestr(*entry)
        return out.getvalue()

    link = zipfile.ZipInfo("en_exb/64-2JN.usfm")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    cases = {
        sha("traversal"): (archive(("en_exb/../../outside.usfm", b"\\id 2JN")), "traversal"),
        sha("symlink"): (archive((link, "/etc/passwd")), "symbolic links"),
        sha("bomb"): (archive(("en_exb/64-2JN.usfm", b" " * (20 * 1024 * 1024))), "zip bomb"),
        sha("missing"): (None, "HTTP 404"),
        sha("good"): (make_zip(EXAMPLE, "en_exb", sha("good")), None),
    }
    for commit, (body, _) in cases.items():
        if body is not None:
            forge.add("jdoe", "en_exb", commit, body)
    service = services(**s3_settings(s3_env, bucket), workers=1)
    push = recorded("gogs_push.json", forge)
    ids = {}
    for commit in cases:
        answer = service.post({**push, "ref": f"refs/heads/b-{commit[:6]}", "after": commit})
        ids[commit] = answer.body["job_id"]
    jobs = service.wait(list(ids.values()))
    for commit, (_, reason) in cases.items():
        job = jobs[ids[commit]]
        log = s3_env.json(bucket, f"{BASE}{commit[:10]}/build_log.json")
        if reason is None:
            assert job["status"] == log["status"] == "success"
            continue
        assert job["status"] == log["status"] == "failed", job
        assert reason in log["errors"][0] and reason in job["message"], log["errors"]
        assert log["errors"][0].startswith("The source could not be fetched")
    assert not (Path(service.settings["data_dir"]).parent / "outside.usfm").exists()
    assert service.get("/healthz")[0] == 200


@pytest.mark.s3
@pytest.mark.slow
def test_newer_pushes_supersede_queued_ones_one_job_per_ref(
        s3_env: S3Server, bucket: str, forge: Forge, services: Callable[..., Service]):
    """A runs (its archive is slow); B, C, D arrive for the same ref: B and C are superseded by
    D without fetching anything, and D waits for A although a second worker is free."""
    service = services(**s3_settings(s3_env, bucket), workers=2)
    push = recorded("gogs_push.json", forge)
    commits = [sha(f"super-{i}") for i in range(4)]
    for commit in commits:
        forge.add("jdoe", "en_exb", commit, EXAMPLE)
    forge.delays[commits[0]] = 2.0
    first = service.post({**push, "after": commits[0]}).body["job_id"]
    deadline = time.monotonic() + 10
    while service.job(first)["status"] != "started" and time.monotonic() < deadline:
        time.sleep(0.05)
    later = [service.post({**push, "after": c}).body["job_id"] for c in commits[1:]]
    jobs = service.wait([first, *later])
    states = [jobs[j]["status"] for j in (first, *later)]
    assert states == ["success", "superseded", "superseded", "success"], jobs
    assert jobs[later[0]]["superseded_by"] == jobs[later[1]]["superseded_by"] == later[2]
    fetched = forge.archive_requests()
    assert [p.rsplit("/", 1)[1][:-4] for p in fetched] == [commits[0], commits[3]]
    assert jobs[later[2]]["started_at"] >= jobs[first]["ended_at"]  # D waited for A
    superseded = s3_env.json(bucket, f"{BASE}{commits[1][:10]}/build_log.json")
    assert superseded["status"] == "superseded" and later[2] in superseded["message"]
    history = s3_env.json(bucket, BASE + "project.json")["commits"]
    assert [c["id"] for c in history] == [commits[0][:10], commits[3][:10]]  # no superseded
    assert s3_env.json(bucket, f"{BASE}master/build_log.json")["commit_sha"] == commits[3]


@pytest.mark.slow
def test_a_restart_mid_queue_loses_no_job(tmp_path: Path, forge: Forge,
                                          services: Callable[..., Service]):
    """Stopped gracefully (SIGTERM) and killed (SIGKILL) while a job runs and others wait: every
    job still ends, built once it is started again."""
    repos = ["en_ra", "en_rb", "en_rc", "en_rd"]
    settings = {"dest": str(tmp_path / "site"), "workers": 1}
    service = services(**settings)
    push = recorded("gogs_push.json", forge)
    ids = []
    for repo in repos:
        commit = sha(repo)
        forge.add("jdoe", repo, commit, EXAMPLE)
        forge.delays[commit] = 1.0
        repository = {**push["repository"], "name": repo, "full_name": f"jdoe/{repo}",
                      "html_url": f"{forge.url}/jdoe/{repo}"}
        ids.append(service.post({**push, "after": commit, "repository": repository})
                   .body["job_id"])

    def running(service: Service) -> str:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            started = [j for j in ids if service.job(j)["status"] == "started"]
            if started:
                return started[0]
            time.sleep(0.05)
        raise TimeoutError(service.output())

    interrupted = running(service)
    # uvicorn stops gracefully, then dies of the signal it caught (systemd counts that as clean)
    assert service.stop(signal.SIGTERM) in (0, -signal.SIGTERM)
    assert "All workers have stopped" in service.output()
    service = services(**settings)
    killed = running(service)
    service.stop(signal.SIGKILL)
    service = services(**settings)
    jobs = service.wait(ids, timeout=60)
    assert all(j["status"] == "success" for j in jobs.values()), jobs
    for job_id in (interrupted, killed):
        history = [s["status"] for s in jobs[job_id]["statuses"]]
        assert history.count("started") == 2 and history[-1] == "success", history
    for repo in repos:
        log = json.loads((tmp_path / f"site/u/jdoe/{repo}/master/build_log.json").read_text())
        assert log["status"] == "success"


@pytest.mark.s3
@pytest.mark.slow
def test_load_fifty_pushes_in_ten_seconds(s3_env: S3Server, bucket: str, forge: Forge,
                                          services: Callable[..., Service]):
    """50 pushes over 10 s to 5 repositories: each answered at once (its job still requested),
    every job ends, none is lost, and each repository's newest push is the one published."""
    service = services(**s3_settings(s3_env, bucket), workers=2)
    push = recorded("gogs_push.json", forge)
    repos = [f"en_load{i}" for i in range(5)]
    sent: list[tuple[str, str, str]] = []  # (repo, commit, job id)
    start = time.monotonic()
    for n in range(50):
        repo, commit = repos[n % 5], sha(f"load-{n}")
        forge.add("jdoe", repo, commit, EXAMPLE)
        repository = {**push["repository"], "name": repo, "full_name": f"jdoe/{repo}",
                      "html_url": f"{forge.url}/jdoe/{repo}"}
        answer = service.post({**push, "after": commit, "repository": repository})
        assert answer.status == 202 and answer.body["status"] == "requested", answer
        sent.append((repo, commit, answer.body["job_id"]))
        time.sleep(max(0.0, start + (n + 1) * 0.2 - time.monotonic()))
    jobs = service.wait([job_id for _, _, job_id in sent], timeout=120)
    assert all(j["status"] in FINAL for j in jobs.values())
    assert {j["status"] for j in jobs.values()} <= {"success", "superseded"}, jobs
    listed = service.get("/jobs?limit=500")[1]["jobs"]
    assert {j["job_id"] for j in listed} >= {job_id for _, _, job_id in sent}
    for repo in repos:
        newest = [commit for r, commit, _ in sent if r == repo][-1]
        log = s3_env.json(bucket, f"u/jdoe/{repo}/master/build_log.json")
        assert log["commit_sha"] == newest, repo


@pytest.mark.slow
@pytest.mark.parametrize("token", ["", "forge-token-123"])
def test_shallow_git_fetch(tmp_path: Path, forge: Forge, services: Callable[..., Service],
                           token: str):
    """fetch = "git": the commit by a depth-1 fetch over git's smart HTTP (with a token when
    the forge wants one)."""
    commit = forge.add_git("jdoe", "en_git", EXAMPLE)
    forge.token = token
    service = services(dest=str(tmp_path / "site"), fetch="git", token=token)
    push = recorded("gogs_push.json", forge)
    repository = {**push["repository"], "name": "en_git", "full_name": "jdoe/en_git",
                  "html_url": f"{forge.url}/jdoe/en_git",
                  "clone_url": f"{forge.url}/jdoe/en_git.git"}
    job_id = service.post({**push, "after": commit, "repository": repository}).body["job_id"]
    job = service.wait([job_id])[job_id]
    assert job["status"] == "success", job
    assert (tmp_path / "site/u/jdoe/en_git/master/64-2JN.html").exists()
    if token:
        assert {auth for _, _, auth in forge.requests} == {f"token {token}"}


@pytest.mark.slow
def test_the_docs_recipe(tmp_path: Path):
    """docs/webhook.md "Try it on one machine", as a new user runs it (ports and /tmp moved
    aside)."""
    import os
    import re
    import shutil
    import subprocess

    for tool in ("curl", "openssl"):
        if not shutil.which(tool):
            if os.environ.get("CI") == "true":
                pytest.fail(f"{tool} is missing")
            pytest.skip(f"{tool} is missing")
    page = (ROOT / "docs" / "webhook.md").read_text(encoding="utf-8")
    script = re.search(r"<!-- webhook-try: [^>]*-->\n```sh\n(.*?)```", page, re.S).group(1)
    forge_port, service_port = free_ports(2)
    script = (script.replace("8001", str(forge_port)).replace("8080", str(service_port))
              .replace("/tmp/", f"{tmp_path}/"))
    output = tmp_path / "output.txt"
    with open(output, "wb") as out:  # a file: the processes left running keep it open
        process = subprocess.Popen(["bash", "-ec", script], cwd=ROOT, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        process.wait(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):  # none left when the script failed early
            os.killpg(process.pid, signal.SIGKILL)  # the forge and the service it left running
    text = output.read_text(errors="replace")
    assert process.returncode == 0, text
    answer = json.loads(re.search(r'^\{"job_id".*\}', text, re.M).group(0))
    assert answer["status"] == "requested" and answer["commit"].startswith("3a49179070")
    assert '"status": "success"' in text.split(answer["job_url"])[-1]
    assert (tmp_path / "site/u/jdoe/en_exb/master/index.html").exists()
