"""Element ids made from repository text: one policy, for every resource type.

An id is also a name scripts look things up by. Material reads its settings from the first
element with id ``__config`` and tx.js reads ``tx-config``; an element from content with such an
id, placed before the theme's, would hand a page's configuration to whoever pushed the
repository (DOM clobbering: a forged search worker URL ran script on every reader's page). So
every id built from repository text — TSV row IDs, tA slugs, tW file names, heading slugs,
authors' own ``id`` attributes, manifest fields — goes through :func:`content_id`:

- ids of the theme and of our scripts (:data:`RESERVED_PREFIXES`: ``__…``, ``md-…``, ``tx-…``)
  are never produced: such a candidate is namespaced with :data:`NAMESPACE` (GitHub's
  ``user-content-`` idea), which is itself reserved, so two candidates never meet in one id;
- every other candidate stays as it is: the Door43 anchors links in the wild use (``zuf5``,
  ``figs-idiom``, ``040-ch-001-v-001``) keep working;
- a candidate no HTML attribute or CSS selector can carry (space, quote, ``<>&#\\``, control
  characters) gives None, and the caller falls back to an anchor of its own making.

Ids the type code writes itself (``tw-section-kt``) need no policy, but may use it.
"""

from __future__ import annotations

import re

#: Prefix given to a reserved candidate (``__config`` → ``user-content-__config``).
NAMESPACE = "user-content-"
#: Ids starting with these belong to the theme (``__config``, ``__search``, ``__drawer``,
#: ``__nav_1``, ``__codelineno-…``, ``md-…``) or to us (``tx-config``, ``tx-manual``), or are
#: namespaced content ids. Compared case-insensitively (CSS id selectors are case-sensitive,
#: but no reader needs ``TX-CONFIG`` as an anchor).
RESERVED_PREFIXES = ("__", "md-", "tx-", NAMESPACE)

#: Characters an id may not hold: whitespace (HTML ids have none), what would leave an
#: attribute or a ``[id="…"]`` selector, and control characters.
_UNFIT = re.compile(r"[\s\"'<>&#\\\x00-\x1f\x7f]")


def is_reserved(candidate: str) -> bool:
    """True for an id the theme or our scripts may look up (or a namespaced one)."""
    return candidate.lower().startswith(RESERVED_PREFIXES)


def content_id(candidate: str) -> str | None:
    """The element id for repository text ``candidate``: itself, namespaced when reserved, or
    None when no id can carry it."""
    if not candidate or _UNFIT.search(candidate):
        return None
    return NAMESPACE + candidate if is_reserved(candidate) else candidate
