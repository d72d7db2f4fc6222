"""The web app over a small hand-built database: HTML pages, the JSON API, errors, safety, report."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
import webdata
from fastapi.testclient import TestClient

from marsad.web import views
from marsad.web.app import create_app
from marsad.web.report import write_report


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "web.db"
    webdata.build(path)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(str(db)))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        if d.get("id"):
            self.ids.add(d["id"] or "")
        for key in ("href", "src"):
            if d.get(key):
                self.links.append(d[key] or "")
        if tag == "script":
            self.scripts.append(d)


def parse(html: str) -> _Links:
    p = _Links()
    p.feed(html)
    return p


# -- pages ------------------------------------------------------------------------------------------
def test_story_list_page(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    html = r.text
    assert '<html lang="ar" dir="rtl">' in html
    assert "كيم جونغ أون يزور روسيا ويلتقي بوتين" in html
    assert "3 مقالات من 3 مصادر" in html
    assert "خط القصة: كوريا الشمالية وروسيا" in html
    # newest and biggest first: both stories end on different days, the Kim story (ends 17th) comes first
    assert html.index("s-kim") < html.index("s-quake")


def test_story_list_filters(client: TestClient) -> None:
    only_kim = client.get("/", params={"outlet": "الشرق الأوسط"}).text
    assert "/stories/s-kim" in only_kim and "/stories/s-quake" not in only_kim
    by_entity = client.get("/", params={"entity": "e-morocco"}).text
    assert "/stories/s-quake" in by_entity and "/stories/s-kim" not in by_entity
    late = client.get("/", params={"from": "2023-09-15", "to": ""}).text
    assert "/stories/s-kim" in late and "/stories/s-quake" not in late
    none = client.get("/", params={"to": "2020-01-01"}).text
    assert "لا توجد قصص تطابق هذه التصفية" in none


def test_story_page(client: TestClient) -> None:
    r = client.get("/stories/s-kim")
    assert r.status_code == 200
    html = r.text
    page = parse(html)
    assert "<h1>كيم جونغ أون يزور روسيا ويلتقي بوتين</h1>" in html
    # summary sentences carry chips linking to the articles on the same page
    for aid in ("a-kim1", "a-kim2", "a-kim3"):
        assert f"#a-{aid}" in page.links
        assert f"a-{aid}" in page.ids
    # the timeline is an SVG drawn on the server, one numbered dot per happening
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count("<circle") == 3
    assert "13 سبتمبر 2023" in html
    # outlet-by-outlet comparison: 3 summary sentences + 3 events = 6 rows, 3 outlets
    table = html[html.index('<table class="matrix">') : html.index("</tbody>")]
    assert table.count('<tr><th scope="row"') == 6
    assert table.count('class="yes"') == 8 and table.count('class="no"') == 10
    # entities with their spelling variants
    assert "كيم جونج أون" in html and "/entities/e-kim" in page.links
    # articles: an http(s) url is a link, anything else shown as text
    assert 'href="https://example.com/kim-arrives"' in html
    assert "javascript:alert(1)" not in page.links
    assert "samples/seeds/004.txt" in html
    # why each article joined
    assert "أول مقال في القصة" in html and "تشابه النص" in html


def test_hostile_text_is_escaped(client: TestClient) -> None:
    for url in ("/stories/s-kim", "/articles/a-kim3", "/search?q=alert"):
        html = client.get(url).text
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;" in html and "&lt;img src=x onerror=" in html, url
        # the only script is the app's own, from /static
        assert [s.get("src") for s in parse(html).scripts] == ["/static/app.js"]
    html = client.get("/stories/s-kim").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;قبل&lt;/b&gt;" in html  # caption markup shown as text
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html  # timeline text, in the list and the SVG title
    q = client.get("/search", params={"q": '"><script>alert(3)</script>'}).text
    assert "<script>alert(3)" not in q and "&lt;script&gt;alert(3)" in q


def test_security_headers(client: TestClient) -> None:
    for url in ("/", "/api/stories", "/nope"):
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"


def test_other_pages(client: TestClient) -> None:
    ent = client.get("/entities/e-kim").text
    assert "كيم جونغ أون" in ent and "/stories/s-kim" in ent
    assert "/entities/e-putin" in ent  # co-occurring entity
    outlet = client.get("/outlets/" + quote("الوطن")).text
    assert "/stories/s-quake" in outlet and "وصول كيم جونغ أون" in outlet
    line = client.get("/storylines/l-korea").text
    assert "كوريا الشمالية وروسيا" in line and "/stories/s-kim" in line
    for url in ("/storylines", "/outlets", "/entities", "/articles/a-kim1"):
        assert client.get(url).status_code == 200, url


def test_html_errors_are_friendly(client: TestClient) -> None:
    r = client.get("/stories/nope")
    assert r.status_code == 404
    assert "الصفحة غير موجودة" in r.text and 'dir="rtl"' in r.text
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/entities/e-kim?page=0").status_code == 422


# -- search ---------------------------------------------------------------------------------------
def test_search_highlights_matches(client: TestClient) -> None:
    # the query has a clitic and a hamza the text does not have
    r = client.get("/search", params={"q": "لبوتين"})
    html = r.text
    assert "<mark>بوتين</mark>" in html
    assert "3 نتائج" in html
    # clitic on the text side, query without: «وتلقّى» holds harakat
    html = client.get("/search", params={"q": "تلقى"}).text
    assert "<mark>وتلقّى</mark>" in html


def test_highlight_rules() -> None:
    keys = views.query_keys("الإجتماع بوتين")
    segs = views.highlight("عُقِدَ الاجتماعُ مع لبوتين وبوتينات <b>", keys)
    marked = [s.text for s in segs if s.mark]
    assert marked == ["الاجتماعُ", "لبوتين"]
    assert "".join(s.text for s in segs) == "عُقِدَ الاجتماعُ مع لبوتين وبوتينات <b>"
    # Persian letters and Arabic-Indic digits fold the same way on both sides
    keys = views.query_keys("کوریا ٢٠٢٣")
    assert [s.text for s in views.highlight("كوريا في 2023", keys) if s.mark] == ["كوريا", "2023"]


# -- JSON API -------------------------------------------------------------------------------------
def test_api_stories_pagination(client: TestClient) -> None:
    r = client.get("/api/stories", params={"per_page": 1})
    assert r.status_code == 200
    data = r.json()
    assert data["pagination"] == {"page": 1, "per_page": 1, "total": 2, "pages": 2, "next": 2, "prev": None}
    assert data["stories"][0]["id"] == "s-kim"
    assert data["stories"][0]["outlets"][0]["name"] == "الوطن"
    second = client.get("/api/stories", params={"per_page": 1, "page": 2}).json()
    assert second["stories"][0]["id"] == "s-quake" and second["pagination"]["prev"] == 1
    assert client.get("/api/stories", params={"entity": "e-morocco"}).json()["pagination"]["total"] == 1
    assert client.get("/api/stories", params={"from": "2023-09-13"}).json()["pagination"]["total"] == 1


def test_api_story_and_others(client: TestClient) -> None:
    s = client.get("/api/stories/s-kim").json()
    assert s["headline"] == "كيم جونغ أون يزور روسيا ويلتقي بوتين"
    assert [c["outlet"] for c in s["summary"][1]["sources"]] == ["الجديد برس", "الوطن"]
    assert [t["date"] for t in s["timeline"]] == ["2023-09-12", "2023-09-13", "2023-09-17"]
    assert s["comparison"]["counts"] == [3, 2, 3]
    assert s["chart"]["points"][0]["x"] > s["chart"]["points"][-1]["x"]  # right to left
    assert client.get("/api/entities/e-kim").json()["entity"]["variants"] == ["كيم جونج أون", "كيم"]
    assert client.get("/api/outlets/" + quote("الوطن")).json()["n_articles"] == 2
    assert client.get("/api/storylines/l-korea").json()["stories"][0]["id"] == "s-kim"
    art = client.get("/api/articles/a-kim3").json()
    assert art["url"] is None and art["source"] == "javascript:alert(1)" and art["story_id"] == "s-kim"
    hits = client.get("/api/search", params={"q": "بوتين", "per_page": 2}).json()
    assert hits["pagination"]["total"] == 3 and len(hits["results"]) == 2
    assert any(seg["mark"] and seg["text"] == "بوتين" for seg in hits["results"][0]["snippet"])


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/stories/nope", 404, "not_found"),
        ("/api/entities/nope", 404, "not_found"),
        ("/api/outlets/nope", 404, "not_found"),
        ("/api/storylines/nope", 404, "not_found"),
        ("/api/articles/nope", 404, "not_found"),
        ("/api/nothing-here", 404, "not_found"),
        ("/api/stories?per_page=1000", 422, "invalid_request"),
        ("/api/stories?page=0", 422, "invalid_request"),
        ("/api/stories?from=2023-13", 422, "invalid_request"),
        ("/api/search?page=x", 422, "invalid_request"),
    ],
)
def test_api_error_shape(client: TestClient, url: str, status: int, code: str) -> None:
    r = client.get(url)
    assert r.status_code == status
    body = r.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status and body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def test_openapi_document(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    for path in (
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/entities/{entity_id}",
        "/api/outlets/{name}",
        "/api/search",
        "/api/storylines/{storyline_id}",
        "/api/articles/{article_id}",
    ):
        assert path in doc["paths"], path
    assert "StoryView" in doc["components"]["schemas"]
    assert "ErrorResponse" in doc["components"]["schemas"]
    assert not any(p == "/" or p.startswith("/stories") for p in doc["paths"])


def test_missing_database_fails_clearly(tmp_path: Path) -> None:
    from marsad.errors import StoreError

    with pytest.raises(StoreError):
        create_app(str(tmp_path / "missing.db"))


# -- static report --------------------------------------------------------------------------------
def test_report_files_and_links(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    n = write_report(str(db), out)
    for rel in (
        "index.html",
        "stories/s-kim.html",
        "stories/s-quake.html",
        "entities/e-kim.html",
        "storylines/l-korea.html",
        "outlets/index.html",
        "static/style.css",
        "static/app.js",
    ):
        assert (out / rel).is_file(), rel
    pages = sorted(out.rglob("*.html"))
    assert n == len(pages) and n >= 12
    assert len(list((out / "outlets").glob("*.html"))) == 4  # index + 3 outlets
    checked = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert 'lang="ar" dir="rtl"' in html
        assert "<script>alert" not in html
        for link in parse(html).links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https") or not parts.path:
                continue
            assert not link.startswith("/"), f"{page}: absolute link {link}"
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(out)}: broken link {link}"
            if parts.fragment:
                assert parts.fragment in parse(target.read_text(encoding="utf-8")).ids, link
            checked += 1
    assert checked > 50
    story = (out / "stories/s-kim.html").read_text(encoding="utf-8")
    assert "<svg" in story and "../static/style.css" in story and 'href="#a-a-kim2"' in story
    assert re.search(r'href="\.\./outlets/x-[0-9a-f]+\.html"', story)


def test_store_search_hits_matches_search(db: Path) -> None:
    from marsad.store import Store

    with Store(db, readonly=True) as store:
        plain, total = store.search("بوتين", limit=10)
        ranked, total_ranked = store.search_hits("بوتين", limit=10)
        newest, total_newest = store.search_hits("بوتين", limit=10, rank_limit=1)
        assert total == total_ranked == total_newest == 3
        assert [h.article_id for h in ranked] == [h.article_id for h in plain]
        assert sorted(h.article_id for h in newest) == sorted(h.article_id for h in plain)
        assert [h.article_id for h in newest][0] == "a-kim3"  # newest added first
        assert store.search_hits("؟!") == ([], 0)


def test_key_finder_finds_every_spelling() -> None:
    keys = views.query_keys("الإجتماع كوريا 2023 مسئول")
    finder = views.key_finder(keys)
    for text in ("الاجْتِمـــاعُ", "لِلاجتماع", "کوریا", "٢٠٢٣", "۲۰۲۳", "مسؤول", "مسئولة"):
        assert finder.search(text), text
    assert not finder.search("قمة بلا كلمة مطابقة")
    # a paragraph the finder passes is checked word by word: «الاجتماعات» is not «الاجتماع»
    assert views.snippet(["عُقدت الاجتماعات أمس"], keys) == [views.Segment(text="عُقدت الاجتماعات أمس")]


def test_arabic_counts() -> None:
    from marsad.web.render import count

    assert count(1, "article") == "مقال واحد"
    assert count(2, "outlet") == "مصدران" and count(2, "outlet", True) == "مصدرين"
    assert count(3, "story") == "3 قصص" and count(10, "article") == "10 مقالات"
    assert count(11, "article") == "11 مقالًا" and count(103, "article") == "103 مقالات"


def test_an_appended_article_names_the_page_it_was_found_on(tmp_path: Path) -> None:
    from builders import article, document, story

    from marsad.store import Store

    doc = document("صفحة")
    main = article(doc_id=doc.id, index=0, outlet="الجزيرة")
    appended = article(("مقال آخر ألحق بالصفحة.",), title="مقال ملحق", doc_id=doc.id, index=1, outlet=None)
    lone = story((appended.id,), headline="قصة المقال الملحق", outlets=())
    path = tmp_path / "m.db"
    with Store(path) as st, st.transaction():
        st.add_documents([doc])
        st.add_articles([main, appended])
        st.save_stories([lone])
    client = TestClient(create_app(str(path)))
    for url in (f"/stories/{lone.id}", f"/articles/{appended.id}"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "ملحق بصفحة من الجزيرة" in r.text, url
    got = client.get(f"/api/articles/{appended.id}").json()
    assert got["page_outlet"] == "الجزيرة"
    assert client.get(f"/api/articles/{main.id}").json()["page_outlet"] is None


def test_story_card_lead_skips_background_before_the_story_span() -> None:
    from builders import story

    from marsad.records import SummarySentence

    summary = (SummarySentence("استقال بلاتر في الثاني من يونيو.", ("a",), "2015-06-02"),
               SummarySentence("حدد الفيفا موعد الانتخابات.", ("a",), "2015-07-20"),
               SummarySentence("وقال مسؤول إن المرشحين كثر.", ("a",), None))
    s = story(("a",), summary=summary, start="2015-07-14", end="2015-07-21")
    assert views._lead(s) == "حدد الفيفا موعد الانتخابات."
    assert views._lead(story(("a",), summary=summary[:1], start="2015-07-14")) == summary[0].text
    assert views._lead(story(("a",), summary=summary, start=None)) == summary[0].text
    assert views._lead(story(("a",), summary=())) is None


def test_storylines_page_lists_the_latest_storyline_first(tmp_path: Path) -> None:
    from marsad.records import Story, Storyline
    from marsad.store import Store

    with Store(tmp_path / "m.db") as store:
        with store.transaction():
            old = Story(id="s-old", headline="أ", article_ids=(), outlets=(), start="2015-07-01", end="2015-07-02")
            new = Story(id="s-new", headline="ب", article_ids=(), outlets=(), start="2015-07-20", end="2015-07-21")
            store.save_stories([old, new])
            # titles in the other order than the dates: the page used to be sorted by title
            store.save_storylines([Storyline("l-a", "أ قديم", ("s-old",)), Storyline("l-b", "ي جديد", ("s-new",))])
        page = views.storylines_page(store)
    assert [v.id for v in page.storylines] == ["l-b", "l-a"]
