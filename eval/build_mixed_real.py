#!/usr/bin/env python3
"""Build the mixed real archive that eval/mixed_real_*.jsonl are written for.

Usage (from the repository root):

    .venv/bin/python eval/build_mixed_real.py [--out /tmp/mixed_real/docs]

Copies every real meeting page of ``tests/general_real`` to the made-up archive path that
``tests/general_real/expected.json`` gives it (``path``, e.g.
``/archive/stevns.dk/dagsorden/kommunalbestyrelsen-22-01-2020.txt``), under ``--out``. The
parser reads bodies and dates from folder and file names too, so the pages must sit where the
parser tests put them for the index to hold what those tests expect. A path without a ``.txt``
suffix gets one, so the ingest picks it up as text. Together with the bundled samples
(``data/samples/kkr-midtjylland``) this is the "samples mixed with other municipalities"
archive; the script prints the ingest command that builds its index.

``--with DIR`` (repeatable, e.g. ``--with eval/mixed_real2``) adds a further set of real pages:
``DIR/pages.json`` maps each file of ``DIR/pages/`` to its archive ``path`` (keys starting with
``_`` are comments), and those pages are copied the same way. ``mixed_real_heldout2.jsonl`` is
written for the archive built with ``--with eval/mixed_real2``.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "general_real"
SAMPLES = ROOT / "data" / "samples" / "kkr-midtjylland"
DEFAULT_OUT = Path("/tmp/mixed_real/docs")
DEFAULT_DB = Path("/tmp/mixed_real/index")


def target(out: Path, archive_path: str) -> Path:
    """Where one page goes: its archive path below ``out``, always ending in ``.txt``."""
    rel = PurePosixPath(archive_path.lstrip("/"))
    if rel.suffix != ".txt":
        rel = rel.with_name(rel.name + ".txt")
    return out.joinpath(*rel.parts)


def copy_listed(listing: Path, pages: Path, out: Path, copies: list[Path]) -> None:
    """Copy every page named in ``listing`` (name -> {"path": ...}) from ``pages`` to its path."""
    expected = json.loads(listing.read_text(encoding="utf-8"))
    for name, want in sorted(expected.items()):
        if name.startswith("_"):
            continue
        source = pages / name
        if not source.is_file():
            sys.exit(f"{source}: listed in {listing} but missing")
        dest = target(out, str(want["path"]))
        if dest in copies:
            if dest.read_bytes() == source.read_bytes():
                continue  # the same page collected twice (a test page and an eval page)
            sys.exit(f"{name}: archive path {want['path']} is used twice")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        copies.append(dest)


def build(out: Path, extra: list[Path] | None = None) -> list[Path]:
    """Copy the pages of ``tests/general_real`` (and of each ``extra`` set) to their archive
    paths; returns the copies."""
    copies: list[Path] = []
    copy_listed(SOURCE / "expected.json", SOURCE, out, copies)
    for folder in extra or []:
        copy_listed(folder / "pages.json", folder / "pages", out, copies)
    return copies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the pages")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="index path to print")
    parser.add_argument(
        "--with",
        dest="extra",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="also copy the pages of DIR/pages listed in DIR/pages.json (repeatable)",
    )
    args = parser.parse_args(argv)
    copies = build(args.out, args.extra)
    print(f"copied {len(copies)} real pages under {args.out}")
    print(
        f".venv/bin/meetings --db {args.db} ingest --no-progress "
        f"{SAMPLES.relative_to(ROOT)} {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
