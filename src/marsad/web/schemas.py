"""Pydantic models of every page's data: the JSON API returns them and the templates render them."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Page(BaseModel):
    """Pagination of a list: ``next``/``prev`` are page numbers (``None`` at the ends)."""

    page: int
    per_page: int
    total: int
    pages: int
    next: int | None = None
    prev: int | None = None


class OutletRef(BaseModel):
    name: str
    slug: str


class SourceChip(BaseModel):
    """One cited article: the outlet that published it and the article's anchor/id."""

    article_id: str
    outlet: str
    slug: str
    label: str  # outlet name, numbered when an outlet has several articles in the story


class StoryCard(BaseModel):
    """A story in a list."""

    id: str
    headline: str
    lead: str | None = None  # first summary sentence
    start: str | None = None
    end: str | None = None
    dates: str = ""  # human-readable date range in Arabic
    n_articles: int
    n_outlets: int
    outlets: list[OutletRef]
    storyline_id: str | None = None
    storyline_title: str | None = None


class EntityRef(BaseModel):
    id: str
    name: str
    type: str
    type_label: str
    variants: list[str] = Field(default_factory=list)
    mentions: int = 0


class FilterOption(BaseModel):
    value: str
    label: str


class StoryListFilters(BaseModel):
    date_from: str | None = None
    date_to: str | None = None
    outlet: str | None = None
    entity: str | None = None
    entity_name: str | None = None


class StoryList(BaseModel):
    stories: list[StoryCard]
    pagination: Page
    filters: StoryListFilters
    outlets: list[FilterOption]
    entities: list[FilterOption]
    date_min: str | None = None
    date_max: str | None = None
    n_stories_total: int
    n_articles_total: int


class Fact(BaseModel):
    """A summary sentence or a timeline happening, with the articles (outlets) that report it."""

    kind: str  # "summary" | "timeline"
    text: str
    date: str | None = None
    date_label: str | None = None
    sources: list[SourceChip]


class TimelinePoint(BaseModel):
    """One day of the timeline: a bubble sized by how many happenings it holds."""

    date: str
    date_label: str
    count: int
    x: float
    y: float
    r: float
    anchor: str  # id of the day's heading in the list of happenings
    text: str  # the day's happenings, for the tooltip


class TimelineTick(BaseModel):
    x: float
    label: str


class TimelineChart(BaseModel):
    """Geometry of the server-drawn SVG timeline (viewBox 0 0 width height)."""

    width: int
    height: int
    axis_y: float
    x_start: float
    x_end: float
    points: list[TimelinePoint]
    ticks: list[TimelineTick]


class MatrixRow(BaseModel):
    fact: str
    kind: str
    date_label: str | None = None
    cells: list[bool]  # one per outlet in ``Comparison.outlets``


class Comparison(BaseModel):
    outlets: list[OutletRef]
    rows: list[MatrixRow]
    counts: list[int]  # facts each outlet reported


class Signal(BaseModel):
    name: str
    label: str
    value: float


class Why(BaseModel):
    score: float
    nearest_id: str | None = None
    nearest_title: str | None = None
    nearest_outlet: str | None = None
    signals: list[Signal]
    first: bool = False  # the article that started the story


class ArticleView(BaseModel):
    id: str
    title: str | None = None
    heading: str = ""  # the title, or the opening words of the text when there is none
    outlet: str | None = None
    slug: str | None = None
    label: str | None = None
    page_outlet: str | None = None  # no outlet of its own: the outlet of the page it was appended to
    published: str | None = None
    published_label: str | None = None
    published_how: str | None = None
    url: str | None = None  # only http(s) links
    source: str  # the input path or URL as text
    paragraphs: list[str]
    subheadings: list[int] = Field(default_factory=list)
    captions: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    duplicate_of: str | None = None
    story_id: str | None = None
    story_headline: str | None = None
    why: Why | None = None
    entities: list[EntityRef] = Field(default_factory=list)


class StoryView(BaseModel):
    id: str
    headline: str
    start: str | None = None
    end: str | None = None
    dates: str = ""
    n_articles: int
    outlets: list[OutletRef]
    storyline_id: str | None = None
    storyline_title: str | None = None
    summary: list[Fact]
    timeline: list[Fact]
    chart: TimelineChart | None = None  # for wide screens
    chart_narrow: TimelineChart | None = None  # the same, drawn for phones
    entities: list[EntityRef]
    comparison: Comparison
    articles: list[ArticleView]


class EntityView(BaseModel):
    entity: EntityRef
    n_stories: int
    stories: list[StoryCard]
    pagination: Page
    related: list[EntityRef]
    related_counts: list[int]


class OutletView(BaseModel):
    outlet: OutletRef
    n_articles: int
    n_stories: int
    stories: list[StoryCard]
    articles: list[ArticleView]
    pagination: Page  # of the articles


class OutletsView(BaseModel):
    outlets: list[OutletRef]
    articles: list[int]
    stories: list[int]


class Segment(BaseModel):
    """A piece of a snippet; ``mark`` pieces are the words that matched the query."""

    text: str
    mark: bool = False


class SearchResult(BaseModel):
    article_id: str
    title: str | None = None
    title_segments: list[Segment]
    outlet: str | None = None
    slug: str | None = None
    published: str | None = None
    published_label: str | None = None
    story_id: str | None = None
    story_headline: str | None = None
    snippet: list[Segment]


class SearchView(BaseModel):
    query: str
    results: list[SearchResult]
    pagination: Page


class StorylineView(BaseModel):
    id: str
    title: str
    stories: list[StoryCard]


class StorylinesView(BaseModel):
    storylines: list[StorylineView]


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str


class ErrorResponse(BaseModel):
    """The one error shape of the API (HTTP errors and validation errors alike)."""

    error: ErrorBody
