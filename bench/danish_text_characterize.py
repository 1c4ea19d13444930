"""Characterization of the product's Danish text handling over real strings.

    python bench/danish_text_characterize.py OUT.json             # record
    python bench/danish_text_characterize.py --compare A.json B.json

Records what every date finder, number/name finder, tokenizer, stop-word filter, number
key, whitespace squasher and the document parse make of a large set of real strings: all
sentences, titles and section texts of the sample documents (``data/samples``, the general
samples under ``tests/general``, the PDF fixture) read through the product's readers, the
items of the first Greve FirstAgenda meetings (300 items), and every evaluation question.
Run it before and after a refactoring of the text helpers (``ingest/danish.py``) and compare:
any difference is a behaviour change that must be a named defect fix.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant import answer, briefing, compose, followup, lexical, llm, query  # noqa: E402
from ingest import danish, firstagenda, header, toc  # noqa: E402
from ingest.danish import split_sentences  # noqa: E402
from ingest.pipeline import load_meeting  # noqa: E402
from ingest.serialize import meeting_to_dict  # noqa: E402
from web import core as web_core  # noqa: E402
from web import render as web_render  # noqa: E402

GREVE = ROOT.parent / "shared" / "corpus" / "greve"
QUESTION_FILES = [ROOT.parent / "shared" / "eval" / "dev.jsonl", *sorted((ROOT / "eval").glob(
    "*.jsonl")), ROOT / "tests" / "data" / "dev.jsonl"]
GREVE_ITEMS = 300


def documents() -> list[Path]:
    """Sample documents read through the product's readers (text, markdown, PDF)."""
    paths = sorted((ROOT / "data" / "samples" / "kkr-midtjylland").iterdir())
    paths += sorted(p for p in (ROOT / "tests" / "general").iterdir() if p.suffix != ".json")
    paths += sorted((ROOT / "tests" / "fixtures").glob("*.pdf"))
    return paths


def greve_files() -> list[Path]:
    """The first Greve meetings, in name order, until ``GREVE_ITEMS`` items are read."""
    chosen, items = [], 0
    for path in sorted(GREVE.glob("*.json")):
        chosen.append(path)
        items += len(load_meeting(path)[1].items)
        if items >= GREVE_ITEMS:
            break
    return chosen


def gather() -> tuple[dict[str, Any], list[str], list[str], list[str]]:
    """Parsed meetings (as dicts), passage strings, questions, item numbers."""
    meetings: dict[str, Any] = {}
    strings: list[str] = []
    numbers: list[str] = []
    for path in documents() + greve_files():
        doc, meeting = load_meeting(path)
        meetings[path.name] = meeting_to_dict(meeting)
        strings += split_sentences(doc.text)
        strings += [line for line in doc.text.splitlines()[:40] if line.strip()]
        for item in meeting.items:
            numbers.append(item.number)
            strings.append(item.title)
            for section in item.sections:
                strings.append(section.text)
                strings += split_sentences(section.text)
    questions: list[str] = []
    for qfile in QUESTION_FILES:
        for line in qfile.read_text(encoding="utf-8").splitlines():
            if line.strip():
                questions.append(json.loads(line)["question"])
    strings = list(dict.fromkeys(strings))
    numbers += ["3.10", "2.9", "", "1a", "10.2.3", "x"]
    return meetings, strings, questions, list(dict.fromkeys(numbers))


def _safe(fn: Callable[[Any], Any], value: Any) -> Any:
    try:
        return fn(value)
    except Exception as exc:  # a raising helper is recorded, not fatal
        return f"!{type(exc).__name__}: {exc}"


def _sets(values: Iterable[set[float]]) -> list[list[float]]:
    return [sorted(v) for v in values]


def record(out: Path) -> None:
    meetings, strings, questions, numbers = gather()
    texts = strings + questions
    analyzer = lexical.Analyzer()
    verifier = llm.Verifier()
    # before ingest/danish.py held it, firstagenda wrote the long date itself
    long_date = getattr(firstagenda, "_danish_date", None) or danish.long_date
    days = [date(2019, 1, 1) + timedelta(days=n) for n in range(0, 4400, 7)]
    result: dict[str, Any] = {
        "meetings": meetings,
        "query.analyze": [asdict(query.analyze(q)) for q in texts],
        "query.names_in": [query.names_in(t) for t in texts],
        "followup.is_followup": [followup.is_followup(q) for q in questions],
        "llm.find_dates": [llm.find_dates(t) for t in texts],
        "llm.find_numbers": [_sets(llm.find_numbers(t)) for t in texts],
        "llm.passage_numbers": [sorted(llm.passage_numbers(t)) for t in strings],
        "llm.find_names": [llm.find_names(t) for t in texts],
        "llm.overlap": [
            [round(verifier.overlap(a, b, lang), 6) for lang in ("da", "en")]
            for a, b in zip(texts[::7], texts[3::7], strict=False)
        ],
        "header.find_date": [header.find_date(t) for t in texts],
        "header.find_time": [header.find_time(t) for t in texts],
        "firstagenda._danish_date": [
            long_date(datetime(d.year, d.month, d.day)) for d in days
        ],
        "lexical.words": [analyzer.words(t) for t in texts],
        "lexical.tokens": [analyzer.tokens(t) for t in texts],
        "toc.tokens": [toc.tokens(t) for t in texts],
        "toc.content_tokens": [toc.content_tokens(t) for t in texts],
        "toc.title_similarity": [
            round(toc.title_similarity(a, b), 6)
            for a, b in zip(texts[::5], texts[2::5], strict=False)
        ],
        "compose.holds_date": [compose.holds("date", t) for t in texts],
        "compose.squash": [compose._squash(t) for t in texts],
        "answer.squash": [answer._squash_text(t) for t in texts],
        "llm.squash": [llm._squash(t) for t in texts],
        "briefing.squash": [briefing._squash(t) for t in texts],
        "render.squash": [web_render._squash(t) for t in texts],
        "split_sentences": [split_sentences(t) for t in strings[::3]],
        "toc.number_key": [_safe(toc.number_key, n) for n in numbers],
        "briefing.number_key": [briefing._number_key(n) for n in numbers],
        "web.number_key": [web_core.number_key(n) for n in numbers],
    }
    out.write_text(json.dumps(result, ensure_ascii=False, default=str), encoding="utf-8")
    print(f"{len(strings)} strings, {len(questions)} questions, {len(meetings)} meetings "
          f"-> {out}")


def compare(a: Path, b: Path, show: int) -> int:
    """Print each differing output (input index and both values); 1 when any differ."""
    old = json.loads(a.read_text(encoding="utf-8"))
    new = json.loads(b.read_text(encoding="utf-8"))
    differ = 0
    for key in sorted(set(old) | set(new)):
        x, y = old.get(key), new.get(key)
        if x == y:
            print(f"= {key}")
            continue
        bad: list[Any]
        if isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
            bad = [i for i, (p, q) in enumerate(zip(x, y, strict=True)) if p != q]
        elif isinstance(x, dict) and isinstance(y, dict):
            bad = [k for k in sorted(set(x) | set(y)) if x.get(k) != y.get(k)]
        else:
            bad = ["(shape)"]
        differ += len(bad)
        print(f"! {key}: {len(bad)} differ")
        for i in bad[:show]:
            p = x[i] if isinstance(i, int | str) and i != "(shape)" else x
            q = y[i] if isinstance(i, int | str) and i != "(shape)" else y
            print(f"    [{i}] {json.dumps(p, ensure_ascii=False)[:300]}")
            print(f"    -> {json.dumps(q, ensure_ascii=False)[:300]}")
    print("identical" if not differ else f"{differ} outputs differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--show", type=int, default=10)
    args = parser.parse_args()
    if args.compare:
        return compare(args.paths[0], args.paths[1], args.show)
    record(args.paths[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
