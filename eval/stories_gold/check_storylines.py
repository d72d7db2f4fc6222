"""Validate storylines.tsv against labels.tsv and print its counts (stdlib only).

Usage (from the project root or anywhere):
    python eval/stories_gold/check_storylines.py [--labels PATH] [--storylines PATH] [--top N]

Checks: the header is exactly ``story_id<TAB>storyline_id<TAB>title``; every story id of labels.tsv
appears exactly once; no story id unknown to labels.tsv; every storyline_id looks like ``lNNN-slug``
and has exactly one (non-empty) title. Exits 1 on any error.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = ["story_id", "storyline_id", "title"]
LID_RE = re.compile(r"^l\d{3}-[a-z0-9][a-z0-9-]*$")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, default=HERE / "labels.tsv")
    ap.add_argument("--storylines", type=Path, default=HERE / "storylines.tsv")
    ap.add_argument("--top", type=int, default=10, help="how many of the largest storylines to list")
    args = ap.parse_args(argv)

    errors: list[str] = []

    with args.labels.open(encoding="utf-8", newline="") as f:
        labels = list(csv.DictReader(f, delimiter="\t"))
    articles_per_story = Counter(r["story_id"] for r in labels)
    known = set(articles_per_story)

    with args.storylines.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        header = next(reader, None)
        rows = [r for r in reader if r]
    if header != HEADER:
        errors.append(f"bad header {header!r}, expected {HEADER!r}")

    seen = Counter()
    titles: dict[str, set[str]] = defaultdict(set)
    members: dict[str, list[str]] = defaultdict(list)
    for n, r in enumerate(rows, start=2):
        if len(r) != 3:
            errors.append(f"line {n}: expected 3 fields, got {len(r)}")
            continue
        sid, lid, title = (x.strip() for x in r)
        seen[sid] += 1
        if sid not in known:
            errors.append(f"line {n}: unknown story id {sid!r}")
        if not LID_RE.match(lid):
            errors.append(f"line {n}: malformed storyline id {lid!r}")
        if not title:
            errors.append(f"line {n}: empty title for {lid}")
        titles[lid].add(title)
        members[lid].append(sid)

    for sid, c in sorted(seen.items()):
        if c > 1:
            errors.append(f"story id {sid} appears {c} times")
    for sid in sorted(known - set(seen)):
        errors.append(f"story id {sid} of labels.tsv is missing")
    for lid, ts in sorted(titles.items()):
        if len(ts) != 1:
            errors.append(f"storyline {lid} has {len(ts)} titles: {sorted(ts)}")
    numbers = Counter(lid.split("-", 1)[0] for lid in members)
    for num, c in sorted(numbers.items()):
        if c > 1:
            errors.append(f"storyline number {num} used by {c} different ids")

    sizes = Counter({lid: len(m) for lid, m in members.items()})
    multi = [lid for lid, s in sizes.items() if s >= 2]
    print(f"stories: {len(seen)} (labels.tsv: {len(known)})")
    print(f"storylines: {len(members)}  with >=2 stories: {len(multi)}  singletons: {len(members) - len(multi)}")
    print(f"stories in multi-story storylines: {sum(sizes[lid] for lid in multi)}")
    print("size distribution (stories: storylines): "
          + ", ".join(f"{k}: {v}" for k, v in sorted(Counter(sizes.values()).items(), reverse=True)))
    print(f"largest {args.top}:")
    for lid, s in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))[: args.top]:
        arts = sum(articles_per_story.get(sid, 0) for sid in members[lid])
        print(f"  {s:3d} stories {arts:4d} articles  {lid}  {next(iter(titles[lid]))}")

    if errors:
        for e in errors:
            print("ERROR:", e, file=sys.stderr)
        print(f"{len(errors)} error(s)", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
