"""The eval metrics on a tiny hand-made set with known answers."""

from __future__ import annotations

import json

import pytest

from assistant.evaluate import run_eval, score_question, summarize


def result(body: str, date: str, doc_type: str, number: str, text: str = "",
           decision: str | None = None, proposal: str | None = None) -> dict:
    return {"meeting": {"body": body, "date": date, "doc_type": doc_type},
            "item": {"number": number}, "text": text, "decision": decision,
            "proposal": proposal}


GOLD_A = {"body": "KKR Midtjylland", "meeting_date": "2023-02-10", "doc_type": "referat",
          "item": "3.1", "section": "Beslutning"}
GOLD_B = {"body": "KD-Net", "meeting_date": "2022-11-04", "doc_type": "referat",
          "item": "4", "section": "Referat"}
GOLD_AGENDA = {"body": "KKR Midtjylland", "meeting_date": "2023-11-21", "doc_type": "dagsorden",
               "item": "3.3", "section": "Indstilling"}

QUESTIONS = [
    {"id": "q1", "lang": "da", "type": "decision", "question": "q1", "gold": [GOLD_A],
     "answer_keywords": ["godkendt", "KlimaMidt"]},
    {"id": "q2", "lang": "en", "type": "timeline", "question": "q2", "gold": [GOLD_A, GOLD_B],
     "answer_keywords": ["klima"]},
    {"id": "q3", "lang": "en", "type": "decision", "question": "q3", "gold": [GOLD_AGENDA],
     "answer_keywords": []},
    {"id": "q4", "lang": "da", "type": "no_answer", "question": "q4", "gold": [],
     "answer_keywords": []},
]
RESPONSES = {
    # rank 1, both keywords present (one in the decision field), decision carried
    "q1": {"no_answer": False, "answer": "Beslutning: godkendt. [1]", "results": [
        result("KKR Midtjylland", "2023-02-10", "referat", "3.1", "om KlimaMidt", "godkendt")]},
    # first gold at rank 2, the other at rank 3; keyword in text
    "q2": {"no_answer": False, "results": [
        result("KKR Midtjylland", "2023-06-21", "referat", "3.1", "x"),
        result("KD-Net", "2022-11-04", "referat", "4.", "klima"),
        result("KKR midtjylland", "2023-02-10", "Referat", "3.1", "y")]},
    # agenda trap answered correctly: no decision, a proposal; but refused (false refusal)
    "q3": {"no_answer": True, "results": [
        result("KKR Midtjylland", "2023-11-21", "dagsorden", "3.3", "t", None, "indstilling")]},
    "q4": {"no_answer": True, "results": []},
}


def test_per_question_scores() -> None:
    s1 = score_question(QUESTIONS[0], RESPONSES["q1"], 0.01)
    assert (s1.rank, s1.hit1, s1.mrr, s1.cov10, s1.ev5, s1.decision_ok) == (1, 1, 1, 1, 1, True)
    assert s1.ans == 0.5  # 'godkendt' is in the answer line, 'KlimaMidt' only in a passage
    s2 = score_question(QUESTIONS[1], RESPONSES["q2"], 0.02)
    assert (s2.rank, s2.hit1, s2.hit5, s2.mrr, s2.cov10, s2.ev5) == (2, 0, 1, 0.5, 1.0, 1.0)
    s3 = score_question(QUESTIONS[2], RESPONSES["q3"], 0.03)
    assert s3.decision_ok is True and s3.refused
    s4 = score_question(QUESTIONS[3], RESPONSES["q4"], 0.04)
    assert not s4.answerable and s4.refused


def test_summary_splits_and_rates() -> None:
    scores = [score_question(q, RESPONSES[q["id"]], 0.01 * (i + 1))
              for i, q in enumerate(QUESTIONS)]
    summary = summarize(scores)
    assert summary["all"]["n"] == 3
    assert summary["all"]["hit1"] == pytest.approx(2 / 3, abs=1e-3)
    assert summary["all"]["mrr"] == pytest.approx((1 + 0.5 + 1) / 3, abs=1e-3)
    assert summary["by_language"]["en"]["n"] == 2
    assert summary["by_type"]["decision"]["hit1"] == 1.0
    assert summary["no_answer_accuracy"] == 1.0
    assert summary["false_refusal_rate"] == pytest.approx(1 / 3, abs=1e-3)
    assert summary["decision_checks"] == "2/2"
    assert summary["misses"] == ["q2@2"]
    assert summary["latency_ms"]["p50"] == pytest.approx(30.0)


def test_run_eval_dumps_responses_with_ids(tmp_path) -> None:
    dump = tmp_path / "dump.jsonl"
    by_question = {q["question"]: RESPONSES[q["id"]] for q in QUESTIONS}
    summary, scores = run_eval(QUESTIONS, lambda text: by_question[text], dump)
    lines = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["q1", "q2", "q3", "q4"]
    assert lines[0]["results"][0]["decision"] == "godkendt"
    assert summary["all"]["n"] == 3 and len(scores) == 4
