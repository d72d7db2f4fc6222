"""Real-browser tests: Playwright (sync API) driving Debian's Chromium against the app served by uvicorn.

The story list, a story page and a search are checked as a reader sees them, on the sample corpus run
through the whole pipeline (the session-wide ``seeds_db`` fixture of conftest.py), and
the hostile article of the test database must show its markup as text without any dialog firing.
Screenshots (desktop and phone widths) go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import webdata

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = ROOT / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _require_browser() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but /usr/bin/chromium is missing: `make browser-deps` installs it")
        pytest.skip("browser tests need /usr/bin/chromium (apt-get install chromium, or `make browser-deps`)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")


class _Server:
    """uvicorn serving the app on a free loopback port, in a background thread."""

    def __init__(self, db: Path) -> None:
        import uvicorn

        from marsad.web.app import create_app

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "fixture.db"
    webdata.build(path)
    return path


@pytest.fixture(scope="session")
def corpus_db(seeds_db: Path) -> tuple[Path, bool]:
    """The sample corpus through the real pipeline (conftest's ``seeds_db``, built once per session)."""
    _require_browser()
    return seeds_db, True


@pytest.fixture(scope="session")
def corpus_site(corpus_db: tuple[Path, bool]) -> Iterator[str]:
    server = _Server(corpus_db[0])
    yield server.base
    server.stop()


@pytest.fixture(scope="session")
def fixture_site(fixture_db: Path) -> Iterator[str]:
    _require_browser()
    server = _Server(fixture_db)
    yield server.base
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _shots(browser: Any, url: str, name: str) -> None:
    """Full-page screenshots at desktop and phone widths."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        ctx = browser.new_context(viewport=size, locale="ar", device_scale_factor=1)
        page = ctx.new_page()
        page.goto(url)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
        ctx.close()


def _kim_story(base: str) -> dict[str, Any]:
    """The sample corpus' story of Kim's September 2023 visit: Kim in the headline, dated 2023, biggest."""
    import httpx

    stories = httpx.get(f"{base}/api/stories", params={"per_page": 100}, timeout=10).json()["stories"]
    of_2023 = [s for s in stories if (s["start"] or s["end"] or "").startswith("2023")]
    assert of_2023, [s["headline"] for s in stories]
    kim = [s for s in of_2023 if "كيم" in s["headline"] + (s["lead"] or "")] or of_2023
    return max(kim, key=lambda s: (s["n_articles"], s["n_outlets"]))


def test_story_list(browser: Any, corpus_site: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(corpus_site + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "القصص"
    cards = page.locator("article.card")
    assert cards.count() >= 2
    first = cards.first
    assert first.locator("h2 a").inner_text().strip()
    assert first.locator(".outlets .chip").count() >= 1
    assert "مقال" in first.locator(".count").inner_text()
    # the font stack is the Arabic one, and no horizontal scrolling at phone width
    assert "Naskh" in page.evaluate("getComputedStyle(document.body).fontFamily")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.close()
    _shots(browser, corpus_site + "/", "stories")


def test_kim_story_page(browser: Any, corpus_site: str, corpus_db: tuple[Path, bool]) -> None:
    story = _kim_story(corpus_site)
    url = f"{corpus_site}/stories/{story['id']}"
    page = browser.new_page(viewport=DESKTOP)
    page.goto(url)
    assert page.locator("h1").inner_text().strip() == story["headline"]
    assert page.locator(".story-head .outlets .chip").count() == story["n_outlets"]
    assert page.locator("#articles article.article").count() == story["n_articles"]
    full = page.evaluate("fetch(location.pathname.replace('/stories/', '/api/stories/')).then(r => r.json())")
    if full["summary"]:
        chip = page.locator("#summary .chip").first
        assert chip.is_visible()
        target = chip.get_attribute("href")
        assert target and target.startswith("#a-")
        chip.click()
        assert page.evaluate("location.hash") == target
        assert page.locator(target + " details").get_attribute("open") is not None  # app.js opens the text
    if full["timeline"]:
        svg = page.locator("svg.timeline.wide")
        assert svg.is_visible()
        days = {t["date"] for t in full["timeline"]}
        assert svg.locator("circle").count() == len(days)  # one bubble per day
        assert page.locator(".events li.event").count() == len(full["timeline"])
        svg.locator("a").first.click()  # a bubble leads to its day's happenings
        assert page.evaluate("location.hash") == "#d-" + min(days)
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.close()
    _shots(browser, url, "story-kim-2023")


def test_search_highlights(browser: Any, corpus_site: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(corpus_site + "/")
    page.fill("#top-q", "بوتين")
    page.press("#top-q", "Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator("ol.results li.result").count() >= 1
    marks = page.locator("mark")
    assert marks.count() >= 1
    assert all("بوتين" in t for t in marks.all_inner_texts())
    bg = page.evaluate("getComputedStyle(document.querySelector('mark')).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")
    page.close()
    _shots(browser, corpus_site + "/search?q=" + "بوتين", "search")


def test_hostile_article_is_text(browser: Any, fixture_site: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(fixture_site + "/stories/s-kim")
    art = page.locator("#a-a-kim3")
    art.locator("summary").click()
    text = art.locator("details").inner_text()
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert art.locator("img").count() == 0 and art.locator("script").count() == 0
    assert page.locator("script").count() == 1  # the app's own
    # the non-http "url" is shown as text, never a link
    assert art.locator("a[href^='javascript']").count() == 0
    assert "javascript:alert(1)" in art.locator(".orig").inner_text()
    # the timeline SVG draws the three happenings
    assert page.locator("svg.timeline.wide circle").count() == 3
    page.goto(fixture_site + "/search?q=alert")
    page.wait_for_timeout(200)
    assert dialogs == [] and errors == []
    page.close()
    _shots(browser, fixture_site + "/stories/s-kim", "story-fixture")


def test_reading_without_javascript(browser: Any, fixture_site: str) -> None:
    ctx = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = ctx.new_page()
    page.goto(fixture_site + "/stories/s-kim")
    assert page.locator("h1").inner_text() == "كيم جونغ أون يزور روسيا ويلتقي بوتين"
    assert page.locator("#summary li").count() == 3
    page.locator("#a-a-kim1 summary").click()  # <details> opens natively
    assert page.locator("#a-a-kim1 details p").first.is_visible()
    ctx.close()
