"""fp32 vs bf16 passage embedding on this CPU: throughput and agreement.

    python bench/embed_precision.py [--rounds 2]

Embeds the sample corpus's chunks (as ingest would) with plain sentence-transformers
``encode`` in fp32, with the product's embedder in fp32, and with it in bf16 autocast,
interleaved, and prints passages/s, the speed-up over plain encode, and the cosine of the
bf16 vectors to fp32 (min / mean).  Prints the CPU flags that decide the default.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from ingest.chunker import Chunker
from ingest.pipeline import load_meeting
from ingest.readers import iter_source_files
from vectorstore.embedder import choose_precision, cpu_flags, load_embedder

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "kkr-midtjylland"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    embedder = load_embedder(None)
    inner = embedder.inner if hasattr(embedder, "inner") else embedder
    chunker = Chunker(inner.count_tokens, max_tokens=inner.max_tokens)
    texts: list[str] = []
    for path in iter_source_files([SAMPLES]):
        doc, meeting = load_meeting(path)
        texts += [c.embed_text for c in chunker.chunk_meeting(meeting, doc.text)]
    flags = sorted(f for f in cpu_flags() if f.startswith(("avx512", "amx", "avx2")))
    print(f"cpu flags: {' '.join(flags)}; default precision: {choose_precision('auto')}")
    print(f"{len(texts)} passages")
    timings: dict[str, list[float]] = {"encode fp32": [], "embedder fp32": [], "embedder bf16": []}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(args.rounds):
        t = time.perf_counter()
        inner.model.encode([inner.passage_prompt + x for x in texts], batch_size=32,
                           normalize_embeddings=True)
        timings["encode fp32"].append(time.perf_counter() - t)
        for precision in ("fp32", "bf16"):
            inner.precision = precision
            t = time.perf_counter()
            vectors[precision] = inner.embed_passages(texts)
            timings[f"embedder {precision}"].append(time.perf_counter() - t)
    base = min(timings["encode fp32"])
    for name, runs in timings.items():
        best = min(runs)
        print(f"{name:15s} {len(texts) / best:6.2f} passages/s  x{base / best:.2f}")
    cos = np.sum(vectors["fp32"] * vectors["bf16"], axis=1)
    print(f"cosine bf16 vs fp32: min {cos.min():.4f} mean {cos.mean():.4f}")


if __name__ == "__main__":
    main()
