"""Arabic date expressions: find them, resolve them against a reference date, and date articles.

:func:`tag` finds date expressions in Arabic (and English date lines) and resolves each to a
``YYYY-MM-DD`` value with a grain (day, month or year), relative to a reference date — normally the
article's publication date. It reads:

* absolute dates with every month-name family: MSA/Egyptian (يناير … يونيه … ديسمبر), Levantine
  (كانون الثاني … أيلول … كانون الأول), Maghrebi (جانفي فيفري أفريل ماي جوان جويلية أوت; غشت شتنبر
  نونبر دجنبر), combined forms ("يوليو/تموز", "سبتمبر (أيلول)"), spelled days and years ("الحادي
  والعشرين من مايو", "ألفان وثمانية عشر"), English date lines ("14th, September 2023", "July 5, 2024");
* Hijri dates ("15 رمضان 1445هـ", converted with ``hijridate``);
* numeric dates (2023-09-12, 12/9/2023, 12/9 when unambiguous) with ASCII, Arabic-Indic or Persian
  digits;
* years ("عام 2023", "(1948)", "1320 هجري") and months ("في سبتمبر 2023", "في يوليو");
* relative days, weeks, months and years (اليوم، أمس، أول أمس، غداً، بعد غد، الأسبوع الماضي، الشهر
  المقبل، العام الماضي، قبل 3 أيام، منذ يومين، بعد أسبوعين…);
* weekdays with news semantics: a bare weekday ("وصل الثلاثاء", "(الأحد)", "يوم الأربعاء",
  "اليوم الجمعة") is the most recent such day on or before the reference date; المقبل/القادم or a
  future cue in its clause (سيزور، ستعقد، سوف، من المقرر أن، يعتزم) moves it to the next such day on or
  after it; الماضي moves it strictly back.

Numbers that are not dates are left alone: model numbers (سو-35, Su-35, «كوفيد - 19»), calibres,
counts, percentages and durations without an anchor ("75 عاماً").

Everything is matched on a folded copy of the text that keeps a map back to the original offsets
(alef/hamza/yeh/teh marbuta folded and digits made ASCII with :mod:`marsad.arabic`'s own tables,
diacritics and tatweel dropped), with one combined compiled regex and a cheap prefilter.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from marsad.arabic import dediacritise, fold_alef, fold_digits, fold_persian
from marsad.records import Article, DateMention, Document, Grain

LOGGER = logging.getLogger(__name__)

__all__ = [
    "complete_publication_dates",
    "find_publication_date",
    "infer_publication_date",
    "main",
    "parse_ref",
    "tag",
    "tag_article",
    "tag_lines",
]

# ---------------------------------------------------------------------------------------------------
# Folding that keeps offsets

_DROP_RE = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"  # harakat, Quranic marks
    "\u0640\u200b-\u200f\u061c\u00ad\ufeff]"  # tatweel, zero-width and bidi marks, soft hyphen, BOM
)


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    chars = [chr(c) for c in range(0x0600, 0x0700)] + ["\u00a0", "\u202f"]
    for ch in chars:
        if _DROP_RE.match(ch):
            continue
        folded = fold_alef(fold_digits(fold_persian(ch)))
        if len(folded) == 1 and folded != ch:
            table[ord(ch)] = folded
    table[0x060C] = ","  # ، Arabic comma
    table[0x061B] = ";"  # ؛
    table[0x061F] = "?"  # ؟
    table[0x066A] = "%"  # ٪
    table[0x00A0] = " "
    table[0x202F] = " "
    for ch in "«»“”„":
        table[ord(ch)] = '"'
    for c in range(ord("A"), ord("Z") + 1):
        table[c] = chr(c + 32)
    return table


_FOLD_TABLE = _build_fold_table()
# The same table as a list indexed by code point: str.translate is much faster with a dense list than
# with a sparse dict on Arabic text (characters past its end are kept as they are).
_FOLD_LIST = [ord(_FOLD_TABLE[c]) if c in _FOLD_TABLE else c for c in range(0x2070)]


class _OffsetMap:
    """Maps offsets in the folded text back to the original text (characters were dropped)."""

    __slots__ = ("_folded_at",)

    def __init__(self, dropped: list[int]) -> None:
        # the folded offset at which each dropped character was removed
        self._folded_at = [pos - i for i, pos in enumerate(dropped)]

    def __getitem__(self, j: int) -> int:
        return j + bisect_right(self._folded_at, j)


def _fold(text: str) -> tuple[str, _OffsetMap | None]:
    """The folded text and, when characters were dropped, the map folded offset → original offset."""
    if not _DROP_RE.search(text):
        return text.translate(_FOLD_LIST), None
    dropped = [m.start() for m in _DROP_RE.finditer(text)]
    return _DROP_RE.sub("", text).translate(_FOLD_LIST), _OffsetMap(dropped)


# ---------------------------------------------------------------------------------------------------
# Vocabulary (folded forms)

_MONTH_NAMES: dict[str, int] = {}
for _num, _names in {
    1: "يناير ينايِر جانفي كانون الثاني january jan",
    2: "فبراير فبرايِر فيفري شباط february feb",
    3: "مارس اذار march mar",
    4: "ابريل افريل نيسان april apr",
    5: "مايو ماي ايار may",
    6: "يونيو يونيه جوان حزيران june jun",
    7: "يوليو يوليه يوليوز جويليه تموز july jul",
    8: "اغسطس اغشت غشت اوت اب august aug",
    9: "سبتمبر شتنبر ايلول september sep sept",
    10: "اكتوبر تشرين الاول october oct",
    11: "نوفمبر نونبر تشرين الثاني november nov",
    12: "ديسمبر دجنبر كانون الاول december dec",
}.items():
    toks = _names.split()
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok in ("كانون", "تشرين"):
            _MONTH_NAMES[f"{tok} {toks[i + 1]}"] = _num
            i += 2
            continue
        _MONTH_NAMES[dediacritise(tok)] = _num
        i += 1
# Levantine two-word months also written with the other ordinal forms.
_MONTH_NAMES.update({"كانون الثاني": 1, "كانون ثاني": 1, "كانون الاول": 12, "كانون اول": 12,
                     "تشرين الاول": 10, "تشرين اول": 10, "تشرين الثاني": 11, "تشرين ثاني": 11})

_HIJRI_MONTHS: dict[str, int] = {
    "محرم": 1, "صفر": 2, "ربيع الاول": 3, "ربيع اول": 3, "ربيع الثاني": 4, "ربيع الاخر": 4,
    "ربيع ثاني": 4, "جمادي الاولي": 5, "جمادي الاول": 5, "جمادي الثانيه": 6, "جمادي الاخره": 6,
    "جمادي الثاني": 6, "جمادي الاخر": 6, "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10,
    "ذو القعده": 11, "ذي القعده": 11, "ذو الحجه": 12, "ذي الحجه": 12,
}

_WEEKDAYS: dict[str, int] = {  # Python weekday(): Monday = 0
    "الاثنين": 0, "الاتنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4,
    "السبت": 5, "الاحد": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
_WEEKDAY_BARE = {"اثنين": 0, "ثلاثاء": 1, "اربعاء": 2, "خميس": 3, "جمعه": 4, "سبت": 5, "احد": 6}

_UNITS_WORDS: dict[str, int] = {
    "واحد": 1, "واحده": 1, "احد": 1, "احدي": 1, "حادي": 1, "اول": 1, "اولي": 1,
    "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "ثاني": 2, "ثانيه": 2,
    "ثلاث": 3, "ثلاثه": 3, "ثالث": 3, "ثالثه": 3,
    "اربع": 4, "اربعه": 4, "رابع": 4, "رابعه": 4,
    "خمس": 5, "خمسه": 5, "خامس": 5, "خامسه": 5,
    "ست": 6, "سته": 6, "سادس": 6, "سادسه": 6,
    "سبع": 7, "سبعه": 7, "سابع": 7, "سابعه": 7,
    "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "ثامن": 8, "ثامنه": 8,
    "تسع": 9, "تسعه": 9, "تاسع": 9, "تاسعه": 9,
    "عشر": 10, "عشره": 10, "عاشر": 10, "عاشره": 10,
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
    "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
    "مائه": 100, "مئه": 100, "مائتان": 200, "مائتين": 200, "مئتان": 200, "مئتين": 200,
    "ثلاثمائه": 300, "ثلاثمئه": 300, "اربعمائه": 400, "اربعمئه": 400, "خمسمائه": 500, "خمسمئه": 500,
    "ستمائه": 600, "ستمئه": 600, "سبعمائه": 700, "سبعمئه": 700, "ثمانمائه": 800, "ثمانمئه": 800,
    "تسعمائه": 900, "تسعمئه": 900, "الف": 1000, "الفان": 2000, "الفين": 2000,
}
_TEEN_UNITS = {"عشر", "عشره"}

_DURATION_UNITS: dict[str, tuple[str, int]] = {
    "يوم": ("d", 1), "ايام": ("d", 1), "يوما": ("d", 1), "يومين": ("d", 2), "يومان": ("d", 2),
    "اسبوع": ("w", 1), "اسابيع": ("w", 1), "اسبوعا": ("w", 1), "اسبوعين": ("w", 2), "اسبوعان": ("w", 2),
    "شهر": ("m", 1), "اشهر": ("m", 1), "شهور": ("m", 1), "شهرا": ("m", 1), "شهرين": ("m", 2), "شهران": ("m", 2),
    "عام": ("y", 1), "اعوام": ("y", 1), "عاما": ("y", 1), "عامين": ("y", 2), "عامان": ("y", 2),
    "سنه": ("y", 1), "سنوات": ("y", 1), "سنين": ("y", 1), "سنتين": ("y", 2), "سنتان": ("y", 2),
}
_VAGUE_PLURALS = frozenset("ايام اسابيع اشهر شهور اعوام سنوات سنين".split())
_FEW = {"بضعه": 3, "بضع": 3, "عده": 3, "بعض": 3}


def _fold_keys(table: dict[str, Any]) -> dict[str, Any]:
    """The same table with its keys folded like the text is (ئ → ء, ة → ه…)."""
    return {k.translate(_FOLD_TABLE): v for k, v in table.items()}


_MONTH_NAMES = _fold_keys(_MONTH_NAMES)
_HIJRI_MONTHS = _fold_keys(_HIJRI_MONTHS)
_WEEKDAYS = _fold_keys(_WEEKDAYS)
_UNITS_WORDS = _fold_keys(_UNITS_WORDS)
_DURATION_UNITS = _fold_keys(_DURATION_UNITS)


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace("\\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


# A word start, allowing one or two proclitics (و ف ب ل ك): "وعام 2023", "وغداً", "و15 سبتمبر".
_B = r"(?:(?<![\w])|(?<=(?<![\w])[وفبلك])|(?<=(?<![\w])[وف][بلك]))"
_E = r"(?![\w])"
_MONTH = rf"(?:{_alt(_MONTH_NAMES)})"
_MONTHX = rf"{_MONTH}\.?(?:(?:\s*[/(\-]\s*|\s+){_MONTH}(?:\s*\))?)?"
_HMONTH = rf"(?:{_alt(_HIJRI_MONTHS)})"
_WD = rf"(?:{_alt(_WEEKDAYS)})"
_WDB = rf"(?:{_alt(_WEEKDAY_BARE)})"
_NUMW1 = rf"(?!الاثنين|الاتنين)(?:ال)?(?:{_alt(_UNITS_WORDS)})"
# A spelled number: words joined by و ("الحادي والعشرين", "ألف وتسعمائة وثمانية وسبعون", "خمسة عشر").
_NUMW = rf"(?:{_B}{_NUMW1}{_E}(?:\s+و\s*{_NUMW1}{_E}|\s+عشره?{_E})*)"
_NUMW_NB = rf"(?:{_NUMW1}{_E}(?:\s+و\s*{_NUMW1}{_E}|\s+عشره?{_E})*)"
_DAYN = r"(?:[12]\d|3[01]|0?[1-9])(?![\d])"
_DAY = rf"(?:(?P<{{p}}d>{_DAYN})(?:st|nd|rd|th)?(?:\s*[\-–]\s*{_DAYN}(?=\s*{_MONTH}))?|(?P<{{p}}dw>{_NUMW}))"
_YSUF = r"(?:\s*(?:م|ميلادي|ميلاديه|ه|هجري|هجريه|ad|bc)(?![\w]))?"
_UNIT_AFTER = (
    r"(?!\s*(?:%|في\s*الم[يا]|بالم[يا]|مليون|مليار|الف|دولار|يورو|ريال|جنيه|درهم|دينار|ليره|كلم|كيلو|"
    r"متر|ملم|مل+يمتر|طن|برميل|نقطه|شخص|قتيل|جريح|عاما|سنه|ساعه|دقيقه|جندي|مقاتل))"
)


def _year(p: str, required: bool) -> str:
    core = (
        rf"(?:\s*[,./]?\s*(?:من\s+)?(?:(?:عام|سنه|لعام|لسنه)\s*)?\(?\s*"
        rf"(?:(?P<{p}y>\d{{4}})(?![\d])|(?P<{p}yw>{_NUMW}))\s*\)?(?P<{p}ys>{_YSUF}))"
    )
    return core if required else core + "?"


# Words that open a date expression in archive and news text: "بتاريخ ( 27 / 9 / 1948 )", "منذ بداية 2019"
_PRE = r"(?:(?:ب?تاريخ\s*:?|الموافق|منذ|قبل|بعد|خلال|حتي)\s*(?:(?:بدايه|اواخر|اوائل|مطلع|منتصف|نهايه)\s+)?)"
_PASTFUT = "(?:الماضي|المنصرم|الفائت|المقبل|القادم)"
_ORD_WORDS = "(?:ال)?(?:اول|ثاني|ثالث|رابع|خامس|اخر|الاخير)"

_DUR_COUNT = rf"(?:\d{{1,3}}|{_NUMW}|بضعه|بضع|عده)"
_DUR_UNIT = rf"(?:{_alt(_DURATION_UNITS)}){_E}(?!\s*\(?\s*\d{{4}})"
_DUR_BODY = (
    rf"(?:(?:اكثر\s+من|اقل\s+من|نحو|حوالي)\s+)?(?:{_DUR_COUNT}\s+)?{_DUR_UNIT}"
    rf"(?:\s*(?:,|و)\s*(?:{_DUR_COUNT}\s+)?{_DUR_UNIT})*"
)

_PATTERNS: list[tuple[str, str]] = [
    # Day month [year]: "الاثنين 12 يناير 2016", "14th, September 2023", "الثاني من أغسطس", "يوم 19 مايو / أيار"
    ("dmy", rf"(?:(?:يوم\s+)?(?P<dmy_wd>{_WD})\s*,?\s*(?:يوم\s+)?|{_PRE})?{_DAY.format(p='dmy_')}"
            rf"(?P<dmy_sep>\s*(?:[./\-]|(?<=st|nd|rd|th),)?\s*)(?:من\s+)?"
            rf"(?:شهر\s+)?(?P<dmy_m>{_MONTHX}){_E}{_year('dmy_', False)}(?P<dmy_r>\s+{_PASTFUT}{_E})?"),
    # Month day [year]: "يوليو 5, 2024", "يناير-1", "سبتمبر الحادي والعشرين من ألف وتسعمائة…"
    ("mdy", rf"(?:(?:يوم\s+)?(?P<mdy_wd>{_WD})\s*,?\s*(?:يوم\s+)?)?(?P<mdy_m>{_MONTHX})\s*[\-/]?\s*"
            rf"{_DAY.format(p='mdy_')}\s*(?:,\s*)?{_year('mdy_', False)}(?P<mdy_r>\s+{_PASTFUT}{_E})?"),
    # Hijri: "15 رمضان 1445هـ", "رمضان 1445"
    ("hdmy", rf"(?:(?:يوم\s+)?{_WD}\s*,?\s*)?(?:(?P<hdmy_d>{_DAYN})\s*(?:من\s+|[/\-]\s*)?)?"
             rf"(?:شهر\s+)?(?P<hdmy_m>{_HMONTH}){_E}"
             rf"(?:\s*[,/\-]?\s*(?:(?:عام|سنه|لعام)\s*)?\(?\s*(?P<hdmy_y>1[345]\d\d)\s*\)?)?"
             rf"(?P<hdmy_s>\s*(?:ه|هجري|هجريه){_E})?(?P<hdmy_r>\s+{_PASTFUT}{_E})?"),
    # Month year: "سبتمبر 2023", "شهر أيار 2001", "كانون الثاني ( 1996 )"
    ("my", rf"{_PRE}?(?:(?:شهر|خلال|مطلع|منتصف|اواخر|اوائل|نهايه|بدايه)\s+)?(?P<my_m>{_MONTHX}){_E}"
           rf"{_year('my_', True)}"),
    # ISO and numeric dates
    ("ymd", r"(?P<ymd_y>(?:1[89]|20)\d\d)\s*(?P<ymd_s>[\-/.])\s*(?P<ymd_m>1[0-2]|0?[1-9])\s*(?P=ymd_s)\s*(?P<ymd_d>"
            r"[12]\d|3[01]|0?[1-9])(?![\d])"),
    ("ndmy", rf"(?P<ndmy_pre>{_PRE}|(?:{_MONTHX})\s*(?=\())?(?:\(\s*)?(?P<ndmy_d>\d{{1,2}})\s*(?P<ndmy_s>[\-/.])\s*"
             rf"(?P<ndmy_m>\d{{1,2}})\s*(?P=ndmy_s)\s*\(?\s*(?P<ndmy_y>\d{{4}}|\d{{2}})(?![\d])(?!\s*[\-/.]\s*\d)(?"
             rf":\s*\))?(?P<ndmy_suf>\s*(?:م|ميلادي|ميلاديه|ه|هجري|هجريه){_E})?"),
    ("mdcy", r"(?P<mdcy_m>1[0-2]|0?[1-9])\s*/\s*(?P<mdcy_d>[12]\d|3[01]|0?[1-9])\s*,\s*(?P<mdcy_y>\d{4}|\d{2})(?![\d"
             r"])"),
    # Nth weekday of a month: "أول يوم جمعة من يوليو", "أول يوم جمعة في هذا الشهر"
    ("nthwd", rf"(?P<nthwd_o>{_ORD_WORDS})\s+(?:يوم\s+)?(?P<nthwd_w>{_WDB}|{_WD}){_E}\s+(?:من|في)\s+"
              rf"(?:(?P<nthwd_m>{_MONTHX})|"
              rf"(?P<nthwd_r>(?:هذا\s+)?الشهر(?:\s+(?:الحالي|الجاري|المقبل|القادم|الماضي))?))"),
    # Day of a relative month: "20 من الشهر القادم", "الحادي والثلاثين من هذا الشهر"
    ("drm", rf"{_DAY.format(p='drm_')}\s+من\s+(?P<drm_r>(?:هذا\s+)?الشهر(?:\s+(?:الحالي|الجاري|المقبل|القادم|الماضي"
            rf"))?)"),
    # Relative weeks + weekday: "الأسبوع المقبل يوم الجمعة", "هذا الأسبوع الجمعة"
    ("wkwd", rf"(?P<wkwd_r>(?:هذا\s+)?الاسبوع(?:\s+(?:المقبل|القادم|الماضي|الحالي|الجاري))?)\s*,?\s*(?:يوم\s+)?(?P<"
             rf"wkwd_w>{_WD}){_E}"),
    # Weekday with ordinal: "الأحد الثاني" (second Sunday of the month)
    ("wdo", rf"(?:يوم\s+)?(?P<wdo_w>{_WD})\s+(?P<wdo_o>الاول|الثاني|الثالث|الرابع|الخامس){_E}(?!\s+(?:من\s+(?!كل)|ع"
            rf"شر|و))"),
    # Weekday + day of month / of a relative week: "الخميس 21", "الثلاثاء الحادي والثلاثين", "الجمعة من الاسبوع المقبل"
    ("wdd", rf"(?:يوم\s+)?(?P<wdd_w>{_WD}){_E}\s+(?:في\s+)?(?!(?:ال)?اول)(?:(?P<wdd_d>{_DAYN})(?!\s*[\-/.:]\s*\d)|("
            rf"?P<wdd_dw>{_NUMW}))(?!\s*(?:من\s+)?(?:شهر\s+)?(?:{_MONTH}|{_HMONTH}))"),
    ("wdwk", rf"(?:يوم\s+)?(?P<wdwk_w>{_WD}){_E}\s+من\s+(?P<wdwk_r>(?:هذا\s+)?الاسبوع(?:\s+(?:المقبل|القادم|الماضي|"
             rf"الحالي|الجاري))?)"),
    # Relative week/month/year
    ("rel", rf"(?:(?P<rel_this>هذا|هذه)\s+)?(?P<rel_u>الاسبوع|الشهر|العام|السنه)\s*"
            rf"(?P<rel_d>الماضي|الماضيه|المنصرم|المنصرمه|"
            rf"الفائت|الفائته|السابق|السابقه|المقبل|المقبله|القادم|القادمه|الحالي|الحاليه|الجاري|الجاريه)?{_E}"
            rf"(?:\s*\(?\s*(?P<rel_y>\d{{4}})(?![\d])\s*\)?(?P<rel_s>{_YSUF}))?"),
    # Bare month after a preposition: "في يوليو", "شهر مايو", "في سبتمبر الماضي"
    ("mo", rf"(?P<mo_p>في|شهر|خلال|منذ|مطلع|منتصف|اواخر|اوائل|نهايه|بدايه|حتي)\s+(?:شهر\s+)?"
           rf"(?P<mo_m>(?>{_MONTHX})){_E}(?!\s*[,.]?\s*(?:من\s+)?(?:عام|سنه)?\s*\(?\s*\d)"
           rf"(?!\s*[\-/]?\s*{_NUMW1}{_E})"
           rf"(?:\s+(?P<mo_r>الماضي|المقبل|القادم|الحالي|الجاري)){{0,1}}"),
    # Years: "عام 2023", "سنة ( 1935 ) م", "العام 2023"
    ("yr", rf"{_PRE}?(?P<yr_k>عام|سنه|العام|السنه|لعام|لسنه|للعام)\s*\(?\s*(?P<yr_y>\d{{4}})(?![\d])\s*\)?(?P<yr_s>"
           rf"{_YSUF})"),
    # Durations before / after now: "قبل 3 أيام", "منذ يومين", "بعد أسبوعين من الآن", "1 شهر و 21 أيام من الآن"
    ("dur", rf"(?P<dur_dir>قبل|منذ|بعد|في(?=\s+\d))\s+(?P<dur_body>{_DUR_BODY})(?!\s+(?:من\s+)?امس)(?P<dur_now>\s+م"
            rf"ن\s+الان(?!\w))?"),
    ("durnow", rf"(?P<durnow_body>{_DUR_BODY})\s+من\s+الان(?!\w)"),
    # Weekdays: "يوم الجمعة", "الأحد المقبل", "الثلاثاء الماضي"
    ("wd", rf"(?:(?P<wd_today>اليوم|(?:ب?ال)?امس(?:\s+الاول)?|غدا|الغد)\s*[,\-(]?\s*)?(?:يوم\s+)?(?P<wd_w>{_WD}){_E}"
           rf"(?:\s+(?P<wd_r>المقبل|القادم|الماضي|المنصرم|الفائت){_E})?"),
    # Relative days
    ("rday", r"(?P<rday_w>اليوم\s+التالي|اليوم\s+الاتي|اليوم\s+السابق|اليوم\s+الماضي|اخر\s+يوم|"
             r"(?:قبل|اول)\s+(?:يوم\s+)?(?:من\s+)?امس|(?:ب|في\s+)?(?:ال)?امس\s+الاول|"
             r"بعد\s+(?:يوم\s+)?غد|بعد\s+الغد|(?:ب|في\s+)?الامس|امس|البارحه|غدا|الغد|بكرا|بكره|(?:هذا\s+)?اليوم|الليله)(?![\w])"),
    # Numeric day-month without year, only when unambiguous: "22/04", "4.22", "22-4"
    ("ndm", rf"(?P<ndm_a>\d{{1,2}})(?:[\-.]|\s*/\s*)(?P<ndm_b>\d{{1,2}})(?![\d])(?!\s*[\-/.:]\s*\d)(?!\s*{_MONTH})"),
    # Bare years: "1948", "(1948)" — context checked in the resolver
    ("by", rf"(?P<by_pre>{_PRE})?(?:\(\s*)?(?P<by_y>(?:1[89]|20)\d\d|1[34]\d\d(?=\s*\)?\s*(?:ه|هجري)))(?![\d])"
           r"(?:\s*-\s*(?:1[89]|20)\d\d(?![\d]))?"
           r"(?:\s*\))?(?P<by_s>(?:\s*(?:م|ميلادي|ه|هجري)(?![\w]))?)"),
    # Day only, at the end of a clause: "سأعود في 15", "عدت إلى الحادي والعشرين"
    ("don", rf"(?:(?:في|يوم|الي)\s+(?:(?P<don_d>{_DAYN})|(?P<don_dw>{_NUMW}))|(?:لل|ل(?=ال))(?P<don_dl>{_NUMW_NB}))"
            r"(?=\s*[.!?]?\s*$)"),
]

# Words that carry a date ("core" words): a date expression starts at most _LOOKBACK words before one
# of them (or a number). Only those places are given to the combined regex, which keeps tagging fast:
# most sentences have no core word at all, and the others only a few.
_CORE_WORDS = frozenset(
    [w.split()[0] for w in _MONTH_NAMES] + [w.split()[0] for w in _HIJRI_MONTHS] + list(_WEEKDAYS)
    + list(_WEEKDAY_BARE) + list(_DURATION_UNITS) + list(_UNITS_WORDS) + ["ال" + w for w in _UNITS_WORDS]
    + "امس الامس غد غدا الغد بكرا بكره اليوم الليله البارحه الاسبوع الشهر العام السنه".split()
)
_LOOKBACK = 3
# Words that can open a date expression before its core word ("بتاريخ", "منذ بداية", "في", "يوم"…).
_STARTERS = frozenset(
    "يوم بتاريخ تاريخ الموافق منذ قبل بعد خلال حتي بدايه اواخر اوائل مطلع منتصف نهايه شهر هذا هذه في عام "
    "سنه العام السنه لعام لسنه للعام اكثر اقل نحو حوالي بضعه بضع عده اليوم اخر الاخير اول الي".split()
)
_TOKEN_RE = re.compile(r"\w+")
_PROCLITICS = frozenset("وفبلك")
_PROCLITIC_2 = frozenset(a + b for a in "وف" for b in "بلك")
# The core words with their proclitics ("والأربعاء", "وبعد", "للثاني"), for one set lookup per word.
_CORE_ALL = frozenset(
    [*_CORE_WORDS]
    + [p + w for w in _CORE_WORDS for p in (*_PROCLITICS, *_PROCLITIC_2)]
    + ["لل" + w[2:] for w in _CORE_WORDS if w.startswith("ال")]
)
_DIGIT_RE = re.compile(r"\d")
_DATE_RE = re.compile("|".join(rf"(?P<{name}>{_B}(?:{pat}))" for name, pat in _PATTERNS))
# Each alternative alone, tried in order at a position where the first one that matched was no date.
_ALT_RES = [(name, re.compile(rf"(?P<{name}>{_B}(?:{pat}))")) for name, pat in _PATTERNS]
_ALT_INDEX = {name: i for i, (name, _) in enumerate(_PATTERNS)}

# A future cue in the clause before a mention: سيزور، ستعقد، سوف، من المقرر أن، يعتزم… (or «موعدا» after it:
# «حددت اللجنة يوم 26 شباط موعدا للانتخاب»)
_FUTURE_RE = re.compile(
    r"(?<![\w])(?:سوف|المقرر|المزمع|يعتزم|تعتزم|يعتزمون|المرتقب|المرتقبه|المتوقع|يتوقع|يرتقب|موعدا|"
    r"و?ف?س(?:[يتن][\w]{3,}|ا(?:عود|زور|ذهب|كون|سافر|قوم|تي|شارك|لتقي)))(?![\w])"
)
_NOT_FUTURE_RE = re.compile(
    r"^و?ف?س(?:ياس|يار|نوات|نوي|يد|يطر|تين|تار|يناء|يول|نغافور|يادي|يبير|يرغي|يرجي|يف|يم|تاد|تراتيج|"
    r"تمر|ندات|يناري|نغال|تيفن|تيف|تان|يرت|تالين|يريلانك|يرلانك|ينيم|يوف|ينات|ينما|يول|نتيم|نتر)"
)
_CLAUSE_BREAK_RE = re.compile(r"[.!?;\n]")
_PAST_HINT_RE = re.compile(r"(?<![\w])(?:و?كان|و?كانت|قد|لقد)(?![\w])")
# Words before a bare year that make it a date ("منذ 1948", "عام 2011", "في 2019").
_YEAR_CONTEXT = frozenset(
    "في منذ حتي قبل بعد عام سنه العام خلال مطلع اواخر اوائل منتصف نهايه بدايه عن لعام و الي من بين".split()
)
# "اليوم الوطني", "اليوم العالمي", "اليوم الأول": a named or numbered day, not today.
_NOT_TODAY_RE = re.compile(r"\s+(?!الي(?!\w)|الذي|التي)ال(?:\w+[يه]|\w*(?:اول|اخر|اخير))(?!\w)")
# A bare number is not a year after "-", "/", "رقم" or a digit ("سو-35", "رقم 2019") or before a
# counted noun ("2000 جندي", "2023 شخصاً": indefinite accusatives end in ا).
_BAD_BEFORE_YEAR_RE = re.compile(r"(?:[\-/\d,]\s*|رقم\s*|\$\s*)$")
_COUNTED_AFTER_RE = re.compile(r"\s*\)?\s*(?:\w+ا(?![\w])|(?:جندي|شخص|مواطن|طالب|لاجء|منزل|مقاتل|عنصر|موظف|"
                               r"عامل|وحده|سياره|"
                               r"طاءره|صاروخ|قذيفه|مريض|حاله|اصابه|وفاه|مشارك|زاءر|حاج|معتمر)(?![\w]))")
_BARE_UNIT_RE = re.compile(rf"{_DUR_UNIT}")
# A duration counted from a happening named after it, not from the reference date.
_ANCHOR_AFTER_RE = re.compile(r"\s+من\s+(?!(?:الان|الآن)(?!\w))[^\s\d]")
_ANCHOR_ON_RE = re.compile(r"\s+(?:علي|على)\s+(?!(?:الاقل|الأقل)(?!\w))[^\s\d]")  # بعد يومين على …
_CITY_BEFORE_RE = re.compile(r"(?:مدينه|مدينة|بمدينه|لمدينه)\s+$")
_NOUN_AFTER_RE = re.compile(rf"\s+(?:ال\w|{_HMONTH}|{_MONTH})")
_DOT_DATE_BEFORE_RE = re.compile(r"(?<![\w])(?:في|يوم|بتاريخ|حتي|منذ)\s+$")
_TIME_BEFORE_RE = re.compile(r"(?:الساعه|ساعه|توقيت)\s*$")
_TIME_AFTER_RE = re.compile(r"\s*(?:صباحا|صباح|مساء|مساءا|ظهرا|ليلا|فجرا|ص|م|am|pm)(?![\w])")
_PREV_WORD_RE = re.compile(r"([\w]+)\W*$")


def _num_words(text: str) -> int | None:
    """The value of a spelled number ("الحادي والعشرين" → 21, "ألف وتسعمائة وواحد" → 1901)."""
    total = 0
    last = 0
    seen = False
    for raw in text.split():
        tok = raw
        if tok.startswith("و") and tok not in _UNITS_WORDS:
            tok = tok[1:]
        if not tok:
            continue
        if tok.startswith("ال") and tok not in _UNITS_WORDS:
            tok = tok[2:]
        value = _UNITS_WORDS.get(tok)
        if value is None:
            return None
        seen = True
        if tok in _TEEN_UNITS and 0 < last < 10:
            total += 10
            last = 0
            continue
        total += value
        last = value
    return total if seen else None


# ---------------------------------------------------------------------------------------------------
# Date arithmetic


def parse_ref(ref: date | str | None) -> date | None:
    """A reference date from a ``date`` (or ``datetime``), an ISO string (``YYYY-MM-DD…``) or None.

    A string that is not a date gives None.
    """
    if isinstance(ref, datetime):
        return ref.date()
    if ref is None or isinstance(ref, date):
        return ref
    try:
        return date.fromisoformat(ref.strip()[:10])
    except ValueError:
        return None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        out = _safe_date(year, month, day)
        if out:
            return out
    return d


def _add(d: date, unit: str, n: int) -> date:
    if unit == "d":
        return d + timedelta(days=n)
    if unit == "w":
        return d + timedelta(weeks=n)
    if unit == "m":
        return _add_months(d, n)
    return _add_months(d, 12 * n)


def _weekday_on_or_before(ref: date, wd: int) -> date:
    return ref - timedelta(days=(ref.weekday() - wd) % 7)


def _weekday_on_or_after(ref: date, wd: int) -> date:
    return ref + timedelta(days=(wd - ref.weekday()) % 7)


def _year2(y: int) -> int:
    return 2000 + y if y < 50 else 1900 + y


_ISLAMIC_EPOCH = date(622, 7, 19).toordinal()  # 1 Muharram 1 AH, proleptic Gregorian


def _tabular_hijri(y: int, m: int, d: int) -> date | None:
    """The arithmetic (tabular) Islamic calendar, for years outside hijridate's Umm al-Qura range."""
    if not (1 <= m <= 12 and 1 <= d <= 30 and y >= 1):
        return None
    ordinal = _ISLAMIC_EPOCH - 1 + d + -(-59 * (m - 1) // 2) + (y - 1) * 354 + (3 + 11 * y) // 30
    return date.fromordinal(ordinal)


@lru_cache(maxsize=4096)
def _hijri(y: int, m: int, d: int) -> date | None:
    """A Hijri date in the Gregorian calendar: Umm al-Qura (hijridate) where it is defined, else tabular."""
    try:
        from hijridate import Hijri

        g = Hijri(y, m, d).to_gregorian()
        return date(g.year, g.month, g.day)
    except (ValueError, OverflowError, ImportError):
        return _tabular_hijri(y, m, d)


def _month_day(ref: date, month: int, day: int, direction: int) -> date | None:
    """A month/day without a year: past (-1), future (+1) or nearest (0) relative to ``ref``."""
    cands = [c for c in (_safe_date(ref.year + k, month, day) for k in (-1, 0, 1)) if c]
    if not cands:
        return None
    if direction < 0:
        past = [c for c in cands if c <= ref]
        return max(past) if past else None
    if direction > 0:
        fut = [c for c in cands if c >= ref]
        return min(fut) if fut else None
    # nearest, with the past weighted as closer (news mostly reports what happened)
    return min(cands, key=lambda c: (ref - c).days if c <= ref else 2 * (c - ref).days)


def _hijri_month_day(ref: date, month: int, day: int, direction: int) -> date | None:
    """A Hijri day and month without a year («27 رمضان»): of the Hijri year that puts it nearest ``ref``
    (the past weighted as closer, as for Gregorian months); the first on or after it with a future cue or
    «المقبل», the last on or before it with «الماضي»."""
    hy = int((ref.toordinal() - _ISLAMIC_EPOCH) / 354.367) + 1  # the Hijri year ``ref`` falls in
    cands = [c for c in (_hijri(hy + k, month, day) for k in (-1, 0, 1)) if c]
    if not cands:
        return None
    if direction > 0:
        fut = [c for c in cands if c >= ref]
        return min(fut) if fut else None
    if direction < 0:
        past = [c for c in cands if c <= ref]
        return max(past) if past else None
    return min(cands, key=lambda c: (ref - c).days if c <= ref else 2 * (c - ref).days)


def _month_only(ref: date, month: int, direction: int) -> date:
    this = date(ref.year, month, 1)
    ref_m = date(ref.year, ref.month, 1)
    if direction < 0:
        return this if this <= ref_m and not (this == ref_m and direction < -1) else date(ref.year - 1, month, 1)
    if direction > 0:
        return this if this >= ref_m else date(ref.year + 1, month, 1)
    if this <= ref_m:
        return this
    ahead = (month - ref.month)
    return this if ahead <= 2 else date(ref.year - 1, month, 1)


# ---------------------------------------------------------------------------------------------------
# Resolution


def _clause_before(folded: str, start: int) -> str:
    lo = max(0, start - 80)
    seg = folded[lo:start]
    cut = -1
    for m in _CLAUSE_BREAK_RE.finditer(seg):
        cut = m.end()
    return seg[cut + 1:] if cut >= 0 else seg


def _future_cue(folded: str, start: int, end: int) -> bool:
    clause = _clause_before(folded, start)
    after = folded[end:end + 12]  # "الأحد سيزور …" but not a future in the reported speech that follows
    brk = _CLAUSE_BREAK_RE.search(after)
    if brk:
        after = after[: brk.start()]
    for text in (clause, after):
        for m in _FUTURE_RE.finditer(text):
            if not _NOT_FUTURE_RE.match(m.group(0)):
                return True
    return False


def _day_value(m: re.Match[str], p: str) -> int | None:
    d = m.group(p + "d")
    if d:
        return int(d)
    dw = m.group(p + "dw")
    if dw:
        v = _num_words(dw)
        return v if v and 1 <= v <= 31 else None
    return None


def _year_value(m: re.Match[str], p: str) -> int | None:
    y = m.group(p + "y")
    if y:
        return int(y)
    yw = m.group(p + "yw")
    if yw:
        v = _num_words(yw)
        return v if v and 1000 <= v <= 2100 else None
    return None


_MONTH_RE = re.compile(_MONTH)


def _first_month(text: str) -> int | None:
    m = _MONTH_RE.match(text)
    if not m:
        return None
    return _MONTH_NAMES.get(re.sub(r"\s+", " ", m.group(0).lower()))


def _relative_direction(word: str | None) -> int:
    if not word:
        return 0
    if word.startswith(("المقبل", "القادم")):
        return 1
    if word.startswith(("الماضي", "المنصرم", "الفائت", "السابق")):
        return -1
    return 0


_Resolved = tuple[date, Grain] | None


def _resolve(kind: str, m: re.Match[str], folded: str, ref: date | None) -> _Resolved:  # noqa: C901, PLR0911, PLR0912
    s, e = m.start(kind), m.end(kind)
    if kind in ("dmy", "mdy"):
        p = kind + "_"
        month = _first_month(m.group(p + "m"))
        day = _day_value(m, p)
        if kind == "dmy" and m.group("dmy_dw") and m.group("dmy_sep").strip():
            return None  # "الثاني / كانون الأول" is a month name, not the 2nd of December
        if month is None or day is None:
            return None
        year = _year_value(m, p)
        if year is not None:
            ys = (m.group(p + "ys") or "").strip()
            if ys in ("ه", "هجري", "هجريه"):
                return None
            if m.group(p + "y") and len(m.group(p + "y")) == 2:
                year = _year2(year)
            d = _safe_date(year, month, day)
            return (d, "day") if d else None
        if ref is None:
            return None
        if folded[s:e].rstrip()[-1:].isdigit() and _COUNTED_AFTER_RE.match(folded, e):
            return None  # "سبتمبر 15 سنتاً": a price for a month's contract, not a date (not «26 شباط موعدا»)
        wd = m.group(p + "wd")
        direction = _relative_direction((m.group(p + "r") or "").strip()) or (1 if _future_cue(folded, s, e) else 0)
        d = _month_day(ref, month, day, direction)
        if wd and d is not None:
            wdn = _WEEKDAYS[wd.lower()]
            for k in (0, 1, -1):
                c = _safe_date(ref.year + k, month, day)
                if c and c.weekday() == wdn:
                    d = c
                    break
        return (d, "day") if d else None
    if kind == "hdmy":
        month = _HIJRI_MONTHS.get(re.sub(r"\s+", " ", m.group("hdmy_m")))
        y = m.group("hdmy_y")
        dd = m.group("hdmy_d")
        if month is None or (y is None and dd is None):
            return None
        if y is None:
            if ref is None or _CITY_BEFORE_RE.search(folded, max(0, s - 8), s):
                return None  # «مدينة العاشر من رمضان» is a city
            if month == 2 and not re.search(r"(?:من|شهر)\s*$", folded[m.end("hdmy_d") : m.start("hdmy_m")]):
                return None  # «2-صفر», «بنتيجة 3 صفر»: a score (صفر is also zero), unless «من صفر», «شهر صفر»
            # «27 رمضان الماضي»: of the last Ramadan; «15 شوال المقبل»: of the next Shawwal
            rel = _relative_direction((m.group("hdmy_r") or "").strip())
            direction = rel or (1 if _future_cue(folded, s, e) else 0)
            g = _hijri_month_day(ref, month, int(dd), direction)
            return (g, "day") if g else None
        if dd is None:
            g = _hijri(int(y), month, 1)
            return (g, "month") if g else None
        g = _hijri(int(y), month, int(dd))
        return (g, "day") if g else None
    if kind == "my":
        month = _first_month(m.group("my_m"))
        year = _year_value(m, "my_")
        if month is None or year is None:
            return None
        ys = (m.group("my_ys") or "").strip()
        if ys in ("ه", "هجري", "هجريه"):
            return None
        if not 1000 <= year <= 2100:
            return None
        return (date(year, month, 1), "month")
    if kind == "ymd":
        d = _safe_date(int(m.group("ymd_y")), int(m.group("ymd_m")), int(m.group("ymd_d")))
        return (d, "day") if d else None
    if kind == "ndmy":
        a, b, y = int(m.group("ndmy_d")), int(m.group("ndmy_m")), m.group("ndmy_y")
        year = int(y)
        suffix = (m.group("ndmy_suf") or "").strip()
        if suffix in ("ه", "هجري", "هجريه") or (len(y) == 4 and 1300 <= year < 1500 and suffix not in ("م", "ميلادي")):
            # "2 / 6 / 1436هـ": a Hijri date (Saudi outlets write them day/month/year too)
            g = _hijri(year, b, a) if 1 <= b <= 12 else None
            return (g, "day") if g else None
        if len(y) == 2:
            year = _year2(year)
        elif not 1000 <= year <= 2100:
            return None
        d = _safe_date(year, b, a) or _safe_date(year, a, b)
        return (d, "day") if d else None
    if kind == "mdcy":
        y = m.group("mdcy_y")
        year = _year2(int(y)) if len(y) == 2 else int(y)
        d = _safe_date(year, int(m.group("mdcy_m")), int(m.group("mdcy_d")))
        return (d, "day") if d else None
    if kind == "yr":
        year = int(m.group("yr_y"))
        suffix = (m.group("yr_s") or "").strip()
        if suffix in ("ه", "هجري", "هجريه"):
            g = _hijri(year, 7, 1)  # the Gregorian year holding most of the Hijri year
            return (date(g.year, 1, 1), "year") if g else None
        if not 1000 <= year <= 2100:
            return None
        return (date(year, 1, 1), "year")
    if kind == "by":
        year = int(m.group("by_y"))
        suffix = (m.group("by_s") or "").strip(" )")
        prev_word = _PREV_WORD_RE.search(folded, max(0, s - 20), s)
        context = bool(suffix) or "(" in m.group(0) or m.group("by_pre") is not None or (
            prev_word is not None and prev_word.group(1) in _YEAR_CONTEXT)
        if not context and not 1900 <= year <= 2039:
            return None
        if _BAD_BEFORE_YEAR_RE.search(folded, max(0, s - 6), s) or _COUNTED_AFTER_RE.match(folded, e):
            return None
        if re.match(_UNIT_AFTER, folded[e:]) is None:
            return None
        if suffix in ("ه", "هجري"):
            g = _hijri(year, 7, 1)  # the Gregorian year holding most of the Hijri year
            return (date(g.year, 1, 1), "year") if g else None
        return (date(year, 1, 1), "year")
    if ref is None:
        return None
    if kind == "ndm":
        sep = m.group(0)
        a, b = int(m.group("ndm_a")), int(m.group("ndm_b"))
        if _TIME_BEFORE_RE.search(folded, max(0, s - 12), s) or _TIME_AFTER_RE.match(folded, e):
            return None  # "الساعة 7.30 مساء" is a time
        if "." in sep and (re.match(_UNIT_AFTER, folded[e:]) is None
                           or not _DOT_DATE_BEFORE_RE.search(folded, max(0, s - 10), s)):
            return None  # "بنسبة 1.03": a decimal; "في 4.22" is a date
        if folded[max(0, s - 2):s].strip().endswith(("-", "/", ".", ",")) or folded[e:e + 1] in ("%",):
            return None
        if re.match(_UNIT_AFTER, folded[e:]) is None:
            return None
        if 13 <= a <= 31 and 1 <= b <= 12:
            day, month = a, b
        elif 13 <= b <= 31 and 1 <= a <= 12:
            day, month = b, a
        elif m.group(0).startswith("0") or re.search(r"[\-/.]\s*0", m.group(0)):
            day, month = a, b
        else:
            return None
        d = _month_day(ref, month, day, 1 if _future_cue(folded, s, e) else 0)
        return (d, "day") if d else None
    if kind == "nthwd":
        o = m.group("nthwd_o").removeprefix("ال")
        wd_word = m.group("nthwd_w")
        nth_wd = _WEEKDAYS.get(wd_word.lower(), _WEEKDAY_BARE.get(wd_word))
        if nth_wd is None:
            return None
        wdn = nth_wd
        if m.group("nthwd_m"):
            month = _first_month(m.group("nthwd_m"))
            if month is None:
                return None
            fut = _future_cue(folded, s, e)
            years = [ref.year, ref.year + 1] if fut else [ref.year]
            if not fut and date(ref.year, month, 1) > ref:
                years = [ref.year - 1]
            base = None
            for y in years:
                base = date(y, month, 1)
                if not fut or _add_months(base, 1) > ref:
                    break
        else:
            base = _add_months(date(ref.year, ref.month, 1), _relative_direction(m.group("nthwd_r").split()[-1]))
        assert base is not None
        first = _weekday_on_or_after(base, wdn)
        if o in ("اخر", "الاخير", "اخير"):
            next_month = _add_months(base, 1)
            d = _weekday_on_or_before(next_month - timedelta(days=1), wdn)
        else:
            n = {"اول": 1, "ثاني": 2, "ثالث": 3, "رابع": 4, "خامس": 5}.get(o, 1)
            d = first + timedelta(weeks=n - 1)
            if d.month != base.month:
                return None
        return (d, "day")
    if kind == "drm":
        day = _day_value(m, "drm_")
        if day is None:
            return None
        base = _add_months(date(ref.year, ref.month, 1), _relative_direction(m.group("drm_r").split()[-1]))
        d = _safe_date(base.year, base.month, day)
        return (d, "day") if d else None
    if kind in ("wkwd", "wdwk"):
        wdn = _WEEKDAYS[m.group(kind + "_w").lower()]
        shift = _relative_direction(m.group(kind + "_r").split()[-1])
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=shift)
        return (monday + timedelta(days=wdn), "day")
    if kind == "wdd":
        wdn = _WEEKDAYS[m.group("wdd_w").lower()]
        dw = m.group("wdd_dw")
        if dw and not dw.startswith("ال") and not re.search(r"(?<![\w])في\s", m.group(0)):
            return None  # "يوم الجمعة رابع هبوط": an ordinal of something else
        day = _day_value(m, "wdd_")
        if day is None:
            return None
        for k in (0, -1, 1, -2, 2):
            base = _add_months(date(ref.year, ref.month, 1), k)
            c = _safe_date(base.year, base.month, day)
            if c and c.weekday() == wdn:
                return (c, "day")
        return None
    if kind == "wdo":
        wdn = _WEEKDAYS[m.group("wdo_w").lower()]
        n = {"الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5}[m.group("wdo_o")]
        d = _weekday_on_or_after(date(ref.year, ref.month, 1), wdn) + timedelta(weeks=n - 1)
        if d.month != ref.month:
            return None
        return (d, "day")
    if kind == "rel":
        unit = m.group("rel_u")
        direction_word = m.group("rel_d")
        if m.group("rel_y"):
            year = int(m.group("rel_y"))
            suffix = (m.group("rel_s") or "").strip()
            if suffix in ("ه", "هجري", "هجريه") or (1300 <= year < 1500 and suffix not in ("م", "ميلادي")):
                g = _hijri(year, 7, 1)  # the Gregorian year holding most of the Hijri year
                return (date(g.year, 1, 1), "year") if g else None
            return (date(year, 1, 1), "year") if 1000 <= year <= 2100 else None
        if direction_word is None and m.group("rel_this") is None:
            return None
        shift = _relative_direction(direction_word)
        if unit == "الاسبوع":
            return (ref + timedelta(weeks=shift), "day")
        if unit == "الشهر":
            return (_add_months(date(ref.year, ref.month, 1), shift), "month")
        return (date(ref.year + shift, 1, 1), "year")
    if kind in ("dur", "durnow"):
        if _BARE_UNIT_RE.fullmatch(m.group(kind + "_body")) and _NOUN_AFTER_RE.match(folded, e):
            return None  # "قبل شهر رمضان", "منذ يوم العيد": a named period, not a duration
        if kind == "dur" and m.group("dur_now") is None and (
            _ANCHOR_AFTER_RE.match(folded, e) or m.group("dur_dir") == "بعد" and _ANCHOR_ON_RE.match(folded, e)
        ):
            return None  # "قبل يومين من الانتخابات", "بعد أربعة أيام على فوزه": counted from a happening
        return _resolve_duration(kind, m, folded, ref)
    if kind == "mo":
        month = _first_month(m.group("mo_m"))
        if month is None:
            return None
        name = re.sub(r"\s+", " ", m.group("mo_m").lower())
        if name in ("ماي", "اب", "may", "mar", "jan", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "feb", "apr") \
                and m.group("mo_p") != "شهر" and not m.group("mo_r"):
            return None  # "في آب" may be "in a father"; "في آب الماضي" and "شهر آب" are months
        r = m.group("mo_r")
        direction = _relative_direction(r) or (1 if _future_cue(folded, s, e) else 0)
        return (_month_only(ref, month, direction), "month")
    if kind == "rday":
        w = re.sub(r"\s+", " ", m.group("rday_w"))
        if w in ("اليوم", "هذا اليوم"):
            nxt = folded[e:e + 14]
            # "اليوم الوطني" (National Day) is not today; "اليوم الجمعة" is handled by the weekday.
            if _NOT_TODAY_RE.match(nxt):
                return None
            prev = folded[max(0, s - 8):s]
            if re.search(r"(?:حتي|الي|منذ)\s+$", prev) and w == "اليوم":
                return (ref, "day")
            return (ref, "day")
        if w in ("اليوم التالي", "اليوم الاتي"):
            return (ref + timedelta(days=1), "day")
        if w in ("اليوم السابق", "اليوم الماضي", "اخر يوم"):
            return (ref - timedelta(days=1), "day")
        if w == "الليله":
            return (ref, "day")
        if "امس" in w:
            if w.startswith(("قبل", "اول")) or w.endswith("الاول"):
                return (ref - timedelta(days=2), "day")
            return (ref - timedelta(days=1), "day")
        if w == "البارحه":
            return (ref - timedelta(days=1), "day")
        if w.startswith("بعد"):
            return (ref + timedelta(days=2), "day")
        if w in ("غدا", "الغد", "بكرا", "بكره"):
            return (ref + timedelta(days=1), "day")
        return None
    if kind == "wd":
        wdn = _WEEKDAYS[m.group("wd_w").lower()]
        r = m.group("wd_r")
        direction = _relative_direction(r)
        prev = folded[max(0, s - 12):s]
        if direction == 0 and re.search(r"(?<![\w])(?:هذا|هذه)\s+(?:يوم\s+)?$", prev):
            direction = 1
        today = m.group("wd_today")
        if today:
            if "امس" in today:
                back = 2 if today.endswith("الاول") else 1
                return (_weekday_on_or_before(ref - timedelta(days=back), wdn), "day")
            if today in ("غدا", "الغد"):  # «غداً الأربعاء» in a Wednesday page: written the day before
                return (_weekday_on_or_after(ref, wdn), "day")
            return (_weekday_on_or_before(ref, wdn), "day")
        if direction < 0:
            return (ref - timedelta(days=(ref.weekday() - wdn - 1) % 7 + 1), "day")
        if direction > 0 and r:
            return (ref + timedelta(days=(wdn - ref.weekday() - 1) % 7 + 1), "day")
        if direction > 0 or _future_cue(folded, s, e):
            return (_weekday_on_or_after(ref, wdn), "day")
        return (_weekday_on_or_before(ref, wdn), "day")
    if kind == "don":
        day = _day_value(m, "don_")
        if day is None and m.group("don_dl"):
            v = _num_words("ال" + m.group("don_dl"))
            day = v if v and 1 <= v <= 31 else None
        if day is None:
            return None
        d = _safe_date(ref.year, ref.month, day)
        return (d, "day") if d else None
    return None


_DUR_PART_RE = re.compile(rf"(?:(\d{{1,3}}|{_NUMW}|بضعه|بضع|عده)\s+)?({_alt(_DURATION_UNITS)}){_E}")


def _resolve_duration(kind: str, m: re.Match[str], folded: str, ref: date) -> _Resolved:
    s, e = m.start(kind), m.end(kind)
    if kind == "durnow":
        direction_word, now, body = None, True, m.group("durnow_body")
    else:
        direction_word, now, body = m.group("dur_dir"), m.group("dur_now") is not None, m.group("dur_body")
    if direction_word in ("قبل", "منذ"):
        sign = -1
    elif direction_word in ("بعد", "في"):
        sign = 1
        if direction_word == "في" and not (now or _future_cue(folded, s, e)):
            return None
    else:
        sign = 1 if _future_cue(folded, s, e) else -1
    parts: list[tuple[str, int]] = []
    for part in _DUR_PART_RE.finditer(body):
        count_txt, unit_word = part.group(1), part.group(2)
        unit, base = _DURATION_UNITS[unit_word]
        if count_txt is None:
            if unit_word in _VAGUE_PLURALS:
                return None  # "منذ سنوات", "بعد أيام": a vague plural is no date
            n = base
        elif count_txt.isdigit():
            n = int(count_txt)
        elif count_txt in _FEW:
            n = _FEW[count_txt]
        else:
            v = _num_words(count_txt)
            if v is None:
                return None
            n = v
        parts.append((unit, n))
    if not parts:
        return None
    # "منذ يومين" after a verb of duration ("مستمر منذ 3 أيام") still points to the start day.
    d = ref
    for unit, n in sorted(parts, key=lambda p: "ymwd".index(p[0])):
        d = _add(d, unit, sign * n)
    years = [n for unit, n in parts if unit == "y"]
    if len(parts) == 1 and years and years[0] > 2:
        return (date(d.year, 1, 1), "year")
    return (d, "day")


_BARE_KINDS = {"by": ("by_pre", "by_s"), "ndmy": ("ndmy_pre", "ndmy_suf")}


def _span(kind: str, m: re.Match[str], folded: str) -> tuple[int, int]:
    s, e = m.start(kind), m.end(kind)
    if kind == "mo" and m.group("mo_p") == "في":
        s = m.start("mo_m")
    bare = _BARE_KINDS.get(kind)
    if bare and not m.group(bare[0]) and not (m.group(bare[1]) or "").strip():
        # a bare "( 1948 )" or "( 27 / 9 / 1948 )": the brackets are punctuation, not the date
        while e > s and folded[e - 1] in " ,.":
            e -= 1
        if folded[s] == "(" and folded[e - 1] == ")":
            s, e = s + 1, e - 1
    # trailing spaces/punctuation never belong to the mention
    while e > s and folded[e - 1] in " \t\n,.":
        e -= 1
    while s < e and folded[s] in " \t\n":
        s += 1
    # "(1948" without its closing parenthesis: leave the bracket out
    if folded[s] == "(" and ")" not in folded[s:e]:
        s += 1
        while s < e and folded[s] == " ":
            s += 1
    if folded[e - 1] == ")" and "(" not in folded[s:e]:
        e -= 1
        while e > s and folded[e - 1] == " ":
            e -= 1
    if folded.count("(", s, e) > folded.count(")", s, e):
        close = re.match(r"\s*\)", folded[e:e + 4])
        if close:
            e += close.end()
    return s, e


def _opens(word: str) -> bool:
    """Whether a date expression can start at ``word`` (without proclitics)."""
    return (
        word in _CORE_WORDS or word in _STARTERS or word[:1].isdigit()
        or word.rstrip("0123456789") in _CORE_WORDS  # "سبتمبر10"
    )


def _candidate_starts(folded: str) -> list[int]:
    """Places where a date expression may start: the words before and at each core word."""
    toks = _TOKEN_RE.findall(folded)
    if _CORE_ALL.isdisjoint(toks) and not _DIGIT_RE.search(folded):
        return []
    core = [i for i, t in enumerate(toks) if t in _CORE_ALL or not t.isalpha()]
    if not core:
        return []
    positions = [m.start() for m in _TOKEN_RE.finditer(folded)]
    starts: set[int] = set()
    seen: set[int] = set()
    for i in core:
        for k in range(max(0, i - _LOOKBACK), i + 1):
            if k in seen:
                continue
            seen.add(k)
            p, t = positions[k], toks[k]
            opened = False
            if _opens(t) or t.startswith("لل") and t in _CORE_ALL:
                starts.add(p)
                opened = True
            if t[0] in _PROCLITICS and len(t) > 1:
                if _opens(t[1:]):
                    starts.add(p + 1)
                    opened = True
                if t[:2] in _PROCLITIC_2 and _opens(t[2:]):
                    starts.add(p + 2)
                    opened = True
            if opened:
                q = p - 1
                while q >= 0 and folded[q] == " ":
                    q -= 1
                if q >= 0 and folded[q] == "(":
                    starts.add(q)
    return sorted(starts)


_NOT_THE_DAY_RE = re.compile(r"(?:^|\s)(?:[وف]?منذ|تسليم)\s+(?:\S+\s+)?$")
_OPENS_WITH_SINCE_RE = re.compile(r"[وف]?منذ\s")  # the expression itself may begin with it («منذ فبراير 2009»)


def not_when_it_happened(text: str, start: int) -> bool:
    """True when the date expression at ``start`` of ``text`` names a day that is not when the sentence's
    happening took place: the start of a duration («أدنى مستوى منذ فبراير 2009», «قرارات صادرة منذ 2006»)
    or a futures contract's month («العقود الآجلة للذهب تسليم أغسطس»)."""
    return (_NOT_THE_DAY_RE.search(text[max(0, start - 16) : start]) is not None
            or _OPENS_WITH_SINCE_RE.match(text, start) is not None)


def tag(text: str, ref: date | str | None = None, *, article_id: str | None = None) -> list[DateMention]:
    """Date expressions in ``text``, resolved against ``ref`` (offsets into ``text``).

    Without a reference date only self-contained dates (with a year) are returned. A ``ref`` string
    that is not ``YYYY-MM-DD…`` raises ``ValueError``.
    """
    if not text:
        return []
    folded, index = _fold(text)
    starts = _candidate_starts(folded)
    if not starts:
        return []
    ref_date = parse_ref(ref)
    if ref_date is None and ref is not None:
        raise ValueError(f"reference date must be YYYY-MM-DD, got {ref!r}")
    out: list[DateMention] = []
    weekdays: list[int | None] = []  # the weekday of a mention that is only a weekday («الثلاثاء»)
    end = 0
    for start in starts:
        if start < end:
            continue
        m = _DATE_RE.match(folded, start)
        if m is None or m.lastgroup is None:
            continue
        kind = m.lastgroup
        resolved = _resolve(kind, m, folded, ref_date)
        if resolved is None:
            # not a date after all: try the later alternatives at the same place
            for name, alt_re in _ALT_RES[_ALT_INDEX[kind] + 1:]:
                alt = alt_re.match(folded, start)
                if alt is not None:
                    resolved = _resolve(name, alt, folded, ref_date)
                    if resolved is not None:
                        m, kind = alt, name
                        break
            if resolved is None:
                continue
        end = m.end(kind)
        value, grain = resolved
        s, e = _span(kind, m, folded)
        if index is not None:
            s, e = index[s], index[e - 1] + 1
            while e < len(text) and _DROP_RE.match(text, e):
                e += 1  # the harakat and tatweel of the last letter belong to the mention
        out.append(DateMention(text=text[s:e], start=s, end=e, value=value.isoformat(), grain=grain,
                               article_id=article_id))
        weekdays.append(_WEEKDAYS.get(m.group("wd_w")) if kind == "wd" else None)
    return _join_weekdays(text, out, weekdays)


# between a weekday and the date that follows it: «الثلاثاء (14 يوليو)», «الأحد، 19-7-2015»
_WEEKDAY_GAP_RE = re.compile(r"[\s,،(\-–—]*(?:الموافق\s*)?\(?\s*")


def _join_weekdays(text: str, out: list[DateMention], weekdays: list[int | None]) -> list[DateMention]:
    """A weekday right before a full date of the same weekday («الثلاثاء الموافق 14 يوليو», «الأحد
    19-7-2015») names that date: one mention, not the weekday resolved on its own to another week."""
    joined: list[DateMention] = []
    k = 0
    while k < len(out):
        a = out[k]
        wd = weekdays[k]
        if wd is not None and k + 1 < len(out):
            b = out[k + 1]
            if (b.grain == "day" and _WEEKDAY_GAP_RE.fullmatch(text, a.end, b.start)
                    and date.fromisoformat(b.value).weekday() == wd):
                end = b.end + 1 if "(" in text[a.end : b.start] and text[b.end : b.end + 1] == ")" else b.end
                joined.append(replace(b, text=text[a.start : end], start=a.start, end=end))
                k += 2
                continue
        joined.append(a)
        k += 1
    return joined


def tag_lines(lines: Iterable[str], ref: date | str | None) -> Iterator[list[dict[str, Any]]]:
    """For the CLI: one list of ``{text, start, end, value, grain}`` per input line."""
    for line in lines:
        text = line.rstrip("\r\n")
        yield [
            {"text": d.text, "start": d.start, "end": d.end, "value": d.value, "grain": d.grain}
            for d in tag(text, ref)
        ]


def tag_article(article: Article, ref: date | str | None = None) -> list[DateMention]:
    """The date mentions of ``article``'s body (offsets into ``Article.text``) against its publication date.

    A ``published`` value that is not a date is ignored (with a warning), as if the article had none.
    """
    chosen = ref if ref is not None else article.published
    ref_date = parse_ref(chosen)
    if ref_date is None and chosen is not None:
        LOGGER.warning("article %s: publication date %r is not YYYY-MM-DD; ignored", article.id, chosen)
    return tag(article.text, ref_date, article_id=article.id)


# ---------------------------------------------------------------------------------------------------
# Publication dates

_DATE_LABEL_RE = re.compile(
    r"(?:تاريخ\s+النشر|تاريخ\s+الاضافه|نشر\s+في|نشر\s+بتاريخ|تم\s+النشر|اخر\s+تحديث|اخر\s+تعديل|"
    r"published|posted\s+on|date)",
    re.IGNORECASE,
)
_META_RE = re.compile(
    r"(?:article:published_time|datePublished|pubdate|publish-date|og:published_time)[\"']?\s*"
    r"(?:content\s*=\s*|:\s*)[\"'](\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)


def _dateline_in(lines: Iterable[str]) -> str | None:
    for i, line in enumerate(lines):
        if i >= 20:
            break
        folded, _ = _fold(line)
        labelled = _DATE_LABEL_RE.search(folded) is not None
        if not labelled and len(line) > 60:
            continue
        for mention in tag(line, None):
            if mention.grain != "day":
                continue
            rest = len(re.sub(r"[\W\d_]+", "", folded)) - len(re.sub(r"[\W\d_]+", "", _fold(mention.text)[0]))
            if labelled or rest <= 12:
                return mention.value
    return None


def find_publication_date(item: Document | Article) -> tuple[str | None, str | None]:
    """The publication date of a page or an article and how it was found.

    Returns ``(YYYY-MM-DD, how)`` with ``how`` one of ``"input"`` (the input record's field),
    ``"meta"`` (HTML metadata), ``"dateline"`` (an explicit date line such as "تاريخ النشر: 14th,
    September 2023 GMT" or "يوليو 5, 2024آخر تحديث: …") — or ``(None, None)``.
    """
    if item.published:
        how = getattr(item, "published_how", None) or "input"
        return item.published, how
    if isinstance(item, Document):
        if item.content_type == "html":
            m = _META_RE.search(item.content)
            if m and parse_ref(m.group(1)):
                return m.group(1), "meta"
        lines = [ln for ln in item.content.splitlines() if ln.strip()]
    else:
        lines = ([item.title] if item.title else []) + list(item.paragraphs[:12])
    found = _dateline_in(lines)
    return (found, "dateline") if found else (None, None)


_LEDE_CHARS = 400
_ANCHOR_WEIGHT = 2.0  # per day between a candidate and the nearest dated article of the story


def infer_publication_date(
    article_text: str,
    anchor_dates: Sequence[str],
    *,
    window: int = 3,
) -> tuple[str | None, str | None]:
    """Infer a page's publication date from its relative expressions and its story's dated articles.

    ``anchor_dates`` are the publication dates (and, optionally, dated happenings) of the other
    articles of the same story. Each day within ``window`` days of the anchors is tried as the
    reference date, and the cheapest wins (ties: the earliest). A candidate costs (1) two per day that
    the lede's first past date expression lies more than one day before it (an outlet reports the
    lede's happening the same day or the next), (2) the mean distance in days from the dates it gives
    the article's relative expressions to the nearest anchor, and (3) ``_ANCHOR_WEIGHT`` per day to
    the nearest anchor; "اليوم الجمعة"-style expressions allow only their weekday. Articles without
    relative expressions get the story's median anchor. Returns ``(YYYY-MM-DD, "inferred")`` or
    ``(None, None)`` when there is no anchor.
    """
    anchors = sorted({d for d in (parse_ref(a) for a in anchor_dates) if d})
    if not anchors:
        return None, None
    folded, _ = _fold(article_text)
    pinned: set[int] = set()
    for m in re.finditer(rf"(?<![\w])اليوم\s*[,(\-]?\s*(?:يوم\s+)?({_WD}){_E}", folded):
        pinned.add(_WEEKDAYS[m.group(1).lower()])
    probe = tag(article_text, anchors[0])
    relative = [mm for mm in probe if not re.search(r"\d{4}", _fold(mm.text)[0])]
    if not relative:
        mid = anchors[(len(anchors) - 1) // 2]
        return mid.isoformat(), "inferred"
    known = anchors
    best: tuple[float, date] | None = None
    start = anchors[0] - timedelta(days=window)
    for k in range((anchors[-1] - anchors[0]).days + 2 * window + 1):
        cand = start + timedelta(days=k)
        if pinned and cand.weekday() not in pinned:
            continue
        mentions = [mm for mm in tag(article_text, cand) if not re.search(r"\d{4}", _fold(mm.text)[0])]
        if not mentions:
            continue
        values = [date.fromisoformat(mm.value) for mm in mentions if mm.grain == "day"]
        if not values:
            continue
        dist = sum(min(abs((v - a).days) for a in known) for v in values) / len(values)
        lede = [v for v in (date.fromisoformat(mm.value) for mm in mentions if mm.start < _LEDE_CHARS
                            and mm.grain == "day") if v <= cand]
        # a print outlet reports the lede's happening the same day or the next
        lede_gap = max(0, (cand - lede[0]).days - 1) if lede else 1
        anchor_gap = min(abs((cand - a).days) for a in known)
        score = 2.0 * lede_gap + dist + _ANCHOR_WEIGHT * anchor_gap
        if best is None or score < best[0] - 1e-9:
            best = (score, cand)
    if best is None:
        mid = anchors[(len(anchors) - 1) // 2]
        return mid.isoformat(), "inferred"
    return best[1].isoformat(), "inferred"


def complete_publication_dates(
    articles: Sequence[Article],
    dates_by_article: Mapping[str, Sequence[DateMention]] | None = None,
) -> tuple[list[Article], dict[str, list[DateMention]]]:
    """Give the undated articles of one story an inferred publication date and re-resolve their dates.

    Articles with ``published`` keep it (and their mentions, tagged here if not given). Each undated
    article gets :func:`infer_publication_date` from the story's dated articles (``published_how =
    "inferred"``); when no article of the story is dated, the articles are left as they are.
    """
    given = dict(dates_by_article or {})
    dated = [a for a in articles if a.published]
    anchors = [a.published for a in dated if a.published]
    out_articles: list[Article] = []
    out_dates: dict[str, list[DateMention]] = {}
    for a in articles:
        if a.published is None and anchors:
            value, how = infer_publication_date(f"{a.title or ''}\n{a.text}", anchors)
            if value:
                a = replace(a, published=value, published_how=how)
                out_dates[a.id] = tag_article(a)
                out_articles.append(a)
                continue
        out_articles.append(a)
        out_dates[a.id] = list(given[a.id]) if a.id in given else tag_article(a)
    return out_articles, out_dates


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m marsad.dates --ref YYYY-MM-DD`` — one JSON array per stdin line."""
    import argparse
    import json
    import sys

    parser = argparse.ArgumentParser(prog="marsad dates", description=main.__doc__)
    parser.add_argument("--ref", default=None, help="reference date YYYY-MM-DD (default: today)")
    parser.add_argument("--json", action="store_true", help="JSON output (the default and only format)")
    args = parser.parse_args(argv)
    ref = args.ref or date.today().isoformat()
    if parse_ref(ref) is None:
        parser.error(f"--ref must be YYYY-MM-DD, got {ref!r}")
    for row in tag_lines(sys.stdin, ref):
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
