"""The static report: the web app's pages written as HTML files that open from disk.

Layout: ``index.html`` (+ ``index-2.html``… for long story lists), ``stories/<id>.html``,
``entities/index.html`` and ``entities/<id>.html``, ``outlets/index.html`` and ``outlets/<slug>.html``,
``storylines/index.html`` and ``storylines/<id>.html``, ``static/`` (CSS, JS). Every link is relative.
There is no search page (no server); the story list has a small client-side filter instead.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

from ..store import Store
from . import views
from .render import STATIC, ReportUrls, render

LOGGER = logging.getLogger(__name__)

STORIES_PER_PAGE = 50
ARTICLES_PER_PAGE = 100


class _Writer:
    def __init__(self, out_dir: Path) -> None:
        self.out = out_dir
        self.pages = 0

    def write(self, rel: str, template: str, **context: Any) -> None:
        depth = rel.count("/")
        html = render(template, urls=ReportUrls(depth), q="", **context)
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        self.pages += 1


def write_report(db_path: str, out_dir: Path) -> int:
    """Write every page of the store at ``db_path`` under ``out_dir``; returns the number of pages."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    w = _Writer(out_dir)
    with Store(db_path, readonly=True) as store:
        # Story list, paginated.
        page = 1
        story_ids: list[str] = []
        while True:
            data = views.story_list(store, page=page, per_page=STORIES_PER_PAGE)
            story_ids.extend(c.id for c in data.stories)
            w.write("index.html" if page == 1 else f"index-{page}.html", "stories.html", data=data)
            if data.pagination.next is None:
                break
            page += 1
        for sid in story_ids:
            s = views.story_page(store, sid)
            w.write(f"stories/{views.safe_name(sid)}.html", "story.html", s=s)
        # Entities: the index lists the most mentioned; every entity named in a story gets a page.
        w.write("entities/index.html", "entities.html", entities=views.entities_page(store))
        for e in store.entities():
            page = 1
            while True:
                ev = views.entity_page(store, e.id, page=page, per_page=STORIES_PER_PAGE)
                suffix = "" if page == 1 else f"-{page}"
                w.write(f"entities/{views.safe_name(e.id)}{suffix}.html", "entity.html", e=ev)
                if ev.pagination.next is None:
                    break
                page += 1
        # Outlets.
        outlets = views.outlets_page(store)
        w.write("outlets/index.html", "outlets.html", o=outlets)
        for ref in outlets.outlets:
            page = 1
            while True:
                ov = views.outlet_page(store, ref.name, page=page, per_page=ARTICLES_PER_PAGE)
                suffix = "" if page == 1 else f"-{page}"
                w.write(f"outlets/{ref.slug}{suffix}.html", "outlet.html", o=ov)
                if ov.pagination.next is None:
                    break
                page += 1
        # Storylines.
        lines = views.storylines_page(store)
        w.write("storylines/index.html", "storylines.html", data=lines)
        for sl in lines.storylines:
            w.write(f"storylines/{views.safe_name(sl.id)}.html", "storyline.html", sl=sl)
    static_out = out_dir / "static"
    static_out.mkdir(exist_ok=True)
    for f in STATIC.iterdir():
        if f.is_file():
            shutil.copyfile(f, static_out / f.name)
    LOGGER.info("report: %d pages written to %s", w.pages, out_dir)
    return w.pages
