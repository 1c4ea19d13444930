"""Named points on the ingest timeline where a crash trial can kill the process (kill -9).

``MEETINGS_CRASH_AT=<point>:<nth>`` makes the ``nth`` (1-based) arrival at ``<point>`` send
SIGKILL to the running process, so that ``bench/crash_trials.py`` can stop an ingest at
exactly the moment it wants to test (between the chunk writes and the document record, say)
instead of hoping a timer lands there.  The variable is read once at import; when it is
unset a crash point is one global load and a return.  Only crash trials set it.

The points, in timeline order (``POINTS``): the embedder is being loaded; a collection was
just created; a file was parsed; its chunks were embedded; a batch of chunks was written; a
document record (the commit point) was written; a batch of stale chunks was deleted.
"""

from __future__ import annotations

import os
import signal

ENV = "MEETINGS_CRASH_AT"
POINTS = (
    "embedder_load",
    "collection_create",
    "parse",
    "embed",
    "chunk_write",
    "record_commit",
    "stale_delete",
)


def parse_target(value: str | None) -> tuple[str, int] | None:
    """``"chunk_write:2"`` -> ``("chunk_write", 2)``; None for unset/empty; ValueError with
    the variable's name for anything else (a typo must not silently run without a crash)."""
    if not value:
        return None
    point, sep, nth = value.partition(":")
    if point not in POINTS or not sep or not nth.isdigit() or int(nth) < 1:
        raise ValueError(
            f"{ENV}={value!r} must look like <point>:<n> with n >= 1 and point one of "
            + ", ".join(POINTS)
        )
    return point, int(nth)


_TARGET = parse_target(os.environ.get(ENV))
_seen: dict[str, int] = {}


def crashpoint(name: str) -> None:
    """Kill this process (SIGKILL, no clean-up, like a power cut) on the chosen arrival."""
    if _TARGET is None:
        return
    count = _seen[name] = _seen.get(name, 0) + 1
    if (name, count) == _TARGET:
        os.kill(os.getpid(), signal.SIGKILL)
