"""Date tagging quality: marsad.dates against dateparser, on Recognizers-Text Arabic and Wojood.

    .venv/bin/python eval/eval_dates.py --datasets ../shared/datasets

(a) Microsoft Recognizers-Text Arabic date/time spec cases (``recognizers_text_arabic_datetime``).
    *Resolution*: every expected result whose type is a date and whose gold value is a real date
    (``DateParser.json``; ``date`` results of ``DateTimeModel.json`` and ``MergedParser.json``; gold
    values "not resolved" or impossible dates such as 2016-11-31 are left out). An item is correct when
    the system returns a mention overlapping the gold span whose value is one of the gold values (the
    spec gives a past and a future reading for expressions without a year; both count). NotSupported
    flags are ignored: every item with a date value is counted.
    *Extraction*: the spans of ``DateExtractor.json`` (type date), precision/recall/F1 where a
    predicted span matches a gold span when they overlap (one-to-one), and exact-span F1.
(b) Wojood sample (``wojood_sample``): DATE spans (any nesting level) of the sentences, rebuilt by
    joining the tokens with spaces. Precision/recall/F1 with exact spans (token boundaries) and with
    overlapping spans. The test split is the gated number; train and val were used for development.

(c) Publication-date inference on the hand-labelled story gold set (``eval/stories_gold/labels.tsv``,
    SaudiNewsNet development days 2015-07-25..27): for every article of a story with two or more
    articles, its date is hidden and inferred (``dates.infer_publication_date``) from its text and the
    other articles' dates; the reference is the article's own ``date_extracted`` (the crawl date, so
    itself a day late for some pages). Compared with the plain baseline "median date of the other
    articles". Reported exact and within one day; gated: inference must be exact more often than the
    baseline.

dateparser (``dateparser.search.search_dates`` with ``languages=["ar"]`` and the same reference date)
is measured on the same items in the same run. The script exits 1 when a pinned minimum is not
reached or marsad is not ahead of dateparser.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad import dates  # noqa: E402

# Quality gate (pinned minimums).
MIN_RT_RESOLUTION = 0.95  # Recognizers-Text Arabic, accuracy on items with a date value
MIN_WOJOOD_F1 = 0.90  # Wojood test DATE spans, overlap F1
MIN_WOJOOD_EXACT_F1 = 0.70  # Wojood test DATE spans, exact F1 (reported; floor against regressions)

Span = tuple[int, int]
Pred = tuple[int, int, str]  # start, end, value
System = Callable[[str, date], list[Pred]]


# ---------------------------------------------------------------- systems


def marsad_system(text: str, ref: date) -> list[Pred]:
    return [(d.start, d.end, d.value) for d in dates.tag(text, ref)]


def _dateparser_system() -> System | None:
    try:
        from dateparser.search import search_dates  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover
        return None

    def run(text: str, ref: date) -> list[Pred]:
        settings = {"RELATIVE_BASE": datetime(ref.year, ref.month, ref.day)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                found = search_dates(text, languages=["ar"], settings=settings)  # type: ignore[arg-type]
            except Exception:  # noqa: BLE001 - dateparser raises on some inputs; count as no output
                found = None
        out: list[Pred] = []
        pos = 0
        for sub, when in found or []:
            i = text.find(sub, pos)
            if i < 0:
                i = text.find(sub)
            if i < 0:
                continue
            out.append((i, i + len(sub), when.date().isoformat()))
            pos = i + len(sub)
        return out

    return run


# ---------------------------------------------------------------- Recognizers-Text


@dataclass(frozen=True)
class RtItem:
    text: str
    ref: date
    span: Span
    values: frozenset[str]


def _valid(value: str) -> bool:
    try:
        d = date.fromisoformat(value)
    except ValueError:
        return False
    return d.year > 1


def _gold_span(text: str, gold_text: str, start: int) -> Span:
    stripped = gold_text.strip()
    if text[start : start + len(gold_text)] == gold_text:
        lead = len(gold_text) - len(gold_text.lstrip())
        return start + lead, start + lead + len(stripped)
    i = text.find(stripped)
    if i >= 0:
        return i, i + len(stripped)
    # the gold text is sometimes spelled differently from the input (الاسبوع / الأسبوع): find it folded
    folded_text, folded_gold = dates._fold(text)[0], dates._fold(stripped)[0]
    i = folded_text.find(folded_gold)
    if i >= 0 and len(folded_text) == len(text):
        return i, i + len(stripped)
    # or its last word (DateTimeModel gives Start -1 and "يوم الخميس" for "أو الخميس")
    last = folded_gold.split()[-1] if folded_gold.split() else folded_gold
    i = folded_text.find(last)
    if i >= 0 and len(folded_text) == len(text):
        return i, i + len(last)
    return max(start, 0), max(start, 0) + len(stripped)


def load_rt_resolution(folder: Path) -> list[RtItem]:
    items: list[RtItem] = []
    for name in ("DateParser.json", "DateTimeModel.json", "MergedParser.json"):
        path = folder / name
        if not path.exists():
            continue
        for case in json.loads(path.read_text(encoding="utf-8-sig")):
            ref_raw = (case.get("Context") or {}).get("ReferenceDateTime")
            if not ref_raw:
                continue
            ref = date.fromisoformat(ref_raw[:10])
            for res in case.get("Results", []):
                kind = (res.get("TypeName") or res.get("Type") or "").split(".")[-1]
                if kind != "date":
                    continue
                value = res.get("Value") or res.get("Resolution")
                vals: set[str] = set()
                if isinstance(value, dict):
                    if "values" in value:
                        vals = {v.get("value", "") for v in value["values"] if isinstance(v, dict)}
                    for key in ("FutureResolution", "PastResolution"):
                        if isinstance(value.get(key), dict):
                            vals.add(value[key].get("date", ""))
                vals = {v for v in vals if _valid(v)}
                if not vals:
                    continue
                span = _gold_span(case["Input"], res["Text"], int(res.get("Start", 0)))
                items.append(RtItem(case["Input"], ref, span, frozenset(vals)))
    return items


def load_rt_extraction(folder: Path) -> list[tuple[str, date, list[Span]]]:
    path = folder / "DateExtractor.json"
    if not path.exists():
        return []
    out = []
    for case in json.loads(path.read_text(encoding="utf-8-sig")):
        ref_raw = (case.get("Context") or {}).get("ReferenceDateTime") or "2016-11-07"
        spans = [
            _gold_span(case["Input"], r["Text"], int(r.get("Start", 0)))
            for r in case.get("Results", [])
            if (r.get("Type") or r.get("TypeName") or "date").endswith("date")
        ]
        out.append((case["Input"], date.fromisoformat(ref_raw[:10]), spans))
    return out


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def rt_resolution(items: Sequence[RtItem], system: System) -> tuple[float, int, list[RtItem]]:
    correct = 0
    misses: list[RtItem] = []
    for it in items:
        preds = system(it.text, it.ref)
        hit = any(_overlaps((s, e), it.span) and v in it.values for s, e, v in preds)
        correct += hit
        if not hit:
            misses.append(it)
    return correct / len(items) if items else 0.0, correct, misses


@dataclass
class Prf:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


def score_spans(gold: Sequence[Span], pred: Sequence[Span], exact: bool, prf: Prf) -> None:
    used: set[int] = set()
    tp = 0
    for g in gold:
        for j, p in enumerate(pred):
            if j in used:
                continue
            if (p == g) if exact else _overlaps(p, g):
                used.add(j)
                tp += 1
                break
    prf.tp += tp
    prf.fn += len(gold) - tp
    prf.fp += len(pred) - tp


# ---------------------------------------------------------------- Wojood


def load_wojood(path: Path) -> Iterator[tuple[str, list[Span]]]:
    """Sentences (tokens joined by spaces) and their DATE spans (character offsets)."""
    tokens: list[tuple[str, list[str]]] = []

    def flush() -> Iterator[tuple[str, list[Span]]]:
        if not tokens:
            return
        text_parts: list[str] = []
        offsets: list[Span] = []
        pos = 0
        for tok, _tags in tokens:
            offsets.append((pos, pos + len(tok)))
            text_parts.append(tok)
            pos += len(tok) + 1
        spans: set[Span] = set()
        depth = max(len(t) for _, t in tokens)
        for level in range(depth):
            start: int | None = None
            end = 0
            for i, (_tok, tags) in enumerate(tokens):
                tag = tags[level] if level < len(tags) else "O"
                if tag == "B-DATE":
                    if start is not None:
                        spans.add((start, end))
                    start, end = offsets[i][0], offsets[i][1]
                elif tag == "I-DATE" and start is not None:
                    end = offsets[i][1]
                elif start is not None:
                    spans.add((start, end))
                    start = None
            if start is not None:
                spans.add((start, end))
        yield " ".join(text_parts), sorted(spans)

    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            yield from flush()
            tokens = []
            continue
        tokens.append((parts[0], [t for t in parts[1:] if t.endswith("DATE")] or ["O"]))
    yield from flush()


# ---------------------------------------------------------------- publication-date inference


def inference_eval(datasets: Path) -> dict[str, float] | None:
    import csv
    import statistics
    import zipfile
    from collections import defaultdict

    labels = ROOT / "eval" / "stories_gold" / "labels.tsv"
    snn = datasets / "saudinewsnet" / "dataset"
    if not labels.exists() or not snn.exists():
        return None
    rows = list(csv.DictReader(labels.open(encoding="utf-8"), delimiter="\t"))
    wanted: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        wanted[r["day"]].add(r["url"])
    records: dict[tuple[str, str], dict[str, str]] = {}
    for day, urls in wanted.items():
        with zipfile.ZipFile(snn / f"{day}.zip") as z:
            for rec in json.loads(z.read(z.namelist()[0])):
                if rec["url"] in urls:
                    records[(day, rec["url"])] = rec
    stories: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        if (r["day"], r["url"]) in records:
            stories[r["story_id"]].append(records[(r["day"], r["url"])])
    n = exact = near = base_exact = base_near = 0
    for arts in stories.values():
        if len(arts) < 2:
            continue
        for i, a in enumerate(arts):
            truth = date.fromisoformat(a["date_extracted"][:10])
            anchors = [o["date_extracted"][:10] for j, o in enumerate(arts) if j != i]
            value, _how = dates.infer_publication_date(f"{a.get('title') or ''}\n{a['content']}", anchors)
            got = date.fromisoformat(value) if value else None
            base = date.fromisoformat(statistics.median_low(anchors))
            n += 1
            exact += got == truth
            near += got is not None and abs((got - truth).days) <= 1
            base_exact += base == truth
            base_near += abs((base - truth).days) <= 1
    return {"n": n, "exact": exact / n, "near": near / n, "base_exact": base_exact / n, "base_near": base_near / n}


# ---------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--no-peer", action="store_true", help="skip dateparser")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    rt_dir = args.datasets / "recognizers_text_arabic_datetime"
    wj_dir = args.datasets / "wojood_sample"
    if not rt_dir.exists() and not wj_dir.exists():
        print(f"datasets not found under {args.datasets}: skipping the dates evaluation")
        return 0
    systems: dict[str, System] = {"marsad": marsad_system}
    peer = None if args.no_peer else _dateparser_system()
    if peer is not None:
        systems["dateparser"] = peer
    results: dict[str, dict[str, float]] = {name: {} for name in systems}
    ok = True

    rt_items = load_rt_resolution(rt_dir) if rt_dir.exists() else []
    rt_ext = load_rt_extraction(rt_dir) if rt_dir.exists() else []
    wj = {split: list(load_wojood(wj_dir / f"{split}.txt")) for split in ("test", "val", "train")
          if (wj_dir / f"{split}.txt").exists()}
    wj_ref = date(2023, 1, 1)  # Wojood has no reference dates; spans do not depend on it

    for name, system in systems.items():
        t0 = time.perf_counter()
        if rt_items:
            acc, correct, misses = rt_resolution(rt_items, system)
            results[name]["rt_acc"] = acc
            results[name]["rt_n"] = len(rt_items)
            results[name]["rt_correct"] = correct
            if args.show_misses and name == "marsad":
                for it in misses:
                    got = [(it.text[s:e], v) for s, e, v in system(it.text, it.ref)]
                    print(f"MISS {it.ref} {it.text!r} gold={it.text[it.span[0]:it.span[1]]!r} "
                          f"{sorted(it.values)} got={got}")
        if rt_ext:
            ov, ex = Prf(), Prf()
            for text, ref, gold in rt_ext:
                pred = [(s, e) for s, e, _ in system(text, ref)]
                score_spans(gold, pred, False, ov)
                score_spans(gold, pred, True, ex)
            results[name].update(rtx_p=ov.p, rtx_r=ov.r, rtx_f1=ov.f1, rtx_exact_f1=ex.f1)
        for split, sents in wj.items():
            ov, ex = Prf(), Prf()
            for text, gold in sents:
                pred = [(s, e) for s, e, _ in system(text, wj_ref)]
                score_spans(gold, pred, False, ov)
                score_spans(gold, pred, True, ex)
                if args.show_misses and name == "marsad" and split != "test":
                    missed = [text[s:e] for s, e in gold if not any(_overlaps((s, e), p) for p in pred)]
                    extra = [text[s:e] for s, e in pred if not any(_overlaps((s, e), g) for g in gold)]
                    if missed or extra:
                        print(f"WJ {split} missed={missed} extra={extra}")
            results[name].update({f"wj_{split}_p": ov.p, f"wj_{split}_r": ov.r, f"wj_{split}_f1": ov.f1,
                                  f"wj_{split}_exact_f1": ex.f1, f"wj_{split}_n": ov.tp + ov.fn})
        results[name]["seconds"] = time.perf_counter() - t0

    names = list(systems)
    print()
    print("| measure | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))

    def row(label: str, key: str, fmt: str = "{:.3f}") -> None:
        if key in results["marsad"]:
            print(f"| {label} | " + " | ".join(fmt.format(results[n].get(key, float('nan'))) for n in names) + " |")

    if rt_items:
        print(f"| Recognizers-Text date resolution accuracy (n={len(rt_items)}) | "
              + " | ".join(f"{results[n]['rt_acc']:.3f} ({int(results[n]['rt_correct'])})" for n in names) + " |")
    row("Recognizers-Text DateExtractor span P (overlap)", "rtx_p")
    row("Recognizers-Text DateExtractor span R (overlap)", "rtx_r")
    row("Recognizers-Text DateExtractor span F1 (overlap)", "rtx_f1")
    row("Recognizers-Text DateExtractor span F1 (exact)", "rtx_exact_f1")
    for split in wj:
        n = int(results["marsad"][f"wj_{split}_n"])
        row(f"Wojood {split} DATE P (overlap, n={n})", f"wj_{split}_p")
        row(f"Wojood {split} DATE R (overlap)", f"wj_{split}_r")
        row(f"Wojood {split} DATE F1 (overlap)", f"wj_{split}_f1")
        row(f"Wojood {split} DATE F1 (exact)", f"wj_{split}_exact_f1")
    row("seconds", "seconds", "{:.1f}")
    print()

    inference = inference_eval(args.datasets)
    if inference is not None:
        print(f"Publication-date inference (story gold set, n={int(inference['n'])} articles):")
        print()
        print("| method | exact | within 1 day |")
        print("|---|---|---|")
        print(f"| marsad.dates.infer_publication_date | {inference['exact']:.3f} | {inference['near']:.3f} |")
        print(f"| median date of the story's other articles | {inference['base_exact']:.3f} | "
              f"{inference['base_near']:.3f} |")
        print()

    m = results["marsad"]
    checks: list[tuple[str, bool]] = []
    if rt_items:
        checks.append((f"Recognizers-Text resolution {m['rt_acc']:.3f} >= {MIN_RT_RESOLUTION}",
                       m["rt_acc"] >= MIN_RT_RESOLUTION))
    if "test" in wj:
        checks.append((f"Wojood test DATE F1 (overlap) {m['wj_test_f1']:.3f} >= {MIN_WOJOOD_F1}",
                       m["wj_test_f1"] >= MIN_WOJOOD_F1))
        checks.append((f"Wojood test DATE F1 (exact) {m['wj_test_exact_f1']:.3f} >= {MIN_WOJOOD_EXACT_F1}",
                       m["wj_test_exact_f1"] >= MIN_WOJOOD_EXACT_F1))
    if peer is not None:
        for key, label in (("rt_acc", "Recognizers-Text resolution"), ("wj_test_f1", "Wojood test F1"),
                           ("wj_test_exact_f1", "Wojood test exact F1")):
            if key in m:
                checks.append((f"{label}: marsad {m[key]:.3f} > dateparser {results['dateparser'][key]:.3f}",
                               m[key] > results["dateparser"][key]))
    if inference is not None:
        checks.append((f"inference exact {inference['exact']:.3f} > baseline {inference['base_exact']:.3f}",
                       inference["exact"] > inference["base_exact"]))
    for label, passed in checks:
        print(("PASS " if passed else "FAIL ") + label)
        ok = ok and passed
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
