"""Publishing built sites: to S3 (or a local folder) in the Door43 layout, to a git branch, and
the CI workflow that does it on every push. Independent of MkDocs: it takes a built site folder
and its build log."""

from .publisher import (
    DEFAULT_PREFIX,
    PublishError,
    PublishResult,
    load_build,
    publish,
    publish_status,
    unpublish_ref,
)
from .storage import DEFAULT_ATTEMPTS, LocalStorage, S3Storage, Storage, open_storage

__all__ = ["DEFAULT_ATTEMPTS", "DEFAULT_PREFIX", "LocalStorage", "PublishError", "PublishResult",
           "S3Storage", "Storage", "load_build", "open_storage", "publish", "publish_status",
           "unpublish_ref"]
