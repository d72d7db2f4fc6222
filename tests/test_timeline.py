"""Tests for marsad.timeline: dated happenings merged across outlets, on the sample story."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from marsad.arabic import match
from marsad.dates import complete_publication_dates, find_publication_date
from marsad.records import Article, TimelineEvent
from marsad.timeline import build_timeline, story_span

SEEDS = Path(__file__).resolve().parent.parent / "samples" / "seeds"
_RELATED_RE = re.compile(r"^\s*(?:إقرأ أيضاً|اقرأ أيضا|مقالات ذات صلة)")


def _seed_article(prefix: str) -> Article:
    """The main article of a seed page: the lines before its related-articles block."""
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if _RELATED_RE.match(line):
            break
        if line.strip():
            lines.append(line.strip())
    title = lines[0] if len(lines[0].split()) <= 20 else None
    body = tuple(lines[1:] if title else lines)
    article = Article(id=f"seed-{prefix}", doc_id=path.stem, index=0, source=str(path), title=title, paragraphs=body)
    published, how = find_publication_date(article)
    return replace(article, published=published, published_how=how) if published else article


@pytest.fixture(scope="module")
def kim_story() -> list[Article]:
    if not SEEDS.exists():
        pytest.skip("samples/seeds not found")
    return [_seed_article(p) for p in ("000", "001", "002", "004")]


@pytest.fixture(scope="module")
def kim_timeline(kim_story: list[Article]) -> list[TimelineEvent]:
    return build_timeline(kim_story)


def test_publication_dates_of_the_story(kim_story: list[Article]) -> None:
    assert [a.published for a in kim_story] == [None, None, None, "2023-09-14"]
    completed, by_id = complete_publication_dates(kim_story)
    got = {a.id: (a.published, a.published_how) for a in completed}
    assert got == {
        "seed-000": ("2023-09-17", "inferred"),  # the visit ends "الأحد"
        "seed-001": ("2023-09-15", "inferred"),  # "اليوم الجمعة"
        "seed-002": ("2023-09-12", "inferred"),  # arrival "اليوم، الثلاثاء"
        "seed-004": ("2023-09-14", "dateline"),  # "تاريخ النشر: 14th, September 2023 GMT"
    }
    assert set(by_id) == {a.id for a in kim_story}


def _event_dates(timeline: list[TimelineEvent], *words: str) -> list[str]:
    keys = [match(w) for w in words]
    return [e.date for e in timeline if all(k in match(e.text) for k in keys)]


# (date, words that identify the happening), in the order the visit unfolded
KIM_VISIT = [
    ("2023-09-10", ("غادر", "بيونج يانج")),  # leaves Pyongyang by train (Sunday)
    ("2023-09-12", ("وصل", "روسيا")),  # arrives in Russia (Tuesday)
    ("2023-09-13", ("عقد", "قمّة")),  # summit with Putin at Vostochny (Wednesday)
    ("2023-09-15", ("كامسومولسك",)),  # aircraft plant at Komsomolsk-on-Amur (Friday)
    ("2023-09-16", ("شويغو",)),  # Shoigu in Vladivostok (Saturday)
    ("2023-09-17", ("اختتم", "زيارة")),  # leaves Russia (Sunday)
]


@pytest.mark.parametrize(("day", "words"), KIM_VISIT)
def test_each_happening_on_its_true_date(kim_timeline: list[TimelineEvent], day: str, words: tuple[str, ...]) -> None:
    found = _event_dates(kim_timeline, *words)
    assert found, f"no event with {words}"
    assert set(found) == {day}, found


def test_timeline_reads_day_by_day(kim_timeline: list[TimelineEvent]) -> None:
    days = [e.date for e in kim_timeline]
    assert days == sorted(days)
    firsts = [
        kim_timeline.index(next(e for e in kim_timeline if e.date == d and all(match(w) in match(e.text) for w in ws)))
        for d, ws in KIM_VISIT
    ]
    assert firsts == sorted(firsts)
    assert all(e.grain == "day" for e in kim_timeline if e.date in {d for d, _ in KIM_VISIT})


def test_arrival_is_reported_by_several_outlets(kim_timeline: list[TimelineEvent]) -> None:
    arrival = [e for e in kim_timeline if e.date == "2023-09-12" and "وصل" in match(e.text) and "روسيا" in e.text]
    sources = {s for e in arrival for s in e.sources}
    assert {"seed-000", "seed-001", "seed-002"} <= sources
    # one event, cited by the three outlets (same verb, same destination), Putin's arrival kept apart
    assert any({"seed-000", "seed-001", "seed-002"} <= set(e.sources) for e in arrival)
    assert all("seed-004" not in e.sources for e in arrival if "بوتين" not in e.text)


def _article(aid: str, text: str, published: str | None) -> Article:
    return Article(id=aid, doc_id=aid, index=0, source=aid, title=None, paragraphs=(text,), published=published)


def test_merges_the_same_happening_across_outlets_and_skips_opinions() -> None:
    a = _article(
        "a",
        "وصل الرئيسُ إلى القاهرة الثلاثاء في زيارة رسمية. وقال المحلل إن الزيارة مهمة جداً يوم الأربعاء.",
        "2023-09-13",
    )
    b = _article("b", "وصـل الرئيس الثلاثاء إلى القاهرة في زيارة رسمية تستغرق يومين.", "2023-09-12")
    c = _article("c", "في ١٥ سبتمبر ٢٠٢٣ افتتح الوزير «المعرض» الدولي للكتاب.", "2023-09-20")
    timeline = build_timeline([a, b, c])
    assert [(e.date, e.sources) for e in timeline] == [("2023-09-12", ("a", "b")), ("2023-09-15", ("c",))]
    assert "المحلل" not in " ".join(e.text for e in timeline)


def test_undated_story_yields_no_events() -> None:
    assert build_timeline([_article("x", "وصل الرئيس الثلاثاء إلى القاهرة.", None)]) == []


def test_a_date_of_the_report_does_not_date_the_happening() -> None:
    from marsad.records import Article
    from marsad.timeline import build_timeline

    a = Article(
        id="a1",
        doc_id="d1",
        index=0,
        source="x",
        title="t",
        outlet="o",
        published="2023-09-15",
        paragraphs=(
            "وخلال لقائهما، تبادل بوتين وكيم تقديم الهدايا وفق ما أعلن الكرملين الخميس في خطوة رمزية.",
            "وقد غادر الزعيم بيونج يانج الأحد في قطار، وفق ما أفادت وسيلة إعلام رسمية الثلاثاء.",
        ),
    )
    events = build_timeline([a])
    assert [(e.date, e.text[:8]) for e in events] == [("2023-09-10", "وقد غادر")]


def test_story_span_is_its_coverage_with_the_recent_events_it_dates() -> None:
    def ev(day: str) -> TimelineEvent:
        return TimelineEvent(date=day, text="حدث", sources=("a",))

    events = [ev("1931-05-02"), ev("2015-07-12"), ev("2015-07-20"), ev("2015-07-23"), ev("2017-07-21")]
    # a birth year and a target year stay out; the event of nine days before the first article counts
    assert story_span(events, ["2015-07-21", "2015-07-22T08:00:00"]) == ("2015-07-12", "2015-07-22")
    assert story_span([ev("2014-01-01")], ["2015-07-21"]) == ("2015-07-21", "2015-07-21")
    # without any publication day the timeline is all there is
    assert story_span(events[:2], []) == ("1931-05-02", "2015-07-12")
    assert story_span([], []) == (None, None)


def test_a_duration_start_or_a_contract_month_is_not_when_it_happened() -> None:
    a = _article(
        "a",
        "وهبط الذهب إلى أدنى مستوى منذ فبراير 2010 بعد أن تراجع بقوة. "
        "وانخفضت العقود الآجلة للذهب تسليم أغسطس إلى 1080 دولارا. "
        "وعانى الجيش من انتكاسات منذ مارس الماضي إذ خسر معظم المحافظة. "
        "وأعلن الوزير الاثنين أن الشرطة اعتقلت 590 شخصا.",
        "2015-07-21",
    )
    timeline = build_timeline([a])
    assert [e.date for e in timeline] == ["2015-07-20"]
    assert timeline[0].text.startswith("وأعلن الوزير")
