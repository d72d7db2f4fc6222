"""Stories across outlets, built incrementally, with an explanation for every article; storylines.

A story is the coverage of one specific happening. Articles are taken one at a time in a fixed order
(publication day, then input order); each one joins the story of its nearest earlier article when
their combined score passes ``join_threshold`` (and the story as a whole agrees, see
``support_threshold``), or starts a new story. The score combines four signals:

* ``tfidf``: cosine of character 3–5-gram TF-IDF vectors of the match form of title + opening.
  The vectors are hashed (a fixed ``HashingVectorizer``) and weighted with document frequencies kept
  in the state, so a vector means the same thing from one run to the next;
* ``embedding``: cosine of multilingual sentence embeddings (:func:`marsad.embed.embed`) of
  title + lead;
* ``entities``: overlap of the named entities (entity ids, else the match form of the mention text)
  when mentions are given; skipped otherwise;
* ``time``: how close the dates are — the publication date and the day-grain dates each article
  talks about (``dates_by_article``); far-apart dates lower the score, unknown dates are neutral.

Same topic is not same story: the threshold is set so that two articles about one theme (two
different summits of the same leaders) stay apart unless their text is close; those are linked a
level up, into a *storyline* (stories that continue one another: same actors and theme over weeks
or months), titled from the words and names its stories share.

Incremental: :func:`cluster` takes the ``state`` bytes of the previous run (features of recent
articles within ``window_days``, story memberships, document frequencies, story centroids for the
storylines) and returns the new state. The nearest-neighbour search runs over the recent members
only (a numpy/scipy matrix product per publication day), so adding articles never re-clusters the
corpus; running a corpus in one batch or in daily slices follows the same order and gives (almost)
the same stories — the only difference is that the document frequencies of later days are not yet
known to an earlier slice (measured in ``docs/evaluation.md``).

Outlets: ``Story.outlets`` are the distinct outlets of the story's articles, duplicates included
(a wire copy printed by another outlet shows that outlet covered the story), each outlet once — so
a reprint never counts twice in the tally.

``StoryResult.stories`` holds the stories this run created or changed (with all their articles,
earlier runs' included); ``StoryResult.storylines`` the storylines they belong to.
"""

from __future__ import annotations

import io
import json
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import scipy.sparse as sp

from marsad.arabic import display, match, match_tokens
from marsad.errors import SettingsError
from marsad.records import Article, DateMention, EntityMention, Explanation, Story, Storyline, stable_id

LOGGER = logging.getLogger(__name__)

__all__ = ["StoryResult", "StorySettings", "cluster", "article_features"]

_STATE_FORMAT = 1
_NO_DAY = -1

Embedder = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class StorySettings:
    """How articles are grouped into stories and stories into storylines."""

    w_tfidf: float = 0.45  # weight of the character n-gram TF-IDF cosine
    w_embedding: float = 0.35  # weight of the sentence-embedding cosine
    w_entities: float = 0.20  # weight of the shared-entity overlap (skipped when no mentions)
    w_time: float = 0.15  # weight of the time signal (+ when dates are close, − when far apart)
    join_threshold: float = 0.50  # combined score an article needs with its nearest story member
    support_threshold: float = 0.38  # mean score it needs with the story's members (stops chaining)
    window_days: int = 4  # how far back (publication days) the nearest-neighbour search looks
    time_scale_days: float = 3.0  # dates this many days apart give a neutral time signal
    max_gap_days: int = 30  # articles whose closest dates are further apart never share a story
    lead_chars: int = 1200  # characters of the body (after the title) used for TF-IDF
    embed_chars: int = 300  # characters of the body used for the embedding (title + lead)
    n_features: int = 1 << 20  # hashed TF-IDF dimensions
    use_embeddings: bool = True  # off: the embedding signal is skipped (faster, less accurate)
    storyline_threshold: float = 0.30  # centroid score for two stories to continue one another
    storyline_window_days: int = 400  # how far apart two stories of one storyline may be
    max_recent: int = 60000  # most article vectors kept in the state

    def __post_init__(self) -> None:
        if not 0.0 < self.join_threshold < 1.0:
            raise SettingsError(f"stories.join_threshold = {self.join_threshold}: use a number in (0, 1), e.g. 0.5")
        if self.window_days < 0 or self.storyline_window_days < 0:
            raise SettingsError("stories.window_days and stories.storyline_window_days must be ≥ 0")
        if min(self.w_tfidf, self.w_embedding, self.w_entities, self.w_time) < 0:
            raise SettingsError("stories.w_* weights must be ≥ 0")


@dataclass(frozen=True, slots=True)
class StoryResult:
    """What :func:`cluster` returns."""

    stories: list[Story]
    explanations: list[Explanation]
    storylines: list[Storyline]
    state: bytes = field(repr=False, default=b"")


# ------------------------------------------------------------------------------------------------
# features


def _vectorizer(n_features: int) -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        n_features=n_features,
        alternate_sign=False,
        norm=None,
        lowercase=False,
        dtype=np.float32,
    )


def _tfidf_text(article: Article, lead_chars: int) -> str:
    body = article.text[:lead_chars]
    return match(f"{article.title or ''}\n{body}")


def _embed_text(article: Article, embed_chars: int) -> str:
    lead = article.text[:embed_chars]
    return display(f"{article.title}. {lead}" if article.title else lead)


def _day(value: str | None) -> int:
    if not value or len(value) < 10:
        return _NO_DAY
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return _NO_DAY


def _iso(day: int) -> str | None:
    return date.fromordinal(day).isoformat() if day != _NO_DAY else None


def _entity_keys(mentions: Sequence[EntityMention]) -> frozenset[str]:
    keys = set()
    for m in mentions:
        key = m.entity_id or match(m.text).strip()
        if key:
            keys.add(key)
    return frozenset(keys)


def _article_days(article: Article, dates: Sequence[DateMention]) -> tuple[int, ...]:
    days = {_day(article.published)}
    days.update(_day(d.value) for d in dates if d.grain == "day")
    days.discard(_NO_DAY)
    return tuple(sorted(days))


def article_features(
    articles: Sequence[Article], settings: StorySettings, embedder: Embedder | None = None
) -> tuple[sp.csr_matrix, np.ndarray | None]:
    """Hashed raw TF counts (sublinear, not yet IDF-weighted) and embeddings of ``articles``."""
    texts = [_tfidf_text(a, settings.lead_chars) for a in articles]
    counts = _vectorizer(settings.n_features).transform(texts).tocsr()
    counts.data = 1.0 + np.log(counts.data)
    emb = None
    if settings.use_embeddings:
        if embedder is None:
            from marsad.embed import embed

            embedder = embed
        emb = np.asarray(embedder([_embed_text(a, settings.embed_chars) for a in articles]), dtype=np.float32)
    return counts, emb


def _normalise_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ m)


# ------------------------------------------------------------------------------------------------
# state


@dataclass
class _Member:
    id: str
    story: str
    day: int  # publication day (or _NO_DAY)
    days: tuple[int, ...]  # days it talks about (publication included)
    entities: frozenset[str]
    outlet: str | None
    title: str | None
    published: str | None
    duplicate_of: str | None


@dataclass
class _StoryInfo:
    id: str
    article_ids: list[str]
    outlets: list[str]
    headline: str
    days: list[int]  # publication days of the members (or talked-about days when none is known)
    storyline: str | None = None
    n: int = 0  # members counted in the centroid
    terms: Counter[str] = field(default_factory=Counter)  # title words, for storyline titles
    entities: Counter[str] = field(default_factory=Counter)


class _State:
    def __init__(self, settings: StorySettings) -> None:
        self.settings = settings
        self.df = np.zeros(settings.n_features, dtype=np.int32)
        self.n_docs = 0
        self.members: list[_Member] = []
        self.tf = sp.csr_matrix((0, settings.n_features), dtype=np.float32)  # IDF-weighted, normalised rows
        self.emb = np.zeros((0, 512), dtype=np.float32)
        self.stories: dict[str, _StoryInfo] = {}
        self.story_of: dict[str, str] = {}  # article id → story id (all articles ever seen)
        # story centroids (sums of member vectors) for storylines
        self.cent_tf: dict[str, sp.csr_matrix] = {}
        self.cent_emb: dict[str, np.ndarray] = {}
        self.storyline_of: dict[str, str] = {}  # story id → storyline id
        self.storyline_titles: dict[str, str] = {}

    # -- persistence ------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        meta = {
            "format": _STATE_FORMAT,
            "n_features": self.settings.n_features,
            "n_docs": self.n_docs,
            "members": [
                [m.id, m.story, m.day, list(m.days), sorted(m.entities), m.outlet, m.title, m.published, m.duplicate_of]
                for m in self.members
            ],
            "stories": [
                [s.id, s.article_ids, s.outlets, s.headline, s.days, s.storyline, s.n, dict(s.terms), dict(s.entities)]
                for s in self.stories.values()
            ],
            "story_of": self.story_of,
            "cent_ids": list(self.cent_tf),
            "storyline_of": self.storyline_of,
            "storyline_titles": self.storyline_titles,
        }
        nz = np.flatnonzero(self.df)
        arrays: dict[str, np.ndarray] = {
            "meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
            "df_idx": nz.astype(np.int32),
            "df_val": self.df[nz],
            "emb": self.emb.astype(np.float16),
            "cemb": np.vstack([*self.cent_emb.values(), np.zeros((0, 512), np.float32)]).astype(np.float32),
            **_pack("tf", self.tf),
            **_pack("ctf", _stack_rows(list(self.cent_tf.values()), self.settings.n_features)),
        }
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, settings: StorySettings) -> _State:
        st = cls(settings)
        with np.load(io.BytesIO(data)) as npz:
            meta = json.loads(npz["meta"].tobytes().decode("utf-8"))
            if meta.get("format") != _STATE_FORMAT or meta.get("n_features") != settings.n_features:
                raise SettingsError("the stored story state was made by another version or n_features: rebuild it")
            st.df[npz["df_idx"]] = npz["df_val"]
            st.tf = _unpack(npz, "tf", settings.n_features)
            st.emb = npz["emb"].astype(np.float32)
            ctf = _unpack(npz, "ctf", settings.n_features)
            cemb = npz["cemb"].astype(np.float32)
        st.n_docs = meta["n_docs"]
        st.members = [
            _Member(m[0], m[1], m[2], tuple(m[3]), frozenset(m[4]), m[5], m[6], m[7], m[8]) for m in meta["members"]
        ]
        for s in meta["stories"]:
            st.stories[s[0]] = _StoryInfo(s[0], s[1], s[2], s[3], s[4], s[5], s[6], Counter(s[7]), Counter(s[8]))
        st.story_of = meta["story_of"]
        for i, sid in enumerate(meta["cent_ids"]):
            st.cent_tf[sid] = ctf[i]
            st.cent_emb[sid] = cemb[i]
        st.storyline_of = meta["storyline_of"]
        st.storyline_titles = meta["storyline_titles"]
        return st


def _stack_rows(rows: list[sp.csr_matrix], n_features: int) -> sp.csr_matrix:
    if not rows:
        return sp.csr_matrix((0, n_features), dtype=np.float32)
    return sp.vstack(rows).tocsr()


def _pack(name: str, m: sp.csr_matrix) -> dict[str, np.ndarray]:
    m = sp.csr_matrix(m)
    return {
        f"{name}_data": m.data.astype(np.float16),
        f"{name}_indices": m.indices.astype(np.int32),
        f"{name}_indptr": m.indptr.astype(np.int64),
    }


def _unpack(npz: Any, name: str, n_features: int) -> sp.csr_matrix:
    indptr = npz[f"{name}_indptr"]
    return sp.csr_matrix(
        (npz[f"{name}_data"].astype(np.float32), npz[f"{name}_indices"], indptr),
        shape=(len(indptr) - 1, n_features),
    )


# ------------------------------------------------------------------------------------------------
# scoring


def _gap(a: tuple[int, ...], b: tuple[int, ...]) -> int | None:
    """Days between the closest dates of two articles (None when either has none)."""
    if not a or not b:
        return None
    bi = np.asarray(b)
    return min(int(np.min(np.abs(bi - x))) for x in a)


def _time_signal(gap: int | None, scale: float) -> float | None:
    """+1 when the two articles share a date, 0 at ``scale`` days apart, down to −1 far apart."""
    if gap is None:
        return None
    return float(2.0 * math.exp(-gap * math.log(2.0) / scale) - 1.0) if scale > 0 else (1.0 if gap == 0 else -1.0)


def _entity_signal(a: frozenset[str], b: frozenset[str]) -> float | None:
    if not a or not b:
        return None
    return len(a & b) / math.sqrt(len(a) * len(b))


class _Scorer:
    def __init__(self, settings: StorySettings, use_entities: bool) -> None:
        self.s = settings
        self.use_entities = use_entities

    def parts(
        self, tfidf: float, emb: float | None, ents: float | None, time: float | None
    ) -> tuple[float, tuple[tuple[str, float], ...]]:
        s = self.s
        weighted = [("tfidf", s.w_tfidf, tfidf)]
        if emb is not None:
            weighted.append(("embedding", s.w_embedding, emb))
        if self.use_entities and ents is not None:
            weighted.append(("entities", s.w_entities, ents))
        total_w = sum(w for _, w, _ in weighted) or 1.0
        signals = [(name, w * x / total_w) for name, w, x in weighted]
        if time is not None:
            signals.append(("time", s.w_time * time))
        score = sum(v for _, v in signals)
        return score, tuple((n, round(v, 4)) for n, v in signals)


# ------------------------------------------------------------------------------------------------
# clustering


def _order(articles: Sequence[Article]) -> list[int]:
    return sorted(range(len(articles)), key=lambda i: (_day(articles[i].published), i))


def cluster(
    articles: Sequence[Article],
    mentions_by_article: Mapping[str, Sequence[EntityMention]] | None = None,
    dates_by_article: Mapping[str, Sequence[DateMention]] | None = None,
    state: bytes | None = None,
    *,
    settings: StorySettings | None = None,
    embedder: Embedder | None = None,
) -> StoryResult:
    """Group ``articles`` into stories (joining the stories kept in ``state``), explain, link storylines."""
    s = settings or StorySettings()
    st = _State.from_bytes(state, s) if state else _State(s)
    mentions_by_article = mentions_by_article or {}
    dates_by_article = dates_by_article or {}
    fresh = [a for a in dict.fromkeys(articles) if a.id not in st.story_of]
    seen_ids: set[str] = set()
    new: list[Article] = []
    for a in fresh:  # one record per id
        if a.id not in seen_ids:
            seen_ids.add(a.id)
            new.append(a)
    use_entities = any(mentions_by_article.get(a.id) for a in new) or any(m.entities for m in st.members)
    scorer = _Scorer(s, use_entities)
    explanations: list[Explanation] = []
    touched: set[str] = set()
    if new:
        _assign(new, st, s, scorer, mentions_by_article, dates_by_article, embedder, explanations, touched)
    touched_lines = _link_storylines(st, s, touched)
    stories = [_story_record(st, sid) for sid in sorted(touched | touched_lines["stories"])]
    storylines = [
        Storyline(id=lid, title=st.storyline_titles.get(lid, ""), story_ids=tuple(ids))
        for lid, ids in sorted(touched_lines["lines"].items())
    ]
    _prune(st, s)
    return StoryResult(stories=stories, explanations=explanations, storylines=storylines, state=st.to_bytes())


def _assign(
    new: Sequence[Article],
    st: _State,
    s: StorySettings,
    scorer: _Scorer,
    mentions_by_article: Mapping[str, Sequence[EntityMention]],
    dates_by_article: Mapping[str, Sequence[DateMention]],
    embedder: Embedder | None,
    explanations: list[Explanation],
    touched: set[str],
) -> None:
    counts, emb = article_features(new, s, embedder)
    # document frequencies first, so a batch and its daily slices see the same weights for the batch
    present = counts.copy()
    present.data = np.ones_like(present.data)
    st.df += np.asarray(present.sum(axis=0)).ravel().astype(np.int32)
    st.n_docs += len(new)
    idf = np.log((1.0 + st.n_docs) / (1.0 + st.df.astype(np.float32))).astype(np.float32) + 1.0
    tf = _normalise_rows(sp.csr_matrix(counts @ sp.diags(idf)))
    if emb is None:
        emb = np.zeros((len(new), 512), dtype=np.float32)

    order = _order(new)
    # process one publication day at a time: one matrix product against the recent pool per day
    by_day: dict[int, list[int]] = defaultdict(list)
    for i in order:
        by_day[_day(new[i].published)].append(i)
    for day in sorted(by_day):
        idx = by_day[day]
        base = len(st.members)
        pool = _pool(st, s, day)  # indices of earlier members the day may join
        pool_tf = sp.vstack([st.tf[pool], tf[idx]]).tocsr() if pool else tf[idx]
        pool_emb = np.vstack([st.emb[pool], emb[idx]]) if pool else emb[idx]
        sim_tf = np.asarray((tf[idx] @ pool_tf.T).todense(), dtype=np.float32)
        sim_emb = emb[idx] @ pool_emb.T
        pool_members = list(pool) + [base + k for k in range(len(idx))]
        # append the day's members now (their stories are filled in as they are assigned)
        st.tf = sp.vstack([st.tf, tf[idx]]).tocsr()
        st.emb = np.vstack([st.emb, emb[idx]])
        for k, i in enumerate(idx):
            a = new[i]
            ents = _entity_keys(mentions_by_article.get(a.id, ()))
            days = _article_days(a, dates_by_article.get(a.id, ()))
            m = _Member(a.id, "", _day(a.published), days, ents, a.outlet, a.title, a.published, a.duplicate_of)
            st.members.append(m)
            story, expl = _choose(a, m, k, len(pool), sim_tf[k], sim_emb[k], pool_members, st, s, scorer)
            _join(st, story, m, tf[i], emb[i])
            touched.add(story)
            explanations.append(expl if expl.story_id else Explanation(a.id, story, None, expl.score, expl.signals))


def _pool(st: _State, s: StorySettings, day: int) -> list[int]:
    """Recent members a day's articles may join: those within ``window_days`` (or with no date)."""
    if not st.members:
        return []
    days = np.fromiter((m.day for m in st.members), dtype=np.int64, count=len(st.members))
    if day == _NO_DAY:
        keep = np.ones(len(days), dtype=bool)
    else:
        keep = (days == _NO_DAY) | (np.abs(days - day) <= s.window_days)
    return np.flatnonzero(keep).tolist()


def _choose(
    a: Article,
    m: _Member,
    k: int,
    n_pool: int,
    sim_tf: np.ndarray,
    sim_emb: np.ndarray,
    pool_members: list[int],
    st: _State,
    s: StorySettings,
    scorer: _Scorer,
) -> tuple[str, Explanation]:
    """The story ``a`` joins (an existing one or a new one) and why."""
    # a copy joins the story of its original
    if a.duplicate_of and a.duplicate_of in st.story_of:
        story = st.story_of[a.duplicate_of]
        return story, Explanation(a.id, story, a.duplicate_of, 1.0, (("duplicate", 1.0),))
    n_cand = n_pool + k  # earlier pool members + the day's articles before this one
    best: tuple[float, int, tuple[tuple[str, float], ...]] | None = None
    if n_cand:
        tfs = sim_tf[:n_cand]
        embs = sim_emb[:n_cand]
        text = s.w_tfidf * tfs + (s.w_embedding * embs if s.use_embeddings else 0.0)
        text = text / (s.w_tfidf + (s.w_embedding if s.use_embeddings else 0.0))
        # full scoring only for plausible candidates (entities and time can move a score by ~w)
        slack = s.w_entities + s.w_time
        cand = np.flatnonzero(text >= s.join_threshold - slack - 0.05)
        if cand.size > 50:
            cand = cand[np.argsort(-text[cand])[:50]]
        scored: dict[str, list[tuple[float, int, tuple[tuple[str, float], ...]]]] = defaultdict(list)
        for c in cand.tolist():
            other = st.members[pool_members[c]]
            gap = _gap(m.days, other.days)
            if gap is not None and gap > s.max_gap_days:
                continue  # one happening is not reported with dates this far apart
            score, parts = scorer.parts(
                float(tfs[c]),
                float(embs[c]) if s.use_embeddings else None,
                _entity_signal(m.entities, other.entities),
                _time_signal(gap, s.time_scale_days),
            )
            scored[other.story].append((score, pool_members[c], parts))
            if best is None or score > best[0]:
                best = (score, pool_members[c], parts)
        # stories ranked by their nearest member; a story must also agree on average (no chaining):
        # the mean text score over all its members in the pool
        ranked = sorted(scored.items(), key=lambda kv: -max(x[0] for x in kv[1]))
        for story, hits in ranked:
            top = max(hits, key=lambda x: x[0])
            if top[0] < s.join_threshold:
                break
            info = st.stories[story]
            if len(info.article_ids) >= 3:
                labels = np.fromiter(
                    (st.members[p].story == story for p in pool_members[:n_cand]), dtype=bool, count=n_cand
                )
                if float(text[labels].mean()) < s.support_threshold:
                    continue
            return story, Explanation(a.id, story, st.members[top[1]].id, round(top[0], 4), top[2])
    story = stable_id("s", a.id)
    if best is None:
        return story, Explanation(a.id, story, None, 0.0, ())
    return story, Explanation(a.id, story, None, round(best[0], 4), best[2])


def _join(st: _State, story: str, m: _Member, tf_row: sp.csr_matrix, emb_row: np.ndarray) -> None:
    m.story = story
    st.story_of[m.id] = story
    info = st.stories.get(story)
    if info is None:
        info = st.stories[story] = _StoryInfo(story, [], [], m.title or "", [])
    info.article_ids.append(m.id)
    if m.outlet and m.outlet not in info.outlets:
        info.outlets.append(m.outlet)
    if m.day != _NO_DAY:
        info.days.append(m.day)
    elif m.days and not info.days:
        info.days.extend(m.days)
    if not info.headline and m.title:
        info.headline = m.title
    info.terms.update(set(_title_terms(m.title or "")))
    info.entities.update(m.entities)
    # running sums for the story centroids (storylines)
    if story in st.cent_tf:
        st.cent_tf[story] = st.cent_tf[story] + tf_row
        st.cent_emb[story] = st.cent_emb[story] + emb_row
    else:
        st.cent_tf[story] = sp.csr_matrix(tf_row)
        st.cent_emb[story] = emb_row.astype(np.float32).copy()
    info.n += 1


# ------------------------------------------------------------------------------------------------
# storylines

_STOP = frozenset(
    match_tokens(
        "في من على إلى الى عن مع أن إن ان التي الذي الذين هذا هذه ذلك تلك بعد قبل خلال بين حول عند لدى "
        "كان كانت يكون قد لقد لم لن لا ما ماذا هل أو او ثم كما أي اي كل بعض غير منذ حتى إلا الا وقد وفي "
        "ومن وعلى وإلى وأن وكان وهو وهي هو هي هم نحو عبر أمام امام ضد دون فيها فيه منها منه عليها عليه "
        "اليوم أمس امس غدا الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت يوم عام العام قال وقال يقول "
        "أكد اكد أعلن اعلن جديد جديدة أول اول بشأن وسط"
    )
)


def _title_terms(title: str) -> list[str]:
    """Content words and word pairs of a title (match form), for storyline titles."""
    toks = [t for t in match_tokens(title) if len(t) > 2 and t not in _STOP and not t.isdigit()]
    pairs = [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]
    return toks + pairs


def _centroid_matrices(st: _State, ids: Sequence[str]) -> tuple[sp.csr_matrix, np.ndarray]:
    tf = _normalise_rows(_stack_rows([st.cent_tf[k] for k in ids], st.settings.n_features))
    emb = np.vstack([st.cent_emb[k] for k in ids]) if ids else np.zeros((0, 512), np.float32)
    norms = np.linalg.norm(emb, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return tf, emb / norms


def _link_storylines(st: _State, s: StorySettings, touched: set[str]) -> dict[str, Any]:
    """Link touched stories to the other stories kept in the state; return changed stories and lines.

    Two stories continue one another when their centroids (TF-IDF + embedding) score at least
    ``storyline_threshold``, they are at most ``storyline_window_days`` apart, and — when entities
    are known — they share one. Linked stories are merged into one storyline (union-find); a line
    keeps the smallest id among the lines it absorbs.
    """
    ids = list(st.cent_tf)
    targets = [k for k in sorted(touched) if k in st.cent_tf]
    changed_stories: set[str] = set()
    if targets and len(ids) > 1:
        pos_of = {k: i for i, k in enumerate(ids)}
        tf_all, emb_all = _centroid_matrices(st, ids)
        w_t = s.w_tfidf
        w_e = s.w_embedding if s.use_embeddings else 0.0
        for c0 in range(0, len(targets), 512):
            chunk = targets[c0 : c0 + 512]
            rows = [pos_of[k] for k in chunk]
            sims = w_t * np.asarray((tf_all[rows] @ tf_all.T).todense(), dtype=np.float32)
            if w_e:
                sims += w_e * (emb_all[rows] @ emb_all.T)
            sims /= w_t + w_e
            for r, sid in enumerate(chunk):
                sims[r, rows[r]] = -1.0
                for j in np.flatnonzero(sims[r] >= s.storyline_threshold).tolist():
                    _link(st, s, sid, ids[j], changed_stories)
    lines_touched = {st.storyline_of[x] for x in touched | changed_stories if x in st.storyline_of}
    out_lines: dict[str, list[str]] = {}
    members_of: dict[str, list[str]] = defaultdict(list)
    for k, v in st.storyline_of.items():
        if v in lines_touched:
            members_of[v].append(k)
    for line in lines_touched:
        line_ids = sorted(members_of[line])
        out_lines[line] = line_ids
        st.storyline_titles[line] = _storyline_title(st, line_ids)
    return {"stories": {k for k in changed_stories if k in st.stories}, "lines": out_lines}


def _link(st: _State, s: StorySettings, sid: str, other_id: str, changed: set[str]) -> None:
    info = st.stories.get(sid)
    other = st.stories.get(other_id)
    if info is None or other is None:
        return
    if not _within(info.days, other.days, s.storyline_window_days):
        return
    if info.entities and other.entities and not (set(info.entities) & set(other.entities)):
        return
    a_line = st.storyline_of.get(sid)
    b_line = st.storyline_of.get(other_id)
    if a_line and a_line == b_line:
        return
    lines = [x for x in (a_line, b_line) if x]
    keep = min(lines) if lines else stable_id("l", min(sid, other_id))
    members = {sid, other_id}
    absorbed = set(lines) - {keep}
    if absorbed:
        members |= {k for k, v in st.storyline_of.items() if v in absorbed}
    for k in members:
        if st.storyline_of.get(k) != keep:
            st.storyline_of[k] = keep
            changed.add(k)


def _within(a: list[int], b: list[int], window: int) -> bool:
    if not a or not b:
        return True
    return min(abs(x - y) for x in (min(a), max(a)) for y in (min(b), max(b))) <= window


def _storyline_title(st: _State, story_ids: Sequence[str]) -> str:
    """The names or title words most of the storyline's stories share; else the biggest story's headline."""
    infos = [st.stories[k] for k in story_ids if k in st.stories]
    if not infos:
        return ""
    spread: Counter[str] = Counter()
    for info in infos:
        spread.update(set(info.terms))
    shared = [(t, c) for t, c in spread.items() if c >= 2]
    if shared:
        shared.sort(key=lambda tc: (-tc[1], -len(tc[0].split()), tc[0]))
        top = shared[0][1]
        chosen: list[str] = []
        for term, c in shared:
            if c < top or len(chosen) == 3:
                break
            if any(term in x or x in term for x in chosen):
                continue
            chosen.append(term)
        words = [_display_term(infos, t) for t in chosen]
        return " · ".join(words)
    return max(infos, key=lambda i: (len(i.article_ids), i.headline)).headline


def _display_term(infos: Sequence[_StoryInfo], term: str) -> str:
    """The display spelling of a match-form term, taken from a headline that contains it."""
    n = len(term.split())
    for info in infos:
        words = display(info.headline).split()
        keys = [match(w) for w in words]
        for i in range(len(words) - n + 1):
            if " ".join(match_tokens(" ".join(keys[i : i + n]))) == term:
                return " ".join(words[i : i + n])
    return term


# ------------------------------------------------------------------------------------------------
# records and pruning


def _story_record(st: _State, sid: str) -> Story:
    info = st.stories[sid]
    days = sorted(info.days)
    return Story(
        id=sid,
        headline=info.headline,
        article_ids=tuple(info.article_ids),
        outlets=tuple(info.outlets),
        storyline_id=st.storyline_of.get(sid),
        start=_iso(days[0]) if days else None,
        end=_iso(days[-1]) if days else None,
    )


def _prune(st: _State, s: StorySettings) -> None:
    """Forget article vectors outside the window and story centroids outside the storyline window."""
    if not st.members:
        return
    days = np.fromiter((m.day for m in st.members), dtype=np.int64, count=len(st.members))
    latest = int(days.max())
    keep = np.ones(len(days), dtype=bool)
    if latest != _NO_DAY:
        keep = (days == _NO_DAY) | (days >= latest - s.window_days)
    if keep.sum() > s.max_recent:
        keep[: len(keep) - s.max_recent] = False
    if not keep.all():
        idx = np.flatnonzero(keep)
        st.members = [st.members[i] for i in idx.tolist()]
        st.tf = st.tf[idx]
        st.emb = st.emb[idx]
    if latest != _NO_DAY:
        horizon = latest - s.storyline_window_days
        for sid in [k for k, info in st.stories.items() if info.days and max(info.days) < horizon]:
            st.stories.pop(sid, None)
            st.cent_tf.pop(sid, None)
            st.cent_emb.pop(sid, None)
