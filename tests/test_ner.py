"""Tests for marsad.ner: tokens, BIO spans, clitics, the committed tagger and the CoNLL interface."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from marsad import ner

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def test_tokenize_keeps_harakat_and_splits_punctuation() -> None:
    text = "قالَ الرئيسُ «بوتيـــن»، في موسكو؟ ٢٠٢٣"
    toks = ner.tokenize(text)
    words = [t for _, _, t in toks]
    assert words == ["قالَ", "الرئيسُ", "«", "بوتيـــن", "»", "،", "في", "موسكو", "؟", "٢٠٢٣"]
    for s, e, t in toks:
        assert text[s:e] == t


def test_spans_follow_conlleval_rules() -> None:
    tags = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-ORG", "I-PER", "B-LOC", "B-LOC"]
    assert ner.spans(tags) == [(0, 2, "PER"), (3, 5, "LOC"), (5, 6, "ORG"), (6, 7, "PER"), (7, 8, "LOC"),
                               (8, 9, "LOC")]
    assert ner.spans([]) == []
    assert ner.spans(["O", "O"]) == []


def test_sentences_cut_after_full_stops() -> None:
    toks = ["قال", "كيم", ".", "ثم", "غادر", "؟", "و"]
    assert list(ner.sentences(toks)) == [(0, 3), (3, 6), (6, 7)]


def test_proclitic_splits() -> None:
    splits = dict(ner._proclitic_splits("وبالرءيس"))
    assert splits["وب"] == "الرءيس"
    assert dict(ner._proclitic_splits("للامم"))["ل"] == "الامم"  # ل + ال
    assert ner._proclitic_splits("في") == []


def test_strip_clitics_without_resources_is_conservative() -> None:
    assert ner.strip_clitics("والسعودية") == "السعودية"
    assert ner.strip_clitics("بوتين") == "بوتين"
    assert ner.strip_clitics("لندن") == "لندن"
    assert ner.strip_clitics("وَالسُّعودية") == "السُّعودية"


def test_gazetteer_longest_match_with_clitics() -> None:
    gaz = ner.Gazetteer.build({("كوريا", "الشماليه"): "LOC", ("كوريا",): "LOC", ("بوتين",): "PER"})
    ms = ["زار", "بوتين", "كوريا", "الشماليه", "ولكوريا"]
    assert gaz.tag(ms) == ["O", "B-PER", "B-LOC", "I-LOC", "B-LOC"]


def test_norm_tag_maps_corpus_types() -> None:
    assert ner._norm_tag("B-PERS") == "B-PER"
    assert ner._norm_tag("I-MIS2") == "I-MISC"
    assert ner._norm_tag("O") == "O"


def test_load_tagger_is_cached_and_fast() -> None:
    ner.load_tagger.cache_clear()
    t0 = time.perf_counter()
    tg = ner.load_tagger()
    assert time.perf_counter() - t0 < 5.0  # generous: the benchmark checks the < 1 s target
    assert ner.load_tagger() is tg


def test_tagger_finds_people_places_organisations() -> None:
    tg = ner.load_tagger()
    sent = ("وقال الرئيس الروسي فلاديمير بوتين في موسكو إن وكالة الأنباء الروسية نقلت عن "
            "وزير الخارجية سيرغي لافروف أن كوريا الشمالية ستشارك .")
    toks = sent.split()
    tags = tg.tag(toks)
    assert len(tags) == len(toks)
    found = {(" ".join(toks[s:e]), t) for s, e, t in ner.spans(tags)}
    assert ("فلاديمير بوتين", "PER") in found
    assert ("موسكو", "LOC") in found
    assert ("سيرغي لافروف", "PER") in found
    assert {t for _, t in found} <= {"PER", "LOC", "ORG", "MISC"}
    assert tg.tag([]) == []


def test_tagger_handles_noisy_text() -> None:
    tg = ner.load_tagger()
    toks = [t for _, _, t in ner.tokenize("قالَ الزعيـــم كيم جونغ أون «إن» بيونغ يانغ ١٢٣ ک ی")]
    tags = tg.tag(toks)
    assert len(tags) == len(toks)
    assert all(t == "O" or t[:2] in ("B-", "I-") for t in tags)


def test_tag_conll_keeps_sentence_breaks() -> None:
    lines = ["قال O", "بوتين O", ".", "", "زار\tO", "موسكو", ""]
    out = list(ner.tag_conll(lines))
    assert len(out) == 7
    assert out[3] == "" and out[6] == ""
    assert out[1].split("\t")[0] == "بوتين"
    assert all(len(line.split("\t")) == 2 for line in out if line)


@pytest.mark.skipif(not (DATASETS / "anercorp").exists(), reason="datasets absent")
def test_train_split_excludes_the_test_tokens() -> None:
    train = ner.anercorp_train(DATASETS)
    test = ner.anercorp_test(DATASETS)
    n_train = sum(len(s) for s in train)
    assert n_train == 150_282 - 25_008 or abs(n_train - (150_282 - 25_008)) < 50
    tags = Counter(g for s in train for _, g in s)
    assert set(tags) <= {"O", *(f"{p}-{t}" for p in "BI" for t in ner.TYPES)}
    assert sum(len(s) for s in test) == 25_008 or abs(sum(len(s) for s in test) - 25_008) < 50
