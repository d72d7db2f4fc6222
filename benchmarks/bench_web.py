"""Web app latency on a store holding every SaudiNewsNet article (31,030).

    .venv/bin/python benchmarks/bench_web.py --datasets ../shared/datasets [--db out/bench_web.db]

Builds the store (or reuses ``--db`` when it exists) *directly through Store methods*, not through the
pipeline (which would take far longer on 2 cores): one article per JSON record (all 31,030; the
title stands in for the text of the 297 records that have a title but no text, and the 57 records
with neither are kept empty), paragraphs = the record's
non-empty lines, and cheap placeholder stories grouping the articles of one day whose titles
share their two longest words, each with a 1–3 sentence "summary" (the groups' first sentences, cited)
and a one-event-per-day timeline. No entities. Then it starts ``uvicorn`` in a separate process on
127.0.0.1 and sends a bounded number of requests from client threads (httpx): story pages (HTML) and
searches (HTML, one or two words taken from real titles), printing median / p95 / max per kind.
The targets: story page and search under 50 ms median and 150 ms p95.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad import arabic  # noqa: E402
from marsad.ingest import iso_date  # noqa: E402
from marsad.records import (  # noqa: E402
    Article,
    Document,
    Explanation,
    Story,
    SummarySentence,
    TimelineEvent,
    stable_id,
)
from marsad.sentences import split_sentences  # noqa: E402
from marsad.store import Store  # noqa: E402

STOP = set(
    arabic.match_tokens("في من على الى إلى عن مع هذا هذه التي الذي الذين بعد قبل بين خلال عبر و او أو ما لا كان")
)


def _key(a: Article) -> tuple[str, ...]:
    words = [w for w in arabic.match_tokens(a.title or "") if w not in STOP and len(w) > 2]
    top = sorted(sorted(set(words)), key=len, reverse=True)[:2]
    return (a.published or "", *sorted(top))


def build_store(datasets: Path, db: Path) -> None:
    src = datasets / "saudinewsnet" / "dataset"
    if not src.is_dir():
        raise SystemExit(f"SaudiNewsNet not found under {datasets} (give --datasets)")
    t0 = time.perf_counter()
    docs: list[Document] = []
    arts: list[Article] = []
    # Every record becomes one document and one article (ids from file and position, so the 649 records
    # that repeat another's text and the 354 with a title but no text are all kept: 31,030 articles).
    for zpath in sorted(src.glob("*.zip")):
        with zipfile.ZipFile(zpath) as zf:
            for member in zf.namelist():
                if not member.endswith(".json"):
                    continue
                for i, rec in enumerate(json.loads(zf.read(member).decode("utf-8"))):
                    source = f"{zpath.name}!{member}#{i}"
                    title = arabic.display(rec.get("title") or "").strip() or None
                    content = rec.get("content") or ""
                    paras = tuple(p for p in (arabic.display(x).strip() for x in content.split("\n")) if p)
                    paras = paras or ((title,) if title else ())  # 57 records have neither: kept, empty
                    day = iso_date(rec.get("date_extracted"))
                    doc = Document(
                        id=stable_id("d", source),
                        source=source,
                        content=content or (title or ""),
                        title=title,
                        outlet=rec.get("source"),
                        published=day,
                        url=rec.get("url"),
                    )
                    docs.append(doc)
                    arts.append(
                        Article(
                            id=stable_id("a", source),
                            doc_id=doc.id,
                            index=0,
                            source=source,
                            title=title,
                            paragraphs=paras,
                            outlet=doc.outlet,
                            published=day,
                            published_how="input" if day else None,
                            url=doc.url,
                        )
                    )
    groups: dict[tuple[str, ...], list[Article]] = defaultdict(list)
    for a in arts:
        groups[_key(a)].append(a)
    stories: list[Story] = []
    explanations: list[Explanation] = []
    for members in groups.values():
        sid = stable_id("s", *(a.id for a in members))
        summary = []
        for a in members[:3]:
            sents = split_sentences(a.paragraphs[0]) if a.paragraphs else []
            if sents:
                summary.append(SummarySentence(sents[0], (a.id,), a.published))
        days: dict[str, list[str]] = defaultdict(list)
        for a in members:
            if a.published:
                days[a.published].append(a.id)
        timeline = tuple(
            TimelineEvent(day, next(x.title or "" for x in members if x.id == ids[0]), tuple(ids))
            for day, ids in sorted(days.items())
        )
        dates = sorted(days)
        stories.append(
            Story(
                id=sid,
                headline=next((x.title or x.paragraphs[0][:80] for x in members if x.title or x.paragraphs), "—"),
                article_ids=tuple(a.id for a in members),
                outlets=tuple(dict.fromkeys(a.outlet for a in members if a.outlet)),
                start=dates[0] if dates else None,
                end=dates[-1] if dates else None,
                summary=tuple(summary),
                timeline=timeline,
            )
        )
        for i, a in enumerate(members):
            explanations.append(
                Explanation(a.id, sid, None if i == 0 else members[0].id, 0.0 if i == 0 else 0.5, (("tfidf", 0.5),))
            )
    t1 = time.perf_counter()
    for f in db.parent.glob(db.name + "*"):
        f.unlink()
    with Store(db) as store:
        for s in range(0, len(arts), 2000):
            with store.transaction():
                part = arts[s : s + 2000]
                ids = {a.doc_id for a in part}
                store.add_documents([d for d in docs if d.id in ids])
                store.add_articles(part)
        with store.transaction():
            store.save_stories(stories)
            store.save_explanations(explanations)
        n_art, n_story = store.count("articles"), store.count("stories")
    t2 = time.perf_counter()
    sizes = Counter(min(len(s.article_ids), 5) for s in stories)
    print(
        f"built {db}: {n_art} articles, {n_story} placeholder stories "
        f"(sizes 1..5+: {[sizes[k] for k in range(1, 6)]}); prepare {t1 - t0:.0f} s, write {t2 - t1:.0f} s"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run_load(db: Path, n_requests: int, threads: int, seconds: float, seed: int) -> dict[str, list[float]]:
    import httpx

    rng = random.Random(seed)
    with Store(db, readonly=True) as store:
        all_stories = store.story_ids()
        big = [s.id for s in store.filtered_stories(limit=20000)[0] if len(s.article_ids) > 1]
        titles = [a.title for a in store.articles(rng.sample([*store.article_story_ids()], 400)) if a.title]
    words = [w for t in titles for w in arabic.display(t).split() if len(arabic.match(w)) > 3]
    queries = [
        rng.choice(words) if rng.random() < 0.6 else f"{rng.choice(words)} {rng.choice(words)}" for _ in range(400)
    ]
    story_ids = [rng.choice(big) if big and rng.random() < 0.5 else rng.choice(all_stories) for _ in range(400)]
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, uvicorn; from marsad.web.app import create_app; "
            "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')",
            str(db),
            str(port),
        ],
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/api/", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise SystemExit("server did not start") from None
                time.sleep(0.2)
        jobs: list[tuple[str, str]] = []
        for i in range(n_requests):
            if i % 2 == 0:
                jobs.append(("story page", f"/stories/{story_ids[i % len(story_ids)]}"))
            else:
                jobs.append(("search", "/search?q=" + queries[i % len(queries)]))
        with httpx.Client(base_url=base) as warm:  # warm the page cache and the worker threads
            for _, url in jobs[:20]:
                warm.get(url)
        results: dict[str, list[float]] = defaultdict(list)
        lock = threading.Lock()
        errors = Counter[int]()
        stop_at = time.monotonic() + seconds
        it = iter(jobs)

        def worker() -> None:
            with httpx.Client(base_url=base, timeout=30) as client:
                while time.monotonic() < stop_at:
                    with lock:
                        job = next(it, None)
                    if job is None:
                        return
                    kind, url = job
                    t = time.perf_counter()
                    r = client.get(url)
                    dt = (time.perf_counter() - t) * 1000
                    with lock:
                        if r.status_code != 200:
                            errors[r.status_code] += 1
                        results[kind].append(dt)

        t0 = time.perf_counter()
        pool = [threading.Thread(target=worker) for _ in range(threads)]
        for th in pool:
            th.start()
        for th in pool:
            th.join()
        wall = time.perf_counter() - t0
        done = sum(len(v) for v in results.values())
        print(
            f"\n{threads} client thread(s): {done} requests in {wall:.1f} s ({done / wall:.0f} req/s),"
            f" errors {dict(errors)}"
        )
        print("| page | requests | median ms | p95 ms | max ms |\n|---|---|---|---|---|")
        for kind, vals in sorted(results.items()):
            print(f"| {kind} | {len(vals)} | {statistics.median(vals):.1f} | {_pct(vals, 95):.1f} | {max(vals):.1f} |")
        return results
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--db", type=Path, default=ROOT / "out" / "bench_web.db", help="store to reuse or build")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the store even if --db exists")
    ap.add_argument("--requests", type=int, default=1000, help="requests per run (half story pages, half searches)")
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 4], help="client threads, one run each")
    ap.add_argument("--seconds", type=float, default=120, help="time bound per run")
    ap.add_argument("--seed", type=int, default=8)
    args = ap.parse_args()
    if args.rebuild or not args.db.exists():
        if not (args.datasets / "saudinewsnet").is_dir():
            print(f"skipped: SaudiNewsNet not found under {args.datasets} (give --datasets)")
            return
        args.db.parent.mkdir(parents=True, exist_ok=True)
        build_store(args.datasets, args.db)
    for n in args.threads:
        run_load(args.db, args.requests, n, args.seconds, args.seed)


if __name__ == "__main__":
    main()
