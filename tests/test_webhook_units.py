"""The webhook service's parts without the service: safe extraction, signatures, payloads,
settings, and a job that crashes."""

from __future__ import annotations

import io
import json
import stat
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tx_mkdocs.webhook.archive import Limits, SourceError, extract_zip
from tx_mkdocs.webhook.config import load_config
from tx_mkdocs.webhook.events import (
    Ignored,
    Refused,
    event_of,
    parse_event,
    signature,
    verify_signature,
)

if TYPE_CHECKING:
    from tx_mkdocs.webhook.worker import Worker

from .conftest_webhook import DATA, SECRET, make_zip
from .helpers import EXAMPLE

SHA = "3a49179070d5b2d1e0c7f6a9b8e4d3c2b1a09f8e"


def zip_of(*entries: tuple[str, bytes] | zipfile.ZipInfo, comment: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names, on purpose
        for entry in entries:
            if isinstance(entry, zipfile.ZipInfo):
                zf.writestr(entry, b"target")
            else:
                zf.writestr(*entry)
        zf.comment = comment.encode()
    return out.getvalue()


def extract(tmp_path: Path, data: bytes, limits: Limits | None = None) -> tuple[Path, str | None]:
    archive = tmp_path / "a.zip"
    archive.write_bytes(data)
    return extract_zip(archive, tmp_path / "out", limits or Limits())


def special(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    return info


# --- archives ---------------------------------------------------------------------------------

def test_forge_archive_extracts_into_its_top_folder(tmp_path: Path):
    root, commit = extract(tmp_path, make_zip(EXAMPLE, "en_exb", SHA))
    assert root == (tmp_path / "out" / "en_exb").resolve() and commit == SHA
    assert sorted(p.name for p in root.iterdir()) == sorted(p.name for p in EXAMPLE.iterdir())
    assert (root / "64-2JN.usfm").read_bytes() == (EXAMPLE / "64-2JN.usfm").read_bytes()
    assert stat.S_IMODE((root / "manifest.yaml").stat().st_mode) & 0o111 == 0


def test_archive_without_top_folder_or_comment(tmp_path: Path):
    root, commit = extract(tmp_path, zip_of(("a.txt", b"1"), ("b/c.txt", b"2")))
    assert root == (tmp_path / "out").resolve() and commit is None
    assert (root / "b" / "c.txt").read_text() == "2"


@pytest.mark.parametrize(("name", "why"), [
    ("../evil.txt", "traversal"),
    ("repo/../../evil.txt", "traversal"),
    ("/etc/evil.txt", "absolute"),
    ("repo\\..\\evil.txt", "backslash"),
    ("C:/evil.txt", "drive"),
])
def test_paths_that_leave_the_folder_are_refused(tmp_path: Path, name: str, why: str):
    with pytest.raises(SourceError, match=why):
        extract(tmp_path, zip_of(("repo/ok.txt", b"ok"), (name, b"evil")))
    assert not (tmp_path / "evil.txt").exists()
    assert not list((tmp_path / "out").rglob("*.txt")), "nothing is written before the checks"


def test_symlinks_and_special_files_are_refused(tmp_path: Path):
    with pytest.raises(SourceError, match="symbolic links"):
        extract(tmp_path, zip_of(("repo/a.txt", b"a"),
                                 special("repo/link", stat.S_IFLNK | 0o777)))
    with pytest.raises(SourceError, match="special file"):
        extract(tmp_path, zip_of(special("repo/fifo", stat.S_IFIFO | 0o644)))


def test_duplicates_and_entry_count_are_refused(tmp_path: Path):
    with pytest.raises(SourceError, match="twice"):
        extract(tmp_path, zip_of(("repo/a.txt", b"1"), ("repo/a.txt", b"2")))
    entries = [(f"repo/{i}.txt", b"x") for i in range(6)]
    with pytest.raises(SourceError, match="6 entries"):
        extract(tmp_path, zip_of(*entries), Limits(max_entries=5))


def test_expansion_ratio_and_size_are_bounded(tmp_path: Path):
    bomb = zip_of(("repo/zeros.txt", b"\0" * (8 * 1024 * 1024)))
    assert len(bomb) < 64 * 1024
    with pytest.raises(SourceError, match="zip bomb"):
        extract(tmp_path, bomb)
    with pytest.raises(SourceError, match="unpacks to"):
        extract(tmp_path, zip_of(("repo/a.txt", b"a" * 5000)), Limits(max_unpacked=4000))


def test_sizes_in_the_zip_are_not_trusted(tmp_path: Path):
    """A central directory that understates a file's size: the data no longer matches its
    checksum, and the extraction fails instead of writing more than was declared."""
    data = bytearray(zip_of(("repo/a.txt", b"a" * 100_000)))
    central = data.index(b"PK\x01\x02")
    data[central + 24:central + 28] = (10).to_bytes(4, "little")  # uncompressed size
    with pytest.raises(SourceError):
        extract(tmp_path, bytes(data))


def test_not_a_zip(tmp_path: Path):
    with pytest.raises(SourceError, match="could not be extracted"):
        extract(tmp_path, b"<html>502 Bad Gateway</html>")


# --- signatures and payloads -----------------------------------------------------------------

def test_signatures():
    body = b'{"ref": "refs/heads/master"}'
    digest = signature(SECRET, body)
    assert verify_signature(SECRET, body, {"x-gogs-signature": digest})
    assert verify_signature(SECRET, body, {"x-hub-signature-256": f"sha256={digest}"})
    assert verify_signature(SECRET, body, {"x-gitea-signature": digest,
                                           "x-hub-signature-256": f"sha256={digest}"})
    assert not verify_signature(SECRET, body, {})
    assert not verify_signature(SECRET, body + b" ", {"x-gogs-signature": digest})
    assert not verify_signature("another-secret", body, {"x-gogs-signature": digest})
    assert not verify_signature(SECRET, body, {"x-gitea-signature": digest,
                                               "x-hub-signature-256": "sha256=" + "0" * 64})
    assert not verify_signature(SECRET, body, {"x-gogs-signature": "é" * 64})


def payload(name: str, **changes: object) -> dict:
    return {**json.loads((DATA / name).read_text(encoding="utf-8")), **changes}


def test_push_payloads():
    gogs = parse_event("push", "gogs", payload("gogs_push.json"))
    assert (gogs.action, gogs.owner, gogs.repo, gogs.ref, gogs.ref_type, gogs.commit) == (
        "build", "jdoe", "en_exb", "master", "defaultBranch", SHA)
    assert gogs.server_url == "https://git.example.org" and gogs.pusher == "jdoe"
    gitea = parse_event("push", "gitea", payload("gitea_push.json"))
    assert (gitea.ref, gitea.ref_type) == ("feature/intro", "branch")
    tag = parse_event("push", "gitea", payload("gitea_push_tag.json"))
    assert (tag.ref, tag.ref_type, tag.commit) == ("v1", "tag",
                                                   "5eed1e55c0de4b1d2a3c4e5f60718293a4b5c6d7")
    release = parse_event("release", "gitea", payload("gitea_release.json"))
    assert (release.action, release.ref, release.ref_type, release.commit) == (
        "build", "v2", "tag", None)
    for name, event in (("gitea_push_delete.json", "push"), ("gitea_delete.json", "delete")):
        deleted = parse_event(event, "gitea", payload(name))
        assert (deleted.action, deleted.ref, deleted.commit) == ("delete", "feature/intro", None)


@pytest.mark.parametrize(("event", "changes", "outcome"), [
    ("issues", {}, Ignored),
    ("", {}, Ignored),
    ("push", {"before": SHA}, Ignored),  # nothing changed
    ("push", {"ref": "refs/pull/3/head"}, Ignored),
    ("push", {"after": "not-a-sha"}, Refused),
    ("push", {"repository": "jdoe/en_exb"}, Refused),
    ("push", {"ref": "refs/heads/a..b"}, Refused),
])
def test_payloads_that_ask_for_nothing_or_are_refused(event, changes, outcome):
    with pytest.raises(outcome):
        parse_event(event, "gogs", payload("gogs_push.json", **changes))


def test_repository_policies():
    private = payload("gogs_push.json")
    private["repository"] = {**private["repository"], "private": True}
    with pytest.raises(Ignored, match="private"):
        parse_event("push", "gogs", private)
    assert parse_event("push", "gogs", private, allow_private=True).repo == "en_exb"
    with pytest.raises(Refused) as refused:
        parse_event("push", "gogs", payload("gogs_push.json"), forge_urls=["https://other.org"])
    assert refused.value.status == 403
    assert parse_event("push", "gogs", payload("gogs_push.json"),
                       forge_urls=["https://git.example.org/"]).repo == "en_exb"
    unsafe = payload("gogs_push.json")
    unsafe["repository"] = {**unsafe["repository"], "name": "../etc"}
    with pytest.raises(Refused, match="repo name"):
        parse_event("push", "gogs", unsafe)
    draft = payload("gitea_release.json")
    draft["release"] = {**draft["release"], "draft": True}
    with pytest.raises(Ignored, match="draft"):
        parse_event("release", "gitea", draft)


def test_event_headers():
    assert event_of({"x-gogs-event": "push"}) == ("push", "gogs")
    assert event_of({"x-gitea-event": "release", "x-gogs-event": "release"}) == (
        "release", "gitea")
    assert event_of({}) == ("", "")


# --- settings --------------------------------------------------------------------------------

def test_settings_file_environment_and_options(tmp_path: Path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file\n")
    config_file = tmp_path / "webhook.toml"
    config_file.write_text(f'[webhook]\nsecret_file = "{secret_file}"\nbucket = "door43.org"\n'
                           'workers = 3\nforge_urls = ["https://git.door43.org"]\n')
    config = load_config(config_file, env={"TX_WEBHOOK_WORKERS": "4",
                                           "TX_WEBHOOK_ALLOW_PRIVATE": "yes"},
                         overrides={"port": 9000, "host": None})
    assert (config.secret, config.bucket, config.workers, config.port, config.host) == (
        "from-a-file", "door43.org", 4, 9000, "127.0.0.1")
    assert config.allow_private is True and config.forge_urls == ["https://git.door43.org"]
    assert "from-a-file" not in repr(config)
    assert load_config(None, env={"TX_WEBHOOK_SECRET": "s", "TX_WEBHOOK_DEST": "out",
                                  "TX_WEBHOOK_FORGE_URLS": "https://a.org, https://b.org"}
                       ).forge_urls == ["https://a.org", "https://b.org"]


@pytest.mark.parametrize(("env", "message"), [
    ({"TX_WEBHOOK_BUCKET": "b"}, "secret is required"),
    ({"TX_WEBHOOK_SECRET": "s"}, "bucket"),
    ({"TX_WEBHOOK_SECRET": "s", "TX_WEBHOOK_DEST": "o", "TX_WEBHOOK_QUEUE": "amqp://x"}, "queue"),
    ({"TX_WEBHOOK_SECRET": "s", "TX_WEBHOOK_DEST": "o", "TX_WEBHOOK_WORKERS": "two"}, "int"),
    ({"TX_WEBHOOK_SECRET": "s", "TX_WEBHOOK_DEST": "o", "TX_WEBHOOK_PREFIX": "../u"}, "prefix"),
])
def test_settings_that_cannot_work(env, message):
    with pytest.raises(ValueError, match=message):
        load_config(None, env=env)


def test_pdf_settings_become_build_options(tmp_path: Path):
    env = {"TX_WEBHOOK_SECRET": "s", "TX_WEBHOOK_DEST": "o", "TX_WEBHOOK_LINKS_OWNER": "Door43"}
    assert load_config(None, env=env).plugin_options == {"links_owner": "Door43"}
    (tmp_path / "images").mkdir()
    config = load_config(None, env={**env, "TX_WEBHOOK_PDF": "true",
                                    "TX_WEBHOOK_PDF_IMAGES": str(tmp_path / "images")})
    assert config.plugin_options == {"links_owner": "Door43", "pdf": True,
                                     "pdf_images": str(tmp_path / "images")}
    with pytest.raises(ValueError, match="pdf_images"):
        load_config(None, env={**env, "TX_WEBHOOK_PDF_IMAGES": str(tmp_path / "none")})


def test_unknown_setting(tmp_path: Path):
    config_file = tmp_path / "webhook.toml"
    config_file.write_text('secret = "s"\ndest = "o"\nbukket = "typo"\n')
    with pytest.raises(ValueError, match="bukket"):
        load_config(config_file, env={})


# --- jobs ------------------------------------------------------------------------------------

def a_worker(tmp_path: Path, **env: str) -> tuple[Worker, Callable[[], str]]:
    """A worker publishing into ``tmp_path/out`` (settings: ``env``), and a function that
    queues the recorded Gogs push and returns its job id."""
    from tx_mkdocs.publish import open_storage
    from tx_mkdocs.webhook.app import new_job
    from tx_mkdocs.webhook.jobs import JobQueue
    from tx_mkdocs.webhook.worker import Worker

    config = load_config(None, env={"TX_WEBHOOK_SECRET": "s", "TX_WEBHOOK_DEST": str(
        tmp_path / "out"), "TX_WEBHOOK_DATA_DIR": str(tmp_path / "state"), **env})
    queue, storage = JobQueue(config), open_storage(dest=config.dest)

    def submit() -> str:
        job = new_job(parse_event("push", "gogs", payload("gogs_push.json")), storage, "u")
        queue.submit(job)
        queue.mark_announced(job["job_id"])
        return job["job_id"]

    return Worker(config, queue, storage), submit


def test_jobs_that_crash_or_hang_fail_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An exception inside a job, or a build past its timeout, fails that job (its build log
    says why); the worker returns normally and the ref's lock is free for the next job."""
    worker, submit = a_worker(tmp_path, TX_WEBHOOK_BUILD_TIMEOUT="0.05")
    queue = worker.queue

    def boom(job, workdir):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(worker, "_fetch", boom)
    crashed = submit()
    worker.run(crashed)
    job = queue.get(crashed)
    assert job["status"] == "failed" and "RuntimeError: disk on fire" in job["message"]
    assert queue.lock_holder(job) is None

    monkeypatch.setattr(worker, "_fetch", lambda job, workdir: (EXAMPLE, SHA))
    hung = submit()
    worker.run(hung)
    job = queue.get(hung)
    assert job["status"] == "failed"
    log = json.loads((tmp_path / "out/u/jdoe/en_exb/3a49179070/build_log.json").read_text())
    assert log["job_id"] == hung and log["status"] == "failed"
    assert "longer than 0.05 s" in log["errors"][0]


@pytest.mark.slow
def test_pdf_setting_publishes_pdfs_with_the_site(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch):
    """``pdf = true``: a push's build makes the PDFs, published with the site and linked."""
    worker, submit = a_worker(tmp_path, TX_WEBHOOK_PDF="true")
    monkeypatch.setattr(worker, "_fetch", lambda job, workdir: (EXAMPLE, SHA))
    job_id = submit()
    worker.run(job_id)
    assert worker.queue.get(job_id)["status"] in ("success", "warnings")
    published = tmp_path / "out/u/jdoe/en_exb"
    for folder in (published / SHA[:10], published / "master"):
        assert sorted(p.name for p in (folder / "pdf").iterdir()) == [
            "64-2JN.pdf", "65-3JN.pdf", "en_exb.pdf"]
        assert (folder / "pdf/64-2JN.pdf").read_bytes().startswith(b"%PDF-")
        assert 'href="pdf/64-2JN.pdf"' in (folder / "64-2JN.html").read_text(encoding="utf-8")


def test_old_finished_jobs_are_forgotten(tmp_path: Path):
    from tx_mkdocs.publish import open_storage
    from tx_mkdocs.webhook.app import new_job
    from tx_mkdocs.webhook.jobs import JobQueue

    config = load_config(None, env={"TX_WEBHOOK_SECRET": "s", "TX_WEBHOOK_DEST": str(
        tmp_path / "out"), "TX_WEBHOOK_DATA_DIR": str(tmp_path / "state")})
    queue, storage = JobQueue(config), open_storage(dest=config.dest)
    request = parse_event("push", "gogs", payload("gogs_push.json"))
    old, running, recent = (new_job(request, storage, "u") for _ in range(3))
    old.update(status="success", created_at="2020-01-01T00:00:00Z")
    running.update(status="started", created_at="2020-01-01T00:00:00Z")
    recent.update(status="success")
    for job in (old, running, recent):
        queue.submit(job)
    assert queue.latest(old) == recent["job_id"]
    assert queue.prune() == 1
    assert queue.get(old["job_id"]) is None
    assert queue.get(running["job_id"]) and queue.get(recent["job_id"])
    assert [j["job_id"] for j in queue.find(owner="jdoe")] == [recent["job_id"],
                                                               running["job_id"]]
