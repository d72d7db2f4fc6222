"""A story's timeline: its dated happenings, merged across the outlets that report them.

A happening is a sentence that carries a resolved date (day grain, or month grain when nothing finer
is known) and a verb of happening (وصل، غادر، التقى، عقد، زار، أعلن، تفقد، اختتم…). Sentences that only
report an opinion, captions (they are kept apart from the body by the cleaning stage) and dates that
sit inside quotations are skipped. The reference date of every sentence is its article's publication
date (``Article.published``); undated articles get one from :func:`marsad.dates.complete_publication_dates`.

Sentences about the same happening on the same date from different articles are merged by the cosine
similarity of their TF-IDF vectors over :func:`marsad.arabic.match_tokens` (light prefix stripping),
and each event lists every article that reports it.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

from marsad.arabic import match, match_tokens
from marsad.dates import complete_publication_dates, not_when_it_happened, tag_article
from marsad.records import Article, DateMention, Grain, TimelineEvent

LOGGER = logging.getLogger(__name__)

__all__ = ["build_timeline", "happening_sentences", "sentence_spans"]

_FALLBACK_SENTENCE_RE = re.compile(r"[^.!?؟\n]+[.!?؟]*")

# Verbs of happening, as stems in match form (no diacritics, alef folded). A sentence qualifies when
# one of its words is a stem plus an optional conjunction/preposition (و ف) and a past-tense or
# present-tense ending.
_HAPPENING_STEMS = (
    "وصل غادر التقي التقت التقيا اجتمع اجتمعت اجتمعا عقد عقدت عقدا زار زارت تفقد تفقدت تفقدا اختتم اختتمت "
    "افتتح افتتحت بدا بدات استقبل استقبلت ودع ودعت اعلن اعلنت اعلنا وقع وقعت وقعا اطلق اطلقت اجري اجرت اجريا "
    "قتل قتلت اصيب اصيبت انفجر انفجرت هاجم هاجمت شن شنت توجه توجهت انطلق انطلقت انطلقت انتهي انتهت "
    "اعتقل اعتقلت اغتيل سقط سقطت ضرب ضربت استهدف استهدفت توفي انتخب انتخبت فاز فازت خسر خسرت "
    "صادق صادقت وافق وافقت اقر اقرت رفض رفضت اصدر اصدرت نشر نشرت قدم قدمت تسلم تسلمت اجتاز عبر عبرت "
    "دخل دخلت حضر حضرت شارك شاركت ترأس ترأست اقيم اقيمت نظم نظمت احتفل احتفلت عاد عادت حط حطت هبط هبطت "
    "ابحر اقلع اقلعت تبادل تبادلا بحث بحثت بحثا ناقش ناقشت ناقشا استضاف استضافت تسلم ودعا غادرت "
    "يزور تزور يصل تصل يلتقي تلتقي يعقد تعقد يغادر تغادر يختتم تختتم يتفقد تتفقد يجتمع تجتمع"
).split()
_PRESENT_STEMS = frozenset(
    "يزور تزور يصل تصل يلتقي تلتقي يعقد تعقد يغادر تغادر يختتم تختتم يتفقد تتفقد يجتمع تجتمع".split()
)
_PREFIXES = ("", "و", "ف", "وقد", "قد")
_HAPPENING = frozenset(p + s for s in _HAPPENING_STEMS for p in _PREFIXES)
_STEMS = frozenset(_HAPPENING_STEMS)
_ARG_WINDOW = 6
_CLAUSE_END_RE = re.compile(r"[,،.;؛:!?؟\n]")
# "according to what X announced/reported …": a date after it is the report's date
_ATTRIBUTION_RE = re.compile(
    r"(?:وفق|وفقا\S?|حسب|بحسب|على|كما)\s+(?:ما\s+)?(?:[أاإ]علن|ذكر|[أا]فاد|[أا]ورد|نقل|قال|[أا]كد|[أا]شار)(?:ت|وا)?\b"
)
_STOP_RE = re.compile(r"[.;؛!?؟\n]")
# Words too common to tie two sentences to one happening.
_ARG_STOP = frozenset(
    "الي في من علي عن مع بعد قبل خلال حيث التي الذي الذين وفق كما اليوم امس غدا صباح مساء يوم "
    "الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت ان انه انها لها له هذا هذه ذلك تلك".split()
)
# Opinion/report verbs that make a sentence a quote of an opinion when they introduce it.
_OPINION_START_RE = re.compile(
    r"^(?:و|ف)?(?:قال|قالت|اكد|اكدت|اعتبر|اعتبرت|راي|رات|يري|تري|يعتقد|تعتقد|حذر|حذرت|شدد|شددت|اوضح|اوضحت)\b"
)
_QUOTE_RE = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")
_WORD_RE = re.compile(r"\w+")
# Photo captions left in the body: "… الأحد (أ.ف.ب)", "(رويترز)", "(AFP)".
_CAPTION_RE = re.compile(
    r"\((?:أ\.?\s?ف\.?\s?ب|أ\.?ب|رويترز|د\.?ب\.?أ|ا\.ف\.ب|afp|reuters|ap|getty|epa)\.?\)\s*$", re.I
)
_STRIP_CLITIC_RE = re.compile(r"^(?:وال|فال|بال|كال|لل|ال|و|ف)(?=\w{3,})")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence offsets from :mod:`marsad.sentences` when it exists, else a simple local splitter."""
    try:
        from marsad import sentences
    except ImportError:  # pragma: no cover - the summary helper's module is optional here
        return [(m.start(), m.end()) for m in _FALLBACK_SENTENCE_RE.finditer(text) if m.group(0).strip()]
    if hasattr(sentences, "sentence_spans"):
        return list(sentences.sentence_spans(text))
    if hasattr(sentences, "split_sentences"):
        out: list[tuple[int, int]] = []
        pos = 0
        for sent in sentences.split_sentences(text):
            i = text.find(sent, pos)
            if i < 0:
                continue
            out.append((i, i + len(sent)))
            pos = i + len(sent)
        return out
    return [(m.start(), m.end()) for m in _FALLBACK_SENTENCE_RE.finditer(text) if m.group(0).strip()]


@dataclass(frozen=True, slots=True)
class _Candidate:
    article_id: str
    order: int
    date: str
    grain: str
    text: str
    tokens: tuple[str, ...]
    verb: str = ""  # the happening verb's stem ("وصل" for "ووصلت")
    args: frozenset[str] = frozenset()  # where the verb happens: its destination or first content word


def _inside_quote(text: str, start: int, end: int) -> bool:
    return any(q.start() < start and end <= q.end() for q in _QUOTE_RE.finditer(text))


def _has_happening(tokens: Sequence[str]) -> bool:
    return any(t in _HAPPENING for t in tokens)


def _content_tokens(text: str) -> tuple[str, ...]:
    return tuple(_STRIP_CLITIC_RE.sub("", t) for t in match_tokens(text) if len(t) > 1)


def _happening_positions(sentence: str) -> list[int]:
    """Offsets (in ``sentence``) of its verbs of happening that are not inside a quotation."""
    quoted = [(q.start(), q.end()) for q in _QUOTE_RE.finditer(sentence)]
    out = []
    for w in _WORD_RE.finditer(sentence):
        if match(w.group(0)) in _HAPPENING and not any(a <= w.start() < b for a, b in quoted):
            out.append(w.start())
    return out


def happening_sentences(
    article: Article, mentions: Sequence[DateMention], *, order: int = 0
) -> list[_Candidate]:
    """The sentences of ``article`` that report a dated happening (one date each).

    A sentence qualifies when it has a verb of happening outside quotations, does not open with a
    verb of saying or opinion, is not a photo caption, and has a day- or month-grain date outside
    quotations. Its date is the one written nearest to a verb of happening.
    """
    text = article.text
    out: list[_Candidate] = []
    by_start = sorted(mentions, key=lambda d: d.start)
    for s, e in sentence_spans(text):
        inside = [d for d in by_start if s <= d.start and d.end <= e and d.grain in ("day", "month")]
        if not inside:
            continue
        sentence = text[s:e]
        if _OPINION_START_RE.match(match(sentence)) or _CAPTION_RE.search(sentence):
            continue
        verbs = _happening_positions(sentence)
        if not verbs:
            continue
        dated = [
            d
            for d in inside
            if not _inside_quote(text, d.start, d.end) and not _attribution_date(sentence, d.start - s, verbs)
            and not not_when_it_happened(text, d.start)
        ]
        if not dated:
            continue

        def distance(d: DateMention, s: int = s, verbs: list[int] = verbs) -> tuple[bool, int, int]:
            return (d.grain != "day", min(abs(d.start - s - v) for v in verbs), d.start)

        best = min(dated, key=distance)
        # the happening's own verb: a past-tense one before a present/future one, then the nearest
        verb = min(verbs, key=lambda v: (_is_present(sentence, v), abs(best.start - s - v)))
        core = sentence[max(0, verb - 80) : verb + 120]
        verb_word = _WORD_RE.match(sentence, verb)
        stem = _stem(match(verb_word.group(0))) if verb_word else ""
        args = _destination(sentence[verb:])
        out.append(
            _Candidate(article.id, order, best.value, best.grain, sentence.strip(), _content_tokens(core), stem, args)
        )
    return out


def _attribution_date(sentence: str, at: int, verbs: Sequence[int]) -> bool:
    """True when the date at ``at`` dates the report, not the happening: it follows an attribution
    ("… وفق ما أعلن الكرملين الخميس") that comes after a verb of happening in the same sentence."""
    for m in _ATTRIBUTION_RE.finditer(sentence, 0, at):
        if any(v < m.start() for v in verbs) and not _STOP_RE.search(sentence, m.end(), at):
            return True
    return False


def _is_present(sentence: str, at: int) -> bool:
    m = _WORD_RE.match(sentence, at)
    return m is not None and _stem(match(m.group(0))) in _PRESENT_STEMS


def _stem(word: str) -> str:
    """The happening verb's stem: proclitics and feminine/dual/plural endings removed."""
    for prefix in ("وقد", "قد", "و", "ف", ""):
        if word.startswith(prefix) and word[len(prefix):] in _HAPPENING:
            word = word[len(prefix):]
            break
    for suffix in ("وا", "ا", "ت"):
        if word.endswith(suffix) and word[: -len(suffix)] in _STEMS:
            return word[: -len(suffix)]
    return word


def _destination(clause: str) -> frozenset[str]:
    """Where (or on what) the verb at the start of ``clause`` happens: the word after "إلى" in the
    verb's clause, else its first content word ("وصل … إلى روسيا" → روسيا)."""
    cut = _CLAUSE_END_RE.search(clause)
    words = match_tokens(clause[: cut.start()] if cut else clause)[1:]
    for i, w in enumerate(words[:-1]):
        if w in ("الي", "لي"):
            return frozenset([_STRIP_CLITIC_RE.sub("", words[i + 1])])
    for w in words[:_ARG_WINDOW]:
        w = _STRIP_CLITIC_RE.sub("", w)
        if len(w) > 2 and w not in _ARG_STOP and "ال" + w not in _ARG_STOP and not w.isdigit():
            return frozenset([w])
    return frozenset()


def _same_happening(a: _Candidate, b: _Candidate) -> bool:
    """Two outlets' sentences with the same verb of happening and a shared word right after it."""
    return a.article_id != b.article_id and bool(a.verb) and a.verb == b.verb and bool(a.args & b.args)


def _tfidf(docs: Sequence[Sequence[str]]) -> list[dict[str, float]]:
    df: Counter[str] = Counter()
    for d in docs:
        df.update(set(d))
    n = len(docs)
    vecs: list[dict[str, float]] = []
    for d in docs:
        tf = Counter(d)
        v = {t: (1 + math.log(c)) * math.log((1 + n) / (1 + df[t]) + 1) for t, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({t: x / norm for t, x in v.items()})
    return vecs


def _cos(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(t, 0.0) for t, x in a.items())


def build_timeline(
    articles: Sequence[Article],
    dates_by_article: Mapping[str, Sequence[DateMention]] | None = None,
    *,
    similarity: float = 0.2,
    infer_missing: bool = True,
) -> list[TimelineEvent]:
    """The dated happenings of one story, merged across outlets and ordered by date.

    ``dates_by_article`` maps article ids to their date mentions (offsets into ``Article.text``);
    missing entries are tagged here. With ``infer_missing`` undated articles first get a publication
    date inferred from the story's dated ones. Two sentences on the same date are one event when the
    cosine similarity of their TF-IDF vectors reaches ``similarity``, or when they come from different
    articles and share their verb of happening and a word right after it ("وصل … إلى روسيا").
    """
    arts = list(articles)
    given: dict[str, Sequence[DateMention]] = dict(dates_by_article or {})
    if infer_missing and any(a.published is None for a in arts):
        arts, completed = complete_publication_dates(arts, given)
        given = dict(completed)
    candidates: list[_Candidate] = []
    for order, a in enumerate(arts):
        mentions = given.get(a.id)
        if mentions is None:
            mentions = tag_article(a) if a.published else []
        candidates.extend(happening_sentences(a, mentions, order=order))
    if not candidates:
        return []
    vecs = _tfidf([c.tokens for c in candidates])
    by_date: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, c in enumerate(candidates):
        by_date[(c.date, c.grain)].append(i)
    events: list[tuple[str, int, TimelineEvent]] = []
    for (day, grain), idxs in by_date.items():
        groups: list[list[int]] = []
        for i in idxs:
            best_g, best_s = None, similarity
            for g in groups:
                score = max(_cos(vecs[i], vecs[j]) for j in g)
                if score < similarity and any(_same_happening(candidates[i], candidates[j]) for j in g):
                    score = similarity
                if score >= best_s:
                    best_g, best_s = g, score
            if best_g is None:
                groups.append([i])
            else:
                best_g.append(i)
        for g in groups:
            # the representative: the member most similar to the rest, then the shortest
            def centrality(i: int, g: list[int] = g) -> tuple[float, int]:
                return (-sum(_cos(vecs[i], vecs[j]) for j in g if j != i), len(candidates[i].text))

            rep = min(g, key=centrality)
            members = sorted(g, key=lambda i: candidates[i].order)
            sources = tuple(dict.fromkeys(candidates[i].article_id for i in members))
            first = min(candidates[i].order for i in g)
            event = TimelineEvent(date=day, text=candidates[rep].text, sources=sources, grain=cast(Grain, grain))
            events.append((day, first, event))
    events.sort(key=lambda t: (t[0], t[2].grain == "day", t[1]))
    return [e for _, _, e in events]


SPAN_BEFORE_DAYS = 30  # a story's span reaches back this far before its first publication for its events


def story_span(events: Sequence[TimelineEvent], published: Sequence[str]) -> tuple[str | None, str | None]:
    """The first and last day of a story: its articles' publication days, widened by the events its
    timeline dates up to ``SPAN_BEFORE_DAYS`` before the first publication («غادر بيونغ يانغ الأحد»),
    never past the last one. Background (a birth year, «منذ 1931») and plans («بحلول 2017») stay in the
    timeline but do not stretch the span, which orders the story list. Without any publication day, the
    timeline's own first and last dates."""
    pubs = sorted(d[:10] for d in published if d)
    if not pubs:
        days = sorted(e.date for e in events)
        return (days[0], days[-1]) if days else (None, None)
    lo = _shift(pubs[0], -SPAN_BEFORE_DAYS)
    days = sorted(pubs + [e.date for e in events if lo <= e.date <= pubs[-1]])
    return days[0], days[-1]


def _shift(day: str, days: int) -> str:
    try:
        return (date.fromisoformat(day[:10]) + timedelta(days=days)).isoformat()
    except ValueError:
        return day
