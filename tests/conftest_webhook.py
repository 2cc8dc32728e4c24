"""The webhook service under test, and what it talks to, all on 127.0.0.1: a forge that serves
sample repositories as Gitea-style archives (and over git's smart HTTP), a callback receiver,
Redis, and the service itself as a ``tx-mkdocs webhook`` process.

Recorded-style payloads are in tests/data/webhook/; their forge URL (https://git.example.org) is
replaced by the local forge's before they are signed and sent.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from tx_mkdocs.webhook.jobs import FINAL

from .helpers import LocalServer, free_ports

DATA = Path(__file__).parent / "data" / "webhook"
RECORDED_FORGE = "https://git.example.org"
SECRET = "tx-mkdocs-webhook-test-secret-0b9c8e7f"


def make_zip(source: Path, top: str, comment: str = "") -> bytes:
    """A forge-style archive of ``source``: one top folder, the commit as the zip comment (as
    ``git archive`` writes it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo(f"{top}/"), b"")
        for path in sorted(source.rglob("*")):
            if path.is_file():
                zf.write(path, f"{top}/{path.relative_to(source).as_posix()}")
        zf.comment = comment.encode()
    return out.getvalue()


class Forge(LocalServer):
    """Serves ``/<owner>/<repo>/archive/<commit or tag>.zip`` and, for repositories given a git
    folder, git's smart HTTP (``/<owner>/<repo>.git/…`` through ``git http-backend``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.archives: dict[tuple[str, str, str], bytes] = {}
        self.delays: dict[str, float] = {}
        self.token = ""
        self.requests: list[tuple[str, str, str]] = []  # (method, path, authorization)
        self.lock = threading.Lock()
        forge = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                with forge.lock:
                    forge.requests.append(("GET", self.path,
                                           self.headers.get("Authorization", "")))
                if forge.token and self.headers.get("Authorization") != f"token {forge.token}":
                    self.send_error(404)
                    return
                if ".git/" in self.path:
                    forge.git_backend(self)
                    return
                match = re.fullmatch(r"/([^/]+)/([^/]+)/archive/(.+)\.zip", self.path)
                body = forge.archives.get(match.groups()) if match else None
                if body is None:
                    self.send_error(404)
                    return
                time.sleep(forge.delays.get(match.group(3), 0))
                with contextlib.suppress(ConnectionError):  # the service was killed meanwhile
                    self.send_response(200)
                    self.send_header("Content-Type", "application/zip")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            do_POST = do_GET  # noqa: N815 - git-upload-pack

        self._serve(Handler)

    def add(self, owner: str, repo: str, name: str, source: Path | bytes, *,
            commit: str = "") -> None:
        """Serve ``source`` (a folder, or raw archive bytes) as the archive of ``name`` (a commit
        or a tag); ``commit`` goes into the zip comment (default: ``name``)."""
        body = source if isinstance(source, bytes) else make_zip(source, repo, commit or name)
        self.archives[(owner, repo, name)] = body

    def add_git(self, owner: str, repo: str, source: Path, branch: str = "master") -> str:
        """A bare repository of ``source`` with one commit on ``branch``; returns the commit."""
        work = self.root / "work" / owner / repo
        shutil.copytree(source, work)
        env = {**os.environ, "GIT_AUTHOR_NAME": "Jane Doe", "GIT_AUTHOR_EMAIL": "j@example.org",
               "GIT_COMMITTER_NAME": "Jane Doe", "GIT_COMMITTER_EMAIL": "j@example.org"}
        for args in (["init", "-q", "-b", branch], ["add", "-A"], ["commit", "-q", "-m", "one"]):
            subprocess.run(["git", *args], cwd=work, env=env, check=True)
        bare = self.root / "git" / owner / f"{repo}.git"
        subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=work, check=True,
                              capture_output=True, text=True).stdout.strip()

    def git_backend(self, handler: BaseHTTPRequestHandler) -> None:
        """git's smart HTTP through ``git http-backend`` (CGI)."""
        path, _, query = handler.path.partition("?")
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        env = {"PATH": os.environ["PATH"], "GIT_PROJECT_ROOT": str(self.root / "git"),
               "GIT_HTTP_EXPORT_ALL": "1", "REQUEST_METHOD": handler.command,
               "PATH_INFO": path, "QUERY_STRING": query,
               "CONTENT_TYPE": handler.headers.get("Content-Type", ""),
               "CONTENT_LENGTH": str(len(body)),
               "GIT_PROTOCOL": handler.headers.get("Git-Protocol", "")}
        result = subprocess.run(["git", "http-backend"], input=body, env=env,
                                capture_output=True, check=False)
        head, _, payload = result.stdout.partition(b"\r\n\r\n")
        status = 200
        headers = []
        for line in head.decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            elif name:
                headers.append((name, value.strip()))
        handler.send_response(status)
        for name, value in headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def archive_requests(self, name: str = "") -> list[str]:
        return [path for _, path, _ in self.requests if "/archive/" in path and name in path]


class CallbackSink(LocalServer):
    """Records the JSON POSTed to it (and the signature header)."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, Any], str, bytes]] = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                sink.received.append((json.loads(body),
                                      self.headers.get("X-Tx-Mkdocs-Signature", ""), body))
                self.send_response(204)
                self.end_headers()

        self._serve(Handler, "/done")

    def jobs(self) -> dict[str, dict[str, Any]]:
        return {job["job_id"]: job for job, _, _ in self.received}


def recorded(name: str, forge: Forge, **changes: Any) -> dict[str, Any]:
    """A recorded payload, pointing at the local forge, with top-level ``changes``."""
    text = (DATA / name).read_text(encoding="utf-8").replace(RECORDED_FORGE, forge.url)
    return {**json.loads(text), **changes}


def sign(body: bytes, secret: str = SECRET) -> str:
    from tx_mkdocs.webhook.events import signature

    return signature(secret, body)


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Service:
    """A ``tx-mkdocs webhook`` process (``python -m tx_mkdocs.cli webhook --config FILE``)."""

    workdir: Path
    settings: dict[str, Any]
    process: subprocess.Popen[bytes] | None = None
    url: str = ""

    def start(self, timeout: float = 30) -> Service:
        port = self.settings.setdefault("port", free_ports(1)[0])
        lines = []
        for key, value in self.settings.items():
            lines.append(f"{key} = {json.dumps(value)}")
        config = self.workdir / f"webhook-{port}.toml"
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.url = f"http://127.0.0.1:{port}"
        self.log = self.workdir / f"service-{port}-{time.monotonic_ns()}.log"
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tx_mkdocs.cli", "webhook", "--config", str(config)],
                cwd=self.workdir, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        if self.settings.get("role") == "worker":
            time.sleep(0.5)
            self.check_alive()
            return self
        deadline = time.monotonic() + timeout
        while True:
            self.check_alive()
            with contextlib.suppress(OSError):
                if self.get("/healthz")[0] == 200:
                    return self
            if time.monotonic() > deadline:
                raise TimeoutError(f"the service did not start:\n{self.output()}")
            time.sleep(0.1)

    def check_alive(self) -> None:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"the service exited ({self.process.returncode}):\n"
                               f"{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-6000:] if self.log.exists() else ""

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 40) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def get(self, path: str) -> tuple[int, dict[str, Any]]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def post(self, payload: dict[str, Any] | bytes, *, event: str = "push", forge: str = "gogs",
             signature: str | None = None, headers: dict[str, str] | None = None) -> Answer:
        """Deliver like the forge: Gogs sends X-Gogs-Event and X-Gogs-Signature, Gitea
        X-Gitea-Event, X-Gitea-Signature and X-Hub-Signature-256."""
        body = payload if isinstance(payload, bytes) else json.dumps(payload, indent=2).encode()
        digest = sign(body) if signature is None else signature
        sent = {"Content-Type": "application/json"}
        if forge == "gogs":
            sent.update({"X-Gogs-Event": event, "X-Gogs-Delivery": "d1"})
            if digest:
                sent["X-Gogs-Signature"] = digest
        else:
            sent.update({"X-Gitea-Event": event, "X-Gitea-Delivery": "d2"})
            if digest:
                sent.update({"X-Gitea-Signature": digest,
                             "X-Hub-Signature-256": f"sha256={digest}"})
        sent.update(headers or {})
        request = urllib.request.Request(self.url + "/hooks/push", data=body, headers=sent,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                data, status, got = answer.read(), answer.status, answer.headers
        except urllib.error.HTTPError as exc:
            data, status, got = exc.read(), exc.code, exc.headers
        return Answer(status, json.loads(data) if data else {},
                      {name.lower(): value for name, value in got.items()})

    def job(self, job_id: str) -> dict[str, Any]:
        status, body = self.get(f"/jobs/{job_id}")
        assert status == 200, body
        return body

    def wait(self, job_ids: list[str], timeout: float = 60) -> dict[str, dict[str, Any]]:
        """The final records of ``job_ids`` (fails after ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            jobs = {job_id: self.job(job_id) for job_id in job_ids}
            if all(job["status"] in FINAL for job in jobs.values()):
                return jobs
            if time.monotonic() > deadline:
                pending = {k: v["status"] for k, v in jobs.items() if v["status"] not in FINAL}
                raise TimeoutError(f"jobs not finished: {pending}\n{self.output()}")
            self.check_alive()
            time.sleep(0.2)


@pytest.fixture
def forge(tmp_path: Path) -> Iterator[Forge]:
    server = Forge(tmp_path / "forge")
    yield server
    server.close()


@pytest.fixture
def callbacks() -> Iterator[CallbackSink]:
    sink = CallbackSink()
    yield sink
    sink.close()


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Callable[..., Service]]:
    """Start ``tx-mkdocs webhook`` processes with settings (secret, data_dir and a quick lease
    by default); all are stopped at the end."""
    started: list[Service] = []

    def start(**settings: Any) -> Service:
        settings = {"secret": SECRET, "data_dir": str(tmp_path / "state"), "lease": 4.0,
                    "lock_retry": 0.3, **settings}
        service = Service(tmp_path, settings).start()
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop(signal.SIGKILL)


def redis_binary() -> str:
    """redis-server (Debian package redis-server, installed by .ci/run): skip without it,
    except under CI=true."""
    found = shutil.which("redis-server")
    if found:
        return found
    message = "redis-server not found (apt-get install redis-server)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A Redis server on a free 127.0.0.1 port, no persistence, stopped at the end."""
    binary = redis_binary()
    port = free_ports(1)[0]
    folder = tmp_path / "redis"
    folder.mkdir()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL)
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
