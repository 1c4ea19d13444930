"""Structure of a FirstAgenda JSON archive as ``ingest.firstagenda`` reads it.

    python bench/greve_structure.py [FOLDER] [--min-count N]

Reads every ``*.json`` under FOLDER (default ``../shared/corpus/greve`` next to the
project) and prints meetings, items, closed items, case numbers, items with a decision,
meetings per doc type, every section name with its role and count (so headings that
``section_role`` does not know, role "other", stand out) and the time taken.  Exits 1 when
any file fails to read, 2 when the folder holds no JSON.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.errors import ReadError  # noqa: E402
from ingest.firstagenda import read_firstagenda  # noqa: E402
from ingest.sections import section_role  # noqa: E402

DEFAULT_FOLDER = ROOT.parent / "shared" / "corpus" / "greve"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    ap.add_argument(
        "--min-count", type=int, default=3, help="list section names seen at least this often"
    )
    args = ap.parse_args(argv)
    files = sorted(p for p in args.folder.rglob("*.json") if p.is_file())
    if not files:
        print(f"no JSON files under {args.folder}", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    failed: list[str] = []
    meetings = items = closed = with_case = with_decision = sections = chars = 0
    cases: set[str] = set()
    doc_types: Counter[str] = Counter()
    names: Counter[tuple[str, str]] = Counter()
    warnings: Counter[str] = Counter()
    held_without_decision: list[str] = []
    for path in files:
        try:
            doc, meeting = read_firstagenda(path, path.read_bytes())
        except (ReadError, OSError) as exc:
            failed.append(str(exc))
            continue
        meetings += 1
        chars += len(doc.text)
        doc_types[meeting.doc_type or "unknown"] += 1
        for w in meeting.warnings:
            warnings[w.split(":")[0]] += 1
        any_decision = False
        for item in meeting.items:
            items += 1
            closed += item.closed
            if item.case_number:
                with_case += 1
                cases.add(item.case_number)
            decided = any(s.role == "decision" for s in item.sections)
            with_decision += decided
            any_decision = any_decision or decided
            for s in item.sections:
                sections += 1
                names[(s.name, s.role)] += 1
        if (
            meeting.doc_type == "referat"
            and any(not i.closed for i in meeting.items)
            and not any_decision
        ):
            held_without_decision.append(path.name)
    seconds = time.perf_counter() - t0

    print(f"folder                     {args.folder}")
    print(f"files                      {len(files)}")
    print(f"meetings                   {meetings}")
    print(f"items                      {items}")
    print(f"closed items               {closed}")
    print(f"items with a case number   {with_case}")
    print(f"distinct case numbers      {len(cases)}")
    print(f"items with a decision      {with_decision}")
    print(f"sections                   {sections}")
    print(f"rendered characters        {chars:,}")
    per_type = ", ".join(f"{k} {v}" for k, v in sorted(doc_types.items()))
    print(f"meetings per doc_type      {per_type}")
    print(f"held, no decision anywhere {len(held_without_decision)}")
    for name in held_without_decision[:10]:
        print(f"  {name}")
    if warnings:
        print("warnings")
        for w, n in warnings.most_common():
            print(f"  {n:6d}  {w}")
    print(f"section names (seen >= {args.min_count}x; * = unknown to section_role)")
    for (name, role), n in sorted(names.items(), key=lambda kv: (-kv[1], kv[0])):
        if n < args.min_count:
            continue
        mark = "*" if section_role(name) is None else " "
        print(f"  {n:6d} {mark} {role:<11} {name}")
    rare = sum(1 for n in names.values() if n < args.min_count)
    rare_sections = sum(n for n in names.values() if n < args.min_count)
    print(f"  ({rare} rarer names in {rare_sections} sections not listed)")
    print(f"seconds                    {seconds:.1f}")
    if failed:
        print(f"FAILED {len(failed)} files", file=sys.stderr)
        for line in failed[:20]:
            print(f"  {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
