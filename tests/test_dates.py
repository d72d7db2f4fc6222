"""Tests for marsad.dates: tagging, resolution, rejections, publication dates."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from marsad import dates
from marsad.records import Article, Document

REF = "2023-09-12"  # a Tuesday


def _values(text: str, ref: date | str | None = REF) -> list[tuple[str, str, str]]:
    return [(d.text, d.value, d.grain) for d in dates.tag(text, ref)]


def _one(text: str, ref: date | str | None = REF) -> tuple[str, str, str]:
    found = _values(text, ref)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "grain"),
    [
        ("وصل الوفد في 12 يناير 2016", "2016-01-12", "day"),
        ("عقد الاجتماع في ٢٥ مـارس ٢٠٢٣", "2023-03-25", "day"),
        ("تاريخ النشر: 14th, September 2023 GMT", "2023-09-14", "day"),
        ("يوليو 5, 2024آخر تحديث", "2024-07-05", "day"),
        ("April 28, 2025", "2025-04-28", "day"),
        ("في 5 تموز 2024", "2024-07-05", "day"),
        ("في 19 تشرين الأول 2021", "2021-10-19", "day"),
        ("في 3 كانون الثاني 2020", "2020-01-03", "day"),
        ("يوم 5 جويلية 2019", "2019-07-05", "day"),
        ("يوم 12 أوت 2019", "2019-08-12", "day"),
        ("في 7 غشت 2019", "2019-08-07", "day"),
        ("في 19 مايو / أيار 2022", "2022-05-19", "day"),
        ("في 10 يوليو/تموز 2022", "2022-07-10", "day"),
        ("في سبتمبر (أيلول) 2022", "2022-09-01", "month"),
        ("في 15 رمضان 1445هـ", "2024-03-25", "day"),
        ("بتاريخ 12/9/2023", "2023-09-12", "day"),
        ("بتاريخ ١٢/٩/٢٠٢٣", "2023-09-12", "day"),
        ("الموعد 2023-09-12", "2023-09-12", "day"),
        ("خلال عام 2023", "2023-01-01", "year"),
        ("في سبتمبر 2023", "2023-09-01", "month"),
        ("في العاشر من سبتمبر ، ألفين", "2000-09-10", "day"),
        ("الحادي والعشرين من مايو 2016", "2016-05-21", "day"),
        ("في 3 فيفري 2020", "2020-02-03", "day"),
        ("15 أفريل 2021", "2021-04-15", "day"),
        ("يوم 2 ماي 2019", "2019-05-02", "day"),
        ("في 20 جوان 2018", "2018-06-20", "day"),
        ("12 دجنبر 2019", "2019-12-12", "day"),
        ("1 نيسان 2017", "2017-04-01", "day"),
        ("4 آب 2016", "2016-08-04", "day"),
        ("في 9 شباط 2014", "2014-02-09", "day"),
        ("في 7 يونيه 2021", "2021-06-07", "day"),
        ("15 أغسطس/آب 2023", "2023-08-15", "day"),
        ("في 1 محرم 1445 هـ", "2023-07-19", "day"),
        ("في 12 ربيع الأول 1444هـ", "2022-10-08", "day"),
        ("في شهر آب", "2023-08-01", "month"),
        ("في ماي الماضي", "2023-05-01", "month"),
    ],
)
def test_absolute_dates(text: str, value: str, grain: str) -> None:
    _, got, got_grain = _one(text)
    assert (got, got_grain) == (value, grain)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("وصل اليوم إلى موسكو", "2023-09-12"),
        ("وأمس، أعلن المتحدث", "2023-09-11"),
        ("أول أمس", "2023-09-10"),
        ("يعود غداً", "2023-09-13"),
        ("بعد غد", "2023-09-14"),
        ("قبل 3 أيام", "2023-09-09"),
        ("منذ يومين", "2023-09-10"),
        ("قبل ٣ أيام", "2023-09-09"),
        ("بعد أسبوعين من الآن", "2023-09-26"),
        ("اليوم التالي", "2023-09-13"),
    ],
)
def test_relative_days(text: str, value: str) -> None:
    assert _one(text)[1] == value


def test_relative_months_and_years() -> None:
    assert _one("في الشهر الماضي")[1:] == ("2023-08-01", "month")
    assert _one("العام المقبل")[1:] == ("2024-01-01", "year")
    assert _one("العام الماضي")[1:] == ("2022-01-01", "year")
    assert _one("الأسبوع الماضي")[1] == "2023-09-05"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("وصل الثلاثاء إلى روسيا", "2023-09-12"),  # the reference day itself
        ("التقى كيم (الأحد) مجموعة", "2023-09-10"),
        ("يوم الأربعاء", "2023-09-06"),
        ("وصل زعيم كوريا -اليوم الجمعة- إلى", "2023-09-08"),
        ("الثلاثاء الماضي", "2023-09-05"),  # strictly back
        ("الخميس المقبل", "2023-09-14"),
        ("الثلاثاء المقبل", "2023-09-19"),
        ("سيزور الرئيس موسكو الخميس", "2023-09-14"),  # future cue
        ("ستعقد القمة يوم الأحد", "2023-09-17"),
        ("من المقرر أن يلتقي بوتين الجمعة", "2023-09-15"),
        ("سوف يصل السبت", "2023-09-16"),
        ("يعتزم زيارة بكين الاثنين", "2023-09-18"),
    ],
)
def test_weekdays_news_semantics(text: str, value: str) -> None:
    assert _one(text)[1] == value


@pytest.mark.parametrize(
    ("text", "ref", "found"),
    [
        ("أمام ريال مدريد غدا الجمعة في بطولة", "2015-07-23", [("غدا الجمعة", "2015-07-24")]),
        # a page dated on the day it calls tomorrow was written the day before (2015-07-22: +7 days)
        ("تنطلق البطولة غداً (الأربعاء) في جدة", "2015-07-22", [("غداً (الأربعاء)", "2015-07-22")]),
        ("وصرح مسؤول أمس الأربعاء أن", "2015-07-23", [("أمس الأربعاء", "2015-07-22")]),
        ("وكان بلاتر وصل مساء أمس الأول الخميس إلى", "2015-07-25", [("أمس الأول الخميس", "2015-07-23")]),
        ("أعلن المكتب، اليوم (الخميس)، النتائج", "2015-07-23", [("اليوم (الخميس)", "2015-07-23")]),
        ("رحلات إلى لندن بين 10-15 أغسطس المقبلين", "2015-07-23", [("10-15 أغسطس", "2015-08-10")]),
        ("يوم الأحد 10 شوال 1436هـ، الموافق 26 يوليو 2015م", "2015-07-23",
         [("يوم الأحد 10 شوال 1436هـ", "2015-07-26"), ("الموافق 26 يوليو 2015م", "2015-07-26")]),
        ("إلحاقاً لما أُعلن بتاريخ 2 / 6 / 1436هـ عن", "2015-07-23", [("بتاريخ 2 / 6 / 1436هـ", "2015-03-22")]),
        ("بتاريخ ( 27 / 9 / 1948 )", "2015-07-23", [("بتاريخ ( 27 / 9 / 1948 )", "1948-09-27")]),
        ("مضابط بلدية نابلس عام ( 1319 ) هجري", "2015-07-23", [("عام ( 1319 ) هجري", "1901-01-01")]),
        ("خلال الفترة (2015 - 2017)", "2015-07-23", [("2015 - 2017", "2015-01-01")]),
        ("كتابي لمقامكم بتاريخ 7 / يوليو /2015م والذي", "2015-07-26", [("بتاريخ 7 / يوليو /2015م", "2015-07-07")]),
        ("اعتباراً من يوم الأحد (10/شوال / 1436هـ) الموافق (26/7/2015م)", "2015-07-26",
         [("يوم الأحد (10/شوال / 1436هـ)", "2015-07-26"), ("الموافق (26/7/2015م)", "2015-07-26")]),
        ("في نوفمبر تشرين الثاني 2014 لتهديد", "2015-07-26", [("نوفمبر تشرين الثاني 2014", "2014-11-01")]),
        ("قال مساء السبت إن مركز العاصفة سيتسع", "2015-07-26", [("السبت", "2015-07-25")]),
        ("سجل يوم الجمعة رابع هبوط أسبوعي", "2015-07-23", [("يوم الجمعة", "2015-07-17")]),
    ],
)
def test_news_and_archive_forms(text: str, ref: str, found: list[tuple[str, str]]) -> None:
    assert [(d.text, d.value) for d in dates.tag(text, ref)] == found


@pytest.mark.parametrize(
    "text",
    [
        "بسرعة 10 - 30 كم/ساعة",
        "عقود تسليم سبتمبر 15 سنتاً إلى 49.34 دولار",
        "بعد سنوات من التوتر",
        "سينضم للفريق في اليوم الأول من المرحلة",
        "في اليوم الوطني للمملكة",
        "مطار بغداد الدولي",
        "يبدأ الحفل الساعة 7.30 مساءً",
        "تراجع قطاع المصارف بنسبة 1.03 وقطاع",
        "حراكاً سياحياً منذ يوم العيد",
        "نفذ قبل شهر رمضان",
        "جلس في آب العائلة",
    ],
)
def test_rejects_vague_or_false_dates(text: str) -> None:
    assert dates.tag(text, "2015-07-23") == []


def test_month_day_in_the_past() -> None:
    assert _one("في 31 أغسطس الماضي")[1] == "2023-08-31"
    assert _one("في 31 أغسطس الماضي", "2023-08-20")[1] == "2022-08-31"
    assert _one("وأشاد بوتين في يوليو")[1:] == ("2023-07-01", "month")


@pytest.mark.parametrize(
    "text",
    [
        "مقاتلات سوخوي-35 وسو - 57",
        "طائرة «سو - 35» و Su-35",
        "منذ جائحة «كوفيد - 19» ",
        "صواريخ من عيار 122 ملليمترا",
        "75 عاماً من إقامة العلاقات",
        "ارتفع المؤشر 3.5% إلى 2000 نقطة",
        "قُتل 2023 شخصاً",
        "فاز الفريق 2-1",
        "رواتب 1500 ريال",
        "مسيّرة من طراز (جيران - 25)",
    ],
)
def test_rejects_numbers_that_are_not_dates(text: str) -> None:
    assert dates.tag(text, REF) == []


def test_offsets_point_into_the_original_text_with_harakat_and_tatweel() -> None:
    text = "وَصَلَ الوفدُ «يومَ الثُّلَاثَاءِ» في ١٥ سـبـتـمـبـر ٢٠٢٣، ثم غادر"
    found = dates.tag(text, REF)
    assert [text[d.start : d.end] for d in found] == [d.text for d in found]
    assert [d.value for d in found] == ["2023-09-12", "2023-09-15"]
    assert found[1].text == "١٥ سـبـتـمـبـر ٢٠٢٣"


def test_persian_letters_and_digits() -> None:
    # Persian yeh (ی) and keheh (ک) and Persian digits, as scraped pages sometimes have them
    found = dates.tag("در ۱۲ سپتامبر؟ لا: في ۱۲ دیسمبر ۲۰۲۲", REF)
    assert [d.value for d in found] == ["2022-12-12"]


def test_without_reference_only_absolute_dates() -> None:
    assert _values("وصل أمس، وفي 5 يوليو 2024 غادر", None) == [("5 يوليو 2024", "2024-07-05", "day")]


def test_reference_date_forms() -> None:
    assert _one("أمس", "2023-09-12T10:00:00")[1] == "2023-09-11"
    assert _one("أمس", date(2023, 9, 12))[1] == "2023-09-11"
    assert _one("الثلاثاء الماضي", datetime(2023, 9, 12, 23, 59))[1] == "2023-09-05"
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        dates.tag("أمس", "12/09/2023")


def test_tag_lines_for_the_cli() -> None:
    rows = list(dates.tag_lines(["وصل أمس\n", "لا شيء هنا\n"], "2023-09-12"))
    assert rows == [[{"text": "أمس", "start": 4, "end": 7, "value": "2023-09-11", "grain": "day"}], []]
    json.dumps(rows, ensure_ascii=False)


def test_article_id_is_carried() -> None:
    found = dates.tag("أمس", REF, article_id="a-1")
    assert found[0].article_id == "a-1"


def test_find_publication_date_from_a_dateline() -> None:
    doc = Document(id="d", source="x.txt", content="عنوان الخبر\nتاريخ النشر: 14th, September 2023 GMT\nنص الخبر هنا.")
    assert dates.find_publication_date(doc) == ("2023-09-14", "dateline")
    doc2 = Document(id="d", source="x.txt", content="يوليو 5, 2024آخر تحديث: يوليو 6, 2024\nالنص")
    assert dates.find_publication_date(doc2) == ("2024-07-05", "dateline")
    given = Document(id="d", source="x.txt", content="نص", published="2020-01-02")
    assert dates.find_publication_date(given) == ("2020-01-02", "input")
    html = Document(id="d", source="x.html", content_type="html",
                    content='<meta property="article:published_time" content="2021-03-04T10:00:00Z">')
    assert dates.find_publication_date(html) == ("2021-03-04", "meta")
    body_only = Document(
        id="d", source="x.txt", content="وقع الحادث في 5 يوليو 2024 بعد ظهر يوم طويل جدا من العمل الشاق في المدينة"
    )
    assert dates.find_publication_date(body_only) == (None, None)


def _article(aid: str, text: str, published: str | None = None) -> Article:
    return Article(id=aid, doc_id=aid, index=0, source=aid, title=None, paragraphs=(text,), published=published)


def test_infer_publication_date_from_today_weekday() -> None:
    text = "وصل الزعيم اليوم الجمعة إلى المدينة، بعد أن التقى الرئيس الأربعاء."
    assert dates.infer_publication_date(text, ["2023-09-14"]) == ("2023-09-15", "inferred")


def test_infer_publication_date_next_day_print_report() -> None:
    # a happening on Friday reported by a print outlet: Friday or Saturday are both cheap; the
    # story's dated article (Saturday) decides
    text = "قتل أربعة أطفال في صاعقة ضربت منطقة جبلية الجمعة، كما أفادت السلطات."
    assert dates.infer_publication_date(text, ["2015-07-25"]) == ("2015-07-25", "inferred")
    assert dates.infer_publication_date(text, ["2015-07-24"]) == ("2015-07-24", "inferred")
    assert dates.infer_publication_date("نص بلا تواريخ نسبية.", ["2015-07-24", "2015-07-26"]) == (
        "2015-07-24", "inferred")
    assert dates.infer_publication_date(text, []) == (None, None)


def test_tag_article_ignores_a_malformed_publication_date() -> None:
    art = _article("x", "وصل الوفد أمس، وفي 5 يوليو 2024 غادر", "unknown")
    assert [(d.text, d.article_id) for d in dates.tag_article(art)] == [("5 يوليو 2024", "x")]


def test_complete_publication_dates_re_resolves_mentions() -> None:
    dated = _article("a", "التقى الرئيسان الأربعاء في القاعدة.", "2023-09-14")
    undated = _article("b", "اختتم الزعيم الأحد زيارته، وكان قد وصل الثلاثاء.")
    arts, by_id = dates.complete_publication_dates([dated, undated])
    assert arts[0] is dated
    assert (arts[1].published, arts[1].published_how) == ("2023-09-17", "inferred")
    assert [d.value for d in by_id["b"]] == ["2023-09-17", "2023-09-12"]
    assert all(d.article_id == "b" for d in by_id["b"])


@pytest.mark.parametrize(
    "text",
    [
        "وقبل يومين من الانتخابات ألقت السلطات القبض على سبعة مسؤولين",  # not «من الآن»: الانتخابات
        "وذلك بعد أربعة أيام على تفجير انتحاري دام",
        "بعد أسبوع من أعمال عنف سقط فيها قتلى",
        "فبعد أكثر من أربع سنوات من النزاع العسكري",
        "لجنة للتحقيق في تغيير رغباتها قبل 12 يومًا من وفاة والدتها",
    ],
)
def test_a_duration_counted_from_a_happening_is_no_date(text: str) -> None:
    assert [(m.text, m.value) for m in dates.tag(text, "2015-07-21")] == []


def test_a_duration_counted_from_now_is_still_a_date() -> None:
    def values(text: str) -> list[str]:
        return [m.value for m in dates.tag(text, "2015-07-21")]

    assert values("وصل الوفد قبل يومين، وقال") == ["2015-07-19"]
    assert values("قبل يومين من الآن") == ["2015-07-19"]
    assert values("تم التطرق لها قبل ثلاث سنوات على الأقل") == ["2012-01-01"]
    assert values("يخوضها منذ أربع سنوات على عدة جبهات") == ["2011-01-01"]


@pytest.mark.parametrize(
    ("text", "ref", "found"),
    [
        # «موعدا» after a day sets a future date; an accusative after a day-before-month is no counted noun
        ("حددت اللجنة التنفيذية يوم 26 من شباط (فبراير) موعدا للجمعية العمومية", "2015-07-21",
         [("26 من شباط (فبراير)", "2016-02-26")]),
        ("وضبطت الأسلحة في 14 يوليو. فيما تم إلقاء القبض على المتهمين", "2015-07-26",
         [("14 يوليو", "2015-07-14")]),
        ("عقود تسليم سبتمبر 15 سنتاً إلى 49.34 دولار", "2015-07-21", []),  # still a price, not a date
    ],
)
def test_an_accusative_word_after_a_day_and_month_is_read_right(
    text: str, ref: str, found: list[tuple[str, str]]
) -> None:
    assert [(d.text, d.value) for d in dates.tag(text, ref)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a Hijri day and month without a year: of the Hijri year nearest the reference (1436 here)
        ("يوم الثلاثاء 27 رمضان، 14 يوليو", [("يوم الثلاثاء 27 رمضان", "2015-07-14"), ("14 يوليو", "2015-07-14")]),
        ("يستمر المهرجان حتى 15 من شهر شوال الجاري", [("15 من شهر شوال", "2015-07-31")]),
        ("وخصص يوم الأربعاء 20 شوال لمرشحي المنطقة", [("يوم الأربعاء 20 شوال", "2015-08-05")]),
        ("ففي ٢٠ من شهر صفر زار الوفد", [("٢٠ من شهر صفر", "2014-12-12")]),
        # «الماضي» / «المقبل» after it: the last one before the reference, the next one after it
        ("وقع الحادث في 20 رمضان الماضي", [("20 رمضان الماضي", "2015-07-07")]),
        ("وقع الحادث في 20 شوال الماضي", [("20 شوال الماضي", "2014-08-16")]),  # 20 Shawwal 1436 is ahead
        ("تبدأ الدراسة في 10 ذو القعدة المقبل", [("10 ذو القعدة المقبل", "2015-08-25")]),
        ("زار الوفد المدينة في 5 رمضان المقبل", [("5 رمضان المقبل", "2016-06-10")]),  # 5 Ramadan 1436 is past
        # «صفر» is also zero: a score is no date; nor is a city named after a day of Ramadan
        ("وتمكن يونايتد من التقدم 2-صفر بعد هدف", []),
        ("فاز الفريق بنتيجة 9- صفر في المباراة", []),
        ("في مدينة العاشر من رمضان الصناعية", []),
    ],
)
def test_a_hijri_day_without_its_year_is_read_near_the_reference(text: str, found: list[tuple[str, str]]) -> None:
    assert [(d.text, d.value) for d in dates.tag(text, "2015-07-26")] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a weekday before a full date of the same weekday names it (it was resolved alone, a week off)
        ("الثلاثاء (14 يوليو) الماضي", [("الثلاثاء (14 يوليو)", "2015-07-14")]),
        ("يوم الأحد الموافق 19-7-2015", [("يوم الأحد الموافق 19-7-2015", "2015-07-19")]),
        ("يوم الأربعاء الموافق 20-10-1436هـ", [("يوم الأربعاء الموافق 20-10-1436هـ", "2015-08-05")]),
        # another weekday than the date's: both stay as they are
        ("الخميس، 19-7-2015", [("الخميس", "2015-07-23"), ("19-7-2015", "2015-07-19")]),
    ],
)
def test_a_weekday_before_a_date_of_that_weekday_joins_it(text: str, found: list[tuple[str, str]]) -> None:
    assert [(d.text, d.value) for d in dates.tag(text, "2015-07-26")] == found
