"""The HTTP side of the webhook service (Starlette): ``POST /hooks/push``, ``GET /jobs/<id>``,
``GET /jobs?owner=&repo=&ref=&status=&limit=``, ``GET /healthz``.

A push is answered at once, before any build, with the job JSON (Gogs shows it on its webhook
page): the answer costs a signature check, a JSON parse and three small writes to the queue.
The ``requested`` build log is published after the answer has gone.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..core.context import utc_now
from ..core.records import BUILD_LOG, requested_record
from ..publish import PublishError, Storage, publish_status
from ..publish.publisher import Layout
from .config import WebhookConfig
from .events import Ignored, JobRequest, Refused, event_of, parse_event, verify_signature
from .jobs import JobQueue
from .worker import job_context, job_urls

log = logging.getLogger("tx_mkdocs.webhook")
_JOB_ID = re.compile(r"[0-9a-f]{32}")


class BodyTooLargeError(Exception):
    """The request body is over the limit."""


def new_job(request: JobRequest, storage: Storage, prefix: str) -> dict[str, Any]:
    """The record of a job just requested (ValueError: its ref cannot be published)."""
    created = utc_now()
    job: dict[str, Any] = {
        "job_id": uuid.uuid4().hex, "status": "requested", "action": request.action,
        "event": request.event, "forge": request.forge, "delivery": request.delivery,
        "owner": request.owner, "repo": request.repo, "ref": request.ref,
        "ref_type": request.ref_type, "commit": request.commit,
        "repo_url": f"{request.server_url}/{request.owner}/{request.repo}",
        "html_url": request.html_url, "clone_url": request.clone_url,
        "server_url": request.server_url, "pusher": request.pusher,
        "created_at": created, "started_at": None, "ended_at": None,
        "message": ("tx-mkdocs build requested." if request.action == "build"
                    else f"Removing {request.ref} requested."),
        "statuses": [{"status": "requested", "at": created}],
        "build_log_url": None, "site_url": None, "errors": [], "warnings": 0,
        "superseded_by": None, "seq": time.time_ns(),
    }
    context = job_context(job)
    layout = Layout.of(prefix, context)  # validates the ref for keys
    if request.action == "build":
        job.update(job_urls(storage, prefix, context))
        if not request.commit:  # a release: the final log lands in the tag's folder
            job["build_log_url"] = storage.url(layout.alias + BUILD_LOG)
    return job


def announce(queue: JobQueue, storage: Storage, prefix: str, job: dict[str, Any]) -> None:
    """Publish the ``requested`` build log and project.json entry (after the answer), then tell
    the worker, which waits a little for it."""
    try:
        publish_status(storage, requested_record(job_context(job)), prefix=prefix)
    except (PublishError, ValueError) as exc:
        log.warning("job %s: the requested build log was not written: %s", job["job_id"], exc)
    finally:
        queue.mark_announced(job["job_id"])


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, refused past ``limit`` bytes (declared or actual)."""
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or int(declared) > limit):
        raise BodyTooLargeError
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)


def refuse(status: int, message: str) -> JSONResponse:
    return JSONResponse({"status": "refused", "error": message}, status_code=status)


def create_app(config: WebhookConfig, queue: JobQueue, storage: Storage, *,
               lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]] | None = None
               ) -> Starlette:
    """The ASGI application; ``lifespan`` starts and stops in-process workers."""

    async def push(request: Request) -> JSONResponse:
        try:
            body = await read_body(request, config.max_body)
        except BodyTooLargeError:
            return refuse(413, f"the body is larger than {config.max_body} bytes")
        if not verify_signature(config.secret, body, request.headers):
            return refuse(401, "missing or wrong signature (X-Gitea-Signature, "
                               "X-Gogs-Signature or X-Hub-Signature-256)")
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):
            return refuse(400, "the body is not JSON")
        event, forge = event_of(request.headers)
        delivery = (request.headers.get("x-gitea-delivery")
                    or request.headers.get("x-gogs-delivery") or "")
        try:
            wanted = parse_event(event, forge, payload, delivery=delivery,
                                 allow_private=config.allow_private,
                                 forge_urls=config.forge_urls)
            job = new_job(wanted, storage, config.prefix)
        except Ignored as exc:
            return JSONResponse({"status": "ignored", "reason": str(exc)}, status_code=202)
        except Refused as exc:
            return refuse(exc.status, str(exc))
        except ValueError as exc:
            return refuse(400, str(exc))
        job["job_url"] = str(request.url_for("job", job_id=job["job_id"]))
        try:
            await run_in_threadpool(queue.submit, job)
        except Exception:
            log.exception("queueing job %s failed", job["job_id"])
            return refuse(503, "the job queue is unavailable; redeliver later")
        log.info("job %s requested: %s %s/%s %s %s", job["job_id"], event, job["owner"],
                 job["repo"], job["ref"], job["commit"] or "")
        background = (BackgroundTask(announce, queue, storage, config.prefix, job)
                      if job["action"] == "build" and job["commit"] else None)
        return JSONResponse(job, status_code=202, headers={"Location": job["job_url"]},
                            background=background)

    async def job(request: Request) -> JSONResponse:
        job_id = request.path_params["job_id"]
        found = await run_in_threadpool(queue.get, job_id) if _JOB_ID.fullmatch(job_id) else None
        if found is None:
            return JSONResponse({"error": f"no job {job_id}"}, status_code=404)
        return JSONResponse(found)

    async def jobs(request: Request) -> JSONResponse:
        params = request.query_params
        try:
            limit = min(max(int(params.get("limit", "50")), 1), 500)
        except ValueError:
            return refuse(400, "limit must be a number")
        found = await run_in_threadpool(
            lambda: queue.find(owner=params.get("owner"), repo=params.get("repo"),
                               ref=params.get("ref"), status=params.get("status"),
                               limit=limit))
        return JSONResponse({"jobs": found})

    async def healthz(request: Request) -> JSONResponse:
        try:
            queued = await run_in_threadpool(queue.huey.pending_count)
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            return JSONResponse({"status": "error", "error": f"queue: {exc}"}, status_code=503)
        return JSONResponse({"status": "ok", "role": config.role,
                             "queue": "sqlite" if queue.embedded else "redis",
                             "queued": queued})

    return Starlette(routes=[
        Route("/hooks/push", push, methods=["POST"]),
        Route("/jobs/{job_id}", job, methods=["GET"], name="job"),
        Route("/jobs", jobs, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
    ], lifespan=lifespan)
