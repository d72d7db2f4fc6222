"""Tests for the SQLite store: schema, transactions, FTS5 over the match form, round trips."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from builders import article, document, entity, mention, story

from marsad.errors import StoreError
from marsad.records import DateMention, Explanation, Storyline
from marsad.store import SCHEMA_VERSION, Store


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "m.db")
    yield s
    s.close()


def test_new_database_is_migrated_and_in_wal_mode(store: Store) -> None:
    assert store.schema_version == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_keeps_data_and_version(tmp_path: Path) -> None:
    with Store(tmp_path / "m.db") as s, s.transaction():
        s.add_documents([document("نص أول")])
    with Store(tmp_path / "m.db") as s:
        assert s.count("documents") == 1
        assert s.schema_version == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "m.db") as s:
        s.conn.execute("UPDATE meta SET value='999' WHERE key='schema_version'")
        s.conn.commit()
    with pytest.raises(StoreError, match="newer"):
        Store(tmp_path / "m.db")


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="bad.db"):
        Store(bad)


def test_readonly_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "none.db", readonly=True)


def test_transaction_rolls_back_everything(store: Store) -> None:
    doc = document("نص")
    with pytest.raises(RuntimeError), store.transaction():
        store.add_documents([doc])
        store.add_articles([article(doc_id=doc.id)])
        raise RuntimeError("interrupted")
    assert store.count("documents") == 0
    assert store.count("articles") == 0
    assert store.search("الرئيس")[1] == 0


def test_documents_are_not_duplicated(store: Store) -> None:
    doc = document("نص")
    with store.transaction():
        assert store.add_documents([doc]) == 1
        assert store.add_documents([doc]) == 0
    assert store.known_document_ids([doc.id, "d-other"]) == {doc.id}


def test_article_round_trip_and_update(store: Store) -> None:
    doc = document("نص")
    a = article(
        ["فقرة أولى.", "عنوان فرعي", "فقرة ثانية."],
        doc_id=doc.id,
        captions=("صورة (أ.ف.ب)",),
        keywords=("كوريا",),
        related=("خبر آخر",),
        subheadings=(1,),
        outlet="الجزيرة",
        published="2023-09-15",
    )
    with store.transaction():
        store.add_documents([doc])
        store.add_articles([a])
        store.add_articles([a])  # update, not a second row
    assert store.count("articles") == 1
    assert store.article(a.id) == a
    assert store.search("فقرة")[1] == 1


@pytest.mark.parametrize(
    "query",
    ["مسؤول", "مسئول", "المسؤولين", "مُسؤول", "إسرائيل", "اسرائيل", "مدرسه", "المدرسة", "بوتين", "لبوتين", "٢٠٢٣"],
)
def test_search_finds_words_whatever_their_spelling(store: Store, query: str) -> None:
    doc = document("x")
    text = "قال مسؤولٌ في المدرسة إن وبوتين زار إسرائيل عام 2023، و«المسؤولين» أكدوا."
    with store.transaction():
        store.add_documents([doc])
        store.add_articles([article([text], doc_id=doc.id)])
    hits, total = store.search(query)
    assert total == 1, query
    assert len(hits) == 1


def test_search_requires_every_word_and_is_parameterised(store: Store) -> None:
    doc = document("x")
    with store.transaction():
        store.add_documents([doc])
        store.add_articles([article(["كيم في روسيا"], doc_id=doc.id)])
    assert store.search("كيم روسيا")[1] == 1
    assert store.search("كيم أوكرانيا")[1] == 0
    assert store.search('"; DROP TABLE articles; -- NEAR(') == ([], 0)
    assert store.search("")[1] == 0
    assert store.count("articles") == 1


def test_stories_entities_dates_explanations_storylines(store: Store) -> None:
    doc = document("x")
    a1, a2 = article(doc_id=doc.id, index=0), article(doc_id=doc.id, index=1)
    e = entity("كيم جونغ أون", variants=("كيم جونغ أون", "كيم جونج أون"), mentions=2)
    s = story((a1.id, a2.id), outlets=("الجزيرة",), start="2023-09-10", end="2023-09-17", entity_ids=(e.id,))
    with store.transaction():
        store.add_documents([doc])
        store.add_articles([a1, a2])
        store.save_entities([e])
        store.save_mentions([mention(a1.id, "كيم جونغ أون", e.id), mention(a2.id, "كيم جونج أون", e.id)])
        store.save_date_mentions([DateMention("الثلاثاء", 5, 13, "2023-09-12", "day", a1.id)])
        store.save_stories([s])
        store.save_explanations([Explanation(a2.id, s.id, a1.id, 0.8, (("tfidf", 0.5), ("time", 0.3)))])
        store.save_storylines([Storyline("l-1", "روسيا وكوريا الشمالية", (s.id,))])
    got = store.story(s.id)
    assert got == s.__class__(**{**{f: getattr(s, f) for f in s.__slots__}, "storyline_id": "l-1"})  # type: ignore[attr-defined]
    assert store.article_story_ids([a1.id]) == {a1.id: s.id}
    assert store.entities([e.id]) == [e]
    e2 = entity("فلاديمير بوتين", variants=("فلاديمير بوتين",), mentions=5)
    with store.transaction():
        store.save_entities([e2])
    assert store.entities([e.id, "e-unknown", e2.id]) == [e, e2]  # in the order asked, unknown ids left out
    assert store.entities([e2.id, e.id]) == [e2, e]
    assert {m.text for m in store.mentions([a1.id, a2.id])} == {"كيم جونغ أون", "كيم جونج أون"}
    assert store.date_mentions([a1.id])[0].value == "2023-09-12"
    assert store.explanations([a2.id])[a2.id].signals == (("tfidf", 0.5), ("time", 0.3))
    assert store.storylines() == [Storyline("l-1", "روسيا وكوريا الشمالية", (s.id,))]
    assert [x.id for x in store.stories()] == [s.id]


def test_state_blobs(store: Store) -> None:
    assert store.get_state("stories") is None
    with store.transaction():
        store.put_state("stories", b"\x00\x01")
    assert store.get_state("stories") == b"\x00\x01"


def test_readonly_store_cannot_write(tmp_path: Path) -> None:
    Store(tmp_path / "m.db").close()
    with Store(tmp_path / "m.db", readonly=True) as ro, pytest.raises(sqlite3.OperationalError):
        ro.conn.execute("INSERT INTO storylines(id, title) VALUES ('x', 'y')")


def test_older_schema_is_migrated_forward(tmp_path: Path) -> None:
    with Store(tmp_path / "m.db") as s:
        s.conn.execute("DROP INDEX stories_recent")
        s.conn.execute("DROP INDEX articles_outlet_published")
        s.conn.execute("DROP TABLE state_log")
        s.conn.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
        s.conn.commit()
    with Store(tmp_path / "m.db") as s:
        assert s.schema_version == SCHEMA_VERSION >= 2
        names = {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"stories_recent", "articles_outlet_published"} <= names


def test_version_2_store_gains_the_state_log_and_keeps_its_snapshots(tmp_path: Path) -> None:
    with Store(tmp_path / "m.db") as s:
        with s.transaction():
            s.put_state("stories", b"snapshot")
        s.conn.execute("DROP TABLE state_log")
        s.conn.execute("UPDATE meta SET value='2' WHERE key='schema_version'")
        s.conn.commit()
    with Store(tmp_path / "m.db") as s:
        assert s.schema_version == SCHEMA_VERSION >= 3
        assert s.get_state("stories") == b"snapshot"
        assert s.state_log("stories") == []
        with s.transaction():
            s.append_state_log("stories", b"change 1")
            s.append_state_log("stories", b"change 2")
        assert s.state_log("stories") == [b"change 1", b"change 2"]
        assert s.state_log_size("stories") == (2, 16)
        assert s.state_size("stories") == 8


def test_a_snapshot_clears_the_log(store: Store) -> None:
    with store.transaction():
        store.put_state("dedupe", b"one")
        store.append_state_log("dedupe", b"a")
        store.append_state_log("stories", b"b")
    with store.transaction():
        store.put_state("dedupe", b"two")
    assert store.state_log("dedupe") == [] and store.state_log("stories") == [b"b"]
    with store.transaction():
        store.append_state_log("dedupe", b"c")
    assert store.state_log("dedupe") == [b"c"]


def test_live_objects_are_handed_back_only_while_nobody_else_wrote(tmp_path: Path) -> None:
    with Store(tmp_path / "m.db") as s:
        obj = object()
        s.remember("stories", obj)
        assert s.recall("stories") is obj
        assert s.recall("stories") is None  # handed over, not kept
        s.remember("stories", obj)
        with Store(tmp_path / "m.db") as other, other.transaction():
            other.put_state("stories", b"from another process")
        assert s.recall("stories") is None
        s.remember("stories", obj)
        with pytest.raises(RuntimeError), s.transaction():
            raise RuntimeError("interrupted")
        assert s.recall("stories") is None  # a rolled-back batch forgets everything


def test_emptied_stories_and_storylines_are_removed_by_id(store: Store) -> None:
    doc = document("نص")
    a1, a2 = article(doc_id=doc.id, index=0), article(["فقرة أخرى"], doc_id=doc.id, index=1)
    with store.transaction():
        store.add_documents([doc])
        store.add_articles([a1, a2])
        store.save_stories([story((a1.id,), id="s-1"), story((a2.id,), id="s-2"), story((a1.id,), id="s-3")])
        store.save_stories([story((a1.id,), id="s-1")])  # s-3 keeps no article
        store.save_storylines([Storyline("l-1", "أ", ("s-1",)), Storyline("l-2", "ب", ("s-2",))])
    with store.transaction():  # a2 moves to s-1, s-2 joins l-1
        store.save_stories([story((a1.id, a2.id), id="s-1")])
        assert store.remove_empty_stories(["s-2", "s-1"]) == 1  # s-3 is not looked at
        store.save_storylines([Storyline("l-1", "أ", ("s-1",))], ["l-2"])
    assert store.story_ids() == ["s-1", "s-3"]
    assert [sl.id for sl in store.storylines()] == ["l-1"]
    with store.transaction():
        assert store.remove_empty_stories() == 1  # the full scan finds s-3
    assert store.story_ids() == ["s-1"]


def test_merged_entities_hand_their_mentions_and_stories_on(store: Store) -> None:
    from dataclasses import replace

    doc = document("x")
    a1, a2 = article(doc_id=doc.id, index=0), article(doc_id=doc.id, index=1)
    kim = entity("كيم جونغ أون", variants=("كيم جونغ أون",), mentions=1)
    short = entity("كيم", variants=("كيم",), mentions=1)
    s = story((a1.id, a2.id), entity_ids=(short.id, kim.id))
    with store.transaction():
        store.add_documents([doc])
        store.add_articles([a1, a2])
        store.save_entities([kim, short])
        store.save_mentions([mention(a1.id, "كيم جونغ أون", kim.id), mention(a2.id, "كيم", short.id)])
        store.save_stories([s])
    joined = replace(kim, variants=("كيم جونغ أون", "كيم"), mentions=2, merged=(short.id,))
    with store.transaction():
        store.save_entities([joined])
    assert [e.id for e in store.entities()] == [kim.id]
    assert {m.entity_id for m in store.mentions([a1.id, a2.id])} == {kim.id}
    got = store.story(s.id)
    assert got is not None and got.entity_ids == (kim.id,)


def test_page_outlets_name_the_outlet_of_the_first_article(store: Store) -> None:
    from dataclasses import replace

    doc = document("y")
    main = replace(article(doc_id=doc.id, index=0), outlet="الجزيرة")
    appended = replace(article(doc_id=doc.id, index=1), outlet=None)
    with store.transaction():
        store.add_documents([doc])
        store.add_articles([main, appended])
    assert store.page_outlets([appended.id, main.id, "a-unknown"]) == {appended.id: "الجزيرة", main.id: "الجزيرة"}
