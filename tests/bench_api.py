"""Latency of POST /api/ask for 1 and for 20 concurrent clients (not collected by pytest).

Usage::

    .venv/bin/meetings serve --port 7860 &          # or any running app
    .venv/bin/python tests/bench_api.py --url http://127.0.0.1:7860 [--rounds 3]

Every request asks a different question (topics x templates), so the embedder's query
cache does not flatter the figures (within one server run: run it once after a start, as a
second run repeats the questions).  Prints p50/p95/max per scenario and the throughput.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import threading
import time

import httpx

TOPICS = [
    "KlimaMidt", "lånepulje til botilbud", "det specialiserede socialområde",
    "Europæisk Kulturregion", "Erhvervshus Midtjylland", "regelforenkling og tilsyn",
    "udpegning til regionalpolitiske fora", "budget for KD-Net", "sundhedsreformen",
    "praksisplanen", "uddannelsesloftet", "velfærdsteknologi", "samfundskontrakten",
    "klimastrategi", "kollektiv trafik", "arbejdskraft og rekruttering", "DK2020",
    "Region Midtjyllands udviklingsplan", "godkendelse af referat", "punkter til næste møde",
]
TEMPLATES = [
    "Hvad blev besluttet om {t}?", "What was decided about {t}?", "Hvad indstilles om {t}?",
    "Hvornår blev {t} drøftet?", "How was {t} handled?",
]


def questions() -> itertools.cycle[str]:
    return itertools.cycle([tpl.format(t=t) for tpl in TEMPLATES for t in TOPICS])


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(url: str, clients: int, per_client: int, pool: itertools.cycle[str]) -> None:
    lock = threading.Lock()
    times: list[float] = []
    failures: list[str] = []
    batches = [[next(pool) for _ in range(per_client)] for _ in range(clients)]
    barrier = threading.Barrier(clients)

    def worker(batch: list[str]) -> None:
        with httpx.Client(base_url=url, timeout=300) as c:
            barrier.wait()
            for q in batch:
                t0 = time.perf_counter()
                r = c.post("/api/ask", json={"question": q})
                dt = time.perf_counter() - t0
                with lock:
                    times.append(dt)
                    if r.status_code != 200:
                        failures.append(f"{r.status_code} {q}")

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    print(
        f"{clients:>2} client(s) x {per_client}: n={len(times)} "
        f"p50 {statistics.median(times) * 1000:.0f} ms  p95 {pct(times, 0.95) * 1000:.0f} ms  "
        f"max {max(times) * 1000:.0f} ms  throughput {len(times) / wall:.1f} req/s  "
        f"failures {len(failures)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860")
    parser.add_argument("--rounds", type=int, default=3, help="requests per concurrent client")
    args = parser.parse_args()
    health = httpx.get(f"{args.url}/api/health", timeout=30).json()
    print(f"app: {health}")
    pool = questions()
    httpx.post(f"{args.url}/api/ask", json={"question": "opvarmning"}, timeout=60)  # warm-up
    run(args.url, 1, 30, pool)
    run(args.url, 20, args.rounds, pool)


if __name__ == "__main__":
    main()
