"""Plot warm ask latency, memory and app ready time against archive size (docs/scale.png).

    .venv/bin/python bench/plot_scale.py --out docs/scale.png \\
        --point samples=lat-samples.json,serve-samples.json \\
        --point Greve=lat-greve.json,serve-greve.json --point 10k=lat-10k.json,serve-10k.json ...

Each ``--point LABEL=LATENCY[,SERVE]`` names the JSON that ``bench/greve_latency.py latency``
wrote for one index (chunks, warm ``ask`` p50/p95 per language, the process's RSS after
loading and after the passage model's load) and optionally the one ``greve_latency.py serve``
wrote (app ready time).  matplotlib is a dev extra (``pip install -e '.[dev]'``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

TARGET_P95_MS = 300
TARGET_READY_S = 15


def read_point(spec: str) -> dict[str, Any]:
    """``LABEL=LATENCY[,SERVE]`` -> the figures the plot needs."""
    label, sep, files = spec.partition("=")
    if not sep or not files:
        raise SystemExit(f"--point {spec!r}: expected LABEL=LATENCY.json[,SERVE.json]")
    paths = [Path(p) for p in files.split(",")]
    for path in paths:
        if not path.is_file():
            raise SystemExit(f"--point {spec!r}: no file {path}")
    latency = json.loads(paths[0].read_text())
    point: dict[str, Any] = {"label": label, "chunks": latency["chunks"],
                             "rss": latency["rss_ready_mb"], "rss_warm": latency.get("rss_warm_mb"),
                             "ready": None}
    for lang in ("da", "en"):
        total = latency.get(lang, {}).get("total")
        point[f"{lang}_p50"] = total["p50_ms"] if total else None
        point[f"{lang}_p95"] = total["p95_ms"] if total else None
    if len(paths) > 1:
        point["ready"] = json.loads(paths[1].read_text())["ready_s"]
    return point


def _series(ax: Any, points: list[dict[str, Any]], key: str, style: str, label: str) -> None:
    """One line over the points that have ``key``."""
    have = [p for p in points if p.get(key) is not None]
    if have:
        ax.plot([p["chunks"] for p in have], [p[key] for p in have], style, label=label)


def plot(points: list[dict[str, Any]], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = sorted(points, key=lambda p: p["chunks"])
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8))
    lat, mem, ready = axes
    _series(lat, points, "da_p50", "o-", "Danish p50")
    _series(lat, points, "da_p95", "s-", "Danish p95")
    _series(lat, points, "en_p50", "o--", "English p50")
    _series(lat, points, "en_p95", "s--", "English p95")
    lat.axhline(TARGET_P95_MS, color="grey", ls=":", lw=1, label=f"target p95 {TARGET_P95_MS} ms")
    lat.set_yscale("log")
    lat.set_ylabel("warm ask (ms, log)")
    lat.set_title("Warm ask latency (in process)")
    _series(mem, points, "rss", "o-", "retriever loaded")
    _series(mem, points, "rss_warm", "s-", "+ passage model (1st English body name)")
    mem.set_ylabel("RSS (MB)")
    mem.set_title("Memory of one process")
    _series(ready, points, "ready", "o-", "serve -> /api/health 200")
    ready.axhline(TARGET_READY_S, color="grey", ls=":", lw=1, label=f"target {TARGET_READY_S} s")
    ready.set_ylim(0, TARGET_READY_S * 1.3)
    ready.set_ylabel("seconds")
    ready.set_title("App ready (saved retriever state)")
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xlabel("chunks (log)")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    for k, p in enumerate(points):  # labels under the x axis of the middle panel
        mem.annotate(p["label"], (p["chunks"], 0), xycoords=("data", "axes fraction"),
                     xytext=(0, 4 + 9 * (k % 2)), textcoords="offset points", fontsize=7,
                     ha="center", alpha=0.7)
    fig.suptitle("Scale, 2 shared vCPUs (docs/BENCHMARKS.md, 'Scale, third round')")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--point", action="append", required=True, help="LABEL=LATENCY[,SERVE]")
    ap.add_argument("--out", type=Path, default=Path("docs/scale.png"))
    args = ap.parse_args(argv)
    plot([read_point(spec) for spec in args.point], args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
