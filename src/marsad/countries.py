"""Country names as the press writes them: official names, common names and adjectives.

One country has many names in Arabic news: «كوريا الشمالية», «كوريا الديمقراطية», «جمهورية كوريا الشعبية
الديمقراطية»; «روسيا» and «الاتحاد الروسي»; «بريطانيا» and «المملكة المتحدة». And its adjective stands
for it: «الحدود الكورية الشمالية», «الرئيس الروسي». This module knows

* :data:`OFFICIAL_NAMES`: official and long names → the common name the press uses most
  (:func:`common_name`), which :mod:`marsad.entities` uses to make them one entity shown by the common name;
* :func:`country_of_adjective`: a country's adjective (الروسي، الروسية، روسي) → the country, derived from
  babel's Arabic territory names (roughly 250 countries), which storyline titles use to fold «الروسي» into
  «روسيا»; :func:`country_of_phrase` adds the two-word adjectives of two-word countries (الكورية الشمالية
  → كوريا الشمالية).

Everything is keyed by the match form (:func:`marsad.arabic.match`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from marsad.arabic import match

__all__ = ["OFFICIAL_NAMES", "AMBIGUOUS_NAMES", "common_name", "country_of_adjective", "country_of_phrase",
           "country_names", "official_name_tokens"]

# common name → its official and long forms (display). Only names that mean that country and nothing else,
# with a common name that is no other place's (not «عمان», which is Oman and Jordan's capital Amman).
_OFFICIAL: dict[str, tuple[str, ...]] = {
    "كوريا الشمالية": (
        "جمهورية كوريا الشعبية الديمقراطية", "جمهورية كوريا الديمقراطية الشعبية", "كوريا الشعبية الديمقراطية",
        "كوريا الديمقراطية الشعبية", "جمهورية كوريا الديمقراطية", "جمهورية كوريا الشعبية", "كوريا الديمقراطية",
        "كوريا الشعبية",
    ),
    "كوريا الجنوبية": ("جمهورية كوريا",),
    "روسيا": ("روسيا الاتحادية", "جمهورية روسيا الاتحادية"),
    "بريطانيا": ("المملكة المتحدة", "بريطانيا العظمى", "المملكة المتحدة لبريطانيا العظمى وأيرلندا الشمالية"),
    "الولايات المتحدة": ("الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية", "أمريكا", "أميركا"),
    "السعودية": ("المملكة العربية السعودية",),
    "الإمارات": ("الإمارات العربية المتحدة", "دولة الإمارات", "دولة الإمارات العربية المتحدة"),
    "الصين": ("جمهورية الصين الشعبية", "الصين الشعبية"),
    "إيران": ("الجمهورية الإسلامية الإيرانية", "جمهورية إيران الإسلامية"),
    "مصر": ("جمهورية مصر العربية",),
    "سوريا": ("الجمهورية العربية السورية", "سورية"),
    "تركيا": ("الجمهورية التركية", "جمهورية تركيا"),
    "قطر": ("دولة قطر",),
    "الكويت": ("دولة الكويت",),
    "البحرين": ("مملكة البحرين",),
    "الأردن": ("المملكة الأردنية الهاشمية", "المملكة الأردنية"),
    "اليمن": ("الجمهورية اليمنية",),
    "العراق": ("جمهورية العراق",),
    "لبنان": ("الجمهورية اللبنانية",),
    "فلسطين": ("دولة فلسطين",),
    "المغرب": ("المملكة المغربية",),
    "الجزائر": ("الجمهورية الجزائرية",),
    "تونس": ("الجمهورية التونسية",),
    "السودان": ("جمهورية السودان",),
    "فرنسا": ("الجمهورية الفرنسية",),
    "ألمانيا": ("جمهورية ألمانيا الاتحادية",),
    "إسرائيل": ("دولة إسرائيل",),
}
# Long forms that also name something else: only a place-typed mention of them is the country
# («الاتحاد الروسي» is also the Russian football union).
_AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "روسيا": ("الاتحاد الروسي",),
}

OFFICIAL_NAMES: dict[str, str] = {match(v): common for common, vs in _OFFICIAL.items() for v in vs}
AMBIGUOUS_NAMES: dict[str, str] = {match(v): common for common, vs in _AMBIGUOUS.items() for v in vs}


def common_name(m: str, *, place: bool = True) -> str | None:
    """The common name (display) of the country whose official or long name is ``m`` (match form), else
    None. ``place``: the mention is typed as a place, so the ambiguous long forms count too."""
    return OFFICIAL_NAMES.get(m) or (AMBIGUOUS_NAMES.get(m) if place else None)


@lru_cache(maxsize=1)
def official_name_tokens() -> frozenset[tuple[str, ...]]:
    """The unambiguous official names as tuples of match-form words (for finding them in tagged text)."""
    return frozenset(tuple(k.split()) for k in OFFICIAL_NAMES if " " in k)


# Countries whose adjective folds into the country's name, beyond babel's one-word territory names
# (match form → display); «العالم» is a territory for babel but no country.
_EXTRA_COUNTRIES = {
    "السعوديه": "السعودية",
    "امريكا": "أمريكا",
    "بريطانيا": "بريطانيا",
    "كوريا": "كوريا",
    "الامارات": "الإمارات",
    "فلسطين": "فلسطين",
}
_NOT_COUNTRIES = frozenset({"العالم"})
_NOT_ADJECTIVES = frozenset({"AW"})  # «اروبي» is a misspelt «أوروبي», not Aruba


@lru_cache(maxsize=1)
def _territories() -> dict[str, tuple[str, str]]:
    """Match form of babel's Arabic territory names → (code, display)."""
    try:
        from babel import Locale
    except ImportError:  # pragma: no cover - babel is a dependency
        return {}
    return {match(shown): (code, shown) for code, shown in Locale("ar").territories.items()}


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """Match forms of babel's Arabic territory names (كوريا الشماليه، سلوفينيا، الولايات المتحده…)."""
    return frozenset(_territories())


@lru_cache(maxsize=1)
def country_adjectives() -> dict[str, tuple[str, str]]:
    """Match form of a country's adjective (masculine and feminine, with and without «ال») → (the
    country's match form, its display name). Derived from the name: روسيا → روسي, فرنسا → فرنسي,
    سنغافورة → سنغافوري, مصر → مصري, الصين → صيني."""
    names = dict(_EXTRA_COUNTRIES)
    for key, (code, shown) in _territories().items():
        if " " not in key and key not in _NOT_COUNTRIES and code not in _NOT_ADJECTIVES:
            names.setdefault(key, shown)
        elif key.endswith((" الشماليه", " الجنوبيه")) and key.count(" ") == 1:
            names.setdefault(key.split()[0], shown.split()[0])  # مقدونيا of مقدونيا الشمالية: المقدوني
    out: dict[str, tuple[str, str]] = {}
    for key, shown in names.items():
        stem = key[2:] if shown.startswith("ال") else key  # not ألبانيا, ألمانيا
        if stem.endswith(("يا", "يه")):
            base = stem[:-1]
        elif stem.endswith(("ا", "ه")):
            base = stem[:-1] + "ي"
        elif stem.endswith("ي"):
            continue  # مالي، تشيلي: the adjective is the name itself
        else:
            base = stem + "ي"
        if len(base) < 4:
            continue
        for form in (base, base + "ه", "ال" + base, "ال" + base + "ه"):
            out.setdefault(form, (key, shown))
    for form in ("اميركي", "اميركيه", "الاميركي", "الاميركيه"):  # the Levantine and Gulf press's spelling
        out.setdefault(form, out[form.replace("اميركي", "امريكي")])
    return out


def country_of_adjective(term: str) -> tuple[str, str] | None:
    """(country match form, display) when ``term`` (one word, match form) is a country's adjective."""
    return country_adjectives().get(term) if " " not in term else None


def country_of_phrase(words: Sequence[str]) -> tuple[str, str] | None:
    """(country match form, display) when ``words`` (match form) are a country's adjective: one word
    (الروسيه → روسيا), or the adjective and the second word of a two-word country (الكوريه الشماليه →
    كوريا الشمالية, but not «الكورية الشمالية الجنوبية» or «الروسية الشمالية», which name no country)."""
    if len(words) == 1:
        return country_of_adjective(words[0])
    if len(words) != 2:
        return None
    first = country_of_adjective(words[0])
    if first is None:
        return None
    second = words[1] if words[1].startswith("ال") else "ال" + words[1]  # كورية شمالية
    if second.endswith("ي"):
        second += "ه"  # الكوري الشمالي
    got = _territories().get(f"{first[0]} {second}")
    return (f"{first[0]} {second}", got[1]) if got else None
