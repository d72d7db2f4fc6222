"""Tests for marsad.places: the place lexicon and the places a headline names."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from marsad.arabic import match
from marsad.places import PLACES_PATH, load_places, mine, title_places

LEXICON = frozenset(match(w) for w in ("الخرج", "ينبع", "تبوك", "الباحة", "نجران"))


def test_title_places_strip_clitics_and_keep_only_lexicon_words() -> None:
    assert title_places("بدء استقبال المرشحين بتعليم الخرج غداً", LEXICON) == {"الخرج"}
    assert title_places("بدء المقابلات بالباحة ونجران", LEXICON) == {match("الباحة"), "نجران"}
    assert title_places("مقابلات لمرشحي الوظائف التعليمية بالخرج وتبوك", LEXICON) == {"الخرج", "تبوك"}
    assert title_places("زيارة للخرج", LEXICON) == {"الخرج"}  # ل + ال
    assert title_places("وزير التعليم يشكل لجنة", LEXICON) == frozenset()
    assert title_places(None, LEXICON) == frozenset()
    assert title_places("تعليم الخرج", frozenset()) == frozenset()


def test_mine_keeps_words_that_mostly_follow_place_triggers() -> None:
    texts = (
        ["افتتح محافظ الخرج مشروعا", "أعلن تعليم الخرج النتائج"] * 6  # الخرج: 12 of 12 after a trigger
        + ["شهدت منطقة الشرق أمطارا"] * 10  # الشرق: 10 of 60
        + ["الشرق الأوسط يترقب"] * 50
        + ["أمانة مصر تعلن"] * 12  # a country is no local place
        + ["بلدية منطقة جبلية"] * 12  # an adjective after a trigger
        + ["بلدية جبلية نائية"] * 12
        + ["مدينة تبوك"] * 3  # too rare
    )
    rows = {w: (n, total) for w, n, total in mine(texts)}
    assert rows == {"الخرج": (12, 12)}


def test_committed_lexicon_has_local_places_and_no_countries_or_generic_words() -> None:
    places = load_places()
    assert PLACES_PATH.is_file() and len(places) > 100
    for name in ("الخرج", "ينبع", "تبوك", "جازان", "نجران", "الباحة", "الطائف", "القريات", "الرياض", "جدة"):
        assert match(name) in places, name
    for word in ("المملكة", "منطقة", "المنطقة", "الملك", "مصر", "السعودية", "الشرق", "اليمن", "جبلية"):
        assert match(word) not in places, word


def test_missing_lexicon_gives_no_places(tmp_path: Path) -> None:
    assert load_places(tmp_path / "none.tsv.gz") == frozenset()
    path = tmp_path / "p.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("ينبع\t20\t30\n")
    assert load_places(path) == {"ينبع"}


DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"


@pytest.mark.skipif(not (DATASETS / "saudinewsnet" / "dataset").is_dir(), reason="datasets absent")
def test_train_places_rebuilds_the_committed_lexicon_byte_for_byte(tmp_path: Path) -> None:
    from marsad import places

    out = tmp_path / "places.tsv.gz"
    assert places.main(["--datasets", str(DATASETS), "--out", str(out)]) == 0
    assert out.read_bytes() == PLACES_PATH.read_bytes()
