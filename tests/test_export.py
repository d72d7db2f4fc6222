from __future__ import annotations

import copy
from pathlib import Path

from marsad.export import SCHEMA, validate

GOOD = {
    "schema": SCHEMA,
    "articles": [
        {
            "id": "a-1",
            "source": "x.txt",
            "outlet": "الجزيرة",
            "title": None,
            "text": "نص.",
            "published": "2023-09-15",
            "story": "s-1",
            "duplicate_of": None,
            "captions": [],
            "keywords": ["كوريا"],
        },
    ],
    "stories": [
        {
            "id": "s-1",
            "headline": "عنوان",
            "articles": ["a-1"],
            "outlets": ["الجزيرة"],
            "storyline": "l-1",
            "start": "2023-09-12",
            "end": "2023-09-17",
            "summary": [{"text": "جملة.", "sources": ["a-1"]}],
            "timeline": [{"date": "2023-09-12", "text": "وصل.", "sources": ["a-1"]}],
            "entities": [{"id": "e-1", "name": "كيم", "type": "PER", "variants": ["كيم"], "mentions": 2}],
        },
    ],
    "storylines": [{"id": "l-1", "title": "روسيا", "stories": ["s-1"]}],
}


def test_good_export_validates() -> None:
    assert validate(GOOD) == []


def test_validation_catches_shape_errors() -> None:
    bad = copy.deepcopy(GOOD)
    bad["articles"][0]["published"] = "15/09/2023"
    bad["stories"][0]["entities"][0]["type"] = "PERSON"
    bad["stories"][0]["summary"][0]["sources"] = ["a-404"]
    bad["storylines"][0]["stories"] = ["s-404"]
    problems = validate(bad)
    assert len(problems) == 4
    extra = copy.deepcopy(GOOD)
    extra["articles"][0]["body"] = "x"
    assert validate(extra)


def test_a_timeline_items_grain_is_exported_and_checked(tmp_path: Path) -> None:
    # 2015-07-22: «في مارس (آذار) الماضي» was exported as the bare date 2015-03-01, read as the 1st of March
    from builders import article, document, story

    from marsad.export import export_dict
    from marsad.records import TimelineEvent
    from marsad.store import Store

    text = "وسبق أن وقعوا الاتفاق في مارس."
    doc = document(text)
    art = article([text], doc_id=doc.id)
    with Store(tmp_path / "m.db") as st, st.transaction():
        st.add_documents([doc])
        st.add_articles([art])
        st.save_stories([story((art.id,), timeline=(TimelineEvent("2015-03-01", text, (art.id,), "month"),))])
    with Store(tmp_path / "m.db") as st:
        out = export_dict(st)
    assert out["stories"][0]["timeline"] == [{"date": "2015-03-01", "grain": "month", "text": text,
                                              "sources": [art.id]}]
    assert validate(out) == []
    month = copy.deepcopy(GOOD)
    month["stories"][0]["timeline"][0]["grain"] = "month"
    assert validate(month) == []  # (and without «grain», as older exports: GOOD)
    week = copy.deepcopy(GOOD)
    week["stories"][0]["timeline"][0]["grain"] = "week"
    assert validate(week)
