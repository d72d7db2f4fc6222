"""Tests for marsad.clean: each kind of scraped-page noise, with harakat, tatweel, «» quotes,
Arabic-Indic digits and Persian letters (ک ی)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from marsad.arabic import display, match
from marsad.clean import (
    Boilerplate,
    _match_display,
    learn_boilerplate,
    line_key,
    parse_date,
    split_document,
)
from marsad.records import Document, stable_id

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "samples" / "seeds"
DATASETS = ROOT.parent / "shared" / "datasets"

# Body paragraphs with harakat, tatweel, «» quotes, Arabic-Indic digits and a Persian keheh/yeh.
P1 = "أعلنَ وزيرُ الخارجيّة، اليوم الأربعاء، أنّ المحادثات مع «الوفد الأوروبي» ستُستأنف الأسبوع المقبل في العاصمة."
P2 = "وقال الوزيـــر في مؤتمر صحافي إن ٣ جولات سابقة لم تحقق أي تقدم يذكر، مشيراً إلى أن الخلافات ما زالت قائمة."
P3 = "وأضاف أن بلاده مستعدة لتقديم تنازلات محدودة إذا التزم الطرف الآخر بوقف التصعيد على الحدود الشرقیة فوراً."
P4 = "وكانت الجولة الأخيرة من المحادثات قد انتهت قبل شهرين دون اتفاق، وسط تبادل للاتهامات بين الجانبين."
Q1 = "أعلنت وزارة الصحة، الثلاثاء، تسجيل ١٢ إصابة جديدة بالحمى في المحافظات الجنوبية خلال الأسبوع الماضي."
Q2 = "وأوضحت الوزارة في بيان أن الفرق الطبية تتابع الحالات المسجلة، وأن الوضع الصحي العام تحت السيطرة."
Q3 = "ودعت الوزارة المواطنين إلى مراجعة أقرب مركز صحي عند ظهور أي أعراض، وتجنب التجمعات في الأماكن المغلقة."
TITLE = "وزير الخارجية: استئناف المحادثات مع الوفد الأوروبي الأسبوع المقبل"
CAPTION = "وزير الخارجية خلال المؤتمر الصحافي في العاصمة (أ.ف.ب)"


def _doc(text: str, **kw: object) -> Document:
    return Document(id="d1", source="test.txt", content=text, **kw)  # type: ignore[arg-type]


def _split(text: str, **kw: object) -> list:
    return split_document(_doc(text, **kw))


def _all_text(articles: list) -> str:
    return "\n".join(p for a in articles for p in a.paragraphs)


# --- the sample pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_each_seed_page_splits_into_its_two_articles(path: Path) -> None:
    doc = _doc(path.read_text(encoding="utf-8"))
    articles = split_document(doc)
    assert [a.index for a in articles] == [0, 1]
    assert [a.id for a in articles] == [stable_id("a", "d1", "0"), stable_id("a", "d1", "1")]
    for a in articles:
        assert a.doc_id == "d1" and a.source == "test.txt"
        assert len(a.paragraphs) >= 3
        assert all(p == display(p) for p in a.paragraphs)
        assert not set(a.captions) & set(a.paragraphs)


def test_seed_metadata_is_kept_apart() -> None:
    arts = split_document(_doc((SEEDS / "004_20ead09fa2dbf913.txt").read_text(encoding="utf-8")))
    main, appended = arts
    assert main.outlet == "الجديد برس"
    assert (main.published, main.published_how) == ("2023-09-14", "dateline")
    # Persian letters in the keyword line are fixed: الکوری الشمالی → الكوري الشمالي
    assert main.keywords == ("الكوري الشمالي", "كيم جونغ أون")
    assert appended.title == "كيف ينظر الأوكرانيون إلى هدنة بوتين بمناسبة عيد النصر؟"
    # tweet embed removed; ad marker and glued subheading undone
    text = _all_text(arts)
    assert "pic.twitter.com" not in text and "@AJArabic" not in text
    assert "تلاعب أو احتفال" in appended.paragraphs
    assert appended.subheadings and appended.paragraphs[appended.subheadings[0]] == "تلاعب أو احتفال"
    assert any(p.startswith("اعتبر الرئيس الأوكراني") for p in appended.paragraphs)
    assert any(p.startswith("وبهذا الصدد") for p in appended.paragraphs)
    assert not any(p.startswith("إعلان") for p in appended.paragraphs)


def test_seed_related_bylines_give_the_page_outlet() -> None:
    arts = split_document(_doc((SEEDS / "000_54f399f58622e060.txt").read_text(encoding="utf-8")))
    assert arts[0].outlet == "الشرق الأوسط"
    assert "«الناتو»: أوكرانيا قد تواجه «أصعب شتاء» منذ نشوب الحرب" in arts[0].related
    assert "TT" not in _all_text(arts)


# --- header noise: repeated title, repeated captions, markers --------------------------------------


def test_repeated_title_and_captions_and_marker() -> None:
    text = "\n".join([TITLE, "", CAPTION, CAPTION, "TT", "", TITLE, "", CAPTION, CAPTION, "", P1, P2, P3])
    (art,) = _split(text)
    assert art.title == TITLE
    assert art.paragraphs == (display(P1), display(P2), display(P3))
    assert art.captions == (CAPTION,)
    assert "ـ" not in art.text  # tatweel removed
    assert "الشرقية" in art.text  # Persian yeh fixed


def test_caption_in_the_middle_of_a_body_is_kept_apart_and_deduplicated() -> None:
    mid = "جندي يقف قرب آلية عسكرية مدمرة على الطريق الدولي (رويترز)"
    text = "\n".join([TITLE, P1, mid, P2, mid, P3])
    (art,) = _split(text)
    assert mid not in art.paragraphs and art.captions == (mid,)
    assert len(art.paragraphs) == 3


def test_page_without_title_starts_with_body() -> None:
    (art,) = _split("\n\n".join([P1, P2, P3]))
    assert art.title is None
    assert art.paragraphs[0] == display(P1)


def test_input_title_and_author_lines_are_not_body() -> None:
    text = "\n".join(["محمد علي - الرياض", P1, P2])
    (art,) = _split(text, title=TITLE, author="محمد علي - الرياض", outlet="الوطن", published="2015-07-21")
    assert art.title == TITLE
    assert art.paragraphs == (display(P1), display(P2))
    assert (art.outlet, art.published, art.published_how) == ("الوطن", "2015-07-21", "input")


# --- related blocks and appended articles ----------------------------------------------------------


def _teaser(head: str, summary: str, byline: str) -> list[str]:
    return ["أوروبا مشهد من الاجتماع (د.ب.أ)", "", head, "", summary, "", byline]


def test_related_block_of_teasers_is_not_an_article() -> None:
    teasers = _teaser("قمة أوروبية لبحث الهجرة", "يجتمع القادة الخميس لبحث ملف الهجرة.", "«الشرق الأوسط» (بروكسل)")
    teasers += _teaser("مباحثات تجارية في باريس", "بدأت في باريس جولة مباحثات تجارية.", "«الشرق الأوسط» (باريس)")
    text = "\n".join([TITLE, P1, P2, P3, "", "مقالات ذات صلة", "", *teasers])
    (art,) = _split(text)
    assert art.related == ("قمة أوروبية لبحث الهجرة", "مباحثات تجارية في باريس")
    assert art.outlet == "الشرق الأوسط"  # the related bylines name the page's outlet
    assert "يجتمع القادة" not in art.text


def test_bullet_list_of_headlines_goes_to_related() -> None:
    bullets = ["  • انخفاض أسعار النفط في الأسواق الآسيوية", "  • الأمطار تغلق طرقاً في الشمال"]
    (art,) = _split("\n".join([TITLE, P1, P2, "مقالات مشابهة", *bullets]))
    assert art.related == ("انخفاض أسعار النفط في الأسواق الآسيوية", "الأمطار تغلق طرقاً في الشمال")
    assert len(art.paragraphs) == 2


def test_appended_article_after_read_also_with_date_line_and_outlet_dateline() -> None:
    second_title = "الصحة: ١٢ إصابة جديدة بالحمى في الجنوب"
    text = "\n\n".join(
        [TITLE, P1, P2, P3, "المصدر: الجزيرة", "كلمات دلالية: المحادثات، الوفد الأوروبي",
         "لمزيد من الأخبار العالمية اضغط هنا:", "إقرأ أيضاً:", second_title,
         "يوليو 5, 2024آخر تحديث: يوليو 5, 2024", "المستقلة/- " + Q1, Q2, Q3]
    )
    main, appended = _split(text)
    assert main.outlet == "الجزيرة"
    assert main.keywords == ("المحادثات", "الوفد الأوروبي")
    assert main.paragraphs == (display(P1), display(P2), display(P3))
    assert appended.index == 1 and appended.title == second_title
    assert appended.outlet == "المستقلة"
    assert (appended.published, appended.published_how) == ("2024-07-05", "dateline")
    assert appended.paragraphs[0] == display(Q1)
    assert "اضغط هنا" not in _all_text([main, appended])


def test_appended_article_with_own_header_after_teasers() -> None:
    cap = "عناصر من الدفاع المدني في موقع الحادث (أ.ب)"
    second = "حريق يلتهم مستودعاً للأخشاب في المنطقة الصناعية"
    teaser = _teaser("قمة أوروبية لبحث الهجرة", "يجتمع القادة الأوروبيون الخميس لبحث ملف الهجرة.", "رائد جبر (موسكو)")
    text = "\n".join([TITLE, P1, P2, "مقالات ذات صلة", *teaser, second, cap, cap, "TT", second, cap, Q1, Q2])
    main, appended = _split(text)
    assert appended.title == second and appended.captions == (cap,)
    assert appended.paragraphs == (display(Q1), display(Q2))
    assert main.related == ("قمة أوروبية لبحث الهجرة",)


def test_headline_injected_mid_body_is_dropped() -> None:
    injected = (
        "كوريا الجنوبية تؤكد تضامنها ودعمها للمغرب للتغلب على آثار الزلزال المدمر "
        "رئيس كوريا الجنوبية: الهند شريك رئيسي في المنطقة"
    )
    (art,) = _split("\n\n".join([P1, " ", injected, P2, P3]))
    assert injected not in art.paragraphs
    assert art.paragraphs == (display(P1), display(P2), display(P3))


def test_subheading_kept_as_its_own_paragraph() -> None:
    (art,) = _split("\n".join([TITLE, P1, "مخاوف غربيّة", P2, P3]))
    assert art.paragraphs[1] == "مخاوف غربيّة" and art.subheadings == (1,)


def test_tweet_embed_lines_are_removed() -> None:
    tweet = 'بمناسبة "عيد النصر".. #بوتين يعلن هدنة مؤقتة pic.twitter.com/eh80wiK1TE'
    by = "— قناة الجزيرة (@AJArabic) April 28, 2025"
    (art,) = _split("\n".join([TITLE, P1, tweet, by, P2]))
    assert art.paragraphs == (display(P1), display(P2))


def test_ad_marker_glued_to_next_word() -> None:
    glued = "إعلانوبهذا الصدد قال الخبير إن المحادثات لن تنجح دون ضمانات واضحة من الطرفين."
    (art,) = _split("\n".join([TITLE, P1, glued, P2]))
    assert art.paragraphs[1].startswith("وبهذا الصدد")
    # a real word starting with إعلان is left alone
    (art2,) = _split("\n".join([TITLE, "إعلانات الوظائف الجديدة تصدر الأسبوع المقبل عن الوزارة كما هو مقرر سلفاً.", P2]))
    assert art2.paragraphs[0].startswith("إعلانات")


def test_subheading_glued_to_its_paragraph() -> None:
    glued = "الموقف الأميركياعتبر المتحدث باسم الخارجية أن الهدنة خطوة أولى يجب البناء عليها في الأيام المقبلة."
    (art,) = _split("\n".join([TITLE, P1, P2, glued, P3]))
    i = art.paragraphs.index("الموقف الأميركي")
    assert i in art.subheadings
    assert art.paragraphs[i + 1].startswith("اعتبر المتحدث")
    # a long real word is not cut
    long_word = "وأمس، أعلن المتحدث باسم الكرملين ديمتري بيسكوف أن الزيارة ستستمر أياماً أخرى دون تفاصيل."
    (art2,) = _split("\n".join([TITLE, P1, long_word, P2]))
    assert any("ديمتري بيسكوف" in p for p in art2.paragraphs)


def test_tags_glued_to_last_paragraph_and_signature_lines() -> None:
    last = "ورفض ممثلون التعليق على طلبات الصحافيين. بحسب رويترز. سمات الفيفا تحقيق فساد"
    text = "\n".join([P1, P2, last, "", "author@example.com", "للتواصل مع الكاتب ارسل رسالة SMS", "88591 - Stc"])
    (art,) = _split(text, title=TITLE)
    assert art.paragraphs[-1] == "ورفض ممثلون التعليق على طلبات الصحافيين. بحسب رويترز."
    assert art.keywords == ("الفيفا", "تحقيق", "فساد")
    assert len(art.paragraphs) == 3


def test_verse_lines_are_body_but_headline_runs_are_not() -> None:
    verse = ["واذهب إلى السودة النشوى بفتنتها", "مناج بلبلها والأيك والبانا", "لن تعرف الهم يوماً في مرابعها"]
    (art,) = _split("\n".join([P1, "يقول الشاعر:", *verse, P2]), title=TITLE)
    assert all(v in art.paragraphs for v in verse)
    heads = [f"مذكرات الفنانة ({i}): حكاية جديدة من الذكريات" for i in range(2, 6)]
    (art2,) = _split("\n".join([P1, P2, *heads]), title=TITLE)
    assert not set(heads) & set(art2.paragraphs)


# --- dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("يوليو 5, 2024آخر تحديث: يوليو 5, 2024", "2024-07-05"),
        ("تاريخ النشر: 14th, September 2023 GMT", "2023-09-14"),
        ("نشر في ١٤ سبتمبر ٢٠٢٣", "2023-09-14"),
        ("الأحد 5 تموز 2015", "2015-07-05"),
        ("20 كانون الثاني 2023", "2023-01-20"),
        ("2015-07-21 02:51:32", "2015-07-21"),
        ("21/07/2015", "2015-07-21"),
        ("أمس", None),
    ],
)
def test_parse_date(text: str, value: str | None) -> None:
    assert parse_date(text) == value


# --- HTML ------------------------------------------------------------------------------------------


def test_html_page_uses_extractor_and_meta() -> None:
    paras = "".join(f"<p>{p}</p>" for p in (P1, P2, P3, P4))
    html = (
        '<html><head><meta property="og:title" content="وزير الخارجية: استئناف &quot;المحادثات&quot;">'
        '<meta property="og:site_name" content="الوطن">'
        '<meta property="article:published_time" content="2015-07-21T10:00:00+03:00"></head><body>'
        "<nav><a href='/'>الرئيسية</a> <a href='/s'>رياضة</a></nav>"
        f"<article><h1>وزير الخارجية: استئناف \"المحادثات\"</h1>{paras}</article>"
        "<footer>جميع الحقوق محفوظة © 2015</footer></body></html>"
    )
    (art,) = split_document(_doc(html, content_type="html"))
    assert art.title == 'وزير الخارجية: استئناف "المحادثات"'
    assert (art.outlet, art.published, art.published_how) == ("الوطن", "2015-07-21", "meta")
    assert art.paragraphs == tuple(display(p) for p in (P1, P2, P3, P4))


# --- learned boilerplate ---------------------------------------------------------------------------


def _outlet_docs(n: int) -> list[Document]:
    footer = "للتواصل مع الكاتب أرسل رسالة قصيرة تبدأ بالرمز ({}) ثم مسافة"
    docs = []
    for i in range(n):
        body = (
            f"هذا نص المقال رقم {i} عن موضوع مختلف تماماً في كل مرة، ويتناول قضية جديدة من قضايا المدينة رقم {i * 7}."
        )
        if i % 30 == 0:  # a formulaic news sentence on a few pages
            body += "\nوجرى خلال اللقاء بحث عدد من المسائل ذات الاهتمام المشترك."
        docs.append(Document(id=f"x{i}", source="s", content=body + "\n" + footer.format(i), outlet="okaz"))
    return docs


def test_learn_boilerplate_learns_recurring_footer_but_not_formulaic_sentence() -> None:
    bp = learn_boilerplate(_outlet_docs(200))
    learned = bp.for_outlet("okaz")
    assert line_key("للتواصل مع الكاتب أرسل رسالة قصيرة تبدأ بالرمز (99) ثم مسافة") in learned
    assert line_key("وجرى خلال اللقاء بحث عدد من المسائل ذات الاهتمام المشترك.") not in learned
    assert bp.for_outlet("other") == frozenset()
    doc = _outlet_docs(201)[-1]
    (without,) = split_document(doc)
    (with_bp,) = split_document(doc, bp)
    assert len(with_bp.paragraphs) == len(without.paragraphs) - 1 or "للتواصل" not in without.text
    assert "للتواصل" not in with_bp.text


def test_learn_boilerplate_needs_enough_pages() -> None:
    assert len(learn_boilerplate(_outlet_docs(5))) == 0
    assert isinstance(learn_boilerplate([]), Boilerplate)


def test_learn_boilerplate_on_saudinewsnet_day() -> None:
    path = DATASETS / "saudinewsnet" / "dataset" / "2015-07-21.zip"
    if not path.exists():
        pytest.skip(f"SaudiNewsNet not found at {path}")
    with zipfile.ZipFile(path) as z:
        recs = json.loads(z.read(z.namelist()[0]))
    docs = [Document(id=str(i), source="snn", content=r["content"], outlet=r["source"], url=r["url"])
            for i, r in enumerate(recs)]
    bp = learn_boilerplate(docs)
    # al-madina's columnist footer ("… 88591 - Stc") is learned and removed from its columns
    assert any("stc" in k for k in bp.for_outlet("almadina"))
    column = next(d for d in docs if d.outlet == "almadina" and "88591" in d.content)
    (art,) = split_document(column, bp)
    assert "88591" not in art.text and "Stc" not in art.text


# --- the fused match form --------------------------------------------------------------------------


@pytest.mark.parametrize("text", [P1, P2, P3, "«قال» “نعم” ١٢٣ ۴۵ إِلى الکوری", "ABC Çé ٪ ؛ ؟"])
def test_match_display_equals_match(text: str) -> None:
    assert _match_display(display(text)) == match(text)


# --- things a single page must not be split on -------------------------------------------------------


def test_label_lines_and_separators_do_not_start_articles() -> None:
    text = "\n".join([P1, "أولا :", "وافق مجلس الوزراء على اعتماد الحسابين الختاميين للهيئة", "ثانيا :", P2, P3,
                      "***", "- شيئاً فشيئاً وسيجد نفسه خارج اللجنة!!", "***", P4, Q1])
    assert len(_split(text, title=TITLE)) == 1


def test_numbered_items_with_parentheses_keep_the_body_after_them() -> None:
    text = "\n".join([P1, "1- أنخيل دي ماريا (132.6 مليون إسترليني)", P2, "2- زلاتان إبراهيموفيتش (126.7 مليون)", P3])
    (art,) = _split(text, title=TITLE)
    assert display(P3) in art.paragraphs and display(P2) in art.paragraphs


def test_list_introduced_by_colon_is_kept() -> None:
    items = ["* متجر «آي تونز»", "1. لعبة «ماينكرافت» Minecraft", "2. تطبيق «فيسبوك» Facebook"]
    (art,) = _split("\n".join(["نقدم لكم التطبيقات الأكثر تحميلاً خلال الأسبوع الماضي:", *items]), title=TITLE)
    assert all(i in art.paragraphs for i in items)


def test_prose_line_without_final_punctuation_is_body() -> None:
    tweet = "وقال الإعلامي محمد نجيب في تغريدته : السيف أصدق أنباء من الكتب ولنضرب بيد من حديد"
    (art,) = _split("\n".join([P1, tweet, P2]), title=TITLE)
    assert tweet in art.paragraphs


def test_photo_only_page_keeps_its_caption() -> None:
    caption = "طفلة مع أحد أقربائها يلتقطان «سيلفي» تحت المطر، وفي الصورة الأمطار على الرياض (أ ف ب)"
    (art,) = _split(caption, title="أمطار الرياض")
    assert art.paragraphs == (caption,)


def test_repeated_line_in_body_is_a_caption() -> None:
    cap = "آثار الدمار في الحي الشرقي من المدينة بعد القصف"
    (art,) = _split("\n".join([P1, cap, P2, cap, P3]), title=TITLE)
    assert cap not in art.paragraphs and art.captions == (cap,)


def test_closing_question_of_a_column_is_kept() -> None:
    (art,) = _split("\n".join([P1, P2, "هل تُنصرون وتُرزقون إلا بضعفائكم؟"]), title=TITLE)
    assert art.paragraphs[-1] == "هل تُنصرون وتُرزقون إلا بضعفائكم؟"


@pytest.mark.parametrize("name", ["000_54f399f58622e060.txt", "003_833e8904502facc9.txt"])
def test_teasers_without_a_section_label_are_still_related(name: str) -> None:
    text = (SEEDS / name).read_text(encoding="utf-8")
    with_label = split_document(_doc(text))
    without = split_document(_doc(text.replace("مقالات ذات صلة", "")))
    assert [(a.title, a.paragraphs, a.captions, a.related) for a in without] == [
        (a.title, a.paragraphs, a.captions, a.related) for a in with_label
    ]


def _drop_lines(text: str, labels: tuple[str, ...]) -> str:
    return "\n".join(ln for ln in text.split("\n") if ln.strip() not in labels)


@pytest.mark.parametrize(
    ("name", "variant"),
    [
        ("000_54f399f58622e060.txt", "no-marker"),
        ("001_623451150a5fdd47.txt", "no-read-also"),
        ("001_623451150a5fdd47.txt", "no-list-label"),
        ("002_39aa37865dc2bc60.txt", "no-read-also"),
        ("002_39aa37865dc2bc60.txt", "no-list-label"),
        ("003_833e8904502facc9.txt", "crlf"),
        ("004_20ead09fa2dbf913.txt", "no-read-also"),
        ("004_20ead09fa2dbf913.txt", "no-blank-lines"),
    ],
)
def test_seed_split_is_robust_to_missing_labels_and_layout(name: str, variant: str) -> None:
    text = (SEEDS / name).read_text(encoding="utf-8")
    changed = {
        "no-marker": lambda t: _drop_lines(t, ("TT",)),
        "no-read-also": lambda t: _drop_lines(t, ("إقرأ أيضاً:",)),
        "no-list-label": lambda t: _drop_lines(t, ("مرتبط", "مقالات مشابهة")),
        "crlf": lambda t: t.replace("\n", "\r\n"),
        "no-blank-lines": lambda t: "\n".join(ln for ln in t.split("\n") if ln.strip()),
    }[variant](text)
    want = [(a.title, a.paragraphs) for a in split_document(_doc(text))]
    assert [(a.title, a.paragraphs) for a in split_document(_doc(changed))] == want


@pytest.mark.parametrize("name", ["000_54f399f58622e060.txt", "001_623451150a5fdd47.txt"])
def test_seed_page_as_html_gives_the_same_articles(name: str) -> None:
    from html import escape

    text = (SEEDS / name).read_text(encoding="utf-8")
    body = "".join(f"<p>{escape(ln.strip())}</p>" for ln in text.split("\n") if ln.strip())
    html = (f"<html><head><title>صفحة الخبر | الموقع</title></head><body><nav><a href='/'>الرئيسية</a></nav>"
            f"<article>{body}</article><footer>جميع الحقوق محفوظة</footer></body></html>")
    want = split_document(_doc(text))
    got = split_document(_doc(html, content_type="html"))
    assert [a.paragraphs for a in got] == [a.paragraphs for a in want]
    # the page's own title line wins over the <title> tag, which is used only when there is none
    assert got[0].title == (want[0].title or "صفحة الخبر")


def test_page_code_glued_into_the_text_is_removed() -> None:
    prose = ("ينقسم الصائمون في شهر رمضان المبارك إلى نوعين، نوع يتناول كل الأطعمة مع أذان المغرب، ونوع آخر يبدأ "
             "بالتمر والماء ويؤجل باقي الأطعمة إلى ما بعد صلاة المغرب. فما النوع الذي تفضله؟")
    code = ("#poll_area ul { padding: 0; margin: 0; } .poll_box li { list-style: none; margin: 5px; } "
            "jQuery(document).ready(function(){ jQuery('#poll_form').submit(function() { "
            "jQuery('#poll_area').html('انتظر لحظات…'); url = jQuery(this).attr('action'); return false; }); });")
    after = "وأظهرت دراسة حديثة أن الإفطار الخفيف يساعد على الهضم ويقلل من الشعور بالخمول بعد الصلاة بحسب الأطباء."
    articles = _split(f"عادات الإفطار في رمضان\n{prose} {code} {after}")
    text = _all_text(articles)
    assert "{" not in text and "jQuery" not in text and "انتظر لحظات" not in text
    assert prose in text and after in text
    # braces in ordinary prose are not code
    plain = "وقال الباحث إن المعادلة {س + ص} تصف العلاقة، وإن النتيجة {ع} تؤكد الفرضية التي طرحها الفريق في دراسته."
    assert plain in _all_text(_split(f"عنوان الخبر\n{plain}"))


def test_the_outlets_link_line_glued_to_the_last_paragraph_is_cut_off() -> None:
    last = ("وشدد الأمين العام على أن دول المجلس ستواصل الحفاظ على مصالحها، وستظل ثابتة على مواقفها الداعية "
            "للحفاظ على الأمن والاستقرار الإقليمي.")
    first = "قال الأمين العام لمجلس التعاون إن المجلس يتابع التطورات في المنطقة عن كثب ويعمل مع شركائه."
    for glue in (" ", ""):
        page = f"الزياني يؤكد ثبات المواقف\n{first}\n{last}{glue}رابط الخبر بصحيفة الوئام: الزياني يؤكد ثبات المواقف"
        text = _all_text(_split(page))
        assert "رابط الخبر" not in text and last in text and first in text
    # without a final mark, the outlet's name must be there
    glued = "وتابع المحافظ أعمال الصيانة في المراكز والقرى التابعة لها رابط الخبر بصحيفة الوئام: محافظ يستقبل"
    page = f"عنوان\n{first}\n{glued}"
    assert "رابط الخبر" not in _all_text(_split(page))


def test_html_entities_left_in_scraped_text_are_decoded() -> None:
    body = ("قال المتحدث باسم الوزارة إن &quot;العمل مستمر&quot; في المشروع، مضيفا أن المرحلة الثانية "
            "ستبدأ في &#8220;الأسبوع المقبل&#8221; بحسب الخطة المعتمدة من مجلس الإدارة &amp; الهيئة.")
    doc = Document(id="d1", source="s", content=body + "\n" + body.replace("الثانية", "الثالثة"), title="عنوان الخبر")
    (art,) = split_document(doc)
    assert "&quot;" not in art.text and "&#8220;" not in art.text and "&amp;" not in art.text
    assert "\"العمل مستمر\"" in art.text and "“الأسبوع المقبل”" in art.text and "الإدارة & الهيئة" in art.text
