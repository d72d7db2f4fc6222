"""Named-entity tagging for Arabic news: a linear-chain CRF (python-crfsuite) over hand-built features.

The tagger reads tokens as written (clitics attached, as in ANERcorp) and writes BIO tags over
PER, LOC, ORG and MISC. Its features are the match form of the word and of its neighbours, the word
with its proclitics stripped (و ف ب ل ك ال), prefixes and suffixes, news trigger words (الرئيس،
وزير، وكالة، مدينة…), the distance to an ORG trigger a few words before (نادي، شركة، حزب…) with the
trigger, the word and its cluster, gazetteer matches and word clusters learnt from unlabelled news
(SaudiNewsNet development days).

A name the CRF found in a document is then propagated to its untagged recurrences. Optionally (issue #5;
not shipped: 0.6 of the speed for +0.004 test F1) two CRFs are stacked (Krishnan & Manning 2006): a first,
lighter CRF tags each sentence; a second CRF reads the same features plus non-local ones from the first
CRF's output over the whole document (how the same word and the same name were tagged elsewhere in it,
the first CRF's tag and marginal here), trained on first-stage CRFs jackknifed over contiguous blocks of
the training text (``train --stack``).

Everything the tagger needs lies under ``marsad/models/``:

* ``ner.crfsuite`` — the CRF weights (with ``--stack``: the first stage's);
* ``ner_stack.crfsuite`` — only with ``--stack``: the second-stage CRF's weights (not committed; without
  it the CRF tags alone);
* ``ner_lexicon.tsv.gz`` — word counts and cluster ids learnt from unlabelled news
  (``word<TAB>count<TAB>c1<TAB>c2<TAB>c3``), also used to decide where a clitic ends;
* ``ner_gazetteer.tsv.gz`` — names with their types (``TYPE<TAB>match form``).

``python -m marsad.ner train --datasets DIR --out src/marsad/models/ner.crfsuite`` rebuilds all three.
"""

from __future__ import annotations

import argparse
import gzip
import logging
import re
import struct
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marsad import arabic
from marsad.countries import country_names
from marsad.errors import InputError

if TYPE_CHECKING:
    from marsad import ner_neural

LOGGER = logging.getLogger(__name__)

__all__ = [
    "GAZETTEER_PATH",
    "LEXICON_PATH",
    "MODEL_PATH",
    "STACK_PATH",
    "Gazetteer",
    "Lexicon",
    "Tagger",
    "attribute_table",
    "committed_gazetteer",
    "committed_lexicon",
    "context_table",
    "load_tagger",
    "main",
    "model_attributes",
    "read_conll",
    "spans",
    "stack_features",
    "strip_clitics",
    "tag_conll",
    "tokenize",
]

MODELS_DIR = Path(__file__).resolve().parent / "models"
MODEL_PATH = MODELS_DIR / "ner.crfsuite"
LEXICON_PATH = MODELS_DIR / "ner_lexicon.tsv.gz"
GAZETTEER_PATH = MODELS_DIR / "ner_gazetteer.tsv.gz"
NEURAL_PATH = MODELS_DIR / "ner_neural.npz"
STACK_PATH = MODELS_DIR / "ner_stack.crfsuite"

TYPES = ("PER", "LOC", "ORG", "MISC")
PROPAGATE_MAX_O = 0.999  # propagation: the CRF's mean P(O) over a recurrence must stay below this
PROPAGATE_TYPES = True  # propagation: one type per name and document (the majority)
PROPAGATE_SURNAMES = True  # propagation: a person's last name alone is a name too
ANERCORP_TEST_TOKENS = 25_008  # the CAMeL Lab test split = the last 25,008 tokens of the original

# A word: letters/digits with their harakat, tatweel and joiners; anything else is one punctuation token.
_WORD = r"[\w\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed\u200c\u200d]+"
_TOKEN_RE = re.compile(rf"{_WORD}|[^\s\w\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")
_SENTENCE_END = frozenset({".", "!", "?", "؟", "…"})
_DIGIT_RE = re.compile(r"^[0-9]+([.,][0-9]+)*$")
_LATIN_RE = re.compile(r"^[a-z]+$")
_ARABIC_WORD_RE = re.compile(f"^[{arabic.ARABIC_LETTER}\u0621]+$")
_MARKS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed\u200c\u200d]")

# News triggers (match form): words that announce a person, place or organisation next to them.
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "PER": (
        "الرءيس", "رءيس", "الزعيم", "زعيم", "وزير", "الوزير", "وزيره", "المتحدث", "الناطق", "السيد", "السيده",
        "الملك", "الامير", "الشيخ", "الدكتور", "د", "المستشار", "السفير", "النايب", "العقيد", "اللواء", "العميد",
        "الجنرال", "المدرب", "اللاعب", "الفنان", "الفنانه", "الكاتب", "الشاعر", "قال", "وقال", "اضاف", "واضاف",
        "اكد", "واكد", "اعلن", "واعلن", "المبعوث", "الامين", "نايب", "ولي", "العاهل", "المرشد", "البابا",
        "الرءيسان", "المستشاره", "الصحفي", "المخرج", "النجم", "الاعلامي", "المهندس", "القاضي", "الرياضي",
    ),
    "LOC": (
        "مدينه", "المدينه", "منطقه", "محافظه", "ولايه", "جزيره", "جزر", "بلده", "قريه", "عاصمه", "العاصمه",
        "اقليم", "مقاطعه", "دوله", "جمهوريه", "مملكه", "شمال", "جنوب", "شرق", "غرب", "وسط", "حي", "شارع",
        "ميناء", "مطار", "بحر", "نهر", "جبل", "في", "الي", "من", "بين", "حدود",
    ),
    "ORG": (
        "وكاله", "صحيفه", "شركه", "حزب", "حركه", "منظمه", "جامعه", "مجلس", "وزاره", "هيءه", "اتحاد", "بنك",
        "مصرف", "نادي", "فريق", "جمعيه", "مؤسسه", "قناه", "اذاعه", "تلفزيون", "محكمه", "جيش", "مركز",
        "معهد", "لجنه", "مجموعه", "ناطق", "باسم",
    ),
}
_TRIGGER_OF: dict[str, str] = {w: t for t, words in _TRIGGERS.items() for w in words}

_CONJ = "وف"
_PREP = "بلك"


# ---------------------------------------------------------------------------------------------- tokens


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """Tokens of ``text`` as ``(start, end, token)``: words with their clitics, and single punctuation marks."""
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN_RE.finditer(text)]


def sentences(tokens: Sequence[str]) -> Iterator[tuple[int, int]]:
    """``(start, end)`` index ranges of the sentences in a token list (cut after . ! ? ؟)."""
    start = 0
    for i, tok in enumerate(tokens):
        if tok in _SENTENCE_END:
            yield start, i + 1
            start = i + 1
    if start < len(tokens):
        yield start, len(tokens)


@lru_cache(maxsize=200_000)
def _match(token: str) -> str:
    return arabic.match(token)


def _proclitic_splits(m: str) -> list[tuple[str, str]]:
    """Ways to read a match-form word as proclitics + stem: ``[(prefix, stem), ...]`` longest prefix first.

    ``لل`` + stem is read as ``ل`` + ``ال`` + stem (للأمم → الامم)."""
    out: list[tuple[str, str]] = []
    n = len(m)
    for i in (1, 0):  # conjunction و/ف
        if i and (n < 4 or m[0] not in _CONJ):
            continue
        rest = m[i:]
        for j in (1, 0):  # preposition ب/ل/ك
            if j and (len(rest) < 4 or rest[0] not in _PREP):
                continue
            stem = rest[j:]
            if j and stem.startswith("ل") and rest.startswith("لل") and len(stem) >= 3:
                out.append((m[: i + 1], "ا" + stem))
                continue
            if i + j:
                out.append((m[: i + j], stem))
    return out


# ---------------------------------------------------------------------------------------------- resources


@dataclass(slots=True)
class Lexicon:
    """Word counts and cluster ids learnt from unlabelled news, keyed by match form."""

    counts: dict[str, int] = field(default_factory=dict)
    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = LEXICON_PATH) -> Lexicon:
        lex = cls()
        if not path.exists():
            LOGGER.warning("no NER lexicon at %s: tagging without word clusters", path)
            return lex
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                lex.counts[parts[0]] = int(parts[1])
                if len(parts) > 2:
                    lex.clusters[parts[0]] = tuple(parts[2:])
        return lex

    def count(self, m: str) -> int:
        return self.counts.get(m, 0)


@dataclass(slots=True)
class Gazetteer:
    """Names (tuples of match-form tokens) with the entity type they most often have."""

    names: dict[tuple[str, ...], str] = field(default_factory=dict)
    max_len: int = 1
    first_tokens: frozenset[str] = frozenset()
    lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)  # name lengths by first token, longest first
    parts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # word → roles in names (PER-F: a first name)
    words: frozenset[str] = frozenset()  # every word of every name
    _heads: dict[str, tuple[str, ...]] = field(default_factory=dict)  # tuples: no work for the GC

    @classmethod
    def from_counts(cls, counts: dict[tuple[str, ...], Counter[str]], min_count: int = 1) -> Gazetteer:
        names: dict[tuple[str, ...], str] = {}
        for name, types in counts.items():
            typ, n = types.most_common(1)[0]
            if n >= min_count and n >= 0.6 * sum(types.values()):
                names[name] = typ
        return cls.build(names)

    @classmethod
    def build(cls, names: dict[tuple[str, ...], str]) -> Gazetteer:
        by_first: dict[str, set[int]] = defaultdict(set)
        for k in names:
            by_first[k[0]].add(len(k))
        lengths = {w: tuple(sorted(ls, reverse=True)) for w, ls in by_first.items()}
        # Roles of words in names: first (F), last (L), middle (M) word of a longer name, or a one-word name (S).
        roles: dict[str, Counter[str]] = defaultdict(Counter)
        for k, typ in names.items():
            if len(k) == 1:
                roles[k[0]][typ + "S"] += 1
                continue
            roles[k[0]][typ + "F"] += 1
            roles[k[-1]][typ + "L"] += 1
            for w in k[1:-1]:
                roles[w][typ + "M"] += 1
        parts = {w: tuple(sorted(r for r, n in c.items() if n >= 2)) for w, c in roles.items()}
        parts = {w: r for w, r in parts.items() if r}
        words = frozenset(w for k in names for w in k)
        return cls(names, max((len(k) for k in names), default=1), frozenset(by_first), lengths, parts, words)

    @classmethod
    def load(cls, path: Path = GAZETTEER_PATH) -> Gazetteer:
        if not path.exists():
            LOGGER.warning("no NER gazetteer at %s: tagging without gazetteer features", path)
            return cls()
        names: dict[tuple[str, ...], str] = {}
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                typ, _, name = line.rstrip("\n").partition("\t")
                names[tuple(name.split(" "))] = typ
        return cls.build(names)

    def save(self, path: Path) -> None:
        with gzip.GzipFile(path, "wb", mtime=0) as raw:
            raw.write("".join(f"{t}\t{' '.join(k)}\n" for k, t in sorted(self.names.items())).encode("utf-8"))

    def tag(self, ms: Sequence[str]) -> list[str]:
        """Longest-match BIO tags of a sentence of match-form tokens (the first token may carry clitics)."""
        out = ["O"] * len(ms)
        i = 0
        n = len(ms)
        while i < n:
            heads = self._heads.get(ms[i])
            if heads is None:
                heads = tuple([h for h in [ms[i]] + [s for _, s in _proclitic_splits(ms[i])] if h in self.first_tokens])
                if len(self._heads) < 500_000:
                    self._heads[ms[i]] = heads
            found = 0
            typ = ""
            for head in heads:
                for length in self.lengths[head]:
                    if length > n - i:
                        continue
                    t = self.names.get((head, *ms[i + 1 : i + length]))
                    if t is not None:
                        if length > found:
                            found, typ = length, t
                        break
            if found:
                out[i] = "B-" + typ
                for k in range(i + 1, i + found):
                    out[k] = "I-" + typ
                i += found
            else:
                i += 1
        return out


def strip_clitics(token: str, lexicon: Lexicon | None = None, gazetteer: Gazetteer | None = None) -> str:
    """The token as written without its proclitics (وبوتين → بوتين, للأمم → الأمم), harakat kept.

    A prefix is removed only when the rest is clearly more frequent in news than the whole word: a
    little more for an ال word (بالرياض), four times for و/ف, ten times for ب/ل/ك (so بوتين, بيونغ and
    كامالا keep their first letter), with a floor on the rest's count. A whole word known as a name stays
    whole unless the rest is a known name too. A rare name after و (وبلغاريا), or a place after ب/ل/ك
    (بجازان), loses the prefix when the rest is a one-word gazetteer name at least as frequent."""
    m = _match(token)
    if not _ARABIC_WORD_RE.match(m):
        return token
    best = ""
    whole = lexicon.count(m) if lexicon else 0
    known = gazetteer.first_tokens if gazetteer else frozenset()
    whole_known = m in known
    splits = _proclitic_splits(m)
    # An ال stem first (وبالرياض → الرياض), else the shortest prefix that passes (وبيونغ → بيونغ, not يونغ).
    ordered = [x for x in splits if x[1].startswith("ال")] + [x for x in reversed(splits) if not x[1].startswith("ال")]
    for prefix, stem in ordered:
        if len(stem) < 2 or (whole_known and stem not in known):
            continue
        if lexicon and lexicon.counts:
            stem_n = lexicon.count(stem)
            if stem.startswith("ال"):
                factor, floor = 1, 3
            elif prefix[-1] == "ك":  # كـ "like" rarely comes before a name; كامالا is not ك + امالا
                factor, floor = 10, 50
            elif prefix in ("ل", "ب") and stem_n >= 1000:  # a common word after لـ/بـ (لحزب، بجامعة): no name
                factor, floor = 3, 1000
            elif prefix[-1] in _PREP:
                factor, floor = 10, 10
            else:
                factor, floor = 4, 5
            if stem_n >= floor and stem_n > factor * whole:
                best = prefix
                break
        elif stem.startswith("ال") and len(stem) > 3:  # no lexicon: only the safe و/ب/ل/ف/ك + ال forms
            best = prefix
            break
    if not best and gazetteer:
        # A name the news rarely writes (وبلغاريا, وصربيا in a list of Balkan states): the rest is a known
        # one-word name at least as frequent as the whole word, and the whole word is no name of its own
        # (the gazetteer's «ورومانيا», a place, is the same place with the conjunction).
        whole_type = gazetteer.names.get((m,))
        # After و any name; after ب/ل/ك alone only a place: many foreign names start with those letters
        # (بيونغ is not ب + يونغ, كاريك not ك + اريك, بوروسيا not ب + وروسيا), and places are what the
        # press writes so (بجازان، بتبوك).
        # A country of babel's after و, however rare (وسلوفينيا), unless the whole word is one.
        countries = country_names()
        for prefix, stem in ordered:
            stem_type = gazetteer.names.get((stem,)) if len(stem) >= 4 else None
            if prefix[0] == "ف" or (prefix[0] != "و" and (stem_type != "LOC" or stem[0] in _CONJ)):
                continue  # فـ before a name is rare: فرومان، فتيان، فبركات are words of their own
            if prefix == "و" and stem in countries and m not in countries and len(stem) >= 4:
                best = prefix
                break
            if (stem_type and (not whole_known or whole_type == stem_type)
                    and (not lexicon or lexicon.count(stem) >= whole)):
                best = prefix
                break
    if not best:
        return token
    return _drop_letters(token, len(best), lam_alef=best.endswith("ل") and m[len(best) - 1 : len(best) + 1] == "لل")


def _drop_letters(token: str, k: int, *, lam_alef: bool) -> str:
    """Drop the first ``k`` letters of ``token`` (and the marks on them); for لل, write ال."""
    i = 0
    seen = 0
    while i < len(token) and seen < k:
        i += 1
        seen += 1
        while i < len(token) and _MARKS_RE.match(token[i]):
            i += 1
    rest = token[i:]
    if lam_alef:
        return "ا" + rest
    return rest


def model_attributes(path: Path) -> frozenset[str] | None:
    """Every attribute (feature string) a crfsuite CRF1d model file knows, read from its attribute dictionary
    (a CQDB chunk), or ``None`` when the file is not laid out as expected.

    crfsuite drops the attributes a model does not know when it tags, so feature lists filtered to these
    give the same scores (a model stores only the attributes of its features with a non-zero weight)."""
    data = path.read_bytes()
    if len(data) < 48 or data[:4] != b"lCRF" or data[8:12] != b"FOMC":
        return None
    num_attrs, off = struct.unpack_from("<I", data, 24)[0], struct.unpack_from("<I", data, 36)[0]
    if data[off : off + 4] != b"CQDB" or off + 24 > len(data):
        return None
    byteorder, n, bwd = struct.unpack_from("<III", data, off + 12)
    if byteorder != 0x62445371 or n != num_attrs or off + bwd + 4 * n > len(data):
        return None
    out: list[str] = []
    try:
        for rec in struct.unpack_from(f"<{n}I", data, off + bwd):
            p = off + rec
            size = struct.unpack_from("<I", data, p + 4)[0]
            if size < 1 or data[p + 7 + size] != 0:
                return None
            out.append(data[p + 8 : p + 7 + size].decode("utf-8"))
    except (struct.error, IndexError, UnicodeDecodeError):
        return None
    attrs = frozenset(out)
    return attrs if len(attrs) == n else None


# ---------------------------------------------------------------------------------------------- features


_OFFSETS = (-2, -1, 1, 2)
_BOUNDARY = ("-2BOS", "-1BOS", "1EOS", "2EOS")
_OFFSET_PREFIXES = tuple(str(d) for d in _OFFSETS)
_Word = tuple[tuple[Any, ...], tuple[tuple[Any, ...], ...], str]  # features: str, or bytes with ``known``
_CTX_AT = {t: tuple(p + t for p in _OFFSET_PREFIXES) for t in ("w=", "st=", "tr=", "c=")}  # neighbours' templates
_NOWHERE = (None,) * (1 + len(_OFFSETS))
_NO_GAZ: tuple[tuple[Any, ...], ...] = ((),) * (1 + len(_OFFSETS))


def attribute_table(attributes: Iterable[str]) -> dict[str, dict[str, bytes]]:
    """Feature strings as ``{template: {value: UTF-8 string}}``, the template being the string up to its first
    "=" (all of it when it has none): every template the featurizer writes ends at its only "=" or has none,
    so ``template + value`` is one of ``attributes`` exactly when ``table[template][value]`` is there."""
    table: defaultdict[str, dict[str, bytes]] = defaultdict(dict)  # a template without attributes: {}
    for x in attributes:
        t, eq, v = x.partition("=")
        table[t + eq][v] = x.encode("utf-8")
    return table


def context_table(table: dict[str, dict[str, bytes]]) -> dict[str, dict[str, tuple[bytes | None, ...]]]:
    """For the features a word shares with its neighbours (w=, st=, tr=, c=): ``{template: {value: (own,
    at -2, at -1, at +1, at +2)}}`` from an ``attribute_table``, each the known string or None: one look-up
    for the five."""
    out: dict[str, dict[str, tuple[bytes | None, ...]]] = {}
    for t, at in _CTX_AT.items():
        tables = [table.get(x, {}) for x in (t, *at)]
        out[t] = {v: tuple(d.get(v) for d in tables) for v in set().union(*tables)}
    return out


class Featurizer:
    """Turns a sentence of tokens into crfsuite feature lists (word-level parts cached)."""

    def __init__(self, lexicon: Lexicon, gazetteer: Gazetteer, *, ngrams: bool = True, roles: bool = False,
                 org_context: bool = True, known: frozenset[str] | None = None) -> None:
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.ngrams = ngrams
        self.roles = roles
        self.org_context = org_context
        # ``known``: the attributes of the CRF(s) the features go to (``model_attributes``). crfsuite skips any
        # other attribute when it tags, so leaving them out changes no score (the rest keep their order); the
        # features are then written as the UTF-8 bytes crfsuite reads, which spares building the others and
        # encoding every string at every crfsuite call. ``None`` (training): every feature, as str.
        self.known = known
        self._table = attribute_table(known) if known is not None else None
        self._context = context_table(self._table) if self._table is not None else {}
        self._encoded = None if known is None else {x: x.encode("utf-8") for x in known}
        # a feature as crfsuite gets it (the known bytes, or the str itself when training), or None
        self._keep: Callable[[str], Any] = self._encoded.get if self._encoded is not None else _same
        keep = self._keep
        # what a word beyond the sentence shows its neighbours at -2, -1, +1, +2 (-2BOS… as crfsuite gets them)
        bounds = [(x,) if (x := keep(b)) is not None else () for b in _BOUNDARY]
        self._before: tuple[tuple[Any, ...], ...] = (bounds[0], bounds[1], (), ())
        self._after: tuple[tuple[Any, ...], ...] = ((), (), bounds[2], bounds[3])
        self._gaz_feats: dict[str, tuple[tuple[Any, ...], ...]] = {"O": _NO_GAZ}
        # the word pairs the model has a bigram feature for (every split at a "|"), to build only those strings
        self._pairs = None if self._table is None else {t: _word_pairs(self._table[t]) for t in ("wp|w=", "w|wn=")}
        self._orgs: dict[str, tuple[bool, str]] = {}
        self._nals: dict[str, str] = {}
        self._cache: dict[str, _Word] = {}
        self.last_gazetteer_tags: list[str] = []  # the gazetteer's tags of the last sentence featurised

    def _nal(self, m: str) -> str:
        """The word without its proclitics (the most stripped reading)."""
        hit = self._nals.get(m)
        if hit is None:
            splits = _proclitic_splits(m)
            hit = splits[0][1] if splits else m
            if len(self._nals) < 500_000:
                self._nals[m] = hit
        return hit

    def _word(self, token: str) -> _Word:
        """(own features, features seen by the neighbours at -2, -1, +1, +2, match form) of one token."""
        hit = self._cache.get(token)
        if hit is not None:
            return hit
        m, own, ctx = self._word_parts(token)
        table = self._table
        if table is None:
            hit = (tuple([t + v for t, v in (*own, *ctx)]),
                   tuple(tuple([p + t + v for t, v in ctx]) for p in _OFFSET_PREFIXES), m)
        else:  # only the model's attributes, found without building the others (their hashes are cached)
            kept = [x for t, v in own if (x := table[t].get(v)) is not None]
            near = [self._context[t].get(v, _NOWHERE) for t, v in ctx]  # (own, at -2, -1, +1, +2) each
            cols = [tuple(filter(None, c)) for c in zip(*near, strict=True)]
            kept += cols[0]
            hit = (tuple(kept), tuple(cols[1:]), m)
        if len(self._cache) < 500_000:
            self._cache[token] = hit
        return hit

    def _word_parts(self, token: str) -> tuple[str, list[tuple[str, str]], list[tuple[str, str]]]:
        """(match form, own features, features also seen by the neighbours) of one token, each feature as
        (template, value): the feature string is template + value."""
        m = _match(token) or token
        if _ARABIC_WORD_RE.match(m):  # the three shapes' letters are disjoint: the first test that matches
            shape = "A"
        elif _DIGIT_RE.match(m):
            shape = "D"
        elif _LATIN_RE.match(m):
            shape = "L"
        else:
            shape = "P"
        splits = _proclitic_splits(m) if shape == "A" else []
        stem = splits[0][1] if splits else m
        if shape == "A" and len(self._nals) < 500_000:
            self._nals[m] = stem  # what ``_nal`` would find (the same splits)
        nal = stem[2:] if stem.startswith("ال") and len(stem) > 4 else stem
        own = [
            ("b", ""),
            ("sh=", shape),
            ("p2=", m[:2]),
            ("p3=", m[:3]),
            ("s1=", m[-1:]),
            ("s2=", m[-2:]),
            ("s3=", m[-3:]),
            ("len=", str(min(len(m), 9))),
            ("nal=", nal),
            ("ns3=", nal[-3:]),
            ("np2=", nal[:2]),
        ]
        if m.startswith("ال"):
            own.append(("al", ""))
        if self.ngrams and shape == "A" and len(nal) > 3:
            padded = "^" + nal + "$"
            own += [("g3=", padded[i : i + 3]) for i in range(len(padded) - 2)]
        for prefix, s in splits:
            own.append(("sp=", s))
            own.append(("pf=", prefix))
        ctx = [("w=", m), ("st=", stem)]
        trig = _TRIGGER_OF.get(m) or _TRIGGER_OF.get(stem)
        if trig:
            ctx.append(("tr=", trig))
        lex = self.lexicon
        if lex.counts:
            n = lex.counts.get(m, 0)
            own.append(("f=", "0" if n == 0 else str(min(len(str(n)), 5))))
            cl = lex.clusters.get(m)
            if cl is None and splits:
                cl = lex.clusters.get(stem)
            if cl:
                for i, c in enumerate(cl):
                    own.append((f"c{i}=", c))
                ctx.append(("c=", cl[min(1, len(cl) - 1)]))
            stem_cl = lex.clusters.get(nal)
            if stem_cl and nal != m:
                own.append(("nc=", stem_cl[-1]))
        return m, own, ctx

    def _org_word(self, m: str) -> tuple[bool, str]:
        """(is an Arabic word, the ORG trigger it is without its proclitics or "") of a match form."""
        hit = self._orgs.get(m)
        if hit is None:
            nal = self._nal(m)
            trig = nal if _TRIGGER_OF.get(m) == "ORG" or _TRIGGER_OF.get(nal) == "ORG" else ""
            hit = (_ARABIC_WORD_RE.match(m) is not None, trig)
            if len(self._orgs) < 500_000:
                self._orgs[m] = hit
        return hit

    def _add_org_context(self, feats: list[list[Any]], ms: Sequence[str]) -> None:
        """Conjunctions with the nearest ORG trigger word (نادي، شركة، حزب…) up to three words before an Arabic
        word, with only Arabic words between: its distance, with the trigger, the word and its cluster."""
        last = -1
        trig = ""
        for i, m in enumerate(ms):
            is_word, t = self._org_word(m)
            if is_word and last >= 0 and i - last <= 3:
                d = i - last
                nal = self._nal(m)
                new = [f"ot={d}", f"ot|t={d}|{trig}", f"ot|w={d}|{nal}"]
                cl = self.lexicon.clusters.get(m) or self.lexicon.clusters.get(nal)
                if cl:
                    new.append(f"ot|c={d}|{cl[min(1, len(cl) - 1)]}")
                _emit(feats[i], new, self._encoded)
            if t:
                last, trig = i, t
            elif not is_word:
                last = -1

    def _gaz(self, tag: str) -> tuple[tuple[Any, ...], ...]:
        """The features of a gazetteer tag: the word's own (g=) and its neighbours' at -2, -1, +1, +2 (-2g=…)."""
        hit = self._gaz_feats.get(tag)
        if hit is None:
            keep = self._keep
            names = ("g=" + tag, *(f"{d}g={tag}" for d in _OFFSETS))
            hit = tuple((x,) if (x := keep(f)) is not None else () for f in names)
            self._gaz_feats[tag] = hit
        return hit

    def sentence(self, tokens: Sequence[str]) -> list[list[Any]]:
        """The feature lists of a sentence: str, or with ``known`` the model's attributes only, as UTF-8 bytes."""
        words = [self._word(t) for t in tokens]
        ms = [w[2] for w in words]
        gaz = self.gazetteer.tag(ms) if self.gazetteer.names else ["O"] * len(ms)
        self.last_gazetteer_tags = gaz
        n = len(tokens)
        keep = self._keep
        parts = self.gazetteer.parts
        roles = [parts.get(m) or parts.get(self._nal(m)) or () for m in ms] if self.roles else [()] * n
        # Two places of padding either side: what each word (or the sentence boundary) shows a neighbour, and
        # the features of its gazetteer tag; the word at i sees places i .. i + 4 of these.
        seen = [self._before, self._before, *(w[1] for w in words), self._after, self._after]
        gz = [_NO_GAZ, _NO_GAZ, *(self._gaz(g) for g in gaz), _NO_GAZ, _NO_GAZ]
        before, after = (self._pairs["wp|w="], self._pairs["w|wn="]) if self._pairs is not None else (None, None)
        feats: list[list[Any]] = []
        for i in range(n):
            own, _, m = words[i]
            if self.roles:
                f = [*own, *gz[i + 2][0]]
                near = (("gp=", roles[i]), ("-1gp=", roles[i - 1] if i > 0 else ()),
                        ("1gp=", roles[i + 1] if i + 1 < n else ()))
                _emit(f, [p + r for p, rs in near for r in rs], self._encoded)
                f += [*seen[i][0], *gz[i][1], *seen[i + 1][1], *gz[i + 1][2], *seen[i + 3][2], *gz[i + 3][3],
                      *seen[i + 4][3], *gz[i + 4][4]]
            else:
                f = [*own, *gz[i + 2][0], *seen[i][0], *gz[i][1], *seen[i + 1][1], *gz[i + 1][2], *seen[i + 3][2],
                     *gz[i + 3][3], *seen[i + 4][3], *gz[i + 4][4]]
            if i > 0 and (before is None or (ms[i - 1], m) in before) and (
                    x := keep("wp|w=" + ms[i - 1] + "|" + m)) is not None:
                f.append(x)
            if i + 1 < n and (after is None or (m, ms[i + 1]) in after) and (
                    x := keep("w|wn=" + m + "|" + ms[i + 1])) is not None:
                f.append(x)
            feats.append(f)
        if self.org_context:
            self._add_org_context(feats, ms)
        return feats


def _same(x: str) -> str:
    return x


def _word_pairs(values: Iterable[str]) -> set[tuple[str, str]]:
    """Every way to read the values of a bigram template (``a|b``) as two words: each split at a "|"."""
    return {(v[:k], v[k + 1 :]) for v in values for k, c in enumerate(v) if c == "|"}


def _emit(f: list[Any], new: Sequence[str], encoded: dict[str, bytes] | None) -> None:
    """Append the features ``new`` to ``f``: as they are, or with ``encoded`` only the known ones, as bytes."""
    if encoded is None:
        f += new
        return
    for x in new:
        b = encoded.get(x)
        if b is not None:
            f.append(b)


# ---------------------------------------------------------------------------------------------- stacking


def _doc_stem(m: str, lexicon: Lexicon, cache: dict[str, str]) -> str:
    """The key of a match-form word within a document: without the proclitics when the rest is clearly more
    frequent in news (وبوتين → بوتين), else the word itself."""
    hit = cache.get(m)
    if hit is None:
        hit = m
        for _prefix, stem in _proclitic_splits(m):
            if len(stem) >= 2 and lexicon.count(stem) > 4 * lexicon.count(m):
                hit = stem
                break
        if len(cache) < 500_000:
            cache[m] = hit
    return hit


def _bucket(p: float) -> str:
    """A coarse bin of a probability (the stage-1 CRF's marginals)."""
    return "5" if p >= 0.99 else "4" if p >= 0.9 else "3" if p >= 0.7 else "2" if p >= 0.5 else "1"


def _is_word(m: str) -> bool:
    return len(m) >= 2 and (_ARABIC_WORD_RE.match(m) is not None or _LATIN_RE.match(m) is not None)


# The first stage of the stacked tagger learns only these features (word, stem, gazetteer, trigger and cluster
# features of the token and its neighbours: a lighter CRF, chosen on the development split); it still reads
# the full feature lists, which the second stage learns from in full.
FIRST_STAGE_FEATURES = ("b", "w=", "st=", "nal=", "g=", "-1w=", "1w=", "-2w=", "2w=", "-1g=", "1g=", "tr=",
                        "-1tr=", "1tr=", "c0=", "c1=", "c2=", "sh=", "-1c=", "1c=", "wp|w=", "w|wn=")


@dataclass(frozen=True, slots=True)
class StackOptions:
    """Which non-local feature groups the second-stage CRF sees (all on by default)."""

    local: bool = True  # the stage-1 tag of the token and its neighbours, with the marginal's bin
    token_votes: bool = True  # stage-1 types of the same word elsewhere in the document
    entity: bool = True  # the token lies in a recurrence of a string stage 1 tagged elsewhere in the document
    parts: bool = True  # the word is part of a longer stage-1 name elsewhere in the document


STACK_OPTIONS = StackOptions(parts=False)  # the best second stage on the dev split (parts did not help)


def stack_features(keys: Sequence[Sequence[str]], norm: Sequence[Sequence[str]], tags: Sequence[Sequence[str]],
                   p_tag: Sequence[Sequence[float]], p_o: Sequence[Sequence[float]],
                   options: StackOptions = StackOptions()) -> list[list[list[str]]]:
    """Non-local features of one document for the second-stage CRF (Krishnan & Manning 2006).

    ``keys`` are the words with their proclitics stripped (the document key of a word), ``norm`` their match
    forms, ``tags`` the first-stage CRF's tags, ``p_tag`` its marginal of each tag and ``p_o`` its marginal of
    O. Every count leaves the token's own occurrence out, so a feature says what the rest of the document
    thinks of this word or name."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    ents: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    roles: dict[str, Counter[str]] = defaultdict(Counter)
    sent_spans = [spans(t) for t in tags]
    for ks, ms, ts, sp in zip(keys, norm, tags, sent_spans, strict=True):
        for k, m, t in zip(ks, ms, ts, strict=True):
            if _is_word(m):
                votes[k][t.partition("-")[2] or "O"] += 1
        for s, e, typ in sp:
            ents[(ks[s], *ms[s + 1 : e])][typ] += 1
            if e - s > 1:
                for j in range(s, e):
                    roles[ks[j]][typ + ("F" if j == s else "L" if j == e - 1 else "M")] += 1
    by_first: dict[str, list[int]] = defaultdict(list)
    for key in ents:
        by_first[key[0]].append(len(key))
    for ls in by_first.values():
        ls.sort(reverse=True)
    out: list[list[list[str]]] = []
    for ks, ms, ts, pt, po, sp in zip(keys, norm, tags, p_tag, p_o, sent_spans, strict=True):
        n = len(ks)
        feats: list[list[str]] = [[] for _ in range(n)]
        own_span = {s: (e, typ) for s, e, typ in sp}
        own_role: dict[int, str] = {}
        for s, e, typ in sp:
            if e - s > 1:
                for j in range(s, e):
                    own_role[j] = typ + ("F" if j == s else "L" if j == e - 1 else "M")
        for i in range(n):
            f = feats[i]
            t = ts[i]
            if options.local:
                f.append("s1=" + t)
                f.append("s1p=" + t + "|" + _bucket(pt[i]))
                f.append("po=" + _bucket(po[i]))
                f.append("-1s1=" + (ts[i - 1] if i else "BOS"))
                f.append("1s1=" + (ts[i + 1] if i + 1 < n else "EOS"))
            if not _is_word(ms[i]):
                continue
            if options.token_votes:
                c = votes[ks[i]]
                rest = sum(c.values()) - 1
                if rest > 0:
                    own_t = t.partition("-")[2] or "O"
                    best, best_key = "", (0, False)
                    for typ, cnt in c.items():
                        if typ == own_t:
                            cnt -= 1
                        if cnt <= 0:
                            continue
                        if typ != "O":
                            f.append("dv=" + typ)
                        if (cnt, typ != "O") > best_key:  # the most frequent type, a name type on ties
                            best, best_key = typ, (cnt, typ != "O")
                    f.append("dm=" + best)
                    f.append("dm=" + best + "|" + t)
                    f.append("dn=" + str(min(rest, 3)))
            if options.parts:
                rc = roles.get(ks[i])
                if rc:
                    rc = rc.copy()
                    if i in own_role:
                        rc[own_role[i]] -= 1
                    for r, cnt in rc.items():
                        if cnt > 0:
                            f.append("ds=" + r)
        if options.entity:
            i = 0
            while i < n:
                hit = 0
                for length in by_first.get(ks[i], ()):
                    if length > n - i:
                        continue
                    key = (ks[i], *ms[i + 1 : i + length])
                    ec = ents.get(key)
                    if ec is None:
                        continue
                    own = own_span.get(i)
                    if own is not None and own[0] == i + length:
                        ec = ec.copy()
                        ec[own[1]] -= 1
                    if sum(ec.values()) <= 0:
                        continue
                    best = max(ec, key=lambda x: ec[x])
                    feats[i].append("de=B-" + best)
                    feats[i].append("de=B-" + best + "|" + ts[i])
                    for j in range(i + 1, i + length):
                        feats[j].append("de=I-" + best)
                        feats[j].append("de=I-" + best + "|" + ts[j])
                    hit = length
                    break
                i += hit or 1
        out.append(feats)
    return out


def first_stage(crf: Any, xseq: list[list[str]]) -> tuple[list[str], list[float], list[float]]:
    """The first-stage CRF's tags of one sentence, its marginal of each tag and its marginal of O."""
    if not xseq:
        return [], [], []
    crf.set(xseq)
    tags = crf.tag()
    return tags, [crf.marginal(t, i) for i, t in enumerate(tags)], [crf.marginal("O", i) for i in range(len(tags))]


def stacked_inputs(norm: Sequence[Sequence[str]], keys: Sequence[Sequence[str]], feats: Sequence[list[list[str]]],
                   crf: Any, options: StackOptions = StackOptions(),
                   first: Sequence[tuple[list[str], list[float], list[float]]] | None = None) -> list[list[list[str]]]:
    """The second stage's feature lists of one document: each sentence's first-stage features plus the
    non-local ones computed from the first stage's outputs (``first``, else ``crf`` run on ``feats``).
    The lists of ``feats`` are extended in place (and returned)."""
    outs = list(first) if first is not None else [first_stage(crf, x) for x in feats]
    extra = stack_features(keys, norm, [o[0] for o in outs], [o[1] for o in outs], [o[2] for o in outs], options)
    for x, e in zip(feats, extra, strict=True):
        for a, b in zip(x, e, strict=True):
            a.extend(b)  # in place: the featurizer's lists are fresh for every sentence
    return list(feats)


@lru_cache(maxsize=1)
def committed_lexicon() -> Lexicon:
    """The committed lexicon, read once per process (the tagger and the storyline titles share it)."""
    return Lexicon.load()


@lru_cache(maxsize=1)
def committed_gazetteer() -> Gazetteer:
    """The committed gazetteer, read once per process."""
    return Gazetteer.load()


# ---------------------------------------------------------------------------------------------- tagger


class Tagger:
    """A loaded CRF with its feature resources. ``tag`` writes BIO tags over PER, LOC, ORG, MISC."""

    def __init__(self, model_path: Path = MODEL_PATH, lexicon: Lexicon | None = None,
                 gazetteer: Gazetteer | None = None, neural_path: Path | None = NEURAL_PATH,
                 stack_path: Path | None = STACK_PATH) -> None:
        import pycrfsuite

        if not model_path.exists():
            raise InputError(str(model_path), "no NER model: run `make train-ner`")
        self.lexicon = lexicon if lexicon is not None else committed_lexicon()
        self.gazetteer = gazetteer if gazetteer is not None else committed_gazetteer()
        self._stems: dict[str, str] = {}
        self._crf = pycrfsuite.Tagger()
        self._crf.open(str(model_path))
        self._stack: Any = None  # the second-stage CRF (non-local features over the first stage's tags)
        known = model_attributes(model_path)
        if stack_path is not None and stack_path.exists():
            self._stack = pycrfsuite.Tagger()
            self._stack.open(str(stack_path))
            second = model_attributes(stack_path)  # the second stage reads the first stage's features too
            known = known | second if known is not None and second is not None else None
        self.featurizer = Featurizer(self.lexicon, self.gazetteer, known=known)
        self.neural: ner_neural.Network | None = None
        self._encoder: ner_neural.Encoder | None = None
        if neural_path is not None and neural_path.exists():
            from marsad import ner_neural as nn_mod

            self.neural = nn_mod.Network(neural_path)
            self._encoder = nn_mod.Encoder(self.neural.words, self.neural.chars, self.lexicon)

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO tags for ``tokens`` (one document; cut into sentences internally)."""
        tagged = self.tag_sentences([tokens[s:e] for s, e in sentences(tokens)])
        return [t for sent in tagged for t in sent]

    def tag_sentences(self, sents: Sequence[Sequence[str]], *, propagate: bool = True) -> list[list[str]]:
        """BIO tags for the sentences of one document.

        With the second-stage model (``ner_stack.crfsuite``), the first CRF's tags and marginals over the whole
        document become features of a second CRF (``stack_features``). With ``propagate``, a name found
        somewhere in the document is also tagged where it recurs untagged, when the (last) CRF itself gives
        that place a fair chance of being a name (its marginal probability of O stays below
        ``PROPAGATE_MAX_O``)."""
        out: list[list[str]] = []
        feats: list[list[list[str]]] = []
        if self.neural is not None and not self.neural.crf_weight:
            gaz = [self.gazetteer.tag([_match(t) or t for t in sent]) if sent else [] for sent in sents]
            return self.tag_neural(sents, gaz, None, [], propagate=propagate)
        if self.neural is not None:
            from marsad import ner_neural as nn_mod

            crf = []
            gaz = []
            for sent in sents:
                xseq = self.featurizer.sentence(sent) if sent else []
                feats.append(xseq)
                gaz.append(self.featurizer.last_gazetteer_tags if sent else [])
                crf.append(nn_mod.crf_inputs(self._crf, xseq))
            return self.tag_neural(sents, gaz, crf, feats, propagate=propagate)
        feats = [self.featurizer.sentence(sent) if sent else [] for sent in sents]
        if self._stack is None:
            out = [self._crf.tag(x) if x else [] for x in feats]
            if propagate:
                self._propagate(sents, out, feats)
            return out
        norm = [[_match(t) for t in sent] for sent in sents]
        keys = [[self._stem(m) for m in ms] for ms in norm]
        feats = stacked_inputs(norm, keys, feats, self._crf, STACK_OPTIONS)
        second = self._stack
        p_o: list[list[float]] = []
        for x in feats:
            if not x:
                out.append([])
                p_o.append([])
                continue
            second.set(x)
            tags = second.tag()
            out.append(tags)
            if propagate:  # the second stage's P(O) gates propagation (read now: no second set later)
                p_o.append([second.marginal("O", i) for i in range(len(tags))])
        if propagate:
            self._propagate(sents, out, feats, p_o)
        return out

    def tag_neural(self, sents: Sequence[Sequence[str]], gaz: Sequence[Sequence[str]], crf: Sequence[Any] | None,
                   feats: list[list[list[str]]], *, propagate: bool = True) -> list[list[str]]:
        """The network's tags for one document, given each sentence's gazetteer tags and, for the ensemble,
        the CRF's tags (one-hot). The network's own P(O) gates propagation (``feats`` is not read)."""
        if self.neural is None or self._encoder is None:
            raise ValueError(f"tag_neural needs a tagger loaded with a neural model ({NEURAL_PATH.name})")
        enc = self._encoder
        encoded = [[enc.word(t) for t in sent] for sent in sents]
        p_o: list[Any] | None = [] if propagate else None
        out = self.neural.tag(encoded, gaz, crf, p_o)
        if propagate:
            self._propagate(sents, out, feats, p_o)
        return out

    def _propagate(self, sents: Sequence[Sequence[str]], out: list[list[str]], feats: list[list[list[str]]],
                   p_o_tokens: Sequence[Any] | None = None) -> None:
        """Name propagation within a document, gated by ``p_o_tokens`` (P(O) of each token, from the network or
        the second-stage CRF) or else by the first-stage CRF's marginals on ``feats``."""
        crf = self._crf
        names: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        norm = [[_match(t) for t in sent] for sent in sents]
        for ms, tags in zip(norm, out, strict=True):
            for s, e, typ in spans(tags):
                key = (self._stem(ms[s]), *ms[s + 1 : e])
                if self._propagatable(key):
                    names[key][typ] += 1
                if typ == "PER" and e - s > 1 and PROPAGATE_SURNAMES and self._propagatable((ms[e - 1],)):
                    names[(ms[e - 1],)]["PER"] += 1  # علي لاريجاني … لاريجاني
        if not names:
            return
        if PROPAGATE_TYPES:
            self._harmonise_types(norm, out, names)
        by_first: dict[str, set[int]] = defaultdict(set)
        for key in names:
            by_first[key[0]].add(len(key))
        lengths = {w: sorted(ls, reverse=True) for w, ls in by_first.items()}
        for k, (ms, tags) in enumerate(zip(norm, out, strict=True)):
            i = 0
            opened = False
            while i < len(ms):
                hit = 0
                first = self._stem(ms[i]) if tags[i] == "O" else ""
                if first in lengths:
                    for length in lengths[first]:
                        if length > len(ms) - i:
                            continue
                        key = (first, *ms[i + 1 : i + length])
                        if key in names and all(t == "O" for t in tags[i : i + length]) and (
                            i + length == len(ms) or not tags[i + length].startswith("I-")
                        ):
                            if p_o_tokens is not None:
                                p_o = float(sum(p_o_tokens[k][i : i + length])) / length
                            else:
                                if not opened:
                                    crf.set(feats[k])
                                    opened = True
                                p_o = sum(crf.marginal("O", j) for j in range(i, i + length)) / length
                            if p_o < PROPAGATE_MAX_O:
                                typ = names[key].most_common(1)[0][0]
                                tags[i] = "B-" + typ
                                for j in range(i + 1, i + length):
                                    tags[j] = "I-" + typ
                                hit = length
                            break
                i += hit or 1

    def _harmonise_types(self, norm: list[list[str]], out: list[list[str]],
                         names: dict[tuple[str, ...], Counter[str]]) -> None:
        """A name tagged with several types in one document takes its most frequent type everywhere."""
        for ms, tags in zip(norm, out, strict=True):
            for s, e, typ in spans(tags):
                votes = names.get((self._stem(ms[s]), *ms[s + 1 : e]))
                if votes and len(votes) > 1:
                    best, n = votes.most_common(1)[0]
                    if best != typ and n > votes[typ]:
                        tags[s] = "B-" + best
                        for j in range(s + 1, e):
                            tags[j] = "I-" + best

    def _stem(self, m: str) -> str:
        return _doc_stem(m, self.lexicon, self._stems)

    def _propagatable(self, key: tuple[str, ...]) -> bool:
        if len(key) > 1:
            return True
        w = key[0]
        return len(w) >= 3 and _ARABIC_WORD_RE.match(w) is not None and w not in _TRIGGER_OF

    def strip_clitics(self, token: str) -> str:
        return strip_clitics(token, self.lexicon, self.gazetteer)


@lru_cache(maxsize=4)
def load_tagger(model_path: Path = MODEL_PATH) -> Tagger:
    """The committed tagger, loaded once per process."""
    return Tagger(model_path)


def tag_conll(lines: Iterable[str], tagger: Tagger | None = None, *, window: int = 50) -> Iterator[str]:
    """Tag a CoNLL-style stream: one token per line (first column), a blank line between sentences.

    Yields ``token<TAB>tag`` lines and keeps the blank lines. Sentences are tagged ``window`` at a time as
    one document, so a name found in one of them is propagated to the others."""
    tagger = tagger or load_tagger()
    block: list[list[str]] = []
    cur: list[str] = []

    def flush() -> Iterator[str]:
        for sent, tags in zip(block, tagger.tag_sentences(block), strict=True):
            for tok, tag in zip(sent, tags, strict=True):
                yield f"{tok}\t{tag}"
            yield ""
        block.clear()

    for line in lines:
        cols = line.strip().split()
        if cols:
            cur.append(cols[0])
            continue
        block.append(cur)
        cur = []
        if len(block) >= window:
            yield from flush()
    if cur:
        block.append(cur)
    last_blank = bool(block) and not cur
    out = list(flush())
    if out and not last_blank:
        out.pop()  # the input did not end with a blank line
    yield from out


def spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity chunks ``(start, end, type)`` of a BIO sequence, by conlleval's rules (an I- after O or
    after another type starts a chunk)."""
    out: list[tuple[int, int, str]] = []
    start = -1
    typ = ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, t = tag.partition("-")
        if start >= 0 and (prefix in ("O", "B", "") or t != typ):
            out.append((start, i, typ))
            start = -1
        if prefix == "B" or (prefix == "I" and start < 0):
            start, typ = i, t
    return out


# ---------------------------------------------------------------------------------------------- data


def _norm_tag(tag: str) -> str:
    tag = tag.strip()
    if tag in ("", "O"):
        return "O"
    prefix, _, typ = tag.partition("-")
    typ = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}.get(typ, "MISC")
    if typ.startswith("MIS"):
        typ = "MISC"
    return f"{prefix if prefix in ('B', 'I') else 'B'}-{typ}"


def read_conll(path: Path, *, split_sentences: bool = False) -> list[list[tuple[str, str]]]:
    """Sentences of ``(token, tag)`` from a space/tab separated file (tags mapped to PER/LOC/ORG/MISC).

    Blank lines separate sentences; with ``split_sentences`` the text is also cut after . ! ? ؟."""
    sents: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            parts = line.replace("\u200e", "").strip().split()
            if not parts:
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            tok = parts[0]
            tag = _norm_tag(parts[-1]) if len(parts) > 1 else "O"
            cur.append((tok, tag))
            if split_sentences and tok in _SENTENCE_END:
                sents.append(cur)
                cur = []
    if cur:
        sents.append(cur)
    return sents


def anercorp_train(datasets: Path) -> list[list[tuple[str, str]]]:
    """ANERcorp minus its last 25,008 tokens (the CAMeL test split), cut into sentences."""
    path = datasets / "anercorp" / "ANERCorp_original_full.txt"
    if not path.exists():
        raise InputError(str(path), "ANERcorp not found (pass --datasets)")
    rows: list[tuple[str, str]] = []
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            parts = line.strip().split()
            if parts:
                rows.append((parts[0], _norm_tag(parts[-1]) if len(parts) > 1 else "O"))
    rows = rows[: len(rows) - ANERCORP_TEST_TOKENS]
    out: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    for row in rows:
        cur.append(row)
        if row[0] in _SENTENCE_END:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def anercorp_test(datasets: Path) -> list[list[tuple[str, str]]]:
    path = datasets / "anercorp" / "ANERCorp_CamelLab_test.txt"
    if not path.exists():
        raise InputError(str(path), "ANERcorp CAMeL test split not found (pass --datasets)")
    return read_conll(path)


# ---------------------------------------------------------------------------------------------- resources (build)

# WikiFANE / NewsFANE fine types → coarse types (the person subtypes, organisation subtypes, places).
_FANE_TYPES: dict[str, str] = {
    **dict.fromkeys(("Politician", "Athlete", "Artist", "Other_PER", "Religious_PER", "Scientist", "Businessperson",
                     "Lawyer", "Engineer", "Police", "Group"), "PER"),
    **dict.fromkeys(("Nation", "Population-Center", "State-or-Province", "GPE-Cluster", "Continent",
                     "County-or-District", "Water-Body", "Land", "Land-Region-Natural", "Celestial",
                     "Building-Grounds", "Path", "Airport", "Subarea-Facility"), "LOC"),
    **dict.fromkeys(("Non-Governmental", "Sports", "Government", "Media", "Commercial", "Educational",
                     "Medical-Science", "Religious_ORG", "Entertainment"), "ORG"),
}
SAUDINEWSNET_DEV_DAYS = ("2015-07-21", "2015-08-07")  # 2015-08-08..11 are held out: never read here


def external_names(datasets: Path, *, wiki: bool = True) -> dict[tuple[str, ...], Counter[str]]:
    """Names from sources other than ANERcorp: WikiFANE (Wikipedia), AQMAR and babel's Arabic country names.

    WikiFANE's fine types are mapped to PER/LOC/ORG; its person "Group" type and its artefact types are left
    out of the gazetteer (they are not names of one person, place or organisation)."""
    counts: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    wiki_on = wiki
    wiki_path = datasets / "wikifane_gold" / "WikiFANE_Gold_2014_500K.txt"
    if not wiki_on:
        pass
    elif wiki_path.exists():
        for sent in _read_fane(wiki_path):
            for s, e, typ in spans([g for _, g in sent]):
                coarse = _FANE_TYPES.get(typ)
                if coarse and typ != "Group":
                    counts[tuple(_match(t) for t, _ in sent[s:e])][coarse] += 1
    else:
        LOGGER.warning("WikiFANE not found under %s: gazetteer without it", datasets)
    aqmar = datasets / "aqmar"
    for path in sorted(aqmar.glob("*.txt")) if aqmar.exists() else []:
        for sent in read_conll(path):
            for s, e, typ in spans([g for _, g in sent]):
                if typ in ("PER", "LOC", "ORG"):
                    counts[tuple(_match(t) for t, _ in sent[s:e])][typ] += 1
    try:
        from babel import Locale

        for code, name in Locale("ar").territories.items():
            if code.isalpha() and len(code) == 2:
                counts[tuple(arabic.match_tokens(name))]["LOC"] += 3
    except ImportError:  # pragma: no cover - babel is a dependency
        LOGGER.warning("babel missing: no country names in the gazetteer")
    counts.pop((), None)
    return counts


def _read_fane(path: Path) -> list[list[tuple[str, str]]]:
    """A FANE file (BOM, CRLF, U+200E before every token, fine types kept as they are)."""
    sents: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            parts = line.replace("\u200e", "").strip().split("\t")
            if len(parts) < 2 or not parts[0].strip():
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            cur.append((parts[0].strip(), parts[1].strip() or "O"))
    if cur:
        sents.append(cur)
    return sents


_FANE_FACILITIES = frozenset({"Building-Grounds", "Airport", "Subarea-Facility", "Path"})
_SPLIT_PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ك"})
_SPLIT_ENCLITICS = frozenset({"ه", "ها", "هم", "هما", "هن", "كم", "كما", "نا", "ي"})


def wikifane_train(datasets: Path, max_tokens: int = 150_000) -> list[list[tuple[str, str]]]:
    """WikiFANE sentences re-tokenised like ANERcorp (its split clitics glued back) with coarse types.

    Persons → PER (the person "Group" type → O, as ANERcorp leaves peoples untagged), places → LOC,
    facilities and artefacts → MISC (as ANERcorp tags البيت الأبيض، الكعبة), organisations → ORG.
    Only sentences with at least one name are kept, up to ``max_tokens`` tokens."""
    path = datasets / "wikifane_gold" / "WikiFANE_Gold_2014_500K.txt"
    if not path.exists():
        LOGGER.warning("WikiFANE not found under %s: training on ANERcorp only", datasets)
        return []
    out: list[list[tuple[str, str]]] = []
    n = 0
    for sent in _read_fane(path):
        rows: list[tuple[str, str]] = []
        pending = ""
        for tok, tag in sent:
            prefix, _, fine = tag.partition("-")
            if fine == "Group" or prefix not in ("B", "I"):
                coarse = "O"
            elif fine in _FANE_FACILITIES:
                coarse = prefix + "-MISC"
            else:
                coarse = prefix + "-" + _FANE_TYPES.get(fine, "MISC")
            if tok in _SPLIT_PROCLITICS and coarse == "O":
                pending += tok
                continue
            if tok in _SPLIT_ENCLITICS and coarse == "O" and rows and not pending:
                head = rows[-1][0]
                rows[-1] = ((head[:-1] + "ت" if head.endswith("ة") else head) + tok, rows[-1][1])
                continue
            rows.append((pending + tok, coarse))
            pending = ""
        if pending:
            rows.append((pending, "O"))
        if any(g != "O" for _, g in rows):
            out.append(rows)
            n += len(rows)
            if n >= max_tokens:
                break
    return out


def merge_names(*sources: dict[tuple[str, ...], Counter[str]]) -> dict[tuple[str, ...], Counter[str]]:
    out: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for src in sources:
        for k, v in src.items():
            out[k].update(v)
    return out


def dev_news_texts(datasets: Path) -> Iterator[str]:
    """Title + newline + content of every SaudiNewsNet article of the development days (never the held-out
    days), for what is learnt from unlabelled news (word clusters here, places in marsad.places)."""
    import json
    import zipfile

    folder = datasets / "saudinewsnet" / "dataset"
    if not folder.exists():
        raise InputError(str(folder), "SaudiNewsNet not found (pass --datasets)")
    first, last = SAUDINEWSNET_DEV_DAYS
    for path in sorted(folder.glob("*.zip")):
        if not first <= path.stem <= last:
            continue
        with zipfile.ZipFile(path) as z:
            for member in z.namelist():
                for item in json.loads(z.read(member)):
                    yield (item.get("title") or "") + "\n" + (item.get("content") or "")


def build_lexicon(datasets: Path, out: Path, *, vocab: int = 60_000, contexts: int = 4_000, dims: int = 100,
                  ks: Sequence[int] = (64, 256, 1024), min_count: int = 3, seed: int = 13) -> None:
    """Count words in the SaudiNewsNet development days and cluster the frequent ones.

    Each frequent word gets a vector of positive PMI with the words just before and just after it,
    reduced by a truncated SVD; k-means at several granularities gives its cluster ids (a quick,
    reproducible stand-in for Brown clusters)."""
    import numpy as np
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD

    ids: dict[str, int] = {}
    seqs: list[np.ndarray] = []
    counts: Counter[str] = Counter()
    n_docs = 0
    for text in dev_news_texts(datasets):
        n_docs += 1
        toks = [_match(t) for _, _, t in tokenize(text)]
        counts.update(toks)
        seqs.append(np.fromiter((ids.setdefault(t, len(ids)) for t in toks), dtype=np.int64, count=len(toks)))
    LOGGER.info("lexicon: %d articles, %d tokens, %d types", n_docs, sum(counts.values()), len(counts))
    words = [w for w, _ in counts.most_common(vocab)]
    ctx_words = [w for w, _ in counts.most_common(contexts)]
    n_all = len(ids)
    row_of = np.full(n_all, -1, dtype=np.int64)
    row_of[[ids[w] for w in words]] = np.arange(len(words))
    col_of = np.full(n_all + 1, -1, dtype=np.int64)
    col_of[[ids[w] for w in ctx_words]] = np.arange(len(ctx_words))
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for seq in seqs:
        if len(seq) < 2:
            continue
        for a, b, off in ((seq[1:], seq[:-1], 0), (seq[:-1], seq[1:], len(ctx_words))):
            r = row_of[a]
            c = col_of[b]
            keep = (r >= 0) & (c >= 0)
            rows.append(r[keep])
            cols.append(c[keep] + off)
    ppmi = ppmi_matrix(np.concatenate(rows), np.concatenate(cols), (len(words), 2 * len(ctx_words)))
    vecs = TruncatedSVD(n_components=dims, random_state=seed).fit_transform(ppmi)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
    labels = []
    for k in ks:
        km = MiniBatchKMeans(n_clusters=k, random_state=seed, batch_size=4096, n_init=3, max_iter=100)
        labels.append(km.fit_predict(vecs))
        LOGGER.info("lexicon: %d clusters done", k)
    lines = []
    for i, w in enumerate(words):
        cl = "\t".join(f"{k}:{lab[i]}" for k, lab in zip(ks, labels, strict=True))
        lines.append(f"{w}\t{counts[w]}\t{cl}")
    in_vocab = set(words)
    for w, n in counts.most_common():
        if n < min_count:
            break
        if w not in in_vocab and _ARABIC_WORD_RE.match(w):
            lines.append(f"{w}\t{n}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(out, "wb", mtime=0) as raw:
        raw.write(("\n".join(lines) + "\n").encode("utf-8"))
    LOGGER.info("wrote %s (%d words)", out, len(lines))


def ppmi_matrix(r_all: Any, c_all: Any, shape: tuple[int, int]) -> Any:
    """Positive PMI (context counts smoothed to the power 0.75) of word/context co-occurrence pairs."""
    import numpy as np
    from scipy import sparse

    mat = sparse.coo_matrix((np.ones(len(r_all), dtype=np.float64), (r_all, c_all)), shape=shape).tocsr()
    mat.sum_duplicates()
    total = mat.sum()
    row_sum = np.asarray(mat.sum(axis=1)).ravel() + 1e-9
    col_sum = np.asarray(mat.sum(axis=0)).ravel() ** 0.75
    col_sum = col_sum / col_sum.sum() * total + 1e-9
    coo = mat.tocoo()
    pmi = np.log(coo.data * total / (row_sum[coo.row] * col_sum[coo.col]))
    keep = pmi > 0
    return sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=mat.shape)


# ---------------------------------------------------------------------------------------------- training


def train(sents: Sequence[Sequence[tuple[str, str]]], out: Path, featurizer: Featurizer, *,
          c1: float = 0.1, c2: float = 0.01, max_iterations: int = 150,
          gazetteers: Sequence[Gazetteer] | None = None, masked_copies: bool = False,
          keep: tuple[str, ...] | None = None) -> None:
    """Train the CRF on ``sents`` and write it to ``out``.

    ``gazetteers`` (one per sentence, optional) lets each sentence see a gazetteer built without its
    own fold, so the model does not learn to over-trust names it has memorised. With ``masked_copies``
    every sentence with a name is added a second time with the names' word-identity features removed,
    so the model also learns to find names it has never seen from their shape, cluster and context. With
    ``keep``, only the features with one of these prefixes are learnt (the others are ignored when tagging)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    base = featurizer.gazetteer
    for k, sent in enumerate(sents):
        if gazetteers is not None:
            featurizer.gazetteer = gazetteers[k]
        tokens = [t for t, _ in sent]
        tags = [g for _, g in sent]
        xseq = featurizer.sentence(tokens)
        if keep is not None:
            xseq = [[x for x in f if x.startswith(keep)] for f in xseq]
        trainer.append(xseq, tags)
        if masked_copies and any(g != "O" for g in tags):
            trainer.append(_mask_names(xseq, tags), tags)
    featurizer.gazetteer = base
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations,
                        "feature.possible_transitions": True, "feature.minfreq": 1})
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))


_IDENTITY = ("w=", "st=", "nal=", "sp=", "wp|w=", "w|wn=", "g=")


def _mask_names(xseq: list[list[str]], tags: Sequence[str]) -> list[list[str]]:
    """A copy of ``xseq`` without the word-identity features of name tokens (their own and their neighbours')."""
    out = [list(f) for f in xseq]
    n = len(tags)
    for i, tag in enumerate(tags):
        if tag == "O":
            continue
        out[i] = [x for x in out[i] if not x.startswith(_IDENTITY)]
        for j in range(max(0, i - 2), min(n, i + 3)):
            if j == i:
                continue
            d = i - j
            drop = (f"{d}w=", f"{d}st=", f"{d}g=") + (("wp|w=",) if d == -1 else ("w|wn=",) if d == 1 else ())
            out[j] = [x for x in out[j] if not x.startswith(drop)]
    return out


def block_bounds(n: int, folds: int) -> list[int]:
    """Limits of ``folds`` contiguous blocks over ``n`` sentences (a block shares no document with the rest)."""
    return [round(b * n / folds) for b in range(folds + 1)]


def jackknife_first_stage(sents: Sequence[Sequence[tuple[str, str]]], workdir: Path, lexicon: Lexicon,
                          external: dict[tuple[str, ...], Counter[str]], *, folds: int = 5, c1: float = 0.1,
                          c2: float = 0.01, max_iterations: int = 150, keep: tuple[str, ...] | None = None
                          ) -> list[tuple[list[str], list[float], list[float]]]:
    """First-stage outputs (tags, marginal of each tag, marginal of O) of every training sentence, each from a
    CRF trained without the contiguous block it lies in and run with a gazetteer without that block's names,
    as the shipped CRF meets new text. Each fold's CRF is trained like the shipped one (its own jackknifed
    gazetteers)."""
    import pycrfsuite

    bounds = block_bounds(len(sents), folds)
    outs: list[tuple[list[str], list[float], list[float]]] = []
    for b in range(folds):
        lo, hi = bounds[b], bounds[b + 1]
        rest = [*sents[:lo], *sents[hi:]]
        inner = [Gazetteer.from_counts(merge_names(external, _entity_names(
            s for i, s in enumerate(rest) if i % folds != k))) for k in range(folds)]
        gaz = Gazetteer.from_counts(merge_names(external, _entity_names(rest)))
        model = workdir / f"ner_stage1_fold{b}.crfsuite"
        featurizer = Featurizer(lexicon, gaz)
        train(rest, model, featurizer, c1=c1, c2=c2, max_iterations=max_iterations,
              gazetteers=[inner[i % folds] for i in range(len(rest))], keep=keep)
        crf = pycrfsuite.Tagger()
        crf.open(str(model))
        outs += [first_stage(crf, featurizer.sentence([t for t, _ in s])) for s in sents[lo:hi]]
        LOGGER.info("stacking: fold %d/%d done", b + 1, folds)
    return outs


def train_stack(sents: Sequence[Sequence[tuple[str, str]]], out: Path, featurizer: Featurizer,
                first: Sequence[tuple[list[str], list[float], list[float]]], gazetteers: Sequence[Gazetteer], *,
                folds: int = 5, window: int = 50, options: StackOptions = StackOptions(), c1: float = 0.1,
                c2: float = 0.01, max_iterations: int = 150) -> None:
    """Train the second-stage CRF: each sentence's own features (seen with ``gazetteers``, one per sentence)
    plus the non-local features of its ``window``-sentence document from the jackknifed first stage
    (``first``, one per sentence); documents do not cross the jackknife's blocks."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    base = featurizer.gazetteer
    cache: dict[str, str] = {}
    bounds = block_bounds(len(sents), folds)
    for b in range(folds):
        for lo in range(bounds[b], bounds[b + 1], window):
            hi = min(lo + window, bounds[b + 1])
            feats = []
            for k in range(lo, hi):
                featurizer.gazetteer = gazetteers[k]
                feats.append(featurizer.sentence([t for t, _ in sents[k]]))
            norm = [[_match(t) for t, _ in sents[k]] for k in range(lo, hi)]
            keys = [[_doc_stem(m, featurizer.lexicon, cache) for m in ms] for ms in norm]
            xs = stacked_inputs(norm, keys, feats, None, options, first[lo:hi])
            for k, x in zip(range(lo, hi), xs, strict=True):
                trainer.append(x, [g for _, g in sents[k]])
    featurizer.gazetteer = base
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations,
                        "feature.possible_transitions": True, "feature.minfreq": 1})
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))


def _entity_names(sents: Iterable[Sequence[tuple[str, str]]]) -> dict[tuple[str, ...], Counter[str]]:
    """Match-form names and their type counts from tagged sentences."""
    counts: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for sent in sents:
        for s, e, typ in spans([g for _, g in sent]):
            counts[tuple(_match(t) for t, _ in sent[s:e])][typ] += 1
    return counts


def _main_train(args: argparse.Namespace) -> int:
    datasets = Path(args.datasets)
    out = Path(args.out)
    sents = anercorp_train(datasets)
    LOGGER.info("ANERcorp train: %d sentences, %d tokens", len(sents), sum(len(s) for s in sents))
    lexicon_path = out.parent / LEXICON_PATH.name
    gazetteer_path = out.parent / GAZETTEER_PATH.name
    if not args.rebuild_lexicon and not lexicon_path.exists() and LEXICON_PATH.exists():
        import shutil

        lexicon_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(LEXICON_PATH, lexicon_path)  # training into another folder: the committed lexicon
    if args.rebuild_lexicon or not lexicon_path.exists():
        build_lexicon(datasets, lexicon_path)
    lexicon = Lexicon.load(lexicon_path)
    external = external_names(datasets)
    own = _entity_names(sents)
    full = merge_names(external, own)
    Gazetteer.from_counts(full).save(gazetteer_path)
    # Jackknife: each training sentence sees a gazetteer built from the other folds (plus the external lists).
    folds = 5
    fold_gaz = []
    for k in range(folds):
        other = _entity_names(s for i, s in enumerate(sents) if i % folds != k)
        fold_gaz.append(Gazetteer.from_counts(merge_names(external, other)))
    per_sentence = [fold_gaz[i % folds] for i in range(len(sents))]
    extra = wikifane_train(datasets, args.wikifane_tokens) if args.wikifane_tokens > 0 else []
    if extra:
        # WikiFANE sentences see a gazetteer without WikiFANE's own names.
        LOGGER.info("WikiFANE: %d sentences, %d tokens", len(extra), sum(len(s) for s in extra))
        wiki_gaz = Gazetteer.from_counts(merge_names(external_names(datasets, wiki=False), own))
        per_sentence += [wiki_gaz] * len(extra)
    featurizer = Featurizer(lexicon, Gazetteer.load(gazetteer_path))
    keep = FIRST_STAGE_FEATURES if args.stack else None
    train([*sents, *extra], out, featurizer, c1=args.c1, c2=args.c2, max_iterations=args.iterations,
          gazetteers=per_sentence, masked_copies=args.masked_copies, keep=keep)
    LOGGER.info("wrote %s", out)
    stack_path = out.parent / STACK_PATH.name
    if not args.stack:
        stack_path.unlink(missing_ok=True)
        return 0
    import tempfile

    with tempfile.TemporaryDirectory(prefix="marsad-ner-") as tmp:
        first = jackknife_first_stage(sents, Path(tmp), lexicon, external, c1=args.c1, c2=args.c2,
                                      max_iterations=args.iterations, keep=FIRST_STAGE_FEATURES)
    train_stack(sents, stack_path, featurizer, first, per_sentence[: len(sents)], options=STACK_OPTIONS,
                c1=args.c1, c2=args.c2, max_iterations=args.iterations)
    LOGGER.info("wrote %s", stack_path)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m marsad.ner train --datasets DIR --out FILE`` or ``python -m marsad.ner tag --conll FILE``."""
    parser = argparse.ArgumentParser(prog="python -m marsad.ner", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_train = sub.add_parser("train", help="train the CRF (and its lexicon and gazetteer) from the datasets")
    p_train.add_argument("--datasets", default=str(Path(__file__).resolve().parents[2].parent / "shared/datasets"))
    p_train.add_argument("--out", default=str(MODEL_PATH))
    p_train.add_argument("--c1", type=float, default=0.1, help="L1 regularisation")
    p_train.add_argument("--c2", type=float, default=0.01, help="L2 regularisation")
    p_train.add_argument("--iterations", type=int, default=150, help="L-BFGS iterations")
    p_train.add_argument("--masked-copies", action=argparse.BooleanOptionalAction, default=False,
                         help="also train on copies of the sentences with the names' identity features removed")
    p_train.add_argument("--wikifane-tokens", type=int, default=0,
                         help="add this many tokens of WikiFANE sentences to the training data (0: none)")
    p_train.add_argument("--stack", action=argparse.BooleanOptionalAction, default=False,
                         help="train the stacked tagger instead of one full CRF: a light first-stage CRF (--out) and "
                              "the second-stage CRF over its document-level outputs (ner_stack.crfsuite beside it)")
    p_train.add_argument("--rebuild-lexicon", action="store_true",
                         help="recount words and relearn clusters from SaudiNewsNet (slow)")
    p_tag = sub.add_parser("tag", help="tag a CoNLL file (one token per line)")
    p_tag.add_argument("--conll", required=True)
    args = parser.parse_args(list(argv) if argv is not None else None)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "train":
        try:
            return _main_train(args)
        except InputError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    with open(args.conll, encoding="utf-8-sig") as f:
        for line in tag_conll(f):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
