"""Tests for marsad.dedupe: reprints and wire copies are marked, different articles are not."""

from __future__ import annotations

from marsad.dedupe import DedupeSettings, DuplicateIndex, mark_duplicates
from marsad.records import Article

WIRE = (
    "أعلنت وزارة الصحة «السعودية» اليوم الأربعاء عن تسجيل ١٢٣ حالة إصابة جديدة بفيروس كورونا في مناطق "
    "المملكة المختلفة، مشيرة إلى أن الحالات تتلقى الرعاية الطبية اللازمة في المستشفيات.",
    "وأوضحت الوزارة في بيانها الصحفي أن فرق الرصد الميداني تواصل عملها على مدار الساعة في جميع المدن "
    "والمحافظات، داعية المواطنين والمقيمين إلى الالتزام بالإجراءات الوقائية وتجنب التجمعات الكبيرة.",
    "وأضاف المتحدث الرسمي باسم الوزارة أن عدد حالات التعافي بلغ ٤٥٦ حالة خلال الأسبوع الماضي، وأن "
    "المختبرات أجرت أكثر من عشرة آلاف فحص في مختلف المناطق منذ بداية الشهر الجاري.",
)
OTHER = (
    "افتتح أمير منطقة الرياض معرض الكتاب الدولي في دورته الجديدة بمشاركة أكثر من خمسمئة دار نشر "
    "عربية وأجنبية، ويستمر المعرض عشرة أيام وسط إقبال كبير من الزوار والمثقفين.",
    "ويتضمن البرنامج الثقافي المصاحب ندوات وأمسيات شعرية وورش عمل للأطفال، إضافة إلى توقيع عدد من "
    "الكتّاب لإصداراتهم الجديدة في أجنحة مخصصة داخل المعرض طوال أيام الفعالية.",
)


def make(aid: str, paragraphs: tuple[str, ...], outlet: str = "x", published: str | None = None) -> Article:
    return Article(
        id=aid, doc_id=aid, index=0, source=aid, title=None, paragraphs=paragraphs, outlet=outlet, published=published
    )


def harakat_tatweel(text: str) -> str:
    """The same words as an outlet might print them: harakat, tatweel, Persian letters, other digits."""
    return (
        text.replace("الصحة", "الصِّحَّة")
        .replace("المملكة", "المملـــكة")
        .replace("الرعاية", "الرعايه")
        .replace("المختلفة", "المختلفۀ")
        .replace("الطبية", "الطبیة")
        .replace("١٢٣", "123")
        .replace("الوزارة", "الوزارہ")
    )


def test_reprint_with_diacritics_and_persian_letters_is_marked() -> None:
    a = make("a1", WIRE, "spa", "2015-07-21")
    b = make("b1", tuple(harakat_tatweel(p) for p in WIRE), "okaz", "2015-07-22")
    c = make("c1", OTHER, "riyadh", "2015-07-22")
    out = mark_duplicates([b, c, a])  # input order does not decide: the earlier publication is the original
    by_id = {x.id: x for x in out}
    assert [x.id for x in out] == ["b1", "c1", "a1"]
    assert by_id["b1"].duplicate_of == "a1"
    assert by_id["a1"].duplicate_of is None
    assert by_id["c1"].duplicate_of is None


def test_wire_copy_with_new_lead_is_marked_at_paragraph_level() -> None:
    original = make("a1", WIRE)
    lead = "نقلت صحيفة عكاظ عن مصادرها الخاصة أن الوضع الصحي في تحسن ملحوظ، وأن المسؤولين يتابعون التطورات أولاً بأول."
    copy = make("b1", (lead, *WIRE[:2], "والله الموفق."))
    out = mark_duplicates([copy], previous=[original])
    assert out[0].duplicate_of == "a1"


def test_copy_of_a_copy_points_to_the_first_seen() -> None:
    a = make("a1", WIRE)
    b = make("b1", WIRE)
    c = make("c1", tuple(harakat_tatweel(p) for p in WIRE))
    out = mark_duplicates([a, b, c])
    assert [x.duplicate_of for x in out] == [None, "a1", "a1"]


def test_same_topic_different_text_is_not_a_duplicate() -> None:
    other_health = make(
        "h2",
        (
            "قالت منظمة الصحة العالمية إن حملة التطعيم ضد الحصبة في القارة الأفريقية وصلت إلى أكثر من "
            "عشرين مليون طفل هذا العام، وإن التمويل الدولي ما زال أقل من المطلوب بكثير.",
            "وحذّرت المنظمة من أن تراجع معدلات التطعيم في بعض الدول قد يؤدي إلى عودة تفشي المرض في المناطق "
            "الريفية، داعية الحكومات إلى زيادة الإنفاق على الرعاية الصحية الأولية وبرامج التوعية.",
        ),
    )
    out = mark_duplicates([make("a1", WIRE), other_health])
    assert out[1].duplicate_of is None


def test_index_round_trips_through_bytes() -> None:
    index = DuplicateIndex(DedupeSettings(num_perm=32))
    assert index.add(make("a1", WIRE)) is None
    assert index.add(make("c1", OTHER)) is None
    data = index.to_bytes()
    again = DuplicateIndex.from_bytes(data)
    assert len(again) == 2 and "a1" in again
    assert again.settings.num_perm == 32
    assert again.query(make("b1", tuple(harakat_tatweel(p) for p in WIRE))) == "a1"
    assert again.add(make("a1", WIRE)) is None  # already indexed: not added twice
    assert len(again) == 2


def test_short_articles_are_never_marked() -> None:
    a = make("a1", ("عاجل: انقطاع الكهرباء",))
    b = make("b1", ("عاجل: انقطاع الكهرباء",))
    assert [x.duplicate_of for x in mark_duplicates([a, b])] == [None, None]


def test_change_records_replayed_on_the_saved_index_find_the_same_copies() -> None:
    live = DuplicateIndex()
    live.add(make("a1", WIRE))
    saved = live.to_bytes()
    assert live.take_log() is not None and live.take_log() is None
    live.add(make("a2", OTHER))
    live.add(make("a3", tuple(harakat_tatweel(p) for p in WIRE)))
    record = live.take_log()
    assert record is not None
    cold = DuplicateIndex.from_bytes(saved)
    cold.apply_log(record)
    assert cold.ids == live.ids and cold.roots == live.roots == ["a1", "a2", "a1"]
    probe = make("a4", (*WIRE[:2], "فقرة ختامية قصيرة"))
    assert cold.query(probe) == live.query(probe) == "a1"


def test_batched_signatures_equal_the_per_paragraph_ones() -> None:
    """The article's paragraphs are folded, shingled and permuted together: the tokens, shingle
    hashes and signatures are exactly those of one paragraph at a time."""
    import numpy as np

    from marsad.arabic import match_tokens
    from marsad.dedupe import (
        _paragraph_shingles,
        _paragraph_tokens,
        _permutations,
        _signatures_of,
        shingle_hashes,
        signature,
    )

    parts = [
        harakat_tatweel(WIRE[0]),
        "عاجل",  # shorter than a shingle: one hash of its own
        "",
        "ﻻ تـــراجع، «لا» ؛ كیف ؟ ٤٥٦ حالة",  # presentation form, tatweel, quotes, Persian letter
        *OTHER,
        "x" * 250 + " نص طويل بلا فواصل " * 20,  # long: folded through the lookup table
    ]
    for group in (parts, parts[:1], parts[1:3], [WIRE[1], "سطر\nثان"]):  # a part with its own line break
        tokens = _paragraph_tokens(group)
        assert tokens == [match_tokens(p) for p in group]
        for k in (1, 3, 5):
            got = _paragraph_shingles(tokens, k)
            want = [shingle_hashes(t, k) for t in tokens]
            assert len(got) == len(want) and all(np.array_equal(g, w) for g, w in zip(got, want, strict=True))
    perms = _permutations(64)
    hashes = [h for h in _paragraph_shingles(_paragraph_tokens(parts), 5) if h.size]
    assert len(hashes) > 3
    assert np.array_equal(_signatures_of(hashes, perms), np.stack([signature(h, perms) for h in hashes]))
