"""List candidate same-story articles in SaudiNewsNet, to help a person hand-label the story gold set.

This script never decides a label. It only prints titles and openings, and for each article of a
chosen *core* set the few articles (from any outlet, on the given days) that share the most rare
words in title + opening, so that a person can read them and judge. Labels live in ``labels.tsv``.

Usage (from the project root)::

    .venv/bin/python eval/stories_gold/make_candidates.py titles 2015-07-25 --sources sabq alweeam
    .venv/bin/python eval/stories_gold/make_candidates.py show 2015-07-25 1496 1512
    .venv/bin/python eval/stories_gold/make_candidates.py neighbours --days 2015-07-25 2015-07-26 \
        --core 2015-07-25:sabq,alweeam --top 4
    .venv/bin/python eval/stories_gold/make_candidates.py grep 2015-07-25 2015-07-26 --word تبوك
    .venv/bin/python eval/stories_gold/make_candidates.py check      # validate labels.tsv, print counts

Development days only (2015-07-21 .. 2015-08-07); the held-out days are refused.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import zipfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
from marsad.arabic import match, match_tokens  # noqa: E402

HELD_OUT = {"2015-08-08", "2015-08-09", "2015-08-10", "2015-08-11"}
STOP = set(
    match_tokens(
        "في من على الى إلى عن مع ان أن إن التي الذي الذين هذا هذه ذلك تلك كان كانت قد لا ما لم لن او أو ثم "
        "بعد قبل خلال بين حتى عند منذ كل بعض غير اليوم امس أمس غدا غداً وقال قال وأضاف اضاف وأكد أكد "
        "و ف ب ل ك هو هي هم وفي وهو وهي عبر حيث كما وقد لها له فيها فيه به بها عليه عليها منها منه الا إلا "
        "سبق الوئام عكاظ صحيفة المملكة السعودية العربية الرياض جدة بالفيديو بالصور شاهد"
    )
)


def load_day(datasets: Path, day: str) -> list[dict[str, str]]:
    if day in HELD_OUT:
        raise SystemExit(f"{day} is held out: refusing to read it")
    path = datasets / "saudinewsnet" / "dataset" / f"{day}.zip"
    with zipfile.ZipFile(path) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".json"))
        data: list[dict[str, str]] = json.loads(zf.read(name).decode("utf-8"))
    return data


def _stem(tok: str) -> str:
    for pre in ("وال", "بال", "كال", "فال", "لل", "ال"):
        if tok.startswith(pre) and len(tok) - len(pre) >= 3:
            return tok[len(pre):]
    if tok[:1] in "وب" and len(tok) >= 5:
        return tok[1:]
    return tok


def tokens(art: dict[str, str], lead: int = 300) -> set[str]:
    text = (art.get("title") or "") + " " + (art.get("content") or "")[:lead]
    return {_stem(t) for t in match_tokens(text) if t not in STOP and len(t) > 1}


def one_line(text: str, n: int) -> str:
    return " ".join((text or "").split())[:n]


def cmd_titles(args: argparse.Namespace) -> None:
    arts = load_day(args.datasets, args.day)
    for i, a in enumerate(arts):
        if args.sources and a["source"] not in args.sources:
            continue
        print(f"{i}\t{a['source']}\t{one_line(a['title'], 120)}")


def cmd_show(args: argparse.Namespace) -> None:
    arts = load_day(args.datasets, args.day)
    for i in args.idx:
        a = arts[i]
        print(f"[{args.day}#{i} {a['source']}] {one_line(a['title'], 150)}\n    {one_line(a['content'], args.chars)}\n")


def cmd_grep(args: argparse.Namespace) -> None:
    want = match(args.word)
    for day in args.days:
        for i, a in enumerate(load_day(args.datasets, day)):
            text = match((a["title"] or "") + " " + (a["content"] or "")[: args.chars])
            if want in text:
                print(f"{day}#{i}\t{a['source']}\t{one_line(a['title'], 120)}")


def cmd_neighbours(args: argparse.Namespace) -> None:
    pool: list[tuple[str, int, dict[str, str], set[str]]] = []
    for day in args.days:
        for i, a in enumerate(load_day(args.datasets, day)):
            pool.append((day, i, a, tokens(a)))
    df = Counter(t for *_, toks in pool for t in toks)
    n = len(pool)
    idf = {t: math.log(n / c) for t, c in df.items()}
    core_spec = [c.split(":") for c in args.core]
    core = [p for p in pool if any(p[0] == d and p[2]["source"] in s.split(",") for d, s in core_spec)]
    if args.pool:
        pool_spec = [c.split(":") for c in args.pool]
        pool = [p for p in pool if any(p[0] == d and p[2]["source"] in s.split(",") for d, s in pool_spec)]
    for day, i, a, toks in core:
        scored = []
        for d2, j, b, t2 in pool:
            if (d2, j) == (day, i) or (b["source"] == a["source"] and not args.same_source):
                continue
            s = sum(idf[t] for t in toks & t2)
            scored.append((s, d2, j, b))
        scored.sort(key=lambda x: -x[0])
        print(f"== {day}#{i} {a['source']}: {one_line(a['title'], 110)}\n      | {one_line(a['content'], args.chars)}")
        for rank, (s, d2, j, b) in enumerate(scored[: args.top]):
            print(f"   {s:5.1f} {d2}#{j} {b['source']}: {one_line(b['title'], 100)}")
            if rank < args.lead_top:
                print(f"          | {one_line(b['content'], args.chars)}")


def cmd_check(args: argparse.Namespace) -> None:
    """Validate labels.tsv against the dataset and print its counts (exit 1 on any problem)."""
    import csv

    problems: list[str] = []
    with open(args.labels, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        header = next(reader)
        rows = list(reader)
    if header != ["day", "url", "story_id"]:
        problems.append(f"bad header {header}")
    keys = [(r[0], r[1]) for r in rows]
    dup = [k for k, c in Counter(keys).items() if c > 1]
    if dup:
        problems.append(f"{len(dup)} duplicate (day, url) rows")
    if any(len(r) != 3 or not r[2] for r in rows):
        problems.append("rows without exactly 3 fields / empty story_id")
    by_day: dict[str, dict[str, dict[str, str]]] = {}
    sources: dict[str, set[str]] = {}
    for day, url, sid in rows:
        if day in HELD_OUT:
            problems.append(f"held-out day {day} labelled")
            continue
        if day not in by_day:
            arts = load_day(args.datasets, day)
            by_day[day] = {a["url"]: a for a in arts}
            if len(by_day[day]) != len(arts):
                print(f"note: {day} has repeated urls in the dataset")
        art = by_day[day].get(url)
        if art is None:
            problems.append(f"url not in {day}: {url}")
            continue
        sources.setdefault(sid, set()).add(art["source"])
    sizes = Counter(r[2] for r in rows)
    print(f"articles: {len(rows)}")
    print(f"days: {', '.join(f'{d} ({c})' for d, c in sorted(Counter(r[0] for r in rows).items()))}")
    outlets = Counter(by_day[d][u]["source"] for d, u in keys if d in by_day and u in by_day[d])
    print(f"outlets: {', '.join(f'{s} ({c})' for s, c in outlets.most_common())}")
    print(f"stories: {len(sizes)}  singletons: {sum(1 for c in sizes.values() if c == 1)}  "
          f"multi-article: {sum(1 for c in sizes.values() if c > 1)}  "
          f"multi-outlet (>=2 outlets): {sum(1 for s in sources.values() if len(s) >= 2)}  "
          f"largest: {max(sizes.values())}")
    multi_day = sum(1 for sid in sizes if len({r[0] for r in rows if r[2] == sid}) > 1)
    print(f"stories spanning >1 day: {multi_day}")
    print(f"duplicate (day, url): {len(dup)}; urls missing from their day's JSON: "
          f"{sum(1 for p in problems if p.startswith('url not in'))}")
    for p in problems[:20]:
        print("PROBLEM:", p)
    if problems:
        raise SystemExit(1)
    print("OK")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("titles")
    p.add_argument("day")
    p.add_argument("--sources", nargs="*", default=[])
    p.set_defaults(func=cmd_titles)
    p = sub.add_parser("show")
    p.add_argument("day")
    p.add_argument("idx", nargs="+", type=int)
    p.add_argument("--chars", type=int, default=300)
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("grep")
    p.add_argument("days", nargs="+")
    p.add_argument("--word", required=True)
    p.add_argument("--chars", type=int, default=400)
    p.set_defaults(func=cmd_grep)
    p = sub.add_parser("neighbours")
    p.add_argument("--days", nargs="+", required=True)
    p.add_argument("--core", nargs="+", required=True, help="DAY:source1,source2 ...")
    p.add_argument("--top", type=int, default=4)
    p.add_argument("--pool", nargs="*", default=[], help="restrict candidates to DAY:sources ...")
    p.add_argument("--same-source", action="store_true", help="also list articles from the same outlet")
    p.add_argument("--chars", type=int, default=160)
    p.add_argument("--lead-top", type=int, default=2, help="print the opening of the first N candidates")
    p.set_defaults(func=cmd_neighbours)
    p = sub.add_parser("check")
    p.add_argument("--labels", type=Path, default=Path(__file__).with_name("labels.tsv"))
    p.set_defaults(func=cmd_check)
    args = ap.parse_args()
    if not (args.datasets / "saudinewsnet" / "dataset").is_dir():
        raise SystemExit(f"SaudiNewsNet not found under {args.datasets}: pass --datasets")
    args.func(args)


if __name__ == "__main__":
    main()
