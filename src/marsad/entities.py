"""Entity mentions in articles, and their unification across spellings and outlets.

:func:`extract_mentions` tags an article's text with the NER tagger and returns its names as written,
without the clitics glued to their first word (وبوتين → بوتين, للأمم → الأمم) and, for a person, without
the title or office the tagger took into the span (الأمير محمد بن نايف ولي العهد → محمد بن نايف).

:func:`unify` groups mentions into :class:`~marsad.records.Entity` records. Two spellings join when

* their *key* is equal: the match form with the letters outlets swap for foreign sounds folded
  (ج غ ق ك for g, a final نغ/نج for ng, تش for ch, hamza seats dropped, doubled letters single), or
* every word's *skeleton* (the key without its long vowels ا و ي) is equal, the skeleton is long
  enough, and the keys are close (rapidfuzz ratio), or
* a place, organisation or other name is written with and without «ال» (الدولار / دولار, الفيفا / فيفا)
  and has the same type both ways (not persons: حسن and الحسن are two names), or
* one is a person's single name (بوتين، كيم) that matches the first or last word of a longer name of a
  person: in an article that also names it in full, the longer name that article names far more often
  than its other candidates (per article: «الغامدي» of two articles can be two people); elsewhere the one
  longer name of the same story (or, without stories, of the whole batch), or the one that dominates its
  mentions. In an article, a name of several words joins the longer name it begins or ends (نصر الله →
  حسن نصر الله, منصور هادي → عبد ربه منصور هادي) the same way, except the end of a lineage, which is the
  father (خالد بن عبدالعزيز in فيصل بن خالد بن عبدالعزيز), and a family (آل سعود).

A country named by its official name (كوريا الديمقراطية، جمهورية كوريا الشعبية الديمقراطية، المملكة المتحدة,
found in the text even where the tagger takes only «كوريا» out of it) or, as a place, by its adjective
(الكورية الشمالية) is the country under its common name (:mod:`marsad.countries`).

An entity's type is the majority of the tagger's types for its mentions, except that a person or MISC
whose spelling is one of CLDR's Arabic country or city names (babel) is a place: the tagger reads the
Korean-looking بيونغ يانغ as a person.

Precision over recall: names whose words differ in any consonant beyond those swaps never join, so
كيم جونغ أون stays apart from كيم جونغ إيل and كوريا الشمالية from كوريا الجنوبية. An ambiguous
short form (فلاديمير with both بوتين and زيلينسكي in the story) stays on its own.

Entity ids are ``stable_id("e", type, key)`` of the entity's display name, so the same entity gets the
same id in every run; entities passed as ``previous`` keep their ids.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache

from rapidfuzz.distance import Indel

from marsad import arabic, countries, ner
from marsad.records import Article, Entity, EntityMention, EntityType, stable_id

LOGGER = logging.getLogger(__name__)

__all__ = [
    "article_entity_keys",
    "extract_mentions",
    "find_aliases",
    "name_key",
    "same_name",
    "skeleton",
    "unify",
]

_G_RE = re.compile("[جغقكگ]")
_NG_END_RE = re.compile("نG(?= |$)")
_CH_RE = re.compile("تش")
_HAMZA_RE = re.compile("ء")
_DOUBLE_RE = re.compile(r"(\D)\1+")  # letters only: 2022 is not 2002
_ABD_RE = re.compile(r"\b(عبد|ابو|ابي|ابن) (?=\S)")
_NON_LETTER_RE = re.compile(f"[^{arabic.ARABIC_LETTER}a-z0-9 ]")
_LONG_VOWEL_RE = re.compile("(?<=\\S)[اوي](?=\\S)")
_TYPES: tuple[EntityType, ...] = ("PER", "LOC", "ORG", "MISC")
_CLITIC_LETTERS = frozenset("وفبل")
_MARK_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_LINE_RE = re.compile(r"[^\n]+")
_ARABIC_RE = re.compile(f"^[{arabic.ARABIC_LETTER}]+$")

_SON_OF = frozenset({"بن", "ابن", "بنت", "ابنه"})  # keys (match form)
_LINEAGE_LINKS = _SON_OF | {"ال", "ولد"}  # a lineage or a family name goes on after them
_FAMILY = frozenset({"ال"})  # آل (of آل سعود) as a key

FUZZY_MIN = 70.0  # rapidfuzz ratio (0-100) of two keys whose skeletons are equal
DOMINANCE = 3  # a short name joins a candidate named this many times as often as the other candidates together
SKELETON_MIN = 4  # letters a word's skeleton needs before skeleton + fuzzy matching may join it


def name_key(text: str) -> str:
    """Transliteration-aware key of a name: equal for كيم جونغ أون / كيم جونج أون / كيم جون أون."""
    m = arabic.match(text)
    m = _NON_LETTER_RE.sub(" ", m)
    m = " ".join(m.split())
    m = _ABD_RE.sub(r"\1", m)
    m = _HAMZA_RE.sub("", m)
    m = _G_RE.sub("G", m)
    m = _CH_RE.sub("ش", m)
    m = _DOUBLE_RE.sub(r"\1", m)
    m = _NG_END_RE.sub("ن", m)
    return m


def skeleton(key: str) -> str:
    """The key without its long vowels (ا و ي inside a word; the first and last letters stay, so أوكرانيا
    and أوكراني differ): بيونج يونج → بن ين."""
    return _LONG_VOWEL_RE.sub("", key)


def _same_word(a: str, b: str, min_skeleton: int = SKELETON_MIN) -> bool:
    """Two key words name the same thing (equal, or equal skeletons long enough and close keys)."""
    if a == b:
        return True
    sa = skeleton(a)
    if sa != skeleton(b) or len(sa[2:] if sa.startswith("ال") else sa) < min_skeleton:  # the article is no letter
        return False
    if min_skeleton < SKELETON_MIN:  # a short word inside a longer name: the whole name is compared instead
        return True
    return Indel.normalized_similarity(a, b) * 100 >= FUZZY_MIN


def same_name(a: str, b: str) -> bool:
    """Two keys are spellings of the same name: the same number of words, each the same word.

    In a name of several words a short word may differ in its long vowels only (بيونغ يانغ / بيونج يونج)
    when the whole name's skeleton is long enough and the two keys are close."""
    if a == b:
        return True
    wa = a.split()
    wb = b.split()
    if len(wa) != len(wb):
        return False
    min_skeleton = 2 if len(wa) > 1 and len(skeleton(a).replace(" ", "")) >= 4 else SKELETON_MIN
    if not all(_same_word(x, y, min_skeleton) for x, y in zip(wa, wb, strict=True)):
        return False
    return Indel.normalized_similarity(a, b) * 100 >= FUZZY_MIN


# ---------------------------------------------------------------------------------------------- mentions


def extract_mentions(article: Article, tagger: ner.Tagger | None = None) -> list[EntityMention]:
    """Names in ``article.text`` with their character offsets, surface form as written without clitics.

    ``tagger`` is a :class:`marsad.ner.Tagger` (the committed one when None). Each line is tagged on its own,
    so a name never runs across a paragraph break."""
    tg = tagger or ner.load_tagger()
    text = article.text
    sents: list[list[tuple[int, int, str]]] = []
    for line in _LINE_RE.finditer(text):
        toks = [(s + line.start(), e + line.start(), t) for s, e, t in ner.tokenize(line.group(0))]
        words = [t for _, _, t in toks]
        sents.extend(toks[s:e] for s, e in ner.sentences(words))
    tagged = tg.tag_sentences([[t for _, _, t in sent] for sent in sents])  # one document: names propagate
    out: list[EntityMention] = []
    for sent, tags in zip(sents, tagged, strict=True):
        for i, tag in enumerate(tags):
            if tag == "O" and (clitic := _rare_cldr_place(sent[i][2], tg)) is not None:
                mention = _mention(article.id, text, sent[i : i + 1], "LOC", tg, clitic=clitic)
                if mention is not None:
                    out.append(mention)
        found = _through_name_particles(sent, [_with_head_words(sent, x, tg) for x in ner.spans(tags)], tg)
        found = _join_place_heads(sent, found, tg)
        found = _sur_toponyms(sent, found, tg)
        found = [x for span in found for x in _organisation_then_person(sent, span, tg)]
        official = _official_names(sent)
        if official:
            found = _with_official_names(found, official)
        for s, e, typ in found:
            if (s, e) in official:  # one name: «المملكة المتحدة لبريطانيا العظمى وأيرلندا الشمالية»
                mention = _mention(article.id, text, sent[s:e], typ, tg, clitic=official[(s, e)])
                if mention is not None:
                    out.append(mention)
                continue
            if e - s == 1 and _is_amount([t for _, _, t in sent[max(0, s - 2) : s]], sent[s][2]):
                continue  # «500 ريال», «مليون دولار»: an amount of money, no name
            if e - s == 1 and _is_levantine_month(sent, s, tg):
                continue  # «أبريل (نيسان) الماضي»: a month, not Nissan
            if e - s == 1 and _is_the_year([t for _, _, t in sent[max(0, s - 2) : s]], tg.strip_clitics(sent[s][2]),
                                           sent[e][2] if e < len(sent) else ""):
                continue  # «السنة المالية», «هذه السنة»: the year, not the Sunnis
            places = _after_places_head(sent, s, tg)
            parts = _split_coordination(sent[s:e], tg, dash=typ == "PER", places=places)
            if typ == "ORG" and _head_over_places(parts, tg):
                parts[0], typ = parts[0][1:], "LOC"  # «تحالف موسكو وبيونغ يانغ»: two places
            for part in parts:
                first = part[0][2]  # a rare place after «و» the clitic rules kept whole: «وبوكروفسكي»
                wa = (places and part[0][0] > sent[s][0] and arabic.match(first)[:1] == "و"
                      and tg.strip_clitics(first) == first)
                mention = _mention(article.id, text, part, typ, tg, clitic="و" if wa else None)
                if mention is not None:
                    out.append(mention)
    return _without_adverbs(_trim_unknown_words(_rejoined_countries(out, text), text, tg), tg)


_COMMA_AND_RE = re.compile(r"^\s*[،,]\s*و?$")


def _rejoined_countries(mentions: list[EntityMention], text: str) -> list[EntityMention]:
    """Two places that a list cut apart with a comma where together they are one country: «(ألبانيا،
    والبوسنة، والهرسك، وبلغاريا…)» names Bosnia and Herzegovina, not two places (CLDR's «البوسنة والهرسك»,
    «ترينيداد وتوباغو»)."""
    out: list[EntityMention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (prev is not None and prev.type == m.type == "LOC" and _COMMA_AND_RE.match(text[prev.end : m.start])
                and text[prev.end : m.start].rstrip().endswith("و")
                and f"{arabic.match(prev.text)} و{arabic.match(m.text)}" in countries.country_names()):
            out[-1] = replace(prev, end=m.end, text=f"{prev.text} و{m.text}")
            continue
        out.append(m)
    return out


_ALIAS_GAP_RE = re.compile(r"^\s*\(\s*[«\"“]?$")
_ALIAS_END_RE = re.compile(r"^[»\"”]?\s*\)")


def find_aliases(text: str, mentions: Sequence[EntityMention]) -> list[tuple[str, str]]:
    """(full name, alias) for each organisation or other name (not a person, not a place) of several words
    that ``text`` follows with a one-word name of the same type in brackets: «حلف شمال الأطلسي (الناتو)»,
    «الاتحاد الدولي لكرة القدم (فيفا)», «وكالة الأنباء السعودية (واس)». ``mentions`` are the article's, in
    the order of the text (``extract_mentions``)."""
    out: list[tuple[str, str]] = []
    ordered = sorted(mentions, key=lambda m: m.start)
    for m, nxt in zip(ordered, ordered[1:], strict=False):
        if (m.type == nxt.type and m.type in ("ORG", "MISC") and " " in m.text and " " not in nxt.text
                and _ALIAS_GAP_RE.match(text[m.end : nxt.start]) and _ALIAS_END_RE.match(text[nxt.end : nxt.end + 4])
                and name_key(nxt.text) not in _place_keys()):
            out.append((m.text, nxt.text))
    return out


ALIAS_MIN = 2  # times the batch must give a name and its alias together for them to be one


def _trusted_aliases(aliases: Iterable[tuple[str, str]], by_key: Mapping[str, int], uf: _Groups,
                     group_keys: Sequence[tuple[str, str]]) -> list[tuple[int, int]]:
    """The (full name, alias) group pairs of ``unify`` that the batch gives ``ALIAS_MIN`` times or more (a
    group: its spellings and clitic forms so far, «لحلف شمال الأطلسي» is «حلف شمال الأطلسي»), of the same type,
    or once where the full name is a body's (``_named_body``) and the alias a word the news seldom writes (an
    acronym: «(الناتو)», «(آياتا)»; «مجلس الأمن الدولي (سيلفي)» is a gloss, "selfie"). Once is too little for
    other names: «ممفيس ديباي (آيندهوفن)» is a player and his club, both tagged organisations, «الأمم المتحدة
    (اليونيسيف)» a name cut short. Not a full name that is the start of another one given the same
    alias («الاتحاد الدولي (الفيفا)» beside «الاتحاد الدولي لكرة القدم (الفيفا)»: a federation, cut short)."""
    counts: Counter[tuple[int, int]] = Counter()
    keys: dict[tuple[int, int], set[str]] = defaultdict(set)
    rare: dict[tuple[int, int], bool] = {}  # an alias the news seldom writes: an acronym, not a gloss
    lexicon = ner.load_tagger().lexicon
    for full, alias in aliases:
        i, j = by_key.get(_group_key(full)), by_key.get(_group_key(alias))
        if i is None or j is None or group_keys[i][0] != group_keys[j][0]:
            continue
        pair = (uf.find(i), uf.find(j))
        if pair[0] != pair[1]:
            counts[pair] += 1
            keys[pair].add(group_keys[i][1])
            rare[pair] = rare.get(pair, True) and lexicon.count(arabic.match(alias)) < COMMON_WORD_MIN
    by_alias: dict[int, set[str]] = defaultdict(set)  # alias group → the full names given it
    for (_, j), ks in keys.items():
        by_alias[j] |= ks
    return [pair for pair, n in counts.items()
            if (n >= ALIAS_MIN or rare[pair] and any(_named_body(k) for k in keys[pair]))
            and not any(other.startswith(k + " ") for k in keys[pair] for other in by_alias[pair[1]])]


_BODY_HEADS = frozenset(name_key(w) for w in (
    "منظمة", "اتحاد", "حلف", "وكالة", "مجلس", "هيئة", "جمعية", "حزب", "صندوق", "بنك", "مؤسسة", "رابطة", "حركة",
    "تنظيم", "جماعة", "جبهة", "شركة"))


def _named_body(key: str) -> bool:
    """The key begins with the word for a body (منظمة، اتحاد، حلف، وكالة…, with «ال» or a clitic «ل») and
    names no other body inside it (not «اللجنة التنفيذية للاتحاد الدولي لكرة القدم», whose alias is the
    federation's): a full name whose bracketed alias one article is enough to trust."""
    words = key.split()
    if len(words) < 2:
        return False

    def head(w: str) -> str:
        for p in ("لل", "ال", "ل"):
            if w.startswith(p) and w[len(p):] in _BODY_HEADS:
                return w[len(p):]
        return w if w in _BODY_HEADS else ""

    return bool(head(words[0])) and not any(w.startswith("لل") and head(w) for w in words[1:])


def _without_adverbs(mentions: list[EntityMention], tagger: ner.Tagger) -> list[EntityMention]:
    """Without the one-word persons that are an adverb (``_accusative_of_noun``: «آتياً من كوريا الشمالية»,
    coming from; «تالياً», «فعلياً»), unless the article names a person whose last word it is (سيدا of «عبد
    الباسط سيدا», رينا of «سانغاي رينا»)."""
    last = {name_key(m.text.split()[-1]) for m in mentions if m.type == "PER" and " " in m.text}
    return [m for m in mentions if not (m.type == "PER" and " " not in m.text and name_key(m.text) not in last
                                        and _accusative_of_noun(arabic.match(m.text), tagger))]


RARE_PLACE_MAX = 20  # a CLDR place spelling the news lexicon holds fewer times than this is read as the place
RARE_PLACE_LETTERS = 5  # … when it has at least this many letters (not لومي «blame me», Lomé)
RARE_PLACE_SIMILARITY = 0.8  # … or differs from the CLDR spelling in long vowels and hamza only, this close


@lru_cache(maxsize=1)
def _cldr_one_word_places() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """CLDR's one-word place names (match form), and those names without hamza by their skeleton."""
    exact: set[str] = set()
    by_skeleton: dict[str, list[str]] = defaultdict(list)
    for n in _cldr_places():
        m = arabic.match(n)
        if " " in m or not _ARABIC_RE.match(m):
            continue
        exact.add(m)
        f = _HAMZA_RE.sub("", m)
        by_skeleton[skeleton(f)].append(f)
    return frozenset(exact), {k: tuple(v) for k, v in by_skeleton.items()}


_ADJECTIVE_ENDINGS = ("يا", "ية", "يه", "ين", "ون")  # فرنسيا «French» (accusative), not فرنسا


@lru_cache(maxsize=1 << 16)  # per word as written: most words recur
def _rare_cldr_place(token: str, tagger: ner.Tagger) -> str | None:
    """The clitics (match form, "" for none) of an untagged word that is a place: without them, a CLDR
    country or city (babel) that the news rarely writes so — the tagger's gazetteer has the countries only,
    and CLDR's cities are seldom among the training names: فلاديفوستوك (CLDR فلاديفوستك), الدنمرك (الدانمرك),
    بتسوانا، مدغشقر. None for any other word. Precision first: the word must be rare in the news lexicon (a
    common word that happens to share a city's letters, such as «العيون» or «إجراء», Accra's key, is not
    read), long enough, and differ from the CLDR spelling in long vowels and hamza only (no ج/غ/ق/ك swap:
    كياناً is no غيانا), not by an adjective ending (فرنسيا, «French»)."""
    whole = arabic.match(token)
    if len(whole) < RARE_PLACE_LETTERS or tagger.lexicon.count(whole) >= RARE_PLACE_MAX:
        return None  # most words: common as written, so common without their clitics too
    stripped = arabic.match(tagger.strip_clitics(token))
    tries = [stripped]
    # the tagger's stripping keeps the و of a word it does not know (وفلاديفوستوك)
    for n in (1, 2):
        if len(whole) > n and all(c in _CLITIC_LETTERS for c in whole[:n]) and whole[n:] != stripped:
            tries.append(whole[n:])
    for m in tries:
        if _is_rare_cldr_place(m, tagger):
            return whole[: len(whole) - len(m)] if whole.endswith(m) else None
    return None


def _is_rare_cldr_place(m: str, tagger: ner.Tagger) -> bool:
    if len(m) < RARE_PLACE_LETTERS or not _ARABIC_RE.match(m) or tagger.lexicon.count(m) >= RARE_PLACE_MAX:
        return False
    exact, by_skeleton = _cldr_one_word_places()
    if m in exact:
        return True
    f = _HAMZA_RE.sub("", m)
    sk = skeleton(f)
    if len(sk[2:] if sk.startswith("ال") else sk) < RARE_PLACE_LETTERS:
        return False
    for g in by_skeleton.get(sk, ()):
        if f.endswith(_ADJECTIVE_ENDINGS) and not g.endswith(f[-2:]):
            continue
        if Indel.normalized_similarity(f, g) >= RARE_PLACE_SIMILARITY:
            return True
    return False


# Currencies (match form, with their accusative and plural forms) and the number words an amount uses.
_CURRENCIES = frozenset(arabic.match(w) for c in (
    "ريال", "دولار", "يورو", "دينار", "درهم", "جنيه", "ليرة", "روبل", "يوان", "روبية", "فرنك", "استرليني",
) for w in (c, c + "ا", c + "اً", c + "ًا", c + "ات"))
_CLOSERS = frozenset(")]»”\"'/")
_OPENERS = frozenset("([«“\"'")
_NUMBER_WORDS = frozenset(arabic.match(w) for w in (
    "ألف", "آلاف", "ألفا", "مليون", "ملايين", "مليونا", "مليار", "مليارات", "مليارا", "مئة", "مائة", "مئات",
    "عشرات", "ترليون", "تريليون", "بليون", "بلايين", "بليونا", "ملياري", "مليوني", "ألفي", "مئتي", "مائتي",
    "مئتين", "مائتين", "ربع", "نصف", "ثلث", "واحد", "اثنين", "اثنان", "ثلاثة", "ثلاث", "أربعة", "أربع", "خمسة", "خمس",
    "ستة", "ست", "سبعة", "سبع", "ثمانية", "ثماني", "تسعة", "تسع", "عشرة", "عشر",
    *(t + e for t in ("عشر", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع") for e in ("ون", "ين")),
    *(h + "مائة" for h in ("ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع")),
    *(h + "مئة" for h in ("ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع")),
))
# The Levantine months; one is the month next to the Gregorian one («أبريل (نيسان) الماضي», «في نيسان (أبريل)»),
# not Nissan the carmaker or Tammuz the name.
_LEVANTINE_MONTHS = frozenset(arabic.match(w) for w in (
    "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين", "كانون"))


def _is_levantine_month(sent: Sequence[tuple[int, int, str]], i: int, tagger: ner.Tagger) -> bool:
    """The token ``sent[i]`` is a Levantine month next to its Gregorian name (brackets between allowed)."""
    if arabic.match(tagger.strip_clitics(sent[i][2])) not in _LEVANTINE_MONTHS:
        return False
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(sent) and not any(c.isalnum() for c in sent[k][2]):
            k += step
        if 0 <= k < len(sent) and abs(k - i) <= 2 and (
                arabic.match(tagger.strip_clitics(sent[k][2])) in _MONTHS):
            return True
    return False


def _is_currency_name(counts: Mapping[str, int]) -> bool:
    """Most of an entity's mentions are one currency word («اليورو», «الدولار»; not «ريال مدريد»)."""
    money = 0
    for v, n in counts.items():
        m = arabic.match(v).strip()
        if " " not in m and (m[2:] if m.startswith("ال") else m) in _CURRENCIES:
            money += n
    return money * 2 > sum(counts.values())


_YEAR_BEFORE = frozenset(arabic.match(w) for w in (
    "هذه", "تلك", "نصف", "ونصف", "نهاية", "بداية", "مطلع", "منتصف", "طوال", "طيلة", "خلال", "فصول", "رأس",
    "مدار", "أعمال", "إنهاء", "آخر", "أول", "أيام", "أشهر", "شهور", "قرابة", "طول", "مدى", "ربع", "ثلث"))
# … or «في/من السنة» after a count or a span of time: «مرتين في السنة», «2.1% في السنة», «ستة أشهر من السنة»
_PER_YEAR = frozenset(arabic.match(w) for w in (
    "مرة", "مرتين", "مرات", "يوم", "يوما", "أيام", "أسبوع", "أسابيع", "شهر", "شهرا", "أشهر", "شهور", "واحدة"))


def _is_the_year(before: Sequence[str], token: str, after: str) -> bool:
    """«السنة» (as written, clitics apart) is the year, not the Sunnis: after a word of time or quantity
    (هذه السنة، لهذه السنة، نصف السنة، أعمال السنة), «في/من السنة» after a count or a span of time (مرتين في
    السنة، 2.1% في السنة، أول ستة أشهر من السنة), or before a feminine adjective with «ال» (السنة المالية، السنة
    الثالثة، السنة الدراسية; not «السنة والشيعة», «أهل السنة», «مساجد للسنة»). ``before``: the words before it."""
    if arabic.match(token) not in ("السنه", "سنه"):
        return False
    nxt = arabic.match(after)
    prev = [arabic.match(w) for w in before]
    last = prev[-1] if prev else ""
    if last in _YEAR_BEFORE or (last[:1] in ("ل", "و", "ب") and last[1:] in _YEAR_BEFORE):
        return True
    if last in ("في", "من") and len(prev) > 1 and (
            prev[-2] in _PER_YEAR or prev[-2] == "%" or any(c.isdigit() for c in prev[-2])):
        return True
    return nxt.startswith("ال") and nxt.endswith("ه") and len(nxt) > 4


def _is_amount(before: Sequence[str], token: str) -> bool:
    """``token`` is a currency after a number (``before``: the tokens before it): ثلاثة ملايين ريال، 500 دولار،
    (1.870.000) ريال، ربع المليون ريال."""
    if arabic.match(token) not in _CURRENCIES or not before:
        return False
    prev = list(before)
    if len(prev) > 1 and prev[-1] in _CLOSERS:  # (164,781,745 ) ريالاً
        prev.pop()
    m = arabic.match(prev[-1])
    for form in (m, m[1:] if m[:1] == "و" else "", m[2:] if m.startswith("ال") else ""):
        if form and (any(c.isdigit() for c in form) or form in _NUMBER_WORDS):
            return True
    return False


def _trim_unknown_words(mentions: list[EntityMention], text: str, tagger: ner.Tagger) -> list[EntityMention]:
    """Cut off the word the tagger glued to a name the article also gives on its own.

    * A person's two-word mention whose first word is a name the article also gives alone or a foreign
      surname of it (the last word of a longer name, not after بن and not the first word of any known
      name: بوتين of فلاديمير بوتين), and whose second word looks like a verb (a present tense's or future's
      prefix, no nisba ending; «سيرى», «يرى» with their alef maqsura), is in no known name and in no other
      person's mention of the article: «كيم ستنتهك»، «الأسد يعفو»، «ترامب سيرى» → كيم، الأسد، ترامب. Not any
      unknown word: Saudi surnames often are (محمد النحيت with «محمد» alone), and so are foreign first
      names (أولاف شولتس with «شولتس» alone).
    * After such a foreign surname, a definite adjective in no known name that the article uses only there:
      «أسلوب بوتين الكلاسيكي» → بوتين. Not after a first name (محمد القحطاني: محمد begins known names).
    * A country's adjective after a rare one-word name of an organisation or person the article names
      without it, with the same type: «وكالة تاس الروسية» → تاس (where «تاس» is named alone too); not
      after a common word («البنك المركزي الإيراني»، «النصر السعودي» stay whole).
    * A known place without «ال» glued to a person named elsewhere in the article (not by a first name),
      or to a known single name (the gazetteer's) that is no name together with the place: «زار أوربان
      موسكو»، «اتهم البنتاغون موسكو» → أوربان | موسكو, البنتاغون | موسكو (but «لوكوموتيف موسكو», one known
      name, stays)."""
    people = [m for m in mentions if m.type == "PER"]
    alone = {name_key(m.text) for m in people if " " not in m.text}
    surnames = {k for m in people if " " in m.text
                for *head, k in [name_key(m.text).split()]
                if head and name_key(head[-1]) not in _LINK_KEYS and k not in _first_name_keys(tagger)}
    singles = {(m.type, name_key(m.text)) for m in mentions}
    uses = Counter(w for m in people for w in set(name_key(m.text).split()))
    known = tagger.gazetteer.words

    def verb(word: str) -> bool:
        m = arabic.match(word)
        shown = arabic.dediacritise(arabic.display(word))
        if uses[name_key(word)] != 1:
            return False
        if re.match(r"^س[يتن]\S+ى$", shown) or re.match(r"^[يتن]\S{1,3}ى$", shown) and m not in known:
            return True  # سيرى، يرى، تبقى: a verb's alef maqsura (a nisba ends with ي)
        return m not in known and _VERB_RE.match(m) is not None

    def adjective(word: str) -> bool:
        m = arabic.match(word)
        return uses[name_key(word)] == 1 and m.startswith("ال") and m not in known and len(m) > 4

    person_keys = Counter(name_key(m.text) for m in people)
    last_words = Counter(name_key(m.text.split()[-1]) for m in people if " " in m.text)

    def named(key: str, own_last: str) -> bool:  # a person's name or the surname of another mention's name
        return person_keys[key] >= 1 or last_words[key] - (key == own_last) >= 1

    out: list[EntityMention] = []
    for m in mentions:
        words = m.text.split()
        raw = text[m.start : m.end].split()
        if len(words) != len(raw) or len(words) < 2:
            out.append(m)
            continue
        if m.type == "PER" and (edged := _without_edge_word(m, words, raw, text, named, tagger)) is not None:
            out.append(edged)
            continue
        first = name_key(words[0])
        cut = None  # how many words to keep
        if m.type == "PER" and len(words) == 2:
            if (first in alone or first in surnames) and verb(words[1]):
                cut = 1
            elif first in surnames and adjective(words[1]):
                cut = 1
        if (cut is None and m.type != "LOC" and len(words) == 2
                and countries.country_of_adjective(arabic.match(words[-1]))
                and (m.type, first) in singles and tagger.lexicon.count(arabic.match(words[0])) < COMMON_WORD_MIN):
            cut = 1
        if cut is not None:
            end = m.start + len(" ".join(raw[:cut])) if text[m.start : m.end].startswith(" ".join(raw[:cut])) else None
            if end is not None:
                out.append(replace(m, end=end, text=" ".join(words[:cut])))
                continue
        if m.type != "LOC" and len(words) == 2:
            split = _person_and_place(m, words, raw, text, tagger, alone | surnames)
            if split:
                out.extend(split)
                continue
        out.append(m)
    return [_surname_person(m, text, surnames, tagger) for m in out]


# prepositions a headline glues before a name («خسر أمام مورينيو»), as written (أمام, not إمام of عادل إمام;
# not خلف, also a given name)
_GLUED_PREPOSITIONS = frozenset(("أمام", "ضد", "برفقة", "بحضور", "بصحبة", "وراء", "تجاه"))
_VERB_PREFIXES = ("ي", "ت", "ن", "سي", "ست", "سن")
CONJUGATED_MIN = 2  # other persons or tenses of a verb the news writes, for a word to be read as that verb


def _conjugated(m: str, tagger: ner.Tagger) -> bool:
    """``m`` (match form) is a verb in the present or future: the news also writes its stem with at least
    ``CONJUGATED_MIN`` other prefixes (سيلتقي: يلتقي، تلتقي، نلتقي). Foreign given names that look like one
    (يواخيم، تياغو، سيرخيو، يوكيا — نوكيا is one form only) have no such forms."""
    if m[:1] == "س" and m[1:2] in ("ي", "ت", "ن"):
        stem = m[2:]
    elif m[:1] in ("ي", "ت", "ن"):
        stem = m[1:]
    else:
        return False
    if len(stem) < 3:
        return False  # يوم، نوم: nouns with the letters of a prefix (سيوم of «سيوم مسفين» is no «سـ» + يوم)
    return sum(1 for p in _VERB_PREFIXES if p + stem != m and tagger.lexicon.count(p + stem) > 0) >= CONJUGATED_MIN


def _glued_word(word: str, tagger: ner.Tagger) -> bool:
    """A word glued to the edge of a person's name that is no name's word: one of ``_GLUED_PREPOSITIONS``, or
    a verb (``_conjugated``: «سيلتقي», «يلتقي») that is no title and in no known name."""
    stripped = tagger.strip_clitics(word)
    if _shown(stripped) in _GLUED_PREPOSITIONS or _shown(word) in _GLUED_PREPOSITIONS:
        return True
    m = arabic.match(stripped)
    if m in tagger.gazetteer.words or m in _TITLES or m in _OFFICES:
        return False
    return _conjugated(m, tagger)


def _without_edge_word(m: EntityMention, words: Sequence[str], raw: Sequence[str], text: str,
                       named: Callable[[str, str], bool], tagger: ner.Tagger) -> EntityMention | None:
    """The person's mention without a first or last word the tagger glued to it («سيلتقي كيري», «أمام
    مورينيو», «دي ميستورا سيلتقي»), when the rest is a person the article names elsewhere (``named(rest key,
    the mention's own last word key)``) and the word is ``_glued_word``; None when nothing is cut."""
    span = text[m.start : m.end]
    last = name_key(words[-1])
    if named(name_key(" ".join(words[1:])), last) and _glued_word(raw[0], tagger):
        second = span.find(raw[1], len(raw[0]))
        if second > 0:
            return replace(m, start=m.start + second, text=" ".join(words[1:]))
    if named(name_key(" ".join(words[:-1])), last) and _glued_word(raw[-1], tagger):
        kept = " ".join(raw[:-1])
        if span.startswith(kept):
            return replace(m, end=m.start + len(kept), text=" ".join(words[:-1]))
    return None


def _surname_person(m: EntityMention, text: str, surnames: frozenset[str] | set[str],
                    tagger: ner.Tagger) -> EntityMention:
    """A one-word organisation, place or other name that is the surname of a person the article names in
    full is that person: «وقدم الحاكم كويمياكو» (tagged ORG after the title) of «أوليغ كويمياكو», «لينجارد» of
    «جيسي لينجارد». Not a word the gazetteer knows as a place or an organisation, nor a CLDR place, nor a
    name followed by a country's adjective («ريفربليت الأرجنتيني»: the club, where the tagger had glued a
    player's first name to it)."""
    if m.type == "PER" or " " in m.text:
        return m
    k = name_key(m.text)
    if k not in surnames or k in _place_keys():
        return m
    after = text[m.end : m.end + 40].split()
    if after and countries.country_of_adjective(_NON_LETTER_RE.sub("", arabic.match(after[0]))):
        return m
    if tagger.gazetteer.names.get((arabic.match(m.text),)) in ("LOC", "ORG"):
        return m
    return replace(m, type="PER")


_LINK_KEYS = frozenset({"بن", "ابن", "بنت", "ال", "ابو", "عبد", "ولد"})


_KNOWN_WORD_KEYS: dict[int, tuple[ner.Gazetteer, frozenset[str]]] = {}
_FIRST_NAME_KEYS: dict[int, tuple[ner.Gazetteer, frozenset[str]]] = {}


def _first_name_keys(tagger: ner.Tagger) -> frozenset[str]:
    """Keys of the words that begin two or more known people's names of two or more words (محمد، عبد، أحمد)."""
    gaz = tagger.gazetteer
    got = _FIRST_NAME_KEYS.get(id(gaz))
    if got is None or got[0] is not gaz:
        starts = Counter(name_key(k[0]) for k, t in gaz.names.items() if t == "PER" and len(k) > 1)
        got = (gaz, frozenset(k for k, n in starts.items() if n > 1))  # not اوربان of «أوربان الثاني» alone
        _FIRST_NAME_KEYS[id(gaz)] = got
    return got[1]


def _known_word_keys(tagger: ner.Tagger) -> frozenset[str]:
    """Keys of the words of known names (the gazetteer's)."""
    gaz = tagger.gazetteer
    got = _KNOWN_WORD_KEYS.get(id(gaz))
    if got is None or got[0] is not gaz:
        got = (gaz, frozenset(name_key(w) for w in gaz.words))
        _KNOWN_WORD_KEYS[id(gaz)] = got
    return got[1]


def _person_and_place(m: EntityMention, words: Sequence[str], raw: Sequence[str], text: str,
                      tagger: ner.Tagger, people: set[str]) -> list[EntityMention]:
    """The two mentions of «أوربان موسكو» (a name and the place after it), or [] when it is one name."""
    gaz = tagger.gazetteer.names
    place = arabic.match(words[1])
    if place.startswith("ال") or gaz.get((place,)) != "LOC" and place not in countries.country_names():
        return []  # المري، الحدادي، الأحمر: a family name or an adjective more often than a place
    head = arabic.match(words[0])
    if (head, place) in gaz or name_key(words[0]) in _first_name_keys(tagger):
        return []  # سالم الحويطي: a first name goes on
    if name_key(words[0]) in people:
        typ = "PER"
    elif gaz.get((head,)) in ("PER", "ORG") and tagger.lexicon.count(head) < COMMON_WORD_MIN * 10:
        typ = gaz[(head,)]
    else:
        return []
    span = text[m.start : m.end]
    second = span.rfind(raw[1])
    if not span.startswith(raw[0]) or second <= len(raw[0]) - 1:
        return []
    return [replace(m, end=m.start + len(raw[0]), text=words[0], type=typ),  # type: ignore[arg-type]
            replace(m, start=m.start + second, text=words[1], type="LOC")]


@lru_cache(maxsize=200_000)
def _token_match(token: str) -> str:
    """``arabic.match(token)``, cached (news repeats its words)."""
    return arabic.match(token)


@lru_cache(maxsize=1)
def _official_seconds() -> frozenset[str]:
    return frozenset(n[1] for n in countries.official_name_tokens())


_REGION_HEADS = frozenset(arabic.match(w) for w in (
    "الجزيرة", "الخليج", "القرن", "المحيط", "البحر", "الساحل", "الصحراء", "الهضبة", "شبه",
))
_NOT_REGION_ADJECTIVES = frozenset(arabic.match(w) for w in (
    "الحالي", "الحالية", "الماضي", "الماضية", "الثاني", "الثانية", "الجاري", "الجارية", "التالي", "التالية",
))


def _with_region_adjective(sent: Sequence[tuple[int, int, str]], span: tuple[int, int, str]) -> tuple[int, int, str]:
    """A place span that ends with a region's head (شبه الجزيرة، الخليج، القرن) takes the adjective after it,
    which the tagger often leaves out: «شبه الجزيرة الكورية», «القرن الأفريقي»."""
    s, e, typ = span
    if typ != "LOC" or e >= len(sent) or arabic.match(sent[e - 1][2]) not in _REGION_HEADS:
        return span
    head, nxt = arabic.match(sent[e - 1][2]), arabic.match(sent[e][2])
    # the adjective agrees with the head: «الخليج العربي», but «دول الخليج العربية» is the states'
    ending = "يه" if head.endswith("ه") or head == arabic.match("الصحراء") else "ي"
    if (nxt.startswith("ال") and nxt.endswith(ending) and len(nxt) >= 6
            and nxt not in _NOT_REGION_ADJECTIVES):
        return s, e + 1, typ
    return span


_NAMED_AFTER = frozenset(arabic.match(w) for w in ("الملك", "الأمير", "الإمام", "السلطان"))
_NOT_AFTER_TITLE = frozenset(arabic.match(w) for w in (
    "في", "من", "على", "إلى", "عن", "مع", "أو", "ثم", "بعد", "قبل", "عند", "حتى", "منذ", "كما", "الذي", "التي",
))
_NAME_OPENERS = frozenset(arabic.match(w) for w in ("عبد", "أبو", "أبي"))


def _with_title_name(sent: Sequence[tuple[int, int, str]], span: tuple[int, int, str],
                     tagger: ner.Tagger) -> tuple[int, int, str]:
    """A place or organisation span that stops at a title (طريق الملك، جامعة الإمام) takes the name after it,
    with its «بن …» lineage: «طريق الملك عبد الله», «جامعة الإمام محمد بن سعود»."""
    s, e, typ = span
    if typ == "PER" or e >= len(sent) or arabic.match(tagger.strip_clitics(sent[e - 1][2])) not in _NAMED_AFTER:
        return span
    words = [arabic.match(t) for _, _, t in sent[e : e + 8]]
    known = tagger.gazetteer.words
    n = 2 if words[0] in _NAME_OPENERS and len(words) > 1 else 1
    if (not all(_ARABIC_RE.match(w) and w not in _NOT_AFTER_TITLE for w in words[:n])
            or (n == 1 and words[0] not in known)):
        return span
    while n + 1 < len(words) and words[n] in _SON_OF and words[n + 1] in known:
        n += 2
    return s, e + n, typ


# Words that a person's name after them (with a title or not) makes the name of a place or an organisation:
# «طريق الملك عبدالله», «مطار الملك عبدالعزيز الدولي», «مستشفى الملك فهد», «مركز رفيق الحريري».
_FACILITIES = {arabic.match(w): t for ws, t in (
    ("طريق شارع مطار ميناء مدينة حي جسر ميدان دوار مسجد جامع ملعب استاد قصر واحة محافظة", "LOC"),
    ("مركز مستشفى جامعة كلية مؤسسة مجمع معهد مدرسة أكاديمية مكتبة", "ORG"),
    ("جائزة كرسي مهرجان معرض مؤتمر منتدى كأس", "MISC")) for w in ws.split()}


def _facility_name(sent: Sequence[tuple[int, int, str]], span: tuple[int, int, str],
                   tagger: ner.Tagger) -> tuple[int, int, str]:
    """A person's span right after a facility word, with a title between or not («طريق الملك [عبدالله]»,
    «بمستشفى الملك [فهد بجدة]», «مركز [رفيق الحريري]»), is the facility's name: the span takes the word
    (and the title) and the facility's type, and stops before a word with «ب» that names where it is
    («بجدة», «بالعقيق»). A person's span that starts with a facility word is the facility."""
    s, e, typ = span
    if typ != "PER":
        return span
    own = _FACILITIES.get(arabic.match(tagger.strip_clitics(sent[s][2]))) if e - s > 1 else None
    if own is not None:
        return s, e, own  # the tagger took the facility word into the person's span: «شارع الصباغ»
    if s == 0:
        return span
    start = s - 1
    if arabic.match(tagger.strip_clitics(sent[start][2])) in _NAMED_AFTER and start > 0:
        start -= 1
    kind = _FACILITIES.get(arabic.match(tagger.strip_clitics(sent[start][2])))
    if kind is None or (start > 0 and arabic.match(sent[start - 1][2]) == "عن"):
        return span  # «عن طريق البلوي»: "through al-Balawi", no road
    for k in range(s + 1, e):
        tok = sent[k][2]
        m = arabic.match(tok)
        if m[:1] == "ب" and (tagger.strip_clitics(tok) != tok or m[1:3] == "ال" or m[1:] in _FACILITIES
                             or tagger.gazetteer.names.get((m[1:],)) == "LOC"):
            e = k  # «فهد بجدة», «عبدالله بن خميس بحي …»: where the facility is
            break
    return start, e, kind


def _with_head_words(sent: Sequence[tuple[int, int, str]], span: tuple[int, int, str],
                     tagger: ner.Tagger) -> tuple[int, int, str]:
    """The span after the rules that read the words around it: a region's adjective, a title's name, a
    facility's name, a head word that says what it names."""
    span = _with_title_name(sent, _with_region_adjective(sent, _without_trailing_head(sent, span)), tagger)
    span = _typed_by_head(sent, _facility_name(sent, span, tagger), tagger)
    return _named_occasion(sent, _seat_of_power(sent, span, tagger), tagger)


# particles inside a name that never end it, as written (فإن, "for", has the match form of فان): Dutch,
# German, Romance (لويس فان غال، ستيفان دي ميستورا، فان دير فارت، ليوناردو دا فينشي) and Arabic links
# (عبدالعزيز بن …); «لا» and «لو» only go on after one (توماس دي لا رو; alone they are «no» and «if», and لو is
# Jack Lew's name)
_FOREIGN_PARTICLES = frozenset(("فان", "فون", "دي", "دا", "دو", "ديل", "دل", "دير"))
_ARABIC_LINKS = frozenset(("بن", "ابن", "بنت", "أبو", "ابو", "عبد", "آل"))
_NAME_PARTICLES = _FOREIGN_PARTICLES | _ARABIC_LINKS
_NAME_PARTICLES_AFTER = _NAME_PARTICLES | {"لا", "لو"}
_KINSHIP = frozenset(("ابن", "بنت"))  # also "son", "daughter" in prose: «ابن الفقيد», «بنت المعلمة»


def _shown(token: str) -> str:
    return arabic.dediacritise(arabic.display(token))


def _common_noun_after_kinship(token: str, tagger: ner.Tagger) -> bool:
    """A common word (``_common_word``), or a frequent definite word of no known name: «الفقيد», «التاسعة»."""
    m = arabic.match(token)
    return _common_word(token, tagger) or (m.startswith("ال") and m not in tagger.gazetteer.words
                                           and tagger.lexicon.count(m) >= COMMON_WORD_MIN)


def _through_name_particles(sent: Sequence[tuple[int, int, str]], found: Sequence[tuple[int, int, str]],
                            tagger: ner.Tagger) -> list[tuple[int, int, str]]:
    """Spans that end with a particle of a name go on to the word after it: the tagger reads «لويس فان غال»
    as «لويس فان» (غال is a common word, "dear") and «ستيفان دي ميستورا» as «ستيفان دي». A span the longer
    one now reaches into is taken into it (ميستورا tagged on its own). Not across punctuation, nor to a
    number, a function word or a particle; after «ابن» or «بنت» not to a common word either («ابن الفقيد»,
    the late man's son; but «خالد بن جلسة»)."""
    out: list[tuple[int, int, str]] = []
    starts = {s: (s, e, t) for s, e, t in found}
    skip_until = -1
    for s, e, typ in found:
        if s < skip_until:
            continue
        while e < len(sent) and e - s < 8:
            last = _shown(sent[e - 1][2])
            after_particle = e - 1 > s and _shown(sent[e - 2][2]) in _NAME_PARTICLES
            if last not in (_NAME_PARTICLES_AFTER if after_particle else _NAME_PARTICLES):
                break
            nxt = sent[e][2]
            if (not _ARABIC_RE.match(arabic.match(nxt)) or _shown(nxt) in _FUNCTION_WORDS
                    or sent[e][0] > sent[e - 1][1] + 1
                    or last in _KINSHIP and _common_noun_after_kinship(nxt, tagger)):
                break  # «بن.» «فان 2»: no name goes on; nor across a gap (a line or punctuation between)
            e += 1
            if e - 1 in starts:  # the word after was tagged on its own: one name
                e = max(e, starts[e - 1][1])
        skip_until = e
        out.append((s, e, typ))
    return out


_OCCASIONS = frozenset(arabic.match(w) for w in ("خطة", "عيد", "هدنة", "ذكرى"))


def _named_occasion(sent: Sequence[tuple[int, int, str]], span: tuple[int, int, str],
                    tagger: ner.Tagger) -> tuple[int, int, str]:
    """A common definite noun the tagger took for a name right after «خطة», «عيد», «هدنة», «ذكرى» names the
    plan or the feast with them: «خطة النصر» (Zelensky's Victory Plan) is MISC, not the club النصر. A word
    that is also a known name does so only in quotes with its head: «خطة الأهلي» is the club's plan."""
    s, e, typ = span
    if e - s != 1 or s == 0 or typ not in ("ORG", "PER"):
        return span  # «عيد الرياض»: the feast in Riyadh
    m = arabic.match(sent[s][2])
    if (not m.startswith("ال") or arabic.match(tagger.strip_clitics(sent[s - 1][2])) not in _OCCASIONS
            or tagger.lexicon.count(m) < COMMON_WORD_MIN):
        return span
    quoted = s > 1 and sent[s - 2][2] in _OPENERS and e < len(sent) and sent[e][2] in _CLOSERS
    if (m,) in tagger.gazetteer.names and not quoted:
        return span  # «خطة الأهلي»: the club's plan; «“خطة النصر”» in quotes is the plan's name
    return s - 1, e, "MISC"


# a seat of government named for the government, as the news does: an organisation, like «الكرملين» (ANERcorp
# tags «البيت الأبيض» MISC, its training text taught the tagger so)
_SEATS_OF_POWER = frozenset(tuple(arabic.match(w) for w in n.split()) for n in (
    "البيت الأبيض", "الكرملين", "الإليزيه", "قصر الإليزيه", "البنتاغون", "البنتاجون", "داونينغ ستريت",
))


def _seat_of_power(sent: Sequence[tuple[int, int, str]], span: tuple[int, int, str],
                   tagger: ner.Tagger) -> tuple[int, int, str]:
    """A seat of government is an organisation; a span that starts with «فيروس», «جائحة»… is a disease."""
    s, e, typ = span
    words = (arabic.match(tagger.strip_clitics(sent[s][2])), *(arabic.match(t) for _, _, t in sent[s + 1 : e]))
    if typ != "ORG" and words in _SEATS_OF_POWER:
        return s, e, "ORG"
    return (s, e, "MISC") if e - s > 1 and words[0] in _DISEASES else span


# a word that says what the name after it names: a name does not end with it (not after a link: معاذ بن جبل)
_VEHICLES = frozenset(arabic.match(w) for w in (
    "مقاتلة", "مقاتلات", "طائرة", "طائرات", "مروحية", "مروحيات", "قاذفة", "قاذفات", "دبابة", "دبابات", "سفينة",
    "غواصة", "غواصات", "فرقاطة", "حاملة",
))


_RIF = arabic.match("ريف")


@lru_cache(maxsize=1)
def _trailing_heads() -> frozenset[str]:
    return frozenset(_HEAD_TYPES) | _SITE_HEADS | frozenset(_FACILITIES) | _PLACE_HEADS | _VEHICLES


def _without_trailing_head(sent: Sequence[tuple[int, int, str]], span: tuple[int, int, str]) -> tuple[int, int, str]:
    """A span of several words whose last word (as written, without «ال») is a head word of the next name
    stops before it: «في مطار كنيفيتشي مقاتلة «ميغ - 31»» is the airfield كنيفيتشي, then a fighter. Not
    after a name's link («معاذ بن جبل») nor before a closing quote mark."""
    s, e, typ = span
    last = arabic.match(sent[e - 1][2])
    heads = _trailing_heads()
    if e - s < 2 or not (last in heads or (last[:1] == "ب" and (last[1:] in heads or last[1:] == _RIF))):
        return span  # (with «ب»: «أم ولد بريف درعا», in the countryside of Daraa)
    if arabic.match(sent[e - 2][2]) in _NAME_LINKS or (e < len(sent) and sent[e][2] in _CLOSERS):
        return span  # «بعنوان ” الكرسي دوار ”»: a title in quotes is what it is
    return s, e - 1, typ


_DISEASE_HEADS = "فيروس جائحة وباء متحور متلازمة"
_DISEASES = frozenset(arabic.match(w) for w in _DISEASE_HEADS.split())
_PLACES_HEADS = "قريتي قريتين قرى بلدتي بلدتين بلدات مدينتي مدينتين مقاطعتي مقاطعتين محافظتي محافظتين"
_HEAD_TYPES = {arabic.match(w): t for ws, t in (
    ("إعصار الإعصار", "MISC"),  # a hurricane's name (الإعصار ميلتون) is no person
    ("صواريخ صاروخ طراز", "MISC"),  # a weapon or a model (صواريخ «باتريوت») is no organisation; not منظومة (البريكس)
    (_DISEASE_HEADS, "MISC"),  # «فيروس كورونا», «جائحة كورونا»: a disease, no organisation
    ("مقاطعة إقليم بلدة قرية", "LOC"),  # «مقاطعة أويجو»: a place, not a person
    (_PLACES_HEADS, "LOC"),
) for w in ws.split()}
# two or more places: «قريتي نوفايا سوروتشينا وبوكروفسكي» (the villages of N. S. and of Pokrovsky)
_PLURAL_PLACE_HEADS = frozenset(arabic.match(w) for w in _PLACES_HEADS.split())
# an organisation or a MISC name right after these is a place: «قاعدة فوستوشني» (the cosmodrome), «مطار كنيفيتشي»
_SITE_HEADS = frozenset(arabic.match(w) for w in ("مطار", "ميناء", "قاعدة"))
_SUMMIT = arabic.match("قمة")
_BASE_ADJECTIVES = frozenset(arabic.match(w) for w in (
    "الجوية", "الجوي", "البحرية", "البحري", "العسكرية", "العسكري"))


def _typed_by_head(sent: Sequence[tuple[int, int, str]], span: tuple[int, int, str],
                   tagger: ner.Tagger) -> tuple[int, int, str]:
    """A span right after a word that says what it names (brackets or quotes between allowed) takes that
    type: a hurricane's or a weapon's name is MISC (الإعصار ميلتون, صواريخ (باتريوت)), a person the tagger
    found after «مقاطعة», «إقليم», «بلدة», «قرية» (or «قريتي», «بلدات»…) is the place, and so is a MISC name
    (a place or organisation the tagger found stays what it is). After «مطار», «ميناء», «قاعدة» an
    organisation or MISC name is the site, without its «الجوية», «البحرية», «العسكرية»."""
    s, e, typ = span
    k = s - 1
    while k >= 0 and not any(c.isalnum() for c in sent[k][2]):
        k -= 1
    if k < 0 or k < s - 2:
        return span
    head = arabic.match(tagger.strip_clitics(sent[k][2]))
    if head in _SITE_HEADS and e - s > 1 and arabic.match(sent[e - 1][2]) in _BASE_ADJECTIVES:
        e -= 1  # «قاعدة رامشتاين الجوية»: the base is رامشتاين
    # a known organisation or place keeps its type: «صواريخ حزب الله» (Hezbollah's), «صواريخ إيران»
    known = tagger.gazetteer.names.get(tuple(arabic.match(t) for _, _, t in sent[s:e])) in ("ORG", "LOC")
    if head in _SITE_HEADS and typ in ("ORG", "MISC"):
        return s, e, "LOC"
    if (head == _SUMMIT and typ == "PER" and e - s == 1
            and tagger.gazetteer.names.get((arabic.match(sent[s][2]),)) != "PER"):
        return s, e, "LOC"  # «قمة دوبروفنيك»: the summit's town (not «قمة بوتين»)
    kind = _HEAD_TYPES.get(head)
    if kind is None or kind == typ or (kind == "LOC" and typ not in ("PER", "MISC")) or (kind == "MISC" and known):
        return s, e, typ
    return s, e, kind


_PLACE_HEADS = frozenset(arabic.match(w) for w in (
    "وادي", "جبل", "جبال", "نهر", "بحيرة", "جزيرة", "جزر", "خليج", "مضيق", "صحراء", "سهل", "هضبة", "قرية", "بلدة",
))


_CANAL = frozenset({arabic.match("قناة")})  # a canal, or a TV channel: only a known place's name joins it


def _join_place_heads(sent: Sequence[tuple[int, int, str]], found: Sequence[tuple[int, int, str]],
                      tagger: ner.Tagger) -> list[tuple[int, int, str]]:
    """A place span that is only a geographic head word (وادي، جبل، جزيرة…) and the place span right after
    it are one name: the tagger reads «وادي ضمد» as «وادي» and «ضمد». A head word the tagger left out
    before a span is taken in when the two are a known place: «قناة السويس» (the canal, not the city
    «السويس» the tagger found), «جزيرة العرب»."""
    out = list(found)
    for k, (s, e, _typ) in enumerate(out):
        if s == 0 or (k and out[k - 1][1] == s):
            continue
        head = arabic.match(tagger.strip_clitics(sent[s - 1][2]))
        if head in _PLACE_HEADS or head in _CANAL:
            name = (head, *(arabic.match(t) for _, _, t in sent[s:e]))
            if tagger.gazetteer.names.get(name) == "LOC":
                out[k] = (s - 1, e, "LOC")
    k = 0
    while k + 1 < len(out):
        (s, e, typ), (s2, e2, typ2) = out[k], out[k + 1]
        if (typ == typ2 == "LOC" and e - s == 1 and s2 == e
                and arabic.match(tagger.strip_clitics(sent[s][2])) in _PLACE_HEADS):
            out[k : k + 2] = [(s, e2, "LOC")]
        else:
            k += 1
    return out


def _head_over_places(parts: Sequence[Sequence[tuple[int, int, str]]], tagger: ner.Tagger) -> bool:
    """An organisation's span cut at «و» is a word over several places when its first part is a word and a
    known place, and every other part a known place: «تحالف موسكو وبيونغ يانغ» (the alliance of Moscow and
    Pyongyang) names موسكو and بيونغ يانغ, not an organisation «تحالف موسكو». Not when the first part is a
    known name itself («جامعة القاهرة»)."""
    if len(parts) < 2 or len(parts[0]) < 2:
        return False
    gaz = tagger.gazetteer.names

    def words(toks: Sequence[tuple[int, int, str]]) -> list[str]:
        return [tagger.strip_clitics(toks[0][2]), *(t for _, _, t in toks[1:])]

    def known_place(ws: Sequence[str]) -> bool:  # the gazetteer's, or a CLDR city (بيونغ يانغ)
        return gaz.get(tuple(arabic.match(w) for w in ws)) == "LOC" or name_key(" ".join(ws)) in _place_keys()

    first = words(parts[0])
    return (known_place(first[1:]) and tuple(arabic.match(w) for w in first) not in gaz
            and all(known_place(words(p)) for p in parts[1:]))


# the word for an organisation's kind before its name (keys); not «حزب»: «حزب الله» is no «الله»
_ORG_KIND_WORDS = frozenset(arabic.match(w) for w in "تنظيم حركة جماعة شركة مجموعة جبهة ميليشيا ميليشيات".split())
_ORG_KINDS = frozenset(name_key(w) for w in _ORG_KIND_WORDS)
_ORG_KIND_NOT_NAMES = frozenset(name_key(w) for w in ("الدولة", "الدولة الإسلامية", "الشركة"))


def _organisation_then_person(sent: Sequence[tuple[int, int, str]], span: tuple[int, int, str],
                              tagger: ner.Tagger) -> list[tuple[int, int, str]]:
    """A person's span that starts with the word for an organisation's kind and a one-word name (no «ال», no
    given name, no known name of another type) is that organisation, then the person: «زعيم تنظيم داعش أبي
    بكر البغدادي», «المبعوث … ضد تنظيم داعش بريت مكجيرك» (2015-07-21: 14 mentions each of a «person» «تنظيم
    داعش …»)."""
    s, e, typ = span
    if typ != "PER" or e - s < 4 or arabic.match(tagger.strip_clitics(sent[s][2])) not in _ORG_KIND_WORDS:
        return [span]
    org = arabic.match(sent[s + 1][2])
    if tagger.gazetteer.names.get((org,)) not in ("ORG", None) or org.startswith("ال") or not _ARABIC_RE.match(org):
        return [span]  # («جماعة الإخوان المسلمين …»: a name of several words, where it ends is unknown)
    if name_key(org) in _first_name_keys(tagger):
        return [span]
    return [(s, s + 2, "ORG"), (s + 2, e, "PER")]


_SUR = arabic.match("سور")  # French «-sur-» of a place name: نويي سور سين (Neuilly-sur-Seine)
_WHERE = frozenset(arabic.match(w) for w in ("في", "من", "إلى", "قرب", "بلدة", "مدينة", "ضاحية", "منطقة"))
RARE_WORD_MAX = 50  # news occurrences below which a word that is no known name may be a foreign place's


def _sur_toponyms(sent: Sequence[tuple[int, int, str]], found: Sequence[tuple[int, int, str]],
                  tagger: ner.Tagger) -> list[tuple[int, int, str]]:
    """«في نويي سور سين»: a French place name «X-sur-Y» is one place, where the tagger found «سين» alone (a
    person). The name after «سور» is a span without «ال»; the word before it is rare in the news, no known
    name, without «ال», and comes after «في», «من», «قرب», «مدينة»…: not «سور» the wall (سور الصين، فوق سور
    دمشق، هدم سور برلين)."""
    out = list(found)
    for s, e, typ in found:
        if s < 3 or arabic.match(sent[s - 1][2]) != _SUR or arabic.match(sent[s][2]).startswith("ال"):
            continue
        word, where = sent[s - 2][2], arabic.match(tagger.strip_clitics(sent[s - 3][2]))
        m = arabic.match(word)
        if (where not in _WHERE or not _ARABIC_RE.match(word) or m.startswith("ال") or (m,) in tagger.gazetteer.names
                or tagger.lexicon.count(m) >= RARE_WORD_MAX or any(a < s - 1 < b for a, b, _ in out)):
            continue
        out = [(s - 2, e, "LOC") if x == (s, e, typ) else x for x in out if not x[0] <= s - 2 < x[1]]
    return sorted(out)


def _official_names(sent: Sequence[tuple[int, int, str]]) -> dict[tuple[int, int], str]:
    """Token ranges of a country's official names of several words (جمهورية كوريا الشعبية الديمقراطية),
    longest first, not overlapping, each with the clitics before it (وبجمهورية: «وب»; للجمهورية: «ل»)."""
    names = countries.official_name_tokens()
    words = [_token_match(t) for _, _, t in sent]
    if _official_seconds().isdisjoint(words[1:]):
        return {}
    firsts = {n[0] for n in names}
    longest = max((len(n) for n in names), default=0)
    out: dict[tuple[int, int], str] = {}
    i = 0
    while i < len(words):
        step = 1
        if words[i + 1 : i + 2] and words[i + 1] not in _official_seconds():
            i += 1
            continue
        readings = [("", words[i])] + ner._proclitic_splits(words[i])
        for prefix, first in readings:
            if first not in firsts:
                continue
            for n in range(min(longest, len(words) - i), 1, -1):
                if (first, *words[i + 1 : i + n]) in names:
                    out[(i, i + n)] = prefix
                    step = n
                    break
            if step > 1:
                break
        i += step
    return out


def _with_official_names(found: Sequence[tuple[int, int, str]],
                         official: Mapping[tuple[int, int], str]) -> list[tuple[int, int, str]]:
    """The tagger's spans with each official name as one place, replacing the spans inside it (the tagger
    often takes «كوريا» alone out of «كوريا الديمقراطية»); a span reaching beyond the name wins."""
    keep = list(found)
    for a, b in sorted(official):
        inside = [x for x in keep if x[0] < b and a < x[1]]
        if all(a <= x[0] and x[1] <= b for x in inside):
            keep = [x for x in keep if x not in inside] + [(a, b, "LOC")]
    return sorted(keep)


def _after_places_head(sent: Sequence[tuple[int, int, str]], s: int, tagger: ner.Tagger) -> bool:
    """The span at ``s`` follows a head word of two or more places: «قريتي», «بلدات», «مدينتي»…"""
    k = s - 1
    while k >= 0 and sent[k][2] in _OPENERS:  # «مدينتي "فيوجييوشيدا وياماناشي"»
        k -= 1
    return k >= 0 and arabic.match(tagger.strip_clitics(sent[k][2])) in _PLURAL_PLACE_HEADS


def _split_coordination(toks: Sequence[tuple[int, int, str]], tagger: ner.Tagger,
                        *, dash: bool = False, places: bool = False) -> list[list[tuple[int, int, str]]]:
    """Cut a span at an inner word that starts with the conjunction و/ف (بوتين وكيم → بوتين | وكيم), unless
    the whole span is one known name (البوسنة والهرسك، ترينيداد وتوباغو); with ``dash`` (persons) also at a
    dash written apart («لقاء كيري - لافروف - الجبير»: two men; «سو - 35» is one model). With ``places``
    (after «قريتي», «بلدات»…: the span names several) also at a rare word after «و» the clitic rules keep
    whole: «نوفايا سوروتشينا وبوكروفسكي»."""
    # a dash with a space on either side (not «وين-هسيانج», one name written with a hyphen)
    apart = [0 < i < len(toks) - 1 and toks[i][2] in _DASHES
             and (toks[i - 1][1] < toks[i][0] or toks[i][1] < toks[i + 1][0]) for i in range(len(toks))]
    if dash and any(apart):
        # «فرانك - فالتر شتاينماير»: a given name and a dash before a name of two or more words is one
        # compound given name (not «كيري - لافروف», «بوتين - شي جين بينغ»: a first word no given name)
        given = _first_name_keys(tagger)
        apart = [a and not (i == 1 and len(toks) > 3 and name_key(toks[0][2]) in given) for i, a in enumerate(apart)]
    if dash and any(apart):
        cut: list[list[tuple[int, int, str]]] = [[]]
        for tok, is_cut in zip(toks, apart, strict=True):
            if is_cut:
                cut.append([])
            else:
                cut[-1].append(tok)
        return [p for part in cut if part for p in _split_coordination(part, tagger)]
    if len(toks) > 1:
        words = (arabic.match(tagger.strip_clitics(toks[0][2])), *(arabic.match(t) for _, _, t in toks[1:]))
        gaz = tagger.gazetteer.names
        if " ".join(words) in countries.country_names() or (
                words in gaz and not any(gaz.get((arabic.match(tagger.strip_clitics(t)),)) for _, _, t in toks[1:])):
            return [list(toks)]  # (the gazetteer's «إيطاليا وفرنسا» is two known names)
    parts: list[list[tuple[int, int, str]]] = [[toks[0]]] if toks else []
    for tok in toks[1:]:
        stripped = tagger.strip_clitics(tok[2])
        m = arabic.match(tok[2])
        if (stripped != tok[2] and m[:1] in ("و", "ف")) or (
                places and m[:1] == "و" and len(m) > 2 and m not in tagger.gazetteer.words):  # not ولد, وادي
            parts.append([tok])
        else:
            parts[-1].append(tok)
    return parts


_DASHES = frozenset("-–—")
_INTERNATIONAL = frozenset(name_key(w) for w in ("الدولي", "الدولية"))
_TANWEEN_RE = re.compile("[\u064b-\u064d]")


def _mention(article_id: str, text: str, toks: Sequence[tuple[int, int, str]], typ: str,
             tagger: ner.Tagger, *, clitic: str | None = None) -> EntityMention | None:
    """The mention of the span ``toks``; ``clitic``: the clitics on the first word (match form), when known
    (else the tagger's :meth:`~marsad.ner.Tagger.strip_clitics` decides)."""
    # Drop punctuation at the edges of the span.
    toks = list(toks)
    while toks and not any(c.isalnum() for c in toks[-1][2]):
        toks.pop()
    while toks and not any(c.isalnum() for c in toks[0][2]):
        toks.pop(0)
    # A particle written with its hamza (بأن بوتين، إن الكرملين: «بان» alone would be Ban Ki-moon's name) before
    # any name, a weekday after a person or an organisation (الكرملين الخميس).
    while len(toks) > 1 and arabic.dediacritise(arabic.display(toks[0][2])) in _PARTICLES:
        toks.pop(0)
    while (typ in ("PER", "ORG") and len(toks) > 1
           and arabic.match(tagger.strip_clitics(toks[-1][2])) in _TRAILING_DAYS):
        toks.pop()
    if typ == "PER":
        # A headline verb glued to a name (يلتقي زيلينسكي): drop an edge word that is common in news and
        # never part of a known name.
        while len(toks) > 1 and _common_word(toks[0][2], tagger):
            toks.pop(0)
        while (len(toks) > 1 and _common_word(toks[-1][2], tagger)
               and _shown(toks[-2][2]) not in _NAME_PARTICLES_AFTER):  # غال of «لويس فان غال» stays
            toks.pop()
        # A title or office the tagger took into the name (الأمير محمد بن نايف ولي العهد). Before the name only
        # when two words are left (الملك سلمان stays: «سلمان» alone could be another Salman); after it only
        # offices, and not after آل، ولد، عبد (آل الشيخ، ولد الشيخ، عبد الملك are names).
        while len(toks) > 2 and arabic.match(tagger.strip_clitics(toks[0][2])) in _TITLES:
            toks.pop(0)
        while (len(toks) > 1 and arabic.match(toks[-1][2]) in _OFFICES
               and arabic.match(toks[-2][2]) not in _NAME_LINKS):
            toks.pop()
        while len(toks) > 1 and arabic.match(toks[-1][2]) in _NAME_LINKS:
            toks.pop()  # «عبدالله بن» cut at a line's end: a name does not end with بن، آل، أبو
        while (len(toks) > 1 and arabic.match(toks[-1][2]) in _GOD
               and arabic.match(toks[-2][2]) in _GOD_FORMULAS):
            toks = toks[:-2]  # «سلمان بن عبدالعزيز أيده الله», «بحمد الله»: a formula, not a name
        if len(toks) == 2 and _good_or_ill_of(toks[0][2], toks[1][2]):
            return None  # «علاقات حسن جوار», «حسن الظن», «سوء النية»: an idiom, not a man named حسن
        if toks and arabic.match(toks[0][2]) in _GOD:
            return None  # «الله تعالى», «الله عز وجل»: God, in the prose of sermons and verses
        if toks and all(arabic.match(tagger.strip_clitics(t)) in _TITLES | _OFFICES for _, _, t in toks):
            return None  # «ولي العهد», «الأمير» alone: a title, no name
        while toks and not any(c.isalnum() for c in toks[0][2]):
            toks.pop(0)  # the punctuation a dropped edge word had hidden
        while toks and not any(c.isalnum() for c in toks[-1][2]):
            toks.pop()
    # A word with tanween is an indefinite noun or adverb, not a name («باكراً», «عبدالله شرقاً», «متألماً»).
    while len(toks) > 1 and _TANWEEN_RE.search(toks[-1][2]):
        toks.pop()
    if not toks or typ not in _TYPES or _TANWEEN_RE.search(toks[0][2]):
        return None
    if len(toks) == 1 and _no_name_alone(toks[0][2], tagger):
        return None
    first_start, first_end, first = toks[0]
    if clitic is None:
        stripped = tagger.strip_clitics(first)
        whole, rest = arabic.match(first), arabic.match(stripped)
        if len(rest) <= 3 and rest.startswith("ال"):
            stripped = first  # «فالي» (Valley) is no ف + «الي»: «ال» and one letter are no word
        elif (typ == "PER" and whole[:1] == "ف" and len(whole) == len(rest) + 1 and not rest.startswith("ال")
              and rest not in tagger.gazetteer.words and tagger.lexicon.count(rest) < RARE_WORD_MAX):
            stripped = first  # «فاديم فيلاشكين» (Vadim) is no ف + the rare word «أديم»
        elif (stripped == first and typ == "LOC" and len(toks) == 1 and whole[:1] == "و" and len(whole) >= 5
              and tagger.gazetteer.names.get((whole[1:],)) == "LOC" and (whole,) not in tagger.gazetteer.names):
            stripped = ner._drop_letters(first, 1, lam_alef=False)  # «وكوسوفو، ومولدافيا»: a list of places
    else:
        lam_alef = clitic.endswith("ل") and arabic.match(first)[len(clitic) - 1 : len(clitic) + 1] == "لل"
        stripped = ner._drop_letters(first, len(clitic), lam_alef=lam_alef) if clitic else first
    if typ == "PER" and _is_nisba(arabic.match(stripped), tagger.gazetteer):
        if len(toks) > 1 and arabic.match(stripped).startswith("ال"):
            return _mention(article_id, text, toks[1:], typ, tagger)  # «الروسي فلاديمير بوتين»: the adjective
        if len(toks) == 1 or not _name_after_given_name(toks[1][2], tagger):
            return None  # أوكراني يعاين: a caption's nationality adjective, not a person
        # else the given name spelt as a nisba: تركي الفيصل، تركي بن طلال
    if typ == "PER" and len(toks) == 1 and _mostly_definite(arabic.match(stripped), tagger):
        return None  # «كومبيوتر» of «سرقة كومبيوتر»: a noun the news mostly writes as «الكومبيوتر», no person
    if typ == "LOC" and len(toks) == 1 and arabic.match(stripped) in _ARAB:
        return None  # «الدول العربية», «الإقليمية والعربية»: the adjective Arab, no place
    if typ != "PER" and len(toks) == 1 and arabic.match(stripped) in _GENERIC_NOUNS:
        return None  # «من فوق الجبل», «أزقة الحارة», «شرطة البلدة»: the mountain, the alley, the town
    if len(toks) == 1 and arabic.match(stripped) in _BLESSINGS and arabic.match(
            (text[toks[0][1] : toks[0][1] + 12].split() or [""])[0]) in _GOD:
        return None  # «صلى» of «صلى الله عليه وسلم», «رضي» of «رضي الله عنه»: a blessing, not a name
    end = toks[-1][1]
    if stripped == first:
        start = first_start
    else:
        # The clitics end where the stripped word's last part begins (لل + أمم → ال + أمم: start at لأمم's ل+1).
        start = first_end - len(stripped) if first.endswith(stripped) else first_end - len(stripped) + 1
    surface = stripped + text[first_end:end]
    surface = " ".join(arabic.display(surface).split())
    if len(arabic.match(surface).replace(" ", "")) < 2:
        return None
    return EntityMention(article_id=article_id, start=start, end=end, text=surface, type=typ)  # type: ignore[arg-type]


# A verb's first word: present tense or future (يعفو، تفقدا، ستنتهك), not a nisba (تركي، يماني).
_VERB_RE = re.compile(r"^(?:س?[يتن])[^\s]{2,}(?<![يه])$")
# not «إن» alone: the letter N of إن كيه نيوز، إن بي سي
_PARTICLES = frozenset(p + w for w in ("أن", "إن", "لأن", "كأن", "لكن", "إذ", "إذا")
                       for p in ("", "و", "ف", "ب")) - {"إن"}
# Words written so (alef maqsura, hamza) only as particles, never as a name.
_FUNCTION_WORDS = _PARTICLES | frozenset({"على", "إلى", "حتى", "لدى", "متى", "أين", "أنا", "إنه", "أنه", "لأنه"})
_FUNCTION_WORDS |= frozenset(
    # prepositions and a preposition with its pronoun («تطمع فينا» "covets us" is not فيينا; أمام is not إمام)
    "أمام أمامه أمامها خلال ضد نحو حول فينا فيه فيها منه منها عنه عنها معه معها معنا علينا عليه عليها إليه إليها "
    "إلينا لديه لديها عنده عندها".split())
_LETTER_NAMES = frozenset(arabic.match(w) for w in (
    "بي", "سي", "دي", "إي", "إف", "جي", "إتش", "آي", "جيه", "كيه", "إل", "إم", "إن", "أو", "كيو", "آر", "إس", "تي",
    "يو", "في", "إكس", "واي", "زد", "زي", "ام", "ان", "اس", "اي",
))
# the Gregorian months as Egypt and the Gulf name them (not the Levantine ones: نيسان is also Nissan)
_MONTHS = frozenset(arabic.match(w) for w in (
    "يناير", "فبراير", "مارس", "أبريل", "إبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
    "ديسمبر"))
_GOD_NAMES = frozenset(arabic.match(w) for w in ("الرحمن", "الرحيم"))  # «ضيوف الرحمن»: the pilgrims, God's guests
_GOD = frozenset(arabic.match(w) for w in ("الله", "ولله", "لله", "بالله", "والله", "فالله", "تالله", "فلله"))
# a word before «الله» that makes a formula, not a name (بحمد الله، عباد الله، أيده الله; not نصر الله، فضل الله)
_ARAB = frozenset(arabic.match(w) for w in ("العربية", "العربي", "عربية", "عربي"))
# A geographic or civic common noun with its article is no name alone (not الخليج «the Gulf», الجزيرة, المدينة
# «Medina», الساحل «the Sahel», which name one place).
_GENERIC_NOUNS = frozenset(arabic.match(w) for w in (
    "الجبل", "الجبال", "النهر", "البحيرة", "الوادي", "السهل", "الهضبة", "القرية", "البلدة", "الحارة", "الحي",
    "الصحراء", "الريف", "الكورنيش", "البرلمان", "الإمارة"))
# the blessings after a prophet's or a companion's name (صلى الله عليه وسلم، رضي الله عنه، رحمه الله)
_BLESSINGS = frozenset(arabic.match(w) for w in ("صلى", "رضي", "رحمه", "رحمها", "رحمهم"))
_GOD_FORMULAS = frozenset(arabic.match(w) for w in (
    "بحمد", "حمد", "عباد", "توفيق", "بتوفيق", "حسبي", "حسبنا", "غفر", "رضوان", "رحمه", "رحمها", "حفظه",
    "حفظها", "أيده", "رعاه", "وفقه", "يحفظه", "يرحمه", "بإذن", "شاء", "سبحان", "بسم",
)) | _BLESSINGS
# «حسن» / «سوء» ("goodness", "badness" of) before the nouns of fixed phrases: «حسن الجوار», «حسن الظن»,
# «سوء النية», «حسن استقبالكم»; with or without «ال» and a possessive ending
_GOOD_OR_ILL = frozenset(arabic.match(w) for w in ("حسن", "سوء", "وحسن", "بحسن", "لحسن"))
_GOOD_OR_ILL_NOUNS = frozenset(arabic.match(w) for w in (
    "جوار", "ظن", "نية", "نوايا", "خلق", "أخلاق", "مظهر", "استقبال", "ضيافة", "تعامل", "معاملة", "أداء", "تنظيم",
    "سلوك", "إدارة", "تصرف", "حظ", "طالع", "خاتمة", "تدبير", "تغذية", "فهم", "استخدام", "اختيار", "سير", "عشرة",
    "تفاهم", "إصغاء", "استماع", "تقدير", "توزيع", "إعداد", "تخطيط",
))
_POSSESSIVE_RE = re.compile("(?:كم|كن|نا|هم|هن|ها|ه|ي|ك)$")


def _good_or_ill_of(first: str, second: str) -> bool:
    """«حسن جوار», «حسن الظن», «سوء نواياهم»: the fixed phrase, not a person named حسن."""
    if arabic.match(first) not in _GOOD_OR_ILL:
        return False
    m = arabic.match(second)
    m = m[2:] if m.startswith("ال") else m
    return m in _GOOD_OR_ILL_NOUNS or _POSSESSIVE_RE.sub("", m) in _GOOD_OR_ILL_NOUNS


_WEEKDAYS = frozenset(arabic.match(w) for w in (
    "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "أمس", "اليوم", "غدا",
))
# … and «يوم» before one («قناة السويس الجديدة يوم الخميس»): not the end of a name
_TRAILING_DAYS = _WEEKDAYS | {arabic.match("يوم")}

# Titles before a person's name and offices after it (match form): not parts of the name.
_TITLES = frozenset(arabic.match(w) for w in (
    "الرئيس", "الملك", "الأمير", "الأميرة", "الشيخ", "السيد", "السيدة", "الزعيم", "الوزير", "الدكتور",
    "سمو", "جلالة", "فخامة", "معالي", "سماحة", "المشير", "اللواء", "العميد", "العقيد", "دكتور", "الدكتورة",
    "المهندس", "الأستاذ", "شقيق", "شقيقة", "نجل", "نجلة", "والد", "والدة", "زوجة", "أرملة",
))
_OFFICES = frozenset(arabic.match(w) for w in (
    "ولي", "العهد", "الرئيس", "رئيس", "الوزير", "وزير", "نائب", "المستشار", "خادم", "الحرمين", "الشريفين",
))
_NAME_LINKS = frozenset(arabic.match(w) for w in ("آل", "ولد", "عبد", "أبو", "بن", "ابن", "بنت", "ذو", "ذي"))

COMMON_WORD_MIN = 100  # a word seen this often in the news lexicon and in no known name is not a name part


_SEMI = arabic.match("شبه")


def _no_name_alone(token: str, tagger: ner.Tagger) -> bool:
    """A word that is no name when it is the whole mention: a particle as written («على» on, «بأن»: the match
    form would make «على» the name علي), a Latin letter cut out of بي بي سي or إم بي سي, or «الله» of the
    formulae of Arabic prose (حفظه الله، بمشيئة الله) or one of God's names (ضيوف الرحمن), a link of a name
    cut from it (أبو، بن، آل), a month (يوليو), an office (العهد of «ولي العهد», الرئيس), a head word with
    or without one (جامعة، وادي, بحي of «بحي السلام»: a head word alone), «شبه» ("semi-")."""
    m = arabic.match(token)
    stripped = tagger.strip_clitics(token)
    bare = arabic.match(stripped)  # «للعهد» of «وليًا للعهد» is the office too
    return (m in _LETTER_NAMES or m in _GOD or m in _NAME_LINKS or m in _GOD_NAMES or m in _MONTHS
            or m in _OFFICES or bare in _OFFICES or bare in _MONTHS or bare in _GOD_NAMES
            or ((m in _trailing_heads() or bare in _trailing_heads())  # «جامعة», «وادي»: a head without its name
                and name_key(bare) not in _first_name_keys(tagger))  # (not the given name «سهل»)
            or (m[:1] in _CLITIC_LETTERS and m[1:] in _trailing_heads())  # «بحي» (in the district of)
            or _org_kind_alone(m, bare)  # «تنظيم», «الحركة», «الميليشيات», «لميليشيا» alone
            or bare == _SEMI  # «شبه» ("semi-": «شبه يومي») is only a place's first word (شبه الجزيرة الكورية)
            or arabic.dediacritise(arabic.display(stripped)) in _FUNCTION_WORDS)


def _org_kind_alone(m: str, bare: str) -> bool:
    """``m`` (match form; ``bare``: without its clitics) is only the word for an organisation's kind, with
    or without «ال» or a clitic the clitic rules kept: no name («التنظيم» and «الحركة» stand for one named
    before, «الميليشيات» for many)."""
    for w in (bare, m[1:] if m[:1] in _CLITIC_LETTERS else ""):
        if w and (w in _ORG_KIND_WORDS or (w.startswith("ال") and w[2:] in _ORG_KIND_WORDS)):
            return True  # (match forms: the key of «جبهة» is that of «قبة», a place)
    return False


def _name_after_given_name(token: str, tagger: ner.Tagger) -> bool:
    """``token`` continues a person's name after a given name: a link (بن، آل، أبو), a family name with
    «ال» (الفيصل، السديري) or a word of a known name."""
    m = arabic.match(token)
    return m in _NAME_LINKS or (m.startswith("ال") and len(m) > 4) or m in tagger.gazetteer.words


def _common_word(token: str, tagger: ner.Tagger) -> bool:
    """``token`` is a common word of the news and no name: frequent in the news lexicon, in no known name,
    and among words that are no names in the lexicon's word clusters — not a frequent surname the gazetteer
    lacks (السيسي، الشهراني، الجبير: their clusters are full of names) but a verb or a noun (يدعو، مواليد)."""
    m = arabic.match(token)
    if m in tagger.gazetteer.words or tagger.lexicon.count(m) < COMMON_WORD_MIN:
        return False
    clusters = tagger.lexicon.clusters.get(m, ())
    rates = _name_cluster_rates(tagger)
    return all(rates[k].get(c, 0.0) < NAME_CLUSTER_MAX for k, c in enumerate(clusters) if k in rates)


DEFINITE_MIN_COUNT = 20  # news occurrences (with and without «ال») needed to judge a word by its article
DEFINITE_SHARE = 0.5  # the share of them with «ال» from which a word without it is a noun, not a person


def _mostly_definite(m: str, tagger: ner.Tagger) -> bool:
    """``m`` (match form, no clitics, no «ال») is a common noun, not a person's one-word name: the news writes
    it with the article «ال» at least as often as without (الكومبيوتر), and it is in no known name. Names of
    people hardly ever take the article (بوتين، هاريس، أوباما: never); Arab family names that do
    (الشمري) are written with it, so they are not this word without it."""
    if m.startswith("ال") or m in tagger.gazetteer.words:
        return False
    lex = tagger.lexicon
    with_al = lex.count("ال" + m)
    total = with_al + lex.count(m)
    return total >= DEFINITE_MIN_COUNT and with_al >= DEFINITE_SHARE * total


ACCUSATIVE_SHARE = 0.25  # «ال» + the word without its final «ا», against the word without it: a noun's


def _accusative_of_noun(m: str, tagger: ner.Tagger) -> bool:
    """``m`` (match form, one word) is a noun or adjective with the accusative «ا» (آتياً، تالياً، فارغاً): the
    news writes the word without the «ا» with «ال» at least ``ACCUSATIVE_SHARE`` as often as without, and
    ``m`` is no known name's word (not جينا, إيلا: «الجين», «الإيل» are rare beside جين, إيل)."""
    if not m.endswith("ا") or len(m) < 4 or m in tagger.gazetteer.words:
        return False
    lex = tagger.lexicon
    definite = lex.count("ال" + m[:-1])
    return definite >= 3 and definite >= ACCUSATIVE_SHARE * lex.count(m[:-1])


NAME_CLUSTER_MAX = 0.1  # a word cluster with at least this share of words of known persons' names is of names
_NAME_CLUSTER_LEVELS = (0, 2)  # the coarsest and the finest clustering of the lexicon
_CLUSTER_RATES: dict[tuple[int, int], tuple[ner.Lexicon, ner.Gazetteer, dict[int, dict[str, float]]]] = {}


def _name_cluster_rates(tagger: ner.Tagger) -> dict[int, dict[str, float]]:
    """Per clustering level (of ``_NAME_CLUSTER_LEVELS``): cluster id → the share of its words that are
    words of persons' names in the gazetteer."""
    key = (id(tagger.lexicon), id(tagger.gazetteer))
    got = _CLUSTER_RATES.get(key)
    if got is None or got[0] is not tagger.lexicon or got[1] is not tagger.gazetteer:
        person = {w for w, roles in tagger.gazetteer.parts.items() if any(r.startswith("PER") for r in roles)}
        rates: dict[int, dict[str, float]] = {}
        for level in _NAME_CLUSTER_LEVELS:
            size: Counter[str] = Counter()
            names: Counter[str] = Counter()
            for w, cl in tagger.lexicon.clusters.items():
                if len(cl) > level:
                    size[cl[level]] += 1
                    names[cl[level]] += w in person
            rates[level] = {c: names[c] / n for c, n in size.items()}
        got = _CLUSTER_RATES[key] = (tagger.lexicon, tagger.gazetteer, rates)
    return got[2]


def _is_nisba(m: str, gazetteer: ner.Gazetteer) -> bool:
    """``m`` (match form) is the adjective of a known country or city: أوكراني، الروسي، الكورية."""
    base = m[2:] if m.startswith("ال") else m
    if base.endswith("يه"):
        base = base[:-1]
    if not base.endswith("ي") or len(base) < 4:
        return False
    root = base[:-1]
    return any(gazetteer.names.get((c,)) == "LOC" for c in (root + "ا", root + "يا", root, "ال" + root))


# ---------------------------------------------------------------------------------------------- unification


class _Groups:
    """Union-find over group indexes."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def unify(mentions: Sequence[EntityMention], previous: Sequence[Entity] = (),
          context: Mapping[str, str] | None = None,
          aliases: Iterable[tuple[str, str]] = ()) -> tuple[list[Entity], list[EntityMention]]:
    """Group mentions into entities; return the entities and the mentions with ``entity_id`` set.

    A person's short name is first resolved in its own article (``_article_referents``). Elsewhere it
    joins a full name only when that full name is the only candidate, or the dominant one, among the
    mentions of the same context: ``context`` maps an article id to its story (or any group of articles
    about one happening); without it the whole batch is one context. Entities in ``previous`` join by key
    (their ids are kept, their variants and mention counts carried on); where the batch joins several of
    them, the most named keeps its id and the others are listed in its ``merged``. ``aliases``: pairs of
    names an article gives as one (``find_aliases``: «حلف شمال الأطلسي (الناتو)»), joined when both are names
    of the batch (or stored) with the same type."""
    if not mentions and not previous:
        return [], []
    # 1. One group per (type, key); a key's type is its most common type in the batch.
    # A country's official name or adjective (كوريا الديمقراطية، الكورية الشمالية) has its common name's key.
    type_votes: dict[str, Counter[str]] = defaultdict(Counter)
    keys = [_group_key(m.text) for m in mentions]
    renamed = [_country_key(m.text, k, m.type) for m, k in zip(mentions, keys, strict=True)]
    keys = [r[0] if r else k for r, k in zip(renamed, keys, strict=True)]
    for m, k in zip(mentions, keys, strict=True):
        type_votes[k][m.type] += 1
    if previous:  # keys as this version makes them (a stored key may come from an older marsad)
        previous = [replace(e, key=_group_key(e.name)) if not e.key or _rekeyed(e.key) else e
                    for e in previous]
        previous = [e if (c := _country_key(e.name, e.key, e.type)) is None else replace(e, key=c[0])
                    for e in previous]
    for e in previous:
        type_votes[e.key or name_key(e.name)][e.type] += max(1, e.mentions)
    key_type = {k: _majority_type(v) for k, v in type_votes.items() if k}
    group_keys: list[tuple[str, str]] = sorted({(key_type[k], k) for k in key_type})
    index = {gk: i for i, gk in enumerate(group_keys)}
    uf = _Groups(len(group_keys))
    # 2. Spelling variants: same word count, same skeleton per word, close keys. The type is not compared,
    # but a person and a place or organisation join only through a CLDR place name of several words: the
    # tagger sometimes calls one name a place here and an organisation there, and بيونج يونج a person (the
    # majority wins below), but one word is too little to tell François (فرانسوا) from France (فرنسا).
    place_keys = _place_keys()
    vowel_keys = place_keys | _gazetteer_place_keys()  # places whose spellings keep their long vowels
    spelling: dict[str, str] = {}  # a key's first spelling (match form), to look its words up in the news
    for m, k in zip(mentions, keys, strict=True):
        spelling.setdefault(k, arabic.match(m.text))
    for e in previous:
        spelling.setdefault(e.key, arabic.match(e.name))
    by_skel: dict[str, list[int]] = defaultdict(list)
    for i, (_typ, k) in enumerate(group_keys):
        by_skel[skeleton(k)].append(i)
    for members in by_skel.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                a, b = members[x], members[y]
                if {group_keys[a][1], group_keys[b][1]} <= place_keys:
                    continue  # two places of CLDR's: أنغولا is not أنغويلا
                if ((group_keys[a][0] == "PER") != (group_keys[b][0] == "PER")
                        and not ({group_keys[a][1], group_keys[b][1]} & place_keys and " " in group_keys[a][1])):
                    continue  # a person and a place: كارتر is not كريتر, فرانسوا not فرنسا; بيونج يونج is بيونغ يانغ
                if same_name(group_keys[a][1], group_keys[b][1]) and not (
                        _vowels_moved(group_keys[a][1], group_keys[b][1], vowel_keys)) and not (
                        group_keys[a][0] == group_keys[b][0] == "PER"
                        and (_distinct_names(spelling.get(group_keys[a][1], ""), spelling.get(group_keys[b][1], ""))
                             or (" " not in group_keys[a][1] and not _same_short(group_keys[a][1], group_keys[b][1])))):
                    uf.union(a, b)  # a person's one-word name closely (كافاني is not جيوفاني; كيناتا is كينياتا)
    # 2b. A clitic the tagger's stripping missed (لبيونج يانج): the key without its first letter is a more
    # often named group of the batch.
    group_weight0: Counter[int] = Counter(index[(key_type[k], k)] for k in keys if k)
    clitic_groups: set[int] = set()
    by_key = {k: i for i, (_t, k) in enumerate(group_keys)}
    for i, (_typ, k) in enumerate(group_keys):
        if k[:1] in _CLITIC_LETTERS and len(k.split()[0]) > 3:
            j = by_key.get(k[1:])
            if j is not None and group_weight0[j] >= max(2, group_weight0[i]):
                uf.union(i, j)
                clitic_groups.add(i)
    # … and a clitic typed inside a name, on a later word (كيم جونغ لأيل for كيم جونغ إيل): the same rule.
    for i, (typ, k) in enumerate(group_keys):
        words = k.split()
        for p in range(1, len(words)):
            if words[p][:1] in _CLITIC_LETTERS and len(words[p]) > 3:
                j = by_key.get(" ".join((*words[:p], words[p][1:], *words[p + 1:])))
                if j is not None and group_keys[j][0] == typ and group_weight0[j] >= max(2, group_weight0[i]):
                    uf.union(i, j)
                    break
    # 2c. The article the tagger kept on one mention and not on another (الدولار / دولار): a place,
    # organisation or other name without «ال» and with it are one, when both have the same type. Not
    # persons: حسن and الحسن, أسد and الأسد are different names. Not a bare name that the batch also writes
    # after the word for an organisation's kind (حركة فتح): that name has no article, and الفتح (the club)
    # is another organisation.
    kind_named = {" ".join(k.split()[1:]) for typ, k in group_keys
                  if typ == "ORG" and len(k.split()) > 1 and k.split()[0] in _ORG_KINDS}
    for i, (typ, k) in enumerate(group_keys):
        if typ != "PER" and k.startswith("ال") and len(k.split()[0]) > 4:
            if k[2:] in kind_named:
                continue
            j = by_key.get(k[2:])
            local = _local_places().get(k[2:])
            if local and _g_letters(spelling.get(k, "")) not in local:
                continue  # الشجرة «the tree» is not شقرة (Shaqra)
            if j is not None and group_keys[j][0] == typ:
                uf.union(i, j)
    # 2c'. A facility with and without «الدولي» (مطار الملك خالد / مطار الملك خالد الدولي): one place, when
    # both have the same type and the name has a word besides the facility's.
    for i, (typ, k) in enumerate(group_keys):
        words = k.split()
        if typ != "PER" and len(words) > 2 and words[-1] in _INTERNATIONAL:
            j = by_key.get(" ".join(words[:-1]))
            if j is not None and group_keys[j][0] == typ:
                uf.union(i, j)
    # 2c''. An organisation with and without the word for its kind (تنظيم داعش / داعش, حركة حماس / حماس, شركة
    # أبل / أبل): one, when both are organisations.
    for i, (typ, k) in enumerate(group_keys):
        words = k.split()
        if typ == "ORG" and len(words) > 1 and words[0] in _ORG_KINDS:
            j = by_key.get(" ".join(words[1:]))
            if j is not None and group_keys[j][0] == "ORG" and group_keys[j][1] not in _ORG_KIND_NOT_NAMES:
                uf.union(i, j)
    # 2d. A model and its number (سو - 35 / سوخوي سو - 35 / سوخوي-35): not persons, the same numbers, and each
    # word of the shorter name begins a word of the longer.
    by_number: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, (typ, k) in enumerate(group_keys):
        numbers = tuple(w for w in k.split() if any(c.isdigit() for c in w))
        if typ != "PER" and numbers and len(numbers) < len(k.split()):
            by_number[numbers].append(i)
    for members in by_number.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                if _same_model(group_keys[members[x]][1], group_keys[members[y]][1]):
                    uf.union(members[x], members[y])
    # 2e. A rare one-word name with its country's adjective (تاس الروسية / تاس, شينخوا الصينية / شينخوا): one
    # organisation or person, when both have the same type. Not a common word (الجيش السوري and الجيش
    # اليمني are two armies), and not a place (كوريا الشمالية is no adjective's phrase).
    lexicon = ner.load_tagger().lexicon
    adjectival: set[int] = set()  # those groups: shown by the name without the adjective
    for i, (typ, k) in enumerate(group_keys):
        words = spelling.get(k, "").split()
        if typ == "LOC" or len(words) != 2 or countries.country_of_adjective(words[1]) is None:
            continue
        j = by_key.get(k.split()[0]) if len(k.split()) == 2 else None
        if j is not None and group_keys[j][0] == typ and lexicon.count(words[0]) < COMMON_WORD_MIN:
            uf.union(i, j)
            adjectival.add(i)
    # 2f. An alias the batch gives in brackets after the full name (حلف شمال الأطلسي (الناتو)): one, with the
    # same type (``_trusted_aliases``).
    for i, j in _trusted_aliases(aliases, by_key, uf, group_keys):
        uf.union(i, j)
    # 3. A lineage without its family name (سلمان بن عبدالعزيز) is the one lineage of the batch with it
    # (سلمان بن عبدالعزيز آل سعود); before the short forms, which then see one candidate, not two.
    with_family: dict[str, list[int]] = defaultdict(list)
    for i, (typ, k) in enumerate(group_keys):
        words = k.split()
        if typ == "PER" and len(words) >= 5 and words[-2] in _FAMILY and any(w in _SON_OF for w in words[:-2]):
            with_family[" ".join(words[:-2])].append(i)
    for base, longer in with_family.items():
        j = index.get(("PER", base))
        roots = {uf.find(x) for x in longer}
        if j is not None and len(roots) == 1:
            uf.union(j, longer[0])
    # 3a. Short forms of a person: a single word that is the first or last word of one longer name.
    contexts: dict[str, set[int]] = defaultdict(set)
    for m, k in zip(mentions, keys, strict=True):
        if k:
            ctx = context.get(m.article_id, "") if context else ""
            contexts[ctx].add(index[(key_type[k], k)])
    group_weight: Counter[int] = Counter()
    for k in keys:
        if k:
            group_weight[index[(key_type[k], k)]] += 1
    prev_groups = {index[(key_type[e.key or name_key(e.name)], e.key or name_key(e.name))]
                   for e in previous if (e.key or name_key(e.name))}
    joined: set[int] = set()  # short names already joined to a longer name (in one context: never two)
    arts_of: dict[int, set[str]] = defaultdict(set)  # group → the batch's articles that name it
    in_article: dict[str, set[int]] = defaultdict(set)  # article → the groups it names
    for m, k in zip(mentions, keys, strict=True):
        if k:
            g = index[(key_type[k], k)]
            arts_of[g].add(m.article_id)
            in_article[m.article_id].add(g)

    def same_company(short: int, longer: Sequence[int]) -> bool:
        """The short name's articles and the longer name's name some other entity in common (or one of the
        two has no article of the batch to tell): «كروس» among Real Madrid's names is not Al-Ahli's coach
        «كريستيان جروس»."""
        a_short = arts_of.get(short, set())
        a_long = set().union(*(arts_of.get(j, set()) for j in longer))
        if not a_short or not a_long or a_short & a_long:
            return True
        skip = {uf.find(short), *(uf.find(j) for j in longer)}
        near_short = {uf.find(g) for a in a_short for g in in_article[a]} - skip
        near_long = {uf.find(g) for a in a_long for g in in_article[a]} - skip
        return not near_short or not near_long or bool(near_short & near_long)

    for in_context in contexts.values():
        _join_short_forms(group_keys, in_context | prev_groups, uf, group_weight, joined, same_company)
    # 3b. Within one article a short name is the longer name the article names far more often than the others.
    group_of = [index[(key_type[k], k)] if k else -1 for k in keys]
    root_of = [uf.find(g) if g >= 0 else -1 for g in group_of]
    named = Counter(group_weight)  # with the mentions of the entities already stored
    for e in previous:
        if k := e.key or name_key(e.name):
            named[index[(key_type[k], k)]] += e.mentions
    for pos, root in _article_referents(mentions, group_of, group_keys, uf, named).items():
        root_of[pos] = root
    # 3c. A one-word name of a person left between several longer names (محمد: محمد بن نايف, محمد الثبيتي…;
    # عبدالله: عبدالله صالح, عبدالله بن عبدالعزيز) names no one in particular: its mentions stay without an
    # entity, rather than make one entity of many people.
    ambiguous = set(_ambiguous_short_names(group_keys, uf, named))
    if ambiguous:
        root_of = [-1 if r in ambiguous else r for r in root_of]
    # 4. Entities.
    if clitic_groups:  # write those mentions without their clitic
        mentions = [_drop_clitic(m) if g in clitic_groups else m for m, g in zip(mentions, group_of, strict=True)]
    spellings: dict[int, Counter[str]] = defaultdict(Counter)
    plain: dict[int, Counter[str]] = defaultdict(Counter)  # not a country's official name or adjective
    common: dict[int, str] = {}  # the common name of a country named by its official name or adjective
    votes: dict[int, Counter[str]] = defaultdict(Counter)
    for m, root, r, g in zip(mentions, root_of, renamed, group_of, strict=True):
        if root >= 0:
            spellings[root][m.text] += 1
            votes[root][m.type] += 1
            if r:
                common.setdefault(root, r[1])
            elif g not in adjectival:
                plain[root][m.text] += 1
    prev_by_root: dict[int, list[Entity]] = defaultdict(list)
    for e in previous:
        k = e.key or name_key(e.name)
        if k:
            root = uf.find(index[(key_type[k], k)])
            prev_by_root[root].append(e)
            votes[root][e.type] += max(1, e.mentions)
    entities: dict[int, Entity] = {}
    for root, counts in spellings.items():
        typ = _majority_type(votes[root])
        placed = sum(n for v, n in counts.items() if name_key(v) in place_keys)
        if typ in ("PER", "MISC") and placed * 2 >= sum(counts.values()):
            typ = "LOC"  # a country or city of CLDR's (the tagger reads بيونغ يانغ as a Korean person's name)
        elif typ in ("LOC", "PER") and _is_currency_name(counts):
            typ = "MISC"  # «اليورو» read as a place: a currency (MISC, as in ANERcorp); «الريال» as ORG is the club
        olds = prev_by_root.get(root, [])
        all_counts = Counter(counts)
        for old in olds:
            for variant in old.variants:
                all_counts[variant] += 0
        if root in common and not plain.get(root):
            name = common[root]  # «الكورية الشمالية», «كوريا الديمقراطية» alone: shown as كوريا الشمالية
        else:
            name = _display_name(plain.get(root) or counts, olds)
        if typ == "LOC" and not olds:
            name = _cldr_spelling(name)  # اوزبكستان → أوزبكستان (the key, so the id, is the same)
        key = _group_key(name)
        ent_id = olds[0].id if olds else stable_id("e", typ, key)
        if olds:
            key = olds[0].key or key
        variants = tuple(sorted(set(all_counts), key=lambda v: (-all_counts[v], v)))
        total = sum(counts.values()) + sum(o.mentions for o in olds)
        entities[root] = Entity(id=ent_id, name=name, type=typ, variants=variants,  # type: ignore[arg-type]
                                mentions=total, key=key, merged=tuple(o.id for o in olds[1:] if o.id != ent_id))
    out_mentions = []
    for m, root in zip(mentions, root_of, strict=True):
        if root < 0:
            out_mentions.append(m)
            continue
        ent = entities[root]
        out_mentions.append(replace(m, entity_id=ent.id, type=ent.type))
    ordered = sorted(entities.values(), key=lambda e: (-e.mentions, e.name))
    return ordered, out_mentions


def related_entities(mentions: Sequence[EntityMention], previous: Sequence[Entity]) -> list[Entity]:
    """The stored entities that ``unify`` can join ``mentions`` to or weigh against them: those with a word
    in common with a mention, compared by skeleton after the key's folding, with a clitic letter or «ال» on
    or off on either side. Every rule of ``unify`` relates two names through such a word (a spelling, a
    short form, a lineage, a clitic left on, a country's official name, a model's number), so a batch
    unified against these gets the entities it would get against the whole store, at a cost that follows
    the batch and not the store (about 0.25 s per one-article batch against 8,000 stored entities before)."""
    probes: set[str] = set()
    for m in mentions:
        probes |= _name_probes(m.text, m.type)
    return [e for e in previous if _name_probes(e.name, e.type, e.key) & probes]


@lru_cache(maxsize=1 << 17)
def _name_probes(text: str, typ: str, key: str = "") -> frozenset[str]:
    """The word skeletons of a name's keys (its own, its group's, its country's common name's, its match
    form), each also with its first letter or «ال» off and with «ال» on."""
    k = _group_key(text)
    country = _country_key(text, k, typ)
    out: set[str] = set()
    for whole in (key, k, country[0] if country else "", arabic.match(text)):
        for w in whole.replace("#", " ").replace("~", "").split():
            out.add(skeleton(w))
            out.add(skeleton("ال" + w))
            if len(w) > 3:
                out.add(skeleton(w[1:]))
            if w.startswith("ال"):
                out.add(skeleton(w[2:]))
    return frozenset(out)


@lru_cache(maxsize=1)
def _country_keys() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """Keys of countries' official names → (key, display) of the common name; the unambiguous ones, and
    those that are the country only when the mention is a place."""
    def keyed(names: Mapping[str, str]) -> dict[str, tuple[str, str]]:
        return {name_key(v): (name_key(c), c) for v, c in names.items()}
    return keyed(countries.OFFICIAL_NAMES), keyed(countries.AMBIGUOUS_NAMES)


def _country_key(text: str, key: str, typ: str) -> tuple[str, str] | None:
    """(key, display) of the common name of the country that ``text`` (key ``key``) names by its official
    name (كوريا الديمقراطية) or, for a place, by its adjective (الكورية الشمالية), else None."""
    official, ambiguous = _country_keys()
    if key in official:
        return official[key]
    if typ != "LOC":
        return None
    if key in ambiguous:
        return ambiguous[key]
    phrase = countries.country_of_phrase(arabic.match(text).split())
    if phrase is None or name_key(phrase[1]) == key:
        return None
    common = countries.common_name(phrase[0]) or phrase[1]  # الأمريكي → أمريكا → الولايات المتحدة
    return official[name_key(common)] if name_key(common) in official else (name_key(common), common)


def _same_model(a: str, b: str) -> bool:
    """Two keys with the same numbers whose words are one model's (سو 35 / سوخوي سو 35 / سوخوي 35): each word
    of the name with fewer words begins a word of the other, and each word of the other begins with one of
    them (not جالاكسي إس6 ايدج and جالاكسي إس6 ايدج بلس, two phones)."""
    wa = [w for w in a.split() if not any(c.isdigit() for c in w)]
    wb = [w for w in b.split() if not any(c.isdigit() for c in w)]

    def covers(short: list[str], long: list[str]) -> bool:
        return (bool(short) and len(short) <= len(long)
                and all(len(w) >= 2 and any(v.startswith(w) for v in long) for w in short)
                and all(any(v.startswith(w) for w in short) for v in long))
    return covers(wa, wb) or covers(wb, wa)


COMMON_NAME_MIN = 50  # both spellings this often in the news: two names (محمد / محمود), not one name's spellings


def _distinct_names(a: str, b: str) -> bool:
    """Two persons' names (match form) that the spelling rule would join, but a word of one and the word
    of the other in its place are both common in the news (COMMON_NAME_MIN): محمد and محمود, حسن and حسين,
    سلمان and سليمان are different names; a foreign name's variant spellings are rare (ديمتري / دميتري). Nor
    are two Arabic family names with «ال» that differ in more than hamza and final forms (السباعي and السبيعي,
    العوفي and العويفي): their long vowels are letters of the name, not a transliteration's choice."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return False
    lexicon = ner.load_tagger().lexicon
    return any(x != y and name_key(x) != name_key(y)
               and (min(lexicon.count(x), lexicon.count(y)) >= COMMON_NAME_MIN
                    or (x.startswith("ال") and y.startswith("ال")))
               for x, y in zip(wa, wb, strict=True))


def _vowels_moved(a: str, b: str, place_keys: frozenset[str]) -> bool:
    """One of the one-word keys is a CLDR place's and the other is not it with long vowels left out or added (بوروندي /
    بورندي, أرمينيا / أرمنيا) or one moved (الدنمارك / الدانمرك, سريلانكا / سيرلانكا), but with other long
    vowels: another word (القاهرة / الجوهرة «the jewel», تركيا / ترويكا «troika», أنغولا / أنغيلا, Angola and
    Anguilla, كراتشي / قريشي). A country's or city's spelling varies little; only foreign people's names
    are transliterated with any vowels (زاموديو / زاميديو)."""
    if a == b or " " in a or " " in b or not ({a, b} & place_keys):
        return False  # (a name of several words is told by all its words: بيونج يونج is بيونغ يانغ)
    return not all(_subsequence(x, y) or _subsequence(y, x) or sorted(x) == sorted(y)
                   for x, y in zip(a.split(), b.split(), strict=False))


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


@lru_cache(maxsize=1)
def _place_keys() -> frozenset[str]:
    """Keys of CLDR's Arabic place names (babel): the countries and territories, and the cities that name
    time zones (بيونغ يانغ، فلاديفوستك، الدار البيضاء…, about 420), kept when they cannot be common words or
    first names: of several words, or with a skeleton of four letters or more (not ماهي، جوني، روما).

    (The NER gazetteer has the countries only: with the cities too the CRF scored 0.721 instead of 0.725 on
    the development split, with name propagation; docs/evaluation.md.)"""
    keys = (name_key(n) for n in _cldr_places())
    return frozenset(k for k in keys if k and (" " in k or len(skeleton(k)) >= 4))


@lru_cache(maxsize=1)
def _gazetteer_place_keys() -> frozenset[str]:
    """Keys of the one-word places of the NER gazetteer (WikiFANE, AQMAR, ANERcorp's training names) with a
    skeleton of four letters or more: الشارقة, سامراء, بورما, أوريغون."""
    gaz = ner.load_tagger().gazetteer
    keys = (name_key(k[0]) for k, t in gaz.names.items() if t == "LOC" and len(k) == 1)
    return frozenset(k for k in keys if k and " " not in k and len(skeleton(k)) >= 4)


@lru_cache(maxsize=1)
def _cldr_places() -> tuple[str, ...]:
    """CLDR's Arabic names of countries and territories and of the cities that name time zones."""
    try:
        from babel import Locale
    except ImportError:  # pragma: no cover - babel is a dependency
        LOGGER.warning("babel missing: entities are typed by the tagger alone")
        return ()
    locale = Locale("ar")
    names = [name for code, name in locale.territories.items() if code.isalpha() and len(code) == 2]
    names += [zone["city"] for zone in locale.time_zones.values() if zone.get("city")]
    return tuple(names)


def _cldr_spelling(name: str) -> str:
    """CLDR's spelling of a place written without its hamza seats or with other alef forms (اوزبكستان →
    أوزبكستان, ايران → إيران); any other name unchanged."""
    return _cldr_by_match().get(arabic.match(name), name)


@lru_cache(maxsize=1)
def _cldr_by_match() -> dict[str, str]:
    """Match form → CLDR spelling, for the CLDR places whose match form is theirs alone."""
    forms: dict[str, set[str]] = defaultdict(set)
    for n in _cldr_places():
        forms[arabic.match(n)].add(n)
    return {m: next(iter(v)) for m, v in forms.items() if len(v) == 1}


@lru_cache(maxsize=1)
def _colliding_places() -> dict[str, frozenset[str]]:
    """Keys that two different CLDR places share (كينيا and غينيا: ك and غ are both a g) → the match forms
    of those places."""
    forms: dict[str, set[str]] = defaultdict(set)
    for n in _cldr_places():
        if k := name_key(n):
            forms[k].add(arabic.match(n))
    return {k: frozenset(v) for k, v in forms.items() if len(v) > 1}


@lru_cache(maxsize=1)
def _local_places() -> dict[str, frozenset[str]]:
    """Key → the g-letters (ج غ ق ك, in order) of each spelling the news' place lexicon (``marsad.places``,
    mined from the Saudi news) holds with that key, for its places written with a g-letter. An Arab town's
    name is spelt one way: Jazan is جازان, and كازان or قازان with the same key is another place (Kazan)."""
    from marsad import places  # the stories' place lexicon (a small file; places does not import entities)
    out: dict[str, set[str]] = defaultdict(set)
    for m in places.load_places():
        if (g := _g_letters(m)) and (k := name_key(m)):
            out[k].add(g)
    return {k: frozenset(v) for k, v in out.items()}


def _g_letters(m: str) -> str:
    return "".join(_G_RE.findall(m))


def _rekeyed(key: str) -> bool:
    """A stored entity with this key gets its key again from its name (keys that this version splits)."""
    return (key in _colliding_places() or key in _local_places() or any(c.isdigit() for c in key)
            or any(w in _fixed_g_keys() for w in key.split()))


@lru_cache(maxsize=1)
def _fixed_g_words() -> frozenset[str]:
    """Words (match form) the g-folding of ``name_key`` must not join to another word: spellings of one key
    that the news both writes often (``COMMON_NAME_MIN`` times or more) and that are both words of persons'
    names in the gazetteer: two Arabic names, not one foreign name's transliterations — جمال and كمال, جاسم and
    قاسم. (Not جون against كون «being»: جون is also the Jong of كيم جون أون; not الكونغرس / الكونجرس, جوجل /
    غوغل.)"""
    tagger = ner.load_tagger()
    person = {w for w, roles in tagger.gazetteer.parts.items() if any(r.startswith("PER") for r in roles)}
    spellings: dict[str, list[str]] = defaultdict(list)
    for w, n in tagger.lexicon.counts.items():
        if n >= COMMON_NAME_MIN and _G_RE.search(w):
            spellings[name_key(w)].append(w)
    return frozenset(w for ws in spellings.values()
                     if len(named := [w for w in ws if w in person and len(w) > 2]) > 1 for w in named)


@lru_cache(maxsize=1)
def _fixed_g_keys() -> frozenset[str]:
    return frozenset(name_key(w) for w in _fixed_g_words())


def _fixed_g_key(text: str) -> str | None:
    """``name_key(text)`` with each word of ``_fixed_g_words`` marked by its own g-letters (جمال → Gمال~ج,
    كمال → Gمال~ك), or None when the text has no such word."""
    m = _NON_LETTER_RE.sub(" ", arabic.match(text))
    words = _ABD_RE.sub(r"\1", " ".join(m.split())).split()
    fixed = _fixed_g_words()
    if fixed.isdisjoint(words):
        return None
    return " ".join(name_key(w) + (f"~{_g_letters(w)}" if w in fixed else "") for w in words)


def _group_key(text: str) -> str:
    """``name_key(text)``, except for a place whose key another CLDR place shares: its own spelling is
    added, so Kenya and Guinea stay two places; and for a name whose key is a local place's but with other
    g-letters than the place lexicon spells it (كازان, قازان against جازان; جرش, Jerash, against كرش): «~» is
    added, so they are one name apart from the local place (``_local_places``)."""
    k = name_key(text)
    colliding = _colliding_places().get(k)
    if colliding:
        m = arabic.match(text)
        if m in colliding:
            return f"{k}#{m}"
    local = _local_places().get(k)
    if local and _g_letters(arabic.match(text)) not in local:
        return f"{k}~"
    return _fixed_g_key(text) or k


def _drop_clitic(m: EntityMention) -> EntityMention:
    """The mention without its first letter (and that letter's harakat)."""
    i = 1
    while i < len(m.text) and _MARK_RE.match(m.text[i]):
        i += 1
    return replace(m, text=m.text[i:], start=m.start + 1)


def _majority_type(votes: Counter[str]) -> str:
    best = max(votes.values())
    for t in _TYPES:
        if votes.get(t, 0) == best:
            return t
    return "MISC"


def _display_name(counts: Counter[str], olds: Sequence[Entity]) -> str:
    """The most complete common spelling: most words first, then most mentions, then without harakat."""
    if olds and olds[0].name and not counts:
        return olds[0].name
    cands = Counter(counts)
    for old in olds:
        cands[old.name] += old.mentions
    return max(cands, key=lambda v: (len(v.split()), cands[v], -len(v), v))


def _join_short_forms(group_keys: Sequence[tuple[str, str]], members: set[int], uf: _Groups,
                      weights: Mapping[int, int], joined: set[int],
                      related: Callable[[int, Sequence[int]], bool] | None = None) -> None:
    """Join a person's one-word name to the single longer name (in ``members``) that starts or ends with it,
    or to the one that dominates the context's mentions (``_dominant``). A short name joins one longer name
    only, whatever the contexts (``joined``): الهذلول of one story must not chain صالح الهذلول to another
    story's هذلول بن حسين الهذلول. With ``related``, a one-word name joins only a longer name it keeps
    company with (``related(short, longer names)``)."""
    by_edge = _edges(group_keys, members)
    done = {uf.find(x) for x in joined}  # the groups a short name of which joined a longer name
    for i in sorted(members):
        typ, k = group_keys[i]
        if typ != "PER" or " " in k or len(k) < 3 or i in joined or uf.find(i) in done:
            continue  # (or a spelling variant of it, كيناتا / كينياتا, joined one already)
        cands: Counter[int] = Counter()
        names_of: dict[int, list[int]] = defaultdict(list)
        for j in _longer(k, by_edge, group_keys):
            cands[uf.find(j)] += weights.get(j, 1)
            names_of[uf.find(j)].append(j)
        if uf.find(i) in cands:
            continue  # its group holds one of these names already
        best = _dominant(cands)
        if best is not None and (related is None or related(i, names_of[best])):
            uf.union(i, best)
            joined.add(i)
            done.add(uf.find(i))
    # A name of several words that a longer name only continues with its lineage (سعود الفيصل → سعود الفيصل بن
    # عبدالعزيز, محمد بن سلمان → محمد بن سلمان بن عبد العزيز): the same person, also where the batch writes
    # them apart. Not a name the longer one ends with (محمد الزهراني is the father in عبدالله محمد الزهراني;
    # within an article, see ``_article_referents``), nor one it continues with other words (a tagging
    # slip: «محمود الصبيحي المحتجز»; another man: «عمر بن عبد العزيز الهبدان»).
    for i in sorted(members):
        typ, k = group_keys[i]
        if typ != "PER" or " " not in k or i in joined or uf.find(i) in done:
            continue
        words = k.split()
        if words[0] in _LINEAGE_LINKS:
            continue  # «بن عبدالعزيز»: the son of one of many
        cands = Counter()
        for j in by_edge.get(skeleton(words[0]), ()):
            other = group_keys[j][1].split()
            if (len(other) > len(words) + 1 and other[len(words)] in _LINEAGE_LINKS
                    and all(_same_word(a, b) for a, b in zip(words, other, strict=False))):
                cands[uf.find(j)] += weights.get(j, 1)
        _join_dominant(i, cands, uf, joined, done)
    # A foreign surname with its particle (دي ميستورا, فان غال, دي بروين): the longer name that ends with it.
    for i in sorted(members):
        typ, k = group_keys[i]
        words = k.split()
        if typ != "PER" or len(words) < 2 or words[0] not in _PARTICLE_KEYS or i in joined or uf.find(i) in done:
            continue
        cands = Counter()
        for j in by_edge.get(skeleton(words[-1]), ()):
            other = group_keys[j][1].split()
            if len(other) > len(words) and all(
                    _same_word(a, b) for a, b in zip(words, other[-len(words):], strict=True)):
                cands[uf.find(j)] += weights.get(j, 1)
        _join_dominant(i, cands, uf, joined, done)


_PARTICLE_KEYS = frozenset(name_key(w) for w in _FOREIGN_PARTICLES)


def _join_dominant(i: int, cands: Counter[int], uf: _Groups, joined: set[int], done: set[int]) -> None:
    """Join group ``i`` to the candidate group that dominates ``cands`` (none when its group is one of them)."""
    if not cands or uf.find(i) in cands:
        return
    best = _dominant(cands)
    if best is not None:
        uf.union(i, best)
        joined.add(i)
        done.add(uf.find(i))


def _ambiguous_short_names(group_keys: Sequence[tuple[str, str]], uf: _Groups,
                           named: Mapping[int, int]) -> list[int]:
    """Roots of the groups of persons named by one word only (no longer name joined them) whose word starts
    or ends longer names of two or more groups, none of them named (``named``: mentions of the batch and
    of the stored entities, per group) ``DOMINANCE`` times as often as the others together."""
    roots: dict[int, list[int]] = defaultdict(list)
    for i in range(len(group_keys)):
        roots[uf.find(i)].append(i)
    by_edge = _edges(group_keys, range(len(group_keys)))
    out = []
    for root, members in roots.items():
        if any(group_keys[i][0] != "PER" or " " in group_keys[i][1] for i in members):
            continue
        longer = sorted({j for i in members for j in _longer(group_keys[i][1], by_edge, group_keys)
                         if uf.find(j) != root}, key=lambda j: len(group_keys[j][1]))
        cands: Counter[int] = Counter()
        for j in longer:
            k = group_keys[j][1]
            # a longer name that ends or starts with a shorter candidate is that one with a tagging slip
            # («والسيناريست السينمائي المصري رأفت الميهي» is رأفت الميهي)
            inner = next((c for c in longer if c != j and len(group_keys[c][1]) < len(k)
                          and (k.endswith(" " + group_keys[c][1]) or k.startswith(group_keys[c][1] + " "))), j)
            cands[uf.find(inner)] += named.get(j, 0) or 1
        if len(cands) >= 2 and _dominant(cands) is None:
            out.append(root)
    return out


def _edges(group_keys: Sequence[tuple[str, str]], members: Iterable[int]) -> dict[str, list[int]]:
    """Skeleton of the first and of the last word of each longer name of a person → those names."""
    by_edge: dict[str, list[int]] = defaultdict(list)
    for j in members:
        typ, k = group_keys[j]
        if typ == "PER" and " " in k:
            words = k.split()
            for w in {skeleton(words[0]), skeleton(words[-1])}:
                by_edge[w].append(j)
    return by_edge


def _longer(k: str, by_edge: Mapping[str, list[int]], group_keys: Sequence[tuple[str, str]]) -> list[int]:
    """The longer names (in ``by_edge``) whose first or last word is the one-word key ``k``; not the last
    word of a lineage (سعود in محمد بن سعود is his father). A family name may be (صمغان of محمد آل صمغان),
    unless it ends a whole lineage and is also a given name: «الملك سعود» is King Saud, not سلمان بن
    عبدالعزيز آل سعود."""
    out = []
    given = _first_name_keys(ner.load_tagger())
    k = k.removesuffix("~")  # كازان apart from جازان (``_group_key``) is still the كازان of روبن كازان
    for j in by_edge.get(skeleton(k), ()):
        words = group_keys[j][1].split()
        # a dynasty after a whole lineage («… بن عبدالعزيز آل سعود») whose name is also a given name
        dynasty = words[-2] in _FAMILY and k in given and not _SON_OF.isdisjoint(words)
        lineage = words[-2] in _SON_OF or dynasty
        # one word alone is closer to the word it shortens than two spellings of a whole name may be
        # (جيوفاني is not كافاني of أدينسون كافاني; كيناتا is كينياتا); and not a common name of the news for
        # another (مساعد, a tagging slip, is not مسعود of مسعود بارزاني)
        word = words[0] if _same_short(k, words[0]) else words[-1] if not lineage and _same_short(k, words[-1]) else ""
        if word and not _distinct_names(k, word):
            out.append(j)
    return out


SHORT_FUZZY_MIN = 85.0  # rapidfuzz ratio (0-100) of a one-word short form and the word of a longer name


def _same_short(k: str, w: str) -> bool:
    return k == w or (_same_word(k, w) and Indel.normalized_similarity(k, w) * 100 >= SHORT_FUZZY_MIN)


def _longer_words(k: str, people: Iterable[int], group_keys: Sequence[tuple[str, str]]) -> list[int]:
    """The longer names of a person (among ``people``) that start or end with the words of the
    several-word key ``k``: نصر الله in حسن نصر الله, عبدالله صالح in علي عبدالله صالح."""
    words = k.split()
    n = len(words)
    if words[0] in _FAMILY or words[0] in _SON_OF:
        return []  # آل سعود is the family; بن عبدالعزيز is the son of one of many
    out = []
    for j in people:
        other = group_keys[j][1].split()
        if len(other) <= n:
            continue
        # the end of a lineage is the father: خالد بن عبدالعزيز in فيصل بن خالد بن عبدالعزيز is not Faisal
        tails = () if other[-n - 1] in _SON_OF else (other[-n:],)
        for part in (*tails, other[:n]):
            if all(_same_word(a, b) for a, b in zip(words, part, strict=True)):
                out.append(j)
                break
    return out


def _article_referents(mentions: Sequence[EntityMention], group_of: Sequence[int],
                       group_keys: Sequence[tuple[str, str]], uf: _Groups,
                       weights: Mapping[int, int]) -> dict[int, int]:
    """Mention position → group root, for a person's short name in an article that also names it in full:
    one word that is the first or last word of a longer name, or several words that begin or end one
    (``_longer_words``).

    The candidates are the article's longer names of a person whose first or last word it is and that are
    named at least twice (``weights``: mentions per group, the batch's and the stored entities'; one slip
    of the tagger such as «سلمان ينتهج», or one «عبدالله بن خميس» next to «طريق الملك عبدالله», is no
    referent). The short name is the candidate the article names far more often than the others
    (``_dominant``), or else the one named far more often overall (a repeated caption tagged «كيم يحيي
    مودعيه» next to كيم جونغ أون must not leave «كيم» unresolved). A reader resolves «كيم» so: the كيم
    جونغ أون the article is about, even where it names his father كيم جونغ إيل once. The name is resolved
    in that article only, so «الغامدي» of one article and of another can be two people."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for pos, m in enumerate(mentions):
        if group_of[pos] >= 0:
            by_article[m.article_id].append(pos)
    root_weight: Counter[int] = Counter()
    for j, w in weights.items():
        root_weight[uf.find(j)] += w
    out: dict[int, int] = {}
    for positions in by_article.values():
        named: Counter[int] = Counter(group_of[p] for p in positions)
        people = [g for g in named if group_keys[g][0] == "PER"]
        if len(people) < 2:
            continue
        by_edge = _edges(group_keys, named)
        if not by_edge:
            continue
        first_at: dict[int, int] = {}
        for p in positions:
            first_at.setdefault(group_of[p], mentions[p].start)
        for g in people:
            k = group_keys[g][1]
            # a name of two letters (لي of «لي سونغ»): only the one longer name the article gave before it,
            # named twice or made of known name words (not «المرافق لي سلمني», "handed me") — across
            # articles it is too common a surname to resolve
            two = len(k) < 3
            if two and " " in k:
                continue
            longer = _longer(k, by_edge, group_keys) if " " not in k else _longer_words(k, people, group_keys)
            here: Counter[int] = Counter()
            for j in longer:
                if two:
                    ok = first_at[j] < first_at[g] and (root_weight[uf.find(j)] >= 2 or all(
                        w == k or w in _known_word_keys(ner.load_tagger()) for w in group_keys[j][1].split()))
                else:
                    ok = root_weight[uf.find(j)] >= 2
                if ok:
                    here[uf.find(j)] += named[j]
            if two:
                best = next(iter(here)) if len(here) == 1 else None
            elif (best := _dominant(here)) is None:
                best = _dominant(Counter({r: root_weight[r] for r in here}))
            if best is not None:
                for p in positions:
                    if group_of[p] == g:
                        out[p] = best
    return out


def _dominant(cands: Counter[int]) -> int | None:
    """The one candidate, or the candidate named at least ``DOMINANCE`` times as often as all the others
    together (a tagging slip such as بأن بوتين must not make بوتين ambiguous)."""
    if not cands:
        return None
    (best, n), *rest = cands.most_common()
    others = sum(c for _, c in rest)
    return best if not rest or (n >= 2 and n >= DOMINANCE * others) else None


def article_entity_keys(mentions: Sequence[EntityMention]) -> dict[str, Counter[str]]:
    """Per article, how often each entity is named: ``{article_id: Counter({entity_id or TYPE:key: n})}``.

    Pass unified mentions (with ``entity_id``) to count entities; raw mentions count ``TYPE:key`` strings.
    This is the entity signal for story clustering."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        out[m.article_id][m.entity_id or f"{m.type}:{name_key(m.text)}"] += 1
    return dict(out)
