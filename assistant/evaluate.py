"""`meetings eval`: run a question file, score item-level retrieval and answers.

Question format: one JSON object per line as in ``../shared/eval/dev.jsonl``:
``{"id", "lang", "question", "type", "gold": [{"body", "meeting_date", "doc_type", "item",
"section"}], "answer_keywords": [...]}``; an empty ``gold`` marks a question the archive
cannot answer.  A gold ref matches a result when body, meeting date, doc type and item
number agree.
"""

from __future__ import annotations

import json
import statistics
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Ref = tuple[str, str, str, str]
METRICS = ("hit1", "hit5", "mrr", "cov10", "ev5", "ans")


def _norm(value: object) -> str:
    text = unicodedata.normalize("NFC", str(value or "")).lower().replace("–", "-")
    return " ".join(text.replace("*", "").split()).strip(" .")


def gold_ref(g: dict[str, Any]) -> Ref:
    return (_norm(g["body"]), str(g["meeting_date"]), _norm(g["doc_type"]),
            str(g["item"]).strip().rstrip("."))


def result_ref(r: dict[str, Any]) -> Ref:
    m, it = r.get("meeting") or {}, r.get("item") or {}
    return (_norm(m.get("body")), str(m.get("date")), _norm(m.get("doc_type")),
            str(it.get("number")).strip().rstrip("."))


@dataclass
class QuestionScore:
    id: str
    lang: str
    type: str
    answerable: bool
    refused: bool
    rank: int | None = None
    hit1: float = 0.0
    hit5: float = 0.0
    mrr: float = 0.0
    cov10: float = 0.0
    ev5: float = 0.0
    ans: float = 0.0
    """Share of the answer keywords in the answer line itself (what a person reads first)."""
    decision_ok: bool | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def score_question(q: dict[str, Any], response: dict[str, Any], seconds: float) -> QuestionScore:
    """Score one response (the `ask --json` object) against its question's gold."""
    results = response.get("results") or []
    s = QuestionScore(q["id"], q.get("lang", "da"), q.get("type", ""), bool(q["gold"]),
                      bool(response.get("no_answer")), seconds=seconds)
    if not q["gold"]:
        return s
    gold = {gold_ref(g) for g in q["gold"]}
    keys = [result_ref(r) for r in results]
    s.rank = next((i for i, k in enumerate(keys, 1) if k in gold), None)
    s.hit1 = float(s.rank == 1)
    s.hit5 = float(s.rank is not None and s.rank <= 5)
    s.mrr = 1 / s.rank if s.rank else 0.0
    s.cov10 = len(gold & set(keys[:10])) / len(gold)
    top5 = " ".join(str(r.get(f) or "") for r in results[:5]
                    for f in ("text", "decision", "proposal"))
    kws = q.get("answer_keywords") or []
    s.ev5 = sum(k in top5 for k in kws) / max(1, len(kws))
    answer = str(response.get("answer") or "")
    s.ans = sum(k in answer for k in kws) / max(1, len(kws))
    if q.get("type") == "decision":
        checks = []
        for g in q["gold"]:
            hit = next((r for r in results if result_ref(r) == gold_ref(g)), None)
            if g.get("section") in ("Beslutning", "Referat"):
                checks.append(bool(hit and hit.get("decision")))
            elif g.get("doc_type") == "dagsorden":
                checks.append(bool(hit and hit.get("decision") is None and hit.get("proposal")))
        s.decision_ok = all(checks) if checks else None
    return s


def summarize(scores: Sequence[QuestionScore]) -> dict[str, Any]:
    """Aggregate figures: overall, by language, by type; no-answer; latency."""
    answerable = [s for s in scores if s.answerable]
    unanswerable = [s for s in scores if not s.answerable]

    def agg(sub: Sequence[QuestionScore]) -> dict[str, float]:
        return {m: round(statistics.mean(getattr(s, m) for s in sub), 3) if sub else 0.0
                for m in METRICS} | {"n": len(sub)}

    latencies = sorted(s.seconds * 1000 for s in scores)
    decisions = [s.decision_ok for s in scores if s.decision_ok is not None]
    return {
        "all": agg(answerable),
        "by_language": {lang: agg([s for s in answerable if s.lang == lang])
                        for lang in sorted({s.lang for s in answerable})},
        "by_type": {t: agg([s for s in answerable if s.type == t])
                    for t in sorted({s.type for s in answerable})},
        "no_answer_accuracy": round(statistics.mean(s.refused for s in unanswerable), 3)
        if unanswerable else None,
        "false_refusal_rate": round(statistics.mean(s.refused for s in answerable), 3)
        if answerable else None,
        "decision_checks": f"{sum(decisions)}/{len(decisions)}",
        "latency_ms": {
            "p50": round(_percentile(latencies, 50), 1),
            "p95": round(_percentile(latencies, 95), 1),
        },
        "misses": [f"{s.id}@{s.rank}" for s in answerable if s.rank != 1],
        "refused": [s.id for s in scores if s.refused],
    }


def _percentile(values: Sequence[float], pct: float) -> float:
    if not values:
        return 0.0
    idx = min(len(values) - 1, max(0, round(pct / 100 * (len(values) - 1))))
    return sorted(values)[idx]


def load_questions(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def run_eval(
    questions: Sequence[dict[str, Any]],
    ask: Callable[[str], dict[str, Any]],
    dump: Path | None = None,
) -> tuple[dict[str, Any], list[QuestionScore]]:
    """Ask every question (one process, model loaded once), score, optionally dump."""
    scores: list[QuestionScore] = []
    responses: list[dict[str, Any]] = []
    for q in questions:
        started = time.perf_counter()
        response = ask(q["question"])
        elapsed = time.perf_counter() - started
        scores.append(score_question(q, response, elapsed))
        responses.append({"id": q["id"], **response})
    if dump is not None:
        with dump.open("w", encoding="utf-8") as fh:
            for r in responses:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return summarize(scores), scores


def format_summary(summary: dict[str, Any]) -> str:
    """Human-readable table of the eval figures."""
    def row(name: str, figs: dict[str, float]) -> str:
        return f"{name:<16}" + "".join(f"{figs[m]:>8.3f}" for m in METRICS) + f"{figs['n']:>6}"

    lines = [f"{'':<16}" + "".join(f"{m:>8}" for m in METRICS) + f"{'n':>6}",
             row("all", summary["all"])]
    lines += [row(f"lang {k}", v) for k, v in summary["by_language"].items()]
    lines += [row(f"type {k}", v) for k, v in summary["by_type"].items()]
    lines.append(f"no-answer accuracy: {summary['no_answer_accuracy']}  "
                 f"false refusals: {summary['false_refusal_rate']}  "
                 f"decision checks: {summary['decision_checks']}")
    lines.append(f"latency p50 {summary['latency_ms']['p50']} ms  "
                 f"p95 {summary['latency_ms']['p95']} ms")
    lines.append("not at rank 1: " + (", ".join(summary["misses"]) or "none"))
    lines.append("refused: " + (", ".join(summary["refused"]) or "none"))
    return "\n".join(lines)
