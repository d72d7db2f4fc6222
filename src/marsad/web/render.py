"""Jinja2 rendering shared by the server and the static report, and the two ways of building links."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2

from .views import safe_name

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
SITE_NAME = "مَرصد"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The template environment: autoescape on for every template (data is never marked safe)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["site_name"] = SITE_NAME
    env.globals["count"] = count
    return env


_COUNT_FORMS = {
    "article": ("مقال واحد", "مقالان", "مقالات", "مقالًا"),
    "outlet": ("مصدر واحد", "مصدران", "مصادر", "مصدرًا"),
    "story": ("قصة واحدة", "قصتان", "قصص", "قصة"),
    "result": ("نتيجة واحدة", "نتيجتان", "نتائج", "نتيجة"),
    "event": ("حدث واحد", "حدثان", "أحداث", "حدثًا"),
    "day": ("يوم واحد", "يومان", "أيام", "يومًا"),
    "name": ("اسم واحد", "اسمان", "أسماء", "اسمًا"),
    "mention": ("ذكر واحد", "ذكران", "مرات ذكر", "مرة ذكر"),
}


_DUAL_GENITIVE = {
    "article": "مقالين",
    "outlet": "مصدرين",
    "story": "قصتين",
    "result": "نتيجتين",
    "event": "حدثين",
    "day": "يومين",
    "name": "اسمين",
    "mention": "ذكرين",
}


def count(n: int, noun: str, after_preposition: bool = False) -> str:
    """An Arabic count phrase: 1 → «مقال واحد», 2 → «مقالان» («مقالين» after a preposition such as
    من or في), 3–10 → «3 مقالات», 11+ → «11 مقالًا»."""
    one, two, few, many = _COUNT_FORMS[noun]
    if n == 1:
        return one
    if n == 2:
        return _DUAL_GENITIVE[noun] if after_preposition else two
    if n == 0 or 3 <= n % 100 <= 10:
        return f"{n} {few}"
    return f"{n} {many}"


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


class ServerUrls:
    """Links of the live app (absolute paths)."""

    static_site = False

    def home(self) -> str:
        return "/"

    def stories(self, **params: Any) -> str:
        clean = {k: v for k, v in params.items() if v not in (None, "") and not (k == "page" and v == 1)}
        return "/" + ("?" + urlencode(clean) if clean else "")

    def story(self, story_id: str) -> str:
        return f"/stories/{quote(story_id, safe='')}"

    def article(self, article_id: str, story_id: str | None = None) -> str:
        if story_id:
            return f"{self.story(story_id)}#a-{article_id}"
        return f"/articles/{quote(article_id, safe='')}"

    def entity(self, entity_id: str, page: int = 1) -> str:
        base = f"/entities/{quote(entity_id, safe='')}"
        return base if page == 1 else f"{base}?page={page}"

    def entities(self) -> str:
        return "/entities"

    def outlet(self, name: str, slug: str | None = None, page: int = 1) -> str:
        base = f"/outlets/{quote(name, safe='')}"
        return base if page == 1 else f"{base}?page={page}"

    def outlets(self) -> str:
        return "/outlets"

    def storyline(self, storyline_id: str) -> str:
        return f"/storylines/{quote(storyline_id, safe='')}"

    def storylines(self) -> str:
        return "/storylines"

    def search(self, q: str | None = None, page: int = 1) -> str:
        if not q:
            return "/search"
        params: dict[str, Any] = {"q": q}
        if page != 1:
            params["page"] = page
        return "/search?" + urlencode(params)

    def static(self, name: str) -> str:
        return f"/static/{name}"

    def api(self, path: str) -> str:
        return f"/api/{path}"


class ReportUrls:
    """Links of the static report: relative, so the pages open from disk. ``depth`` is how many
    folders below the report root the page being written lies."""

    static_site = True

    def __init__(self, depth: int = 0) -> None:
        self.root = "../" * depth

    def home(self) -> str:
        return f"{self.root}index.html"

    def stories(self, **params: Any) -> str:
        page = int(params.get("page") or 1)
        return f"{self.root}index.html" if page == 1 else f"{self.root}index-{page}.html"

    def story(self, story_id: str) -> str:
        return f"{self.root}stories/{safe_name(story_id)}.html"

    def article(self, article_id: str, story_id: str | None = None) -> str:
        if story_id:
            return f"{self.story(story_id)}#a-{article_id}"
        return f"{self.root}index.html"

    def entity(self, entity_id: str, page: int = 1) -> str:
        suffix = "" if page == 1 else f"-{page}"
        return f"{self.root}entities/{safe_name(entity_id)}{suffix}.html"

    def entities(self) -> str:
        return f"{self.root}entities/index.html"

    def outlet(self, name: str, slug: str | None = None, page: int = 1) -> str:
        suffix = "" if page == 1 else f"-{page}"
        return f"{self.root}outlets/{slug or safe_name(name)}{suffix}.html"

    def outlets(self) -> str:
        return f"{self.root}outlets/index.html"

    def storyline(self, storyline_id: str) -> str:
        return f"{self.root}storylines/{safe_name(storyline_id)}.html"

    def storylines(self) -> str:
        return f"{self.root}storylines/index.html"

    def search(self, q: str | None = None, page: int = 1) -> str:
        return f"{self.root}index.html"

    def static(self, name: str) -> str:
        return f"{self.root}static/{name}"

    def api(self, path: str) -> str:
        return ""
