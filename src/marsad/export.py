"""The export format ``marsad.export/1`` (documented in docs/export-format.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .store import Store

SCHEMA = "marsad.export/1"


def _article(a: Any, story_id: str | None) -> dict[str, Any]:
    return {
        "id": a.id,
        "source": a.url or a.source,
        "outlet": a.outlet,
        "title": a.title,
        "text": a.text,
        "published": a.published,
        "story": story_id,
        "duplicate_of": a.duplicate_of,
        "captions": list(a.captions),
        "keywords": list(a.keywords),
    }


def _story(store: Store, s: Any, entity_cache: dict[str, Any]) -> dict[str, Any]:
    missing = [e for e in s.entity_ids if e not in entity_cache]
    for ent in store.entities(missing):
        entity_cache[ent.id] = ent
    counts: dict[str, int] = {}
    for m in store.mentions(list(s.article_ids)):
        if m.entity_id:
            counts[m.entity_id] = counts.get(m.entity_id, 0) + 1
    ents = []
    for eid in s.entity_ids:
        e = entity_cache.get(eid)
        if e is None:
            continue
        ents.append(
            {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "variants": list(e.variants),
                "mentions": counts.get(e.id, e.mentions),
            }
        )
    return {
        "id": s.id,
        "headline": s.headline,
        "articles": list(s.article_ids),
        "outlets": list(s.outlets),
        "storyline": s.storyline_id,
        "start": s.start,
        "end": s.end,
        "summary": [{"text": x.text, "sources": list(x.sources)} for x in s.summary],
        "timeline": [{"date": t.date, "grain": t.grain, "text": t.text, "sources": list(t.sources)}
                     for t in s.timeline],
        "entities": ents,
    }


def iter_records(store: Store) -> Iterator[tuple[str, dict[str, Any]]]:
    """``("article"|"story"|"storyline", record)`` pairs in export order."""
    story_of = store.article_story_ids()
    for a in store.articles():
        yield "article", _article(a, story_of.get(a.id))
    cache: dict[str, Any] = {}
    for s in store.stories():
        yield "story", _story(store, s, cache)
    for sl in store.storylines():
        yield "storyline", {"id": sl.id, "title": sl.title, "stories": list(sl.story_ids)}


def export_dict(store: Store) -> dict[str, Any]:
    """The whole store as one ``marsad.export/1`` object."""
    out: dict[str, Any] = {"schema": SCHEMA, "articles": [], "stories": [], "storylines": []}
    plural = {"article": "articles", "story": "stories", "storyline": "storylines"}
    for kind, rec in iter_records(store):
        out[plural[kind]].append(rec)
    return out


def write_json(store: Store, fh: Any) -> None:
    json.dump(export_dict(store), fh, ensure_ascii=False, indent=1)
    fh.write("\n")


def write_jsonl(store: Store, fh: Any) -> None:
    """One JSON object per line: ``{"type": "article"|"story"|"storyline", ...record}``; the first line
    is ``{"schema": "marsad.export/1"}``."""
    fh.write(json.dumps({"schema": SCHEMA}) + "\n")
    for kind, rec in iter_records(store):
        fh.write(json.dumps({"type": kind, **rec}, ensure_ascii=False) + "\n")


def validate(data: dict[str, Any]) -> list[str]:
    """Problems with an export object (empty list when it matches ``marsad.export/1``)."""
    problems: list[str] = []

    def check(cond: bool, msg: str) -> None:
        if not cond:
            problems.append(msg)

    def is_date(v: Any) -> bool:
        return v is None or (isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-")

    check(data.get("schema") == SCHEMA, "schema must be marsad.export/1")
    check(set(data) == {"schema", "articles", "stories", "storylines"}, f"top-level keys: {sorted(data)}")
    art_ids = set()
    for a in data.get("articles", []):
        check(
            set(a)
            == {
                "id",
                "source",
                "outlet",
                "title",
                "text",
                "published",
                "story",
                "duplicate_of",
                "captions",
                "keywords",
            },
            f"article keys {sorted(a)}",
        )
        check(
            isinstance(a.get("id"), str) and isinstance(a.get("source"), str) and isinstance(a.get("text"), str),
            f"article {a.get('id')}: id/source/text must be strings",
        )
        check(a.get("outlet") is None or isinstance(a.get("outlet"), str), f"article {a.get('id')}: outlet")
        check(a.get("title") is None or isinstance(a.get("title"), str), f"article {a.get('id')}: title")
        check(is_date(a.get("published")), f"article {a.get('id')}: published must be YYYY-MM-DD or null")
        check(
            isinstance(a.get("captions"), list) and all(isinstance(c, str) for c in a.get("captions", [])),
            f"article {a.get('id')}: captions",
        )
        check(
            isinstance(a.get("keywords"), list) and all(isinstance(c, str) for c in a.get("keywords", [])),
            f"article {a.get('id')}: keywords",
        )
        art_ids.add(a.get("id"))
    story_ids = {s.get("id") for s in data.get("stories", [])}
    line_ids = {sl.get("id") for sl in data.get("storylines", [])}
    for a in data.get("articles", []):
        check(a.get("story") is None or a["story"] in story_ids, f"article {a['id']}: unknown story")
        check(a.get("duplicate_of") is None or a["duplicate_of"] in art_ids, f"article {a['id']}: unknown duplicate_of")
    for s in data.get("stories", []):
        check(
            set(s)
            == {
                "id",
                "headline",
                "articles",
                "outlets",
                "storyline",
                "start",
                "end",
                "summary",
                "timeline",
                "entities",
            },
            f"story keys {sorted(s)}",
        )
        check(isinstance(s.get("headline"), str), f"story {s.get('id')}: headline")
        check(all(x in art_ids for x in s.get("articles", [])), f"story {s.get('id')}: unknown article")
        check(s.get("storyline") is None or s["storyline"] in line_ids, f"story {s.get('id')}: unknown storyline")
        check(is_date(s.get("start")) and is_date(s.get("end")), f"story {s.get('id')}: start/end")
        for x in s.get("summary", []):
            check(
                set(x) == {"text", "sources"} and all(i in art_ids for i in x["sources"]),
                f"story {s['id']}: summary item",
            )
        for t in s.get("timeline", []):
            check(
                set(t) - {"grain"} == {"date", "text", "sources"}
                and t.get("grain", "day") in ("day", "month", "year")
                and is_date(t["date"])
                and t["date"] is not None
                and all(i in art_ids for i in t["sources"]),
                f"story {s['id']}: timeline item",
            )
        for e in s.get("entities", []):
            check(
                set(e) == {"id", "name", "type", "variants", "mentions"}
                and e.get("type") in ("PER", "LOC", "ORG", "MISC")
                and isinstance(e.get("mentions"), int),
                f"story {s['id']}: entity {e}",
            )
    for sl in data.get("storylines", []):
        check(
            set(sl) == {"id", "title", "stories"} and all(x in story_ids for x in sl["stories"]),
            f"storyline {sl.get('id')}",
        )
    return problems
