"""Whole-pipeline throughput: `marsad run` (every stage) over SaudiNewsNet development days.

    .venv/bin/python benchmarks/bench_pipeline.py --datasets ../shared/datasets [--days 2] [--no-entities]
        [--stage-times]

Prints documents, articles and stories, wall time per stage and overall documents/second, and the
time of a re-run on the same input (which must add nothing). ``--stage-times`` also prints when each
stage of each batch started and ended (seconds from the start of the run), and when the stories'
background encoder started and had every row in.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # this checkout's marsad, also when run from another worktree

DEV_DAYS = [
    "2015-07-21",
    "2015-07-22",
    "2015-07-23",
    "2015-07-24",
    "2015-07-25",
    "2015-07-26",
    "2015-07-27",
    "2015-07-31",
    "2015-08-01",
    "2015-08-02",
    "2015-08-03",
    "2015-08-04",
    "2015-08-06",
    "2015-08-07",
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", default="../shared/datasets")
    ap.add_argument("--days", type=int, default=1, help="how many development days to ingest")
    ap.add_argument("--no-entities", action="store_true", help="skip the NER stage")
    ap.add_argument("--stage-times", action="store_true", help="print each stage's start and end per batch")
    args = ap.parse_args(argv)
    base = Path(args.datasets) / "saudinewsnet" / "dataset"
    if not base.exists():
        print(f"skipped: {base} not found", file=sys.stderr)
        return 0
    from marsad.pipeline import run
    from marsad.settings import Settings
    from marsad.store import Store

    if args.stage_times:
        _time_stages()
    paths = [str(base / f"{d}.zip") for d in DEV_DAYS[: args.days]]
    settings = Settings(entities=not args.no_entities)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        with Store(db) as store:
            t0 = time.perf_counter()
            report = run(paths, store, settings)
            total = time.perf_counter() - t0
            arts, stories = store.count("articles"), store.count("stories")
            t1 = time.perf_counter()
            again = run(paths, store, settings)
            rerun = time.perf_counter() - t1
            assert again.documents_new == 0 and store.count("articles") == arts
        size = db.stat().st_size / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"days: {args.days} ({', '.join(DEV_DAYS[: args.days])}); entities: {not args.no_entities}")
    print(
        f"documents: {report.documents_new} new ({report.documents_known} repeated in the input); "
        f"articles: {arts}; stories: {stories}"
    )
    print("| stage | seconds | ms / document |")
    print("|---|---:|---:|")
    for name, secs in report.seconds.items():
        print(f"| {name} | {secs:.1f} | {1000 * secs / max(report.documents_new, 1):.2f} |")
    print(
        f"| **total (incl. ingest, store writes)** | **{total:.1f}** | "
        f"**{1000 * total / max(report.documents_new, 1):.2f}** |"
    )
    print(
        f"throughput: {report.documents_new / total:.1f} documents/s; re-run on the same input: {rerun:.1f} s, "
        f"0 added; database {size:.0f} MB; peak RSS {peak:.0f} MB"
    )
    return 0


def _time_stages() -> None:
    """Wrap the registered stages and the background encoder so that they print their start and end."""
    from marsad import embed, pipeline

    t0 = time.perf_counter()

    def now() -> str:
        return f"{time.perf_counter() - t0:7.1f} s"

    for name, st in list(pipeline.REGISTRY.items()):

        def timed(batch: pipeline.Batch, func=st.func, name=name) -> None:  # type: ignore[no-untyped-def]
            start = now()
            func(batch)
            print(f"  {name:<9} {start} -> {now()}  ({len(batch.articles)} articles)", flush=True)

        pipeline.REGISTRY[name] = pipeline.Stage(name, timed, st.requires, st.produces, st.help)
    start, deliver = embed.BackgroundEmbedding.__init__, embed.BackgroundEmbedding._deliver

    def started(self, texts, *args, **kwargs):  # type: ignore[no-untyped-def]
        print(f"  encoder   {now()} started on {len(texts)} texts", flush=True)
        start(self, texts, *args, **kwargs)

    def delivered(self, part, vecs):  # type: ignore[no-untyped-def]
        deliver(self, part, vecs)
        if self._pending == 0:
            print(f"  encoder   {now()} every row in", flush=True)

    embed.BackgroundEmbedding.__init__ = started  # type: ignore[method-assign]
    embed.BackgroundEmbedding._deliver = delivered  # type: ignore[method-assign]


if __name__ == "__main__":
    sys.exit(main())
