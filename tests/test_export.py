from __future__ import annotations

import copy

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
