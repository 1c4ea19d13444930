#!/usr/bin/env python3
"""Check evaluation question files (dev.jsonl format) against the archive they were written for.

Usage (from the repository root):

    .venv/bin/python eval/check_questions.py eval/greve_tune.jsonl eval/greve_heldout.jsonl
    .venv/bin/python eval/check_questions.py --corpus ../shared/corpus/greve eval/greve_tune.jsonl

For every question it reads each gold file with the product's own FirstAgenda reader
(``ingest.firstagenda.read_firstagenda``) and checks that

* the gold file exists in the corpus folder,
* the reader's body, meeting date and doc type equal the gold ``body``, ``meeting_date``,
  ``doc_type``, and the meeting has exactly one item numbered as the gold ``item``,
* that item is not closed, its title equals the gold ``item_title``, and it has a section
  named as the gold ``section``,
* every answer keyword is a verbatim substring of the named sections of the gold items,
* ids are unique (across all files given), and a ``no_answer`` question has no gold and no
  keywords while any other question has both.

Prints one line per problem and exits 1 when there is any; exits 0 otherwise.
Standard library plus the product's reader only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.firstagenda import read_firstagenda  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "greve"
FIELDS = ("id", "lang", "question", "type", "gold", "answer_keywords", "reference_answer", "notes")
GOLD_FIELDS = ("file", "meeting_date", "body", "doc_type", "item", "item_title", "section")
TYPES = {
    "decision", "proposal", "number", "date", "person", "fact", "list",
    "cross_meeting", "timeline", "no_answer",
}  # fmt: skip
LANGS = {"da", "en"}


class Corpus:
    """Reads each meeting file once with the product's reader."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._cache: dict[str, Any] = {}

    def meeting(self, name: str) -> Any:
        if name not in self._cache:
            path = self.folder / name
            _, meeting = read_firstagenda(path, path.read_bytes())
            self._cache[name] = meeting
        return self._cache[name]


def check_gold(g: dict[str, Any], where: str, corpus: Corpus) -> tuple[list[str], str | None]:
    """Problems with one gold entry, and the text of its named section(s) when found."""
    missing = [f for f in GOLD_FIELDS if f not in g]
    if missing:
        return [f"{where}: gold entry lacks {', '.join(missing)}"], None
    path = corpus.folder / str(g["file"])
    if not path.is_file():
        return [f"{where}: gold file not found: {path}"], None
    try:
        m = corpus.meeting(str(g["file"]))
    except Exception as exc:  # the reader's own error says what is wrong with the file
        return [f"{where}: reader failed on {g['file']}: {exc}"], None
    problems = []
    for field, actual in (("body", m.body), ("meeting_date", m.date), ("doc_type", m.doc_type)):
        if g[field] != actual:
            problems.append(f"{where}: {field} {g[field]!r} but the reader gives {actual!r}")
    items = [i for i in m.items if i.number == str(g["item"])]
    if len(items) != 1:
        found = "no item" if not items else f"{len(items)} items"
        problems.append(f"{where}: {found} numbered {g['item']!r} in {g['file']}")
        return problems, None
    item = items[0]
    if item.closed:
        problems.append(f"{where}: item {item.number} is closed (its content is not stored)")
    if g["item_title"] != item.title:
        problems.append(
            f"{where}: item_title {g['item_title']!r} but the reader gives {item.title!r}"
        )
    texts = [s.text for s in item.sections if s.name == g["section"]]
    if not texts:
        names = ", ".join(s.name for s in item.sections) or "none"
        problems.append(
            f"{where}: item {item.number} has no section {g['section']!r} (sections: {names})"
        )
        return problems, None
    return problems, "\n".join(texts)


def check_question(q: dict[str, Any], where: str, corpus: Corpus) -> list[str]:
    missing = [f for f in FIELDS if f not in q]
    if missing:
        return [f"{where}: lacks field(s) {', '.join(missing)}"]
    problems = []
    if q["lang"] not in LANGS:
        problems.append(f"{where}: lang {q['lang']!r} not in {sorted(LANGS)}")
    if q["type"] not in TYPES:
        problems.append(f"{where}: type {q['type']!r} not in {sorted(TYPES)}")
    if not str(q["question"]).strip():
        problems.append(f"{where}: empty question")
    gold, keywords = q["gold"], q["answer_keywords"]
    if not isinstance(gold, list) or not isinstance(keywords, list):
        return problems + [f"{where}: gold and answer_keywords must be lists"]
    if q["type"] == "no_answer":
        if gold or keywords:
            problems.append(f"{where}: a no_answer question must have empty gold and keywords")
        return problems
    if not gold:
        problems.append(f"{where}: no gold items (only no_answer questions may have none)")
    if not keywords:
        problems.append(f"{where}: no answer keywords")
    texts = []
    for n, g in enumerate(gold, 1):
        gold_problems, text = check_gold(g, f"{where} gold {n}", corpus)
        problems += gold_problems
        if text is not None:
            texts.append(text)
    if len(texts) == len(gold):  # only judge keywords when every gold section was found
        for kw in keywords:
            if not isinstance(kw, str) or not kw.strip():
                problems.append(f"{where}: empty or non-text keyword {kw!r}")
            elif not any(kw in t for t in texts):
                problems.append(
                    f"{where}: keyword {kw!r} is not a verbatim substring of the "
                    "gold items' section texts"
                )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="question files (JSON lines)")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help=f"folder holding the gold files (default {DEFAULT_CORPUS})",
    )
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus folder not found: {args.corpus}")
        return 1
    corpus = Corpus(args.corpus)
    problems: list[str] = []
    ids: Counter[str] = Counter()
    for path in args.files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            problems.append(f"{path}: cannot read: {exc}")
            continue
        count = 0
        types: Counter[str] = Counter()
        langs: Counter[str] = Counter()
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path.name}:{lineno}"
            try:
                q = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: invalid JSON: {exc.msg}")
                continue
            if not isinstance(q, dict):
                problems.append(f"{where}: not a JSON object")
                continue
            where = f"{where} ({q.get('id', '?')})"
            ids[str(q.get("id"))] += 1
            count += 1
            types[str(q.get("type"))] += 1
            langs[str(q.get("lang"))] += 1
            problems += check_question(q, where, corpus)
        print(
            f"{path}: {count} questions; "
            + ", ".join(f"{k} {v}" for k, v in sorted(langs.items()))
            + "; "
            + ", ".join(f"{k} {v}" for k, v in sorted(types.items()))
        )
    problems += [f"id {i!r} used {n} times" for i, n in sorted(ids.items()) if n > 1]
    for p in problems:
        print(f"ERROR {p}")
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print("all questions check out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
