"""User-extensible word tables shipped as JSON (body aliases, the glossary).

A table is a JSON object ``key -> text``; keys starting with ``_`` are comments.  The
shipped file comes first, then the user's own file named in an environment variable, whose
entries add to (and override) the shipped ones.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def load_table(shipped: Path, env: str, what: str, extra: str | None = None) -> dict[str, str]:
    """The table of ``shipped`` plus the user's file (``extra``, else ``$env``); keys lower
    case.  A file that cannot be read or holds anything but non-empty texts raises
    ValueError naming the file (``what`` says which kind of table it is)."""
    table: dict[str, str] = {}
    user = extra if extra is not None else os.environ.get(env)
    for path in [shipped] + ([Path(user)] if user else []):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{what} file {path}: {exc}") from exc
        if not isinstance(data, dict):
            raise ValueError(f"{what} file {path}: expected a JSON object of texts")
        for key, value in data.items():
            if key.startswith("_"):
                continue
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{what} file {path}: {key!r} needs a non-empty text")
            table[key.lower()] = value
    return table
