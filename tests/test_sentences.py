"""Arabic sentence splitting: quotes, abbreviations, numbers, ellipses, bullets, hard breaks."""

from __future__ import annotations

import pytest

from marsad.sentences import paragraphs, quote_joined_spans, sentence_spans, split_sentences


def test_splits_at_stops_not_at_arabic_comma() -> None:
    text = "يعتبر من أبرز عباقرة الموسيقى، وأبدع أعمالاً خالدة. هل تعرفه؟ نعم! له الفضل؛ في تطوير الموسيقى."
    assert split_sentences(text) == [
        "يعتبر من أبرز عباقرة الموسيقى، وأبدع أعمالاً خالدة.",
        "هل تعرفه؟",
        "نعم!",
        "له الفضل؛ في تطوير الموسيقى.",
    ]


def test_numbers_and_decimals_do_not_break() -> None:
    text = "بلغ النمو 3.5 في المئة و٣.٥ و٣٫٥ هذا العام. وارتفع التضخم."
    assert split_sentences(text) == ["بلغ النمو 3.5 في المئة و٣.٥ و٣٫٥ هذا العام.", "وارتفع التضخم."]


@pytest.mark.parametrize("mark", ["أ.ف.ب", "د.ب.أ", "أ.ش.أ"])
def test_agency_marks_do_not_break(mark: str) -> None:
    text = f"موسكو ({mark}) - وصل الزعيم إلى روسيا اليوم. ثم غادر."
    assert split_sentences(text) == [f"موسكو ({mark}) - وصل الزعيم إلى روسيا اليوم.", "ثم غادر."]


def test_agency_mark_closing_a_sentence_breaks() -> None:
    assert split_sentences("وصل الزعيم إلى روسيا (أ.ف.ب). ثم غادر رويترز.") == [
        "وصل الزعيم إلى روسيا (أ.ف.ب).",
        "ثم غادر رويترز.",
    ]


def test_title_abbreviations_do_not_break_but_year_marks_do() -> None:
    text = "قال د. أحمد وم. خالد إن المشروع بدأ عام 1770 م. وتوفي عام 1827م. وانتهى."
    assert split_sentences(text) == [
        "قال د. أحمد وم. خالد إن المشروع بدأ عام 1770 م.",
        "وتوفي عام 1827م.",
        "وانتهى.",
    ]


def test_short_quote_is_not_cut_but_long_quote_with_full_sentences_is() -> None:
    short = "وقال: «الوضع خطير جدا. نحن نعمل على الحل». ثم غادر القاعة."
    assert split_sentences(short) == ["وقال: «الوضع خطير جدا. نحن نعمل على الحل».", "ثم غادر القاعة."]
    curly = "وأضاف أنه “واثق. بأن اللقاء سيرفع العلاقات”، ثم صمت."
    assert split_sentences(curly) == [curly]
    long = (
        "وقال: «إن الوضع في المنطقة خطير جدا ويتطلب تدخلا عاجلا من المجتمع الدولي كله. "
        "نحن نعمل ليلا ونهارا على حل هذه الأزمة الطاحنة مع الشركاء». ثم غادر."
    )
    parts = split_sentences(long)
    assert len(parts) == 3
    assert parts[1].endswith("الشركاء».")


def test_ellipsis_breaks_only_between_full_clauses() -> None:
    assert split_sentences("وصل الزعيم إلى المحطة الحدودية... ثم عبر القطار إلى الجانب الآخر.") == [
        "وصل الزعيم إلى المحطة الحدودية...",
        "ثم عبر القطار إلى الجانب الآخر.",
    ]
    assert len(split_sentences("نعم… وصل القطار إلى المحطة الحدودية.")) == 1


def test_bullets_and_newlines_are_hard_breaks() -> None:
    text = "• البند الأول بلا نقطة\n- البند الثاني\n* الثالث\r\n1. الرابع\nسطر أخير"
    assert split_sentences(text) == ["البند الأول بلا نقطة", "البند الثاني", "الثالث", "الرابع", "سطر أخير"]


def test_glued_period_between_words_breaks_but_domains_do_not() -> None:
    assert split_sentences("في سيمفونيته التاسعة.فجاءت رسالته. زوروا aljazeera.net الآن.") == [
        "في سيمفونيته التاسعة.",
        "فجاءت رسالته.",
        "زوروا aljazeera.net الآن.",
    ]


def test_spans_index_the_original_text_with_harakat_tatweel_and_persian_letters() -> None:
    text = "  كَتَبَ الطـــالب درسه في ١٢ صفحة؟ نعم، وکان ذلک یوماً طويلاً.\n\n«اقتباس قصير.»"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "كَتَبَ الطـــالب درسه في ١٢ صفحة؟",
        "نعم، وکان ذلک یوماً طويلاً.",
        "«اقتباس قصير.»",
    ]


def test_empty_and_punctuation_only() -> None:
    assert split_sentences("") == []
    assert split_sentences(" ... \n\n - ") == []


def test_paragraphs_undo_hard_wrapping_only_in_wrapped_text() -> None:
    wrapped = (
        "نجحت سياسة القبضة الحديدية لوزير الطيران في إعادة حركة\n"
        "الملاحة الجوية إلى طبيعتها في مطار القاهرة الدولي حيث انتظمت مواعيد\n"
        "الطائرات وهبوطها.\n"
        "وعلمت الصحيفة أن الوزير رفض وساطة قام بها عدد من العاملين في\n"
        "الشركة لإقناعه بالعدول عن قراراته.\n"
    )
    assert paragraphs(wrapped) == [
        "نجحت سياسة القبضة الحديدية لوزير الطيران في إعادة حركة الملاحة الجوية إلى طبيعتها في مطار "
        "القاهرة الدولي حيث انتظمت مواعيد الطائرات وهبوطها.",
        "وعلمت الصحيفة أن الوزير رفض وساطة قام بها عدد من العاملين في الشركة لإقناعه بالعدول عن قراراته.",
    ]
    news = "عنوان الخبر هنا\n\nوصل الزعيم إلى روسيا اليوم.\r\nوالتقى الرئيس الروسي.\n\ufeff\n"
    assert paragraphs(news) == ["عنوان الخبر هنا", "وصل الزعيم إلى روسيا اليوم.", "والتقى الرئيس الروسي."]


def test_a_quote_cut_into_sentences_is_joined_back_when_short_enough() -> None:
    text = ("وقال أوربان: “إن عدد الدول التي يمكنها التحدث مع الطرفين المتحاربين آخذ في التناقص. تصبح المجر "
            "ببطء الدولة الوحيدة في أوروبا التي يمكنها التحدث إلى الجميع.” وأضاف أن الزيارة مهمة للسلام.")
    assert len(split_sentences(text)) == 3  # the quote holds two full sentences: the splitter cuts it
    joined = [text[s:e] for s, e in quote_joined_spans(text, 50)]
    assert joined == [text[: text.index("”") + 1], "وأضاف أن الزيارة مهمة للسلام."]
    # too long to be one unit: the pieces stay
    assert [text[s:e] for s, e in quote_joined_spans(text, 20)] == split_sentences(text)
    # sentences outside any quote are never joined
    plain = "وصل الرئيس إلى العاصمة صباح اليوم في زيارة رسمية. واستقبله رئيس الوزراء في المطار الدولي."
    assert [plain[s:e] for s, e in quote_joined_spans(plain, 50)] == split_sentences(plain)
