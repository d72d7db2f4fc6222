"""Benchmark the date tagger (marsad.dates.tag) on news sentences, with dateparser as the peer.

Sentences come from SaudiNewsNet development days (2015-07-21 … 2015-08-07; the held-out days are
never read), split with ``marsad.sentences.split_sentences``; each is tagged against its article's
extraction date. Throughput is measured on one core (a single process), best of ``--repeat`` runs, in
wall time and in CPU time; the gate (≥ 5,000 sentences a second on one core) reads CPU time, since
the wall time of a shared machine also counts the other jobs.
dateparser's ``search_dates(languages=["ar"])`` runs on the first ``--peer`` sentences of the same list.

    .venv/bin/python benchmarks/bench_dates.py --datasets ../shared/datasets [--days 2] [--sentences 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
import zipfile
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from marsad import dates  # noqa: E402
from marsad.sentences import split_sentences  # noqa: E402

DEV_DAYS = [f"2015-07-{d:02d}" for d in (21, 22, 23, 24, 25, 26, 27, 31)] + [
    f"2015-08-{d:02d}" for d in (1, 2, 3, 4, 6, 7)
]
TARGET = 5000.0  # sentences per second on one core


def load(snn_dir: Path, days: list[str], limit: int) -> list[tuple[str, date]]:
    out: list[tuple[str, date]] = []
    for day in days:
        with zipfile.ZipFile(snn_dir / f"{day}.zip") as z:
            for r in json.loads(z.read(z.namelist()[0])):
                ref = dates.parse_ref(str(r.get("date_extracted") or day)) or date.fromisoformat(day)
                for sent in split_sentences(r.get("content") or ""):
                    out.append((sent, ref))
                    if len(out) >= limit:
                        return out
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--days", type=int, default=2, help="development days to read")
    parser.add_argument("--sentences", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peer", type=int, default=300, help="sentences given to dateparser (0: skip)")
    args = parser.parse_args(argv)
    snn = args.datasets / "saudinewsnet" / "dataset"
    if not snn.exists():
        print(f"SaudiNewsNet not found under {args.datasets}: skipping the dates benchmark")
        return 0
    sents = load(snn, DEV_DAYS[: args.days], args.sentences)
    chars = sum(len(s) for s, _ in sents)
    print(f"{len(sents)} sentences ({chars / len(sents):.0f} characters on average) from {args.days} day(s)")

    best = best_cpu = float("inf")
    mentions = 0
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        mentions = 0
        for text, ref in sents:
            mentions += len(dates.tag(text, ref))
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    rate = len(sents) / best
    with_dates = sum(1 for text, ref in sents if dates.tag(text, ref))

    rows = [("marsad.dates.tag", len(sents), best, rate, mentions)]
    if args.peer:
        try:
            from dateparser.search import search_dates  # type: ignore[import-untyped]
        except ImportError:  # pragma: no cover
            search_dates = None
        if search_dates is not None:
            sample = sents[: args.peer]
            t0 = time.perf_counter()
            found = 0
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for text, ref in sample:
                    base = datetime(ref.year, ref.month, ref.day)
                    try:
                        res = search_dates(text, languages=["ar"], settings={"RELATIVE_BASE": base})
                    except Exception:  # noqa: BLE001 - dateparser raises on some inputs
                        res = None
                    found += len(res or [])
            took = time.perf_counter() - t0
            rows.append(("dateparser.search_dates (ar)", len(sample), took, len(sample) / took, found))

    print()
    print("| system | sentences | seconds | sentences/s | mentions | vs marsad |")
    print("|---|---|---|---|---|---|")
    for name, n, secs, r, found in rows:
        print(f"| {name} | {n} | {secs:.2f} | {r:,.0f} | {found} | {rate / r:.1f}x slower |"
              if name != rows[0][0] else f"| {name} | {n} | {secs:.2f} | {r:,.0f} | {found} | 1.0x |")
    print()
    print(f"sentences with at least one date: {with_dates} ({with_dates / len(sents):.1%})")
    print(f"marsad CPU time (best run): {best_cpu:.2f} s = {len(sents) / best_cpu:,.0f} sentences per CPU-second; "
          f"{1e6 * best_cpu / len(sents):.0f} µs a sentence")
    # The gate reads CPU time: on a shared machine the wall time measures the other jobs as well.
    cpu_rate = len(sents) / best_cpu
    loadavg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average during the run: {loadavg:.1f} on {os.cpu_count()} cores")
    ok = cpu_rate >= TARGET
    print(("PASS" if ok else "FAIL") + f" {cpu_rate:,.0f} sentences per CPU-second >= {TARGET:,.0f} on one core "
          f"(wall: {rate:,.0f}/s)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
