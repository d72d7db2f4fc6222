"""Evaluate cleaning and splitting (marsad.clean) against hand-written gold labels.

Sets:
* ``seeds``: the five sample pages (samples/seeds), every non-empty line labelled by hand;
* ``snn``: 48 SaudiNewsNet pages from development days, labelled by hand (texts read from the dataset);
* ``snn-concat``: noisy concatenations of those pages (page A with its title, a "read also" block of
  three other headlines, then page B with its title), labelled from the pages' own labels;
* ``snn-html``: those pages rendered as HTML with navigation, a related-articles aside and a footer,
  run through the HTML path (trafilatura + meta tags);
* ``snn-fresh``: 16 more SaudiNewsNet pages drawn at random per outlet after the rules were written,
  labelled by hand and never used to change them (an untuned check);
* ``snn-fresh-noisy``: 12 more untuned pages, one per outlet, drawn among the noisy candidates.

Metrics: line-level precision/recall/F1 of kept body lines (paragraphs and subheadings; titles,
captions, teasers, related headlines and boilerplate must not be in a body), the share of pages split
into exactly their real articles, the share of kept lines placed in the right article, and title
accuracy. With the dataset present it also learns boilerplate per outlet from the development days
and shows what it learned and removed.

    .venv/bin/python eval/eval_clean.py --datasets ../shared/datasets

Exits 1 when a pinned minimum is not reached.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from marsad.arabic import display, match_tokens  # noqa: E402
from marsad.clean import Boilerplate, learn_boilerplate, line_key, split_document  # noqa: E402
from marsad.records import Article, Document  # noqa: E402

GOLD = ROOT / "eval" / "clean_gold"
DEV_DAYS = [f"2015-07-{d:02d}" for d in (21, 22, 23, 24, 25, 26, 27, 31)] + [
    f"2015-08-{d:02d}" for d in (1, 2, 3, 4, 6, 7)
]
# Pinned minimums (the quality gate).
GATES = {
    "seeds": {"precision": 0.98, "f1": 0.98, "split": 1.0},
    "snn": {"f1": 0.95},
    "snn-concat": {"f1": 0.95},
    "snn-html": {"f1": 0.95},
    "snn-fresh": {"f1": 0.95},
    "snn-fresh-noisy": {"f1": 0.95},
}
CONTENT = ("body", "sub")


def norm(text: str) -> str:
    """Comparison key: the match-form words (punctuation, bullets and spacing ignored)."""
    return " ".join(match_tokens(text))


@dataclass
class GoldPage:
    name: str
    doc: Document
    content: list[tuple[int, str]]  # (article index, normalised text) of every kept body line
    titles: list[str | None]  # per article
    n_articles: int
    labels: Counter[str] = field(default_factory=Counter)


def _gold_items(line: str, entry: dict, shift: int = 0) -> tuple[list[tuple[int, str]], str | None]:
    """Expected body items of one labelled line, and its title text if it is a title."""
    label = entry["label"]
    kind, _, k = label.partition(":")
    art = int(k) + shift if k else -1
    text = display(line).strip()
    if kind == "title":
        return [], text
    if kind not in CONTENT:
        return [], None
    if "strip" in entry and text.startswith(entry["strip"]):
        text = text[len(entry["strip"]) :]
    if "strip_suffix" in entry and text.endswith(entry["strip_suffix"]):
        text = text[: -len(entry["strip_suffix"])]
    if "split" in entry and text.startswith(entry["split"]):
        return [(art, norm(entry["split"])), (art, norm(text[len(entry["split"]) :]))], None
    return [(art, norm(text))], None


def _page_from_lines(
    name: str, doc: Document, lines: list[str], gold: list[dict], record_title: str | None
) -> GoldPage:
    content: list[tuple[int, str]] = []
    titles: dict[int, str] = {}
    labels: Counter[str] = Counter()
    n_art = 1
    for entry in gold:
        line = lines[entry["i"]]
        if hashlib.sha1(line.strip().encode("utf-8")).hexdigest()[:12] != entry["hash"]:
            raise SystemExit(f"{name}: line {entry['i']} changed since it was labelled")
        items, title = _gold_items(line, entry)
        content.extend(items)
        kind, _, k = entry["label"].partition(":")
        labels[kind] += 1
        if k:
            n_art = max(n_art, int(k) + 1)
            if title is not None:
                titles.setdefault(int(k), title)
    if record_title:
        titles.setdefault(0, display(record_title).strip())
    return GoldPage(name, doc, content, [titles.get(i) for i in range(n_art)], n_art, labels)


def load_seeds() -> list[GoldPage]:
    pages = []
    for page in json.loads((GOLD / "seeds.json").read_text(encoding="utf-8")):
        path = ROOT / "samples" / "seeds" / page["file"]
        text = path.read_text(encoding="utf-8")
        doc = Document(id=page["file"], source=str(path), content=text)
        pages.append(_page_from_lines(page["file"], doc, text.split("\n"), page["lines"], None))
    return pages


def _load_days(snn_dir: Path, days: list[str]) -> dict[str, list[dict]]:
    out = {}
    for day in days:
        with zipfile.ZipFile(snn_dir / f"{day}.zip") as z:
            out[day] = json.loads(z.read(z.namelist()[0]))
    return out


def _doc(rec: dict, content: str, *, title: bool = True, kind: str = "text", suffix: str = "") -> Document:
    return Document(
        id=hashlib.blake2b((rec["url"] + suffix).encode(), digest_size=8).hexdigest(),
        source=rec["url"] + suffix,
        content=content,
        content_type=kind,  # type: ignore[arg-type]
        title=rec["title"] if title else None,
        outlet=rec["source"] if title else None,
        published=rec["date_extracted"][:10] if title else None,
        url=rec["url"] if title else None,
        author=(rec.get("author") or None) if title else None,
    )


def load_fresh(records: dict[str, list[dict]], name: str = "saudinewsnet_fresh") -> list[GoldPage]:
    """An untuned set: pages labelled after the rules were written and never used to change them."""
    by_url = {(day, r["url"]): r for day, recs in records.items() for r in recs}
    pages = []
    for page in json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8")):
        rec = by_url[(page["day"], page["url"])]
        lines = rec["content"].split("\n")
        pages.append(_page_from_lines(page["name"], _doc(rec, rec["content"]), lines, page["lines"], rec["title"]))
    return pages


def load_snn(records: dict[str, list[dict]]) -> tuple[list[GoldPage], list[GoldPage], list[GoldPage]]:
    by_url = {(day, r["url"]): r for day, recs in records.items() for r in recs}
    gold = json.loads((GOLD / "saudinewsnet.json").read_text(encoding="utf-8"))
    pages, recs = [], []
    for page in gold:
        rec = by_url[(page["day"], page["url"])]
        lines = rec["content"].split("\n")
        pages.append(_page_from_lines(page["name"], _doc(rec, rec["content"]), lines, page["lines"], rec["title"]))
        recs.append((rec, page))
    # Noisy concatenations: A's title + A + "read also" + three headlines + B's title + B.
    rng = random.Random(2015)
    concat: list[GoldPage] = []
    order = list(range(len(recs)))
    rng.shuffle(order)
    for n in range(0, len(order) - 1, 2):
        (ra, pa), (rb, pb) = recs[order[n]], recs[order[n + 1]]
        others = [recs[j][0]["title"] for j in rng.sample(order, 3) if j not in (order[n], order[n + 1])]
        lines = [ra["title"], ""]
        gold_lines: list[dict] = [{"i": 0, "hash": _h(ra["title"]), "label": "title:0"}]
        base = len(lines)
        for entry in pa["lines"]:
            gold_lines.append({**entry, "i": entry["i"] + base})
        lines += ra["content"].split("\n") + ["", "اقرأ أيضاً:"]
        gold_lines.append({"i": len(lines) - 1, "hash": _h("اقرأ أيضاً:"), "label": "boiler"})
        for t in others:
            lines.append("• " + t)
            gold_lines.append({"i": len(lines) - 1, "hash": _h("• " + t), "label": "related"})
        lines += ["", rb["title"]]
        gold_lines.append({"i": len(lines) - 1, "hash": _h(rb["title"]), "label": "title:1"})
        base = len(lines)
        for entry in pb["lines"]:
            label = entry["label"]
            if ":" in label:
                label = label.split(":")[0] + ":1"
            gold_lines.append({**entry, "i": entry["i"] + base, "label": label})
        lines += rb["content"].split("\n")
        text = "\n".join(lines)
        doc = Document(id=f"concat-{n}", source=f"concat:{pa['name']}+{pb['name']}", content=text)
        concat.append(_page_from_lines(f"{pa['name']}+{pb['name']}", doc, lines, gold_lines, None))
    # HTML pages: navigation, the article, a related aside and a footer.
    html_pages: list[GoldPage] = []
    for rec, page in recs[::3]:
        paras = [ln for ln in rec["content"].split("\n") if ln.strip()]
        related = "".join(f'<li><a href="/a/{i}">{escape(r[0]["title"])}</a></li>' for i, r in enumerate(recs[1:4]))
        html = (
            "<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(rec['title'])} | {rec['source']}</title>"
            f"<meta property=\"og:title\" content=\"{escape(rec['title'])}\">"
            f"<meta property=\"og:site_name\" content=\"{rec['source']}\">"
            f"<meta property=\"article:published_time\" content=\"{rec['date_extracted'][:10]}T08:00:00+03:00\">"
            "</head><body><header><nav><ul><li><a href=\"/\">الرئيسية</a></li><li><a href=\"/local\">محليات</a>"
            "</li><li><a href=\"/sport\">رياضة</a></li><li><a href=\"/econ\">اقتصاد</a></li></ul></nav></header>"
            f"<main><article><h1>{escape(rec['title'])}</h1>"
            + "".join(f"<p>{escape(p.strip())}</p>" for p in paras)
            + "</article><aside><h3>اقرأ أيضاً</h3><ul>" + related + "</ul></aside></main>"
            "<footer><p>جميع الحقوق محفوظة © 2015</p><p>اتصل بنا | سياسة الخصوصية | أعلن معنا</p></footer>"
            "</body></html>"
        )
        doc = Document(id=f"html-{page['name']}", source=f"html:{page['name']}", content=html, content_type="html",
                       url=rec["url"])
        lines = rec["content"].split("\n")
        html_pages.append(_page_from_lines(page["name"] + ".html", doc, lines, page["lines"], rec["title"]))
    return pages, concat, html_pages


def _h(text: str) -> str:
    return hashlib.sha1(text.strip().encode("utf-8")).hexdigest()[:12]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    placed: int = 0
    pages: int = 0
    split_ok: int = 0
    titles: int = 0
    titles_ok: int = 0
    articles: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def split(self) -> float:
        return self.split_ok / self.pages if self.pages else 1.0


def score(pages: list[GoldPage], boilerplate: Boilerplate | None = None, verbose: bool = False) -> Score:
    s = Score()
    for page in pages:
        t0 = time.perf_counter()
        arts: list[Article] = split_document(page.doc, boilerplate)
        s.seconds += time.perf_counter() - t0
        s.pages += 1
        s.articles += len(arts)
        if len(arts) == page.n_articles:
            s.split_ok += 1
        else:
            s.errors.append(f"{page.name}: {len(arts)} articles, gold {page.n_articles}")
        gold = Counter(page.content)
        gold_any = Counter(t for _, t in page.content)
        for a in arts:
            for p in a.paragraphs:
                key = norm(p)
                if gold_any[key] > 0:
                    gold_any[key] -= 1
                    s.tp += 1
                    if gold[(a.index, key)] > 0:
                        gold[(a.index, key)] -= 1
                        s.placed += 1
                else:
                    s.fp += 1
                    if verbose:
                        s.errors.append(f"{page.name} [{a.index}] kept noise: {p[:90]}")
        for key, n in gold_any.items():
            if n > 0:
                s.fn += n
                if verbose:
                    s.errors.append(f"{page.name} lost: {key[:90]}")
        for i, title in enumerate(page.titles):
            s.titles += 1
            pred = arts[i].title if i < len(arts) else None
            if (title is None and pred is None) or (title and pred and norm(title) == norm(pred)):
                s.titles_ok += 1
            elif verbose:
                s.errors.append(f"{page.name} [{i}] title {pred!r} != gold {title!r}")
    return s


def _row(name: str, s: Score, n_lines: int) -> str:
    placed = s.placed / s.tp if s.tp else 1.0
    return (
        f"| {name} | {s.pages} | {n_lines} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | "
        f"{s.split_ok}/{s.pages} | {placed:.3f} | {s.titles_ok}/{s.titles} |"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--datasets", default=str(ROOT.parent / "shared" / "datasets"))
    ap.add_argument("--verbose", "-v", action="store_true", help="list every error")
    ap.add_argument("--no-boilerplate", action="store_true", help="skip learning boilerplate")
    args = ap.parse_args()

    split_document(Document(id="warm", source="warm", content="نص قصير للتحمية.\n" * 30))  # load lazy tables
    sets: dict[str, list[GoldPage]] = {"seeds": load_seeds()}
    snn_dir = Path(args.datasets) / "saudinewsnet" / "dataset"
    records: dict[str, list[dict]] = {}
    if snn_dir.is_dir():
        records = _load_days(snn_dir, DEV_DAYS)
        snn, concat, html = load_snn(records)
        sets.update({"snn": snn, "snn-concat": concat, "snn-html": html, "snn-fresh": load_fresh(records),
                     "snn-fresh-noisy": load_fresh(records, "saudinewsnet_fresh_noisy")})
    else:
        print(f"SaudiNewsNet not found at {snn_dir}: evaluating the sample pages only.")

    boilerplate: Boilerplate | None = None
    if records and not args.no_boilerplate:
        docs = [_doc(r, r["content"]) for recs in records.values() for r in recs]
        t0 = time.perf_counter()
        boilerplate = learn_boilerplate(docs)
        took = time.perf_counter() - t0
        print(f"\nLearned boilerplate from {len(docs)} pages of {len(DEV_DAYS)} development days in {took:.1f} s:")
        print("\n| outlet | pages | lines learned | examples |\n|---|---|---|---|")
        for outlet in sorted(boilerplate.lines):
            keys = sorted(boilerplate.lines[outlet], key=len)
            ex = " · ".join(k[:50] for k in keys[:3])
            print(f"| {outlet} | {boilerplate.pages.get(outlet, 0)} | {len(keys)} | {ex} |")
        removed: Counter[str] = Counter()
        for d in docs:
            learned = boilerplate.for_outlet(d.outlet or "")
            if learned:
                removed[d.outlet or ""] += sum(
                    1 for ln in d.content.split("\n") if ln.strip() and line_key(ln) in learned
                )
        print("\nLines removed as learned boilerplate: " + ", ".join(f"{k} {v}" for k, v in removed.most_common()))

    print("\n| set | pages | labelled lines | precision | recall | F1 | pages split exactly | lines in right article "
          "| titles |")
    print("|---|---|---|---|---|---|---|---|---|")
    failed: list[str] = []
    for name, pages in sets.items():
        n_lines = sum(sum(p.labels.values()) for p in pages)
        runs: list[tuple[str, Boilerplate | None]] = [("", None)]
        if boilerplate is not None and name != "seeds":
            runs = [(" (no boilerplate)", None), (" + learned boilerplate", boilerplate)]
        for suffix, bp in runs:
            s = score(pages, bp, verbose=args.verbose)
            print(_row(name + suffix, s, n_lines))
            gate = GATES.get(name, {})
            if bp is boilerplate or boilerplate is None or name == "seeds":
                for metric, minimum in gate.items():
                    value = getattr(s, metric)
                    if value < minimum:
                        failed.append(f"{name}: {metric} {value:.3f} < {minimum}")
            if args.verbose and s.errors:
                for e in s.errors:
                    print("   ", e)
    if records:
        # Unlabelled check: every SaudiNewsNet record is one article, so a page cut into several
        # articles is a false split, and a page with text but no article lost its text.
        records_docs = [_doc(r, r["content"]) for day in DEV_DAYS[:3] for r in records[day]]
        multi = empty = 0
        for doc in records_docs:
            n = len(split_document(doc))
            multi += n > 1
            empty += n == 0 and bool(doc.content.strip())
        rate = multi / len(records_docs)
        print(f"\nUnlabelled pages of {DEV_DAYS[0]}..{DEV_DAYS[2]} ({len(records_docs)} records, one article each): "
              f"{multi} split into several articles ({100 * rate:.2f} %), "
              f"{empty} give no article (only boilerplate lines).")
        if rate > 0.01:
            failed.append(f"false splits {100 * rate:.2f} % > 1 %")
    if failed:
        print("\nQUALITY GATE FAILED: " + "; ".join(failed))
        return 1
    print("\nquality gate passed: " + "; ".join(f"{k} {v}" for k, v in GATES.items() if k in sets))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
