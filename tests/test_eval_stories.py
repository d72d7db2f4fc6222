"""The story evaluation's storyline scoring and the committed storyline labels."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ev():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("eval_stories", ROOT / "eval" / "eval_stories.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["eval_stories"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_link_scores_counts_pairs_across_stories_only(ev) -> None:  # type: ignore[no-untyped-def]
    gold_story = {"a": "s1", "b": "s1", "c": "s2", "d": "s3"}
    gold_line = {"a": "L", "b": "L", "c": "L", "d": "M"}  # s1 and s2 continue one another, s3 alone
    # marsad: right stories, and links s2 with s3 (wrong) but not with s1 (missed)
    pred_story = {"a": "x", "b": "x", "c": "y", "d": "z"}
    pred_line = {"a": "x", "b": "x", "c": "l", "d": "l"}
    p, r, f, n_pred, n_gold = ev.link_scores(pred_story, pred_line, gold_story, gold_line)
    assert (n_pred, n_gold) == (1, 2)  # (c, d) predicted; (a, c) and (b, c) in the gold
    assert p == 0.0 and r == 0.0 and f == 0.0
    right = {"a": "l", "b": "l", "c": "l", "d": "z"}
    assert ev.link_scores(pred_story, right, gold_story, gold_line)[:3] == (1.0, 1.0, 1.0)
    # one predicted story holding two gold stories of one storyline finds the gold link
    merged = {"a": "x", "b": "x", "c": "x", "d": "z"}
    assert ev.link_scores(merged, merged, gold_story, gold_line)[1] == 1.0


def test_gold_storylines_cover_every_story(ev) -> None:  # type: ignore[no-untyped-def]
    with (ROOT / "eval" / "stories_gold" / "labels.tsv").open(encoding="utf-8", newline="") as f:
        stories = {row["story_id"] for row in csv.DictReader(f, delimiter="\t")}
    with ev.GOLD_LINES.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert sorted(r["story_id"] for r in rows) == sorted(stories)  # each story exactly once
    titles: dict[str, set[str]] = {}
    for r in rows:
        titles.setdefault(r["storyline_id"], set()).add(r["title"])
    assert all(len(t) == 1 and next(iter(t)).strip() for t in titles.values())
    gold = {str(i): s for i, s in enumerate(sorted(stories))}
    assert set(ev.load_gold_lines(gold).values()) == set(titles)
