"""Extractive cited summaries and headlines."""

from __future__ import annotations

import json
from pathlib import Path

from marsad.records import Article, DateMention
from marsad.summarize import clean_title, headline, summarize, summarize_paths, summarize_texts


def make_article(aid: str, paragraphs: list[str], *, title: str | None = None, outlet: str | None = None,
                 captions: tuple[str, ...] = (), published: str | None = None) -> Article:
    return Article(id=aid, doc_id="d-" + aid, index=0, source=aid + ".txt", title=title,
                   paragraphs=tuple(paragraphs), outlet=outlet, captions=captions, published=published)


QUAKE_A = make_article(
    "a1",
    [
        "ضرب زلزال قوي بلغت شدته ٦٫٨ درجات منطقة الحوز جنوب مراكش في المغرب ليلة الجمعة، "
        "وأسفر عن مقتل أكثر من ألفي شخص.",
        "الزلزال في الحوز (أ.ف.ب)",
        "اقرأ أيضاً: ملك المغرب يعلن الحداد",
        "وقالت وزارة الداخلية المغربية إن فرق الإنقاذ تواصل البحث عن ناجين تحت الأنقاض في القرى الجبلية.",
        "وأعلنت الحكومة حداداً وطنياً لمدة ثلاثة أيام، وقررت تنكيس الأعلام على كل المباني العامة.",
    ],
    title="زلزال المغرب: أكثر من ألفي قتيل - الجزيرة نت",
    outlet="الجزيرة",
)
QUAKE_B = make_article(
    "b1",
    [
        "بقلم: محمد علي",
        "أسفر الزلزال القوي الذي ضرب منطقة الحوز جنوب مراكش في المغرب ليلة الجمعة "
        "عن مقتل أكثر من ألفي شخص، وفق حصيلة رسمية.",
        "«نحن بخير».",
        "وتواصل فرق الإنقاذ البحث عن ناجين تحت الأنقاض في القرى الجبلية المعزولة، بحسب وزارة الداخلية.",
        "وعرضت دول عدة إرسال فرق إنقاذ ومساعدات إنسانية إلى المغرب.",
    ],
    title="ارتفاع حصيلة زلزال المغرب إلى أكثر من ألفي قتيل | العربية",
    outlet="العربية",
)


def test_summary_is_cited_and_free_of_captions_teasers_bylines_and_bare_quotes() -> None:
    summary = summarize([QUAKE_A, QUAKE_B], words=60, sentences=3)
    assert 1 <= len(summary) <= 3
    texts = [s.text for s in summary]
    assert not any("(أ.ف.ب)" in t or "اقرأ" in t or "بقلم" in t or t.startswith("«") for t in texts)
    # the death toll is reported by both outlets: one sentence, citing both
    toll = [s for s in summary if "ألفي" in s.text]
    assert len(toll) == 1
    assert set(toll[0].sources) == {"a1", "b1"}
    for s in summary:
        assert s.sources[0] in {"a1", "b1"}
        assert s.text in "\n".join(QUAKE_A.paragraphs + QUAKE_B.paragraphs)


def test_word_and_sentence_budgets() -> None:
    assert len(summarize([QUAKE_A, QUAKE_B], words=None, sentences=1)) == 1
    short = summarize([QUAKE_A, QUAKE_B], words=30, sentences=None)
    assert sum(len(s.text.split()) for s in short) <= 30 or len(short) == 1


def test_single_document_and_dates_order() -> None:
    art = make_article(
        "x",
        [
            "وفي الخامس من مايو أعلنت الحكومة خطة جديدة لدعم المزارعين المتضررين من الجفاف الطويل.",
            "وكان البرلمان قد ناقش في الأول من مايو مشروع قانون لدعم المزارعين المتضررين من الجفاف.",
        ],
    )
    second = art.text.index("الأول")
    dates = {"x": [DateMention("الخامس من مايو", 3, 17, "2024-05-05", "day", "x"),
                   DateMention("الأول من مايو", second, second + 13, "2024-05-01", "day", "x")]}
    out = summarize([art], words=None, sentences=2, dates=dates)
    assert [s.date for s in out] == ["2024-05-01", "2024-05-05"]
    assert summarize([make_article("e", [])]) == []


def test_headline_picks_a_representative_title_and_cleans_outlet_marks() -> None:
    h = headline([QUAKE_A, QUAKE_B])
    assert h in {"زلزال المغرب: أكثر من ألفي قتيل", "ارتفاع حصيلة زلزال المغرب إلى أكثر من ألفي قتيل"}
    assert clean_title("بالفيديو: وصول كيم إلى روسيا (فيديو) | العربية") == "وصول كيم إلى روسيا"
    assert clean_title("كيم يختتم زيارته إلى روسيا - الشرق الأوسط") == "كيم يختتم زيارته إلى روسيا"
    untitled = [make_article("u", list(QUAKE_A.paragraphs))]
    assert headline(untitled).startswith("ضرب زلزال قوي")


def test_summarize_texts_and_paths(tmp_path: Path) -> None:
    text = "\n".join(QUAKE_A.paragraphs)
    (only,) = summarize_texts([text], sentences=1, words=None)
    assert only.text in {QUAKE_A.paragraphs[0], QUAKE_A.paragraphs[3], QUAKE_A.paragraphs[4]}
    p1 = tmp_path / "a.txt"
    p2 = tmp_path / "b.txt"
    p1.write_text("\ufeff" + text, encoding="utf-8")
    p2.write_text("\n".join(QUAKE_B.paragraphs), encoding="utf-8")
    each = summarize_paths([p1, p2], sentences=2, each=True)
    assert [d["source"] for d in each] == [str(p1), str(p2)]
    assert all(1 <= len(d["summary"]) <= 2 for d in each)
    assert not each[0]["summary"][0].startswith("\ufeff")
    json.dumps(each, ensure_ascii=False)
    both = summarize_paths([p1, p2])
    assert len(both) == 1 and both[0]["summary"]
    assert all(c[0] in {str(p1), str(p2)} for c in both[0]["cited"])
