"""A small marsad database for the web tests, built through the Store API from hand-made records."""

from __future__ import annotations

from pathlib import Path

from marsad.records import (
    Article,
    Document,
    Entity,
    EntityMention,
    Explanation,
    Story,
    Storyline,
    SummarySentence,
    TimelineEvent,
)
from marsad.store import Store

HOSTILE = "<script>alert(1)</script> و <img src=x onerror=alert(1)> في النص"

KIM_ARTICLES = [
    Article(
        id="a-kim1",
        doc_id="d-kim1",
        index=0,
        source="samples/seeds/002.txt",
        title="وصول كيم جونغ أون إلى روسيا على متن قطاره المصفّح",
        paragraphs=(
            "وصل زعيم كوريا الشمالية كيم جونغ أون إلى روسيا، اليوم الثلاثاء، حيث من المقرر أن يلتقي الرئيس "
            "الروسي فلاديمير بوتين.",
            "عبر القطار إلى منطقة بريمورسكي في أقصى الشرق الروسي.",
        ),
        outlet="الوطن",
        published="2023-09-12",
        url="https://example.com/kim-arrives",
        captions=("قطار كيم يصل إلى محطة حدودية",),
        keywords=("كوريا الشمالية", "روسيا"),
    ),
    Article(
        id="a-kim2",
        doc_id="d-kim2",
        index=0,
        source="samples/seeds/004.txt",
        title="كيم لبوتين: علاقاتنا سترتقي إلى مستوى جديد",
        paragraphs=(
            "التقى الرئيس الروسي فلاديمير بوتين نظيره الكوري الشمالي كيم جونغ أون في قاعدة «فوستوشني» "
            "الفضائية يوم ١٣ سبتمبر.",
            "وقال بوتين إن الاجتماع يعقد في وقت مميز بمناسبة ٧٥ عامًا من العلاقات.",
        ),
        outlet="الجديد برس",
        published="2023-09-14",
        url=None,
    ),
    Article(
        id="a-kim3",
        doc_id="d-kim3",
        index=0,
        source="samples/seeds/000.txt",
        title="كيم يختتم زيارته إلى روسيا حاملاً تعهدات بتعزيز التعاون",
        paragraphs=(
            "اختتم الزعيم الكوري الشمالي كيـــم جونغ أون الأحد زيارة إلى روسيا أظهرت العلاقة الوثيقة مع بوتين.",
            "وتلقّى كيم هدايا متنوعة شملت مسيّرات انتحارية.",
            HOSTILE,
        ),
        outlet="الشرق الأوسط",
        published="2023-09-17",
        url="javascript:alert(1)",
        captions=("كيم يحيي مودعيه <b>قبل</b> ركوب قطاره",),
    ),
]

OTHER_ARTICLE = Article(
    id="a-oth1",
    doc_id="d-oth1",
    index=0,
    source="https://example.org/quake",
    title="كوريا الجنوبية تؤكد تضامنها مع المغرب بعد الزلزال",
    paragraphs=("أكدت کوریا الجنوبية تضامنها مع المغرب للتغلب على آثار الزلزال المدمّر.",),
    outlet="الوطن",
    published="2023-09-12",
    url="https://example.org/quake",
)

ENTITIES = [
    Entity("e-kim", "كيم جونغ أون", "PER", ("كيم جونغ أون", "كيم جونج أون", "كيم"), 6, "kim"),
    Entity("e-putin", "فلاديمير بوتين", "PER", ("فلاديمير بوتين", "بوتين"), 4, "putin"),
    Entity("e-russia", "روسيا", "LOC", ("روسيا",), 3, "russia"),
    Entity("e-morocco", "المغرب", "LOC", ("المغرب",), 1, "morocco"),
]


def _mentions() -> list[EntityMention]:
    out = []
    for a in [*KIM_ARTICLES, OTHER_ARTICLE]:
        text = a.text
        for e in ENTITIES:
            for v in e.variants:
                pos = text.find(v)
                if pos >= 0:
                    out.append(EntityMention(a.id, pos, pos + len(v), v, e.type, e.id))  # type: ignore[arg-type]
                    break
    return out


def build(path: Path) -> dict[str, str]:
    """Write the test database at ``path``; returns the ids the tests use."""
    store = Store(path)
    with store.transaction():
        arts = [*KIM_ARTICLES, OTHER_ARTICLE]
        store.add_documents([Document(a.doc_id, a.source, "\n\n".join(a.paragraphs), outlet=a.outlet) for a in arts])
        store.add_articles(arts)
        kim = Story(
            id="s-kim",
            headline="كيم جونغ أون يزور روسيا ويلتقي بوتين",
            article_ids=tuple(a.id for a in KIM_ARTICLES),
            outlets=("الوطن", "الجديد برس", "الشرق الأوسط"),
            start="2023-09-12",
            end="2023-09-17",
            summary=(
                SummarySentence("وصل زعيم كوريا الشمالية كيم جونغ أون إلى روسيا على متن قطاره المصفح.", ("a-kim1",)),
                SummarySentence("التقى بوتين وكيم في قاعدة فوستوشني الفضائية.", ("a-kim2", "a-kim1")),
                SummarySentence("اختتم كيم زيارته حاملاً تعهدات بتعزيز التعاون.", ("a-kim3",)),
            ),
            timeline=(
                TimelineEvent("2023-09-12", "كيم يصل إلى روسيا بالقطار.", ("a-kim1",)),
                TimelineEvent("2023-09-13", "قمة بوتين وكيم في قاعدة فوستوشني.", ("a-kim2", "a-kim3")),
                TimelineEvent("2023-09-17", "كيم يغادر روسيا <script>alert(2)</script>.", ("a-kim3",)),
            ),
            entity_ids=("e-kim", "e-putin", "e-russia"),
        )
        other = Story(
            id="s-quake",
            headline="تضامن كوري جنوبي مع المغرب",
            article_ids=("a-oth1",),
            outlets=("الوطن",),
            start="2023-09-12",
            end="2023-09-12",
            summary=(SummarySentence("أكدت كوريا الجنوبية تضامنها مع المغرب.", ("a-oth1",)),),
            entity_ids=("e-morocco",),
        )
        store.save_stories([kim, other])
        store.save_storylines([Storyline("l-korea", "كوريا الشمالية وروسيا", ("s-kim",))])
        store.save_entities(ENTITIES)
        store.save_mentions(_mentions())
        store.save_explanations(
            [
                Explanation("a-kim1", "s-kim", None, 0.0, ()),
                Explanation("a-kim2", "s-kim", "a-kim1", 0.61, (("tfidf", 0.3), ("embedding", 0.21), ("time", 0.1))),
                Explanation("a-kim3", "s-kim", "a-kim2", 0.55, (("tfidf", 0.25), ("entities", 0.3))),
                Explanation("a-oth1", "s-quake", None, 0.0, ()),
            ]
        )
    store.close()
    return {
        "story": "s-kim",
        "other": "s-quake",
        "hostile_article": "a-kim3",
        "entity": "e-kim",
        "storyline": "l-korea",
    }
