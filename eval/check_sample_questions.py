#!/usr/bin/env python3
"""Check question files (dev.jsonl format) written over the bundled KKR Midtjylland samples.

Usage: python3 eval/check_sample_questions.py [--items ITEMS.json] [--samples DIR]
       [--dev DEV.jsonl] FILE.jsonl...

Checks, per question:
* one JSON object per line with exactly the dev.jsonl fields, known type and language;
* ids unique across all files given; no identical question text twice (or in dev.jsonl);
* no_answer <=> empty gold and empty answer_keywords; otherwise gold and 1-3 keywords;
* every gold ref names a sample file, body, meeting date and doc type as items.json lists them,
  an item with that number and title, and a section that item has;
* every keyword is a verbatim substring of the sample text of a gold item (from its start line
  to the line before the next item's start) and of that item's named section.
Reports counts by type and language per file, and gold items shared between the files.
Exit 1 on any problem. Standard library only.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

FIELDS = ["id", "lang", "question", "type", "gold", "answer_keywords", "reference_answer", "notes"]
GOLD_FIELDS = ["file", "meeting_date", "body", "doc_type", "item", "item_title", "section"]
TYPES = {"decision", "proposal", "number", "date", "person", "fact", "list",
         "cross_meeting", "timeline", "no_answer"}


def load_docs(items_path: Path, samples: Path) -> dict[str, dict]:
    docs = {}
    for d in json.loads(items_path.read_text(encoding="utf-8")):
        lines = (samples / d["file"]).read_text(encoding="utf-8").splitlines()
        starts = sorted(i["start_line"] for i in d["items"] if i.get("start_line"))
        items = {}
        for it in d["items"]:
            s = it.get("start_line")
            if not s:
                items[it["number"]] = (it, "", {})
                continue
            nxt = [x for x in starts if x > s]
            stop = nxt[0] - 1 if nxt else len(lines)  # up to the next item's heading
            text = "\n".join(lines[s - 1:stop])
            secs = sorted((ln, name) for name, ln in (it.get("section_start_lines") or {}).items())
            sec_text = {}
            for k, (ln, name) in enumerate(secs):
                end = secs[k + 1][0] - 1 if k + 1 < len(secs) else stop
                sec_text[name] = "\n".join(lines[ln - 1:end])
            items[it["number"]] = (it, text, sec_text)
        docs[d["file"]] = {"meta": d, "items": items}
    return docs


def check_file(path: Path, docs: dict, seen_ids: dict, seen_q: dict, problems: list) -> dict:
    stats = {"type": Counter(), "lang": Counter(), "type_lang": Counter(), "gold": set()}
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{n}"
        if not raw.strip():
            continue
        try:
            q = json.loads(raw)
        except json.JSONDecodeError as e:
            problems.append(f"{where}: bad JSON ({e})")
            continue
        if list(q) != FIELDS:
            problems.append(f"{where}: fields {list(q)} != {FIELDS}")
            continue
        qid = q["id"]
        where = f"{path.name}:{qid}"
        if qid in seen_ids:
            problems.append(f"{where}: duplicate id (also {seen_ids[qid]})")
        seen_ids[qid] = path.name
        key = " ".join(q["question"].lower().split())
        if key in seen_q:
            problems.append(f"{where}: same question text as {seen_q[key]}")
        seen_q[key] = where
        if q["lang"] not in ("da", "en"):
            problems.append(f"{where}: lang {q['lang']!r}")
        if q["type"] not in TYPES:
            problems.append(f"{where}: type {q['type']!r}")
        for f in ("question", "reference_answer", "notes", "id"):
            if not isinstance(q[f], str) or (f != "notes" and not q[f].strip()):
                problems.append(f"{where}: field {f} must be a non-empty string")
        stats["type"][q["type"]] += 1
        stats["lang"][q["lang"]] += 1
        stats["type_lang"][(q["type"], q["lang"])] += 1
        gold, kws = q["gold"], q["answer_keywords"]
        if not isinstance(gold, list) or not isinstance(kws, list):
            problems.append(f"{where}: gold and answer_keywords must be lists")
            continue
        if q["type"] == "no_answer":
            if gold or kws:
                problems.append(f"{where}: no_answer must have empty gold and keywords")
            continue
        if not gold or not 1 <= len(kws) <= 3:
            problems.append(f"{where}: answerable needs gold and 1-3 keywords "
                            f"(has {len(gold)}, {len(kws)})")
        if q["type"] in ("cross_meeting", "timeline") and len(gold) < 2:
            problems.append(f"{where}: {q['type']} needs several gold items")
        texts = []
        for g in gold:
            if list(g) != GOLD_FIELDS:
                problems.append(f"{where}: gold fields {list(g)} != {GOLD_FIELDS}")
                continue
            doc = docs.get(g["file"])
            if doc is None:
                problems.append(f"{where}: unknown file {g['file']}")
                continue
            meta = doc["meta"]
            for f in ("body", "meeting_date", "doc_type"):
                if g[f] != meta[f]:
                    problems.append(f"{where}: {g['file']} {f} {g[f]!r} != {meta[f]!r}")
            entry = doc["items"].get(g["item"])
            if entry is None:
                problems.append(f"{where}: {g['file']} has no item {g['item']}")
                continue
            it, text, sec_text = entry
            if g["item_title"] != it["title"]:
                problems.append(f"{where}: item {g['item']} title {g['item_title']!r} "
                                f"!= {it['title']!r}")
            if g["section"] not in it.get("sections", []):
                problems.append(f"{where}: item {g['item']} has no section {g['section']!r} "
                                f"({it.get('sections')})")
            texts.append((g, text, sec_text.get(g["section"], "")))
            stats["gold"].add((g["file"], g["item"]))
        for k in kws:
            if not isinstance(k, str) or not k.strip():
                problems.append(f"{where}: empty keyword")
                continue
            if not any(k in t for _, t, _ in texts):
                problems.append(f"{where}: keyword {k!r} not in any gold item's text")
            elif not any(k in s for _, _, s in texts):
                problems.append(f"{where}: keyword {k!r} in item text but not in the named section")
        for g, _, s in texts:
            if not any(k in s for k in kws):
                problems.append(f"{where}: no keyword comes from gold {g['file'][:3]} "
                                f"{g['item']} {g['section']}")
    return stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=Path, default=SHARED / "eval" / "items.json")
    ap.add_argument("--samples", type=Path, default=ROOT / "data" / "samples" / "kkr-midtjylland")
    ap.add_argument("--dev", type=Path, default=SHARED / "eval" / "dev.jsonl")
    ap.add_argument("files", nargs="+", type=Path)
    a = ap.parse_args()
    docs = load_docs(a.items, a.samples)
    problems: list[str] = []
    seen_ids: dict = {}
    seen_q: dict = {}
    if a.dev.exists():
        for raw in a.dev.read_text(encoding="utf-8").splitlines():
            if raw.strip():
                d = json.loads(raw)
                seen_q[" ".join(d["question"].lower().split())] = f"dev {d['id']}"
    golds = {}
    for f in a.files:
        st = check_file(f, docs, seen_ids, seen_q, problems)
        golds[f.name] = st["gold"]
        total = sum(st["lang"].values())
        print(f"{f.name}: {total} questions; lang {dict(sorted(st['lang'].items()))}")
        for t in sorted(st["type"]):
            da, en = st["type_lang"][(t, "da")], st["type_lang"][(t, "en")]
            print(f"  {t:14} {st['type'][t]:2}  (da {da}, en {en})")
        print(f"  distinct gold items: {len(st['gold'])}")
    names = list(golds)
    for i, x in enumerate(names):
        for y in names[i + 1:]:
            shared = sorted(golds[x] & golds[y])
            print(f"gold items shared by {x} and {y}: {len(shared)} {shared if shared else ''}")
    for p in problems:
        print("PROBLEM", p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
