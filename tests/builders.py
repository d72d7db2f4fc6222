"""Small builder functions that make records for tests (after sumy's tests/utils.py)."""

from __future__ import annotations

from marsad.records import Article, Document, Entity, EntityMention, Story, SummarySentence, TimelineEvent, stable_id


def document(text: str = "نص الخبر", **kw: object) -> Document:
    from marsad.ingest import document_id

    return Document(
        id=kw.pop("id", None) or document_id(text), source=str(kw.pop("source", "test.txt")), content=text, **kw
    )  # type: ignore[arg-type]


def article(
    paragraphs: tuple[str, ...] | list[str] = ("وصل الرئيس إلى موسكو.",),
    title: str | None = "عنوان",
    doc_id: str = "d-1",
    index: int = 0,
    **kw: object,
) -> Article:
    return Article(
        id=str(kw.pop("id", stable_id("a", doc_id, str(index)))),
        doc_id=doc_id,
        index=index,
        source=str(kw.pop("source", "test.txt")),
        title=title,
        paragraphs=tuple(paragraphs),
        **kw,  # type: ignore[arg-type]
    )


def story(article_ids: tuple[str, ...], **kw: object) -> Story:
    return Story(
        id=str(kw.pop("id", stable_id("s", article_ids[0]))),
        headline=str(kw.pop("headline", "قصة")),
        article_ids=article_ids,
        summary=tuple(kw.pop("summary", (SummarySentence("جملة.", article_ids),))),  # type: ignore[arg-type]
        timeline=tuple(kw.pop("timeline", (TimelineEvent("2023-09-12", "وصل.", article_ids),))),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def entity(name: str, type_: str = "PER", **kw: object) -> Entity:
    return Entity(
        id=str(kw.pop("id", stable_id("e", type_, name))),
        name=name,
        type=type_,  # type: ignore[arg-type]
        variants=tuple(kw.pop("variants", (name,))),
        mentions=int(kw.pop("mentions", 1)),
    )  # type: ignore[call-overload]


def mention(article_id: str, text: str, entity_id: str, start: int = 0, type_: str = "PER") -> EntityMention:
    return EntityMention(article_id, start, start + len(text), text, type_, entity_id)  # type: ignore[arg-type]
