"""Benchmark duplicates + stories on SaudiNewsNet: 5k, 10k, 20k and all 31k articles, and the incremental path.

For each size: wall time of ``dedupe.mark_duplicates`` and of ``stories.cluster`` (embeddings included;
no entity mentions: NER is not part of this benchmark), peak resident memory of the process, and the
time ratio against n log n. Then the incremental path: the median time to add one article to a store
that already holds the corpus (``cluster`` with the saved state, one article at a time).

Usage:  .venv/bin/python benchmarks/bench_stories.py --datasets ../shared/datasets [--sizes 5000 10000]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import sys
import time
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.dedupe import DuplicateIndex, mark_duplicates  # noqa: E402
from marsad.records import Article, stable_id  # noqa: E402
from marsad.stories import StoryIndex, StorySettings, cluster  # noqa: E402

HELD_OUT = {"2015-08-08", "2015-08-09", "2015-08-10", "2015-08-11"}  # timing only: no labels, no tuning


def load(datasets: Path) -> list[Article]:
    """Every SaudiNewsNet article, in file (day) order."""
    out: list[Article] = []
    for path in sorted((datasets / "saudinewsnet" / "dataset").glob("*.zip")):
        with zipfile.ZipFile(path) as z:
            records = json.loads(z.read(z.namelist()[0]))
        for rec in records:
            aid = stable_id("a", path.stem, rec["url"], str(len(out)))
            paras = tuple(p.strip() for p in (rec.get("content") or "").split("\n") if p.strip())
            out.append(
                Article(
                    id=aid,
                    doc_id=aid,
                    index=0,
                    source=rec["url"],
                    title=rec.get("title"),
                    paragraphs=paras,
                    outlet=rec.get("source"),
                    published=(rec.get("date_extracted") or path.stem)[:10],
                    url=rec["url"],
                )
            )
    return out


def _stand_in(texts: Sequence[str]) -> np.ndarray:
    """Seeded random unit vectors: the cost of the search without the cost of the encoder."""
    rng = np.random.default_rng(len(texts))
    v = rng.standard_normal((len(texts), 512)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)  # type: ignore[no-any-return]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--sizes", nargs="*", type=int, default=[5000, 10000, 20000, 0], help="0 = all articles")
    ap.add_argument("--incremental", type=int, default=50, help="single-article additions to time")
    ap.add_argument("--no-embeddings", action="store_true", help="skip the embedding signal (use_embeddings=False)")
    ap.add_argument("--embed-chars", type=int, default=None, help="body characters embedded (default: settings)")
    ap.add_argument(
        "--stand-in-bulk",
        action="store_true",
        help="embed the bulk corpus with seeded random unit vectors (timing of the search only); "
        "the single-article additions are still embedded for real",
    )
    args = ap.parse_args()
    if not (args.datasets / "saudinewsnet" / "dataset").is_dir():
        print(f"skipped: {args.datasets}/saudinewsnet/dataset not found")
        return 0
    t0 = time.perf_counter()
    corpus = load(args.datasets)
    print(f"loaded {len(corpus)} articles in {time.perf_counter() - t0:.1f} s")
    settings = StorySettings(use_embeddings=not args.no_embeddings)
    if args.embed_chars is not None:
        settings = replace(settings, embed_chars=args.embed_chars)
    print(f"settings: use_embeddings={settings.use_embeddings}, embed_chars={settings.embed_chars}")
    if settings.use_embeddings:
        from marsad.embed import embed
        from marsad.stories import _embed_text

        texts = [_embed_text(a, settings.embed_chars) for a in corpus[:16]]
        embed(texts)  # load the model
        texts = [_embed_text(a, settings.embed_chars) for a in corpus[1000:1500]]
        t = time.perf_counter()
        embed(texts)
        print(f"embedding throughput: {len(texts) / (time.perf_counter() - t):.0f} texts/s (title + lead)")
    print(
        "| articles | dedupe s | stories s | total s (wall) | total CPU s | per article ms | "
        "total / (n log n) × 1e6 | peak RSS MB | load average |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    index: StoryIndex | None = None
    dup_index = DuplicateIndex()
    rest: list[Article] = []
    for size in args.sizes:
        n = size or len(corpus)
        # an even sample across the 18 days, kept in day order
        step = len(corpus) / n
        sample = [corpus[int(i * step)] for i in range(n)]
        c1, t1 = time.process_time(), time.perf_counter()
        dup_index = DuplicateIndex()
        marked = mark_duplicates(sample, index=dup_index)
        t2 = time.perf_counter()
        index = StoryIndex(settings)
        index.add(marked, embedder=_stand_in if args.stand_in_bulk else None)
        c3, t3 = time.process_time(), time.perf_counter()
        total = t3 - t1
        print(
            f"| {n} | {t2 - t1:.1f} | {t3 - t2:.1f} | {total:.1f} | {c3 - c1:.1f} | {1000 * total / n:.2f} | "
            f"{1e6 * total / (n * math.log(n)):.2f} | {peak_mb():.0f} | {os.getloadavg()[0]:.1f} |",
            flush=True,
        )
        taken = {a.id for a in sample}
        rest = [a for a in corpus if a.id not in taken] or corpus[-args.incremental :]
    if index is None:
        return 0
    # incremental path: one new article at a time into the index holding the last corpus
    new = [replace(a, id=stable_id("a", a.id, "new")) for a in rest[-args.incremental :]]
    times, cpu = [], []
    for art in new:
        c, t = time.process_time(), time.perf_counter()
        (marked_one,) = mark_duplicates([art], index=dup_index)
        index.add([marked_one])
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    med = 1000 * statistics.median(times)
    p90 = 1000 * sorted(times)[int(0.9 * len(times))]
    print(
        f"\nadd one article to the in-memory indexes (duplicates + stories, {len(times)} additions): "
        f"median {med:.0f} ms"
        f" wall, p90 {p90:.0f} ms; CPU median {1000 * statistics.median(cpu):.0f} ms; load {os.getloadavg()[0]:.1f}"
    )
    t = time.perf_counter()
    state = index.to_bytes()
    t_save = time.perf_counter() - t
    t = time.perf_counter()
    cluster([replace(rest[0], id=stable_id("a", rest[0].id, "bytes"))], state=state, settings=settings)
    t_bytes = time.perf_counter() - t
    print(
        f"state: {len(state) / 1e6:.1f} MB, saved in {t_save:.2f} s; "
        f"cluster() of one article from the bytes: {t_bytes:.2f} s"
    )
    print(f"peak RSS: {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
