"""Expand the hand-written label specs (``*_spec.txt``) into per-line gold files (``*.json``).

Every non-empty line gets its label (explicit, or the page's ``default``) and the first 12 hex digits
of the SHA-1 of its stripped text, so the evaluation can check that the dataset still holds the text
that was labelled. SaudiNewsNet texts are read from the dataset and never written here.

    .venv/bin/python eval/clean_gold/build_gold.py --datasets ../shared/datasets
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
_HEAD_RE = re.compile(r"^\[(\S+)(?: (\S+) (\S+))?\]$")


def line_hash(text: str) -> str:
    return hashlib.sha1(text.strip().encode("utf-8")).hexdigest()[:12]


def parse_spec(path: Path) -> list[dict]:
    pages: list[dict] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = _HEAD_RE.match(line)
        if m:
            pages.append({"name": m.group(1), "day": m.group(2), "url": m.group(3), "rules": [], "default": None})
            continue
        where, _, rest = line.partition(" ")
        label, _, transform = rest.partition(" ")
        if where == "default":
            pages[-1]["default"] = label
            continue
        idx: list[int] = []
        for part in where.split(","):
            if "-" in part:
                a, b = part.split("-")
                idx.extend(range(int(a), int(b) + 1))
            else:
                idx.append(int(part))
        for i in idx:
            pages[-1]["rules"].append((i, label, transform))
    return pages


def expand(text: str, page: dict, one_based: bool) -> list[dict]:
    rules = {i - (1 if one_based else 0): (label, tr) for i, label, tr in page["rules"]}
    out = []
    for i, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        label, tr = rules.pop(i, (page["default"], ""))
        if label is None:
            raise SystemExit(f"{page['name']}: line {i} has no label: {line[:60]!r}")
        entry = {"i": i, "hash": line_hash(line), "label": label}
        if tr:
            kind, _, value = tr.partition("=")
            entry[kind] = value
        out.append(entry)
    if rules:
        raise SystemExit(f"{page['name']}: labels for empty or missing lines {sorted(rules)}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasets", default=str(ROOT.parent / "shared" / "datasets"))
    args = ap.parse_args()
    seeds = []
    for page in parse_spec(HERE / "seeds_spec.txt"):
        text = (ROOT / "samples" / "seeds" / page["name"]).read_text(encoding="utf-8")
        seeds.append({"file": page["name"], "lines": expand(text, page, one_based=True)})
    (HERE / "seeds.json").write_text(json.dumps(seeds, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    snn_dir = Path(args.datasets) / "saudinewsnet" / "dataset"
    if not snn_dir.is_dir():
        print(f"no SaudiNewsNet at {snn_dir}: only seeds.json written", file=sys.stderr)
        return 0
    cache: dict[str, dict[str, dict]] = {}
    for name in ("saudinewsnet", "saudinewsnet_fresh", "saudinewsnet_fresh_noisy"):
        pages = []
        for page in parse_spec(HERE / f"{name}_spec.txt"):
            day = page["day"]
            if day not in cache:
                with zipfile.ZipFile(snn_dir / f"{day}.zip") as z:
                    cache[day] = {r["url"]: r for r in json.loads(z.read(z.namelist()[0]))}
            rec = cache[day][page["url"]]
            pages.append({"name": page["name"], "day": day, "url": page["url"], "source": rec["source"],
                          "lines": expand(rec["content"], page, one_based=False)})
        (HERE / f"{name}.json").write_text(json.dumps(pages, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{name}: {len(pages)} pages")
    print(f"{len(seeds)} seed pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
