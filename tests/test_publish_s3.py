"""Publishing against a real S3 server (SeaweedFS on 127.0.0.1): layout, aliases, idempotence,
concurrency and faults. The server and the fault proxy are in conftest_s3.py."""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tx_mkdocs.publish import PublishResult, S3Storage, load_build
from tx_mkdocs.publish import publish as publish_site
from tx_mkdocs.publish.publisher import IMMUTABLE, NO_CACHE, latest_build, site_files

from .conftest_s3 import FaultProxy, S3Server
from .helpers import EXAMPLE, cli, require_shared, sha

pytestmark = pytest.mark.s3

BASE = "u/jdoe/en_exb/"
ENTRY_FIELDS = {"id", "commit_hash", "ref", "type", "created_at", "started_at", "ended_at",
                "status", "success", "job_id"}


def publish(site: Path, bucket: str, endpoint: str, *extra: str) -> tuple[int, str, str]:
    return cli("publish", "--no-build", "--site-dir", str(site), "--bucket", bucket,
               "--endpoint-url", endpoint, *extra)


def folder(s3: S3Server, bucket: str, prefix: str) -> dict[str, str]:
    return {k[len(prefix):]: v for k, v in s3.objects(bucket, prefix).items()}


def test_layout_alias_records_and_headers(s3_env: S3Server, bucket: str, tmp_path: Path):
    commit = sha("layout")
    site = tmp_path / "site"
    code, out, err = cli("build", str(EXAMPLE), "--site-dir", str(site), "--owner", "jdoe",
                         "--repo", "en_exb", "--commit", commit, "--ref", "master", "--publish",
                         "--bucket", bucket, "--endpoint-url", s3_env.endpoint)
    assert code == 0, err
    build, ref = f"{BASE}{commit[:10]}/", f"{BASE}master/"
    assert out.splitlines()[-1] == f"{s3_env.endpoint}/{bucket}/{ref}index.html"
    keys = s3_env.objects(bucket)
    assert all(key.startswith(BASE) for key in keys)
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    pages -= {"project.json"}
    assert {k[len(build):] for k in keys if k.startswith(build)} == pages
    assert folder(s3_env, bucket, ref) == folder(s3_env, bucket, build)  # same objects, same MD5s
    assert {BASE + "project.json", BASE + "manifest.json"} <= set(keys)

    project = s3_env.json(bucket, BASE + "project.json")
    assert (project["user"], project["repo"]) == ("jdoe", "en_exb")
    assert project["repo_url"].endswith("/jdoe/en_exb")
    [entry] = project["commits"]
    assert set(entry) == ENTRY_FIELDS
    assert (entry["id"], entry["ref"], entry["type"], entry["status"]) == (
        commit[:10], "master", "defaultBranch", "success")
    for key in (build, ref):
        log = s3_env.json(bucket, key + "build_log.json")
        assert log["status"] == "success" and log["commit_id"] == commit[:10]
    assert s3_env.json(bucket, BASE + "manifest.json")["dublin_core"]["identifier"] == "exb"

    client = s3_env.client()
    head = client.head_object(Bucket=bucket, Key=ref + "64-2JN.html")
    assert head["ContentType"] == "text/html; charset=utf-8" and head["CacheControl"] == NO_CACHE
    for name in ("build_log.json", "search/search_index.json"):
        head = client.head_object(Bucket=bucket, Key=ref + name)
        assert head["ContentType"].startswith("application/json")
        assert head["CacheControl"] == NO_CACHE
    head = client.head_object(Bucket=bucket, Key=BASE + "project.json")
    assert head["CacheControl"] == NO_CACHE
    [bundle] = [k for k in keys if k.startswith(ref) and "/bundle." in k and k.endswith(".js")]
    head = client.head_object(Bucket=bucket, Key=bundle)
    assert head["CacheControl"] == IMMUTABLE and head["ContentType"].startswith("text/javascript")


@pytest.mark.slow
def test_republish_moves_only_what_changed(s3_env: S3Server, bucket: str, make_build):
    site = make_build(sha("idem"))
    assert publish(site, bucket, s3_env.endpoint)[0] == 0
    n = len(site_files(site))  # with the changes.html publishing added
    before = s3_env.objects(bucket)
    project = s3_env.json(bucket, BASE + "project.json")

    with FaultProxy(s3_env.endpoint) as proxy:
        code, _, err = publish(site, bucket, proxy.endpoint)
    assert code == 0, err
    assert f"pages: 0 uploaded, 0 copied, {n} unchanged, 0 deleted" in err
    assert f"ref master: 0 uploaded, 0 copied, {n} unchanged, 0 deleted" in err
    # only the records were written: the build logs (started, final); project.json is unchanged
    assert {path.rsplit("/", 1)[-1] for path in proxy.puts()} == {"build_log.json"}
    assert s3_env.objects(bucket) == before
    assert s3_env.json(bucket, BASE + "project.json") == project

    (site / "64-2JN.html").write_text("<html>changed</html>")
    (site / "65-3JN.html").unlink()
    code, _, err = publish(site, bucket, s3_env.endpoint)
    assert code == 0, err
    assert f"pages: 1 uploaded, 0 copied, {n - 2} unchanged, 1 deleted" in err
    assert f"ref master: 0 uploaded, 1 copied, {n - 2} unchanged, 1 deleted" in err
    ref = folder(s3_env, bucket, BASE + "master/")
    assert "65-3JN.html" not in ref and ref == folder(s3_env, bucket, f"{BASE}{sha('idem')[:10]}/")
    assert len(s3_env.json(bucket, BASE + "project.json")["commits"]) == 1

    # the next commit: pages the ref folder already holds are copied server-side, not uploaded
    site = make_build(sha("idem-next"))
    (site / "index.html").write_text("<html>next</html>")
    code, _, err = publish(site, bucket, s3_env.endpoint)
    assert code == 0, err
    # index.html changed; 64-2JN.html and 65-3JN.html differ from what master shows now; the
    # About page and changes.html now compare with the previous build
    assert f"pages: 5 uploaded, {n - 5} copied, 0 unchanged, 0 deleted" in err
    assert len(s3_env.json(bucket, BASE + "project.json")["commits"]) == 2


def test_status_lifecycle_started_first_final_last(s3_env: S3Server, bucket: str, make_build):
    commit = sha("lifecycle")
    site = make_build(commit, "feature/x")
    with FaultProxy(s3_env.endpoint) as proxy:
        code, _, err = publish(site, bucket, proxy.endpoint)
    assert code == 0, err
    for prefix in (f"/{bucket}/{BASE}{commit[:10]}/", f"/{bucket}/{BASE}feature~x/"):
        writes = [(path.split("?")[0], body) for method, path, body in proxy.log
                  if method == "PUT" and path.startswith(prefix)]
        assert len(writes) > 50
        first_path, first_body = writes[0]
        assert first_path == prefix + "build_log.json"
        assert json.loads(first_body)["status"] == "started"
        assert writes[-1][0] == prefix + "build_log.json"
    build_log = f"{BASE}{commit[:10]}/build_log.json"
    last_put = [path for path in proxy.puts() if path.endswith(build_log)][-1]
    assert proxy.puts().index(last_put) < proxy.puts().index(f"/{bucket}/{BASE}project.json")
    assert s3_env.json(bucket, BASE + "feature~x/build_log.json")["status"] == "success"


@pytest.mark.slow
def test_persistent_fault_mid_upload_keeps_the_previous_build(s3_env: S3Server, bucket: str,
                                                              make_build):
    old, new = sha("old"), sha("new")
    assert publish(make_build(old, created_at="2024-01-01T00:00:00Z"), bucket,
                   s3_env.endpoint)[0] == 0
    before = s3_env.objects(bucket)
    project = s3_env.json(bucket, BASE + "project.json")

    site = make_build(new)
    (site / "64-2JN.html").write_text("<html>new</html>")
    pages = f"/{bucket}/{BASE}{new[:10]}/"
    allowed = iter(range(5))

    def fault(method: str, path: str) -> str | None:
        if method == "PUT" and path.startswith(pages) and "build_log.json" not in path:
            return None if next(allowed, None) is not None else "500"
        return None

    with FaultProxy(s3_env.endpoint) as proxy:
        proxy.fault = fault
        code, _, err = publish(site, bucket, proxy.endpoint, "--attempts", "2")
    assert code == 3
    assert f"uploading the build to {BASE}{new[:10]}/ failed" in err
    assert "InternalError" in err and "still show the previous build" in err
    assert os.environ["AWS_SECRET_ACCESS_KEY"] not in err
    after = s3_env.objects(bucket)
    for key, etag in before.items():  # the previous build, its ref folder and the history
        assert after[key] == etag, key
    assert s3_env.json(bucket, BASE + "master/build_log.json")["commit_id"] == old[:10]
    assert s3_env.json(bucket, BASE + "project.json") == project

    code, _, err = publish(site, bucket, s3_env.endpoint)  # the next run completes the work
    assert code == 0, err
    assert s3_env.json(bucket, BASE + "master/build_log.json")["commit_id"] == new[:10]


@pytest.mark.slow
def test_transient_faults_are_retried(s3_env: S3Server, bucket: str, make_build):
    commit = sha("transient")
    seen: set[str] = set()

    def fault(method: str, path: str) -> str | None:
        """The first write of every page fails once: half with 500, half with a dropped
        connection."""
        if method != "PUT" or path in seen:
            return None
        seen.add(path)
        return "500" if len(seen) % 2 else "drop"

    with FaultProxy(s3_env.endpoint) as proxy:
        proxy.fault = fault
        code, _, err = publish(make_build(commit), bucket, proxy.endpoint)
    assert code == 0, err
    assert folder(s3_env, bucket, BASE + "master/") == folder(
        s3_env, bucket, f"{BASE}{commit[:10]}/")
    assert s3_env.json(bucket, BASE + "project.json")["commits"][0]["id"] == commit[:10]


@pytest.mark.slow
def test_twenty_concurrent_publishes(s3_env: S3Server, bucket: str, make_build):
    """20 publishes race for project.json and the ref folder. Threads rather than processes, and
    one (thread-safe) boto3 client: the same race on the server, without paying 20 interpreter
    and client start-ups on two cores."""
    commits = [sha(f"concurrent-{i}") for i in range(20)]
    sites = [make_build(c, minimal=True) for c in commits]
    storage = S3Storage(bucket, endpoint_url=s3_env.endpoint, workers=20)

    def run(site: Path) -> PublishResult:
        context, build_log = load_build(site)
        return publish_site(site, context, build_log, storage)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(run, sites))
    project = s3_env.json(bucket, BASE + "project.json")
    assert sorted(c["id"] for c in project["commits"]) == sorted(c[:10] for c in commits)
    # the ref folder converged on the newest build that project.json lists (a publisher that
    # finished before the newest build was registered reports the one it left)
    newest = latest_build(project, "master")
    assert newest in {r.ref_build for r in results}
    assert s3_env.json(bucket, BASE + "master/build_log.json")["commit_id"] == newest
    assert folder(s3_env, bucket, BASE + "master/").keys() == folder(
        s3_env, bucket, f"{BASE}{newest}/").keys()
    print(f"20 concurrent publishes in {time.monotonic() - started:.1f} s")


@pytest.mark.slow
def test_full_bible_second_publish_uploads_no_pages(s3_env: S3Server, bucket: str):
    repo = require_shared() / "full_bible"
    args = ["publish", str(repo), "--owner", "door43", "--repo", "full_bible", "--commit",
            sha("full_bible"), "--ref", "master", "--bucket", bucket, "--endpoint-url",
            s3_env.endpoint]
    code, _, first = cli(*args)
    assert code == 0, first
    assert "pages: 0 uploaded" not in first
    code, _, second = cli(*args)
    assert code == 0, second
    line = next(x for x in second.splitlines() if x.startswith("pages: "))
    assert line.startswith("pages: 0 uploaded, 0 copied, ") and ", 0 deleted" in line, line
    assert "ref master: 0 uploaded, 0 copied, " in second


def test_conditional_requests_on_the_server(s3_env: S3Server, bucket: str):
    """What project.json's compare-and-swap and the reuse of pages rely on."""
    from tx_mkdocs.publish.storage import Conflict, md5_hex

    storage = S3Storage(bucket, endpoint_url=s3_env.endpoint)
    kw = {"content_type": "application/json", "cache_control": NO_CACHE}
    storage.put("p.json", b"1", if_none_match=True, **kw)
    with pytest.raises(Conflict):
        storage.put("p.json", b"2", if_none_match=True, **kw)
    body, etag = storage.get("p.json")
    assert (body, etag) == (b"1", md5_hex(b"1"))
    with pytest.raises(Conflict):
        storage.put("p.json", b"2", if_match=md5_hex(b"other"), **kw)
    with pytest.raises(Conflict):  # 412 here, 404 NoSuchKey on AWS: both lose the race
        storage.put("missing.json", b"2", if_match=etag, **kw)
    storage.put("p.json", b"2", if_match=etag, **kw)
    with pytest.raises(Conflict):  # the source changed since it was listed (412)
        storage.copy("p.json", "q.json", if_match=etag, **kw)
    with pytest.raises(Conflict):  # the source is gone (404)
        storage.copy("gone.json", "q.json", if_match=etag, **kw)
    storage.copy("p.json", "q.json", if_match=md5_hex(b"2"), **kw)
    assert storage.list("") == {"p.json": md5_hex(b"2"), "q.json": md5_hex(b"2")}
    assert storage.get("nothing") is None
