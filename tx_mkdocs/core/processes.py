"""What this process may do with others: how many CPUs it may use, and whether it may fork.

A one-off build is one thread; forking it starts a worker at once with every module loaded
and every page already in memory (copy on write). A process running other threads (``serve``:
the watcher, the web server) must not fork: a lock held by another thread stays locked in the
child forever.
"""

from __future__ import annotations

import os
import sys
import threading


def usable_cpus() -> int:
    """CPUs this process may run on (a container or ``taskset`` may allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def may_fork() -> bool:
    """Whether forking this process is safe and cheap: Linux (elsewhere fork is unsafe with
    system libraries, or missing) and no thread but this one."""
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1
