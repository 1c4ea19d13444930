"""Load test, short form (issue 13): ``bench/load_test.py`` with the fast fake embedder,
5 API users and 2 UI users for 6 s (after 2 s of warm-up) while one PDF is uploaded, then
3x the API's in-flight limit at once.  The full form (real model, 20 + 5 users, 60 s) is
run by hand; its figures are in docs/BENCHMARKS.md, "Load test".

The server is a child process (``python -m app serve``), as users start it, so that
its memory is measured alone; the checks that classify answers are shown to catch bad ones.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from conftest import free_port, load_bench

from web.api import API_MAX_IN_FLIGHT, BUSY

REPO = Path(__file__).resolve().parents[1]


bench = load_bench("load_test")


def test_short_load_run_has_no_errors_bounded_memory_and_clean_overflow(tmp_path: Path) -> None:
    with bench.served_app("hash-64", tmp_path, port=free_port()) as server:
        report = bench.run_load(server, api_users=5, ui_users=2, warmup=2, duration=6,
                                upload_file=bench.DEFAULT_UPLOAD, model="hash-64")
    print(report.text())
    assert report.failures() == [], report.text()
    api, ui = report.requests["api"], report.requests["ui"]
    assert api["served"] >= 20 and ui["served"] >= 4 and report.requests["all"]["errors"] == 0
    assert 0 < api["p50_ms"] <= api["p95_ms"]
    assert report.upload["ingested"] == 1 and report.upload["searchable"] is True
    assert report.rss_before_mib > 100 and report.rss_growth < 0.10
    over = report.overflow
    assert over["clients"] == 3 * API_MAX_IN_FLIGHT and over["busy"] > 0
    assert over["served"] >= API_MAX_IN_FLIGHT and over["errors"] == 0
    assert over["busy_message"] == BUSY and over["retry_after"] and over["after"] == "served"


def _response(status: int, body: object = None, text: str | None = None) -> httpx.Response:
    request = httpx.Request("POST", "http://127.0.0.1/api/ask")
    if text is not None:
        return httpx.Response(status, text=text, request=request)
    return httpx.Response(status, json=body, request=request)


def test_answers_are_classified_strictly() -> None:
    classify = bench.classify_api
    assert classify(_response(200, {"answer": "Godkendt.", "results": []}))[0] == "ok"
    assert classify(_response(503, {"detail": BUSY}))[0] == "busy"
    assert classify(_response(200, {"detail": "x"}))[0] == "error"  # no answer
    assert classify(_response(503, text="Service Unavailable"))[0] == "error"  # not JSON
    assert classify(_response(503, {"detail": ""}))[0] == "error"  # no message
    assert classify(_response(500, {"detail": "boom"}))[0] == "error"
    assert classify(_response(422, {"detail": []}))[0] == "error"


def test_report_fails_on_errors_memory_growth_upload_and_overflow() -> None:
    report = bench.LoadReport(api_users=2, ui_users=1, warmup_s=1, duration_s=1)
    report.requests = {"api": {"served": 5}, "ui": {"served": 2}, "all": {"errors": 0}}
    report.rss_before_mib, report.rss_after_mib = 200.0, 210.0
    report.upload = {"ok": True}
    report.overflow = {"ok": True}
    assert report.failures() == []
    report.rss_after_mib = 221.0
    assert any("memory grew 10.5%" in f for f in report.failures())
    report.rss_after_mib = 210.0
    report.requests["all"]["errors"] = 1
    report.requests["ui"]["served"] = 0
    report.upload = {"ok": False, "problem": "HTTP 422"}
    report.overflow = {"ok": False, "problem": "none answered 503"}
    assert len(report.failures()) == 4
