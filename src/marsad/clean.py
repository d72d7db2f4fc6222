"""Clean noisy scraped pages and split them into their real articles, keeping the metadata apart.

A scraped page is rarely one article. Besides the article it holds its title again, image captions
(often two to four times, ending in an agency mark such as ``(أ.ف.ب)``), "related articles" blocks
(a section label, then captions, headlines, one-line summaries and bylines), source and keyword lines,
"click here" lines, tweet embeds, glued artifacts (``إعلانوبهذا``) and, quite often, whole unrelated
articles appended after the main one. :func:`split_document` turns one :class:`Document` into the list
of its real :class:`Article` values:

1. every line is put in display form (:func:`marsad.arabic.display`) and glued artifacts are undone
   (an ad marker glued to the next word, a subheading glued to the paragraph after it);
2. every line gets a *kind* from general signals only: body sentence, title-like short line, caption
   (agency-mark suffix, photo language, repetition), byline, section label, source / keyword / date /
   dateline line, tweet embed, "click here" line, junk marker, or a boilerplate line learned for the
   outlet (:func:`learn_boilerplate`);
3. a small state machine walks the lines: a page header (title, standfirst, captions, the title
   repeated, a byline/dateline), the body, then zones opened by section labels or end-of-article
   lines (source, keywords). A title-like line starts a *new article* when it is followed by at least
   two body paragraphs before any byline, and either sits in such a zone or is followed by a start
   signal (a date line, the title repeated, a cluster of captions). Teasers (headline, one summary
   line, byline) and headline lists never become articles; their headlines are kept in ``related``.
   Runs of short unpunctuated lines introduced by ':' (verse, lyrics) and lists introduced by ':'
   stay in the body; short lines after the last paragraph (signatures, credits, contact lines) and
   headlines injected mid-body do not.

HTML goes through a real extractor first (trafilatura, with jusText as a fallback) and its meta tags
give the title, date and site name; then the same text rules apply.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from html import unescape as html_unescape
from typing import Any

from .arabic import dediacritise, display, fold_alef, fold_digits, fold_quotes, match
from .ingest import outlet_from_url
from .records import Article, Document, stable_id

LOGGER = logging.getLogger(__name__)

__all__ = [
    "Boilerplate",
    "learn_boilerplate",
    "line_key",
    "outlet_key",
    "parse_date",
    "split_document",
    "split_text",
]

# ---------------------------------------------------------------------------------------------------
# Vocabulary of signals (match form where compared with match()).

_AGENCIES = (
    r"ا\.? ?ف\.? ?ب|رويترز|ا\.? ?ب|د\.? ?ب\.? ?ا|ا\.? ?ب\.? ?ا|واس|قنا|وام|بنا|كونا|سبا|الاناضول|شينخوا|"
    r"افب|اي بي|غيتي|جيتي|getty(?: images)?|afp|reuters|ap|epa|dpa|anadolu|xinhua|ارشيف|ارشيفيه|"
    r"ارشيفية|صوره ارشيفيه|الشرق الاوسط|متداوله|مواقع التواصل|تويتر|فيسبوك|انستغرام|يوتيوب|"
    r"لقطه من فيديو[^()]*|صوره[^()]*|تصوير[^()]*|الصوره[^()]*|لقطه[^()]*|[^()]*وكالات[^()]*"
)
# A caption ends with a parenthesised agency or photo credit, possibly "(أرشيف - رويترز)".
_CAPTION_TAIL_RE = re.compile(
    r"\((?:[^()]{0,40}?(?:-|–|/|،|,)\s*)?(?:" + _AGENCIES + r")(?:\s*(?:-|–|/|،|,)[^()]{0,40})?\)\s*$"
)
# Descriptive photo language in a short line without final punctuation.
_PHOTO_RE = re.compile(
    r"(?:^|\s)(?:في صوره|صوره (?:مركبه|ارشيفيه|جماعيه|تذكاريه|وزعتها|نشرتها|من)|لقطه من|"
    r"الصوره|بالصور|يظهر في|تظهر في|\(صوره\)|\(فيديو\))(?:\s|$)"
)
_SECTION_RE = re.compile(
    r"^(?:مقالات ذات صله|مقالات مشابهه|مقالات متعلقه|مقالات اخري|اخبار ذات صله|اخبار متعلقه|"
    r"مواضيع ذات صله|مواضيع مشابهه|موضوعات ذات صله|اخبار مشابهه|ذات صله|مرتبط|مرتبطه|"
    r"اقرا ايضا|اقرا ايضاً|اقرا المزيد|اقرا كذلك|اقرا اكثر|شاهد ايضا|شاهد كذلك|طالع ايضا|تابع ايضا|"
    r"الاكثر قراءه|الاكثر مشاهده|الاكثر تداولا|قد يهمك(?: ايضا)?|قد يعجبك(?: ايضا)?|اخترنا لك|"
    r"روابط ذات صله|المزيد من الاخبار|المزيد|\.{2,}\s*المزيد|اخبار اخري|"
    r"related(?: articles| posts| news)?|read more|read also|see also|more from [a-z ]+)"
    r"\s*[:.…]*\s*$"
)
_SOURCE_RE = re.compile(r"^(?:المصدر|مصدر الخبر|المصدر الاصلي|source)\s*[:：]\s*(.{2,60})$")
_KEYWORDS_RE = re.compile(
    r"^(?:كلمات دلاليه|الكلمات الدلاليه|كلمات مفتاحيه|الكلمات المفتاحيه|الوسوم|وسوم|الموضوعات|"
    r"مواضيع|tags|keywords)\s*[:：]\s*(.*)$"
)
_CLICK_RE = re.compile(
    r"(?:اضغط هنا|انقر هنا|اضغط علي الرابط|رابط الخبر|رابط المقال|الرابط المختصر|"
    r"اضغط الرابط|انقر علي الرابط|للاشتراك في|اشترك في|"
    r"تابعونا علي|تابعوا |حمل تطبيق|حملوا تطبيق|لمتابعه اخر|لمزيد من الاخبار|للمزيد من الاخبار|"
    r"شارك هذا|شارك الخبر|شارك المقال|طباعه الخبر|ارسل لصديق|click here|subscribe)"
)
_TWEET_RE = re.compile(
    r"(?:pic\.twitter\.com/|twitter\.com/\w+/status|^[—–-]\s*.{0,80}\(@\w+\)\s*\w*\s*\d{0,2},?\s*\d{0,4}\s*$)"
)
_URL_ONLY_RE = re.compile(r"^(?:https?://|www\.)\S+$")
_BULLET_RE = re.compile(r"^(?:[•·▪◦►▶●○■□◆◇\-*–]|\d{1,2}[.)-])\s+")
_AD_GLUE_RE = re.compile(r"^(?:إعلان|اعلان|Advertisement|advertisement)(?=[وف][\u0621-\u064a]{2})")
_AD_ONLY_RE = re.compile(r"^(?:إعلان|اعلان|advertisement|ad|ads|sponsored|إعلانات|اعلانات)$", re.IGNORECASE)
# "المستقلة/-" at the start of a paragraph: an outlet dateline.
_DATELINE_PREFIX_RE = re.compile(r"^([^\s/:]{2,20}(?: [^\s/:]{2,20}){0,2})\s*/\s*[-–—]\s*")
# "الجديد برس:" alone on a line.
_DATELINE_LINE_RE = re.compile(r"^([^\s:]{2,20}(?: [^\s:]{2,20}){0,2})\s*[:：]\s*$")
# «الشرق الأوسط» (كييف) or رائد جبر (موسكو): a byline of a related teaser.
_BYLINE_RE = re.compile(
    r"^(«[^»]{2,30}»|[^\s()«»:\d*•\-–]{2,20}(?: [^\s()«»:]{2,20}){0,3})\s*\(([^()*\d]{2,25})\)$"
)
_QUOTED_RE = re.compile(r"^«([^»]{2,30})»")
_TERMINAL_RE = re.compile(r"[.!؟?…:;؛][\"'»”’)\]]*\s*$")
_QUESTION_END_RE = re.compile(r"[؟?!][\"'»”’)\]]*\s*$")
_ARABIC_RE = re.compile(r"[\u0621-\u064a]")
_SPACES_RE = re.compile(r"\s+")
_DIGIT_RUN_RE = re.compile(r"\d+")
_EMAIL_URL_RE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")
_KEY_SEP_RE = re.compile(r"\s*[،,؛;|#/]\s*")
# Contact / signature lines: "للتواصل مع الكاتب ارسل رسالة SMS", "البريد الإلكتروني:".
_CONTACT_RE = re.compile(
    r"(?:للتواصل|ارسل رساله|ارسل sms|\bsms\b|البريد الالكتروني|بريد الكتروني|e-?mail|email protected|"
    r"\S+@\S+\.\w+|هاتف:|جوال:|فاكس:|ص\.ب|تويتر:|twitter:)"
)
# A section label with the related headlines glued after it: "مقالات أخرى للكاتب(…)(…)".
_SECTION_GLUED_RE = re.compile(r"^(?:مقالات اخري للكاتب|مقالات اخري|مقالات للكاتب|مقالات سابقه للكاتب)")
# Tags glued to the end of a paragraph after its final punctuation: "… بحسب رويترز. سمات الفيفا فساد".
_TAGS_SUFFIX_RE = re.compile(
    r"(?<=[.!؟?”\"»)\]])\s*(?:سمات|وسوم|الوسوم|كلمات دلالية|الكلمات الدلالية|Tags|tags)\s*:?\s+"
    r"([^.!؟?:«»\"“”]{2,120})$"
)
_TAGS_LINE_RE = re.compile(r"^(?:سمات|وسوم|الوسوم|tags)\s+(.+)$")
# A byline/dateline glued to the start of the first paragraph: "شقران الرشيدي- سبق- الرياض: كشف…".
_BYLINE_PREFIX_RE = re.compile(
    r"^((?:[^\s:.،\-–]+ ?){1,4}[-–]\s*)((?:[^\s:.،\-–]+ ?){1,4}[-–]\s*){0,3}[^\s:.،\-–]+(?: [^\s:.،\-–]+){0,2}\s*:\s+"
)
# A short head line with a dash between names: "طلال عبدالله ـ جدة", "عين اليوم – متابعات".
_DASH_SEP_RE = re.compile(r"\S\s*[-–—ـ]\s+\S|\S\s+[-–—ـ]\s*\S")
_QUOTED_FROM_RE = re.compile(r"^«([^»]{2,30})»\s*(?:من|[-–:])\s*\S+")

# ---------------------------------------------------------------------------------------------------
# Dates

_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        "يناير كانون الثاني|january jan",
        "فبراير شباط|february feb",
        "مارس اذار|march mar",
        "ابريل نيسان|april apr",
        "مايو ايار|may",
        "يونيو يونيه حزيران|june jun",
        "يوليو يوليه تموز|july jul",
        "اغسطس اب|august aug",
        "سبتمبر ايلول|september sep sept",
        "اكتوبر تشرين الاول|october oct",
        "نوفمبر تشرين الثاني|november nov",
        "ديسمبر كانون الاول|december dec",
    ),
    start=1,
):
    _ar, _en = _names.split("|")
    _parts = _ar.split(" ")
    # Two-word Levantine names first ("كانون الثاني"), then the single words.
    for _i, _p in enumerate(_parts):
        if _p in ("كانون", "تشرين"):
            continue
        if _p in ("الثاني", "الاول"):
            _MONTHS[f"{_parts[_i - 1]} {_p}"] = _num
        else:
            _MONTHS[_p] = _num
    for _p in _en.split(" "):
        _MONTHS[_p] = _num
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    # يوليو 5, 2024 / July 5, 2024
    (re.compile(rf"(?<![\w])({_MONTH_ALT})\.?\s+{_DAY},?\s+(\d{{4}})"), ("m", "d", "y")),
    # 14th, September 2023 / 5 يوليو 2024 / 5 يوليو، 2024
    (re.compile(rf"(?<![\d]){_DAY},?\s+(?:من\s+)?({_MONTH_ALT})\.?,?\s+(\d{{4}})"), ("d", "m", "y")),
    # 2024-07-05 / 2024/07/05
    (re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), ("y", "n", "d")),
    # 05/07/2024 (day first, as Arabic outlets write it)
    (re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)"), ("d", "n", "y")),
)
_DATE_LABEL_RE = re.compile(
    r"(?:تاريخ النشر|تاريخ الاضافه|تاريخ التحديث|نشر في|نشر بتاريخ|تم النشر|اخر تحديث|اخر تعديل|"
    r"تحديث|التاريخ|بتاريخ|published|updated|last updated|posted on|date)\s*[:：]?"
)
_TIME_RE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:صباحا|مساء|مساءا|ص|م|am|pm)?")
_DATE_FILLER_RE = re.compile(
    r"\b(?:gmt|utc|\+\d{2}:?\d{2}|الساعه|ساعه|الموافق|هـ|ه|م|الاحد|الاثنين|الثلاثاء|الاربعاء|الخميس|"
    r"الجمعه|السبت|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)


def parse_date(text: str) -> str | None:
    """The first Gregorian date written in ``text`` as ``YYYY-MM-DD`` (None when there is none).

    Reads "يوليو 5, 2024", "14th, September 2023", "5 تموز 2024", "2024-07-05" and "05/07/2024";
    Arabic-Indic digits are accepted. Relative expressions ("أمس") are the dates module's job.
    """
    folded = fold_alef(dediacritise(fold_digits(text))).replace("ة", "ه").casefold()
    best: tuple[int, str] | None = None
    for pattern, order in _DATE_PATTERNS:
        m = pattern.search(folded)
        if not m:
            continue
        values = dict(zip(order, m.groups(), strict=True))
        year = int(values["y"])
        month = _MONTHS.get(values["m"], 0) if "m" in values else int(values["n"])
        day = int(values["d"])
        if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
            continue
        if best is None or m.start() < best[0]:
            best = (m.start(), f"{year:04d}-{month:02d}-{day:02d}")
    return best[1] if best else None


def _is_date_line(m_line: str) -> bool:
    """A line that is (almost) only a date: 'تاريخ النشر: 14th, September 2023 GMT'."""
    if len(m_line) > 90 or parse_date(m_line) is None:
        return False
    rest = _DATE_LABEL_RE.sub(" ", m_line)
    rest = _TIME_RE.sub(" ", rest)
    for pattern, _order in _DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    rest = _DATE_FILLER_RE.sub(" ", rest)
    rest = re.sub(r"[\d\W_]+", " ", rest).strip()
    return len(rest.split()) <= 1


# ---------------------------------------------------------------------------------------------------
# Glued artifacts

# Words that commonly open a news paragraph (match-like form: no diacritics, alef folded). A
# subheading glued to its paragraph ("تلاعب أو احتفالاعتبر") is split before one of these.
_STARTERS = frozenset(
    fold_alef(w)
    for w in (
        "اعتبر اعتبرت أكد أكدت أعلن أعلنت أشار أشارت أوضح أوضحت أضاف أضافت قال قالت يقول تقول "
        "يرى ترى رأى رأت كشف كشفت ذكر ذكرت أفاد أفادت تابع تابعت شدد شددت دعا دعت طالب طالبت "
        "وصل وصلت بدأ بدأت أصدر أصدرت نقل نقلت أجرى أجرت استقبل استقبلت التقى التقت بحث بحثت "
        "يعتبر تعتبر يأتي تأتي جاء جاءت يذكر يشار يعد تعد كان كانت يعتقد تعتقد أبدى أبدت "
        "حذر حذرت نفى نفت أبلغ أبلغت أقر أقرت وافق وافقت أظهر أظهرت يشير تشير يبدو لفت لفتت "
        "وقال وقالت وأكد وأكدت وأضاف وأضافت وأشار وأشارت وأوضح وأوضحت وكان وكانت وفي وفيما "
        "وبحسب وحسب ووفق ووفقا وبهذا وبهذه وكتب وكتبت ويرى ويقول وتقول واعتبر واعتبرت وأعلن "
        "وأعلنت وذكر وذكرت وكشف وكشفت وتابع وتابعت وشدد وشددت ودعا ودعت ويأتي وتأتي ومن وعلى "
        "ولم ولا وقد وهو وهي وهذا وهذه وأمام وبعد وقبل ومع وخلال ويعتبر ويشير وتشير ويبدو "
        "وقام وقامت وتم وجاء وجاءت وشهد وشهدت وبين وبينت وأعرب وأعربت وأشاد وأشادت ووصف ووصفت "
        "وطالب وطالبت وأبدى وأبدت ونقل ونقلت وأفاد وأفادت وأكمل وشارك وشاركت وحضر وحضرت".split()
    )
)


def _fold(text: str) -> str:
    return fold_alef(dediacritise(text))


@cache
def _match_table() -> dict[int, str]:
    """``fold_alef``, ``fold_digits`` and ``fold_quotes`` fused into one translation table.

    Built from those public functions, so ``_match_display(display(x)) == match(x)``; one pass over
    the text instead of four (str.translate with a table costs ~40 ns a character).
    """
    table: dict[int, str] = {}
    for code in (*range(0x20, 0x250), *range(0x600, 0x700), *range(0x2010, 0x2040)):
        c = chr(code)
        folded = fold_quotes(fold_digits(fold_alef(c)))
        if folded != c:
            table[code] = folded
    return table


@cache
def _match_array() -> Any:
    """The fused table as a numpy lookup array over the BMP (every mapping is one character to one)."""
    import numpy as np  # imported on first use only

    array = np.arange(0x10000, dtype=np.uint32)
    for code, folded in _match_table().items():
        array[code] = ord(folded)
    return array


def _match_display(text: str) -> str:
    """The match form of a text that is already in display form (see :func:`marsad.arabic.match`)."""
    return dediacritise(text).translate(_match_table()).casefold()


def _match_display_long(text: str) -> str:
    """:func:`_match_display` for a whole page: one vectorised table lookup instead of a per-character
    ``str.translate`` (about six times faster on Arabic text)."""
    if len(text) < 200:
        return _match_display(text)
    import numpy as np

    text = dediacritise(text)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    if int(codes.max()) > 0xFFFF:
        return text.translate(_match_table()).casefold()
    return _match_array()[codes].tobytes().decode("utf-32-le").casefold()


def _unglue_ad(line: str) -> str:
    """'إعلانوبهذا الصدد' → 'وبهذا الصدد' (an ad marker glued to the next word)."""
    return _AD_GLUE_RE.sub("", line)


def _split_glued_subheading(line: str, vocab: Mapping[str, int]) -> tuple[str, str] | None:
    """'تلاعب أو احتفالاعتبر الرئيس…' → ('تلاعب أو احتفال', 'اعتبر الرئيس…'), else None.

    A token among the first seven words that occurs nowhere else in the page and ends in a common
    paragraph opener is cut there, when what comes before is short and has no final punctuation and
    what follows is a long sentence.
    """
    words = line.split(" ")
    if len(words) < 10:
        return None
    for j, word in enumerate(words[:7]):
        if len(word) < 6 or _TERMINAL_RE.search(word):
            if _TERMINAL_RE.search(word):
                return None
            continue
        folded = _match_display(word)
        if vocab.get(folded, 0) > 1 or len(folded) != len(word):
            continue
        for k in range(3, len(folded) - 2):
            tail = folded[k:]
            if tail in _STARTERS and (len(tail) >= 4 or tail[0] == "و"):
                head_words = [*words[:j], word[:k]]
                body_words = [word[k:], *words[j + 1 :]]
                if len(body_words) >= 8 and _ARABIC_RE.match(word[k - 1]):
                    return " ".join(head_words), " ".join(body_words)
    return None


# ---------------------------------------------------------------------------------------------------
# Learned boilerplate


def outlet_key(doc: Document) -> str:
    """The outlet a document's boilerplate is learned under: the record's outlet, else the URL's host."""
    if doc.outlet:
        return match(doc.outlet).strip()
    return outlet_from_url(doc.url) or ""


def line_key(line: str) -> str:
    """A line's template key: match form with e-mails/URLs dropped and every number written 0."""
    return _template(match(line))


def _match_lines(text: str) -> list[tuple[str, str]]:
    """(raw line, match form) of every non-empty line, the match form computed for the whole page at
    once (the same path as :func:`split_document`, so learned keys and lookups agree)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = text.split("\n")
    matched = _match_display_long(display(text)).split("\n")
    if len(matched) != len(raw_lines):
        matched = [match(r) for r in raw_lines]
    return [(r.strip(), m.strip()) for r, m in zip(raw_lines, matched, strict=True) if m.strip()]


def _template(key: str) -> str:
    key = _EMAIL_URL_RE.sub(" ", key)
    key = _DIGIT_RUN_RE.sub("0", key)
    return _SPACES_RE.sub(" ", key).strip(" .:-*•")


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Per outlet, the template keys (:func:`line_key`) of lines that recur across many of its pages."""

    lines: Mapping[str, frozenset[str]] = field(default_factory=dict)
    pages: Mapping[str, int] = field(default_factory=dict)  # pages seen per outlet

    def for_outlet(self, outlet: str) -> frozenset[str]:
        """The learned keys of one outlet (empty when unknown)."""
        return self.lines.get(outlet, frozenset())

    def __len__(self) -> int:
        return sum(len(v) for v in self.lines.values())


def learn_boilerplate(
    docs: Iterable[Document],
    *,
    min_pages: int = 20,
    min_count: int = 5,
    min_share: float = 0.004,
    sentence_share: float = 0.05,
) -> Boilerplate:
    """Learn, per outlet, the lines that recur across many different pages of that outlet.

    A line counts once per page, and pages that share their longest line (the same story crawled
    twice) count once. A line is boilerplate for an outlet with at least ``min_pages`` pages when it
    recurs on at least ``max(min_count, min_share * pages)`` of them; a full sentence (six words or
    more ending in punctuation) must recur on ``sentence_share`` of the pages, so that formulaic news
    sentences are not mistaken for a footer.
    """
    seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    sentence: set[str] = set()  # keys whose lines read as full sentences
    pages: Counter[str] = Counter()
    for doc in docs:
        outlet = outlet_key(doc)
        text = doc.content if doc.content_type == "text" else _html_text(doc.content)[0]
        keys: dict[str, str] = {}
        for raw, matched in _match_lines(text):
            key = _template(matched)
            if key and len(key) <= 400:
                keys[key] = matched
                if key.count(" ") >= 5 and _TERMINAL_RE.search(raw):
                    sentence.add(key)
        if not keys:
            continue
        pages[outlet] += 1
        longest = max(keys, key=len)
        context = keys[longest]  # the longest line as written: near-duplicate pages share it
        for key in keys:
            seen[outlet][key].add(context if key != longest else "")
    learned: dict[str, frozenset[str]] = {}
    for outlet, counts in seen.items():
        n = pages[outlet]
        if n < min_pages:
            continue
        floor = max(min_count, min_share * n)
        keep = []
        for key, contexts in counts.items():
            c = len(contexts)
            if c < floor:
                continue
            if key in sentence and c < sentence_share * n:
                continue
            keep.append(key)
        if keep:
            learned[outlet] = frozenset(keep)
            LOGGER.debug("learned %d boilerplate lines for %s", len(keep), outlet)
    return Boilerplate(lines=learned, pages=dict(pages))


# ---------------------------------------------------------------------------------------------------
# HTML


_META_RE = re.compile(r"<meta\s+[^>]*>", re.IGNORECASE)
_ATTR_RE = re.compile(r"""([a-zA-Z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TITLE_TAG_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")
_SITE_SUFFIX_RE = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")  # "العنوان | الموقع"


def _html_meta(html: str) -> dict[str, str]:
    """og:title, og:site_name, article:published_time & co from the page's <meta> tags and <title>."""
    meta: dict[str, str] = {}
    for tag in _META_RE.findall(html[:200000]):
        attrs = {
            m.group(1).lower(): (m.group(2) if m.group(2) is not None else m.group(3))
            for m in _ATTR_RE.finditer(tag)
        }
        name = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        content = attrs.get("content")
        if name and content and name not in meta:
            meta[name] = html_unescape(content).strip()
    m = _TITLE_TAG_RE.search(html[:200000])
    if m:
        meta.setdefault("html:title", html_unescape(_TAG_RE.sub("", m.group(1))).strip())
    return meta


def _html_text(html: str) -> tuple[str, dict[str, str]]:
    """Main text of an HTML page (trafilatura, else jusText) and its meta tags."""
    meta = _html_meta(html)
    text: str | None = None
    try:
        import trafilatura  # heavy: imported only for HTML input

        text = trafilatura.extract(
            html, include_comments=False, include_tables=True, favor_recall=True, deduplicate=False
        )
    except Exception as exc:  # noqa: BLE001 - a broken page must not stop the batch
        LOGGER.warning("trafilatura failed: %s", exc)
    if not text:
        try:
            import justext

            paragraphs = justext.justext(html.encode("utf-8"), frozenset(), encoding="utf-8")
            text = "\n".join(p.text for p in paragraphs if not p.is_boilerplate) or "\n".join(
                p.text for p in paragraphs
            )
        except Exception as exc:  # noqa: BLE001
            LOGGER.warning("jusText failed: %s", exc)
            text = _TAG_RE.sub("\n", html)
    return text or "", meta


# ---------------------------------------------------------------------------------------------------
# Line kinds

BODY = "body"
SHORT = "short"  # title-like: no final punctuation
CAPTION = "caption"
BYLINE = "byline"
SECTION = "section"
SOURCE = "source"
KEYWORDS = "keywords"
DATE = "date"
DATELINE = "dateline"
NOISE = "noise"  # click-here, tweet, junk markers, learned boilerplate
BULLET = "bullet"


@dataclass(slots=True)
class _Line:
    text: str  # display form
    key: str  # match form
    kind: str
    words: int
    repeats: int = 1
    value: str = ""  # outlet / keywords / date carried by the line
    dashed: bool = False  # a dash between words in the raw line ("طلال عبدالله ـ جدة")
    learned: bool = False  # a learned boilerplate line of the page's outlet


def _classify(text: str, key: str) -> tuple[str, str]:
    words = key.count(" ") + 1
    if not _ARABIC_RE.search(key):
        if words <= 3 or _URL_ONLY_RE.match(key):
            return NOISE, ""
    if _AD_ONLY_RE.match(key):
        return NOISE, ""
    if words <= 6 and _SECTION_RE.match(key):
        return SECTION, ""
    m = _SOURCE_RE.match(key)
    if m and words <= 8:
        src = text.split(":", 1)[-1].strip() if ":" in text else m.group(1)
        return SOURCE, src
    m = _KEYWORDS_RE.match(key)
    if m:
        return KEYWORDS, text.split(":", 1)[-1].strip() if ":" in text else m.group(1)
    if _TWEET_RE.search(key):
        return NOISE, ""
    if words <= 25 and _CLICK_RE.search(key):
        return NOISE, ""
    if words <= 20 and _CONTACT_RE.search(key) and not _TERMINAL_RE.search(key.rstrip(":")):
        return NOISE, ""
    if _SECTION_GLUED_RE.match(key):
        return NOISE, ""
    m = _TAGS_LINE_RE.match(text)
    if m and words <= 12 and not _TERMINAL_RE.search(text):
        return KEYWORDS, m.group(1)
    if words <= 14 and _is_date_line(key):
        return DATE, parse_date(key) or ""
    if _CAPTION_TAIL_RE.search(key) and words <= 60:
        return CAPTION, ""
    m = _BYLINE_RE.match(text)
    if m and words <= 6:
        return BYLINE, m.group(1)
    m = _DATELINE_LINE_RE.match(text)
    if m and words <= 3:
        return DATELINE, m.group(1)
    terminal = bool(_TERMINAL_RE.search(text))
    if _BULLET_RE.match(text) and words <= 30 and (not terminal or _QUESTION_END_RE.search(text)):
        return BULLET, _BULLET_RE.sub("", text)  # a listed headline (questions and exclamations too)
    question = bool(_QUESTION_END_RE.search(text))
    long_sentence = words > 20 and (". " in text or "]]" in text)
    # prose cut short (a wrapped or truncated line), not a headline: it opens with a connective verb
    # ("وقال", "وذكر") or runs long with commas
    first = key.split(" ", 1)[0]
    if not terminal and (
        (words >= 8 and first in _STARTERS) or (words >= 10 and ("،" in text or ", " in text))
    ):
        long_sentence = True
    if (not terminal or (question and words <= 15)) and words <= 30 and not long_sentence:
        if _PHOTO_RE.search(key) and not question:
            return CAPTION, ""
        return SHORT, ""
    return BODY, ""


# The outlet's "link to this story" line glued after a paragraph's end: "… الإقليمي. رابط الخبر بصحيفة الوئام: …".
_LINK_SUFFIX_RE = re.compile(
    r"(?:(?<=[.!؟?”\"»)\]])\s*|\s+(?=رابط (?:الخبر|المقال) (?:ب|في )?صحيفة ))"
    r"رابط (?:الخبر|المقال)(?: (?:ب|في )?صحيفة [^:]{2,30})?\s*:.*$"
)
# Page code a scraper left in the text: a CSS rule («.box_vote li { margin: 5px; }») or a script statement.
_CSS_RULE_RE = re.compile(r"[.#]?[A-Za-z_][\w\-]*(?:[\s>+~,.#:\[\]=\w\-\'\"]*)\{[^{}]*:[^{}]*\}")
_SCRIPT_RE = re.compile(
    r"\b(?:jQuery\s*[.(]|\$\(|function\s*\(|document\.\w|window\.\w|var\s+\w+\s*=|googletag\.|\.push\s*\()"
)
_CODE_END_RE = re.compile(r"[};)]")
CODE_MAX_ARABIC = 0.1  # a run of code may hold a little Arabic (a string shown to the reader), no more
CODE_GAP_ARABIC = 20  # … and between two of its rules or statements, a string of this many Arabic letters


def _strip_code(text: str) -> str:
    """The text with runs of page code (CSS rules, script statements: at least two of them, among which
    letters are almost all Latin) replaced by a line break, so that the prose before and after stays and
    the code does not become a paragraph."""
    if "{" not in text or "}" not in text:
        return text
    marks = [(m.start(), m.end()) for m in _CSS_RULE_RE.finditer(text)]
    marks += [(m.start(), m.end()) for m in _SCRIPT_RE.finditer(text)]
    if len(marks) < 2:
        return text
    marks.sort()
    out: list[str] = []
    done = 0
    i = 0
    while i < len(marks):
        start, end = marks[i]
        j = i
        # a run: marks whose gaps hold no Arabic prose (a gap of code or a short string)
        while j + 1 < len(marks) and _code_like(text[end : marks[j + 1][0]], CODE_GAP_ARABIC):
            j += 1
            end = max(end, marks[j][1])
        tail = text[end:]
        close = 0
        for m in _CODE_END_RE.finditer(tail):  # the run's last statement ends at a «}», «;» or «)»
            if not _code_like(tail[: m.end()]):
                break
            close = m.end()
        end += close
        if j > i and _code_like(text[start:end]) and start >= done:
            out.append(text[done:start])
            out.append("\n")
            done = end
        i = j + 1
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


def _code_like(part: str, short: int = 0) -> bool:
    """Few Arabic letters in ``part``: at most ``CODE_MAX_ARABIC`` of its letters, or ``short`` letters."""
    letters = [c for c in part if c.isalpha()]
    arabic = sum(1 for c in letters if "\u0621" <= c <= "\u064a")
    return arabic <= CODE_MAX_ARABIC * len(letters) or arabic <= short


def _prepare(text: str, learned: frozenset[str]) -> list[_Line]:
    text = _strip_code(text.replace("\r\n", "\n").replace("\r", "\n"))
    raw_lines = text.split("\n")
    shown_lines = display(text).split("\n")
    if len(shown_lines) != len(raw_lines):  # display() never adds or removes a newline; be safe anyway
        shown_lines = [display(r) for r in raw_lines]
    all_keys = _match_display_long("\n".join(shown_lines)).split("\n")
    if len(all_keys) != len(shown_lines):
        all_keys = [_match_display(shown) for shown in shown_lines]
    pairs: list[tuple[str, str]] = []
    keys: list[str] = []
    for raw, shown, key in zip(raw_lines, shown_lines, all_keys, strict=True):
        shown = shown.strip()
        unglued = _unglue_ad(shown)
        if not unglued:
            continue
        pairs.append((raw, unglued))
        keys.append(key.strip() if unglued is shown or unglued == shown else _match_display(unglued))
    vocab: Counter[str] = Counter()
    for key in keys:
        vocab.update(key.split(" "))
    lines: list[_Line] = []
    for (raw, r), rkey in zip(pairs, keys, strict=True):
        if "رابط" in r and (link := _LINK_SUFFIX_RE.search(r)) and link.start() > 0:
            # the outlet's link line glued to the last paragraph: «… الإقليمي. رابط الخبر بصحيفة الوئام: …»
            r = r[: link.start()].rstrip()
            rkey = _match_display(r)
        pieces: list[tuple[str, str, str | None]] = [(r, rkey, None)]
        split = _split_glued_subheading(r, vocab)
        if split:
            pieces = [(split[0], _match_display(split[0]), SHORT), (split[1], _match_display(split[1]), BODY)]
        elif "سمات" in r or "وسوم" in r or "دلالية" in r or "ags" in r:
            tags = _TAGS_SUFFIX_RE.search(r)
            if tags and tags.start() > 0:
                head, tail = r[: tags.start()].rstrip(), tags.group(1).strip()
                pieces = [(head, _match_display(head), None), (tail, _match_display(tail), KEYWORDS)]
        for piece, key, forced in pieces:
            if not key.strip():
                continue
            kind, value = _classify(piece, key)
            if forced == KEYWORDS:
                value = piece
            if forced:
                kind = forced
            line = _Line(piece, key, kind, key.count(" ") + 1, value=value)
            line.dashed = line.words <= 6 and bool(_DASH_SEP_RE.search(raw))
            line.learned = bool(learned) and _template(key) in learned
            lines.append(line)
    counts = Counter(line.key for line in lines)
    for line in lines:
        line.repeats = counts[line.key]
    return lines


# ---------------------------------------------------------------------------------------------------
# Splitting


@dataclass(slots=True)
class _Draft:
    title: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    subheadings: list[int] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)  # strongest first: source line, dateline
    date: str | None = None
    keys: set[str] = field(default_factory=set)

    def add_paragraph(self, text: str, key: str, subheading: bool = False, repeat_ok: bool = False) -> None:
        if key in self.keys and not repeat_ok:
            return
        self.keys.add(key)
        if subheading:
            self.subheadings.append(len(self.paragraphs))
        self.paragraphs.append(text)

    def add_caption(self, text: str) -> None:
        if text not in self.captions:
            self.captions.append(text)


_MAX_SUBHEADING_WORDS = 12
_SKIPPABLE = (CAPTION, NOISE, DATE, DATELINE)


def _starts_article(lines: Sequence[_Line], i: int, strong_zone: bool) -> bool:
    """Does the title-like (or date) line ``i`` open a new article?

    After skipping captions, markers, date lines, datelines and the title repeated, at least two body
    paragraphs must follow before any byline or section label. Outside a related/end zone a start
    signal (one of the skipped lines) must also be present.
    """
    head = lines[i]
    j = i + 1
    signal = head.kind == DATE
    captions = 0
    while j < len(lines) and (lines[j].kind in _SKIPPABLE or lines[j].key == head.key or lines[j].dashed):
        # Start signals: a date line, the headline repeated, or several captions (a page header). A
        # caption, a byline, a "label:" line or a separator under a subheading is not enough.
        kind = lines[j].kind
        captions += kind == CAPTION
        if kind == DATE or lines[j].key == head.key or captions >= 2:
            signal = True
        j += 1
    bodies = 0
    while j < len(lines) and bodies < 2:
        line = lines[j]
        if line.kind == BODY:
            if line.repeats > 1 and bodies == 0 and not signal:
                return False
            bodies += 1
        elif line.kind in (BYLINE, SECTION, SOURCE, KEYWORDS):
            return False
        elif line.kind == SHORT and bodies == 0:
            # a second headline straight after: a headline list, unless the standfirst of a page
            # header (the first one is followed by captions/the title repeated).
            if not signal:
                return False
        elif line.kind == BULLET:
            return False
        j += 1
    return bodies >= 2 and (strong_zone or signal)


def _ends_article(lines: Sequence[_Line], i: int) -> bool:
    """True when no body paragraph follows line ``i`` before the page or the article ends (a section
    label, a source/keyword/date line): the line is a signature or credit, not a subheading."""
    for line in lines[i + 1 :]:
        if line.kind == BODY:
            return False
        if line.kind in (SECTION, SOURCE, KEYWORDS, DATE):
            return True
    return True


def _verse_run(lines: Sequence[_Line], i: int) -> int:
    """Length of the run of verse lines starting at ``i`` (0 when it is not verse).

    Consecutive short unpunctuated lines are verse (poetry, song lyrics) when introduced by a line
    ending in ':' or '...', when the run is long (six lines or more), or when the page has no prose at
    all; a run whose lines share their first two words, carry ':' or are long is a headline list.
    """
    j = i
    while j < len(lines) and lines[j].kind == SHORT and lines[j].words <= 12:
        j += 1
    run = j - i
    if run < 2:
        return 0
    block = lines[i:j]
    firsts = Counter(" ".join(ln.key.split()[:2]) for ln in block)
    if firsts.most_common(1)[0][1] * 2 >= run and run >= 3:
        return 0
    if sum(1 for ln in block if ":" in ln.key) * 2 >= run:
        return 0
    if sum(ln.words for ln in block) / run > 9:
        return 0
    prev = lines[i - 1].text if i > 0 else ""
    introduced = prev.endswith((":", "...", "…", ":"))
    if introduced and run >= 2:
        return run
    if run >= 6:
        return run
    if run >= 3 and not any(ln.kind == BODY for ln in lines):
        return run
    return 0


def split_text(
    text: str,
    *,
    title: str | None = None,
    title_hint: str | None = None,
    author: str | None = None,
    learned: frozenset[str] = frozenset(),
) -> list[_Draft]:
    """Split a page's text into article drafts (internal form of :func:`split_document`).

    ``title`` is the main article's known title; ``title_hint`` a weaker one (an HTML page's meta
    title), used only when the text shows no title of its own.
    """
    lines = _prepare(text, learned)
    drafts: list[_Draft] = [_Draft(title=display(title).strip() if title else None)]
    title_keys: set[str] = {match(title)} if title else set()
    if title_hint:
        title_keys.add(match(title_hint))
    author_key = match(author).strip() if author else ""
    body_at = [i for i, ln in enumerate(lines) if ln.kind == BODY]
    first_body, last_body = (body_at[0], body_at[-1]) if body_at else (len(lines), -1)
    page_bylines: list[str] = []
    zone = "head"  # head | body | related | end
    cur = drafts[0]
    verse_until = -1
    in_list = False  # after a paragraph ending in ':' bullets are the article's list
    for i, line in enumerate(lines):
        kind = line.kind
        if kind == BODY or (kind == SHORT and not _BULLET_RE.match(line.text)):
            in_list = False
        if i > 0 and lines[i - 1].text.endswith(":") and lines[i - 1].kind in (BODY, BULLET):
            in_list = True
        if line.learned and (i < first_body or i > last_body or kind not in (SHORT, BODY, DATELINE)):
            continue
        if i < verse_until:
            cur.add_paragraph(line.text, line.key, repeat_ok=True)
            continue
        if line.key in title_keys and kind != BODY:
            continue
        if kind == NOISE:
            continue
        if kind == SECTION:
            zone = "related"
            continue
        if kind == SOURCE:
            cur.outlets.insert(0, line.value)
            zone = "end" if zone != "related" else zone
            continue
        if kind == KEYWORDS:
            cur.keywords.append(line.value)
            zone = "end" if zone not in ("related", "head") else zone
            continue
        if kind == BYLINE:
            q = _QUOTED_RE.match(line.value)
            if q:
                page_bylines.append(q.group(1))
            # a teaser's byline (headline, one summary line, byline) ends the body: related zone
            prev = [ln for ln in lines[max(0, i - 4) : i] if ln.kind not in _SKIPPABLE]
            if zone == "body" and (q or (len(prev) >= 2 and prev[-1].kind == BODY and prev[-2].kind == SHORT)):
                zone = "related"
                # the first teaser's headline and summary were taken for body lines: take them back
                if len(prev) >= 2 and prev[-1].kind == BODY and prev[-2].kind == SHORT and len(cur.paragraphs) >= 3:
                    head, summary = prev[-2], prev[-1]
                    if cur.paragraphs[-1] == summary.text:
                        cur.paragraphs.pop()
                    if cur.subheadings and cur.subheadings[-1] == len(cur.paragraphs) - 1:
                        if cur.paragraphs[-1] == head.text:
                            cur.paragraphs.pop()
                            cur.subheadings.pop()
                    start = next((k for k in range(max(0, i - 8), i) if lines[k].key == head.key), i)
                    for ln in lines[max(0, start - 1) : i]:  # the teaser's own picture captions
                        if ln.kind in (CAPTION, SHORT) and ln.text in cur.captions:
                            cur.captions.remove(ln.text)
                    cur.related.append(head.text)
            continue
        if kind == DATE:
            if zone in ("body", "related", "end") and cur.paragraphs and _starts_article(lines, i, True):
                cur = _Draft()
                drafts.append(cur)
                zone = "head"
            if cur.date is None and zone == "head":
                cur.date = line.value
            continue
        if kind == DATELINE:
            if zone == "head":
                cur.outlets.append(line.value)
            elif zone == "body":
                cur.add_paragraph(line.text, line.key, subheading=True)  # "يقول الشاعر:", "#نافذة:"
            continue
        if kind == CAPTION:
            if zone in ("head", "body"):
                cur.add_caption(line.text)
            continue
        if kind == BULLET:
            if zone in ("related", "end"):
                cur.related.append(line.value)
            elif in_list:
                cur.add_paragraph(line.text, line.key, repeat_ok=True)  # a list introduced by "…:"
            elif _ends_article(lines, i):
                continue  # a credit or signature after the last paragraph: "* مجلة «فورين بوليسي»"
            else:
                cur.add_paragraph(line.text, line.key)
            continue
        if kind in (SHORT, DATELINE):
            if zone == "head":
                if author_key and line.key == author_key:
                    continue
                if cur.title is None:
                    cur.title = line.text
                    title_keys.add(line.key)
                    continue
                quoted = _QUOTED_FROM_RE.match(line.text)
                if (line.dashed or quoted) and line.words <= 6:
                    if quoted:
                        cur.outlets.append(quoted.group(1))
                    continue  # a byline/dateline under the title
                run = _verse_run(lines, i)
                if run:
                    verse_until = i + run
                    cur.add_paragraph(line.text, line.key, repeat_ok=True)
                    continue
                if line.repeats > 1 and line.words > _MAX_SUBHEADING_WORDS:
                    continue
                cur.add_paragraph(line.text, line.key, subheading=True)  # standfirst
                continue
            strong = zone in ("related", "end")
            if _starts_article(lines, i, strong):
                cur = _Draft(title=line.text)
                title_keys.add(line.key)
                drafts.append(cur)
                zone = "head"
                continue
            if strong:
                cur.related.append(line.text)
                continue
            run = _verse_run(lines, i)
            if run:
                verse_until = i + run
                cur.add_paragraph(line.text, line.key, repeat_ok=True)
                continue
            # in a body: a subheading, or another article's headline injected mid-body
            ahead = [ln for ln in lines[i + 1 : i + 4] if ln.kind not in _SKIPPABLE]
            limit = _MAX_SUBHEADING_WORDS + (4 if _QUESTION_END_RE.search(line.text) else 0)
            if (
                line.words <= limit
                and line.repeats == 1
                and ahead
                and (ahead[0].kind == BODY or (ahead[0].kind == SHORT and len(ahead) > 1 and ahead[1].kind == BODY))
            ):
                cur.add_paragraph(line.text, line.key, subheading=True)
            elif line.repeats == 1 and cur.paragraphs and _QUESTION_END_RE.search(line.text):
                cur.add_paragraph(line.text, line.key)  # a closing question or exclamation of the body
            elif line.repeats > 1:
                cur.add_caption(line.text)  # a line repeated in a body is a photo caption
            elif _ends_article(lines, i):
                continue  # a signature or credit after the last paragraph
            else:
                cur.related.append(line.text)
            continue
        # BODY
        if zone in ("related", "end"):
            continue  # a teaser's summary line
        body = line.text
        if len(cur.paragraphs) < 8:
            m = _DATELINE_PREFIX_RE.match(body) if not cur.paragraphs else None
            if m:
                cur.outlets.append(m.group(1))
                body = body[m.end() :]
            else:
                m = _BYLINE_PREFIX_RE.match(body)
                if (
                    m
                    and (not cur.paragraphs or m.group(2))
                    and m.end() < len(body) // 2
                    and _fold(body.split(" ", 1)[0]) not in _STARTERS
                ):
                    body = body[m.end() :]
        cur.add_paragraph(body, line.key)
        zone = "body"
    if drafts[0].title is None and title_hint:
        drafts[0].title = display(title_hint).strip()
    kept = [d for d in drafts if d.paragraphs]
    if not kept:
        # No prose at all (a photo story, a one-line item): keep its captions and short lines.
        fallback = _Draft(title=drafts[0].title, outlets=drafts[0].outlets, date=drafts[0].date)
        for line in lines:
            if line.kind in (CAPTION, SHORT, BULLET, DATELINE) and line.key not in title_keys and not line.learned:
                fallback.add_paragraph(line.text, line.key)
        kept = [fallback] if fallback.paragraphs else []
    drafts = kept
    if page_bylines and drafts:
        best = Counter(page_bylines).most_common(1)[0][0]
        drafts[0].outlets.append(best)
    return drafts


def _segment_keywords(words: Sequence[str], body_key: str) -> list[str]:
    """Cut an unseparated keyword line into the fewest phrases (up to four words) found in the body,
    preferring phrases that recur there ("كوريا الشمالية روسيا بوتين" → 3 keywords)."""
    n = len(words)
    best: list[tuple[int, float, int] | None] = [None] * (n + 1)  # (segments, -score, previous cut)
    best[0] = (0, 0.0, 0)
    for end in range(1, n + 1):
        for size in range(1, min(4, end) + 1):
            start = end - size
            prev = best[start]
            if prev is None:
                continue
            count = body_key.count(f" {_match_display(' '.join(words[start:end]))} ")
            if size > 1 and count == 0:
                continue
            cand = (prev[0] + 1, prev[1] - count, start)
            cur = best[end]
            if cur is None or cand[:2] < cur[:2]:
                best[end] = cand
    cuts: list[str] = []
    end = n
    while end > 0:
        entry = best[end]
        assert entry is not None
        cuts.append(" ".join(words[entry[2] : end]))
        end = entry[2]
    return cuts[::-1]


def _keywords(raw: Sequence[str], body_key: str) -> tuple[str, ...]:
    """Keywords of 'كلمات دلالية:' lines: split on separators, else segmented against the body."""
    out: list[str] = []
    for line in raw:
        chunks = [c.strip() for c in _KEY_SEP_RE.split(line) if c.strip()]
        if len(chunks) > 1:
            out.extend(chunks)
        elif chunks:
            out.extend(_segment_keywords(chunks[0].split(), body_key))
    return tuple(dict.fromkeys(out))


# an HTML entity left in scraped text: numeric, or one of the names news pages use
_ENTITY_RE = re.compile(
    r"&(?:#[0-9]{2,6}|#[xX][0-9a-fA-F]{2,5}|quot|amp|apos|lt|gt|nbsp|laquo|raquo|hellip|ndash|mdash);"
)


def split_document(doc: Document, boilerplate: Boilerplate | None = None) -> list[Article]:
    """Cut one scraped page into its real articles, cleaned, with their metadata kept apart.

    Article 0 is the main article. Each article's ``paragraphs`` hold the body (subheadings as their
    own paragraphs, listed in ``subheadings``); captions, keywords and related headlines are kept
    apart. ``outlet`` comes from a source line (المصدر:), a dateline ("المستقلة/-", "الجديد برس:"),
    the input record, the bylines of related teasers or the URL's host; ``published`` from a date
    line ("dateline"), the input record ("input") or HTML meta ("meta").
    """
    learned = boilerplate.for_outlet(outlet_key(doc)) if boilerplate else frozenset()
    meta: dict[str, str] = {}
    text = doc.content
    title = doc.title
    hint = ""
    if doc.content_type == "html":
        text, meta = _html_text(doc.content)
        # og:title names the article itself; a <title> tag often names the page or the site as well
        title = title or meta.get("og:title") or meta.get("twitter:title")
        hint = _SITE_SUFFIX_RE.sub("", meta.get("html:title", ""))
    elif _ENTITY_RE.search(text):  # scraped text with HTML entities left in it («&quot;», «&#8220;»)
        text = _ENTITY_RE.sub(lambda m: html_unescape(m.group(0)), text)
    drafts = split_text(text, title=title, title_hint=hint or None, author=doc.author, learned=learned)
    meta_date = None
    for name in ("article:published_time", "og:published_time", "datepublished", "pubdate", "date",
                 "dc.date", "article:modified_time"):
        if name in meta:
            meta_date = parse_date(meta[name])
            if meta_date:
                break
    meta_outlet = meta.get("og:site_name") or meta.get("application-name")
    articles: list[Article] = []
    for index, d in enumerate(drafts):
        outlet: str | None = d.outlets[0] if d.outlets else None
        if outlet is None and index == 0:
            outlet = doc.outlet or meta_outlet or outlet_from_url(doc.url)
        published, how = d.date, ("dateline" if d.date else None)
        if published is None and index == 0:
            if doc.published:
                published, how = doc.published[:10], "input"
            elif meta_date:
                published, how = meta_date, "meta"
        body_key = " " + " ".join(_match_display(p) for p in d.paragraphs) + " " if d.keywords else ""
        articles.append(
            Article(
                id=stable_id("a", doc.id, str(index)),
                doc_id=doc.id,
                index=index,
                source=doc.source,
                title=display(d.title).strip() if d.title else None,
                paragraphs=tuple(d.paragraphs),
                outlet=display(outlet).strip() if outlet else None,
                published=published,
                published_how=how,
                url=doc.url,
                captions=tuple(d.captions),
                keywords=_keywords(d.keywords, body_key),
                related=tuple(dict.fromkeys(d.related)),
                subheadings=tuple(d.subheadings),
            )
        )
    if not articles:
        LOGGER.debug("no article text in %s", doc.source)
    return articles
