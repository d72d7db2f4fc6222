"""Benchmark adding one article to a store that already holds the SaudiNewsNet corpus (~31k articles).

The real store path: each new article is one document given to ``pipeline.process_documents`` with the
duplicates + stories stages (clean, split, dedupe, dates, stories; no NER, no summary) and committed —
articles, full-text index, stories, explanations and the stage state (change records appended to the
``state_log``, see ``marsad.store``).

1. Build (once, kept at ``--db``): every SaudiNewsNet document except the last ``--hold-out`` of the last
   day, in batches of 2,000, with the same stages; the bulk is embedded by seeded random vectors unless
   ``--real-bulk`` (the encoder would take 3–27 minutes on the shared machine), which does not change
   the size of the state or the cost of the search.
2. Cold load in this process: the dedupe and stories state read from the store (snapshot + log replay).
3. Warm: a working copy of the store; the held-out documents added one at a time by one long-running
   process (the live state is kept between batches), the new articles embedded for real.
4. ``--cold-process N``: N more held-out documents, each by a new Python process (imports, model load,
   state load, the article, commit), timed from outside.

Usage:  .venv/bin/python benchmarks/bench_one_article.py --datasets ../shared/datasets [--db out/one.db]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad import embed as embed_module  # noqa: E402
from marsad import pipeline  # noqa: E402
from marsad.dedupe import DuplicateIndex  # noqa: E402
from marsad.ingest import iter_documents  # noqa: E402
from marsad.records import Document  # noqa: E402
from marsad.store import Store  # noqa: E402
from marsad.stories import StoryIndex  # noqa: E402

STAGES = ["clean", "split", "dedupe", "dates", "stories"]


def _stand_in(texts: Sequence[str]) -> np.ndarray:
    rng = np.random.default_rng(len(texts))
    v = rng.standard_normal((len(texts), 512)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)  # type: ignore[no-any-return]


def documents(datasets: Path) -> list[Document]:
    seen: set[str] = set()
    out: list[Document] = []
    for item in iter_documents(sorted(str(p) for p in (datasets / "saudinewsnet" / "dataset").glob("*.zip"))):
        if isinstance(item, Document) and item.id not in seen:
            seen.add(item.id)
            out.append(item)
    return out


def clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def since(t: tuple[float, float]) -> tuple[float, float]:
    return time.perf_counter() - t[0], time.process_time() - t[1]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(db: Path, docs: Sequence[Document], real_bulk: bool) -> None:
    original = embed_module.embed
    worker = os.environ.get("MARSAD_EMBED_WORKER")
    if not real_bulk:
        embed_module.embed = _stand_in  # type: ignore[assignment]
        os.environ["MARSAD_EMBED_WORKER"] = "0"  # the background workers would run the real encoder
    t = clock()
    try:
        with Store(db) as store:
            for start in range(0, len(docs), 2000):
                pipeline.process_documents(store, docs[start : start + 2000], stages=STAGES)
                print(f"  built {min(start + 2000, len(docs))} documents, {since(t)[0]:.0f} s", flush=True)
            n = store.count("articles")
    finally:
        embed_module.embed = original
        if worker is None:
            os.environ.pop("MARSAD_EMBED_WORKER", None)
        else:
            os.environ["MARSAD_EMBED_WORKER"] = worker
    wall, cpu = since(t)
    print(f"build: {len(docs)} documents, {n} articles in {wall:.0f} s wall, {cpu:.0f} s CPU")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--db", type=Path, default=ROOT / "out" / "bench_one_article.db")
    ap.add_argument("--hold-out", type=int, default=40, help="documents of the last day kept out of the build")
    ap.add_argument("--additions", type=int, default=30, help="held-out documents added by the warm process")
    ap.add_argument("--cold-process", type=int, default=0, help="held-out documents added each by a new process")
    ap.add_argument("--real-bulk", action="store_true", help="embed the bulk for real when building")
    args = ap.parse_args()
    if not (args.datasets / "saudinewsnet" / "dataset").is_dir():
        print(f"skipped: {args.datasets}/saudinewsnet/dataset not found")
        return 0
    docs = documents(args.datasets)
    bulk, held = docs[: -args.hold_out], docs[-args.hold_out :]
    print(f"{len(docs)} distinct documents; {len(bulk)} in the store, {len(held)} held out; load {os.getloadavg()}")
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        build(args.db, bulk, args.real_bulk)
    work = args.db.with_name(args.db.stem + ".work.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copy(args.db, work)

    with Store(work) as store:
        n_articles = store.count("articles")
        for name in ("dedupe", "stories"):
            rows, size = store.state_log_size(name)
            print(
                f"state {name}: snapshot {(store.state_size(name) or 0) / 1e6:.1f} MB, "
                f"log {rows} records {size / 1e6:.2f} MB"
            )
        # cold: what a new process pays before its first article (the state read from the store)
        t = clock()
        dedupe_index = DuplicateIndex.from_bytes(store.get_state("dedupe") or b"")
        for record in store.state_log("dedupe"):
            dedupe_index.apply_log(record)
        d_wall, d_cpu = since(t)
        t = clock()
        story_index = StoryIndex(state=store.get_state("stories"), log_changes=True)
        for record in store.state_log("stories"):
            story_index.apply_log(record)
        s_wall, s_cpu = since(t)
        print(
            f"cold load of the state ({n_articles} articles): dedupe {d_wall:.2f} s wall / {d_cpu:.2f} s CPU, "
            f"stories {s_wall:.2f} s wall / {s_cpu:.2f} s CPU; peak RSS {peak_mb():.0f} MB"
        )
        t = clock()
        embed_module.embed(["تحميل النموذج"])
        m_wall, m_cpu = since(t)
        print(f"encoder load: {m_wall:.2f} s wall / {m_cpu:.2f} s CPU")
        enc = []
        for doc in held[: args.additions]:  # the encoder alone, on each new article's title + lead
            t = clock()
            embed_module.embed([f"{doc.title or ''}. {doc.content[:300]}"])
            enc.append(since(t))
        print(
            f"encoder, one title + lead: median {1000 * statistics.median(w for w, _ in enc):.0f} ms wall, "
            f"{1000 * statistics.median(c for _, c in enc):.0f} ms CPU (MARSAD_EMBED_THREADS="
            f"{os.environ.get('MARSAD_EMBED_THREADS', 'unset')})"
        )
        store.remember("dedupe", dedupe_index)
        store.remember("stories", story_index)

        walls, cpus = [], []
        stage_s: dict[str, list[float]] = {}
        for doc in held[: args.additions]:
            report = pipeline.RunReport()
            t = clock()
            pipeline.process_documents(store, [doc], stages=STAGES, report=report)
            wall, cpu = since(t)
            walls.append(wall)
            cpus.append(cpu)
            for k, v in report.seconds.items():
                stage_s.setdefault(k, []).append(v)
            stage_s.setdefault("commit", []).append(wall - sum(report.seconds.values()))
        after = store.count("articles")
        rows, size = store.state_log_size("stories")
        load = os.getloadavg()

    def ms(xs: list[float], q: float) -> float:
        return 1000 * sorted(xs)[min(len(xs) - 1, int(q * len(xs)))]

    print(
        f"\nwarm process, {len(walls)} documents added one at a time ({after - n_articles} articles) to "
        f"{n_articles}: median {1000 * statistics.median(walls):.0f} ms wall (p90 {ms(walls, 0.9):.0f}), "
        f"{1000 * statistics.median(cpus):.0f} ms CPU (p90 {ms(cpus, 0.9):.0f}); load average {load}"
    )
    print("median per stage (ms): " + ", ".join(f"{k} {1000 * statistics.median(v):.1f}" for k, v in stage_s.items()))
    print(f"stories log after: {rows} records, {size / 1e6:.2f} MB; peak RSS {peak_mb():.0f} MB")

    if args.cold_process:
        cold_walls = []
        script = (
            "import sys, json; sys.path.insert(0, 'src'); from marsad import pipeline; from marsad.store import Store;"
            "from marsad.records import Document; d = Document(**json.loads(sys.stdin.read()));"
            f"s = Store(sys.argv[1]); pipeline.process_documents(s, [d], stages={STAGES!r}); s.close()"
        )
        from dataclasses import asdict

        for doc in held[args.additions : args.additions + args.cold_process]:
            t = clock()
            subprocess.run(
                [sys.executable, "-c", script, str(work)],
                input=json.dumps(asdict(doc)),
                text=True,
                check=True,
                cwd=ROOT,
            )
            cold_walls.append(since(t)[0])
        print(
            f"new process per document ({len(cold_walls)}): median {statistics.median(cold_walls):.1f} s wall "
            f"(imports, state load, encoder load, the article, commit); load average {os.getloadavg()}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
