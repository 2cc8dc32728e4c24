"""``tx-mkdocs webhook``: the original tX flow on the tx-mkdocs core, for forges without Actions.

A Gogs or Gitea push webhook is answered at once with the job's JSON; the job is queued (huey:
SQLite embedded, or Redis for many workers), then a worker fetches the commit, builds it with the
CLI's own build, publishes it with the publisher, and reports statuses in build_log.json,
project.json, ``GET /jobs/<id>`` and an optional callback.

Modules: ``config`` (settings), ``events`` (signatures, payloads), ``archive`` (fetching and safe
extraction), ``jobs`` (queue, records, locks, recovery), ``worker`` (one job, built in a child
process of :mod:`tx_mkdocs.timeout`), ``app`` (HTTP), ``service`` (processes). Needs the
``webhook`` extra: ``pip install 'tx-mkdocs[webhook]'``.
"""
