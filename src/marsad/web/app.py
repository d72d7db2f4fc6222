"""The web app: every page as HTML (Jinja2, RTL Arabic) and as JSON under ``/api/``.

Handlers are thin: they call a builder in :mod:`marsad.web.views` and render its model, or return it
as JSON. Errors have one shape in the API (``{"error": {"status", "code", "message"}}``) and a
friendly Arabic page in HTML. Each worker thread reads through its own read-only :class:`Store`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..store import Store
from . import views
from .render import STATIC, ServerUrls, render
from .schemas import (
    ArticleView,
    EntityRef,
    EntityView,
    ErrorResponse,
    OutletsView,
    OutletView,
    SearchView,
    StorylinesView,
    StorylineView,
    StoryList,
    StoryView,
)

LOGGER = logging.getLogger(__name__)

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
        b" form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]

ERROR_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 422: "invalid_request"}
ERROR_TEXT_AR = {
    404: ("الصفحة غير موجودة", "لم نجد ما تبحث عنه. ربما تغيّر الرابط أو حُذفت القصة."),
    422: ("طلب غير صالح", "في الرابط قيمة غير صالحة (تاريخ أو رقم صفحة). صحّحها وحاول مجددًا."),
    405: ("طريقة غير مسموحة", "هذه الصفحة للقراءة فقط."),
    500: ("حدث خطأ", "حدث خطأ غير متوقع أثناء تحضير الصفحة."),
}

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
PageQ = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1.")]
PerPageQ = Annotated[int, Query(ge=1, le=views.MAX_PER_PAGE, description="Items per page (1–100).")]


class SecurityHeaders:
    """ASGI middleware adding the security headers to every response."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _Stores:
    """One read-only connection per worker thread."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.local = threading.local()

    def get(self) -> Store:
        store = getattr(self.local, "store", None)
        if store is None:
            store = Store(self.path, readonly=True)
            self.local.store = store
        return store


def _store(request: Request) -> Store:
    stores: _Stores = request.app.state.stores
    return stores.get()


StoreDep = Annotated[Store, Depends(_store)]


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path in ("/api", "/openapi.json")


def _error(request: Request, status: int, message: str, code: str | None = None) -> Response:
    code = code or ERROR_CODES.get(status, "error" if status < 500 else "internal_error")
    if _wants_json(request):
        body = ErrorResponse.model_validate({"error": {"status": status, "code": code, "message": message}})
        return JSONResponse(body.model_dump(), status_code=status)
    title, text = ERROR_TEXT_AR.get(status, ERROR_TEXT_AR[500] if status >= 500 else ("خطأ", message))
    html = render("error.html", urls=ServerUrls(), status=status, title=title, text=text, detail=message, q="")
    return HTMLResponse(html, status_code=status)


def create_app(db_path: str) -> FastAPI:
    """The FastAPI app reading the marsad database at ``db_path`` (opened read-only)."""
    Store(db_path, readonly=True).close()  # fail now, with the store's message, if it is not usable
    urls = ServerUrls()
    app = FastAPI(
        title="marsad",
        summary="Arabic news stories across outlets: cited summaries, timelines, entities, outlets, search.",
        version="1",
        docs_url=None,  # the Swagger UI loads scripts from a CDN; /openapi.json is served
        redoc_url=None,
        responses={404: {"model": ErrorResponse}, 422: {"model": ErrorResponse}},
    )
    app.state.stores = _Stores(db_path)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path"))
            parts.append(f"{where}: {e.get('msg')}" if where else str(e.get("msg")))
        return _error(request, 422, "; ".join(parts) or "invalid request")

    @app.exception_handler(views.NotFound)
    async def not_found(request: Request, exc: views.NotFound) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        LOGGER.exception("error serving %s", request.url.path)
        return _error(request, 500, "internal error")

    def page(template: str, **context: Any) -> HTMLResponse:
        return HTMLResponse(render(template, urls=urls, **context))

    # -- JSON API -------------------------------------------------------------------------------------
    @app.get("/api/stories", response_model=StoryList, tags=["api"])
    def api_stories(
        st: StoreDep,
        page: PageQ = 1,
        per_page: PerPageQ = views.DEFAULT_PER_PAGE,
        date_from: Annotated[str | None, Query(alias="from", pattern=DATE_PATTERN)] = None,
        date_to: Annotated[str | None, Query(alias="to", pattern=DATE_PATTERN)] = None,
        outlet: str | None = None,
        entity: str | None = None,
    ) -> StoryList:
        """Stories, newest and biggest first, filtered by date range, outlet and entity id."""
        return views.story_list(
            st, page=page, per_page=per_page, date_from=date_from, date_to=date_to, outlet=outlet, entity=entity
        )

    @app.get("/api/stories/{story_id}", response_model=StoryView, tags=["api"])
    def api_story(story_id: str, st: StoreDep) -> StoryView:
        """One story: cited summary, timeline, entities, outlet comparison and its articles."""
        return views.story_page(st, story_id)

    @app.get("/api/articles/{article_id}", response_model=ArticleView, tags=["api"])
    def api_article(article_id: str, st: StoreDep) -> ArticleView:
        return views.article_page(st, article_id)

    @app.get("/api/entities", response_model=list[EntityRef], tags=["api"])
    def api_entities(st: StoreDep) -> list[EntityRef]:
        """The most mentioned people, places and organisations."""
        return views.entities_page(st)

    @app.get("/api/entities/{entity_id}", response_model=EntityView, tags=["api"])
    def api_entity(entity_id: str, st: StoreDep, page: PageQ = 1, per_page: PerPageQ = 20) -> EntityView:
        """An entity, its stories and the entities named alongside it."""
        return views.entity_page(st, entity_id, page=page, per_page=per_page)

    @app.get("/api/outlets", response_model=OutletsView, tags=["api"])
    def api_outlets(st: StoreDep) -> OutletsView:
        return views.outlets_page(st)

    @app.get("/api/outlets/{name}", response_model=OutletView, tags=["api"])
    def api_outlet(name: str, st: StoreDep, page: PageQ = 1, per_page: PerPageQ = 20) -> OutletView:
        """An outlet's articles (newest first) and its latest stories."""
        return views.outlet_page(st, name, page=page, per_page=per_page)

    @app.get("/api/search", response_model=SearchView, tags=["api"])
    def api_search(
        st: StoreDep,
        q: Annotated[str, Query(max_length=200)] = "",
        page: PageQ = 1,
        per_page: PerPageQ = 20,
    ) -> SearchView:
        """Full-text search: every word must occur, in any hamza/diacritics spelling, with or without a
        clitic prefix; snippets come as segments, ``mark`` true on the matched words."""
        return views.search_page(st, q, page=page, per_page=per_page)

    @app.get("/api/storylines", response_model=StorylinesView, tags=["api"])
    def api_storylines(st: StoreDep) -> StorylinesView:
        return views.storylines_page(st)

    @app.get("/api/storylines/{storyline_id}", response_model=StorylineView, tags=["api"])
    def api_storyline(storyline_id: str, st: StoreDep) -> StorylineView:
        return views.storyline_page(st, storyline_id)

    @app.get("/api", include_in_schema=False)
    @app.get("/api/", include_in_schema=False)
    def api_index() -> dict[str, Any]:
        return {
            "openapi": "/openapi.json",
            "endpoints": [r for r in sorted({getattr(x, "path", "") for x in app.routes}) if r.startswith("/api/")],
        }

    @app.get("/api/{rest:path}", include_in_schema=False)
    def api_unknown(rest: str) -> None:
        raise StarletteHTTPException(404, f"no API endpoint /api/{rest}")

    # -- HTML pages -----------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(
        st: StoreDep,
        page: PageQ = 1,
        per_page: PerPageQ = views.DEFAULT_PER_PAGE,
        date_from: Annotated[str | None, Query(alias="from")] = None,
        date_to: Annotated[str | None, Query(alias="to")] = None,
        outlet: str | None = None,
        entity: str | None = None,
    ) -> HTMLResponse:
        data = views.story_list(
            st, page=page, per_page=per_page, date_from=date_from, date_to=date_to, outlet=outlet, entity=entity
        )
        return page_(data)

    def page_(data: StoryList) -> HTMLResponse:
        return page("stories.html", data=data, q="")

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_html(story_id: str, st: StoreDep) -> HTMLResponse:
        return page("story.html", s=views.story_page(st, story_id), q="")

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_html(article_id: str, st: StoreDep) -> HTMLResponse:
        return page("article.html", a=views.article_page(st, article_id), q="")

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_html(st: StoreDep) -> HTMLResponse:
        return page("entities.html", entities=views.entities_page(st), q="")

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity_html(
        entity_id: str, st: StoreDep, page_n: Annotated[int, Query(alias="page", ge=1)] = 1
    ) -> HTMLResponse:
        return page("entity.html", e=views.entity_page(st, entity_id, page=page_n), q="")

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_html(st: StoreDep) -> HTMLResponse:
        return page("outlets.html", o=views.outlets_page(st), q="")

    @app.get("/outlets/{name}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_html(name: str, st: StoreDep, page_n: Annotated[int, Query(alias="page", ge=1)] = 1) -> HTMLResponse:
        return page("outlet.html", o=views.outlet_page(st, name, page=page_n), q="")

    @app.get("/storylines", response_class=HTMLResponse, include_in_schema=False)
    def storylines_html(st: StoreDep) -> HTMLResponse:
        return page("storylines.html", data=views.storylines_page(st), q="")

    @app.get("/storylines/{storyline_id}", response_class=HTMLResponse, include_in_schema=False)
    def storyline_html(storyline_id: str, st: StoreDep) -> HTMLResponse:
        return page("storyline.html", sl=views.storyline_page(st, storyline_id), q="")

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_html(
        st: StoreDep,
        q: Annotated[str, Query(max_length=200)] = "",
        page_n: Annotated[int, Query(alias="page", ge=1)] = 1,
    ) -> HTMLResponse:
        return page("search.html", r=views.search_page(st, q, page=page_n), q=q)

    return app
