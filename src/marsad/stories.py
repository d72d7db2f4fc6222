"""Stories across outlets, built incrementally, with an explanation for every article; storylines.

A story is the coverage of one specific happening. Articles are taken in a fixed order (publication
day, then input order); each one joins the best-scoring recent story when the score reaches
``join_threshold``, or starts a new story. The score of an article against a story blends its
similarity to the story's centroid (average link) with its similarity to the story's nearest member,
over these signals:

* ``tfidf``: cosine of character 3–5-gram TF-IDF vectors of the match form of title + opening (the
  title ``title_repeat`` times: a headline names the happening, an opening often only its setting).
  The vectors are hashed (a fixed ``HashingVectorizer``) and weighted with document frequencies kept
  in the state, so a vector means the same thing from one run to the next;
* ``embedding``: cosine of multilingual sentence embeddings (:func:`marsad.embed.embed`) of
  title + lead;
* ``entities``: overlap of the named entities (entity ids, else the match form of the mention text)
  when mentions are given and ``w_entities`` > 0. It is 0 by default: with the CRF tagger's mentions
  the overlap made unrelated Saudi news look alike and cost precision on the gold set
  (``docs/evaluation.md``); mentions still gate storylines (linked stories must share an entity);
* ``time``: the dates each article talks about (``dates_by_article``, day grain) and its publication
  date. Close dates are neutral, dates far apart lower the score, and articles whose closest dates are
  more than ``max_gap_days`` apart never share a story; unknown dates are neutral;
* ``place``: ``w_place`` is subtracted when both titles name local places (:mod:`marsad.places`: cities
  and provinces, mined from unlabelled news) and they share none — the same kind of local news from two
  places («تعليم الخرج…» / «تعليم ينبع…») is two stories. Against a story, the article's places are
  compared with the places named by at least half of its members whose titles name one.

Same topic is not same story: two articles about one theme stay apart unless their text is close;
stories that continue one another (same actors and theme over weeks or months) are linked a level up,
into a *storyline*, titled from the title words its stories share. A story joins a storyline only when
it is like the storyline as a whole (average link), and two stories whose core places conflict are
never linked (the same kind of local news from two places is two affairs). Measured against the
hand-labelled storylines of ``eval/stories_gold/storylines.tsv`` (``docs/evaluation.md``).

Incremental: :class:`StoryIndex` keeps the features of recent articles (within ``window_days``), the
story memberships and centroids, and the document frequencies; :func:`cluster` loads it from the
``state`` bytes of the previous run, adds the new articles and returns the new state. Nearest
neighbours are searched among the recent members only, approximately: the nearest members by a
sketch of each TF-IDF vector (its strongest n-grams) and by embedding (one sparse and one dense
product per publication day), then exact cosines for those candidates — so adding articles never
re-clusters the corpus. The pipeline keeps the index alive between batches and persists, per batch,
only a change record (:meth:`StoryIndex.take_log`, replayed by :meth:`StoryIndex.apply_log` on the
saved state), folding them into new state bytes now and then (``marsad.pipeline._save_state``).
Running a corpus in one batch or in daily slices follows the same order and gives (almost) the same
stories: the only difference is that an earlier slice does not know the document frequencies of
later days (the agreement is measured in ``docs/evaluation.md``).

Outlets: ``Story.outlets`` are the distinct outlets of the story's articles, copies included (a wire
copy printed by another outlet shows that outlet covered the story), each outlet once — so a reprint
never counts twice in the tally.

``StoryResult.stories`` holds the stories this run created or changed (with all their articles,
earlier runs' included) and ``StoryResult.storylines`` the storylines they belong to. Headline:
provisional (the first article's title); summary, timeline and entity ids are left to later stages.
"""

from __future__ import annotations

import io
import json
import logging
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from marsad.arabic import display, match, match_tokens
from marsad.countries import common_name, country_names, country_of_adjective
from marsad.errors import SettingsError
from marsad.places import title_places
from marsad.records import Article, DateMention, Entity, EntityMention, Explanation, Story, Storyline, stable_id

if TYPE_CHECKING:
    from typing import TypeAlias

    from marsad.embed import BackgroundEmbedding
    from marsad.ner import Gazetteer

    # where a batch's embeddings come from: computed already, being computed by workers, or prefetched
    _BatchVectors: TypeAlias = "_Vectors | BackgroundEmbedding | _PrefetchedRows"

LOGGER = logging.getLogger(__name__)

__all__ = ["StoryIndex", "StoryResult", "StorySettings", "cluster"]

_STATE_FORMAT = 2
_NO_DAY = -1
try:  # scipy's private CSR kernels (the very routines behind ``m[rows]`` and ``m @ x``); optional
    from scipy.sparse import _sparsetools as _SPARSETOOLS
except ImportError:  # pragma: no cover - a scipy that moved them: the public (slower) path
    _SPARSETOOLS = None
if _SPARSETOOLS is not None and not all(hasattr(_SPARSETOOLS, f) for f in ("csr_row_index", "csr_matvec")):
    _SPARSETOOLS = None  # pragma: no cover

_DIM = 512
# A batch of at least this many new articles is embedded by marsad's encoder in a worker process
# (``marsad.embed.BackgroundEmbedding``), a chunk of ``_BACKGROUND_CHUNK`` texts at a time in the order its
# days are clustered, while this process clusters the days already embedded (a thread would not do: the
# clustering is Python and holds the GIL, which the encoder's many small numpy calls need back).
_BACKGROUND_MIN = 1024
_BACKGROUND_CHUNK = 256
_FEW = 4  # new articles up to which the candidate search multiplies dense scattered sketches

Embedder = Callable[[Sequence[str]], np.ndarray]
Signals = tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class StorySettings:
    """How articles are grouped into stories and stories into storylines."""

    w_tfidf: float = 0.65  # weight of the character n-gram TF-IDF cosine
    w_embedding: float = 0.35  # weight of the sentence-embedding cosine
    w_entities: float = 0.0  # weight of the shared-entity overlap (skipped when 0 or no mentions; see the docs)
    w_time: float = 0.3  # weight of the time signal (0 when dates are close, down to −w when far apart)
    w_place: float = 0.1  # subtracted when both titles name local places and none in common (see marsad.places)
    join_threshold: float = 0.45  # score an article needs with a story to join it
    embedding_only_threshold: float = 0.6  # join threshold while TF-IDF is not trusted (embeddings only)
    idf_min_docs: int = 200  # documents the index must have seen before TF-IDF weighs fully
    nearest_weight: float = 0.5  # share of the story's nearest member in that score (the rest: its centroid)
    candidate_threshold: float = 0.2  # text score with a member for its story to be considered at all
    max_candidates: int = 50  # nearest members looked at per article (by n-gram sketch and by embedding)
    sketch_features: int = 48  # strongest n-grams per article used to find candidates
    window_days: int = 4  # how far back (publication days) the nearest-neighbour search looks
    time_scale_days: float = 2.0  # dates up to this many days apart give a neutral time signal
    max_gap_days: int = 30  # articles whose closest dates are further apart never share a story
    lead_chars: int = 1200  # characters of the body (after the title) used for TF-IDF
    title_repeat: int = 2  # times the title is put before the lead in the TF-IDF text (titles name the happening)
    embed_chars: int = 300  # characters of the body used for the embedding (title + lead)
    n_features: int = 1 << 20  # hashed TF-IDF dimensions
    use_embeddings: bool = True  # off: the embedding signal is skipped (faster, less accurate)
    storyline_threshold: float = 0.25  # TF-IDF centroid cosine for two stories to continue one another
    storyline_min_embedding: float = 0.3  # ... and at least this embedding centroid cosine
    storyline_candidates: int = 20  # nearest story centroids (by embedding) looked at per story
    storyline_window_days: int = 400  # how far apart two stories of one storyline may be
    saved_centroid_features: int = 400  # strongest n-grams of each story centroid kept in the state bytes

    def __post_init__(self) -> None:
        if not 0.0 < self.join_threshold < 1.0 or not 0.0 < self.embedding_only_threshold < 1.0:
            raise SettingsError(f"stories.join_threshold = {self.join_threshold}: use a number in (0, 1), e.g. 0.45")
        if not 0.0 <= self.nearest_weight <= 1.0:
            raise SettingsError(f"stories.nearest_weight = {self.nearest_weight}: use a number in [0, 1]")
        if self.window_days < 0 or self.storyline_window_days < 0 or self.max_gap_days < 0:
            raise SettingsError("stories.window_days, storyline_window_days and max_gap_days must be ≥ 0")
        if min(self.w_tfidf, self.w_embedding, self.w_entities, self.w_time, self.w_place) < 0 or self.w_tfidf == 0:
            raise SettingsError("stories.w_* weights must be ≥ 0 and w_tfidf > 0")
        if self.title_repeat < 0:
            raise SettingsError(f"stories.title_repeat = {self.title_repeat}: use a whole number ≥ 0, e.g. 2")


@dataclass(frozen=True, slots=True)
class StoryResult:
    """What :func:`cluster` returns."""

    stories: list[Story]
    explanations: list[Explanation]
    storylines: list[Storyline]
    state: bytes = field(repr=False, default=b"")


class _Vectors:
    """A batch's embeddings, already computed: ``rows`` and ``result`` return them (the interface of
    ``marsad.embed.BackgroundEmbedding``, whose rows may still be on their way)."""

    def __init__(self, vectors: np.ndarray) -> None:
        self._out = vectors

    def rows(self, idx: Sequence[int] | np.ndarray) -> np.ndarray:
        return self._out[np.asarray(idx, dtype=np.int64)]

    def result(self) -> np.ndarray:
        return self._out

    def running(self) -> bool:
        return False

    def close(self) -> None:
        pass


class PrefetchedEmbedding:
    """marsad's encoder started early on a batch's articles, in worker processes
    (:class:`marsad.embed.BackgroundEmbedding`), and handed to :meth:`StoryIndex.add` as its embedder: the
    pipeline starts it once a batch's duplicates are marked, so the encoder runs beside the stages
    before the stories (dates, entities). ``add`` clusters each day as soon as its rows are in; texts it
    did not prefetch (another ``embed_chars`` in a saved state) are embedded as usual. ``close()`` stops
    the workers. Build it with :func:`prefetch_embeddings`."""

    def __init__(self, articles: Sequence[Article], settings: StorySettings | None = None) -> None:
        from marsad.embed import BackgroundEmbedding

        s = settings or StorySettings()
        texts = [_embed_text(a, s.embed_chars) for a in articles]
        self._row: dict[str, int] = {}
        unique: list[str] = []
        for i in _clustering_order(articles):
            if texts[i] not in self._row:
                self._row[texts[i]] = len(unique)
                unique.append(texts[i])
        # one worker per core but one: the stages it runs beside (NER, dates) keep a core busy, and a
        # worker more would only take its share of that core
        workers = max(1, (os.cpu_count() or 1) - 1)
        self._job = BackgroundEmbedding(unique, range(len(unique)), _BACKGROUND_CHUNK, workers=workers)

    def view(self, texts: Sequence[str]) -> _PrefetchedRows | None:
        """The prefetched rows of ``texts`` (row i of the view is text i), or None when one is missing."""
        try:
            rows = np.fromiter((self._row[t] for t in texts), dtype=np.int64, count=len(texts))
        except KeyError:
            return None
        return _PrefetchedRows(self._job, rows)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        view = self.view(texts)
        if view is None:
            from marsad.embed import embed

            return embed(texts)
        return view.result()

    def close(self) -> None:
        self._job.close()


class _PrefetchedRows:
    """Rows of a :class:`PrefetchedEmbedding` in a batch's own numbering (the interface of ``_Vectors``);
    closing it leaves the prefetch to its owner."""

    def __init__(self, job: BackgroundEmbedding, rows: np.ndarray) -> None:
        self._job, self._rows = job, rows

    def rows(self, idx: Sequence[int] | np.ndarray) -> np.ndarray:
        return self._job.rows(self._rows[np.asarray(idx, dtype=np.int64)])

    def result(self) -> np.ndarray:
        return self._job.rows(self._rows)

    def running(self) -> bool:
        return self._job.running()

    def close(self) -> None:
        pass


def prefetch_embeddings(
    articles: Sequence[Article], settings: StorySettings | None = None
) -> PrefetchedEmbedding | None:
    """Start marsad's encoder on ``articles`` in the background when the stories stage will embed them
    that way (a batch of at least ``_BACKGROUND_MIN`` articles, two cores or more, embeddings on);
    else None."""
    from marsad.embed import background_allowed

    s = settings or StorySettings()
    if not s.use_embeddings or len(articles) < _BACKGROUND_MIN or not background_allowed():
        return None
    return PrefetchedEmbedding(articles, s)


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


def _wb_ngrams(word: str) -> list[str]:
    """The 3–5-character n-grams of one space-padded word (sklearn's ``char_wb`` analyzer, one word)."""
    w = f" {word} "
    size = len(w)
    out: list[str] = []
    for n in range(3, 6):
        if size <= n:  # a word no longer than n: itself, once, and no longer n-grams
            out.append(w[:n])
            break
        out.extend([w[i : i + n] for i in range(size - n + 1)])
    return out


class _Grow:
    """A growing 1-d array (amortised appends)."""

    def __init__(self, dtype: type, first: Sequence[int] = ()) -> None:
        self.buf: np.ndarray = np.zeros(max(1024, len(first)), dtype=dtype)
        self.buf[: len(first)] = first
        self.n = len(first)

    @property
    def view(self) -> np.ndarray:
        return self.buf[: self.n]

    def extend(self, values: np.ndarray) -> None:
        need = self.n + len(values)
        if need > len(self.buf):
            grown = np.zeros(max(need, 2 * len(self.buf)), dtype=self.buf.dtype)
            grown[: self.n] = self.buf[: self.n]
            self.buf = grown
        self.buf[self.n : need] = values
        self.n = need


class _NgramCounter:
    """Hashed character n-gram counts, exactly :func:`_vectorizer`'s, with each word hashed once.

    ``char_wb`` n-grams never cross a word boundary, so a text's counts are the sum of its words'
    counts: each distinct word is hashed once (cached: a corpus has far fewer distinct words than
    words) and a batch's count matrix is a sparse product (texts × words) @ (words × n-grams).
    The cache is one CSR matrix in growing arrays (word → row; each row the word's n-gram indices
    and counts), not an array object per word."""

    max_words = 1_000_000  # bound on the cache for endless streams
    block = 2048  # texts split into words at a time (a whole batch's word lists are ~10× its texts)

    def __init__(self, n_features: int) -> None:
        from sklearn.feature_extraction import FeatureHasher

        self.n_features = n_features
        self.hasher = FeatureHasher(n_features=n_features, input_type="string", alternate_sign=False, dtype=np.float32)
        self._clear()

    def _clear(self) -> None:
        self.words: dict[str, int] = {}  # word → its row in the cache
        self._ptr = _Grow(np.int64, [0])
        self._idx = _Grow(np.int32)
        self._cnt = _Grow(np.float32)

    def _hash_new(self, words: Iterable[str]) -> None:
        new = [w for w in words if w not in self.words]
        if not new:
            return
        hashed = sp.csr_matrix(self.hasher.transform([_wb_ngrams(w) for w in new]))
        self._ptr.extend(hashed.indptr[1:].astype(np.int64) + self._ptr.view[-1])
        self._idx.extend(hashed.indices)
        self._cnt.extend(hashed.data)
        self.words.update(zip(new, range(len(self.words), len(self.words) + len(new)), strict=True))

    def _rows(self, gid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(indptr, indices, counts) of the cached words ``gid`` (rows in their order)."""
        return _gather_rows(self._ptr.view, self._idx.view, self._cnt.view, gid)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Counts (float32, rows of ``texts``), like ``_vectorizer(n_features).transform(texts)``."""
        local: dict[str, int] = {}  # the batch's distinct words → column of doc_words
        d_indices: list[np.ndarray] = []
        d_lens = np.zeros(len(texts), dtype=np.int64)
        for b0 in range(0, len(texts), self.block):
            docs = [t.split() for t in texts[b0 : b0 + self.block]]
            flat = list(chain.from_iterable(docs))
            d_lens[b0 : b0 + len(docs)] = [len(ws) for ws in docs]
            fresh = [w for w in dict.fromkeys(flat) if w not in local]
            local.update(zip(fresh, range(len(local), len(local) + len(fresh)), strict=True))
            d_indices.append(np.fromiter(map(local.__getitem__, flat), dtype=np.int32, count=len(flat)))
            del docs, flat
        if not local:
            return sp.csr_matrix((len(texts), self.n_features), dtype=np.float32)
        if len(self.words) + len(local) > self.max_words:
            self._clear()
        self._hash_new(local)
        gid = np.fromiter(map(self.words.__getitem__, local), dtype=np.int64, count=len(local))
        if len(texts) <= 16:  # a few texts: count each one directly (no product over a 2**20-column matrix)
            indptr, indices, data = [0], [], []
            for ids in np.split(np.concatenate(d_indices), np.cumsum(d_lens)[:-1]):
                _, got, weights = self._rows(gid[ids])
                idx, inverse = np.unique(got, return_inverse=True)
                indices.append(idx.astype(np.int32))
                data.append(np.bincount(inverse, weights=weights, minlength=len(idx)).astype(np.float32))
                indptr.append(indptr[-1] + len(idx))
            return sp.csr_matrix(
                (np.concatenate(data), np.concatenate(indices), np.asarray(indptr, dtype=np.int64)),
                shape=(len(texts), self.n_features),
            )
        w_ptr, w_idx, w_cnt = self._rows(gid)
        words = sp.csr_matrix((w_cnt, w_idx, w_ptr), shape=(len(local), self.n_features))
        del w_ptr, w_idx, w_cnt
        d_indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(d_lens, out=d_indptr[1:])
        flat_ids = np.concatenate(d_indices)
        del d_indices
        doc_words = sp.csr_matrix(
            (np.ones(len(flat_ids), dtype=np.float32), flat_ids, d_indptr), shape=(len(texts), len(local))
        )
        del flat_ids
        counts = sp.csr_matrix(doc_words @ words)
        del doc_words, words
        counts.sum_duplicates()
        return counts


# words a phrase in a storyline title does not start with when a name follows (match form, no clitics)
_LEADING_TITLES = frozenset(
    match_tokens(
        "صاحب السمو الملكي الأمير الأميرة سمو معالي فخامة جلالة الدكتور الدكتورة المهندس الشيخ السيد السيدة "
        "الرئيس رئيس الوزراء الوزير وزير خادم الحرمين الشريفين المتحدث الناطق الخارجية الداخلية الدفاع "
        "الأستاذ الأستاذة اللواء العميد العقيد المقدم النقيب الكابتن المدرب اللاعب"
    )
)
# words a phrase does not end with while two words are left: an office cut off from the words that
# complete it («خالد الفيصل مستشار خادم» → «خالد الفيصل»)
_TRAILING_OFFICES = frozenset(match_tokens(
    "خادم الحرمين مستشار المستشار نائب ولي رئيس وزير أمير الأمير الرئيس الوزير الملك سمو صاحب"))


# a word alone that names no storyline: a title or an office («الملك», «الأمير», «الوزير»)
_TITLE_WORDS = _LEADING_TITLES | frozenset(match_tokens("الملك الملكة العاهل الحاكم المستشار السفير النائب"))
# a title word, or a word that only links the parts of a name, is no storyline title
_NO_TITLE_TERMS = _TITLE_WORDS | frozenset(match_tokens("عبد بن ابن آل أبو بنت"))


def _chain_pairs(pairs: Sequence[str], spread: Mapping[str, int], longest: int = 5) -> dict[str, tuple[str, str]]:
    """Each word pair → the longest phrase it is a piece of: the pairs that overlap it one word on either side
    and are shared by nearly as many stories (three quarters) chain into it, as long as the way on is
    unambiguous («الدولى لكرة» + «لكرة القدم» + «الاتحاد الدولى» → «الاتحاد الدولى لكرة القدم»); a pair
    alone maps to itself. A grown phrase then loses the titles and country adjectives it starts with while
    two words are left («صاحب السمو الملكي الأمير خالد الفيصل» → «خالد الفيصل», «الروسي فلاديمير بوتين» →
    «فلاديمير بوتين»). Values: (the phrase, every word it chained)."""
    after: dict[str, list[str]] = defaultdict(list)
    before: dict[str, list[str]] = defaultdict(list)
    for p in pairs:
        a, b = p.split(" ", 1)
        after[a].append(b)
        before[b].append(a)
    out: dict[str, tuple[str, str]] = {}
    for p in pairs:
        floor = max(2, math.ceil(0.75 * spread[p]))
        words = p.split(" ", 1)
        for grow_right in (True, False):
            while len(words) < longest:
                end = words[-1] if grow_right else words[0]
                nxt = [w for w in (after if grow_right else before)[end]
                       if spread[f"{end} {w}" if grow_right else f"{w} {end}"] >= floor]
                if len(nxt) != 1 or nxt[0] in words:
                    break
                words = [*words, nxt[0]] if grow_right else [nxt[0], *words]
        chained = " ".join(words)
        while len(words) > 2 and (words[0] in _LEADING_TITLES or country_of_adjective(words[0])):
            words.pop(0)  # «الرئيس الروسي فلاديمير بوتين»: the office and the country go
        while len(words) > 2 and words[-1] in _TRAILING_OFFICES:
            words.pop()  # «خالد الفيصل مستشار خادم» → «خالد الفيصل»
        out[p] = (" ".join(words), chained)
    return out


NOMINAL_SHARE = 0.05  # a word the news writes with «ال» at least this often (against without) is a noun
NOMINAL_MIN = 3  # … and with «ال» at least this many times
CLITIC_NOUN_MIN = 100  # a clitic's noun at a title's edge: the news writes it with «ال» this often (الحضور)


def _news_counts() -> Mapping[str, int]:
    """Word counts of the Saudi news (the NER lexicon's, match form), to tell nouns from other words."""
    from marsad.ner import committed_lexicon  # read once, shared with the tagger; ner does not import stories

    return committed_lexicon().counts


def _gazetteer() -> Gazetteer:
    from marsad.ner import committed_gazetteer

    return committed_gazetteer()


def _known_name_words() -> frozenset[str]:
    """Every word of the NER gazetteer's names (match form): محمد, تبوك, نايف are names however common."""
    return _gazetteer().words


def _inner_word(word: str) -> bool:
    """The gazetteer knows ``word`` only inside the names of places, organisations and things, never alone
    nor in a person's name: «الدولي» of «مجلس الأمن الدولي» is no name of its own."""
    gaz = _gazetteer()
    roles = gaz.parts.get(word, ())
    return bool(roles) and not any(r.startswith("PER") for r in roles) and (word,) not in gaz.names


def _given_name(word: str) -> bool:
    """The gazetteer knows ``word`` as a person's first name (محمد, عبدالله): alone, it is no one."""
    return "PERF" in _gazetteer().parts.get(word, ())


_EDGE_WORDS = frozenset(match_tokens(
    "بسبب خلال بعد قبل عبر ضد حول منذ لدى نحو وسط أمام عند بين دون إثر جراء حتى ضمن"))
_PRONOUN_SUFFIXES = ("هما", "ها", "هم", "هن", "ه", "كم", "نا")
_PRESENT_RE = re.compile(r"^[يتن]\w{3,}$")


def _nominal(word: str) -> bool:
    """The news writes ``word`` (match form, no «ال») with «ال» too, often enough: a noun (أعمال, عنف)."""
    counts = _news_counts()
    definite = counts.get("ال" + word, 0)
    return definite >= NOMINAL_MIN and definite >= NOMINAL_SHARE * counts.get(word, 0)


def _no_noun(word: str, name_words: Set[str], forms: Sequence[str] = ()) -> bool:
    """``word`` (a title term's match form; ``forms``: other match forms it was written in) cannot begin or
    end a storyline title: a preposition-like word («بسبب», «خلال»), a present-tense verb («يقوم»,
    «تتقدم») or a feminine past tense («أصدرت»), a word with a pronoun on a noun («فريقه», «زوجته»,
    «أرباحها») or an adverbial accusative («عاما», «يوما») — never written with «ال» — and no word of a
    name the stories share or the gazetteer knows (تبوك, ترامب)."""
    if word in name_words or word.startswith("ال") or word in _known_name_words():
        return False
    for w in (word, *forms):
        if _nominal(w) or w in name_words:
            return False
    if word in _EDGE_WORDS:
        return True
    if _PRESENT_RE.match(word):
        return True
    counts = _news_counts()
    if word.endswith("ت") and len(word) > 3 and counts.get(word[:-1], 0) >= NOMINAL_MIN and not _nominal(word[:-1]):
        return True  # a past tense of «هي»: «أصدرت», «تمكنت» (أصدر is no noun)
    for sfx in _PRONOUN_SUFFIXES:
        stem = word[: -len(sfx)]
        # (the feminine «ة» is written «ت» before a pronoun: زوجته of زوجة)
        if word.endswith(sfx) and len(stem) >= 3 and (_nominal(stem) or stem[-1] == "ت" and _nominal(stem[:-1] + "ه")):
            return True
    return word.endswith("ا") and len(word) > 3 and _nominal(word[:-1])


def _clitic_noun(word: str, name_words: Set[str], forms: Sequence[str] = ()) -> bool:
    """``word`` is «و», «ب» or «ل» on a common noun or a preposition-like word, no name: «بحضور», «بنسبة»,
    «لمدة», «برئاسة», «لشركة», «وحتى» (the news writes الحضور، النسبة، المدة، الرئاسة، الشركة). Not «ل» + «ال»
    (``forms``: the word as shown; the key of «للجاليات» is «لجاليات»): that one is written without its «ل»
    (``StoryIndex._without_clitic``)."""
    if word[:1] not in "وبل" or len(word) < 4 or word in name_words or any(f.startswith("لل") for f in forms):
        return False
    gaz = _gazetteer()
    if (word,) in gaz.names or any(r.startswith("PER") for r in gaz.parts.get(word, ())):
        return False  # a name of its own or a person's: «لبنان», «بسام», «وفاء»
    rest = word[1:]
    if rest in _EDGE_WORDS:
        return True
    # the word is no noun of its own (لجنة: اللجنة) and the news writes its rest with «ال» often (الحضور;
    # not السام of «بسام», الفاء of «وفاء»)
    return (rest not in name_words and not rest.startswith("ال") and not _nominal(word) and _nominal(rest)
            and _news_counts().get("ال" + rest, 0) >= CLITIC_NOUN_MIN)


def _title_worthy(term: str, name_words: Set[str], display: Mapping[str, str] | None = None,
                  whole_names: Set[str] = frozenset()) -> str:
    """The part of a title term a storyline can be named by, or "" when there is none: a phrase is cut
    before a word with «ب» or «ل» the news holds more often without it («أمانة الرياض بعيد الفطر» →
    «أمانة الرياض»), after a title that is followed by a name («التعليم الدكتور عزام الدخيل» → «عزام
    الدخيل»), and loses the words it starts or ends with that are no nouns (``_no_noun``: «تمكنت الجهات»
    → «الجهات», «يقوم فريقه» → nothing); a word alone without «ال» must be neither a common noun («مواقع»,
    «حاكم») nor one after «ب» or «ل», unless it is a name's word. A phrase is also cut at an inner verb or
    noun with a pronoun, loses an edge word that is a clitic on a common noun (``_clitic_noun``: «بحضور») and
    a leading «السابق»; a time, a count or a sum («مليار ريال»), a place in a sequence («المرحلة الثانية»), a
    blessing («رحمه الله») or a name cut after its particle («روبن فان») is no term. ``display``: term → its
    spelling as shown (a key lost the «و» of «وزارة»)."""
    counts = _news_counts()
    words = term.split()

    def forms(w: str) -> tuple[str, ...]:
        shown = (display or {}).get(w)
        return (" ".join(match_tokens(shown)),) if shown else ()

    for k in range(1, len(words)):
        w = words[k]
        if w[:1] in "بل" and len(w) > 3 and counts.get(w[1:], 0) > counts.get(w, 0) and w not in name_words:
            words = words[:k]
            break
    for k in range(1, len(words) - 1):
        if words[k] in _LEADING_TITLES:
            after = [w for w in words[k + 1 :] if w not in _LEADING_TITLES]
            words = after if len(after) >= 2 else words[:k]
            break
    for k in range(1, len(words) - 1):
        if _no_noun(words[k], name_words, forms(words[k])):
            words = words[:k]  # a verb or a noun with a pronoun inside: a clause, «مارادونا [يتهم] زوجته …»
            break
    def no_edge(w: str) -> bool:
        return _no_noun(w, name_words, forms(w)) or _clitic_noun(w, name_words, forms(w))

    while words and no_edge(words[0]):
        words.pop(0)
    while words and no_edge(words[-1]):
        words.pop()
    while len(words) > 2 and (words[0] in _LEADING_TITLES or country_of_adjective(words[0])):
        words.pop(0)  # as in ``_chain_pairs``: «[الرئيس] الأميركي باراك أوباما [يدعو]» → «باراك أوباما»
    while len(words) > 1 and words[0] in _LEADING_ADJECTIVES:
        words.pop(0)
    if words and " ".join(words) not in whole_names and (
            all(w in _TIME_WORDS or w in _SEQUENCE_WORDS or w in _AMOUNT_WORDS or any(c.isdigit() for c in w)
                for w in words)
            or all(w in _FORMULA_WORDS for w in words)
            or len(words) == 2 and words[-1] in _SEQUENCE_WORDS and words[0] not in name_words):
        return ""  # a time, a count, a place in a sequence or a blessing: no storyline's name
    if len(words) == 1 and _given_name(words[0]) and words[0] not in whole_names:
        return ""  # «عبدالله» of «عبدالله بن عبدالعزيز» and «عبدالله البرقان»
    if words and words[-1] in _NAME_PARTICLES:
        return ""  # a name cut after its particle: «روبن فان» of «روبن فان بيرسي», «محمد بن»
    if len(words) == 1 and any(c.isdigit() for c in words[0]):
        return ""  # «2014م»
    if len(words) == 1 and not (words[0].startswith("ال") or words[0] in name_words) and (
            _nominal(words[0]) or words[0][:1] in "بل" and counts.get(words[0][1:], 0) > counts.get(words[0], 0)):
        return ""  # a common noun without «ال» («مواقع», «حاكم»), or one after «ب» («بفتاتين»): no name
    if len(words) == 1 and (words[0] in _NO_TITLE_TERMS or words[0] in _NO_TITLE_ALONE
                            or words[0] in _TRAILING_OFFICES):
        return ""  # («ولي» of «ولي العهد»: an office cut from its words)
    return " ".join(words)


_NO_TITLE_ALONE = frozenset(match_tokens("الله"))  # «رحمه الله تعالى» of the obituaries
# the particles inside a name, which never end one (entities._NAME_PARTICLES, match form)
_NAME_PARTICLES = frozenset(match_tokens("فان فون دي دا دو ديل دل دير بن ابن بنت أبو عبد آل"))
# an adjective that follows its noun: a phrase that begins with one was cut from it («[الرئيس] السابق حسين
# حبري», «[زوجته] السابقة كلاوديا»)
_LEADING_ADJECTIVES = frozenset(match_tokens("السابق السابقة الأسبق"))
# a place in a sequence: «المرحلة الثانية», «الجلسة السابقة», «الحادية عشر» name no storyline (a longer
# phrase may: «الحرب العالمية الثانية»)
_SEQUENCE_WORDS = frozenset(match_tokens(
    "الأول الأولى الثاني الثانية الثالث الثالثة الرابع الرابعة الخامس الخامسة السادس السادسة السابع السابعة "
    "الثامن الثامنة التاسع التاسعة العاشر العاشرة الحادي الحادية عشر عشرة الأخير الأخيرة السابق السابقة "
    "الماضي الماضية المقبل المقبلة القادم القادمة الحالي الحالية الجاري الجارية"))
# a span of time or a count: «شهر مايو», «خمس سنوات», «الأسبوع»
_TIME_WORDS = frozenset(match_tokens(
    "يوم يوما اليوم أيام الأيام يومين أسبوع الأسبوع أسابيع أسبوعين شهر الشهر أشهر شهور الأشهر شهرين عام العام "
    "أعوام عامين سنة السنة سنوات السنوات سنتين ساعة الساعة ساعات دقيقة دقائق "
    "يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر "
    "واحد اثنين ثلاث ثلاثة أربع أربعة خمس خمسة ست ستة سبع سبعة ثماني ثمانية تسع تسعة عشرين مئة مائة ألف"))
# an amount of money or a share: «ريال», «مليار ريال», «بالمائة», «الربع» (a storyline of stories that give sums)
_AMOUNT_WORDS = frozenset(match_tokens(
    "ريال ريالا ريالات الريال دولار دولارا دولارات الدولارات الدولار يورو اليورو درهم دراهم دينار دنانير جنيه "
    "جنيهات ليرة مليون ملايين مليار مليارات المليار المليون المائة المئة بالمائة بالمئة الربع ربع النصف نصف "
    "الثلث ثلث"))
# a blessing after a name: «رحمه الله», «حفظه الله», «صلى الله عليه وسلم», «عز وجل»
_FORMULA_WORDS = frozenset(match_tokens(
    "الله رحمه رحمها رحمهم حفظه حفظها حفظهم رضي عنه عنها عنهم صلى عليه وسلم تعالى سبحانه وتعالى عز وجل"))


# one part of a person's name: «عبد الله», «أبو بكر» and «بن» + a name count once (match form)
_NAME_PART_RE = re.compile(r"(?:(?:عبد|ابو|بن|ابن|بنت|ال)\s+)?\S+")


def _storyline_words(names: Sequence[str], countries: Sequence[bool]) -> str:
    """A storyline's title from its shared terms: two or more countries first, as one phrase («روسيا وكوريا
    الشمالية»: the relations of the two), then the other terms, each after « · »."""
    places = [n for n, c in zip(names, countries, strict=True) if c]
    rest = [n for n, c in zip(names, countries, strict=True) if not c]
    if len(places) < 2:
        return " · ".join(names)
    return " · ".join(["، ".join(places[:-1]) + " و" + places[-1], *rest])


def _tfidf_text(article: Article, lead_chars: int, title_repeat: int = 1) -> str:
    title = f"{article.title}\n" * title_repeat if article.title else ""
    return match(f"{title}{article.text[:lead_chars]}")


def _embed_text(article: Article, embed_chars: int) -> str:
    lead = article.text[:embed_chars]
    return display(f"{article.title}. {lead}" if article.title else lead)


def _clustering_order(articles: Sequence[Article]) -> list[int]:
    """The order articles are assigned in (and embedded in, when in the background): publication day,
    then input order."""
    return sorted(range(len(articles)), key=lambda i: (_day(articles[i].published), i))


def _day(value: str | None) -> int:
    if not value or len(value) < 10:
        return _NO_DAY
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return _NO_DAY


def _iso(day: int) -> str | None:
    return date.fromordinal(day).isoformat() if day != _NO_DAY else None


def _entity_keys(mentions: Sequence[EntityMention], top: int = 10) -> frozenset[str]:
    """The article's main entities: its ``top`` most mentioned (entity id, else the match form)."""
    counts: Counter[str] = Counter()
    for m in mentions:
        key = m.entity_id or match(m.text).strip()
        if key:
            counts[key] += 1
    return frozenset(k for k, _ in counts.most_common(top))


def _article_days(article: Article, dates: Sequence[DateMention]) -> tuple[int, ...]:
    days = {_day(article.published)}
    days.update(_day(d.value) for d in dates if d.grain == "day")
    days.discard(_NO_DAY)
    return tuple(sorted(days))


def _normalise_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to unit length (the indices keep their order: sorted in, sorted out)."""
    out = sp.csr_matrix(m, copy=True)
    _normalise_rows_in_place(out)
    return out


def _normalise_rows_in_place(m: sp.csr_matrix, chunk_rows: int = 4096) -> None:
    """Scale the rows of ``m`` (canonical CSR) to unit length in place, a block of rows at a time (no
    copy of a whole batch's matrix). The norms are scipy's ``sqrt(m.multiply(m).sum(axis=1))``: the
    same squares summed by the same ``np.add.reduceat``, row by row."""
    indptr, data = m.indptr, m.data
    for r0 in range(0, m.shape[0], chunk_rows):
        r1 = min(m.shape[0], r0 + chunk_rows)
        lo, hi = int(indptr[r0]), int(indptr[r1])
        seg = data[lo:hi]
        lens = np.diff(indptr[r0 : r1 + 1])
        sums = np.zeros(r1 - r0, dtype=data.dtype)
        rows = np.flatnonzero(lens)
        if len(rows):
            sums[rows] = np.add.reduceat(seg * seg, indptr[r0 + rows] - lo)
        norms = np.sqrt(sums)
        norms[norms == 0] = 1.0
        seg *= np.repeat((1.0 / norms).astype(data.dtype), lens)


def _weigh_in_place(counts: sp.csr_matrix, df: np.ndarray, n_docs: int, chunk: int = 1 << 22) -> None:
    """Counts → TF-IDF weights in place, ``chunk`` entries at a time: ``(1 + log tf) · idf`` with
    ``idf = log((1 + n_docs) / (1 + df)) + 1`` (float32 throughout)."""
    data, indices = counts.data, counts.indices
    for lo in range(0, len(data), chunk):
        d = data[lo : lo + chunk]
        idf = np.log((1.0 + n_docs) / (1.0 + df[indices[lo : lo + chunk]].astype(np.float32))) + 1.0
        np.log(d, out=d)
        d += 1.0
        d *= idf


def _empty_csr(n_features: int) -> sp.csr_matrix:
    return sp.csr_matrix((0, n_features), dtype=np.float32)


# ------------------------------------------------------------------------------------------------
# the incremental index


@dataclass
class _Member:
    id: str
    story: str
    day: int  # publication day (or _NO_DAY)
    days: tuple[int, ...]  # days it talks about (publication included)
    entities: frozenset[str]
    outlet: str | None
    title: str | None
    places: frozenset[str] = frozenset()  # local places its title names (marsad.places)


@dataclass
class _StoryInfo:
    id: str
    article_ids: list[str]
    outlets: list[str]
    headline: str
    days: list[int]  # publication days of the members (or talked-about days when none is known)
    n: int = 0
    terms: Counter[str] = field(default_factory=Counter)  # title and lead words, for storyline titles
    entities: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)  # local places of the members' titles
    placed: int = 0  # members whose title names a local place


class _Rows:
    """A growing float32 matrix (amortised appends) of dense rows."""

    def __init__(self, dim: int, data: np.ndarray | None = None) -> None:
        self.buf = data.astype(np.float32) if data is not None else np.zeros((64, dim), dtype=np.float32)
        self.n = 0 if data is None else len(data)
        if self.buf.shape[0] == 0:
            self.buf = np.zeros((64, dim), dtype=np.float32)

    @property
    def view(self) -> np.ndarray:
        return self.buf[: self.n]

    def append(self, rows: np.ndarray) -> int:
        need = self.n + len(rows)
        if need > self.buf.shape[0]:
            grown = np.zeros((max(need, 2 * self.buf.shape[0]), self.buf.shape[1]), dtype=np.float32)
            grown[: self.n] = self.buf[: self.n]
            self.buf = grown
        self.buf[self.n : need] = rows
        start, self.n = self.n, need
        return start

    def keep(self, idx: np.ndarray) -> None:
        kept = self.buf[idx]
        self.buf = np.zeros((max(64, 2 * len(kept)), self.buf.shape[1]), dtype=np.float32)
        self.buf[: len(kept)] = kept
        self.n = len(kept)


class _SparseRows:
    """Growing CSR rows: appended blocks are stacked lazily (so one-article additions stay cheap)."""

    def __init__(self, n_features: int, main: sp.csr_matrix | None = None) -> None:
        self.n_features = n_features
        self.main = main if main is not None else _empty_csr(n_features)
        self.pending: list[sp.csr_matrix] = []
        self.n = self.main.shape[0]

    def append(self, rows: sp.csr_matrix) -> None:
        self.pending.append(rows)
        self.n += rows.shape[0]
        if len(self.pending) >= 256 or (self.pending and rows.shape[0] >= 64):
            self.matrix()

    def matrix(self) -> sp.csr_matrix:
        if self.pending:
            self.main = sp.vstack([self.main, *self.pending]).tocsr()
            self.pending = []
        return self.main

    def rows(self, idx: Sequence[int]) -> sp.csr_matrix:
        n_main = self.main.shape[0]
        if all(i < n_main for i in idx):
            return self.main[list(idx)]
        if len(self.pending) > 64 or len(idx) > 256:
            return self.matrix()[list(idx)]
        # a few pending blocks (one-article additions): pick rows without restacking the whole matrix
        blocks, starts = [self.main], [0]
        for block in self.pending:
            starts.append(starts[-1] + blocks[-1].shape[0])
            blocks.append(block)
        if not idx:
            return _empty_csr(self.n_features)
        ids = np.asarray(idx, dtype=np.int64)
        in_main = ids < n_main
        parts = [self.main[ids[in_main]]]
        for i in ids[~in_main].tolist():
            b = int(np.searchsorted(starts, i, side="right")) - 1
            parts.append(blocks[b][i - starts[b]])
        stacked = sp.vstack(parts).tocsr()
        order = np.concatenate([np.flatnonzero(in_main), np.flatnonzero(~in_main)])
        return stacked[np.argsort(order)]

    def keep(self, idx: np.ndarray) -> None:
        self.main = self.matrix()[idx]
        self.n = self.main.shape[0]

    def product(self, x: np.ndarray) -> np.ndarray:
        """``self.matrix() @ x`` without stacking the pending blocks into the main matrix (row by row the
        same products: a one-article addition no longer copies the whole matrix for one new row)."""
        parts = [np.asarray(m @ x) for m in (self.main, *self.pending)]
        return np.vstack(parts) if x.ndim == 2 else np.concatenate(parts)

    def rows_dot(self, positions: np.ndarray, x: np.ndarray) -> np.ndarray:
        """``self.rows(positions) @ x`` (float32): the rows of the main matrix by :func:`_rows_dot`, only
        the pending ones (one-article additions) through scipy."""
        n_main = self.main.shape[0]
        if not len(positions):
            return np.zeros(0, dtype=np.float32)
        if int(positions.max()) < n_main:
            return _rows_dot(self.main, positions, x)
        out = np.empty(len(positions), dtype=np.float32)
        in_main = positions < n_main
        if in_main.any():
            out[in_main] = _rows_dot(self.main, positions[in_main], x)
        rest = positions[~in_main]
        out[~in_main] = np.asarray(self.rows(rest.tolist()) @ x, dtype=np.float32).ravel()
        return out


class StoryIndex:
    """The incremental story clusterer: add articles, read back stories; save to and load from bytes."""

    def __init__(
        self, settings: StorySettings | None = None, state: bytes | None = None, *, log_changes: bool = False
    ) -> None:
        self.settings = s = settings or StorySettings()
        self.log_changes = log_changes  # keep a change record of each addition (see take_log)
        self.df = np.zeros(s.n_features, dtype=np.int32)
        self.n_docs = 0
        self.members: list[_Member] = []
        self.member_days: list[int] = []
        # member_days as an array, extended as members are appended (see _days)
        self._days_src: list[int] | None = None
        self._days_arr = np.zeros(0, dtype=np.int64)
        self.tf = _SparseRows(s.n_features)  # IDF-weighted, L2-normalised rows of recent members
        self.sk = _SparseRows(s.n_features)  # their sketches (strongest n-grams) for candidate search
        self.emb = _Rows(_DIM)
        self.stories: dict[str, _StoryInfo] = {}
        self.story_of: dict[str, str] = {}  # article id → story id (every article ever added)
        self.cent_tf: dict[str, _Vec] = {}  # story id → sum of member TF-IDF rows
        self.cent_row: dict[str, int] = {}  # story id → row of ``cent_emb`` (sum of member embeddings)
        self.cent_emb = _Rows(_DIM)
        self.storyline_of: dict[str, str] = {}
        self.storyline_titles: dict[str, str] = {}
        self.term_display: dict[str, str] = {}  # match key → display spelling
        self.term_df: Counter[str] = Counter()  # articles whose title + lead has the term
        self.n_terms_docs = 0
        # entity id → (display name, type), the latest given, for storyline titles
        self.entity_names: dict[str, tuple[str, str]] = {}
        self.entity_df: Counter[str] = Counter()  # articles that have the entity among their main ones
        self._new_names: dict[str, tuple[str, str]] = {}  # names given since the last change record
        self._pruned_at = _NO_DAY
        self._ngrams = _NgramCounter(s.n_features)
        self._log: list[bytes] = []  # change records of the additions since the last take_log
        self._log_rows: list[tuple[_Member, Sequence[tuple[str, str]]]] = []
        self._log_order: list[int] = []
        self._entities_seen = (0, False)  # (members looked at, whether one has entities)
        self._cent_norms: np.ndarray | None = None  # row norms of cent_emb (see _centroid_norms)
        self._cent_dirty: set[int] = set()  # cent_emb rows changed since
        self._cent_cache: dict[str, tuple[float, float, frozenset[str]]] = {}  # see _centroid_stats
        self._cent_sketch: dict[str, _Vec] = {}  # see _centroid_sketch (embeddings off)
        # stories whose TF-IDF centroid is no longer the sum of their members' rows: a saved state keeps a
        # centroid's strongest n-grams only (see _centroid_cosines)
        self._cent_cut: set[str] = set()
        # storyline → its stories (the inverse of storyline_of, built on first need and kept up to date by
        # _link) and storyline → sums of its stories' unit centroids (dropped when one of them changes)
        self._line_members: dict[str, set[str]] | None = None
        self._line_sums: dict[str, tuple[_Vec, np.ndarray]] = {}
        self._dense = np.zeros(s.n_features, dtype=np.float32)  # a scratch vector, zero between uses
        self._log_tf = _empty_csr(s.n_features)
        self._log_emb = np.zeros((0, _DIM), dtype=np.float32)
        if state:
            self._load(state)

    # -- adding --------------------------------------------------------------------------------
    def add(
        self,
        articles: Sequence[Article],
        mentions_by_article: Mapping[str, Sequence[EntityMention]] | None = None,
        dates_by_article: Mapping[str, Sequence[DateMention]] | None = None,
        *,
        embedder: Embedder | None = None,
        entities: Sequence[Entity] = (),
    ) -> StoryResult:
        """Assign ``articles`` (those not seen before) to stories; return what changed (state left empty).

        ``entities`` (those the mentions' ``entity_id`` name) let storyline titles name the entities their
        stories share; the index keeps the name and type of those the batch's articles mention."""
        mentions_by_article = mentions_by_article or {}
        dates_by_article = dates_by_article or {}
        new: list[Article] = []
        seen: set[str] = set()
        for a in articles:
            if a.id not in self.story_of and a.id not in seen:
                seen.add(a.id)
                new.append(a)
        use_entities = any(mentions_by_article.get(a.id) for a in new) or self._members_have_entities()
        if entities:
            named = {e.id: (e.name, str(e.type)) for e in entities}
            named.update((old, (e.name, str(e.type))) for e in entities for old in e.merged)
            ids = {m.entity_id for a in new for m in mentions_by_article.get(a.id, ()) if m.entity_id}
            for k in ids:
                got = named.get(k)
                if got and got[0] and self.entity_names.get(k) != got:
                    self.entity_names[k] = self._new_names[k] = got
        scorer = _Scorer(self.settings, use_entities, self.n_docs + len(new))
        explanations: list[Explanation] = []
        touched: set[str] = set()
        if new:
            self._assign(new, scorer, mentions_by_article, dates_by_article, embedder, explanations, touched)
        if not self.log_changes:  # only a change record reads the batch's matrices: release them before linking
            self._log_tf = _empty_csr(self.settings.n_features)
            self._log_emb = np.zeros((0, _DIM), dtype=np.float32)
        changed, lines = self._link_storylines(touched)
        stories = [self._story_record(sid) for sid in sorted(touched | changed) if sid in self.stories]
        storylines = [
            Storyline(id=lid, title=self.storyline_titles.get(lid, ""), story_ids=tuple(ids))
            for lid, ids in sorted(lines.items())
        ]
        if new and self.log_changes:
            self._log.append(self._change_record(lines))
        self._new_names = {}
        # the batch's own feature matrices are only needed for its change record: release them (at 31k
        # articles in one batch the full TF-IDF matrix alone is ~0.5 GB, kept rows are copied into self.tf)
        self._log_tf = _empty_csr(self.settings.n_features)
        self._log_emb = np.zeros((0, _DIM), dtype=np.float32)
        self._log_rows, self._log_order = [], []
        self._prune()
        return StoryResult(stories=stories, explanations=explanations, storylines=storylines)

    def _features(
        self, articles: Sequence[Article], embedder: Embedder | None, order: Sequence[int]
    ) -> tuple[sp.csr_matrix, _BatchVectors]:
        """TF-IDF rows of ``articles`` and their embeddings (a prefetch's rows when ``embedder`` is a
        :class:`PrefetchedEmbedding` holding them). A big batch is embedded by marsad's encoder in
        worker processes, in ``order`` (the order its articles will be clustered), started before the
        n-gram counting so that they run beside it too."""
        s = self.settings
        vectors: _BatchVectors | None = None
        texts: list[str] = []
        if s.use_embeddings:
            texts = [_embed_text(a, s.embed_chars) for a in articles]
            if isinstance(embedder, PrefetchedEmbedding):
                vectors = embedder.view(texts)
                if vectors is None:  # prefetched with other settings: no use here
                    embedder.close()
                    embedder = None
            if vectors is None and embedder is None:
                from marsad.embed import BackgroundEmbedding, background_allowed, embed

                if len(texts) >= _BACKGROUND_MIN and background_allowed():
                    vectors = BackgroundEmbedding(texts, order, _BACKGROUND_CHUNK)
                embedder = embed
        try:
            counts = self._ngrams.transform([_tfidf_text(a, s.lead_chars, s.title_repeat) for a in articles])
        except BaseException:
            if vectors is not None:
                vectors.close()
            raise
        # document frequencies first, so a batch and its daily slices weigh the batch alike
        if len(counts.indices) > 100_000:
            self.df += np.bincount(counts.indices, minlength=s.n_features).astype(np.int32)
        else:
            np.add.at(self.df, counts.indices, 1)
        self.n_docs += len(articles)
        # weighed and normalised in place: at 31k articles in one batch the matrix is ~0.6 GB
        _weigh_in_place(counts, self.df, self.n_docs)
        _normalise_rows_in_place(counts)
        if vectors is None:
            if s.use_embeddings and embedder is not None:
                vectors = _Vectors(np.asarray(embedder(texts), dtype=np.float32))
            else:
                vectors = _Vectors(np.zeros((len(articles), _DIM), dtype=np.float32))
        return counts, vectors

    def _assign(
        self,
        new: Sequence[Article],
        scorer: _Scorer,
        mentions_by_article: Mapping[str, Sequence[EntityMention]],
        dates_by_article: Mapping[str, Sequence[DateMention]],
        embedder: Embedder | None,
        explanations: list[Explanation],
        touched: set[str],
    ) -> None:
        by_day: dict[int, list[int]] = defaultdict(list)
        for i in _clustering_order(new):
            by_day[_day(new[i].published)].append(i)
        days = sorted(by_day)
        tf, vectors = self._features(new, embedder, [i for day in days for i in by_day[day]])
        try:
            if not vectors.running():
                self._assign_days(new, days, by_day, tf, vectors, scorer, mentions_by_article, dates_by_article,
                                  explanations, touched)
            else:  # the encoder's workers are at work: this process' BLAS keeps to one core
                from threadpoolctl import threadpool_limits

                with threadpool_limits(limits=1, user_api="blas"):
                    self._assign_days(new, days, by_day, tf, vectors, scorer, mentions_by_article,
                                      dates_by_article, explanations, touched)
        finally:
            vectors.close()
        self._log_emb = vectors.result()

    def _assign_days(
        self,
        new: Sequence[Article],
        days: Sequence[int],
        by_day: Mapping[int, list[int]],
        tf: sp.csr_matrix,
        vectors: _BatchVectors,
        scorer: _Scorer,
        mentions_by_article: Mapping[str, Sequence[EntityMention]],
        dates_by_article: Mapping[str, Sequence[DateMention]],
        explanations: list[Explanation],
        touched: set[str],
    ) -> None:
        s = self.settings
        self._log_tf = tf
        self._log_rows, self._log_order = [], []
        for day in days:
            idx = by_day[day]
            emb_day = vectors.rows(idx)
            if day != _NO_DAY:
                # members published more than window_days before this day are in no later day's pool, and
                # _prune forgets them after the batch anyway: forget them now (a batch of 31k articles
                # otherwise holds, and re-stacks each day, the rows of every day since its first)
                self._forget_members_before(day - s.window_days)
            pool = self._pool(day)
            base = len(self.members)
            tf_day = tf[idx]
            sk_day = _sketch(tf_day, s.sketch_features)
            cands = self._candidates(pool, tf_day, emb_day, sk_day)
            self.tf.append(tf_day)
            self.sk.append(sk_day)
            self.emb.append(emb_day)
            del tf_day
            for k, i in enumerate(idx):
                a = new[i]
                m = _Member(
                    a.id,
                    "",
                    _day(a.published),
                    _article_days(a, dates_by_article.get(a.id, ())),
                    _entity_keys(mentions_by_article.get(a.id, ())),
                    a.outlet,
                    a.title,
                    self._places(a.title),
                )
                self.members.append(m)
                self.member_days.append(m.day)
                positions, tfs, embs, seen, seen_tfs = cands(k, base)
                row = _row(tf, i)
                story, expl = self._choose(a, m, positions, tfs, embs, row, emb_day[k], scorer, (seen, seen_tfs))
                terms = _key_terms(f"{a.title or ''}\n{a.text[: s.embed_chars]}")
                self._join(story, m, row, emb_day[k], terms)
                self._log_rows.append((m, terms))
                self._log_order.append(i)
                touched.add(story)
                explanations.append(expl)

    def _pool(self, day: int) -> np.ndarray:
        """Recent members a day's articles may join: within ``window_days`` before it, or undated."""
        days = self._days()
        if day == _NO_DAY or not len(days):
            return np.arange(len(days))
        return np.flatnonzero((days == _NO_DAY) | (np.abs(days - day) <= self.settings.window_days))

    def _days(self) -> np.ndarray:
        """``np.asarray(self.member_days)``, converting only the days appended since the last call (the
        list is only ever appended to or replaced whole; at 30k members the full conversion cost ~1.5 ms
        twice per one-article addition)."""
        src, arr = self.member_days, self._days_arr
        if self._days_src is not src or len(arr) > len(src):
            arr = np.asarray(src, dtype=np.int64)
        elif len(arr) < len(src):
            arr = np.concatenate([arr, np.asarray(src[len(arr) :], dtype=np.int64)])
        self._days_src, self._days_arr = src, arr
        return arr

    def _candidates(
        self, pool: np.ndarray, tf_new: sp.csr_matrix, emb_new: np.ndarray, sk_new: sp.csr_matrix
    ) -> Callable[[int, int], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
        """For the k-th new article: (member positions, TF-IDF cosines, embedding cosines) of its candidates,
        then (positions, TF-IDF cosines) of every member looked at, those below ``candidate_threshold`` too.

        Candidates are the pool and the day's earlier articles: the nearest ``max_candidates`` by
        n-gram sketch and the nearest by embedding (one sparse and one dense product per day); exact
        TF-IDF cosines are computed for those only, so a day and a single article are searched alike.
        """
        s = self.settings
        n_pool = len(pool)
        w_e = s.w_embedding if s.use_embeddings else 0.0
        # candidate search on sketches (each vector's strongest n-grams): cheap, and the same for a
        # batch and for one article; exact TF-IDF cosines are then computed for the candidates only
        # (``sk_new``: the sketches of ``tf_new``)
        if tf_new.shape[0] <= _FEW and n_pool:
            sim_emb, sim_sk = self._few_similarities(pool, sk_new, emb_new)
        else:
            if s.use_embeddings:
                pool_emb = self.emb.view[pool] if n_pool else np.zeros((0, _DIM), np.float32)
                sim_emb = emb_new @ np.vstack([pool_emb, emb_new]).T
            else:  # the embeddings are zeros and weigh nothing: skip the product
                sim_emb = np.zeros((emb_new.shape[0], n_pool + emb_new.shape[0]), dtype=np.float32)
            pool_sk = self.sk.rows(pool.tolist()) if n_pool else _empty_csr(s.n_features)
            sim_sk = np.asarray((sk_new @ sp.vstack([pool_sk, sk_new]).T.tocsr()).todense(), dtype=np.float32)
        buf = np.zeros(s.n_features, dtype=np.float32)

        def get(k: int, base: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
            n_cand = n_pool + k
            if n_cand == 0:
                empty = np.zeros(0, dtype=np.float32)
                none = np.zeros(0, dtype=np.int64)
                return none, empty, empty, none, empty
            embs = sim_emb[k, :n_cand]
            cand = _top(sim_sk[k, :n_cand], s.max_candidates)
            if s.use_embeddings:
                cand = np.union1d(cand, _top(embs, s.max_candidates))
            positions = np.where(cand < n_pool, 0, base + cand - n_pool)
            if n_pool:
                inside = cand < n_pool
                positions[inside] = pool[cand[inside]]
            row = _row(tf_new, k)
            buf[row.indices] = row.data
            tfs = self.tf.rows_dot(positions, buf)  # (rows still pending after one-article additions too)
            buf[row.indices] = 0.0
            text = (s.w_tfidf * tfs + w_e * embs[cand]) / (s.w_tfidf + w_e)
            keep = text >= s.candidate_threshold
            positions = positions.astype(np.int64)
            return positions[keep], tfs[keep], embs[cand][keep], positions, tfs

        return get

    def _places(self, title: str | None) -> frozenset[str]:
        """The local places a title names (none when the place signal is off)."""
        return title_places(title) if self.settings.w_place else frozenset()

    def _core_places(self, story: str) -> frozenset[str]:
        """Places named by at least half of the story's members whose titles name one."""
        info = self.stories[story]
        if not info.placed:
            return frozenset()
        return frozenset(p for p, n in info.places.items() if 2 * n >= info.placed)

    def _members_have_entities(self) -> bool:
        """``any(m.entities for m in self.members)``; members only grow between prunes, so only the
        ones added since the last look are looked at."""
        checked, found = self._entities_seen
        if not found and checked < len(self.members):
            found = any(m.entities for m in self.members[checked:])
        self._entities_seen = (len(self.members), found)
        return found

    def _few_similarities(
        self, pool: np.ndarray, sk_new: sp.csr_matrix, emb_new: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The similarity matrices of :meth:`_candidates` (columns: the pool, then the new articles) for
        a few new articles, without copying the pool's rows: products with every member (the index
        only holds the window) read at the pool's columns, sketches scattered into dense vectors."""
        k = sk_new.shape[0]
        sim_emb = np.hstack([(emb_new @ self.emb.view.T)[:, pool], emb_new @ emb_new.T])
        dense = np.zeros((self.settings.n_features, k), dtype=np.float32)
        for r in range(k):
            lo, hi = sk_new.indptr[r], sk_new.indptr[r + 1]
            dense[sk_new.indices[lo:hi], r] = sk_new.data[lo:hi]
        to_pool = np.asarray(self.sk.product(dense), dtype=np.float32)[pool].T
        among = np.asarray(sk_new @ dense, dtype=np.float32)
        return sim_emb, np.hstack([to_pool, among])

    def _choose(
        self,
        a: Article,
        m: _Member,
        positions: np.ndarray,
        tfs: np.ndarray,
        embs: np.ndarray,
        tf_row: _Vec,
        emb_row: np.ndarray,
        scorer: _Scorer,
        seen: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> tuple[str, Explanation]:
        """The story ``a`` joins (an existing one or a new one) and why. ``seen``: the positions and TF-IDF
        cosines of every member looked at (a story all of whose members are among them has its centroid
        product from their cosines, without reading the centroid)."""
        s = self.settings
        if a.duplicate_of and a.duplicate_of in self.story_of:  # a copy joins its original's story
            story = self.story_of[a.duplicate_of]
            return story, Explanation(a.id, story, a.duplicate_of, 1.0, (("duplicate", 1.0),))
        nearest: dict[str, tuple[float, int, _ScoreArgs, int | None]] = {}
        vetoed: set[str] = set()
        use_emb = s.use_embeddings
        for pos, t, e in zip(positions.tolist(), tfs.tolist(), embs.tolist(), strict=True):
            other = self.members[pos]
            gap = _gap(m.days, other.days)
            if gap is not None and gap > s.max_gap_days:
                vetoed.add(other.story)  # one happening is not reported with dates this far apart
                continue
            args = (
                t,
                e if use_emb else None,
                _entity_signal(m.entities, other.entities),
                _time_signal(gap, s.time_scale_days, s.max_gap_days),
                _place_conflict(m.places, other.places),
            )
            score = scorer.score(*args)  # the parts are worked out for each story's nearest member only
            if other.story not in nearest or score > nearest[other.story][0]:
                nearest[other.story] = (score, pos, args, gap)
        best: tuple[float, str | None, Signals, str | None] = (0.0, None, (), None)
        joined: tuple[float, str, Signals, str] | None = None
        lam = s.nearest_weight
        eligible = [
            story
            for story in nearest
            if story not in vetoed and not _too_far(m.days, self.stories[story].days, s.max_gap_days)
        ]
        known: dict[str, list[float]] = {}  # story → [members seen, sum of their TF-IDF cosines]
        if seen is not None and eligible:
            members = self.members
            for pos, t in zip(seen[0].tolist(), seen[1].tolist(), strict=True):
                got = known.get(members[pos].story)
                if got is None:
                    known[members[pos].story] = [1.0, t]
                else:
                    got[0] += 1.0
                    got[1] += t
        c_tfs, c_embs = self._centroid_cosines(eligible, tf_row, emb_row, known)
        for story, c_tf, c_emb in zip(eligible, c_tfs.tolist(), c_embs.tolist(), strict=True):
            n_score, n_pos, n_args, gap = nearest[story]
            c_ent = _entity_signal(m.entities, self._centroid_stats(story)[2])
            time = _time_signal(gap, s.time_scale_days, s.max_gap_days)
            c_place = _place_conflict(m.places, self._core_places(story))
            c_args = (c_tf, c_emb if use_emb else None, c_ent, time, c_place)
            score = (1 - lam) * scorer.score(*c_args) + lam * n_score
            if score > best[0] or (score >= scorer.threshold and (joined is None or score > joined[0])):
                c_parts = scorer.parts(*c_args)[1]
                near = dict(scorer.parts(*n_args)[1])
                parts = tuple((name, round((1 - lam) * v + lam * near.get(name, v), 4)) for name, v in c_parts)
                if score > best[0]:
                    best = (score, story, parts, self.members[n_pos].id)
                if score >= scorer.threshold and (joined is None or score > joined[0]):
                    joined = (score, story, parts, self.members[n_pos].id)
        if joined is not None:
            return joined[1], Explanation(a.id, joined[1], joined[3], round(joined[0], 4), joined[2])
        story = stable_id("s", a.id)
        return story, Explanation(a.id, story, None, round(best[0], 4), best[2])

    def _centroid_cosines(
        self,
        stories: Sequence[str],
        tf_row: _Vec,
        emb_row: np.ndarray,
        known: Mapping[str, Sequence[float]] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """TF-IDF and embedding cosines of an article with the centroids of ``stories`` (float64 arrays).

        A centroid is the sum of its members' rows (unless it was cut when saved), so when ``known``
        (story → members seen, sum of their cosines with the article) has seen all of a story's members,
        that sum is the product. The other
        small centroids' TF-IDF products are read from the article's scattered row in one gather
        (summed per centroid by one ``bincount``), the big ones' by looking the article's n-grams up in
        them; the embedding cosines are one matrix-vector product."""
        n = len(stories)
        if not n:
            return np.zeros(0), np.zeros(0)
        stats = [self._centroid_stats(k) for k in stories]
        tf_norms = np.fromiter((st[0] for st in stats), dtype=np.float64, count=n)
        emb_norms = np.fromiter((st[1] for st in stats), dtype=np.float64, count=n)
        rows = np.fromiter((self.cent_row[k] for k in stories), dtype=np.int64, count=n)
        c_emb = (self.cent_emb.view[rows] @ emb_row).astype(np.float64) / emb_norms
        limit = 2 * len(tf_row.indices)  # bigger centroids: look the article's n-grams up in them instead
        dots = np.zeros(n)
        done = np.zeros(n, dtype=bool)
        if known:
            cut = self._cent_cut
            for i, k in enumerate(stories):
                got = known.get(k)
                if got is not None and got[0] == self.stories[k].n and k not in cut:
                    dots[i], done[i] = got[1], True
        todo = np.flatnonzero(~done)
        if len(todo):
            dense = self._dense
            dense[tf_row.indices] = tf_row.data
            try:
                dots[todo] = self._centroid_dots(dense, tf_row, [stories[i] for i in todo.tolist()], limit)
            finally:
                dense[tf_row.indices] = 0.0
        return dots / tf_norms, c_emb

    def _centroid_sketch(self, story: str) -> _Vec:
        """The story's TF-IDF centroid at unit length, cut to its strongest ``sketch_features`` n-grams
        (kept until the story changes: one-article additions re-sketch only the stories they touch)."""
        got = self._cent_sketch.get(story)
        if got is None:
            got = self._cent_sketch[story] = _unit_sketch(self.cent_tf[story], self.settings.sketch_features)
        return got

    def _centroid_stats(self, story: str) -> tuple[float, float, frozenset[str]]:
        """The norms of a story's TF-IDF and embedding centroids (1 for a zero one) and its core entities,
        kept until the story changes (:meth:`_join`)."""
        got = self._cent_cache.get(story)
        if got is None:
            ctf = self.cent_tf[story]
            info = self.stories[story]
            got = self._cent_cache[story] = (
                math.sqrt(float(ctf.data @ ctf.data)) or 1.0,
                float(np.linalg.norm(self.cent_emb.view[self.cent_row[story]])) or 1.0,
                frozenset(k for k, n in info.entities.items() if 2 * n >= info.n),
            )
        return got

    def _join(
        self, story: str, m: _Member, tf_row: _Vec, emb_row: np.ndarray, terms: Sequence[tuple[str, str]]
    ) -> None:
        m.story = story
        self.story_of[m.id] = story
        info = self.stories.get(story)
        if info is None:
            info = self.stories[story] = _StoryInfo(story, [], [], m.title or "", [])
        info.article_ids.append(m.id)
        if m.outlet and m.outlet not in info.outlets:
            info.outlets.append(m.outlet)
        if m.day != _NO_DAY:
            info.days.append(m.day)
        elif m.days and not info.days:
            info.days.extend(m.days)
        if not info.headline and m.title:
            info.headline = m.title
        keys = {key for key, _ in terms}
        info.terms.update(keys)
        self.term_df.update(keys)
        self.n_terms_docs += 1
        for key, shown in terms:
            now = self.term_display.get(key)
            if now is None or (now != shown and _joined_tokens(shown) == key):
                self.term_display[key] = shown  # the spelling without clitics wins
        info.entities.update(m.entities)
        self.entity_df.update(m.entities)
        if m.places:
            info.places.update(m.places)
            info.placed += 1
        info.n += 1
        if self._line_sums:
            line = self.storyline_of.get(story)
            if line is not None:
                self._line_sums.pop(line, None)  # the story's centroid changes: so does its storyline's sum
        self._cent_cache.pop(story, None)
        self._cent_sketch.pop(story, None)
        if story in self.cent_tf:
            self.cent_tf[story] = _add(self.cent_tf[story], tf_row)
            self.cent_emb.buf[self.cent_row[story]] += emb_row
            self._cent_dirty.add(self.cent_row[story])
        else:
            self.cent_tf[story] = tf_row.copy()  # not a view: the batch's matrix is released after add
            self.cent_row[story] = self.cent_emb.append(emb_row[None, :])

    # -- storylines ----------------------------------------------------------------------------
    def _link_storylines(self, touched: set[str]) -> tuple[set[str], dict[str, list[str]]]:
        """Link touched stories to the stories kept in the index; return changed stories and lines.

        Two stories continue one another when their TF-IDF centroids (names, key words) reach
        ``storyline_threshold`` and their embedding centroids ``storyline_min_embedding``, they are
        at most ``storyline_window_days`` apart and — when entities
        are known — they share one. Candidates are the nearest centroids by embedding (or all stories
        when embeddings are off). Linked stories merge their storylines; a line keeps the smallest id.
        """
        s = self.settings
        targets = [k for k in sorted(touched) if k in self.cent_tf]
        changed: set[str] = set()
        ids = list(self.cent_row)
        if targets and len(ids) > 1:
            # rows are 0..n-1 in the dict's order (appended in _join, renumbered by _prune and _load):
            # use the matrix and the cached row norms as they are
            contiguous = len(ids) == self.cent_emb.n and self.cent_row[ids[-1]] == len(ids) - 1
            if contiguous:
                cemb = self.cent_emb.view
                norms = self._centroid_norms()
                pos_of: Mapping[str, int] = self.cent_row
            else:  # pragma: no cover - kept for safety
                rows = np.fromiter((self.cent_row[k] for k in ids), dtype=np.int64, count=len(ids))
                cemb = self.cent_emb.view[rows]
                norms = np.linalg.norm(cemb, axis=1)
                pos_of = {k: i for i, k in enumerate(ids)}
            norms = np.where(norms == 0, np.float32(1.0), norms)
            w_e = s.w_embedding if s.use_embeddings else 0.0
            ctf_all = None
            if not s.use_embeddings:  # candidates by TF-IDF centroid products instead
                ctf_all = _stack([self._centroid_sketch(k) for k in ids], s.n_features)
            dense = np.zeros(s.n_features, dtype=np.float32)  # the target centroid, scattered
            line_members: dict[str, set[str]] | None = self._line_members
            line_sums = self._line_sums
            pair_dots: dict[tuple[str, str], float] = {}  # TF-IDF centroid products looked at (both orders)
            for c0 in range(0, len(targets), 512):
                chunk = targets[c0 : c0 + 512]
                rows_c = [pos_of[k] for k in chunk]
                if ctf_all is None:
                    sims = (cemb[rows_c] / norms[rows_c, None]) @ cemb.T
                    sims /= norms[None, :]
                else:
                    sims = np.asarray((ctf_all[rows_c] @ ctf_all.T).todense(), dtype=np.float32)
                for r, sid in enumerate(chunk):
                    sims[r, pos_of[sid]] = -2.0
                    cand = _top_stable(sims[r], s.storyline_candidates)
                    if w_e:
                        cand = cand[sims[r, cand] >= s.storyline_min_embedding]
                    a_tf = self.cent_tf[sid]
                    a_norm = self._centroid_stats(sid)[0]
                    dense[a_tf.indices] = a_tf.data
                    line_of = self.storyline_of
                    if line_members is None:
                        line_members = self._members_of_lines()
                    line = line_of.get(sid)
                    todo = [
                        j
                        for j in cand.tolist()
                        if ids[j] != sid and not (line and line == line_of.get(ids[j]))
                    ]  # pairs already in one storyline: _link would change nothing, whatever the cosine
                    ask = [ids[j] for j in todo if (sid, ids[j]) not in pair_dots]
                    # a centroid much bigger than the target's: look the target's n-grams up in it instead
                    got = self._centroid_dots(dense, a_tf, ask, 4 * len(a_tf.indices))
                    for other, dot in zip(ask, got.tolist(), strict=True):
                        pair_dots[(sid, other)] = pair_dots[(other, sid)] = dot
                    for j in todo:
                        dot = pair_dots[(sid, ids[j])]
                        other = ids[j]
                        line = line_of.get(sid)
                        if line and line == line_of.get(other):
                            continue  # linked meanwhile (through a third story)
                        t = dot / (a_norm * self._centroid_stats(other)[0])
                        # names carry a storyline: the TF-IDF centroids decide, embeddings only propose
                        if t >= s.storyline_threshold and (not w_e or sims[r, j] >= s.storyline_min_embedding):
                            self._link(sid, other, changed, line_members, line_sums)
                    dense[a_tf.indices] = 0.0
        lines_touched = {self.storyline_of[x] for x in touched | changed if x in self.storyline_of}
        members_of = self._members_of_lines() if lines_touched else {}
        out: dict[str, list[str]] = {}
        for line in lines_touched:
            out[line] = sorted(members_of[line])
            self.storyline_titles[line] = self._storyline_title(out[line])
        return changed, out

    def _members_of_lines(self) -> dict[str, set[str]]:
        """Storyline → its stories: the inverse of ``storyline_of``, built once and then kept up to date by
        :meth:`_link` (the only place that links; loading or replaying a state drops it)."""
        if self._line_members is None:
            members: dict[str, set[str]] = defaultdict(set)
            for k, v in self.storyline_of.items():
                members[v].add(k)
            self._line_members = members
        return self._line_members

    def _centroid_dots(self, dense: np.ndarray, vec: _Vec, stories: Sequence[str], big: int) -> np.ndarray:
        """Dot products (float64) of the TF-IDF centroids of ``stories`` with ``vec``, which is scattered into
        ``dense``: the centroids of at most ``big`` n-grams in one gather over all of them (summed per
        centroid), the bigger ones by looking ``vec``'s n-grams up in them."""
        out = np.zeros(len(stories))
        cents = [self.cent_tf[k] for k in stories]
        small = [i for i, c in enumerate(cents) if len(c.indices) <= big]
        if small:
            idx = np.concatenate([cents[i].indices for i in small])
            val = np.concatenate([cents[i].data for i in small])
            seg = np.repeat(np.arange(len(small)), [len(cents[i].indices) for i in small])
            out[small] = np.bincount(seg, weights=val * dense[idx], minlength=len(small))
        for i, c in enumerate(cents):
            if len(c.indices) > big:
                out[i] = _dot(c, vec)
        return out

    def _centroid_norms(self) -> np.ndarray:
        """``np.linalg.norm(self.cent_emb.view, axis=1)``, recomputing only the rows changed since."""
        n = self.cent_emb.n
        norms = self._cent_norms
        if norms is None or len(norms) > n:
            norms = np.linalg.norm(self.cent_emb.view, axis=1)
        else:
            if len(norms) < n:
                norms = np.concatenate([norms, np.linalg.norm(self.cent_emb.view[len(norms) :], axis=1)])
            dirty = [r for r in self._cent_dirty if r < len(norms)]
            if dirty:
                norms[dirty] = np.linalg.norm(self.cent_emb.view[dirty], axis=1)
        self._cent_dirty.clear()
        self._cent_norms = norms
        return norms

    def _link(
        self,
        sid: str,
        other_id: str,
        changed: set[str],
        line_members: dict[str, set[str]],
        line_sums: dict[str, tuple[_Vec, np.ndarray]],
    ) -> None:
        """Put two stories that continue one another into one storyline (``line_members``: storyline →
        its stories, and ``line_sums``, the sums of their unit centroids, both kept up to date here; the
        centroids do not change while storylines are linked). When either is in a storyline already, the two sides —
        each storyline, or the story alone — must also be alike as wholes (average link: the mean
        cosines over their pairs of stories reach the same thresholds): a pair of stories alone would
        chain a storyline from one story to the next until it holds every story that names the king."""
        s = self.settings
        info, other = self.stories[sid], self.stories[other_id]
        if info.days and other.days:
            gap = min(abs(x - y) for x in (min(info.days), max(info.days)) for y in (min(other.days), max(other.days)))
            if gap > s.storyline_window_days:
                return
        if info.entities and other.entities and not (set(info.entities) & set(other.entities)):
            return
        if _place_conflict(self._core_places(sid), self._core_places(other_id)):
            return  # the same kind of local news from two places (interviews, paving, fires) is two affairs
        a_line, b_line = self.storyline_of.get(sid), self.storyline_of.get(other_id)
        if a_line and a_line == b_line:
            return
        side_a = line_members.get(a_line, set()) if a_line else set()
        side_b = line_members.get(b_line, set()) if b_line else set()
        side_a, side_b = (side_a & self.stories.keys()) or {sid}, (side_b & self.stories.keys()) or {other_id}
        sum_a = self._group_sum(side_a, a_line if len(side_a) > 1 else None, line_sums)
        sum_b = self._group_sum(side_b, b_line if len(side_b) > 1 else None, line_sums)
        if len(side_a) + len(side_b) > 2:
            pairs = len(side_a) * len(side_b)  # average link: the mean cosine over every pair of stories
            t, e = _dot(sum_a[0], sum_b[0]) / pairs, float(sum_a[1] @ sum_b[1]) / pairs
            if t < s.storyline_threshold or (s.use_embeddings and e < s.storyline_min_embedding):
                return
        lines = [x for x in (a_line, b_line) if x]
        keep = min(lines) if lines else stable_id("l", min(sid, other_id))
        members = {sid, other_id}
        for line in set(lines) - {keep}:
            members |= line_members.pop(line, set())
        for k in members:
            if self.storyline_of.get(k) != keep:
                self.storyline_of[k] = keep
                changed.add(k)
        line_members[keep] |= members
        for line in lines:
            line_sums.pop(line, None)
        line_sums[keep] = (_add(sum_a[0], sum_b[0]), sum_a[1] + sum_b[1])

    def _group_sum(
        self, group: set[str], line: str | None, line_sums: dict[str, tuple[_Vec, np.ndarray]]
    ) -> tuple[_Vec, np.ndarray]:
        """The sums of the unit TF-IDF and embedding centroids of ``group`` (cached for a storyline)."""
        if line is not None and line in line_sums:
            return line_sums[line]
        ids = sorted(group)
        stats = [self._centroid_stats(k) for k in ids]
        if len(ids) == 1:
            c = self.cent_tf[ids[0]]
            tf = _Vec(c.data / np.float32(stats[0][0]), c.indices)
        else:
            idx = np.concatenate([self.cent_tf[k].indices for k in ids])
            val = np.concatenate([self.cent_tf[k].data / np.float32(st[0]) for k, st in zip(ids, stats, strict=True)])
            keys, inv = np.unique(idx, return_inverse=True)
            tf = _Vec(np.bincount(inv, weights=val).astype(np.float32), keys.astype(idx.dtype))
        rows = np.fromiter((self.cent_row[k] for k in ids), dtype=np.int64, count=len(ids))
        norms = np.asarray([st[1] for st in stats], dtype=np.float32)
        emb = (self.cent_emb.view[rows] / norms[:, None]).sum(axis=0)
        if line is not None:
            line_sums[line] = (tf, emb)
        return tf, emb

    def _storyline_title(self, story_ids: Sequence[str]) -> str:
        """The entities and title words most of the storyline's stories share; else the biggest story's
        headline. Up to three: the shared countries (two at most) and people or organisations by their
        names («سلمان بن عبدالعزيز آل سعود», not the word pairs «عبدالعزيز ولي العهد · سلمان» of the titles),
        then title words and phrases, then other places and names."""
        infos = [self.stories[k] for k in story_ids if k in self.stories]
        if not infos:
            return ""
        spread: Counter[str] = Counter()
        weight: Counter[str] = Counter()
        df: dict[str, int] = {}
        shown: dict[str, str] = {}
        ent_spread: Counter[str] = Counter()
        ent_weight: Counter[str] = Counter()
        adjectives: dict[str, set[str]] = defaultdict(set)  # country key → its adjectives in the titles
        for info in infos:
            keys: set[str] = set()
            for term, count in info.terms.items():
                # «الروسي», «الروسية» and «روسيا» are one term, shown as the country («روسيا»)
                country = country_of_adjective(term)
                if country and (usual := common_name(country[0])):  # الأمريكي → الولايات المتحدة
                    country = (_joined_tokens(usual), usual)
                key = country[0] if country else term
                if country:
                    shown[key] = country[1]
                    adjectives[key].add(term.removeprefix("ال"))
                keys.add(key)
                weight[key] += count
                df[key] = max(df.get(key, 0), self.term_df.get(term, 0))
            spread.update(keys)
            named = [k for k in info.entities if k in self.entity_names]
            ent_spread.update(named)
            for k in named:
                ent_weight[k] += info.entities[k]
        n = self.n_terms_docs + 1
        # a word found in the title or lead of one article in sixteen says nothing of a storyline («حيث»,
        # «الأول», «مدينة»); a country does (it is shown as the country)
        common = max(20, n // 16)
        shared = [t for t, c in spread.items() if c >= 2 and (" " in t or t in shown or df.get(t, 0) < common)
                  and t not in _NO_TITLE_TERMS]  # not «الأمير» or the «عبد» of «عبد الفتاح», «عبد العزيز»
        countries = country_names()
        # (id, name, its words as title terms, rank) of the shared entities: 0 a country, 1 a person or an
        # organisation (the actors), 2 another place or a MISC name (shown after the title words)
        ents: list[tuple[str, str, set[str], int]] = []
        for k, c in ent_spread.items():
            name, kind = self.entity_names[k]
            key = _joined_tokens(name)
            if c >= 2 and (key in countries or self.entity_df.get(k, 0) < common):
                if kind == "PER" and len(_NAME_PART_RE.findall(key)) < 2:
                    continue  # a given name alone («محمد», «عبد الله») is no one in particular
                rank = 0 if key in countries else 1 if kind in ("PER", "ORG") else 2
                ents.append((k, name, {_word_term(w, w)[0] for w in key.split()} - {""}, rank))
        top = max([spread[t] for t in shared] + [ent_spread[e[0]] for e in ents], default=0)
        if not top:
            return max(infos, key=lambda i: (len(i.article_ids), i.headline)).headline

        def telling(t: str) -> float:
            return weight[t] * math.log(n / (1 + df.get(t, 0)) + 1.0)

        def ent_telling(k: str) -> float:
            return ent_weight[k] * math.log(n / (1 + self.entity_df.get(k, 0)) + 1.0)

        # most stories first, then phrases before words, then the most telling (article count × rarity)
        phrases = _chain_pairs([t for t in shared if " " in t and t not in shown], spread)
        shared = sorted((t for t in shared if spread[t] == top), key=lambda t: (-len(t.split()), -telling(t), t))
        ents = sorted((e for e in ents if ent_spread[e[0]] == top),
                      key=lambda e: (e[3], -ent_weight[e[0]], -ent_telling(e[0]), e[1]))
        chosen: list[tuple[str, bool]] = []  # (display, whether a country)
        taken: set[str] = set()  # the words of the chosen terms (a phrase's titles too)

        def take(display: str, words: set[str], is_country: bool) -> None:
            if len(chosen) == 3 or taken & words:
                return
            glued = display.replace(" ", "")  # «عبد العزيز» and «عبدالعزيز» are one name
            if any(glued in c.replace(" ", "") or c.replace(" ", "") in glued for c, _ in chosen):
                return
            if " " not in display and any(display.removeprefix("ال") in c.split() for c, _ in chosen):
                return  # «الوزارة» after «وزارة الحج»
            chosen.append((display, is_country))
            taken.update(words)

        grown = [phrases.get(t, (t, t)) for t in shared]
        actors = [e for e in ents if e[3] == 1]

        def names_an_actor(words: set[str]) -> bool:
            """The phrase has an actor's whole name («قناة السويس الجديدة»: «السويس»), or a word of it and
            two more words («الملك سلمان للإغاثة»; «الملك سلمان» is no more than the name)."""
            return any(e[2] and (e[2] <= words or (e[2] & words and len(words) > 2)) for e in actors)

        whole_names = {_joined_tokens(self.entity_names[k][0]) for k in ent_spread}
        entity_words = {w for name in whole_names for w in name.split()}  # (the loops below use name_words)

        def take_terms(naming_actors: bool) -> None:
            for term, words in grown:
                if term in adjectives and any(w.removeprefix("ال") in adjectives[term]
                                              for c, _ in chosen for w in _joined_tokens(c).split()):
                    continue  # «أوروبا» of «الأوروبي» after «الاتحاد الأوروبي»: the adjective was that name's
                if term not in shown and term not in countries:
                    term = _title_worthy(self._without_clitic(term), entity_words, self.term_display, whole_names)
                    if not term or (" " not in term and len(chosen) >= 2
                                    and (term not in entity_words or _inner_word(term))):
                        continue  # (a word alone is no third name: «أفغانستان · طالبان», not «… · الأقل»)
                if not naming_actors or (" " in term and names_an_actor(set(words.split()))):
                    take(shown.get(term) or self._phrase_display(self._without_clitic(term)), set(words.split()),
                         term in shown or term in countries)

        for _, name, name_words, _ in [e for e in ents if e[3] == 0][:2]:
            take(name, name_words, True)
        take_terms(naming_actors=True)  # «قناة السويس الجديدة» before the organisation «السويس»
        for _, name, name_words, _ in actors:
            take(name, name_words, False)
        take_terms(naming_actors=False)
        for _, name, name_words, _ in [e for e in ents if e[3] == 2]:
            take(name, name_words, False)
        if not chosen:  # every shared term was a verb, a count or a common noun
            return max(infos, key=lambda i: (len(i.article_ids), i.headline)).headline
        return _storyline_words([c for c, _ in chosen], [k for _, k in chosen])

    def _without_clitic(self, term: str) -> str:
        """The term with the clitic its first word was written with (بتنظيم داعش, للجاليات الإسلامية, وتوعية):
        ``term`` with that letter off (ل → ال), when the stories' titles and leads hold that form at least as
        often; else ``term``. (A name that begins so, بلوتو, لندن, has no such form.)"""
        words = term.split()
        first = words[0]
        # (the key of «للجاليات» is «لجاليات»: its «لل» is ل + ال)
        cands = ["ال" + first[1:]] if first.startswith("ل") and len(first) > 3 else []
        if first[:1] in "وفبل" and len(first) > 3:
            cands.append(first[1:])
        head = " ".join(words[:2])
        for cand in cands:
            new_head = " ".join([cand, *words[1:2]])
            if self.term_df.get(new_head, 0) >= max(2, self.term_df.get(head, 0)):
                return " ".join([cand, *words[1:]])
        return term

    def _phrase_display(self, term: str) -> str:
        """The display spelling of a term or of a phrase chained from word pairs (``_chain_pairs``): its
        first pair as shown, then the second word of each next pair."""
        got = self.term_display.get(term)
        if got is not None:
            return got
        words = term.split()
        if len(words) == 1:
            return term
        shown: list[str] = []
        for k in range(len(words) - 1):
            pair = self.term_display.get(f"{words[k]} {words[k + 1]}", "").split()
            if len(pair) != 2:
                pair = [self.term_display.get(words[k], words[k]), self.term_display.get(words[k + 1], words[k + 1])]
            shown[k:] = pair if k == 0 else [shown[k], pair[1]]
        return " ".join(shown)

    # -- change records (the store's state log) -----------------------------------------------
    def take_log(self) -> list[bytes]:
        """Change records of the additions since the last call (or the load), oldest first; kept only
        when the index was made with ``log_changes=True``.

        Replaying them with :meth:`apply_log` on the state this index was loaded from gives this
        index back, without scoring anything again: a store can write these few kilobytes per
        batch instead of the whole state (see :mod:`marsad.store`)."""
        out, self._log = self._log, []
        return out

    def _change_record(self, lines: Mapping[str, Sequence[str]]) -> bytes:
        """What one :meth:`add` changed: the new members in assignment order (with the story each
        joined, its TF-IDF row, embedding and title terms; a row's n-grams are the ones its text added
        to the document frequencies) and the storyline of every story in the storylines it touched."""
        order = np.asarray(self._log_order, dtype=np.int64)
        tf = sp.csr_matrix(self._log_tf[order]) if len(order) else _empty_csr(self.settings.n_features)
        meta = {
            "format": _STATE_FORMAT,
            "n_features": self.settings.n_features,
            "n_new": int(self._log_tf.shape[0]),
            "members": [
                [m.id, m.story, m.day, list(m.days), sorted(m.entities), m.outlet, m.title, [list(t) for t in terms]]
                for m, terms in self._log_rows
            ],
            "storyline_of": {k: self.storyline_of[k] for ids in lines.values() for k in ids if k in self.storyline_of},
            "storyline_titles": {line: self.storyline_titles.get(line, "") for line in lines},
            "entity_names": self._new_names,
        }
        self._new_names = {}
        arrays: dict[str, np.ndarray] = {
            "meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
            "tf_data": tf.data.astype(np.float32),
            "tf_indices": tf.indices.astype(np.int32),
            "tf_indptr": tf.indptr.astype(np.int64),
        }
        if self.settings.use_embeddings:
            arrays["emb"] = np.asarray(self._log_emb[order], dtype=np.float32)
        self._log_rows, self._log_order = [], []
        buf = io.BytesIO()
        if len(order) > 64:  # a big batch: compressed (the log grows slower than the snapshot)
            np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
        else:  # a few articles: a few kilobytes either way, written as they are
            np.savez(buf, **arrays)  # type: ignore[arg-type]
        return buf.getvalue()

    def apply_log(self, data: bytes) -> None:
        """Replay one change record made by :meth:`take_log` (records must follow the state in order)."""
        s = self.settings
        with np.load(io.BytesIO(data)) as npz:
            meta = _read_meta(npz, "a story state change record", s.n_features)
            indptr = npz["tf_indptr"]
            tf = sp.csr_matrix((npz["tf_data"], npz["tf_indices"], indptr), shape=(len(indptr) - 1, s.n_features))
            tf.has_sorted_indices = True
            emb = npz["emb"] if "emb" in npz.files else np.zeros((tf.shape[0], _DIM), dtype=np.float32)
        np.add.at(self.df, tf.indices, 1)
        self.n_docs += int(meta["n_new"])
        if tf.shape[0]:
            self.tf.append(tf)
            self.sk.append(_sketch(tf, s.sketch_features))
            self.emb.append(emb)
        for i, r in enumerate(meta["members"]):
            m = _Member(r[0], "", r[2], tuple(r[3]), frozenset(r[4]), r[5], r[6], self._places(r[6]))
            self.members.append(m)
            self.member_days.append(m.day)
            self._join(r[1], m, _row(tf, i), emb[i], [(k, v) for k, v in r[7]])
        self.storyline_of.update(meta["storyline_of"])
        self.storyline_titles.update(meta["storyline_titles"])
        self.entity_names.update((k, (v[0], v[1])) for k, v in meta.get("entity_names", {}).items())
        self._line_members, self._line_sums = None, {}
        self._prune()

    # -- records, pruning, persistence ---------------------------------------------------------
    def _story_record(self, sid: str) -> Story:
        info = self.stories[sid]
        days = sorted(info.days)
        return Story(
            id=sid,
            headline=info.headline,
            article_ids=tuple(info.article_ids),
            outlets=tuple(info.outlets),
            storyline_id=self.storyline_of.get(sid),
            start=_iso(days[0]) if days else None,
            end=_iso(days[-1]) if days else None,
        )

    def _forget_members_before(self, day: int) -> None:
        """Forget the vectors of the members published before ``day`` (undated ones are kept)."""
        days = self._days()
        keep = (days == _NO_DAY) | (days >= day)
        if not keep.all():
            idx = np.flatnonzero(keep)
            self.members = [self.members[i] for i in idx.tolist()]
            self._entities_seen = (0, False)
            self.member_days = [self.member_days[i] for i in idx.tolist()]
            self.tf.keep(idx)
            self.sk.keep(idx)
            self.emb.keep(idx)

    def _prune(self) -> None:
        """Forget member vectors outside the window and stories outside the storyline window."""
        s = self.settings
        days = self._days()
        if not len(days) or days.max() == _NO_DAY:
            return
        latest = int(days.max())
        self._forget_members_before(latest - s.window_days)
        if latest == self._pruned_at:
            return  # the stories' horizon only moves when a later day arrives
        self._pruned_at = latest
        horizon = latest - s.storyline_window_days
        old = [k for k, info in self.stories.items() if info.days and max(info.days) < horizon]
        if old:
            for sid in old:
                self.stories.pop(sid, None)
                self._cent_cache.pop(sid, None)
                self._cent_sketch.pop(sid, None)
                self.cent_tf.pop(sid, None)
                self.cent_row.pop(sid, None)
                self._cent_cut.discard(sid)
            self._line_sums.clear()  # sums over stories no longer all kept
            ids = list(self.cent_row)
            rows = np.asarray([self.cent_row[k] for k in ids], dtype=np.int64)
            self.cent_emb.keep(rows)
            self.cent_row = {k: i for i, k in enumerate(ids)}
            self._cent_norms = None

    def to_bytes(self) -> bytes:
        """The index as bytes (numpy arrays and a JSON header in an ``.npz``)."""
        s = self.settings
        ids = list(self.cent_row)
        kept_entities = {k for info in self.stories.values() for k in info.entities}
        meta = {
            "format": _STATE_FORMAT,
            "n_features": s.n_features,
            "n_docs": self.n_docs,
            "members": [
                [m.id, m.story, m.day, list(m.days), sorted(m.entities), m.outlet, m.title] for m in self.members
            ],
            "stories": [
                [i.id, i.article_ids, i.outlets, i.headline, i.days, i.n, dict(i.terms), dict(i.entities)]
                + ([dict(i.places), i.placed] if i.placed else [])
                for i in self.stories.values()
            ],
            "story_of": self.story_of,
            "cent_ids": ids,
            "storyline_of": self.storyline_of,
            "storyline_titles": self.storyline_titles,
            "term_display": self.term_display,
            "term_df": dict(self.term_df),
            "n_terms_docs": self.n_terms_docs,
            # the names of the entities the kept stories have (the others can title no storyline again)
            "entity_names": {k: v for k, v in self.entity_names.items() if k in kept_entities},
            "entity_df": dict(self.entity_df),
            "pruned_at": self._pruned_at,
        }
        nz = np.flatnonzero(self.df)
        # centroids are saved with their strongest n-grams only (most of their weight, a fraction of the bytes)
        cent_tf = (
            _sketch(_stack([self.cent_tf[k] for k in ids], s.n_features), s.saved_centroid_features)
            if ids
            else _empty_csr(s.n_features)
        )
        rows = np.asarray([self.cent_row[k] for k in ids], dtype=np.int64)
        arrays: dict[str, np.ndarray] = {
            "meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
            "df_idx": nz.astype(np.int32),
            "df_val": self.df[nz],
            "emb": self.emb.view.astype(np.float16),
            "cemb": self.cent_emb.view[rows] if len(rows) else np.zeros((0, _DIM), np.float32),
            **_pack("tf", self.tf.matrix()),
            **_pack("ctf", cent_tf),
        }
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
        return buf.getvalue()

    def _load(self, data: bytes) -> None:
        s = self.settings
        with np.load(io.BytesIO(data)) as npz:
            meta = _read_meta(npz, "the saved story state", s.n_features)
            self.df[npz["df_idx"]] = npz["df_val"]
            tf = _unpack(npz, "tf", s.n_features)
            tf.sort_indices()  # states saved by earlier versions kept rows in product order
            self.tf = _SparseRows(s.n_features, tf)
            self.sk = _SparseRows(s.n_features, _sketch(self.tf.main, s.sketch_features))
            self.emb = _Rows(_DIM, npz["emb"].astype(np.float32))
            ctf = _unpack(npz, "ctf", s.n_features)
            ctf.sort_indices()
            self.cent_emb = _Rows(_DIM, npz["cemb"].astype(np.float32))
        self.n_docs = meta["n_docs"]
        self.members = [
            _Member(r[0], r[1], r[2], tuple(r[3]), frozenset(r[4]), r[5], r[6], self._places(r[6]))
            for r in meta["members"]
        ]
        self.member_days = [m.day for m in self.members]
        for r in meta["stories"]:
            info = _StoryInfo(r[0], r[1], r[2], r[3], r[4], r[5], Counter(r[6]), Counter(r[7]))
            if len(r) > 9:
                info.places, info.placed = Counter(r[8]), int(r[9])
            self.stories[r[0]] = info
        self.story_of = meta["story_of"]
        for i, sid in enumerate(meta["cent_ids"]):
            self.cent_tf[sid] = _row(ctf, i)
            self.cent_row[sid] = i
        self._cent_cut = set(meta["cent_ids"])
        self.storyline_of = meta["storyline_of"]
        self._line_members, self._line_sums = None, {}
        self.storyline_titles = meta["storyline_titles"]
        self.term_display = meta["term_display"]
        self.term_df = Counter(meta["term_df"])
        self.n_terms_docs = meta["n_terms_docs"]
        self.entity_names = {k: (v[0], v[1]) for k, v in meta.get("entity_names", {}).items()}
        if "entity_df" in meta:
            self.entity_df = Counter(meta["entity_df"])
        else:  # a state saved before entity names were kept: the stories' counts (pruned ones are gone)
            for info in self.stories.values():
                self.entity_df.update(info.entities)
        self._pruned_at = meta.get("pruned_at", _NO_DAY)


def _read_meta(npz: Any, what: str, n_features: int) -> dict[str, Any]:
    """The JSON header of a saved state or change record, checked against this version and
    ``n_features`` (change records made before they carried ``n_features`` follow their state)."""
    meta: dict[str, Any] = json.loads(npz["meta"].tobytes().decode("utf-8"))
    if meta.get("format") != _STATE_FORMAT or meta.get("n_features", n_features) != n_features:
        raise SettingsError(f"{what} was made by another marsad version or n_features: rebuild it")
    return meta


def _sketch(m: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Each row reduced to its ``k`` largest entries."""
    m = sp.csr_matrix(m)
    p = m.indptr
    rows = ((m.data[p[r] : p[r + 1]], m.indices[p[r] : p[r + 1]]) for r in range(m.shape[0]))
    return _strongest(rows, k, m.shape)


_FIRST = np.zeros(1, dtype=np.intp)


def _unit_sketch(row: _Vec, k: int) -> _Vec:
    """One row scaled to unit length and cut to its ``k`` largest entries: its row of
    ``_sketch(_normalise_rows(matrix), k)`` (the same norm, the same scaled values), without the matrix."""
    d = row.data
    if not len(d):
        return row
    norm = np.sqrt(np.add.reduceat(d * d, _FIRST))  # as _normalise_rows_in_place sums a row
    norm[norm == 0] = 1.0
    d, i = _cut(d * (1.0 / norm).astype(d.dtype), row.indices, k)
    return _Vec(d, i)


def _cut(d: np.ndarray, i: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """A row's ``k`` largest entries (in index order), or the row when it has no more."""
    if len(d) <= k:
        return d, i
    top = np.argpartition(-d, k)[:k]
    top.sort()
    return d[top], i[top]


def _strongest(rows: Iterable[tuple[np.ndarray, np.ndarray]], k: int, shape: tuple[int, int]) -> sp.csr_matrix:
    """A CSR matrix of ``shape`` from (data, indices) rows, each cut to its ``k`` largest entries."""
    data, indices, indptr = [], [], [0]
    for d, i in rows:
        d, i = _cut(d, i, k)
        data.append(d)
        indices.append(i)
        indptr.append(indptr[-1] + len(d))
    if not data:
        return _empty_csr(shape[1])
    return sp.csr_matrix((np.concatenate(data), np.concatenate(indices), np.asarray(indptr)), shape=shape)


def _top(values: np.ndarray, k: int) -> np.ndarray:
    """Indexes of the ``k`` largest positive values (sorted by index)."""
    if values.size > k:
        idx = np.argpartition(-values, k)[:k]
    else:
        idx = np.arange(values.size)
    return np.sort(idx[values[idx] > 0])


@dataclass(frozen=True, slots=True)
class _Vec:
    """One sparse row: sorted, unique indices and their values (what a 1-row CSR matrix holds,
    without the checks scipy makes each time one is built)."""

    data: np.ndarray
    indices: np.ndarray

    def copy(self) -> _Vec:
        return _Vec(self.data.copy(), self.indices.copy())


def _row(m: sp.csr_matrix, i: int) -> _Vec:
    """Row ``i`` of ``m`` (views of its arrays; scipy's indexing costs far more)."""
    lo, hi = m.indptr[i], m.indptr[i + 1]
    return _Vec(m.data[lo:hi], m.indices[lo:hi])


def _add(a: _Vec, b: _Vec) -> _Vec:
    """``a + b`` as scipy adds two canonical 1-row CSR matrices: shared indices' values added (float32),
    the others kept, zeros dropped; ``b``'s new indices inserted in place, in one pass."""
    pos = np.searchsorted(a.indices, b.indices)
    hit = pos < len(a.indices)
    hit[hit] = a.indices[pos[hit]] == b.indices[hit]
    data = a.data.copy()
    data[pos[hit]] += b.data[hit]
    miss = ~hit
    indices = np.insert(a.indices, pos[miss], b.indices[miss])
    data = np.insert(data, pos[miss], b.data[miss])
    keep = data != 0
    if not keep.all():
        indices, data = indices[keep], data[keep]
    return _Vec(data, indices)


def _stack(rows: Sequence[_Vec], n_features: int) -> sp.csr_matrix:
    """The rows as one CSR matrix (``sp.vstack`` of their 1-row matrices)."""
    if not rows:
        return _empty_csr(n_features)
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r.indices) for r in rows], out=indptr[1:])
    data = np.concatenate([r.data for r in rows])
    indices = np.concatenate([r.indices for r in rows])
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), n_features))


def _top_stable(values: np.ndarray, k: int) -> np.ndarray:
    """``np.argsort(-values, kind="stable")[:k]`` without sorting all of ``values``."""
    if values.size <= k or k <= 0:
        return np.argsort(-values, kind="stable")[: max(k, 0)]
    kth = values[np.argpartition(-values, k - 1)[k - 1]]  # the k-th largest value
    above = np.flatnonzero(values > kth)
    ties = np.flatnonzero(values == kth)[: k - len(above)]
    idx = np.concatenate([above, ties])
    return idx[np.argsort(-values[idx], kind="stable")]


def _dense_dot(a: _Vec, dense: np.ndarray) -> float:
    """``_dot(a, b)`` with ``b`` scattered into ``dense`` (its values non-zero, zeros elsewhere): the
    same products in the same index order, read from the dense vector instead of searched for."""
    vals = dense[a.indices]
    hit = np.flatnonzero(vals)
    return float(a.data[hit] @ vals[hit])


def _dot(a: _Vec, b: _Vec) -> float:
    """Dot product of two sparse rows (sorted, unique indices), without scipy's matrices.

    The shorter row's indices are looked up in the longer one (binary search), and the products are
    summed in index order."""
    if len(a.indices) < len(b.indices):
        a, b = b, a
    if not len(b.indices) or not len(a.indices):
        return 0.0
    pos = np.searchsorted(a.indices, b.indices)
    pos[pos == len(a.indices)] = 0
    hit = a.indices[pos] == b.indices
    return float(a.data[pos[hit]] @ b.data[hit])


def _gather_rows(
    indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(indptr, indices, data) of the CSR rows ``rows``, by scipy's own row-copy kernel called directly
    (fancy indexing adds index-dtype checks and matrix objects that cost more than the copy). Without
    that kernel (a scipy that moved it) the public row indexing gives the same rows."""
    if _SPARSETOOLS is None:
        m = sp.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, int(indices.max(initial=0)) + 1))
        sub = m[np.asarray(rows, dtype=np.int64)]
        return sub.indptr, sub.indices, sub.data
    # the kernel takes one index type: the indices' own (converting them would copy the whole matrix)
    if indices.dtype != np.int32 or int(indptr[-1]) > np.iinfo(np.int32).max:
        indices = indices.astype(np.int64, copy=False)
    idx_dtype = indices.dtype
    indptr = indptr.astype(idx_dtype, copy=False)
    rows = np.asarray(rows, dtype=idx_dtype)
    out_ptr = np.zeros(len(rows) + 1, dtype=idx_dtype)
    np.cumsum(indptr[rows + 1] - indptr[rows], out=out_ptr[1:])
    nnz = int(out_ptr[-1])
    out_idx = np.empty(nnz, dtype=idx_dtype)
    out_data = np.empty(nnz, dtype=data.dtype)
    _SPARSETOOLS.csr_row_index(len(rows), rows, indptr, indices, data, out_idx, out_data)
    return out_ptr, out_idx, out_data


def _rows_dot(m: sp.csr_matrix, rows: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``m[rows] @ x`` (float32): scipy's row copy and product kernels called directly."""
    if _SPARSETOOLS is None:
        return np.asarray(m[np.asarray(rows, dtype=np.int64)] @ x, dtype=np.float32).ravel()
    ptr, idx, data = _gather_rows(m.indptr, m.indices, m.data, rows)
    y = np.zeros(len(rows), dtype=np.result_type(m.data.dtype, x.dtype))
    _SPARSETOOLS.csr_matvec(len(rows), m.shape[1], ptr, idx, data, x, y)
    return y.astype(np.float32, copy=False)


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
    return min(abs(x - y) for x in a for y in b)


def _too_far(days: tuple[int, ...], story_days: list[int], max_gap: int) -> bool:
    """True when an article's dates are all more than ``max_gap`` days from the story's span."""
    if not days or not story_days:
        return False
    lo, hi = min(story_days) - max_gap, max(story_days) + max_gap
    return not any(lo <= d <= hi for d in days)


def _time_signal(gap: int | None, scale: float, max_gap: int) -> float | None:
    """0 while the closest dates are at most ``scale`` days apart, falling to −1 at ``max_gap`` days."""
    if gap is None:
        return None
    if gap <= scale:
        return 0.0
    return -min(1.0, (gap - scale) / max(max_gap - scale, 1.0))


def _place_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both titles name local places, and none in common: the same kind of news from two places."""
    return bool(a) and bool(b) and a.isdisjoint(b)


def _entity_signal(a: frozenset[str], b: frozenset[str]) -> float | None:
    """Share of the smaller set of main entities found in the other (overlap coefficient)."""
    if not a or not b:
        return None
    return len(a & b) / min(len(a), len(b))


# the arguments of _Scorer.score / parts: TF-IDF, embedding, entity and time signals, place conflict
_ScoreArgs = tuple[float, float | None, float | None, float | None, bool]


class _Scorer:
    """Weights the signals. TF-IDF needs document frequencies: until the index has seen
    ``idf_min_docs`` documents its weight shifts to the embeddings, and the join threshold moves
    from ``join_threshold`` towards ``embedding_only_threshold`` in step."""

    def __init__(self, settings: StorySettings, use_entities: bool, n_docs: int) -> None:
        self.s = settings
        self.use_entities = use_entities
        trust = min(1.0, n_docs / settings.idf_min_docs) if settings.use_embeddings and settings.idf_min_docs else 1.0
        self.trust = trust
        self.threshold = trust * settings.join_threshold + (1.0 - trust) * settings.embedding_only_threshold

        # the text signals' names and weights, with and without the embedding signal, and their totals
        ent: tuple[tuple[str, float], ...] = (
            (("entities", settings.w_entities),) if use_entities and settings.w_entities else ()
        )
        text_only = (("tfidf", settings.w_tfidf),) + ent
        with_emb = (
            ("tfidf", settings.w_tfidf * trust),
            ("embedding", settings.w_embedding + settings.w_tfidf * (1.0 - trust)),
        ) + ent
        self._weights: dict[bool, tuple[tuple[tuple[str, float], ...], float]] = {
            False: (text_only, sum(w for _, w in text_only) or 1.0),
            True: (with_emb, sum(w for _, w in with_emb) or 1.0),
        }

    def _signals(
        self, tfidf: float, emb: float | None, ents: float | None, time: float | None, place: bool
    ) -> list[tuple[str, float]]:
        """Each signal's part in the score (text signals share weight 1; time adds or subtracts)."""
        s = self.s
        named, total_w = self._weights[emb is not None]
        values = (tfidf, emb, ents or 0.0) if emb is not None else (tfidf, ents or 0.0)
        signals = [(name, w * x / total_w) for (name, w), x in zip(named, values, strict=False)]
        if time is not None:
            signals.append(("time", s.w_time * time))
        if place and s.w_place:
            signals.append(("place", -s.w_place))
        return signals

    def score(
        self, tfidf: float, emb: float | None, ents: float | None, time: float | None, place: bool = False
    ) -> float:
        """The score of :meth:`parts` alone (the same sum, without rounding the parts)."""
        return sum(v for _, v in self._signals(tfidf, emb, ents, time, place))

    def parts(
        self, tfidf: float, emb: float | None, ents: float | None, time: float | None, place: bool = False
    ) -> tuple[float, Signals]:
        """The score and each signal's part in it."""
        signals = self._signals(tfidf, emb, ents, time, place)
        return sum(v for _, v in signals), tuple((n, round(v, 4)) for n, v in signals)


# ------------------------------------------------------------------------------------------------
# storyline titles

_STOP = frozenset(
    match_tokens(
        "في من على إلى الى عن مع أن إن ان التي الذي الذين هذا هذه ذلك تلك بعد قبل خلال بين حول عند لدى "
        "كان كانت يكون قد لقد لم لن لا ما ماذا هل أو او ثم كما أي اي كل بعض غير منذ حتى إلا الا وقد وفي "
        "ومن وعلى وإلى وأن وكان وهو وهي هو هي هم نحو عبر أمام امام ضد دون فيها فيه منها منه عليها عليه "
        "اليوم أمس امس غدا الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت يوم عام العام قال وقال يقول "
        "أكد اكد أعلن اعلن جديد جديدة أول اول بشأن وسط الرئيس رئيس الزعيم زعيم وزير الوزير المتحدث باسم "
        "مصدر مصادر وكالة الأنباء نقلا عن إنه انه أنه "
        # reporting verbs and fillers that chained pairs would otherwise start or end with («وقالت وزارة
        # الداخلية», «ضمن فعاليات مهرجان …», «آل سعود حفظه الله»)
        "قالت أكدت أعلنت أوضح أوضحت أشار أشارت أضاف أضافت ذكر ذكرت تابع وتابع ضمن إطار اطار حفظه حفظها "
        "حيث وذلك أيضا ايضا كذلك فقط أكثر اكثر أقل اقل مساء صباح الحالي الجاري المقبل القادم الماضي يرعى"
    )
)


_CLITIC_RE = re.compile(r"^(?:[وف](?=\w{4,}))?(?:[بكل](?=ال)|ل(?=ل))?")


_WORD_RE = re.compile(r"^[^\w]+|[^\w]+$")


_JOINED: dict[str, str] = {}


def _joined_tokens(text: str) -> str:
    """``" ".join(match_tokens(text))``, cached (the same few thousand terms come back all the time)."""
    got = _JOINED.get(text)
    if got is None:
        if len(_JOINED) > 1_000_000:
            _JOINED.clear()
        got = _JOINED[text] = " ".join(match_tokens(text))
    return got


def _word_term(k: str, w: str) -> tuple[str, str]:
    """(key, display) of one word from its match form ``k`` and display form ``w``; ("", "") if not a term."""
    key = _CLITIC_RE.sub("", _WORD_RE.sub("", k))
    if len(key) > 2 and key not in _STOP and not key.isdigit() and key.isalnum():
        return key, _WORD_RE.sub("", w)
    return "", ""


# display word → its term, and whether its match form is one word (the per-word shortcut of _key_terms)
_WORD_TERMS: dict[str, tuple[tuple[str, str], bool]] = {}


def _cached_word_term(w: str) -> tuple[tuple[str, str], bool]:
    got = _WORD_TERMS.get(w)
    if got is None:
        if len(_WORD_TERMS) > 1_000_000:
            _WORD_TERMS.clear()
        parts = match(w).split()
        got = _WORD_TERMS[w] = (_word_term(parts[0], w) if len(parts) == 1 else ("", "")), len(parts) == 1
    return got


def _key_terms(text: str) -> list[tuple[str, str]]:
    """Content words and word pairs of a title or lead: (match key without clitics, display spelling). A pair
    never spans a line break or a word followed by punctuation (the title's last word and the lead's first,
    «… الماضي. وقال …» are no phrase) and never starts right after «بن», «آل», «أبو»: inside a name."""
    shown_text = display(text)
    shown = shown_text.split()
    ends = _clause_ends(shown_text, shown)
    known = _WORD_TERMS.get
    cached = [known(w) or _cached_word_term(w) for w in shown]  # the lookup inline: most words are known
    if all(one for _, one in cached):  # every word's match form is one word: the words line up
        out = [t for t, _ in cached]
    else:
        keys = match(" ".join(shown)).split()  # the match form keeps the number of words
        if len(keys) != len(shown):
            keys = [" ".join(match_tokens(w)) for w in shown]
        out = [_word_term(k, w) for w, k in zip(shown, keys, strict=True)]
    terms = [t for t in out if t[0]]
    # nor does a pair start inside a name («سلمان بن عبدالعزيز ولي العهد»: no «عبدالعزيز ولي»)
    pairs = [(f"{a[0]} {b[0]}", f"{a[1]} {b[1]}") for i, (a, b) in enumerate(zip(out, out[1:], strict=False))
             if a[0] and b[0] and i not in ends and (i == 0 or shown[i - 1] not in _NAME_LINKS)]
    return terms + pairs


_NAME_LINKS = frozenset("بن ابن بنت آل أبو ابو أبي ابي".split())


_CLAUSE_END = frozenset(".,،:;؛!?؟»)\"”")


def _clause_ends(text: str, shown: Sequence[str]) -> set[int]:
    """Indexes of the words of ``shown`` (``text.split()``) that end a line or a clause."""
    ends = {i for i, w in enumerate(shown) if w[-1] in _CLAUSE_END}
    if "\n" in text:
        k = -1
        for line in text.split("\n"):
            k += len(line.split())
            ends.add(k)
    return ends


# ------------------------------------------------------------------------------------------------
# the stage function


def cluster(
    articles: Sequence[Article],
    mentions_by_article: Mapping[str, Sequence[EntityMention]] | None = None,
    dates_by_article: Mapping[str, Sequence[DateMention]] | None = None,
    state: bytes | None = None,
    *,
    settings: StorySettings | None = None,
    embedder: Embedder | None = None,
) -> StoryResult:
    """Group ``articles`` into stories (joining the stories kept in ``state``), explain, link storylines.

    Returns the stories and storylines this run created or changed, one explanation per new article,
    and the new state to pass back next time.
    """
    index = StoryIndex(settings, state)
    result = index.add(articles, mentions_by_article, dates_by_article, embedder=embedder)
    return StoryResult(result.stories, result.explanations, result.storylines, index.to_bytes())
