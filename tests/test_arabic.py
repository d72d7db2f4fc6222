"""Unit tests for the Arabic normaliser (display and match forms)."""

from __future__ import annotations

import pytest

from marsad import arabic


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("كَتَبَ", "كتب"),  # harakat
        ("مُحَمَّدٌ", "محمد"),  # damma, shadda, tanween
        ("الرَّحْمٰنِ", "الرحمن"),  # superscript alef
        ("قُلْ ۝ هُوَ", "قل ۝ هو"),  # end-of-ayah sign is not a mark we remove, but marks around it go
        ("يُدَشَّنُ", "يدشن"),
        ("صَلَّىٰ ٱللَّٰهُ", "صلي الله"),  # Quranic alef wasla, superscript alef
    ],
)
def test_match_removes_diacritics_and_quranic_marks(raw: str, expected: str) -> None:
    assert arabic.match(raw) == expected


def test_quranic_annotation_marks_removed() -> None:
    # small high ligatures and small waw/yeh used in Quranic text
    assert arabic.match("ذَٰلِكَ\u06d6 لَا\u06e5 رَيْبَۛ") == "ذلك لا ريب"


def test_tatweel_removed_in_both_forms() -> None:
    assert arabic.display("الـــرئيـس") == "الرئيس"
    assert arabic.match("بـــوتـين") == "بوتين"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أحمد", "احمد"),
        ("إبراهيم", "ابراهيم"),
        ("آسيا", "اسيا"),
        ("ٱلكتاب", "الكتاب"),
        ("مسؤول", "مسءول"),
        ("مسئول", "مسءول"),  # Egyptian and Levantine spellings meet
        ("رئيس", "رءيس"),
        ("على", "علي"),  # alef maqsura folded into yeh
        ("مدرسة", "مدرسه"),  # teh marbuta folded in the match form only
    ],
)
def test_match_folds_alef_hamza_yeh_teh_marbuta(raw: str, expected: str) -> None:
    assert arabic.match(raw) == expected


def test_display_keeps_hamza_maqsura_teh_marbuta_and_harakat() -> None:
    text = "إلى مدرسةٍ أُخرى"
    assert arabic.display(text) == text


def test_ila_is_not_mangled() -> None:
    # pyarabic's normalize_alef turns إلى into الا; ours keeps it a word that matches الى
    assert arabic.match("إلى") == arabic.match("الى") == "الي"


@pytest.mark.parametrize(
    ("raw", "display", "match"),
    [
        ("الکوری الشمالی", "الكوري الشمالي", "الكوري الشمالي"),
        ("کیم جونغ", "كيم جونغ", "كيم جونغ"),
        ("ڪتاب", "كتاب", "كتاب"),
        ("ھذه", "هذه", "هذه"),
        ("ہذا", "هذا", "هذا"),
        ("خانۀ", "خانة", "خانه"),
        ("زندە", "زنده", "زنده"),
    ],
)
def test_persian_and_urdu_letters(raw: str, display: str, match: str) -> None:
    assert arabic.display(raw) == display
    assert arabic.match(raw) == match


def test_digits() -> None:
    assert arabic.match("عام ٢٠٢٣ و۱۴۰۲") == "عام 2023 و1402"
    assert arabic.display("۱۲") == "١٢"  # Persian digits shown as Arabic-Indic ones
    assert arabic.match("٣٫٥ مليون و١٬٢٠٠") == "3.5 مليون و1,200"


def test_quotes_and_punctuation() -> None:
    assert arabic.match("قال «نعم»، و“لا”؟") == 'قال "نعم", و"لا"?'
    assert arabic.display("«نعم»") == "«نعم»"


def test_zero_width_and_bidi_controls_removed() -> None:
    raw = "\u200fبوتين\u200e \u202bكيم\u202c\u200b \ufeffروسيا\u2066\u2069 مي\u200cخواهم\u061c"
    assert arabic.display(raw) == "بوتين كيم روسيا ميخواهم"


def test_odd_spaces() -> None:
    raw = "كيم\u00a0جونغ\u2009أون\u202f\t\tفي  روسيا"
    assert arabic.display(raw) == "كيم جونغ أون في روسيا"
    assert arabic.display("  سطر  \n  آخر ") == "سطر\nآخر"


def test_presentation_forms_decomposed() -> None:
    assert arabic.match("\ufefb") == "لا"  # ﻻ ligature
    assert arabic.display("\ufe8d\ufedf\ufeb4\ufefc\ufee1") == "السلام"


def test_latin_case_folded_in_match_only() -> None:
    assert arabic.match("NATO ناتو") == "nato ناتو"
    assert arabic.display("NATO") == "NATO"


def test_match_keeps_word_count() -> None:
    text = "وَقالَ الرئيسُ «بوتين»، إنَّ الـعلاقاتِ ٢٠٢٣ الکوری"
    assert len(arabic.match(text).split()) == len(text.split())


def test_match_is_idempotent() -> None:
    text = "إعلانُ «كوفيد-١٩» في الکوری الشمالی، مسؤولٌ آخر"
    once = arabic.match(text)
    assert arabic.match(once) == once


def test_variant_spellings_meet_in_match_form() -> None:
    a = arabic.match("كيم جونغ أون يصل إلى روسيا")
    b = arabic.match("كِيم جونغ اون يَصِلُ الى روسـيا")
    assert a == b


def test_match_tokens() -> None:
    assert arabic.match_tokens("قال بوتين، «نعم» في ٢٠٢٣ Su-35") == ["قال", "بوتين", "نعم", "في", "2023", "su", "35"]


def test_is_arabic() -> None:
    assert arabic.is_arabic("كيم جونغ أون يصل إلى روسيا today")
    assert not arabic.is_arabic("Kim Jong Un in Russia")
    assert not arabic.is_arabic("12345")


def test_match_is_the_composition_of_its_steps() -> None:
    text = "\u200fالـــرئيسُ «بوتين»، إلى الکوری ٢٠٢٣ ۱۴ مسؤولٌ\u00a0NATO ۀ"
    steps = arabic.fold_quotes(arabic.fold_digits(arabic.fold_alef(arabic.dediacritise(arabic.display(text)))))
    assert arabic.match(text) == steps.casefold()


def test_match_collapses_spaces_left_by_removed_marks() -> None:
    assert arabic.match("كلمة \u064b كلمة") == "كلمه كلمه"


def test_match_of_long_text_is_the_translate_pass() -> None:
    # long texts take the lookup-table path; it must give what str.translate gives, surrogates included
    text = ("أَهْلاً بِكُم فی «مرصد» ١٢٣ ۴۵ ـــ\u200f Straße " * 20) + "\ud800 end"
    assert len(text) > 200
    assert arabic._translate_match(text) == text.translate(arabic._MATCH_TABLE)
    assert arabic.match(text) == " ".join(arabic.match(w) for w in text.split(" ") if arabic.match(w))


def test_split_match_splits_an_existing_match_form_like_match_tokens() -> None:
    from marsad.arabic import match, match_tokens, split_match

    text = "قال الرئيس فلاديمير بوتين، يوم 13 سبتمبر 2023: «Kim Jong Un» وصل 3.5 ساعات"
    assert split_match(match(text)) == match_tokens(text)
    assert split_match("") == []
