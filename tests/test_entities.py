"""Tests for marsad.entities: name keys, unification (no wrong merges) and mentions from articles."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from marsad import arabic, entities, ner
from marsad.entities import name_key, same_name, unify
from marsad.records import Article, Entity, EntityMention

SEEDS = Path(__file__).resolve().parents[1] / "samples" / "seeds"


_ORDER = itertools.count()


def mention(text: str, typ: str = "PER", article: str = "a1") -> EntityMention:
    """A mention written after every mention made before it (the order of the text)."""
    start = next(_ORDER) * 100
    return EntityMention(article_id=article, start=start, end=start + len(text), text=text,
                         type=typ)  # type: ignore[arg-type]


def groups(ms: Sequence[EntityMention], **kw: object) -> dict[str, set[str]]:
    """Entity id → the set of surface forms unified into it."""
    _, out = unify(ms, **kw)  # type: ignore[arg-type]
    res: dict[str, set[str]] = {}
    for m in out:
        assert m.entity_id is not None
        res.setdefault(m.entity_id, set()).add(m.text)
    return res


def together(ms: Sequence[EntityMention], *names: str, **kw: object) -> bool:
    g = groups(ms, **kw)
    return any(set(names) <= forms for forms in g.values())


@pytest.mark.parametrize(
    "variants",
    [
        ["كيم جونغ أون", "كيم جونج أون", "كيم جون أون", "كيم جونج اون", "كِيم جونغ أُون"],
        ["فوستوتشني", "فوستوشني"],
        ["دميتري بيسكوف", "ديمتري بيسكوف"],
        ["رودنكو", "رودينكو"],
    ],
)
def test_person_spellings_unify(variants: list[str]) -> None:
    typ = "LOC" if variants[0] == "فوستوتشني" else "PER"
    ms = [mention(v, typ, f"a{i}") for i, v in enumerate(variants)]
    assert len(groups(ms)) == 1


def test_place_spellings_unify() -> None:
    ms = [mention(v, "LOC") for v in ["بيونغ يانغ", "بيونج يانج", "بيونج يونج", "بوينغ يانغ", "بيونغ يانغ"]]
    assert len(groups(ms)) == 1


@pytest.mark.parametrize(
    "a,b,typ",
    [
        ("كيم جونغ أون", "كيم جونغ إيل", "PER"),
        ("فلاديمير بوتين", "فولوديمير زيلينسكي", "PER"),
        ("كوريا الشمالية", "كوريا الجنوبية", "LOC"),
        ("سوريا", "روسيا", "LOC"),
        ("محمد", "أحمد", "PER"),
        ("النمسا", "ألمانيا", "LOC"),
        ("علي", "عالي", "PER"),
    ],
)
def test_never_merge(a: str, b: str, typ: str) -> None:
    assert not same_name(name_key(a), name_key(b))
    assert len(groups([mention(a, typ), mention(b, typ)])) == 2


def test_short_forms_join_their_full_name() -> None:
    ms = [mention("فلاديمير بوتين"), mention("بوتين", article="a2"), mention("بيسكوف"), mention("ديمتري بيسكوف"),
          mention("دميتري بيسكوف", article="a3"), mention("رودنكو"), mention("أندريه رودنكو"), mention("رودينكو")]
    g = groups(ms)
    assert len(g) == 3
    assert together(ms, "بوتين", "فلاديمير بوتين")
    assert together(ms, "بيسكوف", "ديمتري بيسكوف", "دميتري بيسكوف")
    assert together(ms, "رودنكو", "رودينكو", "أندريه رودنكو")


def test_ambiguous_short_form_joins_no_one_and_makes_no_entity() -> None:
    ms = [mention("فلاديمير بوتين"), mention("فلاديمير جيرينوفسكي"), mention("فلاديمير"),
          mention("كيم جونغ أون"), mention("كيم جونغ إيل"), mention("كيم")]
    ents, out = unify(ms)
    # «كيم» between two Kims, «فلاديمير» between two Vladimirs: no one in particular, so no entity of its own
    # either (an entity «كيم» or «محمد» would be one entity of many people)
    assert sorted(e.name for e in ents) == sorted(["فلاديمير بوتين", "فلاديمير جيرينوفسكي", "كيم جونغ أون",
                                                   "كيم جونغ إيل"])
    assert [m.entity_id for m in out if m.text in ("فلاديمير", "كيم")] == [None, None]
    # «فلاديمير» is not spelt as Zelensky's «فولوديمير»: beside Putin and Zelensky it is Putin's, and the two
    # men stay apart
    ms = [mention("فلاديمير بوتين"), mention("فولوديمير زيلينسكي"), mention("فلاديمير")]
    assert together(ms, "فلاديمير", "فلاديمير بوتين")
    assert not together(ms, "فلاديمير بوتين", "فولوديمير زيلينسكي")
    # one longer name only: the short form joins it, as before
    assert together([mention("كيم جونغ أون"), mention("كيم")], "كيم", "كيم جونغ أون")
    # a longer name that only adds a tagging slip to the other candidate leaves it the one candidate
    slip = [mention("رأفت الميهي", article="a1"), mention("والسيناريست السينمائي المصري رأفت الميهي", article="a2"),
            mention("الميهي", article="a3")]
    assert next(m for m in unify(slip)[1] if m.text == "الميهي").entity_id is not None
    # no longer name at all (a surname, a player known by one name): an entity of its own
    assert [e.name for e in unify([mention("مونتاري"), mention("مونتاري")])[0]] == ["مونتاري"]
    # With stories as context, the short form joins the one candidate of its own story.
    ms2 = [mention("كيم جونغ أون", article="s1a"), mention("كيم", article="s1b"),
           mention("كيم جونغ إيل", article="s2a")]
    ctx = {"s1a": "story1", "s1b": "story1", "s2a": "story2"}
    assert together(ms2, "كيم", "كيم جونغ أون", context=ctx)
    assert not together(ms2, "كيم جونغ أون", "كيم جونغ إيل", context=ctx)


def test_short_form_follows_the_name_its_articles_introduce() -> None:
    # Summed over the batch, كيم جونغ أون (4) is not named three times as often as his father (3); but each
    # article that writes «كيم» alone names the son far more than anyone else, so there «كيم» is the son.
    ms = [*(mention("كيم جونغ أون", article="a1") for _ in range(3)), mention("كيم جونغ إيل", article="a1"),
          *(mention("كيم", article="a1") for _ in range(4)),
          mention("كيم جونغ أون", article="a2"), mention("كيم", article="a2"), mention("كيم", article="a2"),
          mention("كيم جونغ إيل", article="a3"), mention("كيم جونغ إيل", article="a3")]
    assert together(ms, "كيم", "كيم جونغ أون")
    assert not together(ms, "كيم", "كيم جونغ إيل")
    assert len(groups(ms)) == 2


def test_short_form_without_a_clear_vote_stays_alone() -> None:
    # One article names both Kims as often: no vote; the story's counts do not decide either.
    ms = [mention("كيم جونغ أون"), mention("كيم جونغ أون"), mention("كيم جونغ إيل"), mention("كيم جونغ إيل"),
          mention("كيم"), mention("كيم")]
    ents, out = unify(ms)
    assert len(ents) == 2 and [m.entity_id for m in out if m.text == "كيم"] == [None, None]  # no one's «كيم»
    # Each article's «كيم» is the Kim that article names: two people, never one entity.
    ms2 = [mention("كيم جونغ أون", article="a1"), mention("كيم جونغ أون", article="a1"), mention("كيم", article="a1"),
           mention("كيم جونغ إيل", article="a2"), mention("كيم", article="a2"), mention("كيم", article="a3"),
           mention("كيم جونغ إيل", article="a4")]
    ents, out = unify(ms2)
    by_id = {e.id: e for e in ents}
    assert [by_id[m.entity_id].name if m.entity_id else None for m in out] == [
        "كيم جونغ أون", "كيم جونغ أون", "كيم جونغ أون", "كيم جونغ إيل", "كيم جونغ إيل", None, "كيم جونغ إيل"]
    # An article that only writes the short name gives no vote: the story's counts decide, as before.
    ms3 = [*(mention("فلاديمير بوتين", article="a1") for _ in range(3)), mention("بوتين", article="a2")]
    assert together(ms3, "بوتين", "فلاديمير بوتين")


def test_short_form_resolution_stays_in_its_article() -> None:
    # «الغامدي» of an article about علي بن محمد الغامدي is he; of another article, which names no full
    # الغامدي, it is not (a tribal name many people share).
    ms = [mention("علي بن محمد الغامدي", article="a1"), mention("الغامدي", article="a1"),
          mention("علي بن محمد الغامدي", article="a1"), mention("الغامدي", article="a2"),
          mention("الغامدي", article="a3"), mention("سعيد الغامدي", article="a4"), mention("الغامدي", article="a4"),
          mention("سعيد الغامدي", article="a5")]
    ents, out = unify(ms)
    by_id = {e.id: e for e in ents}
    # (those of a2 and a3 name no one in particular: no entity, not one «الغامدي» of many people)
    assert [by_id[m.entity_id].name if m.entity_id else None for m in out] == [
        "علي بن محمد الغامدي", "علي بن محمد الغامدي", "علي بن محمد الغامدي", None, None,
        "سعيد الغامدي", "سعيد الغامدي", "سعيد الغامدي"]
    # A longer name the batch writes once is no referent (one «عبدالله بن خميس» in an article that writes
    # «طريق الملك عبدالله» three times).
    ms3 = [mention("عبدالله بن خميس"), *(mention("عبدالله") for _ in range(3)),
           mention("عبدالله بن عبدالعزيز", article="a2")]
    ents3, out3 = unify(ms3)
    assert len(ents3) == 2 and [m.entity_id for m in out3 if m.text == "عبدالله"] == [None] * 3
    # A tagging slip next to the one full name (كيم ستنتهك، "Kim will violate") does not block it: of the
    # article's longer names the batch names كيم جونغ أون far more often.
    ms2 = [mention("كيم جونغ أون", article="a1"), mention("كيم ستنتهك", article="a1"), mention("كيم", article="a1"),
           *(mention("كيم جونغ أون", article=f"b{i}") for i in range(4))]
    assert together(ms2, "كيم", "كيم جونغ أون")
    assert not together(ms2, "كيم ستنتهك", "كيم جونغ أون")


def test_short_form_resolves_to_a_stored_entity() -> None:
    # A new article names كيم جونغ أون and his father once each and «كيم» three times; the store has the son
    # with 10 mentions and the father with 2: «كيم» joins the son's stored entity, whose id is kept.
    son = Entity(id="e-son", name="كيم جونغ أون", type="PER", variants=("كيم جونغ أون",), mentions=10,
                 key=name_key("كيم جونغ أون"))
    father = Entity(id="e-father", name="كيم جونغ إيل", type="PER", variants=("كيم جونغ إيل",), mentions=2,
                    key=name_key("كيم جونغ إيل"))
    ms = [mention("كيم جونغ أون", article="new"), *(mention("كيم", article="new") for _ in range(3)),
          mention("كيم جونغ إيل", article="new")]
    _, out = unify(ms, previous=[son, father])
    assert [m.entity_id for m in out] == ["e-son"] * 4 + ["e-father"]


def test_skeleton_match_needs_letters_beyond_the_article() -> None:
    # السويد (Sweden) and الأسد (al-Assad) share the skeleton السد: only two letters after ال.
    assert not same_name(name_key("السويد"), name_key("الأسد"))
    assert len(groups([mention("السويد", "LOC"), mention("الأسد", "PER")])) == 2


def test_cities_and_countries_are_places_whatever_the_tagger_says() -> None:
    # The tagger reads بيونغ يانغ as a Korean person's name; CLDR knows the city (babel's time-zone cities).
    ents, out = unify([mention("بيونغ يانغ", "PER"), mention("بيونج يانج", "PER"), mention("بيونغ يانغ", "LOC")])
    assert [e.type for e in ents] == ["LOC"] and {m.type for m in out} == {"LOC"}
    assert unify([mention("فلاديفوستك", "MISC")])[0][0].type == "LOC"
    # An organisation named by its capital stays one (metonymy), and so does a first name that is also a
    # short city name in CLDR (جوني، ماهي are left out of the place list).
    assert unify([mention("موسكو", "ORG")])[0][0].type == "ORG"
    assert unify([mention("جوني", "PER")])[0][0].type == "PER"
    assert unify([mention("فلاديمير بوتين", "PER")])[0][0].type == "PER"


def test_short_place_names_do_not_join() -> None:
    ms = [mention("كوريا الشمالية", "LOC"), mention("كوريا", "LOC")]
    assert len(groups(ms)) == 2


def test_ids_are_stable_and_previous_ids_are_kept() -> None:
    ms = [mention("كيم جونغ أون"), mention("كيم جونج أون", article="a2")]
    ents1, out1 = unify(ms)
    ents2, _ = unify(list(reversed(ms)))
    assert ents1[0].id == ents2[0].id
    assert ents1[0].id.startswith("e-")
    assert ents1[0].mentions == 2
    assert set(ents1[0].variants) == {"كيم جونغ أون", "كيم جونج أون"}
    assert all(m.entity_id == ents1[0].id for m in out1)
    old = Entity(id="e-old", name="كيم جونغ اون", type="PER", variants=("كيم جونغ اون",), mentions=5,
                 key=name_key("كيم جونغ اون"))
    ents3, out3 = unify([mention("كيم جون أون", article="z")], previous=[old])
    assert ents3[0].id == "e-old"
    assert out3[0].entity_id == "e-old"
    assert ents3[0].mentions == 6


def test_display_name_is_most_complete_spelling() -> None:
    ms = [mention("بيسكوف"), mention("بيسكوف"), mention("ديمتري بيسكوف")]
    ents, _ = unify(ms)
    assert ents[0].name == "ديمتري بيسكوف"
    assert ents[0].mentions == 3


def test_key_ignores_harakat_tatweel_persian_letters() -> None:
    assert name_key("بُوتِين") == name_key("بوتـــين") == name_key("بوتین")
    assert name_key("«موسكو»") == name_key("موسكو")


def test_article_entity_keys() -> None:
    ms = [mention("بوتين", article="x"), mention("بوتين", article="x"), mention("موسكو", "LOC", article="y")]
    keys = entities.article_entity_keys(ms)
    assert keys["x"][f"PER:{name_key('بوتين')}"] == 2
    assert set(keys) == {"x", "y"}


# ------------------------------------------------------------------ with the committed tagger


def article(text: str, aid: str = "a") -> Article:
    return Article(id=aid, doc_id="d", index=0, source="s", title=None, paragraphs=tuple(text.split("\n\n")))


def typed(text: str, name: str) -> str | None:
    """The type of the mention ``name`` in an article of ``text`` (None: no such mention)."""
    return next((m.type for m in entities.extract_mentions(article(text)) if m.text == name), None)


def test_extract_mentions_offsets_and_clitics() -> None:
    text = ("اختتم الزعيم الكوري الشمالي كيم جونغ أون الأحد زيارة إلى روسيا التقى خلالها بالرئيس فلاديمير بوتين.\n\n"
            "وقال المتحدث باسم الكرملين ديمتري بيسكوف إن وبوتين ناقش مع ضيفه الوضع في أوكرانيا، "
            "وأكد أن لبوتين علاقات قوية مع بيونغ يانغ.")
    art = article(text)
    ms = entities.extract_mentions(art)
    texts = [m.text for m in ms]
    assert "كيم جونغ أون" in texts
    assert "فلاديمير بوتين" in texts
    assert "ديمتري بيسكوف" in texts
    for m in ms:
        assert art.text[m.start:m.end].endswith(m.text.split()[-1])
        assert not m.text.startswith(("وبوتين", "لبوتين"))
    assert any(m.text == "بوتين" and m.type == "PER" for m in ms)
    assert {m.type for m in ms if m.text in ("روسيا", "أوكرانيا")} <= {"LOC"}


def test_strip_clitics() -> None:
    tg = ner.load_tagger()
    assert tg.strip_clitics("وبوتين") == "بوتين"
    assert tg.strip_clitics("لبوتين") == "بوتين"
    assert tg.strip_clitics("بوتين") == "بوتين"
    assert tg.strip_clitics("لندن") == "لندن"
    assert tg.strip_clitics("والسعودية") == "السعودية"
    assert tg.strip_clitics("للأمم") == "الأمم"


def _seed_articles() -> list[Article]:
    arts = []
    for path in sorted(SEEDS.glob("*.txt")):
        paras = [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 40]
        arts.append(Article(id=path.stem, doc_id=path.stem, index=0, source=str(path), title=None,
                            paragraphs=tuple(paras)))
    return arts


@pytest.mark.skipif(not SEEDS.exists(), reason="sample corpus absent")
def _one_inner_clitic(a: str, b: str) -> bool:
    """Two keys that differ by a clitic letter at the start of one later word of ``a`` (كيم جونغ لأيل)."""
    wa, wb = a.split(), b.split()
    diff = [(x, y) for x, y in zip(wa, wb, strict=False) if x != y]
    return (len(wa) == len(wb) and len(diff) == 1 and wa[0] == wb[0]
            and diff[0][0][:1] in "وفبل" and diff[0][0][1:] == diff[0][1])


def test_sample_corpus_unification() -> None:
    """Every spelling of the same person or place in the samples maps to one entity; no wrong merge."""
    ms = [m for art in _seed_articles() for m in entities.extract_mentions(art)]
    ents, out = unify(ms)
    by_id = {e.id: e for e in ents}

    def entity_of(*spellings: str) -> set[str]:
        keys = {name_key(s) for s in spellings}
        return {m.entity_id for m in out if name_key(m.text) in keys and m.entity_id}

    corpus = "\n".join(a.text for a in _seed_articles())
    for spellings in (
        ("كيم جونغ أون", "كيم جونج أون", "كيم جون أون", "كيم جونج اون"),
        ("بيونغ يانغ", "بيونج يانج", "بيونج يونج", "بوينغ يانغ"),
        ("فوستوتشني", "فوستوشني"),
        ("بيسكوف", "ديمتري بيسكوف", "دميتري بيسكوف"),
        ("رودنكو", "رودينكو", "أندريه رودنكو", "أندريه رودينكو"),
        ("بوتين", "فلاديمير بوتين"),
        ("زيلينسكي", "فولوديمير زيلينسكي"),
        # a country by its official names and its adjective
        ("كوريا الشمالية", "كوريا الديمقراطية", "كوريا الشعبية الديمقراطية", "جمهورية كوريا الشعبية الديمقراطية",
         "جمهورية كوريا الديمقراطية الشعبية", "الكورية الشمالية"),
        ("روسيا", "الاتحاد الروسي", "روسيا الاتحادية"),
        ("بريطانيا", "المملكة المتحدة"),
        ("كيم جونغ إيل", "كيم جونغ لأيل"),  # a clitic typed inside the name (page 001)
    ):
        found = entity_of(*spellings)
        assert len(found) <= 1, (spellings, [by_id[i].variants for i in found])
        # Spellings written on their own somewhere (not only inside a longer listed spelling).
        written = [s for s in spellings
                   if corpus.count(s) > sum(corpus.count(t) for t in spellings if t != s and s in t)]
        if len(written) > 1:  # several spellings in the samples: all found, all in one entity
            assert found, spellings
            assert {name_key(s) for s in written} <= {name_key(v) for v in by_id[next(iter(found))].variants}
    # The short «كيم» is the Kim Jong Un the articles introduce, and Pyongyang is a place.
    kim = entity_of("كيم جونغ أون")
    assert kim and kim == entity_of("كيم")
    assert {by_id[i].type for i in entity_of("بيونغ يانغ", "بيونج يانج")} == {"LOC"}
    # No wrong merge: these never share an entity.
    for a, b in (("كيم جونغ أون", "كيم جونغ إيل"), ("فلاديمير بوتين", "فولوديمير زيلينسكي"),
                 ("كوريا الشمالية", "كوريا الجنوبية"), ("روسيا", "أوكرانيا")):
        ea, eb = entity_of(a), entity_of(b)
        assert not (ea & eb), (a, b)
    for e in ents:
        keys = {name_key(v) for v in e.variants if entities._country_key(v, name_key(v), e.type) is None}
        if len(keys) > 1:  # a merged entity: every pair of full names must be spellings of one name
            longest = max(keys, key=lambda k: len(k.split()))
            for k in keys:
                if len(k.split()) == len(longest.split()):
                    assert (same_name(k, longest) or entities._same_model(k, longest)
                            or _one_inner_clitic(k, longest) or _one_inner_clitic(longest, k)), e.variants


def test_missed_clitic_joins_the_bare_name() -> None:
    ms = [mention("وزيلينسكي", article="a"), mention("زيلينسكي", article="b"), mention("زيلينسكي", article="c")]
    ents, out = unify(ms)
    assert len(ents) == 1
    assert ents[0].variants == ("زيلينسكي",)
    assert out[0].text == "زيلينسكي" and out[0].start == ms[0].start + 1
    # A word whose first letter is not a clitic is left alone: لبنان is named more often than بنان.
    ms2 = [mention("لبنان", "LOC"), mention("لبنان", "LOC"), mention("لبنان", "LOC"), mention("بنان")]
    assert len(groups(ms2)) == 2


def test_name_with_and_without_the_article_is_one_entity_except_for_people() -> None:
    """الدولار / دولار, الفيفا / فيفا are one; حسن / الحسن (two first names) stay apart."""
    ms = [mention("الدولار", "MISC"), mention("دولار", "MISC"), mention("الفيفا", "ORG"), mention("فيفا", "ORG"),
          mention("حسن", "PER", "a2"), mention("الحسن", "PER", "a3")]
    assert together(ms, "الدولار", "دولار")
    assert together(ms, "الفيفا", "فيفا")
    assert not together(ms, "حسن", "الحسن")
    assert not together([mention("الهلال", "ORG"), mention("هلال", "PER")], "الهلال", "هلال")  # types differ


def test_several_word_short_form_joins_the_full_name_of_its_article() -> None:
    """«نصر الله» in an article that names حسن نصر الله is him; «منصور هادي» is عبد ربه منصور هادي."""
    ms = [mention("حسن نصر الله", article="n1"), mention("نصر الله", article="n1"), mention("نصر الله", article="n1"),
          mention("حسن نصر الله", article="n2"),
          mention("عبد ربه منصور هادي", article="h1"), mention("منصور هادي", article="h1"),
          mention("عبد ربه منصور هادي", article="h2")]
    assert together(ms, "حسن نصر الله", "نصر الله")
    assert together(ms, "عبد ربه منصور هادي", "منصور هادي")


def test_the_end_of_a_lineage_is_the_father_not_the_son() -> None:
    """خالد بن عبدالعزيز is the father in فيصل بن خالد بن عبدالعزيز; آل سعود is the family; a prefix of the
    lineage (فيصل بن خالد) is the son himself."""
    ms = [mention("فيصل بن خالد بن عبدالعزيز", article="f1"), mention("خالد بن عبدالعزيز", article="f1"),
          mention("فيصل بن خالد", article="f1"), mention("فيصل بن خالد بن عبدالعزيز", article="f2"),
          mention("سلمان بن عبدالعزيز آل سعود", article="s1"), mention("آل سعود", article="s1"),
          mention("سلمان بن عبدالعزيز آل سعود", article="s2"), mention("بن عبدالعزيز", article="s1")]
    assert not together(ms, "فيصل بن خالد بن عبدالعزيز", "خالد بن عبدالعزيز")
    assert together(ms, "فيصل بن خالد بن عبدالعزيز", "فيصل بن خالد")
    assert not together(ms, "سلمان بن عبدالعزيز آل سعود", "آل سعود")
    assert not together(ms, "سلمان بن عبدالعزيز آل سعود", "بن عبدالعزيز")


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("محمد بن نايف بن عبدالعزيز ولي العهد", "محمد بن نايف بن عبدالعزيز"),
        ("الأمير محمد بن سلمان ولي ولي العهد", "محمد بن سلمان"),
        ("الملك سلمان", "الملك سلمان"),  # «سلمان» alone could be any Salman
        ("عبد اللطيف آل الشيخ", "عبد اللطيف آل الشيخ"),
        ("إسماعيل ولد الشيخ", "إسماعيل ولد الشيخ"),
        ("عبد الملك", "عبد الملك"),
        ("ولي العهد", None),
    ],
)
def test_titles_and_offices_are_not_part_of_a_name(span: str, expected: str | None) -> None:
    tagger = ner.load_tagger()
    toks = ner.tokenize(span)
    got = entities._mention("a", span, toks, "PER", tagger)
    assert (got.text if got else None) == expected


def test_a_person_and_a_place_spelt_alike_stay_apart() -> None:
    ms = [mention("كارتر", "PER", "a1"), mention("كارتر", "PER", "a2"),
          mention("كريتر", "LOC", "a3"), mention("كريتر", "LOC", "a4"), mention("كريتر", "LOC", "a5")]
    assert not together(ms, "كارتر", "كريتر")
    ms = [mention("فرانسوا", "PER", "a1"), mention("فرنسا", "LOC", "a2"), mention("فرنسا", "LOC", "a3")]
    assert not together(ms, "فرانسوا", "فرنسا")  # one word: a CLDR place does not make François France
    # ... unless CLDR knows the place: the tagger reads a spelling of Pyongyang as a person's name
    ms = [mention("بيونج يونج", "PER", "a1"), mention("بيونغ يانغ", "LOC", "a2"), mention("بيونغ يانغ", "LOC", "a3")]
    assert together(ms, "بيونج يونج", "بيونغ يانغ")


def test_official_country_names_are_one_mention_and_one_entity() -> None:
    text = ("وقع الرئيس الروسي اتفاقية بين الاتحاد الروسي وجمهورية كوريا الشعبية الديمقراطية في موسكو.\n\n"
            "وقال إن بلاده تدعم كوريا الديمقراطية، وإن للجمهورية الإسلامية الإيرانية دوراً، "
            "فيما عبرت كوريا الشمالية عن شكرها.")
    art = article(text)
    ms = entities.extract_mentions(art)
    texts = [m.text for m in ms]
    assert "جمهورية كوريا الشعبية الديمقراطية" in texts
    assert "الجمهورية الإسلامية الإيرانية" in texts  # للجمهورية: ل + ال
    for m in ms:
        if m.text.startswith("جمهورية"):
            assert art.text[m.start:m.end] == m.text  # the و is left out
        elif m.text.startswith("الجمهورية"):
            assert art.text[m.start:m.end] == m.text[1:]  # لل: the mention starts at the article's second ل
    ents, out = unify(ms)
    korea = {m.entity_id for m in out if "كوريا" in m.text}
    assert len(korea) == 1
    ent = next(e for e in ents if e.id in korea)
    assert ent.name == "كوريا الشمالية" and ent.type == "LOC"
    assert {"جمهورية كوريا الشعبية الديمقراطية", "كوريا الديمقراطية"} <= set(ent.variants)


def test_country_adjective_places_join_the_country_shown_by_its_common_name() -> None:
    ms = [mention("الكورية الشمالية", "LOC", "a1"), mention("كوريا الديمقراطية", "LOC", "a2")]
    ents, _ = unify(ms)
    assert [(e.name, e.mentions) for e in ents] == [("كوريا الشمالية", 2)]
    # an adjective the tagger calls a person or an organisation is no country; nor is an ambiguous long name
    ms = [mention("روسيا", "LOC", "a1"), mention("الروسي", "ORG", "a2"), mention("الاتحاد الروسي", "ORG", "a3")]
    assert not together(ms, "روسيا", "الروسي") and not together(ms, "روسيا", "الاتحاد الروسي")
    ms = [mention("روسيا", "LOC", "a1"), mention("الروسية", "LOC", "a2"), mention("الاتحاد الروسي", "LOC", "a3")]
    assert together(ms, "روسيا", "الروسية", "الاتحاد الروسي")
    # the ids stay: an entity stored before joins by its key
    first, _ = unify([mention("المملكة العربية السعودية", "LOC", "a1")])
    assert first[0].name == "السعودية"
    again, _ = unify([mention("السعودية", "LOC", "a2")], previous=first)
    assert [e.id for e in again] == [first[0].id]


def _span(text: str) -> list[tuple[int, int, str]]:
    return ner.tokenize(text)


def test_mention_drops_particles_with_hamza_and_weekdays() -> None:
    tg = ner.load_tagger()
    got = entities._mention("a", "بأن بوتين", _span("بأن بوتين"), "PER", tg)
    assert got is not None and got.text == "بوتين" and got.start == 4
    got = entities._mention("a", "الكرملين الخميس", _span("الكرملين الخميس"), "ORG", tg)
    assert got is not None and got.text == "الكرملين"
    got = entities._mention("a", "السويس الجديدة يوم", _span("السويس الجديدة يوم"), "ORG", tg)
    assert got is not None and got.text == "السويس الجديدة"  # «… يوم الخميس»: the day before the weekday
    got = entities._mention("a", "إن كيه نيوز", _span("إن كيه نيوز"), "ORG", tg)  # إن is the letter N here
    assert got is not None and got.text == "إن كيه نيوز"
    got = entities._mention("a", "سوق الخميس", _span("سوق الخميس"), "LOC", tg)  # a place keeps its weekday
    assert got is not None and got.text == "سوق الخميس"
    for particle in ("على", "بأن", "وعلى"):  # a particle alone is no name («على» would be the name علي)
        assert entities._mention("a", particle, _span(particle), "PER", tg) is None
    got = entities._mention("a", "علي", _span("علي"), "PER", tg)
    assert got is not None and got.text == "علي"
    assert entities._mention("a", "الله", _span("الله"), "MISC", tg) is None  # حفظه الله
    assert entities._mention("a", "بي", _span("بي"), "ORG", tg) is None  # a letter of بي بي سي
    got = entities._mention("a", "بي بي سي", _span("بي بي سي"), "ORG", tg)
    assert got is not None and got.text == "بي بي سي"
    got = entities._mention("a", "عبدالله بن", _span("عبدالله بن"), "PER", tg)  # cut at a line's end
    assert got is not None and got.text == "عبدالله"
    got = entities._mention("a", "حزب الله", _span("حزب الله"), "ORG", tg)
    assert got is not None and got.text == "حزب الله"


def test_coordination_keeps_country_names_of_two_parts() -> None:
    tg = ner.load_tagger()
    assert len(entities._split_coordination(_span("البوسنة والهرسك"), tg)) == 1
    assert len(entities._split_coordination(_span("ترينيداد وتوباغو"), tg)) == 1
    assert [len(p) for p in entities._split_coordination(_span("إيطاليا وفرنسا"), tg)] == [1, 1]
    assert [len(p) for p in entities._split_coordination(_span("بوتين وكيم"), tg)] == [1, 1]


def test_a_verb_glued_to_a_name_the_article_gives_alone_is_cut_off() -> None:
    tg = ner.load_tagger()
    text = "كيم جونغ أون في موسكو. وقال كيم إن الزيارة مهمة. كيم ستنتهك العقوبات. محمد النحيت ومحمد حضرا."
    def at(name: str, typ: str = "PER") -> EntityMention:
        start = text.index(name)
        return EntityMention(article_id="a", start=start, end=start + len(name), text=name,
                             type=typ)  # type: ignore[arg-type]
    ms = [at("كيم جونغ أون"), at("كيم"), at("كيم ستنتهك"), at("محمد النحيت"), at("محمد", "PER")]
    ms[1] = replace(ms[1], start=text.index("كيم إن"), end=text.index("كيم إن") + 3)
    ms[4] = replace(ms[4], start=text.index("ومحمد") + 1, end=text.index("ومحمد") + 5)
    out = entities._trim_unknown_words(ms, text, tg)
    assert out[2].text == "كيم" and text[out[2].start : out[2].end] == "كيم"
    assert out[3].text == "محمد النحيت"  # an unknown surname is no verb
    assert [m.text for m in out[:2]] == ["كيم جونغ أون", "كيم"]


def _mentions_at(text: str, *found: tuple[str, str, int]) -> list[EntityMention]:
    """Mentions of ``text`` from (name, type, which occurrence) triples."""
    out = []
    for name, typ, nth in found:
        start = -1
        for _ in range(nth + 1):
            start = text.index(name, start + 1)
        out.append(EntityMention(article_id="a", start=start, end=start + len(name), text=name,
                                 type=typ))  # type: ignore[arg-type]
    return out


def test_a_future_verb_or_an_adjective_after_a_surname_is_cut_off() -> None:
    tg = ner.load_tagger()
    text = "قال دونالد ترامب إن ترامب سيرى النتائج، ويشبه أسلوب فلاديمير بوتين أسلوب بوتين الكلاسيكي."
    ms = _mentions_at(text, ("دونالد ترامب", "PER", 0), ("ترامب سيرى", "PER", 0),
                      ("فلاديمير بوتين", "PER", 0), ("بوتين الكلاسيكي", "PER", 0))
    out = entities._trim_unknown_words(ms, text, tg)
    assert [m.text for m in out] == ["دونالد ترامب", "ترامب", "فلاديمير بوتين", "بوتين"]
    assert all(text[m.start : m.end] == m.text for m in out)
    # a Saudi surname after a first name is no adjective to cut: محمد begins many known names
    text = "حضر محمد القحطاني، وقال القحطاني إن محمد القحطاني حضر."
    ms = _mentions_at(text, ("محمد القحطاني", "PER", 0), ("القحطاني", "PER", 0), ("محمد القحطاني", "PER", 1))
    assert [m.text for m in entities._trim_unknown_words(ms, text, tg)] == ["محمد القحطاني", "القحطاني",
                                                                        "محمد القحطاني"]


def test_a_place_glued_to_a_name_becomes_its_own_mention() -> None:
    tg = ner.load_tagger()
    text = "التقى فيكتور أوربان بوتين، ثم زار أوربان موسكو، واتهم البنتاغون موسكو بالتصعيد."
    ms = _mentions_at(text, ("فيكتور أوربان", "PER", 0), ("بوتين", "PER", 0), ("أوربان موسكو", "ORG", 0),
                      ("البنتاغون موسكو", "ORG", 0))
    out = entities._trim_unknown_words(ms, text, tg)
    assert [(m.text, m.type) for m in out] == [("فيكتور أوربان", "PER"), ("بوتين", "PER"), ("أوربان", "PER"),
                                               ("موسكو", "LOC"), ("البنتاغون", "ORG"), ("موسكو", "LOC")]
    assert all(text[m.start : m.end] == m.text for m in out)
    # a family name that is also a place's name, and a first name before it: one person
    text = "قال سالم المري إن سالم حضر، وقال منير الحدادي."
    ms = _mentions_at(text, ("سالم المري", "PER", 0), ("سالم", "PER", 1), ("منير الحدادي", "PER", 0))
    assert [m.text for m in entities._trim_unknown_words(ms, text, tg)] == ["سالم المري", "سالم", "منير الحدادي"]


def test_a_country_adjective_after_a_rare_name_is_the_same_organisation() -> None:
    tg = ner.load_tagger()
    text = "نقلت وكالة تاس الروسية عن تاس، وقال البنك المركزي الإيراني إن البنك المركزي رفع الفائدة."
    ms = _mentions_at(text, ("تاس الروسية", "ORG", 0), ("تاس", "ORG", 1), ("البنك المركزي الإيراني", "ORG", 0),
                      ("البنك المركزي", "ORG", 1))
    out = entities._trim_unknown_words(ms, text, tg)
    assert [m.text for m in out] == ["تاس", "تاس", "البنك المركزي الإيراني", "البنك المركزي"]
    # across articles: the adjective's form joins the plain name, which is what it is called
    ents, got = unify([mention("تاس الروسية", "ORG", "a1"), mention("تاس", "ORG", "a2"),
                       mention("الجيش السوري", "ORG", "a3"), mention("الجيش اليمني", "ORG", "a4"),
                       mention("الجيش", "ORG", "a5")])
    by_text = {m.text: m.entity_id for m in got}
    assert by_text["تاس الروسية"] == by_text["تاس"]
    assert next(e for e in ents if e.id == by_text["تاس"]).name == "تاس"
    assert len({by_text["الجيش السوري"], by_text["الجيش اليمني"], by_text["الجيش"]}) == 3


def test_a_batch_that_joins_two_stored_entities_names_the_one_it_absorbs() -> None:
    # stored by an older marsad, before official names joined the country
    long = Entity(id="e-old-long", name="المملكة العربية السعودية", type="LOC",
                  variants=("المملكة العربية السعودية",), mentions=3, key=name_key("المملكة العربية السعودية"))
    short = Entity(id="e-old-short", name="السعودية", type="LOC", variants=("السعودية",), mentions=5,
                   key=name_key("السعودية"))
    ents, out = unify([mention("السعودية", "LOC", "a9")], previous=[short, long])
    assert len(ents) == 1
    assert ents[0].id == "e-old-short" and ents[0].merged == ("e-old-long",)
    assert ents[0].mentions == 9 and out[0].entity_id == "e-old-short"
    ents, _ = unify([mention("السعودية", "LOC", "a9")], previous=[short])
    assert ents[0].merged == ()


def test_two_places_whose_names_look_alike_stay_two() -> None:
    ms = [mention("كينيا", "LOC", "a1"), mention("غينيا", "LOC", "a2"), mention("كينيا", "LOC", "a3"),
          mention("أنغولا", "LOC", "a4"), mention("أنغويلا", "LOC", "a5")]
    ents, _ = unify(ms)
    assert sorted(e.name for e in ents) == sorted(["كينيا", "غينيا", "أنغولا", "أنغويلا"])
    assert len({e.id for e in ents}) == 4
    # stored before, with the shared key: each keeps its own entity
    kenya = next(e for e in ents if e.name == "كينيا")
    old = replace(kenya, key=name_key("كينيا"))
    again, _ = unify([mention("غينيا", "LOC", "a6"), mention("كينيا", "LOC", "a7")], previous=[old])
    assert {e.name: e.id == kenya.id for e in again} == {"كينيا": True, "غينيا": False}


def test_a_clitic_typed_inside_a_name_joins_the_name_without_it() -> None:
    # sample page 001: «وحيث ولد كيم جونغ لأيل» is كيم جونغ إيل, whom the batch names twice
    ms = [mention("كيم جونغ إيل", article="a1"), mention("كيم جونغ لأيل", article="a2"),
          mention("كيم جونغ إيل", article="a3")]
    assert together(ms, "كيم جونغ إيل", "كيم جونغ لأيل")
    ents, _ = unify(ms)
    assert [e.name for e in ents] == ["كيم جونغ إيل"]
    # named once only, or as often as the clitic spelling, it is no evidence; nor is a name of another type
    assert not together(ms[:2], "كيم جونغ إيل", "كيم جونغ لأيل")
    assert not together([mention("كيم جونغ إيل", "LOC", "a1"), mention("كيم جونغ إيل", "LOC", "a3"),
                         mention("كيم جونغ لأيل", article="a2")], "كيم جونغ إيل", "كيم جونغ لأيل")


def test_a_country_or_city_is_not_a_word_with_its_consonants_and_other_vowels() -> None:
    # on 2015-07-21: «ملعب الجوهرة» (the Jeddah stadium) had joined القاهرة, the Greek «ترويكا» تركيا,
    # «أنغيلا» (Merkel's first name, tagged a place) أنغولا, «قريشي» كراتشي
    for place, other in (("القاهرة", "الجوهرة"), ("تركيا", "ترويكا"), ("أنغولا", "أنغيلا"), ("كراتشي", "قريشي")):
        ms = [mention(place, "LOC", "a1"), mention(place, "LOC", "a2"), mention(other, "LOC", "a3")]
        assert not together(ms, place, other), (place, other)
    # a long vowel left out, added or moved is still the place
    for place, other in (("بوروندي", "بورندي"), ("أرمينيا", "أرمنيا"), ("الدنمارك", "الدانمرك"),
                         ("سريلانكا", "سيرلانكا"), ("كولومبيا", "كولومبا")):
        ms = [mention(place, "LOC", "a1"), mention(place, "LOC", "a2"), mention(other, "LOC", "a3")]
        assert together(ms, place, other), (place, other)


def test_a_gazetteer_place_is_not_a_word_with_its_consonants_and_other_vowels() -> None:
    # on 8 dev days (2015-07-22..08-03) «الشرقية» (the Eastern Province) had joined الشارقة (Sharjah),
    # «الرصيفة» الرصافة, «بارما» (Parma) بورما, «الإسلامية» السالمية: places of the NER gazetteer, not CLDR's
    for place, other in (("الشارقة", "الشرقية"), ("الرصافة", "الرصيفة"), ("بورما", "بارما"),
                         ("السالمية", "الإسلامية")):
        ms = [mention(place, "LOC", "a1"), mention(place, "LOC", "a2"), mention(other, "LOC", "a3")]
        assert not together(ms, place, other), (place, other)
    # a long vowel left out or added still joins (واشنطون, تشلسي of the same days)
    for place, other in (("واشنطن", "واشنطون"), ("تشيلسي", "تشلسي"), ("مرسيليا", "مارسيليا")):
        ms = [mention(place, "LOC", "a1"), mention(place, "LOC", "a2"), mention(other, "LOC", "a3")]
        assert together(ms, place, other), (place, other)


def test_two_arabic_names_the_g_folding_would_join_stay_two() -> None:
    # ج and ق (and ك) are one g for foreign names, but جمال and كمال, جاسم and قاسم are two Arabic names
    # (2015-07-21 had made «محمد قاسم» a spelling of «محمد جاسم»)
    for a, b in (("محمد جاسم", "محمد قاسم"), ("جمال", "كمال"), ("جمال خاشقجي", "كمال خاشقجي")):
        ms = [mention(a, "PER", "a1"), mention(a, "PER", "a2"), mention(b, "PER", "a3")]
        assert not together(ms, a, b), (a, b)
    # the short form still finds its own full name
    assert together([mention("جمال خاشقجي", article="a1"), mention("جمال خاشقجي", article="a1"),
                     mention("جمال", article="a1")], "جمال", "جمال خاشقجي")
    # a stored entity keyed before this rule is keyed again by its name
    old = Entity(id="e-old", name="محمد جاسم", type="PER", variants=("محمد جاسم", "محمد قاسم"), mentions=3,
                 key=name_key("محمد جاسم"))
    again, _ = unify([mention("محمد جاسم", article="n1"), mention("محمد قاسم", article="n2")], previous=[old])
    assert {e.name: e.id == "e-old" for e in again} == {"محمد جاسم": True, "محمد قاسم": False}


def test_names_with_different_numbers_stay_apart() -> None:
    # the key folds doubled letters (محمّد، الحجّاج), not digits: «مونديال 2002» had joined «مونديال 2022»
    ms = [mention("مونديال 2022", "MISC", "a1"), mention("مونديال 2022", "MISC", "a2"),
          mention("مونديال 2002", "MISC", "a3")]
    assert not together(ms, "مونديال 2022", "مونديال 2002")
    old = Entity(id="e-old", name="مونديال 2022", type="MISC", variants=("مونديال 2022",), mentions=2,
                 key="مونديال 202")  # as an older marsad keyed it
    again, _ = unify([mention("مونديال 2022", "MISC", "n1")], previous=[old])
    assert [e.id for e in again] == ["e-old"]


def test_a_word_before_a_name_that_says_what_it_names_gives_its_type() -> None:
    # sample page 003: «بسبب الإعصار ميلتون» was a person, «صواريخ (باتريوت)» an organisation, «مقاطعة
    # أويجو» a person
    assert typed("وأرجأ الرئيس الأميركي جو بايدن زيارته إلى ألمانيا بسبب الإعصار ميلتون.", "ميلتون") == "MISC"
    assert typed("وطالب بتسليم المزيد من صواريخ (باتريوت) والذخائر إلى أوكرانيا.", "باتريوت") == "MISC"
    assert typed("وغمرت الأمطار الغزيرة مدينة سينوجيو ومقاطعة أويجو المتاخمة للصين.", "أويجو") == "LOC"
    # the head types only what follows it at once; a place after «قرية» stays a place, a person elsewhere a person
    assert entities._typed_by_head([(0, 4, "قرية"), (5, 9, "كوش")], (1, 2, "LOC"), ner.load_tagger()) == (1, 2, "LOC")
    assert entities._typed_by_head([(0, 4, "قرية"), (5, 9, "كوش")], (1, 2, "PER"), ner.load_tagger()) == (1, 2, "LOC")
    sent = [(0, 5, "صواريخ"), (6, 7, "("), (7, 14, "باتريوت"), (14, 15, ")")]
    assert entities._typed_by_head(sent, (2, 3, "ORG"), ner.load_tagger()) == (2, 3, "MISC")
    assert entities._typed_by_head([(0, 5, "منظومة"), (6, 12, "البريكس")], (1, 2, "ORG"),
                                   ner.load_tagger()) == (1, 2, "ORG")
    assert entities._typed_by_head([(0, 3, "قال"), (4, 9, "ميلتون")], (1, 2, "PER"),
                                   ner.load_tagger()) == (1, 2, "PER")
    # an organisation or MISC name after «مطار», «ميناء», «قاعدة» is the site (sample page 004: «قاعدة
    # “فوستوشني” الفضائية», the cosmodrome, was an organisation)
    sent = [(0, 5, "قاعدة"), (6, 7, "“"), (7, 15, "فوستوشني"), (15, 16, "”")]
    assert entities._typed_by_head(sent, (2, 3, "ORG"), ner.load_tagger()) == (2, 3, "LOC")
    assert entities._typed_by_head([(0, 4, "بمطار"), (5, 9, "فنوكوفو")], (1, 2, "MISC"),
                                   ner.load_tagger()) == (1, 2, "LOC")


def test_a_name_does_not_end_with_dhu() -> None:
    # «عز الدين ذو الفقار» cut by the tagger before «الفقار» (2015-07-21): «ذو» links a name as «أبو» does
    ms = entities.extract_mentions(article("وقال عبدالرحمن بن عثمان الزهراني ذو الخبرة الطويلة إن الموسم صعب."))
    assert not any(m.text.endswith("ذو") for m in ms), [m.text for m in ms]
    assert entities._no_name_alone("ذو", ner.load_tagger())


def test_a_geographic_common_noun_alone_is_no_name() -> None:
    # sample page 001: «سلالة بايكتو» الجبل المقدس» gave a place «الجبل»; 2015-07-21: «أزقة الحارة»
    for typ in ("LOC", "ORG"):
        toks = [(0, 5, "الجبل")]
        assert entities._mention("a", "الجبل", toks, typ, ner.load_tagger()) is None
    # a named one stays, and so do الخليج, الجزيرة, المدينة (one place each)
    for name in ("الخليج", "الجزيرة", "المدينة"):
        assert entities._mention("a", name, [(0, len(name), name)], "LOC", ner.load_tagger()) is not None
    ms = entities.extract_mentions(article("وصلت القوات إلى جبل السماق شمال محافظة إدلب."))
    assert all(m.text != "الجبل" for m in ms)


def test_a_levantine_month_beside_its_gregorian_name_is_no_company() -> None:
    # 2015-07-21: 71 of 78 «نيسان» (an organisation) were the month: «أبريل (نيسان) الماضي», «في نيسان (أبريل)»
    def orgs(text: str) -> list[str]:
        return [m.text for m in entities.extract_mentions(article(text)) if m.type == "ORG"]

    for text in ("ونفذت الحركة هجوما في أبريل (نيسان) الماضي في كينيا.",
                 "وأعلن رئيس الشركة في نيسان (أبريل) أن شركته تريد العودة."):
        assert "نيسان" not in orgs(text), text
    tokens = [(0, 4, "شركة"), (5, 6, "«"), (6, 11, "نيسان"), (11, 12, "»")]
    assert not entities._is_levantine_month(tokens, 2, ner.load_tagger())
    tokens = [(0, 5, "أبريل"), (6, 7, "("), (7, 12, "نيسان"), (12, 13, ")")]
    assert entities._is_levantine_month(tokens, 2, ner.load_tagger())


def test_a_currency_after_a_number_word_is_an_amount() -> None:
    # «50 بليون ريال», «ألف وتسعمائة ريال», «ملياري ريال», «ربع ريال» (2015-07-21: the riyal as Real Madrid)
    for before in (["50", "بليون"], ["ألف", "وتسعمائة"], ["صرف", "ملياري"], ["عمل", "ربع"], ["دفع", "خمسين"]):
        assert entities._is_amount(before, "ريال"), before
    assert not entities._is_amount(["وكان"], "ريال")


def test_an_office_or_month_with_a_clitic_is_no_name_and_al_plus_one_letter_is_no_word() -> None:
    # 2015-07-21: «وليًا للعهد» gave a place «العهد» 18 times; «بالي» (Bali), «فالي» (Valley), «والت ديزني»
    # lost their first letter as a clitic and became «الي», «الت ديزني»
    tagger = ner.load_tagger()
    assert entities._no_name_alone("للعهد", tagger) and entities._no_name_alone("ليوليو", tagger)
    for word in ("بالي", "فالي"):
        m = entities._mention("a", word, [(0, len(word), word)], "LOC", tagger)
        assert m is not None and m.text == word, m
    m = entities._mention("a", "والت ديزني", [(0, 4, "والت"), (5, 10, "ديزني")], "ORG", tagger)
    assert m is not None and m.text == "والت ديزني", m


def test_a_preposition_with_its_pronoun_is_no_name() -> None:
    # «جعلوا كثيراً من الدول تطمع فينا» ("covet us") was tagged a place and joined فيينا; «أمام» ("before")
    # joined عادل إمام
    for word in ("فينا", "أمام", "عليها"):
        assert entities._no_name_alone(word, ner.load_tagger()), word
    assert not entities._no_name_alone("إمام", ner.load_tagger())
    assert not entities._no_name_alone("فيينا", ner.load_tagger())


def test_a_local_place_is_not_a_foreign_name_with_the_same_key() -> None:
    # جازان (Jazan) and كازان / قازان (Kazan) have one key (ج ك ق are all a g); the place lexicon spells the
    # Saudi town with ج only, so Kazan's spellings are one place apart from it
    ms = [*(mention("جازان", "LOC", f"j{i}") for i in range(5)), mention("كازان", "LOC", "k1"),
          mention("قازان", "LOC", "k2"), mention("كرش", "LOC", "y1"), mention("جرش", "LOC", "o1"),
          mention("شقرة", "LOC", "s1"), mention("الشجرة", "LOC", "t1")]
    g = groups(ms)
    assert {"جازان"} in g.values() and {"كازان", "قازان"} in g.values()
    assert {"كرش"} in g.values() and {"جرش"} in g.values()
    assert {"شقرة"} in g.values() and {"الشجرة"} in g.values()
    # the spellings the lexicon holds of one key are one place's (سالزبورج / سالزبورغ)
    assert together([mention("سالزبورج", "LOC", "a1"), mention("سالزبورغ", "LOC", "a2")], "سالزبورج", "سالزبورغ")
    # كازان is still the last word of a longer name (روبن كازان, the club, which the tagger calls a person)
    assert together([mention("روبن كازان", "PER", "r1"), mention("روبن كازان", "PER", "r1"),
                     mention("كازان", "PER", "r1")], "روبن كازان", "كازان")
    # an entity stored by an older marsad with Jazan and Kazan in one key: Kazan leaves it
    jazan = next(e for e in unify(ms)[0] if e.name == "جازان")
    old = replace(jazan, key=name_key("جازان"), variants=("جازان", "كازان"))
    again, _ = unify([mention("جازان", "LOC", "j9"), mention("كازان", "LOC", "k9")], previous=[old])
    assert {e.name: e.id == jazan.id for e in again} == {"جازان": True, "كازان": False}


def test_common_arabic_names_that_differ_in_a_long_vowel_are_two_names() -> None:
    for a, b in (("محمد", "محمود"), ("محمد الشهري", "محمود الشهري"), ("محمد السهلي", "محمد السهلاوي")):
        ms = [mention(a, "PER", "a1"), mention(a, "PER", "a2"), mention(b, "PER", "a3")]
        assert not together(ms, a, b), (a, b)
    # a foreign name's rare spellings still join
    ms = [mention("ديمتري بيسكوف", "PER", "a1"), mention("دميتري بيسكوف", "PER", "a2")]
    assert together(ms, "ديمتري بيسكوف", "دميتري بيسكوف")


def test_the_last_word_of_a_lineage_is_the_father_not_the_man() -> None:
    ms = [mention("محمد بن سعود", "PER", "a1"), mention("محمد بن سعود", "PER", "a1"), mention("سعود", "PER", "a1"),
          mention("محمد", "PER", "a1")]
    assert not together(ms, "محمد بن سعود", "سعود")
    assert together(ms, "محمد بن سعود", "محمد")
    # a family name may stand for the man
    ms = [mention("محمد آل صمغان", "PER", "a1"), mention("محمد آل صمغان", "PER", "a1"), mention("صمغان", "PER", "a1")]
    assert together(ms, "محمد آل صمغان", "صمغان")


def test_a_lineage_joins_the_same_lineage_with_its_family_name() -> None:
    ms = [mention("سلمان بن عبدالعزيز آل سعود", "PER", "a1"), mention("سلمان بن عبد العزيز", "PER", "a2")]
    assert together(ms, "سلمان بن عبدالعزيز آل سعود", "سلمان بن عبد العزيز")
    # two families with that lineage: which one is unknown
    ms.append(mention("سلمان بن عبدالعزيز آل فلان", "PER", "a3"))
    assert not together(ms, "سلمان بن عبدالعزيز آل سعود", "سلمان بن عبد العزيز")
    assert not together(ms, "سلمان بن عبدالعزيز آل فلان", "سلمان بن عبد العزيز")


def test_an_amount_of_money_is_no_name() -> None:
    assert entities._is_amount(["500"], "ريال") and entities._is_amount(["ومليون"], "دولارا")
    assert entities._is_amount(["ثلاثة", "مليار"], "يورو") and entities._is_amount(["ربع", "المليون"], "ريال")
    assert entities._is_amount(["164,781,745", ")"], "ريالاً")
    assert not entities._is_amount(["فاز"], "ريال")  # «فاز ريال»: Real Madrid
    assert not entities._is_amount(["500"], "مدريد")
    assert not entities._is_amount([], "ريال")


def test_a_model_number_joins_its_abbreviated_names() -> None:
    ms = [mention("سو - 35", "MISC", "a1"), mention("سوخوي سو - 35", "MISC", "a2"), mention("سوخوي-35", "MISC", "a3"),
          mention("سو - 57", "MISC", "a4"), mention("جالاكسي إس6 ايدج", "ORG", "a5"),
          mention("جالاكسي إس6 ايدج بلس", "ORG", "a6")]
    assert together(ms, "سو - 35", "سوخوي سو - 35", "سوخوي-35")
    assert not together(ms, "سو - 35", "سو - 57")
    assert not together(ms, "جالاكسي إس6 ايدج", "جالاكسي إس6 ايدج بلس")  # two phones
    assert entities._same_model("سوخوي 57", "سو 57") and entities._same_model("سو 57", "سوخوي 57")


def test_a_region_takes_the_adjective_the_tagger_left_out() -> None:
    sent = _span("التوتر في شبه الجزيرة الكورية و دول الخليج العربية و الخليج العربي")
    words = [t for _, _, t in sent]
    korea = (words.index("شبه"), words.index("الجزيرة") + 1, "LOC")
    assert entities._with_region_adjective(sent, korea)[1] == korea[1] + 1
    gulf_states = (words.index("الخليج"), words.index("الخليج") + 1, "LOC")
    assert entities._with_region_adjective(sent, gulf_states) == gulf_states  # «العربية» is the states'
    gulf = (len(words) - 2, len(words) - 1, "LOC")
    assert entities._with_region_adjective(sent, gulf)[1] == len(words)
    assert entities._with_region_adjective(sent, (korea[0], korea[1], "ORG")) == (korea[0], korea[1], "ORG")


def test_a_place_that_stops_at_a_title_takes_the_name_after_it() -> None:
    tg = ner.load_tagger()
    sent = _span("تطوير طريق الملك عبد الله وجامعة الإمام محمد بن سعود الإسلامية وطريق الملك في المدينة")
    words = [t for _, _, t in sent]

    def ext(first: str, last: str, nth: int = 0, typ: str = "LOC") -> str:
        i = [k for k, w in enumerate(words) if w == first][nth]
        s, e, _ = entities._with_title_name(sent, (i, words.index(last, i) + 1, typ), tg)
        return " ".join(words[s:e])

    assert ext("طريق", "الملك") == "طريق الملك عبد الله"
    assert ext("وجامعة", "الإمام", typ="ORG") == "وجامعة الإمام محمد بن سعود"
    assert ext("وطريق", "الملك") == "وطريق الملك"  # «في» is no name
    assert ext("طريق", "الملك", typ="PER") == "طريق الملك"  # persons are left as they are


def test_a_rare_spelling_of_a_cldr_city_or_country_is_a_place() -> None:
    text = ("تلقى الزعيم هدايا خلال زيارته فلاديفوستوك. ووصل الرئيس إلى قاعدة في فلاديفستوك، "
            "وسافر الوفد إلى الدنمرك وبتسوانا.")
    ms = entities.extract_mentions(article(text))
    assert all(text[m.start : m.end] == m.text for m in ms)
    got = {(m.text, m.type) for m in ms}
    assert {("فلاديفوستوك", "LOC"), ("فلاديفستوك", "LOC"), ("الدنمرك", "LOC"), ("بتسوانا", "LOC")} <= got
    ents, _ = unify(ms)
    vladivostok = [e for e in ents if "فلاديفوستوك" in e.variants]
    assert len(vladivostok) == 1 and "فلاديفستوك" in vladivostok[0].variants
    # common words that share a place's letters, a nationality, a short word: no place
    text = "وقال إن إجراء الفحص أمام العيون تم، ونشر 550 شرطيا فرنسيا في المدينة، وقال: دع عنك لومي."
    assert not [m for m in entities.extract_mentions(article(text)) if m.type == "LOC"]


def test_a_surname_tagged_as_another_type_is_the_person_of_the_article() -> None:
    tg = ner.load_tagger()
    text = ("استقبل أوليغ كويمياكو الضيف، وقدم الحاكم كويمياكو هدية. وسجل جيسي لينجارد هدفا، ثم سجل لينجارد "
            "الثاني. ولعب رودريجو ريفربليت الأرجنتيني مع ريفربليت الأرجنتيني.")
    ms = _mentions_at(text, ("أوليغ كويمياكو", "PER", 0), ("كويمياكو", "ORG", 1), ("جيسي لينجارد", "PER", 0),
                      ("لينجارد", "LOC", 1), ("رودريجو ريفربليت", "PER", 0), ("ريفربليت", "ORG", 1))
    out = entities._trim_unknown_words(ms, text, tg)
    assert [(m.text, m.type) for m in out] == [
        ("أوليغ كويمياكو", "PER"), ("كويمياكو", "PER"), ("جيسي لينجارد", "PER"), ("لينجارد", "PER"),
        ("رودريجو ريفربليت", "PER"), ("ريفربليت", "ORG")]  # the club: a country's adjective follows
    ents, _ = unify(out)
    assert {e.name for e in ents if e.type == "PER"} >= {"أوليغ كويمياكو", "جيسي لينجارد"}
    assert "كويمياكو" not in {e.name for e in ents}
    # a place the gazetteer knows stays a place, even as a person's last word
    text = "قال محمد مكة إن مكة تستعد."
    ms = _mentions_at(text, ("محمد مكة", "PER", 0), ("مكة", "LOC", 1))
    assert [m.type for m in entities._trim_unknown_words(ms, text, tg)] == ["PER", "LOC"]


def test_a_place_written_without_its_hamza_is_shown_as_cldr_spells_it() -> None:
    ents, _ = unify([mention("اوزبكستان", "LOC"), mention("اسبانيا", "LOC", "a2"), mention("اسبانيا", "LOC", "a3")])
    names = {e.name: e for e in ents}
    assert set(names) == {"أوزبكستان", "إسبانيا"}
    assert names["إسبانيا"].variants == ("اسبانيا",)  # the spellings seen are kept as they were written
    same, _ = unify([mention("أوزبكستان", "LOC")])
    assert same[0].id == names["أوزبكستان"].id  # the same entity, whichever spelling came first
    # a person or organisation keeps the spelling it is written in
    ents, _ = unify([mention("اسماعيل", "PER")])
    assert ents[0].name == "اسماعيل"


def test_a_currency_read_as_a_place_or_organisation_is_misc() -> None:
    ms = [mention("اليورو", "LOC"), mention("اليورو", "LOC", "a2"), mention("الدولار", "PER")]
    entities, _ = unify(ms)
    assert {e.name: e.type for e in entities} == {"اليورو": "MISC", "الدولار": "MISC"}
    # «الريال» typed as an organisation is Real Madrid («فاز الريال»), and so is «ريال مدريد»
    entities, _ = unify([mention("الريال", "ORG"), mention("ريال مدريد", "ORG", "a2")])
    assert {e.type for e in entities} == {"ORG"}


def test_a_short_name_joins_one_longer_name_even_through_its_spelling_variants() -> None:
    # «كيناتا» joined «أوهورو كيناتا»; its variant «كينياتا» then found no other candidate left but the
    # party «بهاراتيا جاناتا» (ك and ج both a foreign g) and chained the party into Kenyatta
    ms = [*(mention("أوهورو كيناتا", article="a1") for _ in range(2)), mention("كيناتا", article="a1"),
          mention("كيناتا", article="a1"), *(mention("اوهورو كينياتا", article="a2") for _ in range(7)),
          mention("كينياتا", article="a2"), mention("كينياتا", article="a2"),
          mention("بهاراتيا جاناتا", article="a3"), mention("بهاراتيا جاناتا", article="a3")]
    assert together(ms, "كيناتا", "كينياتا", "أوهورو كيناتا", "اوهورو كينياتا")
    assert not together(ms, "بهاراتيا جاناتا", "اوهورو كينياتا")


def test_a_common_name_is_no_short_form_of_another_common_name() -> None:
    # «مساعد» (a tagging slip: "assistant") has the skeleton of «مسعود»; both are common words of the news
    ms = [mention("مسعود بارزاني"), mention("مسعود بارزاني"), mention("بارزاني"), mention("مساعد")]
    assert not together(ms, "مساعد", "مسعود بارزاني")
    assert together(ms, "بارزاني", "مسعود بارزاني")


def test_arabic_family_names_that_differ_in_a_long_vowel_are_two_names() -> None:
    # the long vowels of السباعي / السبيعي, العوفي / العويفي are letters of the name, not a transliteration's
    ms = [mention("زهير السباعي"), mention("السبيعي", article="a2"), mention("أحمد العوفي", article="a3"),
          mention("أحمد العويفي", article="a4")]
    assert not together(ms, "السبيعي", "زهير السباعي")
    assert not together(ms, "أحمد العوفي", "أحمد العويفي")
    # hamza and final forms still make one name
    assad = [mention("بشار الأسد"), mention("بشار الاسد"), mention("الاسد")]
    assert together(assad, "بشار الأسد", "بشار الاسد", "الاسد")


def test_a_short_name_joins_a_lineage_written_with_and_without_its_family_name() -> None:
    # «سلمان بن عبدالعزيز» and «سلمان بن عبدالعزيز آل سعود» are one person (the lineage rule): the short
    # «سلمان» saw two candidates of equal weight, so no dominant one, and stayed an entity of its own
    ms = [*(mention("سلمان بن عبدالعزيز آل سعود", article=f"k{i}") for i in range(5)),
          *(mention("سلمان بن عبدالعزيز", article=f"j{i}") for i in range(5)),
          mention("سلمان الدوسري", article="d1"), mention("سلمان", article="x1"), mention("سلمان", article="x2")]
    assert together(ms, "سلمان", "سلمان بن عبدالعزيز", "سلمان بن عبدالعزيز آل سعود")
    assert not together(ms, "سلمان الدوسري", "سلمان بن عبدالعزيز")


def test_a_short_form_is_a_close_spelling_of_the_word_it_shortens() -> None:
    # ج and ك both spell a foreign g, but «جيوفاني» is not «كافاني» (76 % alike): a whole name's spellings may
    # differ that much, one word and the word it shortens may not (كيناتا / كينياتا: 92 %)
    ms = [mention("أدينسون كافاني"), mention("أدينسون كافاني"), mention("جيوفاني", article="a2")]
    assert not together(ms, "جيوفاني", "أدينسون كافاني")
    assert together([mention("أوهورو كينياتا"), mention("كيناتا", article="a2")], "كيناتا", "أوهورو كينياتا")
    # nor are two one-word names of persons that far apart spellings of one: «كافاني» and «جيوفاني» were one
    # group, which then joined Cavani and Giovanni Malagò into one person
    ms = [mention("أدينسون كافاني", article="a1"), mention("كافاني", article="a1"), mention("جيوفاني", article="a2"),
          mention("جيوفاني مالاجو", article="a3")]
    assert not together(ms, "أدينسون كافاني", "جيوفاني مالاجو")
    assert together(ms, "كافاني", "أدينسون كافاني") and together(ms, "جيوفاني", "جيوفاني مالاجو")


def test_persons_joined_by_a_dash_are_two_mentions_and_tanween_words_are_no_names() -> None:
    # «لقاء كيري - لافروف»: the tagger read one name; «كيري», a common word of the news, was then dropped
    # as a headline verb and the mention began with the dash («- لافروف»)
    ms = entities.extract_mentions(article("ويجعل للقاء كيري - لافروف - الجبير أهمية خاصة."))
    assert [m.text for m in ms if m.type == "PER"][:2] == ["كيري", "لافروف"]
    assert all(m.text[0].isalpha() and m.text[-1].isalpha() for m in ms)
    # a word with tanween is an indefinite noun or an adverb: cut from a name's end, no name alone
    for text in ("وصل عبدالله شرقاً إلى المدينة.", "ثم عاد باكراً إلى بيته.", "وقال جبران الجبران متألماً إن الوضع صعب."):
        assert not any("\u064b" in m.text for m in entities.extract_mentions(article(text))), text


def test_the_year_is_not_the_sunnis() -> None:
    # «السنة» is the tagger's ORG (the Sunnis) even where it is the year
    for text in ("وافق المجلس عليها خلال أعمال السنة الثالثة من الدورة.", "ارتفعت الأرباح في السنة المالية الحالية.",
                 "أغلقت مكتبته هذه السنة، ثم عادت.", "استغرق المشروع تسع سنوات ونصف السنة."):
        assert not [m for m in entities.extract_mentions(article(text)) if m.text == "السنة"], text
    # «في/من السنة» after a count or a span of time, «لهذه السنة», «قرابة السنة» (10 of 49 on 2015-07-31)
    for before, after in ((["مرتين", "في"], "ولا"), (["2.1", "%", "في"][1:], "،"), (["أشهر", "من"], "."),
                          (["العيد", "لهذه"], "في"), (["بعده", "قرابة"], "والنصف"), (["على", "طول"], "،")):
        assert entities._is_the_year(before, "السنة", after), before
    for before, after in ((["مساجد", "للسنة"][:1], "،"), (["مطالب"], "التي"), (["أهل"], "في"),
                          (["الشيعة", "في"], "والشيعة"), (["القرآن", "و"], "،")):
        assert not entities._is_the_year(before, "السنة", after), before
    ms = entities.extract_mentions(article("يستهدف الجهاديون السنة في سوريا الشيعة في لبنان."))
    assert [m.text for m in ms if m.type == "ORG"][:1] == ["السنة"]


def test_unifying_against_the_related_stored_entities_gives_what_all_of_them_give() -> None:
    stored, _ = unify([mention("كيم جونغ أون"), mention("كيم جونغ إيل"), mention("فلاديمير بوتين"),
                       mention("سلمان بن عبدالعزيز آل سعود"), mention("بيونغ يانغ", "LOC"),
                       mention("كوريا الشمالية", "LOC"), mention("الدولار", "MISC"), mention("سو - 35", "MISC"),
                       mention("جازان", "LOC"), mention("برشلونة", "ORG")])
    batches = [
        [mention("كيم", article="n1")],  # a short form of two stored names
        [mention("لبيونج يانج", "LOC", article="n2")],  # a clitic the stripping missed
        [mention("جمهورية كوريا الديمقراطية الشعبية", "LOC", article="n3")],  # an official name
        [mention("سلمان بن عبدالعزيز", article="n4"), mention("سلمان", article="n4")],  # a lineage, a short form
        [mention("دولار", "MISC", article="n5"), mention("سوخوي سو - 35", "MISC", article="n5")],
        [mention("بوتين", article="n6"), mention("مانشستر يونايتد", "ORG", article="n6")],
    ]
    for batch in batches:
        related = entities.related_entities(batch, stored)
        assert len(related) < len(stored)
        full, out_full = unify(batch, stored)
        part, out_part = unify(batch, related)
        assert sorted(full, key=lambda e: e.id) == sorted(part, key=lambda e: e.id), batch
        assert [m.entity_id for m in out_full] == [m.entity_id for m in out_part], batch
    assert [e.name for e in entities.related_entities([mention("جازان", "LOC", article="x")], stored)] == ["جازان"]


def test_a_persons_name_after_a_facility_word_is_the_facilitys_name() -> None:
    # «طريق الملك عبدالله» is a road, «مطار الملك عبدالعزيز الدولي» an airport, «جامعة الملك سعود» a university:
    # not mentions of the kings (287 of 6,163 person mentions on 2015-07-26 were such)
    def names(text: str) -> list[tuple[str, str]]:
        return [(m.text, m.type) for m in entities.extract_mentions(article(text))]

    assert ("طريق الملك عبدالله", "LOC") in names("وقع حادث على طريق الملك عبدالله في الرياض.")
    assert ("مطار الملك عبدالعزيز الدولي", "LOC") in names("وصل إلى مطار الملك عبدالعزيز الدولي بجدة أمس.")
    assert ("جامعة الملك سعود", "ORG") in names("وقالت جامعة الملك سعود إن الدراسة تبدأ.")
    # «عن طريق» is "through": «أهداف الفريق عن طريق عبد الله عواجي» are a player's goals, no road
    assert ("طريق عبد الله عواجي", "LOC") not in names("وجاءت أهداف الفريق عن طريق عبد الله عواجي وسالم الخيبري.")
    # the king himself stays a person
    assert ("سلمان بن عبدالعزيز", "PER") in names("استقبل الملك سلمان بن عبدالعزيز الرئيس.")


def test_a_facility_with_and_without_international_is_one_place() -> None:
    ms = [mention("مطار الملك خالد الدولي", "LOC"), mention("مطار الملك خالد", "LOC", article="a2"),
          mention("الاتحاد الدولي", "ORG"), mention("الاتحاد", "ORG", article="a3")]
    assert together(ms, "مطار الملك خالد الدولي", "مطار الملك خالد")
    assert not together(ms, "الاتحاد الدولي", "الاتحاد")  # FIFA is not a club named الاتحاد


def test_a_name_joins_the_longer_name_that_only_adds_its_lineage() -> None:
    # «سعود الفيصل» written apart from «سعود الفيصل بن عبدالعزيز» (other articles) is the same man
    ms = [mention("سعود الفيصل بن عبدالعزيز", article="a1"), mention("سعود الفيصل بن عبدالعزيز", article="a2"),
          mention("سعود الفيصل", article="a3"), mention("محمد بن سلمان بن عبدالعزيز", article="a4"),
          mention("محمد بن سلمان", article="a5"), mention("عبدالله محمد الزهراني", article="a6"),
          mention("محمد الزهراني", article="a7"), mention("محمود الصبيحي المحتجز", article="a8"),
          mention("محمود الصبيحي", article="a9")]
    assert together(ms, "سعود الفيصل", "سعود الفيصل بن عبدالعزيز")
    assert together(ms, "محمد بن سلمان", "محمد بن سلمان بن عبدالعزيز")
    # a name another ends with is the father there; a name continued by other words is a tagging slip
    assert not together(ms, "محمد الزهراني", "عبدالله محمد الزهراني")
    assert not together(ms, "محمود الصبيحي", "محمود الصبيحي المحتجز")


def span_text(text: str, words: str) -> str | None:
    """The mention ``_mention`` makes of the person span ``words`` (its first occurrence) in ``text``."""
    toks = ner.tokenize(text)
    first = [t for _, _, t in toks].index(words.split()[0])
    m = entities._mention("a", text, toks[first : first + len(words.split())], "PER", ner.load_tagger())
    return m.text if m else None


def test_a_short_name_joins_a_longer_name_it_keeps_company_with() -> None:
    # «البدر» (the full moon, 14 mentions on 2015-07-31) had joined «عبدالله البدر» of other articles, «غريب»
    # ("strange") «غريب إسكندر»: one word alone, written where nothing else of that person's articles is named
    ms = [mention("كريستيان جروس", article="a1"), mention("الأهلي", "ORG", article="a1"),
          mention("كريستيان جروس", article="a2"), mention("جدة", "LOC", article="a2"),
          mention("كروس", article="a3"), mention("ريال مدريد", "ORG", article="a3"),
          mention("فلاديمير بوتين", article="a4"), mention("روسيا", "LOC", article="a4"),
          mention("بوتين", article="a5"), mention("روسيا", "LOC", article="a5"),
          mention("أوكرانيا", "LOC", article="a5"),
          mention("باراك أوباما", article="a6"), mention("أوباما", article="a7")]
    assert not together(ms, "كروس", "كريستيان جروس")
    assert together(ms, "بوتين", "فلاديمير بوتين")  # Russia in both
    assert together(ms, "أوباما", "باراك أوباما")  # nothing else named: nothing to tell them apart


def test_a_dynastys_name_that_is_also_a_given_name_is_no_short_form() -> None:
    # «الملك سعود» (King Saud, 2015-08-04) had joined سلمان بن عبدالعزيز آل سعود by its last word
    ms = [mention("سلمان بن عبدالعزيز آل سعود", article="a1"), mention("سلمان بن عبدالعزيز آل سعود", article="a2"),
          mention("سعود", article="a1"), mention("محمد آل صمغان", article="a3"), mention("صمغان", article="a3"),
          mention("محمد آل صمغان", article="a4")]
    assert not together(ms, "سعود", "سلمان بن عبدالعزيز آل سعود")
    assert together(ms, "صمغان", "محمد آل صمغان")  # a family name that is no given name still joins


def test_a_formula_with_god_is_no_name() -> None:
    # the tagger's person spans «بحمد الله» and «سلمان بن عبدالعزيز أيده الله» (seen on 2015-07-26)
    assert span_text("وقال إن الوضع بحمد الله مستقر.", "بحمد الله") is None
    assert span_text("أمر الملك سلمان بن عبدالعزيز أيده الله بصرف راتب.", "سلمان بن عبدالعزيز أيده الله") == (
        "سلمان بن عبدالعزيز")
    # names with «الله» stay
    assert span_text("قال حسن نصر الله إن الحزب مستعد.", "حسن نصر الله") == "حسن نصر الله"
    assert span_text("وقال محمد حسين فضل الله في خطبته.", "محمد حسين فضل الله") == "محمد حسين فضل الله"
    # the blessings after a name (31 person mentions «صلى» and «رضي» on 2015-07-31)
    assert span_text("كنا عند النبي صلى الله عليه وسلم فتذاكرنا.", "صلى") is None
    assert span_text("وعن أبي هريرة رضي الله عنه قال.", "رضي") is None
    assert span_text("وعن أبي هريرة رضي الله عنه قال.", "أبي هريرة رضي الله") == "أبي هريرة"
    # nor is one of God's names («ضيوف الرحمن», the pilgrims: 25 MISC mentions on 2015-08-04)
    assert span_text("والتيسير على ضيوف الرحمن ليؤدوا مناسكهم", "الرحمن") is None
    assert span_text("وقال عبد الرحمن الراشد إن", "عبد الرحمن الراشد") == "عبد الرحمن الراشد"
    # nor a month or an office alone («ولي العهد» tagged «العهد» LOC: 7 on 2015-08-04, 9 on 2015-07-31)
    assert span_text("في شهر يوليو الماضي", "يوليو") is None
    assert span_text("استقبل ولي العهد الوفد", "العهد") is None
    # a name's link left alone by a line break is no name
    assert span_text("وذكر الدكتور أبو\nطالب أنه", "أبو") is None


def test_a_frequent_surname_the_gazetteer_lacks_stays_in_the_name() -> None:
    # the trim of common words at a person's edges cut «السيسي» off «عبد الفتاح السيسي» (135 times on
    # 2015-07-31), «الجبير» off «عادل الجبير», «كيري» off «جون كيري»: frequent in the news, in no known name
    tagger = ner.load_tagger()
    for surname in ("السيسي", "الشهراني", "الجبير", "كيري"):
        assert not entities._common_word(surname, tagger), surname
    for word in ("يدعو", "مواليد", "السيارة", "هذا"):
        assert entities._common_word(word, tagger), word
    assert span_text("وقال الرئيس عبد الفتاح السيسي إن", "عبد الفتاح السيسي") == "عبد الفتاح السيسي"
    assert span_text("وقال عادل الجبير إن", "عادل الجبير") == "عادل الجبير"
    # a kinship word before the name goes like a title; God is no person
    assert span_text("وقال شقيق عبد الملك إن", "شقيق عبد الملك") == "عبد الملك"
    assert span_text("قال الله تعالى في كتابه", "الله تعالى") is None


def test_a_noun_the_news_writes_with_the_article_is_no_one_word_person() -> None:
    # «سرقة كومبيوتر يحوي بيانات» (sample page 003) tagged «كومبيوتر» a person: the news writes «الكومبيوتر»
    # four times as often; «بائع», «ميلادي», «معماري» the same on SaudiNewsNet development days
    for noun in ("كومبيوتر", "بائع", "ميلادي", "معماري"):
        assert span_text(f"وقال {noun} إن", noun) is None, noun
    # names hardly ever take the article; a word of a known name stays whatever the news does with it
    for name in ("هاريس", "أوباما", "بوتين", "مبارك", "الشمري"):
        assert span_text(f"وقال {name} إن", name) == name, name
    # in a longer name the word stays
    assert span_text("وقال محمد المعماري إن", "محمد المعماري") == "محمد المعماري"


def test_a_geographic_head_and_the_place_after_it_are_one_name() -> None:
    # the tagger reads «وادي ضمد» as «وادي» + «ضمد» (9 times on 2015-08-04), «بحيرة تشاد», «مضيق باب المندب»
    toks = ner.tokenize("سقطت مركبة في وادي ضمد قرب السد وفي بحيرة تشاد")
    w = [t for _, _, t in toks]
    v, c = w.index("وادي"), w.index("بحيرة")
    found = [(v, v + 1, "LOC"), (v + 1, v + 2, "LOC"), (c, c + 1, "LOC"), (c + 1, c + 2, "LOC")]
    assert entities._join_place_heads(toks, found, ner.load_tagger()) == [(v, v + 2, "LOC"), (c, c + 2, "LOC")]
    # two places side by side without a head word stay two («جدة الرياض» in a list)
    toks = ner.tokenize("بين جدة الرياض")
    assert entities._join_place_heads(toks, [(1, 2, "LOC"), (2, 3, "LOC")], ner.load_tagger()) == [
        (1, 2, "LOC"), (2, 3, "LOC")]


def test_a_head_word_left_out_joins_the_span_when_the_two_are_a_known_place() -> None:
    # «قناة السويس» tagged as the organisation «السويس» (16 times in 1,200 SaudiNewsNet development articles)
    toks = ner.tokenize("وعبرت السفن قناة السويس الجديدة ثم نهر النيل")
    w = [t for _, _, t in toks]
    q, n = w.index("قناة"), w.index("نهر")
    found = [(q + 1, q + 2, "ORG"), (n + 1, n + 2, "LOC")]
    assert entities._join_place_heads(toks, found, ner.load_tagger()) == [(q, q + 2, "LOC"), (n, n + 2, "LOC")]
    # a channel is no place: «قناة» joins only a known place's name
    toks = ner.tokenize("وقالت قناة العربية إن")
    assert entities._join_place_heads(toks, [(2, 3, "ORG")], ner.load_tagger()) == [(2, 3, "ORG")]


def test_the_adjective_arab_alone_is_no_place() -> None:
    # «للدول العربية», «الساحات الإقليمية والعربية»: 40 place mentions «العربية» on 2015-08-04
    toks = ner.tokenize("رفض التدخل في شؤون الدول العربية")
    k = [t for _, _, t in toks].index("العربية")
    assert entities._mention("a", "رفض التدخل في شؤون الدول العربية", toks[k : k + 1], "LOC",
                             ner.load_tagger()) is None


def test_a_persons_span_that_starts_with_a_facility_word_is_the_facility() -> None:
    toks = ner.tokenize("ووقع الحادث في شارع الصباغ أمس")
    words = [t for _, _, t in toks]
    s = words.index("شارع")
    assert entities._facility_name(toks, (s, s + 2, "PER"), ner.load_tagger()) == (s, s + 2, "LOC")


def test_a_given_name_spelt_like_a_nationality_stays_a_name() -> None:
    # «تركي» is Turki as well as "Turkish": the nisba rule dropped every Prince Turki (26 articles on 2015-07-31)
    assert span_text("وقال الأمير تركي الفيصل إن الرياض ترحب.", "تركي الفيصل") == "تركي الفيصل"
    assert span_text("واستقبل الأمير تركي بن طلال الوفد.", "الأمير تركي بن طلال") == "تركي بن طلال"
    # a nationality adjective before a name goes, the name stays
    assert span_text("وقال الرئيس الروسي فلاديمير بوتين إن", "الروسي فلاديمير بوتين") == "فلاديمير بوتين"
    assert span_text("ولعب السويدي زلاتان إبراهيموفيتش أمس", "السويدي زلاتان إبراهيموفيتش") == "زلاتان إبراهيموفيتش"
    # and a caption's adjective with a verb is still no person
    assert span_text("أوكراني يعاين الدمار", "أوكراني يعاين") is None
    assert span_text("وقال الروسي إن", "الروسي") is None


def test_a_name_does_not_end_with_the_head_word_of_the_next_name() -> None:
    # sample page 000: «في مطار كنيفيتشي مقاتلة «ميغ - 31»» gave the place «كنيفيتشي مقاتلة»
    ms = entities.extract_mentions(article("وعرض عليه وزير الدفاع في مطار كنيفيتشي مقاتلة «ميغ - 31» حديثة."))
    assert "كنيفيتشي" in {m.text for m in ms}, [m.text for m in ms]
    assert not any(m.text.endswith("مقاتلة") for m in ms)
    cut = entities._without_trailing_head
    assert cut([(0, 5, "كنيفيتشي"), (6, 11, "مقاتلة")], (0, 2, "LOC")) == (0, 1, "LOC")
    assert cut([(0, 4, "جدة"), (5, 9, "معهد")], (0, 2, "LOC")) == (0, 1, "LOC")
    # not after a name's link, not inside quotes (a title), not a one-word span
    assert cut([(0, 4, "معاذ"), (5, 7, "بن"), (8, 11, "جبل")], (0, 3, "PER")) == (0, 3, "PER")
    assert cut([(0, 6, "الكرسي"), (7, 11, "دوار"), (12, 13, "”")], (0, 2, "MISC")) == (0, 2, "MISC")
    assert cut([(0, 4, "مطار")], (0, 1, "LOC")) == (0, 1, "LOC")


def test_a_weapons_head_does_not_retype_a_known_organisation_or_place() -> None:
    # «صواريخ حزب الله» are Hezbollah's rockets: «حزب الله» had become MISC like «صواريخ (باتريوت)»
    assert typed("وسقطت صواريخ حزب الله على مدينة حيفا أمس.", "حزب الله") == "ORG"
    assert typed("وأرسلت روسيا صواريخ إيران إلى أوكرانيا.", "إيران") == "LOC"
    assert typed("وطالب بتسليم المزيد من صواريخ (باتريوت) والذخائر إلى أوكرانيا.", "باتريوت") == "MISC"


def test_a_seat_of_government_is_an_organisation() -> None:
    # sample page 002: «وكان البيت الأبيض أكد …» was MISC (ANERcorp's convention), «الكرملين» ORG
    ms = entities.extract_mentions(article("وقال المتحدث باسم البيت الأبيض إن بلاده لم تلحظ ذلك، ورد الكرملين أمس."))
    assert {(m.text, m.type) for m in ms} >= {("البيت الأبيض", "ORG"), ("الكرملين", "ORG")}


def test_a_french_place_with_sur_is_one_place() -> None:
    # sample page 003: «في مقر السفارة الأردنية في نويي سور سين» gave the person «سين»
    ms = entities.extract_mentions(article("وسرق الحاسوب من مقر السفارة الأردنية في نويي سور سين، وفتح تحقيق."))
    assert ("نويي سور سين", "LOC") in {(m.text, m.type) for m in ms}, [(m.text, m.type) for m in ms]
    assert "سين" not in {m.text for m in ms}
    # «سور» the wall stays a wall
    tg = ner.load_tagger()
    sent = [(0, 4, "فوق"), (5, 8, "سور"), (9, 13, "دمشق")]
    assert entities._sur_toponyms(sent, [(2, 3, "LOC")], tg) == [(2, 3, "LOC")]
    sent = [(0, 2, "في"), (3, 6, "هدم"), (7, 10, "سور"), (11, 16, "برلين")]
    assert entities._sur_toponyms(sent, [(3, 4, "LOC")], tg) == [(3, 4, "LOC")]


def test_a_plan_named_with_a_common_noun_is_no_club() -> None:
    # sample page 000: «تنفيذ «خطة النصر» للرئيس زيلينسكي» gave the club «النصر» (ORG) to a Ukraine story
    def named(text: str) -> set[tuple[str, str]]:
        return {(m.text, m.type) for m in entities.extract_mentions(article(text))}

    assert ("خطة النصر", "MISC") in named("وتسعى أوكرانيا إلى تنفيذ «خطة النصر» للرئيس فولوديمير زيلينسكي.")
    assert ("النصر", "ORG") in named("وفاز النصر على الهلال في الرياض.")
    tg = ner.load_tagger()
    # a known name without quotes is the club's plan; a place after «عيد» stays the place (عيد الرياض)
    assert entities._named_occasion([(0, 3, "خطة"), (4, 10, "الأهلي")], (1, 2, "ORG"), tg) == (1, 2, "ORG")
    assert entities._named_occasion([(0, 3, "عيد"), (4, 10, "الرياض")], (1, 2, "LOC"), tg) == (1, 2, "LOC")


def test_a_two_letter_name_is_the_longer_name_its_article_gave_before() -> None:
    # sample page 001: «قال لى سونغ» then «وقال لى إن»: «لى» was an entity of its own
    ms = [mention("لى سونغ"), mention("كيم جونغ أون"), mention("لى"), mention("لى", article="a2"),
          mention("بوتين", article="a2")]
    g = groups(ms)
    assert any(forms == {"لى", "لى سونغ"} for forms in g.values()), g
    # not a slip the tagger made once of «المرافق لي سلمني» ("handed me"), nor a name given after it
    ms = [mention("لي سلمني", article="b1"), mention("بوتين", article="b1"), mention("لي", article="b1")]
    assert not together(ms, "لي", "لي سلمني")
    ms = [mention("لي", article="c1"), mention("لي تشونغ", article="c1"), mention("بوتين", article="c1")]
    assert not together(ms, "لي", "لي تشونغ")


def test_the_places_after_a_dual_or_plural_head_are_places_each() -> None:
    # sample page 000: «وحرَّرت خلالها قريتي نوفايا سوروتشينا وبوكروفسكي» was one MISC name
    def named(text: str) -> set[tuple[str, str]]:
        return {(m.text, m.type) for m in entities.extract_mentions(article(text))}

    got = named("ونقلت وكالة «ريا نوفوستي» للأنباء عن الوزارة قولها في بيان إن القوات الروسية «واصلت العمليات "
                "الهجومية وحرَّرت خلالها قريتي نوفايا سوروتشينا وبوكروفسكي».")
    assert {("نوفايا سوروتشينا", "LOC"), ("بوكروفسكي", "LOC")} <= got, got
    got = named("وفي كل من مدينتي \"فيوجييوشيدا وياماناشي\" في اليابان، يمكن لركاب هذا القطار.")
    assert {("فيوجييوشيدا", "LOC"), ("ياماناشي", "LOC")} <= got, got
    # a name's link is no conjunction
    tg = ner.load_tagger()
    toks = [(0, 5, "المسيفرة"), (6, 9, "وأم"), (10, 13, "ولد")]
    assert [[t for _, _, t in p] for p in entities._split_coordination(toks, tg, places=True)] == [
        ["المسيفرة"], ["وأم", "ولد"]]


def test_a_bases_adjective_and_a_word_over_two_places_are_no_part_of_the_name() -> None:
    # sample page 000: «في قاعدة رامشتاين الجوية» gave «رامشتاين الجوية»; page 003: «بدأ تحالف موسكو وبيونغ
    # يانغ» gave the organisation «تحالف موسكو»
    def named(text: str) -> set[tuple[str, str]]:
        return {(m.text, m.type) for m in entities.extract_mentions(article(text))}

    assert ("رامشتاين", "LOC") in named("وأعلنت القيادة الأميركية في قاعدة رامشتاين الجوية بألمانيا أن الاجتماع أرجئ.")
    got = named("بدأ تحالف موسكو وبيونغ يانغ منذ تأسيس كوريا الشمالية بعد الحرب.")
    assert {("موسكو", "LOC"), ("بيونغ يانغ", "LOC")} <= got and not any(t == "ORG" for _, t in got), got
    tg = ner.load_tagger()
    # a known organisation's name stays whole
    parts = [[(0, 5, "جامعة"), (6, 13, "القاهرة")], [(14, 20, "وأسيوط")]]
    assert not entities._head_over_places(parts, tg)


def test_a_head_word_alone_is_no_name() -> None:
    tg = ner.load_tagger()
    for word in ("جامعة", "وادي", "معهد", "بحي", "بمدينة"):
        assert entities._no_name_alone(word, tg), word
    for word in ("بحر", "ليبيا", "بحرين", "القصر", "سهل"):  # (سهل: a plain, and the given name Sahl)
        assert not entities._no_name_alone(word, tg), word


def test_names_the_sample_corpus_cut_or_typed_wrongly() -> None:
    def named(text: str) -> set[tuple[str, str]]:
        return {(m.text, m.type) for m in entities.extract_mentions(article(text))}

    # page 000: a compound given name with a dash was two people, «فرانك» and «فالتر شتاينماير»
    got = named("والتقى المستشار الألماني أولاف شولتس والرئيس الألماني فرانك - فالتر شتاينماير.")
    assert ("فرانك - فالتر شتاينماير", "PER") in got, got
    tg = ner.load_tagger()
    toks = [(0, 4, "كيري"), (5, 6, "-"), (7, 13, "لافروف")]
    assert len(entities._split_coordination(toks, tg, dash=True)) == 2  # two men still
    # page 003: «في قمة دوبروفنيك» was a person; the sample's «فيروس كورونا», «جائحة كورونا» organisations
    assert ("دوبروفنيك", "LOC") in named("ويشارك في قمة دوبروفنيك رؤساء دول وحكومات ووزراء خارجية.")
    assert ("فيروس كورونا", "MISC") in named("ولم يغادر كيم كوريا الشمالية منذ تفشي فيروس كورونا.")
    # page 003: «فاديم فيلاشكين» (Vadim) lost its first letter as a clitic; «ومولدافيا» kept its «و»
    got = named("وقال حاكم منطقة دونيتسك، فاديم فيلاشكين، لهيئة الإذاعة العامة الأوكرانية إن القصف اشتد.")
    assert ("فاديم فيلاشكين", "PER") in got, got
    got = named("وشارك وزراء خارجية 12 دولة (ألبانيا، وبلغاريا، واليونان، وكوسوفو، ومولدافيا، ومونتينيغرو).")
    assert ("مولدافيا", "LOC") in got and not any(t.startswith("وم") for t, _ in got), got


def test_an_organisation_with_and_without_the_word_for_its_kind_is_one() -> None:
    # 2015-07-21: «داعش» (484 mentions) and «تنظيم داعش» (78), «حماس» and «حركة حماس» were two entities each
    ms = [mention("داعش", "ORG", "a1"), mention("داعش", "ORG", "a2"), mention("تنظيم داعش", "ORG", "a3"),
          mention("حماس", "ORG", "a4"), mention("حركة حماس", "ORG", "a5"),
          mention("أبل", "ORG", "a6"), mention("شركة أبل", "ORG", "a7")]
    assert together(ms, "داعش", "تنظيم داعش") and together(ms, "حماس", "حركة حماس")
    assert together(ms, "أبل", "شركة أبل") and not together(ms, "داعش", "حماس")
    # not «حزب»: «حزب الله» is no «الله»; not a kind before a common word; and organisations only
    ms = [mention("حزب الله", "ORG", "b1"), mention("الله", "ORG", "b2"), mention("الدولة", "ORG", "b3"),
          mention("تنظيم الدولة", "ORG", "b4"), mention("تبوك", "LOC", "b5"), mention("شركة تبوك", "ORG", "b6")]
    assert not together(ms, "حزب الله", "الله") and not together(ms, "الدولة", "تنظيم الدولة")
    assert not together(ms, "تبوك", "شركة تبوك")
    # 8 development days: the club «الفتح» had joined «حركة فتح» (through «فتح»); a name the batch writes
    # after the word for a kind has no article
    ms = [mention("حركة فتح", "ORG", "c1"), mention("فتح", "ORG", "c2"), mention("الفتح", "ORG", "c3"),
          mention("الفتح", "ORG", "c4"), mention("الدولار", "MISC", "c5"), mention("دولار", "MISC", "c6")]
    assert together(ms, "حركة فتح", "فتح") and not together(ms, "فتح", "الفتح")
    assert together(ms, "الدولار", "دولار")


def test_a_cup_or_festival_named_for_a_person_is_no_person() -> None:
    # 2015-08-01: «كأس الأمير فيصل بن خالد» (a trophy) counted as mentions of the prince; «مهرجان» alone was a
    # person 19 times
    tg = ner.load_tagger()
    sent = [(0, 3, "كأس"), (4, 10, "الأمير"), (11, 15, "فيصل"), (16, 18, "بن"), (19, 23, "خالد")]
    assert entities._facility_name(sent, (2, 5, "PER"), tg) == (0, 5, "MISC")
    sent = [(0, 5, "مهرجان"), (6, 11, "الملك"), (12, 20, "عبدالعزيز")]
    assert entities._facility_name(sent, (1, 3, "PER"), tg) == (0, 3, "MISC")
    assert entities._no_name_alone("مهرجان", tg)
    # «بطولة» is also «starring»: «بطولة محمد رمضان» is the actor
    sent = [(0, 5, "بطولة"), (6, 10, "محمد"), (11, 16, "رمضان")]
    assert entities._facility_name(sent, (1, 3, "PER"), tg) == (1, 3, "PER")


def test_an_organisation_then_a_person_in_one_span_are_two_and_a_kind_alone_is_no_name() -> None:
    # 2015-07-21: «تنظيم داعش أبي بكر البغدادي» and «تنظيم داعش بريت مكجيرك» were persons (14 mentions each),
    # «الميليشيات» a MISC name 176 times, «تنظيم» alone a person
    tg = ner.load_tagger()
    sent = [(0, 5, "تنظيم"), (6, 10, "داعش"), (11, 14, "أبي"), (15, 18, "بكر"), (19, 27, "البغدادي")]
    assert entities._organisation_then_person(sent, (0, 5, "PER"), tg) == [(0, 2, "ORG"), (2, 5, "PER")]
    # a name of several words after the kind: where it ends is unknown, the span stays
    sent = [(0, 5, "جماعة"), (6, 13, "الإخوان"), (14, 22, "المسلمين"), (23, 27, "محمد"), (28, 32, "بديع")]
    assert entities._organisation_then_person(sent, (0, 5, "PER"), tg) == [(0, 5, "PER")]
    for word in ("تنظيم", "التنظيم", "الحركة", "الميليشيات", "ميليشيا", "لميليشيا", "الجماعة"):
        assert entities._no_name_alone(word, tg), word
    for word in ("القبة", "جبة", "حماس"):  # (the key of «جبهة» is that of «قبة», a place)
        assert not entities._no_name_alone(word, tg), word


def test_an_adverb_with_the_accusative_alif_is_no_person() -> None:
    # sample page 000: «… في أقصى الشرق الروسي آتيا من كوريا الشمالية» gave the person «آتيا» (coming)
    tg = ner.load_tagger()
    for word in ("آتيا", "تاليا", "فعليا", "فارغا"):
        assert entities._accusative_of_noun(arabic.match(word), tg), word
    for word in ("جينا", "إيلا", "ماريا", "أوباما"):  # names: «الجين», «الإيل» are rare beside جين, إيل
        assert not entities._accusative_of_noun(arabic.match(word), tg), word
    # the last word of a person the article names in full stays (سيدا of «عبد الباسط سيدا»)
    ms = [mention("عبد الباسط سيدا", "PER", "s"), mention("سيدا", "PER", "s"), mention("آتيا", "PER", "s")]
    assert [m.text for m in entities._without_adverbs(ms, tg)] == ["عبد الباسط سيدا", "سيدا"]


def test_a_name_goes_on_after_its_particle() -> None:
    # 8 dev days had «لويس فان» (65 mentions) beside «لويس فان جال» (30): «غال» ("dear") is a common word,
    # cut off at the name's end; and «ستيفان دي» (20) for Staffan de Mistura
    def names(text: str) -> list[str]:
        return [m.text for m in entities.extract_mentions(article(text)) if m.type == "PER"]

    assert "لويس فان غال" in names("ألمح المدرب الهولندي لويس فان غال المدير الفني لفريق مانشستر يونايتد إلى صفقة.")
    assert "توماس دي لا رو" in names("وتأسست الشركة التي تحمل اسم مؤسسها «توماس دي لا رو» في عام 1813.")
    # a particle after a tagged span takes the next word in; across punctuation it does not
    tg = ner.load_tagger()
    sent = ner.tokenize("قال ستيفان دي ميستورا ، دي .")
    assert entities._through_name_particles(sent, [(1, 3, "PER"), (3, 4, "PER")], tg) == [(1, 4, "PER")]
    assert entities._through_name_particles(sent, [(1, 2, "PER"), (5, 6, "PER")], tg) == [(1, 2, "PER"), (5, 6, "PER")]
    # «فإن» ("for") is no «فان»; after «ابن» a common word is no name («ابن الفقيد»)
    sent = ner.tokenize("قال فابيوس فإن المحادثات مستمرة وحضر ابن الفقيد")
    assert entities._through_name_particles(sent, [(1, 3, "PER"), (5, 7, "PER")], tg) == [(1, 3, "PER"), (5, 7, "PER")]
    # «لو» alone is no particle: Jack Lew
    assert "جاك لو" in names("وقال وزير الخزانة الأمريكي جاك لو إن الاتفاق جيد.")


def test_a_foreign_surname_with_its_particle_joins_the_full_name() -> None:
    # 8 dev days: «دي ميستورا» (20 mentions) apart from «ستيفان دي ميستورا» (52), «دي خيا» from «ديفيد دي خيا»
    ms = [mention("ستيفان دي ميستورا", article="a1"), mention("ستيفان دي ميستورا", article="a2"),
          mention("دي ميستورا", article="a3")]
    assert together(ms, "ستيفان دي ميستورا", "دي ميستورا")
    # two full names end with it, neither dominating: it stays apart
    ms = [mention("كيفن دي بروين", article="a1"), mention("كيفن دي بروين", article="a1"),
          mention("بيرنارد دي بروين", article="a2"), mention("دي بروين", article="a3")]
    assert not together(ms, "كيفن دي بروين", "دي بروين")
    assert not together(ms, "بيرنارد دي بروين", "دي بروين")
    # a name that does not begin with a particle is no surname of this kind (محمد الزهراني is the father in
    # عبدالله محمد الزهراني)
    ms = [mention("عبدالله محمد الزهراني", article="a1"), mention("عبدالله محمد الزهراني", article="a2"),
          mention("محمد الزهراني", article="a3")]
    assert not together(ms, "عبدالله محمد الزهراني", "محمد الزهراني")


def test_a_country_a_list_cut_with_a_comma_is_one_place() -> None:
    # sample page 000: «(ألبانيا، والبوسنة، والهرسك، وبلغاريا…)» had made البوسنة and الهرسك two places
    text = "ويشارك في القمة رؤساء 12 دولة (ألبانيا، والبوسنة، والهرسك، وبلغاريا، واليونان، ورومانيا)."
    places = [m.text for m in entities.extract_mentions(article(text)) if m.type == "LOC"]
    assert "البوسنة والهرسك" in places and "البوسنة" not in places and "الهرسك" not in places
    assert "ألبانيا" in places and "بلغاريا" in places  # the other items stay apart
    # two countries that are no one country's name stay two
    text = "وزار الوفد إيطاليا، وفرنسا، وإسبانيا."
    places = [m.text for m in entities.extract_mentions(article(text)) if m.type == "LOC"]
    assert places == ["إيطاليا", "فرنسا", "إسبانيا"]


def test_the_phrase_good_of_is_no_person() -> None:
    # sample page 003: «أن نبني علاقات حسن جوار مع جيراننا» had made «حسن جوار» a person
    def people(text: str) -> list[str]:
        return [m.text for m in entities.extract_mentions(article(text)) if m.type == "PER"]

    assert "حسن جوار" not in people("وقال بوتين إن علينا أن نبني علاقات حسن جوار مع جيراننا.")
    assert people("وأشاد الوفد بحسن استقبالكم وكرم الضيافة.") == []
    assert entities._good_or_ill_of("سوء", "نواياهم") and entities._good_or_ill_of("حسن", "الجوار")
    # a man named حسن stays a person
    assert "حسن روحاني" in people("وقال الرئيس الإيراني حسن روحاني إن الاتفاق جيد.")
    assert not entities._good_or_ill_of("حسن", "نصرالله") and not entities._good_or_ill_of("حسن", "الترابي")


def test_a_verb_or_preposition_glued_to_a_named_person_is_cut_off() -> None:
    # 8 dev days: «سيلتقي كيري», «أمام مورينيو», «أوباما سيأتي», «خالد بحاح سيغادر» were persons of their own
    def people(text: str) -> list[str]:
        return [m.text for m in entities.extract_mentions(article(text)) if m.type == "PER"]

    text = "قال جوزيه مورينيو إن فريقه جاهز. وخسر الفريق أمام مورينيو مرة أخرى."
    assert people(text) == ["جوزيه مورينيو", "مورينيو"]
    ms = entities.extract_mentions(article(text))
    assert [text[m.start : m.end] for m in ms if m.type == "PER"] == ["جوزيه مورينيو", "مورينيو"]
    tg = ner.load_tagger()
    assert entities._conjugated(arabic.match("سيلتقي"), tg) and entities._conjugated(arabic.match("يغادر"), tg)
    # foreign given names that look like a verb stay («يوكيا» has «نوكيا» beside it, one form only)
    for name in ("يواخيم", "تياغو", "سيرخيو", "يوكيا", "تاتيانا", "سيوم"):
        assert not entities._conjugated(arabic.match(name), tg), name
    text = "قال يوكيا أمانو إن الوكالة مستعدة. وأضاف أمانو أن التفتيش يبدأ غدا."
    assert "يوكيا أمانو" in people(text)
    # the rest must be a person the article names elsewhere: «الملا عمر» alone stays whole
    assert entities._without_edge_word(
        EntityMention(article_id="a", start=0, end=11, text="سيلتقي كيري", type="PER"), ["سيلتقي", "كيري"],
        ["سيلتقي", "كيري"], "سيلتقي كيري", lambda key, own: False, tg) is None


def test_semi_alone_is_no_place() -> None:
    # 8 dev days: «شبه» ("semi-": «بشكل شبه يومي», «نظام شبه ديمقراطي») was a place 20 times
    def places(text: str) -> list[str]:
        return [m.text for m in entities.extract_mentions(article(text)) if m.type == "LOC"]

    assert "شبه" not in places("ويرى أن إيران لديها نظام شبه ديمقراطي، وأن العراق يغرق في العنف بشكل شبه يومي.")
    assert entities._no_name_alone("شبه", ner.load_tagger())
    assert "شبه الجزيرة الكورية" in places("وتصاعد التوتر في شبه الجزيرة الكورية أمس.")


def test_an_alias_in_brackets_joins_its_full_name() -> None:
    # sample page 000: «يتم دمجه في حلف شمال الأطلسي (الناتو)» — NATO by both names, two entities before
    text = ("وقالت موسكو إن أوكرانيا لا يمكن أن يتم دمجها في حلف شمال الأطلسي (الناتو). "
            "وأكد الاتحاد الدولي لكرة القدم (فيفا) موعد القرعة. "
            "والتقط صورة مع مجلس الأمن الدولي (سيلفي) وهو يخاطبه.")
    ms = entities.extract_mentions(article(text))
    pairs = entities.find_aliases(text, ms)
    assert ("حلف شمال الأطلسي", "الناتو") in pairs and ("الاتحاد الدولي لكرة القدم", "فيفا") in pairs
    # one article is enough for a body's acronym that the news seldom writes: «الناتو» joins
    ms += [mention("الناتو", "ORG", "a2"), mention("سيلفي", "ORG", "a3"), mention("مجلس الأمن الدولي", "ORG", "a4")]
    assert together(ms, "حلف شمال الأطلسي", "الناتو", aliases=pairs)
    assert not together(ms, "حلف شمال الأطلسي", "الناتو")  # (not without the alias)
    # not a frequent word in brackets, a gloss («سيلفي», selfie), and not a name the batch gives so once only
    # that is no body's («ممفيس ديباي (آيندهوفن)»: a player and his club, both tagged organisations)
    assert ("مجلس الأمن الدولي", "سيلفي") in pairs
    assert not together(ms, "مجلس الأمن الدولي", "سيلفي", aliases=pairs)
    club = [mention("ممفيس ديباي", "ORG", "a5"), mention("آيندهوفن", "ORG", "a5"), mention("آيندهوفن", "ORG", "a6")]
    assert not together(club, "ممفيس ديباي", "آيندهوفن", aliases=[("ممفيس ديباي", "آيندهوفن")])
    assert together(club, "ممفيس ديباي", "آيندهوفن", aliases=[("ممفيس ديباي", "آيندهوفن")] * 2)
    # a full name cut short is not given the alias of the longer one
    fifa = [mention("الاتحاد الدولي", "ORG", "b1"), mention("الاتحاد الدولي لكرة القدم", "ORG", "b2"),
            mention("الفيفا", "ORG", "b3")]
    given = [("الاتحاد الدولي", "الفيفا")] * 2 + [("الاتحاد الدولي لكرة القدم", "الفيفا")] * 2
    assert together(fifa, "الاتحاد الدولي لكرة القدم", "الفيفا", aliases=given)
    assert not together(fifa, "الاتحاد الدولي", "الفيفا", aliases=given)
