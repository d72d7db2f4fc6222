"""Tests for marsad.countries: official names, adjectives."""

from __future__ import annotations

from marsad.arabic import match
from marsad.countries import common_name, country_of_adjective, country_of_phrase, official_name_tokens


def test_country_adjectives_fold_into_the_country() -> None:
    """«الروسي», «الروسية», «روسي» are Russia; words that only look like an adjective (مالي «financial»,
    العالمي, العربي) are not a country, nor is ألمانيا's «ماني»."""
    for word, country in [
        ("الروسي", "روسيا"),
        ("الروسية", "روسيا"),
        ("روسي", "روسيا"),
        ("الفرنسية", "فرنسا"),
        ("المصري", "مصر"),
        ("الصيني", "الصين"),
        ("السعودي", "السعودية"),
        ("الإسرائيلية", "إسرائيل"),
        ("الألماني", "ألمانيا"),
        ("سنغافوري", "سنغافورة"),
        ("الأمريكي", "أمريكا"),
        ("الأميركية", "أمريكا"),  # the Levantine and Gulf spelling is the same country (2015-07-22 titles)
    ]:
        got = country_of_adjective(match(word))
        assert got is not None and got[1] == country, word
    for word in ("المالي", "مالي", "العالمي", "العربي", "الدولي", "ماني", "الأروبي", "الكوري الشمالي"):
        assert country_of_adjective(match(word)) is None, word


def test_two_word_adjectives_of_two_word_countries() -> None:
    for phrase, country in [("الكورية الشمالية", "كوريا الشمالية"), ("الكوري الجنوبي", "كوريا الجنوبية"),
                            ("كورية شمالية", "كوريا الشمالية"), ("المقدونية الشمالية", "مقدونيا الشمالية"),
                            ("الروسية", "روسيا")]:
        got = country_of_phrase(match(phrase).split())
        assert got is not None and got[1] == country, phrase
    for phrase in ("الروسية الشمالية", "الكورية الشمالية الجنوبية", "الحدود الكورية", "العربية السعودية"):
        assert country_of_phrase(match(phrase).split()) is None, phrase


def test_official_names_have_their_common_name() -> None:
    assert common_name(match("جمهورية كوريا الشعبية الديمقراطية")) == "كوريا الشمالية"
    assert common_name(match("جمهورية كوريا")) == "كوريا الجنوبية"
    assert common_name(match("المملكة العربية السعودية")) == "السعودية"
    assert common_name(match("الولايات المتحدة الأميركية")) == "الولايات المتحدة"
    # «الاتحاد الروسي» is also the Russian football union: the country only for a place
    assert common_name(match("الاتحاد الروسي")) == "روسيا"
    assert common_name(match("الاتحاد الروسي"), place=False) is None
    assert common_name(match("كوريا الشمالية")) is None
    assert common_name(match("عمان")) is None and common_name(match("سلطنة عمان")) is None
    assert ("جمهوريه", "كوريا", "الشعبيه", "الديمقراطيه") in official_name_tokens()
    assert all(len(n) > 1 for n in official_name_tokens())
