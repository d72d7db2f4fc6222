"""End-to-end: the whole pipeline on the sample corpus, and the runner's guarantees."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SEEDS

from marsad import pipeline
from marsad.errors import StageError
from marsad.export import validate
from marsad.pipeline import REGISTRY, ordered_stages, run
from marsad.settings import Settings
from marsad.store import Store

SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


def _by_source(export: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for a in export["articles"]:
        out.setdefault(Path(a["source"]).name, []).append(a)
    return out


def test_stage_registry_order() -> None:
    names = [s.name for s in ordered_stages()]
    assert names == ["clean", "split", "dedupe", "entities", "dates", "stories", "summary"]
    for st in REGISTRY.values():
        assert st.help


def test_every_seed_page_gives_its_two_articles(seeds_export: dict) -> None:
    by_source = _by_source(seeds_export)
    assert sorted(by_source) == SEED_FILES
    for name, arts in by_source.items():
        assert len(arts) == 2, name
        for a in arts:
            assert a["text"].strip()
            assert "TT" not in a["text"].split()
            assert "مقالات ذات صلة" not in a["text"]
            assert "إقرأ أيضاً" not in a["text"]


def test_export_validates(seeds_export: dict) -> None:
    assert validate(seeds_export) == []
    assert all(a["story"] for a in seeds_export["articles"])


def _story_of(export: dict, seed_prefix: str, index: int = 0) -> str:
    arts = [a for a in export["articles"] if Path(a["source"]).name.startswith(seed_prefix)]
    return arts[index]["story"]


def test_kim_visit_story_and_putin_visit_story_share_a_storyline(seeds_export: dict) -> None:
    kim = {_story_of(seeds_export, p) for p in ("000", "001", "002", "004")}
    assert len(kim) == 1, "the four 2023 visit articles form one story"
    kim_story = kim.pop()
    putin = _story_of(seeds_export, "003")
    assert putin != kim_story
    appended = {_story_of(seeds_export, p, 1) for p in ("000", "001", "002", "003", "004")}
    assert len(appended) == 5 and not appended & {kim_story, putin}
    stories = {s["id"]: s for s in seeds_export["stories"]}
    assert len(stories) == 7
    assert stories[kim_story]["storyline"] is not None
    assert stories[kim_story]["storyline"] == stories[putin]["storyline"]
    assert len(stories[kim_story]["outlets"]) == 4


def test_stories_have_headline_summary_and_dates(seeds_export: dict) -> None:
    story_articles = {s["id"]: set(s["articles"]) for s in seeds_export["stories"]}
    for s in seeds_export["stories"]:
        assert s["headline"].strip()
        assert s["summary"], s["id"]
        for sent in s["summary"]:
            assert set(sent["sources"]) <= story_articles[s["id"]]
    kim = next(s for s in seeds_export["stories"] if len(s["articles"]) == 4)
    assert kim["start"] <= "2023-09-12" and kim["end"] >= "2023-09-17"
    assert any(len({sid for sid in x["sources"]}) > 1 for x in kim["summary"]), "a happening cited by several outlets"


def test_rerun_adds_nothing(seeds_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(seeds_db, db)
    with Store(db) as store:
        before = (store.count("documents"), store.count("articles"), store.count("stories"))
        report = run([str(SEEDS)], store)
        assert report.documents_new == 0 and report.documents_known == 5
        assert (store.count("documents"), store.count("articles"), store.count("stories")) == before


def test_a_document_repeated_in_the_input_is_counted_apart_from_stored_ones(tmp_path: Path) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    for name in ("a.txt", "b.txt"):  # the same page under two names (a reprint)
        shutil.copy(seed, tmp_path / name)
    with Store(tmp_path / "m.db") as store:
        report = run([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], store, Settings(batch_size=1))
        assert (report.documents_new, report.documents_known, report.documents_repeated) == (1, 0, 1)
        assert store.count("documents") == 1
        again = run([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], store)
        assert (again.documents_new, again.documents_known, again.documents_repeated) == (0, 1, 1)


def test_windows_1256_input_is_decoded(tmp_path: Path) -> None:
    text = "اختتم الزعيم الكوري الشمالي كيم جونغ أون الأحد زيارة إلى روسيا استمرت ستة أيام التقى خلالها بوتين.\n"
    path = tmp_path / "cp1256.txt"
    path.write_bytes((text * 3).encode("cp1256"))
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    with Store(tmp_path / "m.db") as store:
        report = run([str(tmp_path / "cp1256.txt"), str(tmp_path / "binary.txt")], store)
        assert [f.path for f in report.failures] == [str(tmp_path / "binary.txt")]
        assert "binary" in report.failures[0].reason
        (article,) = store.articles()
        assert "كيم جونغ أون" in article.text


def test_a_failing_stage_is_named_and_nothing_is_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(batch: pipeline.Batch) -> None:
        raise StageError("stories", "simulated crash", batch.articles[0].id)

    original = pipeline.REGISTRY["stories"]
    monkeypatch.setitem(
        pipeline.REGISTRY,
        "stories",
        pipeline.Stage("stories", boom, original.requires, original.produces, original.help),
    )
    with Store(tmp_path / "m.db") as store:
        with pytest.raises(StageError, match="stories"):
            run([str(SEEDS / SEED_FILES[0])], store)
        assert store.count("documents") == 0 and store.count("articles") == 0
    monkeypatch.undo()
    with Store(tmp_path / "m.db") as store:
        report = run([str(SEEDS / SEED_FILES[0])], store)
        assert report.documents_new == 1
        assert store.count("articles") == 2


FAST_STAGES = ["clean", "split", "dedupe", "dates", "stories"]


def _documents(path: Path) -> list:
    from marsad.ingest import iter_documents
    from marsad.records import Document

    return [d for d in iter_documents([str(path)]) if isinstance(d, Document)]


def test_one_document_at_a_time_writes_change_records_and_a_reopened_store_agrees(tmp_path: Path) -> None:
    docs = [d for name in SEED_FILES for d in _documents(SEEDS / name)]
    with Store(tmp_path / "warm.db") as warm:  # one long-running process: the live state is reused
        for doc in docs:
            pipeline.process_documents(warm, [doc], stages=FAST_STAGES)
        # the first batch wrote the snapshots; every later one only appended its change record
        assert len(warm.state_log("stories")) == len(docs) - 1
        assert len(warm.state_log("dedupe")) == len(docs) - 1
        warm_stories = warm.article_story_ids()
    for doc in docs:  # a new process per document: snapshot + log loaded each time
        with Store(tmp_path / "cold.db") as cold:
            assert cold.recall("stories") is None
            pipeline.process_documents(cold, [doc], stages=FAST_STAGES)
    with Store(tmp_path / "cold.db") as cold:
        assert cold.article_story_ids() == warm_stories
    assert len(set(warm_stories.values())) == 7  # the four 2023 visit articles in one story


def test_a_crash_after_the_live_state_changed_leaves_no_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = [d for name in SEED_FILES[:2] for d in _documents(SEEDS / name)]
    with Store(tmp_path / "m.db") as store:
        pipeline.process_documents(store, docs[:1], stages=FAST_STAGES)

        def boom(batch: pipeline.Batch) -> None:
            raise StageError("dates", "simulated crash", batch.articles[0].id)

        original = pipeline.REGISTRY["dates"]
        crashing = pipeline.Stage("dates", boom, original.requires, original.produces, original.help)
        monkeypatch.setitem(pipeline.REGISTRY, "dates", crashing)
        with pytest.raises(StageError):  # dedupe has already indexed the second document's articles
            pipeline.process_documents(store, docs[1:], stages=FAST_STAGES)
        monkeypatch.undo()
        assert store.count("articles") == 2 and store.state_log("dedupe") == []
        pipeline.process_documents(store, docs[1:], stages=FAST_STAGES)
        assert store.count("articles") == 4
        assert len(store.state_log("dedupe")) == 1 and len(store.state_log("stories")) == 1
        assert all(store.article_story_ids().values())


def test_the_stories_encoder_starts_before_the_stories_stage_and_gives_the_same_stories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a big batch's embeddings are started in worker processes once its duplicates are marked (they run
    # beside dates and entities) and stopped after the batch; the stories are those of embedding in the stories stage
    from marsad import stories

    docs = [d for name in SEED_FILES for d in _documents(SEEDS / name)]
    with Store(tmp_path / "plain.db") as store:
        pipeline.process_documents(store, docs, stages=FAST_STAGES)
        plain = store.article_story_ids()
    started: list[stories.PrefetchedEmbedding] = []
    real = stories.prefetch_embeddings

    def spy(articles, settings=None):  # type: ignore[no-untyped-def]
        job = real(articles, settings)
        if job is not None:
            started.append(job)
        return job

    monkeypatch.setattr(stories, "_BACKGROUND_MIN", 2)
    monkeypatch.setattr(stories, "_BACKGROUND_CHUNK", 3)
    monkeypatch.setattr(stories, "prefetch_embeddings", spy)
    with Store(tmp_path / "early.db") as store:
        pipeline.process_documents(store, docs, stages=FAST_STAGES)
        assert store.article_story_ids() == plain
    assert len(started) == 1
    assert all(w.proc is None for w in started[0]._job._workers)  # stopped with the batch
    assert len(set(plain.values())) == 7


def test_boilerplate_learned_under_an_outlet_identifier_stays_learned_under_its_name(tmp_path: Path) -> None:
    import json

    from marsad.arabic import match
    from marsad.records import Document

    body = "أعلنت وزارة الصحة تسجيل حالات جديدة في مدينة جدة، وقالت إن الفرق الطبية تتابع المخالطين.\n"
    doc = Document(id="d-new", source="new.json#0", content=body, outlet="عكاظ")
    with Store(tmp_path / "m.db") as store:
        # a database from before outlets had names: lines learned under SaudiNewsNet's «okaz»
        store.put_state("boilerplate", json.dumps(
            {"lines": {"okaz": ["تابعونا على تويتر"]}, "pages": {"okaz": 40}}, ensure_ascii=False).encode())
        batch = pipeline.Batch(store=store, settings=Settings(), documents=[doc])
        pipeline.REGISTRY["clean"].func(batch)
    key = match("عكاظ").strip()
    assert batch.boilerplate.for_outlet(key) == frozenset({"تابعونا على تويتر"})
    assert batch.boilerplate.pages[key] == 41 and "okaz" not in batch.boilerplate.pages


def test_the_pipeline_joins_an_alias_given_in_brackets(seeds_db: Path) -> None:
    # page 000: «حلف شمال الأطلسي (الناتو)»; the entities stage passes the article's aliases to ``unify``
    from marsad.store import Store

    with Store(seeds_db) as store:
        nato = [e for e in store.entities() if "الناتو" in e.variants]
    assert len(nato) == 1 and nato[0].name == "حلف شمال الأطلسي", [e.name for e in nato]
