"""Benchmark cleaning and splitting (marsad.clean) over SaudiNewsNet development days.

Measures, in one run: ``split_document`` on the text records (without and with boilerplate learned
from the same pages), ``learn_boilerplate`` itself, the HTML path (the pages rendered as simple
HTML, through trafilatura) and, as the floor to compare against, ``arabic.display`` alone over the
same texts.

    .venv/bin/python benchmarks/bench_clean.py --datasets ../shared/datasets [--days 3] [--html 300]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import zipfile
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from marsad.arabic import display  # noqa: E402
from marsad.clean import learn_boilerplate, split_document  # noqa: E402
from marsad.records import Document  # noqa: E402

DEV_DAYS = [f"2015-07-{d:02d}" for d in (21, 22, 23, 24, 25, 26, 27, 31)] + [
    f"2015-08-{d:02d}" for d in (1, 2, 3, 4, 6, 7)
]


def load(snn_dir: Path, days: list[str]) -> list[Document]:
    docs = []
    for day in days:
        with zipfile.ZipFile(snn_dir / f"{day}.zip") as z:
            for i, r in enumerate(json.loads(z.read(z.namelist()[0]))):
                docs.append(
                    Document(
                        id=f"{day}-{i}", source=f"{day}.zip#{i}", content=r["content"], title=r["title"],
                        outlet=r["source"], published=r["date_extracted"][:10], url=r["url"],
                        author=r.get("author") or None,
                    )
                )
    return docs


def as_html(doc: Document) -> Document:
    paras = "".join(f"<p>{escape(p.strip())}</p>" for p in doc.content.split("\n") if p.strip())
    html = (
        f'<html><head><meta property="og:title" content="{escape(doc.title or "")}"></head><body>'
        "<nav><a href='/'>الرئيسية</a> <a href='/s'>رياضة</a></nav>"
        f"<article><h1>{escape(doc.title or '')}</h1>{paras}</article><footer>جميع الحقوق محفوظة</footer></body></html>"
    )
    return Document(id=doc.id + "h", source=doc.source, content=html, content_type="html")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--datasets", default=str(ROOT.parent / "shared" / "datasets"))
    ap.add_argument("--days", type=int, default=3, help="how many development days (max 14)")
    ap.add_argument("--html", type=int, default=300, help="how many pages to run through the HTML path")
    args = ap.parse_args()
    snn_dir = Path(args.datasets) / "saudinewsnet" / "dataset"
    if not snn_dir.is_dir():
        print(f"SaudiNewsNet not found at {snn_dir}: nothing to benchmark.")
        return 0
    days = DEV_DAYS[: max(1, min(args.days, len(DEV_DAYS)))]
    docs = load(snn_dir, days)
    chars = sum(len(d.content) for d in docs)
    print(f"{len(docs)} pages ({chars / 1e6:.1f} M characters) from {len(days)} development days {days[0]}..{days[-1]}")

    split_document(docs[0])  # warm the lazy tables

    c0, t0 = time.process_time(), time.perf_counter()
    for d in docs:
        display(d.content)
    c_display, t_display = time.process_time() - c0, time.perf_counter() - t0

    per_doc: list[float] = []
    n_articles = 0
    c0, t0 = time.process_time(), time.perf_counter()
    for d in docs:
        t = time.perf_counter()
        n_articles += len(split_document(d))
        per_doc.append(time.perf_counter() - t)
    c_split, t_split = time.process_time() - c0, time.perf_counter() - t0

    c0, t0 = time.process_time(), time.perf_counter()
    bp = learn_boilerplate(docs)
    c_learn, t_learn = time.process_time() - c0, time.perf_counter() - t0

    c0, t0 = time.process_time(), time.perf_counter()
    n_bp = sum(len(split_document(d, bp)) for d in docs)
    c_split_bp, t_split_bp = time.process_time() - c0, time.perf_counter() - t0

    html_docs = [as_html(d) for d in docs[: args.html]]
    c0, t0 = time.process_time(), time.perf_counter()
    n_html = sum(len(split_document(d)) for d in html_docs)
    c_html, t_html = time.process_time() - c0, time.perf_counter() - t0

    ms = 1000.0
    per_doc.sort()
    n = max(1, n_articles)
    print("\n| step | pages | articles | CPU s | wall s | CPU ms / article | wall ms / article |")
    print("|---|---|---|---|---|---|---|")
    rows = [
        ("arabic.display only (floor)", len(docs), n_articles, c_display, t_display),
        ("split_document (text)", len(docs), n_articles, c_split, t_split),
        ("learn_boilerplate", len(docs), n_articles, c_learn, t_learn),
        ("split_document + learned boilerplate", len(docs), n_bp, c_split_bp, t_split_bp),
        ("split_document (HTML via trafilatura)", len(html_docs), n_html, c_html, t_html),
    ]
    for name, pages, arts, c, t in rows:
        per_c, per_t = ms * c / max(1, arts), ms * t / max(1, arts)
        print(f"| {name} | {pages} | {arts} | {c:.2f} | {t:.2f} | {per_c:.3f} | {per_t:.3f} |")
    p95 = per_doc[int(0.95 * (len(per_doc) - 1))]
    print(f"\nsplit_document wall time per page: median {ms * statistics.median(per_doc):.2f} ms, "
          f"p95 {ms * p95:.2f} ms, max {ms * per_doc[-1]:.1f} ms; {c_split / max(c_display, 1e-9):.1f}× the CPU "
          f"of arabic.display over the same texts; learned {len(bp)} boilerplate lines for {len(bp.lines)} outlets.")
    got = ms * c_split / n
    print(f"target ≤ 2 ms of cleaning per article (CPU): {'met' if got <= 2.0 else 'NOT met'} ({got:.3f} ms); "
          f"wall {ms * t_split / n:.3f} ms on a shared machine")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
