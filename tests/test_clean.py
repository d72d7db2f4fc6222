"""Tests for marsad.clean: each kind of scraped-page noise, with harakat, tatweel and Persian letters."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.clean import split_document
from marsad.records import Document, stable_id

SEEDS = Path(__file__).resolve().parent.parent / "samples" / "seeds"


def _doc(text: str, **kw: object) -> Document:
    return Document(id="d1", source="test.txt", content=text, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_each_seed_page_splits_into_two_articles(path: Path) -> None:
    doc = _doc(path.read_text(encoding="utf-8"))
    articles = split_document(doc)
    assert len(articles) == 2
    assert [a.index for a in articles] == [0, 1]
    assert articles[0].id == stable_id("a", "d1", "0")
    for a in articles:
        assert len(a.paragraphs) >= 3
