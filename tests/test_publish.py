"""Publishing without S3: key mapping, headers, the local-folder backend (same algorithm as S3),
history bounds, failed builds, usage errors, gh-deploy and init-ci."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from tx_mkdocs import __version__
from tx_mkdocs.core.context import BuildContext
from tx_mkdocs.publish import LocalStorage, load_build, publish
from tx_mkdocs.publish.publisher import (
    IMMUTABLE,
    NO_CACHE,
    STATIC,
    Layout,
    check_prefix,
    headers,
    latest_build,
    ref_segment,
)
from tx_mkdocs.publish.storage import Conflict, StorageError

from .helpers import EXAMPLE, ROOT, cli, sha

BASE = "u/jdoe/en_exb/"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith(".tx-mkdocs")}


def project(dest: Path) -> dict:
    return json.loads((dest / BASE / "project.json").read_text())


def test_ref_keys_stay_one_level_under_the_repo():
    assert ref_segment("master") == "master"
    assert ref_segment("feature/x") == "feature~x"
    assert ref_segment("release/v1/rc") == "release~v1~rc"
    for bad in ("../x", "a//b", "x/", "/x", "a b", "a~b", "abcdef0123", "ABCDEF0123",
                "project.json", "manifest.json", ""):
        with pytest.raises(ValueError):
            ref_segment(bad)
    assert check_prefix("u") == "u" and check_prefix("/preview/u/") == "preview/u"
    assert check_prefix("") == ""
    for bad in ("..", "u/../x", "u/.hidden", "u/a b"):
        with pytest.raises(ValueError):
            check_prefix(bad)
    context = BuildContext("jdoe", "en_exb", sha(1), "feature/x")
    layout = Layout.of("u", context)
    assert (layout.build, layout.alias, layout.project) == (
        f"{BASE}{sha(1)[:10]}/", f"{BASE}feature~x/", f"{BASE}project.json")
    assert Layout.of("", context).build.startswith("jdoe/en_exb/")


def test_headers_per_file():
    assert headers("u/o/r/m/41-MAT.html") == {"content_type": "text/html; charset=utf-8",
                                              "cache_control": NO_CACHE}
    for key in ("build_log.json", "project.json", "search/search_index.json", "sitemap.xml",
                "sitemap.xml.gz"):
        assert headers(key)["cache_control"] == NO_CACHE, key
    assert headers("assets/javascripts/bundle.a5f9d56c.min.js") == {
        "content_type": "text/javascript; charset=utf-8", "cache_control": IMMUTABLE}
    assert headers("assets/stylesheets/main.57a0d79d.min.css.map")["cache_control"] == IMMUTABLE
    assert headers("assets/stylesheets/tx.css") == {"content_type": "text/css; charset=utf-8",
                                                   "cache_control": STATIC}
    assert headers("assets/fonts/x.woff2")["content_type"] == "font/woff2"
    assert headers("LICENSE")["content_type"] == "application/octet-stream"


def test_dest_and_file_url_give_the_same_layout(make_build, tmp_path: Path):
    site = make_build(sha("local"), "feature/x")
    a, b = tmp_path / "a", tmp_path / "b"
    code, out, err = cli("publish", "--no-build", "--site-dir", str(site), "--dest", str(a))
    assert code == 0, err
    assert out.splitlines()[-1] == f"{a.as_uri()}/{BASE}feature~x/index.html"
    assert cli("publish", "--no-build", "--site-dir", str(site), "--bucket", b.as_uri())[0] == 0
    assert tree(a) == tree(b)
    files = tree(a)
    build, ref = f"{BASE}{sha('local')[:10]}/", f"{BASE}feature~x/"
    assert {k[len(build):] for k in files if k.startswith(build)} == {
        k[len(ref):] for k in files if k.startswith(ref)}
    assert {BASE + "project.json", BASE + "manifest.json"} <= files.keys()
    assert json.loads(files[ref + "build_log.json"])["status"] == "success"


def test_history_is_bounded_and_old_builds_are_deleted(make_build, tmp_path: Path):
    dest = tmp_path / "dest"
    tag = sha("tag")
    assert cli("publish", "--no-build", "--site-dir", str(
        make_build(tag, "v1", ref_type="tag", created_at="2024-01-01T00:00:00Z")),
        "--dest", str(dest))[0] == 0
    commits = [sha(f"h{i}") for i in range(4)]
    for i, commit in enumerate(commits):
        site = make_build(commit, created_at=f"2024-01-0{i + 2}T00:00:00Z", minimal=True)
        code, _, err = cli("publish", "--no-build", "--site-dir", str(site), "--dest", str(dest),
                           "--history", "2")
        assert code == 0, err
    assert "1 old builds deleted" in err
    assert [c["id"] for c in project(dest)["commits"]] == [tag[:10]] + [
        c[:10] for c in commits[-2:]]
    folders = {p.name for p in (dest / BASE).iterdir()}
    assert folders == {tag[:10], "v1", commits[-2][:10], commits[-1][:10], "master",
                       "project.json", "manifest.json"}


def test_a_tag_on_a_branch_head_is_a_build_of_its_own(make_build, tmp_path: Path):
    dest, commit = tmp_path / "dest", sha("release")
    for ref, ref_type in (("master", None), ("v2", "tag"), ("master", None)):
        site = make_build(commit, ref, ref_type=ref_type, minimal=True)
        assert cli("publish", "--no-build", "--site-dir", str(site), "--dest", str(dest))[0] == 0
    entries = project(dest)["commits"]
    assert sorted((c["id"], c["ref"], c["type"]) for c in entries) == [
        (commit[:10], "master", "defaultBranch"), (commit[:10], "v2", "tag")]
    assert latest_build(project(dest), "v2") == commit[:10]


def test_of_two_builds_in_the_same_second_the_later_registered_is_the_newest():
    """Door43 timestamps have whole seconds; the commit ids must not decide (they are random)."""
    same = "2024-05-01T10:00:00Z"
    for first, second in (("ffffffffff", "0000000000"), ("0000000000", "ffffffffff")):
        project = {"commits": [{"id": cid, "ref": "master", "status": "success",
                                "created_at": same, "started_at": same}
                               for cid in (first, second)]}
        assert latest_build(project, "master") == second


def test_a_failed_build_is_recorded_and_the_ref_keeps_the_last_good_one(make_build,
                                                                          tmp_path: Path):
    dest, good, bad = tmp_path / "dest", sha("good"), sha("bad")
    assert cli("publish", "--no-build", "--site-dir", str(
        make_build(good, created_at="2024-01-01T00:00:00Z")), "--dest", str(dest))[0] == 0
    code, out, err = cli("publish", "--no-build", "--site-dir", str(
        make_build(bad, status="failed")), "--dest", str(dest))
    assert code == 0, err
    assert out.splitlines()[-1].endswith(f"{BASE}{bad[:10]}/build_log.json")
    assert [c["status"] for c in project(dest)["commits"]] == ["success", "failed"]
    assert sorted(tree(dest / BASE / bad[:10])) == ["build_log.json"]
    master = json.loads((dest / BASE / "master" / "build_log.json").read_text())
    assert master["commit_id"] == good[:10]


def test_concurrent_local_publishes_keep_every_entry(make_build, tmp_path: Path):
    dest = tmp_path / "dest"
    sites = [make_build(sha(f"local-{i}"), minimal=True) for i in range(8)]

    def run(site: Path) -> None:
        context, build_log = load_build(site)
        publish(site, context, build_log, LocalStorage(dest))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(run, sites))
    assert len(project(dest)["commits"]) == 8


def test_local_conditional_writes(tmp_path: Path):
    storage = LocalStorage(tmp_path)
    kw = {"content_type": "application/json", "cache_control": NO_CACHE}
    storage.put("p.json", b"1", if_none_match=True, **kw)
    with pytest.raises(Conflict):
        storage.put("p.json", b"2", if_none_match=True, **kw)
    body, etag = storage.get("p.json")
    with pytest.raises(Conflict):
        storage.put("p.json", b"2", if_match="0" * 32, **kw)
    with pytest.raises(Conflict):
        storage.put("q.json", b"2", if_match=etag, **kw)  # vanished or never there: lost race
    storage.put("p.json", b"2", if_match=etag, **kw)
    assert storage.get("p.json")[0] == b"2" and body == b"1"
    with pytest.raises(Conflict):
        storage.copy("p.json", "c.json", if_match=etag, **kw)
    for key in ("../outside", "", "a/../../outside"):
        with pytest.raises(StorageError, match="not a file inside"):
            storage.get(key)


@pytest.mark.parametrize("args", [
    ["publish", str(EXAMPLE)],                                     # no target
    ["publish", str(EXAMPLE), "--bucket", "b-1", "--dest", "x"],   # two targets
    ["publish", str(EXAMPLE), "--bucket", "Bad_Bucket!"],
    ["publish", str(EXAMPLE), "--dest", "x", "--prefix", "../up"],
    ["publish", str(EXAMPLE), "--dest", "x", "--ref", "abcdef0123"],
    ["publish", str(EXAMPLE), "--dest", "x", "--ref", "a..b"],
    ["publish", "--no-build", "--dest", "x"],                      # no --site-dir
    ["publish", "--no-build", "--site-dir", "s", "--dest", "x", "--ref", "main"],
    ["build", str(EXAMPLE), "--publish"],                          # no target
])
def test_usage_errors_before_building(args: list[str], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("tx_mkdocs.cli.run_build", lambda *a, **k: pytest.fail("built"))
    assert cli(*args)[0] == 2


def test_unreadable_build_log_exits_3(tmp_path: Path):
    (tmp_path / "site").mkdir()
    code, _, err = cli("publish", "--no-build", "--site-dir", str(tmp_path / "site"), "--dest",
                       str(tmp_path / "dest"))
    assert code == 3 and "not a tx-mkdocs build log" in err


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example as a git repository with a bare ``origin``."""
    for name, value in (("GIT_AUTHOR_NAME", "T"), ("GIT_AUTHOR_EMAIL", "t@example.org"),
                        ("GIT_COMMITTER_NAME", "T"), ("GIT_COMMITTER_EMAIL", "t@example.org")):
        monkeypatch.setenv(name, value)
    for name in ("GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_REF_NAME", "GITHUB_REF_TYPE"):
        monkeypatch.delenv(name, raising=False)
    origin, repo = tmp_path / "origin.git", tmp_path / "en_exb"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    subprocess.run(["cp", "-a", str(EXAMPLE), str(repo)], check=True)
    git(repo, "init", "-q", "-b", "master")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first")
    git(repo, "remote", "add", "origin", str(origin))
    git(repo, "push", "-q", "origin", "master")
    return repo


def test_gh_deploy_pushes_the_site_to_a_branch(git_repo: Path):
    origin = git_repo.parent / "origin.git"
    code, _, err = cli("gh-deploy", str(git_repo))
    assert code == 0, err
    files = git(origin, "ls-tree", "-r", "--name-only", "gh-pages").split()
    assert {"index.html", "64-2JN.html", ".nojekyll", "build_log.json"} <= set(files)
    head = git(git_repo, "rev-parse", "HEAD").strip()
    assert head[:10] in git(origin, "log", "-1", "--format=%s", "gh-pages")
    assert git(git_repo, "status", "--porcelain") == ""  # the work tree is untouched

    (git_repo / "64-2JN.usfm").write_text((git_repo / "64-2JN.usfm").read_text() + "\n")
    git(git_repo, "commit", "-qam", "second")
    assert cli("gh-deploy", str(git_repo))[0] == 0  # a second deploy adds a commit on top
    assert git(origin, "rev-list", "--count", "gh-pages").strip() == "2"


def test_gh_deploy_failure_exits_3(git_repo: Path):
    git(git_repo, "remote", "set-url", "origin", str(git_repo.parent / "missing.git"))
    code, _, err = cli("gh-deploy", str(git_repo))
    assert code == 3 and "gh-deploy" in err


def test_init_ci_writes_a_pinned_caller(tmp_path: Path):
    code, out, _ = cli("init-ci", str(tmp_path), "--bucket", "door43.org")
    path = tmp_path / ".gitea" / "workflows" / "door43.yml"
    assert code == 0 and out.strip() == str(path)
    text = path.read_text()
    assert "${{ gitea." not in text  # act rejects the gitea.* context; Gitea aliases github.*
    workflow = yaml.safe_load(text)
    job = workflow["jobs"]["publish"]
    assert job["uses"] == (f"unfoldingWord/tx-mkdocs/.github/workflows/gogs-actions.yml"
                           f"@v{__version__}")
    assert job["with"] == {"bucket": "door43.org", "prefix": "u",
                           "tx-mkdocs-version": __version__}
    assert job["secrets"] == {"AWS_ACCESS_KEY_ID": "${{ secrets.AWS_ACCESS_KEY_ID }}",
                              "AWS_SECRET_ACCESS_KEY": "${{ secrets.AWS_SECRET_ACCESS_KEY }}"}
    assert workflow["on"]["push"] == {"branches": ["**"], "tags": ["**"]}
    # quick pushes of one ref (tc-create autosaves) cancel the build of the one before
    assert workflow["concurrency"] == {"group": "door43-${{ github.ref }}",
                                       "cancel-in-progress": True}

    assert cli("init-ci", str(tmp_path))[0] == 2  # exists
    assert cli("init-ci", str(tmp_path), "--force", "--workflow-ref", "../x")[0] == 2
    assert cli("init-ci", str(tmp_path), "--force")[0] == 0
    assert yaml.safe_load(path.read_text())["jobs"]["publish"]["with"]["bucket"] == (
        "${{ vars.DOOR43_BUCKET }}")


def test_the_gogs_hook_of_the_docs_publishes_pushes(git_repo: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch):
    page = (ROOT / "docs" / "ci.md").read_text()
    block = page[page.index("<!-- gogs-hook"):]
    script = block[block.index("```sh\n") + 6:block.index("\n```", block.index("```sh"))]
    dest = tmp_path / "published"
    assert "--bucket door43.org" in script
    hook = git_repo.parent / "origin.git" / "hooks" / "post-receive"
    hook.write_text(script.replace("--bucket door43.org", f"--dest {dest}") + "\n")
    hook.chmod(0o755)
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    for name in ("GITHUB_SERVER_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    (git_repo / "README.md").write_text("changed\n")
    git(git_repo, "commit", "-qam", "second")
    git(git_repo, "tag", "v1")
    pushed = subprocess.run(["git", "-C", str(git_repo), "push", "origin", "master", "v1"],
                            capture_output=True, text=True, check=True)
    head = git(git_repo, "rev-parse", "HEAD").strip()
    base = dest / "u" / "jdoe" / "en_ult"
    assert f"{base.as_uri()}/v1/index.html" in pushed.stderr  # the pusher sees the URL
    assert (base / head[:10] / "index.html").is_file()
    history = json.loads((base / "project.json").read_text())
    assert sorted((c["ref"], c["type"]) for c in history["commits"]) == [
        ("master", "defaultBranch"), ("v1", "tag")]
    assert history["repo_url"] == "https://git.door43.org/jdoe/en_ult"
