"""Whole-pipeline throughput: `marsad run` (every stage) over SaudiNewsNet development days.

    .venv/bin/python benchmarks/bench_pipeline.py --datasets ../shared/datasets [--days 2] [--no-entities]

Prints documents, articles and stories, wall time per stage and overall documents/second, and the
time of a re-run on the same input (which must add nothing).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

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
    args = ap.parse_args(argv)
    base = Path(args.datasets) / "saudinewsnet" / "dataset"
    if not base.exists():
        print(f"skipped: {base} not found", file=sys.stderr)
        return 0
    from marsad.pipeline import run
    from marsad.settings import Settings
    from marsad.store import Store

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


if __name__ == "__main__":
    sys.exit(main())
