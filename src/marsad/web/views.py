"""Page-data builders shared by the HTML pages, the JSON API and the static report.

Each builder takes an open :class:`~marsad.store.Store` and returns a pydantic model from
:mod:`marsad.web.schemas`; it raises :class:`NotFound` when the thing asked for does not exist.
No SQL here: every query is a :class:`Store` method.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import time
from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

from .. import arabic
from ..records import Article, Entity, Explanation, Story
from ..store import Store, strip_prefix
from .schemas import (
    ArticleView,
    Comparison,
    EntityRef,
    EntityView,
    Fact,
    FilterOption,
    MatrixRow,
    OutletRef,
    OutletsView,
    OutletView,
    Page,
    SearchResult,
    SearchView,
    Segment,
    Signal,
    SourceChip,
    StoryCard,
    StorylinesView,
    StorylineView,
    StoryList,
    StoryListFilters,
    StoryView,
    TimelineChart,
    TimelinePoint,
    TimelineTick,
    Why,
)

LOGGER = logging.getLogger(__name__)

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20

MONTHS_AR = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
ENTITY_TYPES_AR = {"PER": "شخص", "LOC": "مكان", "ORG": "منظمة", "MISC": "أخرى"}
SIGNALS_AR = {
    "tfidf": "تشابه النص",
    "embedding": "تشابه المعنى",
    "entities": "أسماء مشتركة",
    "time": "قرب التاريخ",
    "place": "اختلاف المكان",
    "duplicate": "نسخة مكررة",
}
UNKNOWN_OUTLET = "مصدر غير معروف"

_SAFE_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,80}")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WORD_RE = re.compile("[\\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+")
_HTTP_RE = re.compile(r"https?://", re.IGNORECASE)


T = TypeVar("T")
AGGREGATE_SECONDS = 60.0  # how long whole-store aggregates (outlet counts, date range) are reused
_AGGREGATES: dict[tuple[str, str], tuple[float, Any]] = {}


def _aggregate(store: Store, key: str, compute: Callable[[], T]) -> T:
    """A whole-store aggregate, computed at most once a minute per database: these scan every
    article (about half a second on 31,000 articles) and only change when the pipeline adds some."""
    k = (store.path, key)
    now = time.monotonic()
    hit = _AGGREGATES.get(k)
    if hit is not None and now - hit[0] < AGGREGATE_SECONDS:
        value: T = hit[1]
        return value
    value = compute()
    _AGGREGATES[k] = (now, value)
    return value


class NotFound(LookupError):
    """The page asked for does not exist (404)."""

    def __init__(self, what: str, key: str) -> None:
        super().__init__(f"{what} {key!r} not found")
        self.what = what
        self.key = key


# -- small helpers ------------------------------------------------------------------------------------
def safe_name(value: str) -> str:
    """A file-name-safe form of an id or outlet name (kept when already safe, else a short hash)."""
    if _SAFE_NAME_RE.fullmatch(value) and ".." not in value:
        return value
    return "x-" + hashlib.blake2b(value.encode("utf-8"), digest_size=6).hexdigest()


def outlet_ref(name: str | None) -> OutletRef:
    name = name or UNKNOWN_OUTLET
    return OutletRef(name=name, slug=safe_name(name))


def valid_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` when ``value`` is a real date, else ``None``."""
    if not value or not _DATE_RE.fullmatch(value):
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        return None
    return value


def date_label(value: str | None, grain: str = "day") -> str:
    """``2023-09-13`` → ``13 سبتمبر 2023`` (month/year grains drop the day/month)."""
    if not value:
        return ""
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return value
    if grain == "year":
        return str(d.year)
    if grain == "month":
        return f"{MONTHS_AR[d.month - 1]} {d.year}"
    return f"{d.day} {MONTHS_AR[d.month - 1]} {d.year}"


def range_label(start: str | None, end: str | None) -> str:
    if not start and not end:
        return ""
    if not start or not end or start == end:
        return date_label(start or end)
    a, b = date.fromisoformat(start[:10]), date.fromisoformat(end[:10])
    if a.year == b.year and a.month == b.month:
        return f"{a.day}–{b.day} {MONTHS_AR[a.month - 1]} {a.year}"
    if a.year == b.year:
        return f"{a.day} {MONTHS_AR[a.month - 1]} – {b.day} {MONTHS_AR[b.month - 1]} {a.year}"
    return f"{date_label(start)} – {date_label(end)}"


def page_of(page: int, per_page: int, total: int) -> Page:
    pages = max(1, math.ceil(total / per_page)) if per_page else 1
    return Page(
        page=page,
        per_page=per_page,
        total=total,
        pages=pages,
        next=page + 1 if page < pages else None,
        prev=page - 1 if page > 1 else None,
    )


def clamp_page(page: int, per_page: int) -> tuple[int, int]:
    return max(1, page), min(max(1, per_page), MAX_PER_PAGE)


def entity_ref(e: Entity, mentions: int | None = None) -> EntityRef:
    variants = [v for v in dict.fromkeys(e.variants) if v != e.name]
    return EntityRef(
        id=e.id,
        name=e.name,
        type=e.type,
        type_label=ENTITY_TYPES_AR.get(e.type, e.type),
        variants=variants,
        mentions=e.mentions if mentions is None else mentions,
    )


def _shorten(text: str, limit: int = 220) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def _lead(s: Story) -> str | None:
    """The story card's lead: the first summary sentence that reports the story's own days. The summary is
    in the order of what it reports, so background comes first («استقال بلاتر في الثاني من يونيو» before the
    July election news); a sentence dated before the story's span is skipped here."""
    if not s.summary:
        return None
    for x in s.summary:
        if not x.date or not s.start or x.date[:10] >= s.start:
            return _shorten(x.text)
    return _shorten(s.summary[0].text)


def story_cards(store: Store, stories: Sequence[Story]) -> list[StoryCard]:
    titles = store.storyline_titles([s.storyline_id for s in stories if s.storyline_id])
    cards = []
    for s in stories:
        outlets = [outlet_ref(o) for o in s.outlets]
        cards.append(
            StoryCard(
                id=s.id,
                headline=s.headline,
                lead=_lead(s),
                start=s.start,
                end=s.end,
                dates=range_label(s.start, s.end),
                n_articles=len(s.article_ids),
                n_outlets=len(outlets),
                outlets=outlets,
                storyline_id=s.storyline_id,
                storyline_title=titles.get(s.storyline_id) if s.storyline_id else None,
            )
        )
    return cards


# -- story list -----------------------------------------------------------------------------------------
def story_list(
    store: Store,
    *,
    page: int = 1,
    per_page: int = DEFAULT_PER_PAGE,
    date_from: str | None = None,
    date_to: str | None = None,
    outlet: str | None = None,
    entity: str | None = None,
    with_options: bool = True,
) -> StoryList:
    page, per_page = clamp_page(page, per_page)
    date_from, date_to = valid_date(date_from), valid_date(date_to)
    outlet = outlet or None
    entity = entity or None
    stories, total = store.filtered_stories(
        date_from=date_from,
        date_to=date_to,
        outlet=outlet,
        entity=entity,
        limit=per_page,
        offset=(page - 1) * per_page,
    )
    entity_name = None
    if entity:
        found = store.entity(entity)
        entity_name = found.name if found else entity
    outlets: list[FilterOption] = []
    ents: list[FilterOption] = []
    n_articles = 0
    if with_options:
        counts = _aggregate(store, "outlet_counts", store.outlet_counts)
        outlets = [FilterOption(value=o, label=f"{o} ({n})") for o, n, _ in counts]
        n_articles = _aggregate(store, "n_articles", lambda: store.count("articles"))
        ents = [
            FilterOption(value=e.id, label=e.name)
            for e in _aggregate(store, "top_entities", lambda: store.top_entities(40))
        ]
        if entity and entity not in {o.value for o in ents}:
            ents.insert(0, FilterOption(value=entity, label=entity_name or entity))
    lo, hi = _aggregate(store, "date_range", store.story_date_range)
    return StoryList(
        stories=story_cards(store, stories),
        pagination=page_of(page, per_page, total),
        filters=StoryListFilters(
            date_from=date_from, date_to=date_to, outlet=outlet, entity=entity, entity_name=entity_name
        ),
        outlets=outlets,
        entities=ents,
        date_min=lo,
        date_max=hi,
        n_stories_total=_aggregate(store, "n_stories", lambda: store.count("stories")) if with_options else total,
        n_articles_total=n_articles,
    )


# -- story page -------------------------------------------------------------------------------------
def _chips(ids: Sequence[str], chip_of: dict[str, SourceChip]) -> list[SourceChip]:
    out, seen = [], set()
    for i in ids:
        if i in chip_of and i not in seen:
            seen.add(i)
            out.append(chip_of[i])
    return out


def _why(e: Explanation | None, titles: dict[str, tuple[str | None, str | None, str | None]]) -> Why | None:
    if e is None:
        return None
    near = titles.get(e.nearest_id or "")
    return Why(
        score=round(e.score, 3),
        nearest_id=e.nearest_id,
        nearest_title=near[0] if near else None,
        nearest_outlet=near[1] if near else None,
        signals=[Signal(name=k, label=SIGNALS_AR.get(k, k), value=round(v, 3)) for k, v in e.signals],
        first=e.nearest_id is None,
    )


def heading(a: Article) -> str:
    """What to call an article: its title, or the opening words of its text."""
    if a.title:
        return a.title
    return _shorten(a.paragraphs[0], 90) if a.paragraphs else "مقال بلا عنوان"


def article_view(
    a: Article,
    *,
    label: str | None = None,
    why: Why | None = None,
    story_id: str | None = None,
    story_headline: str | None = None,
    entities: Sequence[EntityRef] = (),
    page_outlet: str | None = None,
) -> ArticleView:
    url = a.url if a.url and _HTTP_RE.match(a.url) else None
    if url is None and _HTTP_RE.match(a.source):
        url = a.source
    ref = outlet_ref(a.outlet)
    return ArticleView(
        id=a.id,
        title=a.title,
        heading=heading(a),
        outlet=ref.name,
        slug=ref.slug,
        label=label or ref.name,
        page_outlet=page_outlet if not a.outlet else None,
        published=a.published,
        published_label=date_label(a.published) or None,
        published_how=a.published_how,
        url=url,
        source=a.url or a.source,
        paragraphs=list(a.paragraphs),
        subheadings=list(a.subheadings),
        captions=list(dict.fromkeys(a.captions)),
        keywords=list(a.keywords),
        duplicate_of=a.duplicate_of,
        story_id=story_id,
        story_headline=story_headline,
        why=why,
        entities=list(entities),
    )


def day_anchor(value: str) -> str:
    return f"d-{value}"


def timeline_chart(events: Sequence[Fact], width: int = 800, margin: float = 70.0) -> TimelineChart | None:
    """Geometry of the timeline: one bubble per day (its size and number = how many happenings),
    time flowing from right (earliest) to left (latest), as Arabic reads."""
    by_day: dict[str, list[Fact]] = {}
    for e in events:
        if e.date and valid_date(e.date):
            by_day.setdefault(e.date, []).append(e)
    if not by_day:
        return None
    days = sorted(by_day)
    ords = [date.fromisoformat(d).toordinal() for d in days]
    lo, hi = ords[0], ords[-1]
    x_start, x_end = width - margin, margin
    axis_y = 46.0
    span = max(hi - lo, 1)
    years = {d[:4] for d in days}

    def x_of(day: int) -> float:
        if hi == lo:
            return (x_start + x_end) / 2
        return round(x_start - (day - lo) / span * (x_start - x_end), 1)

    def short(d: date) -> str:
        return f"{d.day} {MONTHS_AR[d.month - 1]}" + (f" {d.year}" if len(years) > 1 else "")

    points = []
    for day, o in zip(days, ords, strict=True):
        items = by_day[day]
        tip = " • ".join(_shorten(e.text, 90) for e in items[:4]) + (" …" if len(items) > 4 else "")
        points.append(
            TimelinePoint(
                date=day,
                date_label=items[0].date_label or date_label(day),
                count=len(items),
                x=x_of(o),
                y=axis_y,
                r=11.0 + 3.0 * min(len(items) - 1, 5),
                anchor=day_anchor(day),
                text=tip,
            )
        )
    ticks: list[TimelineTick] = []
    last_x: float | None = None
    min_gap = 78.0 if len(years) == 1 else 118.0
    for o in ords:
        x = x_of(o)
        if last_x is not None and abs(last_x - x) < min_gap:
            continue
        ticks.append(TimelineTick(x=x, label=short(date.fromordinal(o))))
        last_x = x
    return TimelineChart(
        width=width,
        height=int(axis_y + 60),
        axis_y=axis_y,
        x_start=x_start,
        x_end=x_end,
        points=points,
        ticks=ticks,
    )


def story_page(store: Store, story_id: str) -> StoryView:
    s = store.story(story_id)
    if s is None:
        raise NotFound("story", story_id)
    arts = store.articles(list(s.article_ids))
    # Number an outlet's articles when it has several in this story.
    per_outlet: dict[str, int] = {}
    for a in arts:
        name = a.outlet or UNKNOWN_OUTLET
        per_outlet[name] = per_outlet.get(name, 0) + 1
    seen: dict[str, int] = {}
    chip_of: dict[str, SourceChip] = {}
    for a in arts:
        ref = outlet_ref(a.outlet)
        seen[ref.name] = seen.get(ref.name, 0) + 1
        label = ref.name if per_outlet[ref.name] == 1 else f"{ref.name} {seen[ref.name]}"
        chip_of[a.id] = SourceChip(article_id=a.id, outlet=ref.name, slug=ref.slug, label=label)
    summary = [
        Fact(
            kind="summary",
            text=x.text,
            date=x.date,
            date_label=date_label(x.date) or None,
            sources=_chips(x.sources, chip_of),
        )
        for x in s.summary
    ]
    events = sorted(s.timeline, key=lambda t: (t.date, t.text))
    timeline = [
        Fact(
            kind="timeline",
            text=t.text,
            date=t.date,
            date_label=date_label(t.date, t.grain),
            sources=_chips(t.sources, chip_of),
        )
        for t in events
    ]
    # Outlet-by-outlet comparison: which facts each outlet reported.
    outlet_names = list(dict.fromkeys([*s.outlets, *(c.outlet for c in chip_of.values())]))
    outlet_names = [o for o in outlet_names if o in per_outlet]
    rows = []
    for f in [*summary, *timeline]:
        have = {c.outlet for c in f.sources}
        rows.append(
            MatrixRow(fact=f.text, kind=f.kind, date_label=f.date_label, cells=[o in have for o in outlet_names])
        )
    comparison = Comparison(
        outlets=[outlet_ref(o) for o in outlet_names],
        rows=rows,
        counts=[sum(r.cells[i] for r in rows) for i in range(len(outlet_names))],
    )
    counts = store.entity_mention_counts([a.id for a in arts])
    ents = [entity_ref(e, counts.get(e.id, e.mentions)) for e in store.entities(list(s.entity_ids))]
    ents.sort(key=lambda e: (-e.mentions, e.name))
    expl = store.explanations([a.id for a in arts])
    titles: dict[str, tuple[str | None, str | None, str | None]] = {
        a.id: (heading(a), a.outlet, a.published) for a in arts
    }
    missing = [e.nearest_id for e in expl.values() if e.nearest_id and e.nearest_id not in titles]
    if missing:
        titles.update(store.article_titles(missing))
    pages = store.page_outlets([a.id for a in arts if not a.outlet])
    articles = [
        article_view(a, label=chip_of[a.id].label, why=_why(expl.get(a.id), titles), story_id=s.id,
                     page_outlet=pages.get(a.id))
        for a in arts
    ]
    storyline_title = None
    if s.storyline_id:
        storyline_title = store.storyline_titles([s.storyline_id]).get(s.storyline_id)
    return StoryView(
        id=s.id,
        headline=s.headline,
        start=s.start,
        end=s.end,
        dates=range_label(s.start, s.end),
        n_articles=len(arts),
        outlets=[outlet_ref(o) for o in outlet_names],
        storyline_id=s.storyline_id,
        storyline_title=storyline_title,
        summary=summary,
        timeline=timeline,
        chart=timeline_chart(timeline),
        chart_narrow=timeline_chart(timeline, width=400, margin=40.0),
        entities=ents,
        comparison=comparison,
        articles=articles,
    )


# -- other pages ------------------------------------------------------------------------------------
def article_page(store: Store, article_id: str) -> ArticleView:
    a = store.article(article_id)
    if a is None:
        raise NotFound("article", article_id)
    story_id = store.article_story_ids([a.id]).get(a.id)
    headline = store.story_headlines([story_id]).get(story_id) if story_id else None
    expl = store.explanations([a.id]).get(a.id)
    titles = store.article_titles([expl.nearest_id]) if expl and expl.nearest_id else {}
    mentions = store.mentions([a.id])
    counts: dict[str, int] = {}
    for m in mentions:
        if m.entity_id:
            counts[m.entity_id] = counts.get(m.entity_id, 0) + 1
    ents = sorted(
        (entity_ref(e, counts[e.id]) for e in store.entities(list(counts))), key=lambda e: (-e.mentions, e.name)
    )
    page = store.page_outlets([a.id]).get(a.id) if not a.outlet else None
    return article_view(a, why=_why(expl, titles), story_id=story_id, story_headline=headline, entities=ents,
                        page_outlet=page)


def entity_page(store: Store, entity_id: str, *, page: int = 1, per_page: int = DEFAULT_PER_PAGE) -> EntityView:
    e = store.entity(entity_id)
    if e is None:
        raise NotFound("entity", entity_id)
    page, per_page = clamp_page(page, per_page)
    stories, total = store.filtered_stories(entity=entity_id, limit=per_page, offset=(page - 1) * per_page)
    related = store.cooccurring_entities(entity_id, limit=24)
    return EntityView(
        entity=entity_ref(e),
        n_stories=total,
        stories=story_cards(store, stories),
        pagination=page_of(page, per_page, total),
        related=[entity_ref(x) for x, _ in related],
        related_counts=[n for _, n in related],
    )


def entities_page(store: Store, limit: int = 200) -> list[EntityRef]:
    return [entity_ref(e) for e in store.top_entities(limit)]


def outlets_page(store: Store) -> OutletsView:
    counts = _aggregate(store, "outlet_counts", store.outlet_counts)
    return OutletsView(
        outlets=[outlet_ref(o) for o, _, _ in counts],
        articles=[n for _, n, _ in counts],
        stories=[k for _, _, k in counts],
    )


def outlet_page(store: Store, name: str, *, page: int = 1, per_page: int = DEFAULT_PER_PAGE) -> OutletView:
    counts = {o: (n, k) for o, n, k in _aggregate(store, "outlet_counts", store.outlet_counts)}
    n_articles, n_stories = counts.get(name) or store.outlet_article_count(name)
    if n_articles == 0:
        raise NotFound("outlet", name)
    page, per_page = clamp_page(page, per_page)
    arts = store.outlet_articles(name, limit=per_page, offset=(page - 1) * per_page)
    story_of = store.article_story_ids([a.id for a in arts])
    heads = store.story_headlines([s for s in story_of.values() if s])
    stories, _ = store.filtered_stories(outlet=name, limit=10) if page == 1 else ([], 0)
    return OutletView(
        outlet=outlet_ref(name),
        n_articles=n_articles,
        n_stories=n_stories,
        stories=story_cards(store, stories),
        articles=[
            article_view(a, story_id=story_of.get(a.id), story_headline=heads.get(story_of.get(a.id) or ""))
            for a in arts
        ],
        pagination=page_of(page, per_page, n_articles),
    )


def storyline_page(store: Store, storyline_id: str) -> StorylineView:
    sl = store.storyline(storyline_id)
    if sl is None:
        raise NotFound("storyline", storyline_id)
    return StorylineView(id=sl.id, title=sl.title, stories=story_cards(store, store.stories_by_ids(sl.story_ids)))


def storylines_page(store: Store) -> StorylinesView:
    """Every storyline, the one that went on latest first (then the longest), as the story list is ordered."""
    out = []
    for sl in store.storylines():
        out.append(
            StorylineView(id=sl.id, title=sl.title, stories=story_cards(store, store.stories_by_ids(sl.story_ids)))
        )
    out.sort(key=lambda v: (max((c.end or c.start or "" for c in v.stories), default=""), len(v.stories)),
             reverse=True)
    return StorylinesView(storylines=out)


# -- search -----------------------------------------------------------------------------------------
def _forms(text: str) -> frozenset[str]:
    out: set[str] = set()
    for token in arabic.match_tokens(text):
        out.add(token)
        out.add(strip_prefix(token))
    return frozenset(out)


@lru_cache(maxsize=65536)
def _word_forms(word: str) -> frozenset[str]:
    return _forms(word)


def query_keys(query: str) -> frozenset[str]:
    """The forms a text word may take to count as a match: each query word's match form and its
    clitic-stripped form (the same rule the full-text index uses, see :func:`marsad.store.fts_query`)."""
    return _forms(query)


def _is_hit(word: str, keys: frozenset[str]) -> bool:
    return not _word_forms(word).isdisjoint(keys)


def highlight(text: str, keys: frozenset[str]) -> list[Segment]:
    """``text`` cut into plain and marked segments (the marked ones are words that match the query)."""
    out: list[Segment] = []
    pos = 0
    for m in _WORD_RE.finditer(text):
        if keys and _is_hit(m.group(0), keys):
            if m.start() > pos:
                out.append(Segment(text=text[pos : m.start()]))
            out.append(Segment(text=m.group(0), mark=True))
            pos = m.end()
    if pos < len(text):
        out.append(Segment(text=text[pos:]))
    return out


# Every display-form spelling of a match-form character (the inverse of ``arabic.match``'s folding).
_SPELLINGS = {
    "ا": "اأإآٱٲٳٵ",
    "ء": "ءؤئ",
    "ي": "يىیې",
    "ه": "هةەہھۀۃ",
    "ك": "كکڪ",
    **{str(i): f"{i}{chr(0x660 + i)}{chr(0x6F0 + i)}" for i in range(10)},
}
_IGNORABLE = "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u00ad\u200b-\u200f]*"


@lru_cache(maxsize=1024)
def key_finder(keys: frozenset[str]) -> re.Pattern[str]:
    """A regex finding, in display text, every place a word holding one of ``keys`` (match forms) may
    start: each character stands for all its spellings, with diacritics or tatweel allowed between.
    It may find more than the real matches (they are checked word by word), never fewer."""
    parts = []
    for key in sorted(keys, key=len, reverse=True):
        chars = [f"[{re.escape(_SPELLINGS[c])}]" if c in _SPELLINGS else re.escape(c) for c in key]
        parts.append(_IGNORABLE.join(chars))
    return re.compile("|".join(parts) or "(?!)", re.IGNORECASE)


def snippet(paragraphs: Sequence[str], keys: frozenset[str], before: int = 12, after: int = 30) -> list[Segment]:
    """A window of about ``before + after`` words around the first match, with the matches marked."""
    finder = key_finder(keys)
    for para in paragraphs:
        if not finder.search(para):  # cheap test first: no spelling of any key anywhere in the paragraph
            continue
        words = list(_WORD_RE.finditer(para))
        for i, m in enumerate(words):
            if _is_hit(m.group(0), keys):
                a = max(0, i - before)
                b = min(len(words), i + after)
                start = 0 if a == 0 else words[a - 1].end() + 1
                end = words[b - 1].end() if b < len(words) else len(para)
                segs = highlight(para[start:end], keys)
                if a > 0:
                    segs.insert(0, Segment(text="… "))
                if b < len(words):
                    segs.append(Segment(text=" …"))
                return segs
    first = paragraphs[0] if paragraphs else ""
    return [Segment(text=_shorten(first, 240))]


def search_page(store: Store, query: str, *, page: int = 1, per_page: int = DEFAULT_PER_PAGE) -> SearchView:
    page, per_page = clamp_page(page, per_page)
    query = query.strip()[:200]
    if not query:
        return SearchView(query="", results=[], pagination=page_of(1, per_page, 0))
    hits, total = store.search_hits(query, limit=per_page, offset=(page - 1) * per_page)
    ids = [h.article_id for h in hits]
    arts = {a.id: a for a in store.articles(ids)}
    story_of = store.article_story_ids(ids)
    heads = store.story_headlines([s for s in story_of.values() if s])
    keys = query_keys(query)
    results = []
    for aid in ids:
        a = arts.get(aid)
        if a is None:
            continue
        ref = outlet_ref(a.outlet)
        sid = story_of.get(aid)
        results.append(
            SearchResult(
                article_id=aid,
                title=a.title,
                title_segments=highlight(heading(a), keys),
                outlet=ref.name,
                slug=ref.slug,
                published=a.published,
                published_label=date_label(a.published) or None,
                story_id=sid,
                story_headline=heads.get(sid) if sid else None,
                snippet=snippet(a.paragraphs, keys),
            )
        )
    return SearchView(query=query, results=results, pagination=page_of(page, per_page, total))
