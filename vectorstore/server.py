"""A local Chroma server (``chroma run``) for tests, benchmarks and trying the server path.

Production runs start ``chroma run`` themselves (README, "Large archives"); this starts one
on a free loopback port and waits until it answers, so that tests and benchmarks share one
way of doing it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from .errors import StoreUnavailableError
from .store import make_client

CHROMA = Path(sys.executable).with_name("chroma")
"""The ``chroma`` CLI of this virtualenv (``chroma run`` serves a folder over HTTP)."""


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_local_server(
    path: Path, timeout: float = 60.0
) -> tuple[str, subprocess.Popen[bytes]]:
    """``chroma run`` on ``path`` and a free loopback port, once it answers: its URL and the
    process (terminate it when done).  StoreUnavailableError when it does not answer within
    ``timeout`` seconds (the process is killed) or the CLI is not installed."""
    if not CHROMA.exists():
        raise StoreUnavailableError(f"the chroma CLI is not installed ({CHROMA})")
    port = free_port()
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            make_client(url=url)
            return url, proc
        except StoreUnavailableError:
            time.sleep(0.2)
    proc.kill()
    raise StoreUnavailableError(f"chroma run did not answer within {timeout:.0f} s ({path})")
