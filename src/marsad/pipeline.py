"""The pipeline: a small registry of named stages and a runner.

Each stage declares what it requires and what it produces (like spaCy's components); the runner
orders them, checks each stage's output and, when one fails, raises :class:`StageError` naming the
stage and the article. Work is done in batches of documents; each batch is written to the store in a
single transaction, so an interrupted run leaves the database consistent and a re-run picks up the
documents that were not stored.

Stages (in order): clean → split → dedupe → entities → dates → stories → summary.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .arabic import is_arabic
from .errors import StageError
from .ingest import InputFailure, iter_documents
from .records import Article, DateMention, Document, Entity, EntityMention, Explanation, Story, Storyline
from .settings import Settings
from .store import Store

LOGGER = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


@dataclass
class Batch:
    """The working state of one batch as it moves through the stages."""

    store: Store
    settings: Settings
    documents: list[Document]
    boilerplate: Any = None
    articles: list[Article] = field(default_factory=list)
    mentions: dict[str, list[EntityMention]] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    dates: dict[str, list[DateMention]] = field(default_factory=dict)
    stories: list[Story] = field(default_factory=list)
    explanations: list[Explanation] = field(default_factory=list)
    storylines: list[Storyline] = field(default_factory=list)
    state: dict[str, bytes] = field(default_factory=dict)  # stage state blobs saved with the batch
    # stage state objects (to_bytes) and their change records for this batch (see _save_state)
    live: dict[str, tuple[Any, list[bytes]]] = field(default_factory=dict)
    updated_articles: dict[str, Article] = field(default_factory=dict)
    progress: Progress | None = None
    # the stories' embeddings, started in the background once the batch is split (stories.PrefetchedEmbedding)
    prefetch: Any = None

    def tick(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    func: Callable[[Batch], None]
    requires: tuple[str, ...]
    produces: tuple[str, ...]
    help: str


REGISTRY: dict[str, Stage] = {}


def stage(
    name: str, *, requires: Sequence[str] = (), produces: Sequence[str] = (), help: str = ""
) -> Callable[[Callable[[Batch], None]], Callable[[Batch], None]]:
    """Register a stage function under ``name``."""

    def wrap(func: Callable[[Batch], None]) -> Callable[[Batch], None]:
        REGISTRY[name] = Stage(name, func, tuple(requires), tuple(produces), help or (func.__doc__ or "").strip())
        return func

    return wrap


def ordered_stages(names: Sequence[str] | None = None) -> list[Stage]:
    """The stages in dependency order (registration order breaks ties); checks requirements."""
    chosen = [REGISTRY[n] for n in (names or list(REGISTRY))]
    available: set[str] = {"documents"}
    out: list[Stage] = []
    pending = list(chosen)
    while pending:
        for st in pending:
            if set(st.requires) <= available:
                out.append(st)
                available.update(st.produces)
                pending.remove(st)
                break
        else:
            missing = {s.name: sorted(set(s.requires) - available) for s in pending}
            raise StageError(pending[0].name, f"requirements never produced: {missing}")
    return out


# ---------------------------------------------------------------------------------------------------
# The stages


def _outlet_key(key: str) -> str:
    """A stored boilerplate key under the outlet's name (``okaz`` → the key of «عكاظ»); others unchanged."""
    from .arabic import match
    from .outlets import outlet_name

    name = outlet_name(key)
    return match(name).strip() if name and name != key else key


@stage(
    "clean",
    requires=["documents"],
    produces=["boilerplate"],
    help="learn per-outlet boilerplate lines from the documents being ingested",
)
def _clean(batch: Batch) -> None:
    from . import clean

    learned = clean.learn_boilerplate(batch.documents)
    saved = batch.store.get_state("boilerplate")
    if saved is not None:  # lines learned from earlier batches stay learned
        before = json.loads(saved)
        lines: dict[str, frozenset[str]] = {}
        pages = Counter[str]()
        for o, keys in before["lines"].items():  # learned under an outlet identifier before it had its name
            key = _outlet_key(o)
            lines[key] = lines.get(key, frozenset()) | frozenset(keys)
        for o, n in before["pages"].items():
            pages[_outlet_key(o)] += n
        for outlet, keys in learned.lines.items():
            lines[outlet] = lines.get(outlet, frozenset()) | keys
        pages.update(learned.pages)
        learned = clean.Boilerplate(lines=lines, pages=dict(pages))
    batch.boilerplate = learned
    batch.state["boilerplate"] = json.dumps(
        {"lines": {o: sorted(k) for o, k in learned.lines.items()}, "pages": dict(learned.pages)}, ensure_ascii=False
    ).encode("utf-8")


@stage(
    "split",
    requires=["boilerplate"],
    produces=["articles"],
    help="clean each page and split it into its real articles with their metadata",
)
def _split(batch: Batch) -> None:
    from . import clean

    out: list[Article] = []
    for i, doc in enumerate(batch.documents):
        try:
            arts = clean.split_document(doc, batch.boilerplate)
        except Exception as exc:  # a cleaning bug must name the document
            raise StageError("split", f"{type(exc).__name__}: {exc}", doc.source) from exc
        for a in arts:
            if not a.paragraphs:
                LOGGER.info("split: dropped an empty article from %s", doc.source)
                continue
            if a.doc_id != doc.id:
                raise StageError("split", "article does not point at its document", a.id)
            out.append(a)
        batch.tick("split", i + 1, len(batch.documents))
    batch.articles = out


@stage(
    "dedupe",
    requires=["articles"],
    produces=["duplicates"],
    help="mark near-duplicate articles (reprints, wire copies) with duplicate_of",
)
def _dedupe(batch: Batch) -> None:
    from . import dedupe

    store = batch.store
    index = store.recall("dedupe")
    previous: list[Article] = []
    if index is None:
        saved = store.get_state("dedupe")
        log = store.state_log("dedupe")
        index = dedupe.DuplicateIndex.from_bytes(saved) if saved else dedupe.DuplicateIndex()
        for record in log:
            index.apply_log(record)
        # a store without a saved index (none yet, or an older version) is indexed from its articles
        if saved is None and not log:
            previous = store.articles()
    marked = dedupe.mark_duplicates(batch.articles, previous, index=index)
    record = index.take_log()
    batch.live["dedupe"] = (index, [record] if record else [])
    if len(marked) != len(batch.articles):
        raise StageError("dedupe", f"returned {len(marked)} articles for {len(batch.articles)}")
    batch.articles = list(marked)


@stage(
    "entities",
    requires=["articles"],
    produces=["mentions", "entities"],
    help="recognise people, places and organisations and unify their spellings",
)
def _entities(batch: Batch) -> None:
    if not batch.settings.entities:
        return
    from . import entities, ner

    tagger = ner.load_tagger()
    mentions: list[EntityMention] = []
    aliases: list[tuple[str, str]] = []  # «حلف شمال الأطلسي (الناتو)»: one organisation
    for i, a in enumerate(batch.articles):
        try:
            found = entities.extract_mentions(a, tagger)
            aliases.extend(entities.find_aliases(a.text, found))
        except Exception as exc:
            raise StageError("entities", f"{type(exc).__name__}: {exc}", a.id) from exc
        mentions.extend(found)
        batch.tick("entities", i + 1, len(batch.articles))
    # the stored entities these mentions can join (all of them would give the same result, 7 times slower)
    ents, unified = entities.unify(mentions, entities.related_entities(mentions, batch.store.entities()),
                                   aliases=aliases)
    by_article: dict[str, list[EntityMention]] = defaultdict(list)
    for m in unified:
        by_article[m.article_id].append(m)
    batch.mentions = dict(by_article)
    batch.entities = list(ents)


@stage(
    "dates",
    requires=["articles"],
    produces=["dates"],
    help="find publication dates and resolve the date expressions of every article",
)
def _dates(batch: Batch) -> None:
    from . import dates

    out: dict[str, list[DateMention]] = {}
    for i, a in enumerate(batch.articles):
        try:
            out[a.id] = dates.tag_article(a)
        except Exception as exc:
            raise StageError("dates", f"{type(exc).__name__}: {exc}", a.id) from exc
        batch.tick("dates", i + 1, len(batch.articles))
    batch.dates = out


@stage(
    "stories",
    requires=["duplicates", "dates"],
    produces=["stories"],
    help="group articles about the same happening into stories and link stories into storylines",
)
def _stories(batch: Batch) -> None:
    from . import stories

    store = batch.store
    index = store.recall("stories")
    if index is None:
        index = stories.StoryIndex(state=store.get_state("stories"), log_changes=True)
        for record in store.state_log("stories"):
            index.apply_log(record)
    index.log_changes = True  # what this batch changes is persisted as a change record
    result = index.add(batch.articles, batch.mentions, batch.dates, embedder=batch.prefetch, entities=batch.entities)
    batch.stories = list(result.stories)
    batch.explanations = list(result.explanations)
    batch.storylines = list(result.storylines)
    batch.live["stories"] = (index, index.take_log())


@stage(
    "summary",
    requires=["stories", "entities"],
    produces=["summaries"],
    help="infer missing publication dates, build each touched story's timeline, headline and cited summary",
)
def _summary(batch: Batch) -> None:
    from . import dates, summarize, timeline

    store = batch.store
    in_batch = {a.id: a for a in batch.articles}
    finished: list[Story] = []
    for si, story in enumerate(batch.stories):
        ids = list(story.article_ids)
        stored = {a.id: a for a in store.articles([i for i in ids if i not in in_batch])}
        arts = [in_batch.get(i) or stored[i] for i in ids if i in in_batch or i in stored]
        date_map: dict[str, list[DateMention]] = {a.id: batch.dates[a.id] for a in arts if a.id in batch.dates}
        missing = [a.id for a in arts if a.id not in date_map]
        for m in store.date_mentions(missing):
            date_map.setdefault(m.article_id or "", []).append(m)
        # publication dates: infer the missing ones from the story's dated articles
        arts, date_map = dates.complete_publication_dates(arts, date_map)
        for a in arts:
            if a.id in stored and stored[a.id].published != a.published:
                batch.updated_articles[a.id] = a
            elif a.id in in_batch:
                in_batch[a.id] = a
        events = timeline.build_timeline(arts, date_map)
        originals = [a for a in arts if not a.duplicate_of] or arts
        summary = summarize.summarize(
            originals,
            words=batch.settings.summary_words,
            sentences=batch.settings.summary_sentences,
            dates=date_map,
            use_embeddings=len(originals) > 1 or batch.settings.summary_embed_singletons,
        )
        mention_ids: Counter[str] = Counter()
        stored_ids = [a.id for a in arts if a.id not in batch.mentions]
        for mention in [m for a in arts for m in batch.mentions.get(a.id, [])] + store.mentions(stored_ids):
            if mention.entity_id:
                mention_ids[mention.entity_id] += 1
        start, end = timeline.story_span(events, [a.published for a in arts if a.published])
        outlets: list[str] = []
        for a in sorted(arts, key=lambda a: (a.duplicate_of is not None, a.published or "")):
            if a.outlet and a.outlet not in outlets and not a.duplicate_of:
                outlets.append(a.outlet)
        finished.append(
            replace(
                story,
                article_ids=tuple(a.id for a in arts),
                headline=summarize.headline(originals),
                outlets=tuple(outlets),
                start=start,
                end=end,
                summary=tuple(summary),
                timeline=tuple(events),
                entity_ids=tuple(e for e, _ in mention_ids.most_common(30)),
            )
        )
        for a in arts:
            if a.id in date_map:
                batch.dates[a.id] = date_map[a.id]
        batch.tick("summary", si + 1, len(batch.stories))
    batch.articles = list(in_batch.values())
    batch.stories = finished


# ---------------------------------------------------------------------------------------------------
# Runner


@dataclass
class RunReport:
    """What a run did."""

    documents_seen: int = 0
    documents_new: int = 0
    documents_known: int = 0  # stored by an earlier run
    documents_repeated: int = 0  # the same document again in this run's input (a reprint under another URL)
    articles_new: int = 0
    stories_touched: int = 0
    failures: list[InputFailure] = field(default_factory=list)
    # sources of new documents the split stage found no article in (stored, so a re-run stays quiet)
    without_articles: list[str] = field(default_factory=list)
    # sources of new documents whose articles are mostly not Arabic (stored; entities, dates and
    # summaries read Arabic only, so the reader is told)
    not_arabic: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures


def _not_arabic_sources(batch: Batch) -> list[str]:
    """Sources of the batch's documents whose article text is mostly in another script."""
    text: dict[str, list[str]] = defaultdict(list)
    for a in batch.articles:
        text[a.doc_id].extend(a.paragraphs)
    return [d.source for d in batch.documents if d.id in text and not is_arabic(" ".join(text[d.id]))]


def _commit(batch: Batch) -> None:
    store = batch.store
    with store.transaction():
        store.add_documents(batch.documents)
        store.add_articles(batch.articles)
        if batch.updated_articles:
            store.update_article_fields(
                [
                    (a.id, {"published": a.published, "published_how": a.published_how})
                    for a in batch.updated_articles.values()
                ]
            )
        store.save_entities(batch.entities)
        store.save_mentions([m for ms in batch.mentions.values() for m in ms])
        store.delete_date_mentions(list(batch.dates))
        store.save_date_mentions([m for ms in batch.dates.values() for m in ms])
        # the stories and storylines this batch may leave empty: where its stories' articles and its
        # storylines' stories were before (checked by id instead of scanning every story)
        story_of = {a: s.id for s in batch.stories for a in s.article_ids}
        before = store.article_story_ids(list(story_of))
        emptied = {old for a, old in before.items() if old and old != story_of[a]}
        line_of: dict[str, str | None] = {s.id: s.storyline_id for s in batch.stories}
        line_of.update((sid, sl.id) for sl in batch.storylines for sid in sl.story_ids)
        lines_before = store.story_storyline_ids([*line_of, *emptied])
        emptied_lines = {old for sid, old in lines_before.items() if old and old != line_of.get(sid)}
        store.save_stories(batch.stories)
        store.save_explanations(batch.explanations)
        store.remove_empty_stories(emptied)
        store.save_storylines(batch.storylines, emptied_lines)
        for name, blob in batch.state.items():
            store.put_state(name, blob)
        for name, (obj, records) in batch.live.items():
            _save_state(store, name, obj, records)
    for name, (obj, _) in batch.live.items():  # committed: the live objects match the database
        store.remember(name, obj)


STATE_LOG_MAX_RECORDS = 20_000  # a longer log is folded into a new snapshot (bounds the replay on load)
STATE_LOG_MIN_BYTES = 4_000_000  # a log may always grow this far, however small the snapshot


def _save_state(store: Store, name: str, obj: Any, records: Sequence[bytes]) -> None:
    """Persist what a batch changed in a stage's state: its change records appended to the log, or a
    new snapshot (``obj.to_bytes()``) once the log would outgrow the snapshot (and
    ``STATE_LOG_MIN_BYTES``) or reach ``STATE_LOG_MAX_RECORDS`` records — so writes stay
    proportional to what changed, amortised, and a load replays at most about a snapshot's worth."""
    if not records:
        return
    snapshot = store.state_size(name)
    n_records, n_bytes = store.state_log_size(name)
    added = sum(len(r) for r in records)
    too_long = n_bytes + added > max(snapshot or 0, STATE_LOG_MIN_BYTES)
    if snapshot is None or too_long or n_records + len(records) > STATE_LOG_MAX_RECORDS:
        store.put_state(name, obj.to_bytes())
    else:
        for record in records:
            store.append_state_log(name, record)


def process_documents(
    store: Store,
    documents: Sequence[Document],
    settings: Settings | None = None,
    *,
    stages: Sequence[str] | None = None,
    progress: Progress | None = None,
    report: RunReport | None = None,
) -> Batch:
    """Run the stages over new documents and write the result in one transaction."""
    settings = settings or Settings()
    report = report or RunReport()
    batch = Batch(store=store, settings=settings, documents=list(documents), progress=progress)
    chosen = ordered_stages(stages)
    wants_stories = any(st.name == "stories" for st in chosen)
    try:
        for st in chosen:
            t0 = time.perf_counter()
            st.func(batch)
            report.seconds[st.name] = report.seconds.get(st.name, 0.0) + time.perf_counter() - t0
            if progress is not None:
                progress(st.name, 1, 1)
            if wants_stories and "duplicates" in st.produces and batch.prefetch is None:
                # the encoder starts now, in worker processes, and runs beside the stages before the stories
                # (dates, entities); not before dedupe, which it slows by as much as it gains
                from . import stories

                batch.prefetch = stories.prefetch_embeddings(batch.articles)
        _commit(batch)
    finally:
        if batch.prefetch is not None:
            batch.prefetch.close()
    report.articles_new += len(batch.articles)
    if any("articles" in st.produces for st in chosen):
        found = {a.doc_id for a in batch.articles}
        report.without_articles.extend(d.source for d in batch.documents if d.id not in found)
        report.not_arabic.extend(_not_arabic_sources(batch))
    report.stories_touched += len(batch.stories)
    return batch


def run(
    paths: Iterable[str],
    store: Store,
    settings: Settings | None = None,
    *,
    progress: Progress | None = None,
    on_failure: Callable[[InputFailure], None] | None = None,
) -> RunReport:
    """Ingest ``paths`` and process every document not yet in ``store``, batch by batch."""
    settings = settings or Settings()
    report = RunReport()
    pending: dict[str, Document] = {}
    seen: set[str] = set()

    def flush() -> None:
        if not pending:
            return
        docs = list(pending.values())
        known = store.known_document_ids(d.id for d in docs)
        new = [d for d in docs if d.id not in known]
        report.documents_known += len(docs) - len(new)
        report.documents_new += len(new)
        if new:
            process_documents(store, new, settings, progress=progress, report=report)
        pending.clear()

    for item in iter_documents(paths):
        if isinstance(item, InputFailure):
            report.failures.append(item)
            if on_failure is not None:
                on_failure(item)
            continue
        report.documents_seen += 1
        if item.id in seen:
            report.documents_repeated += 1
            continue
        seen.add(item.id)
        pending[item.id] = item
        if progress is not None:
            progress("ingest", report.documents_seen, 0)
        if len(pending) >= settings.batch_size:
            flush()
    flush()
    return report
