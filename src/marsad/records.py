"""The records that flow through marsad's stages.

Every record is a frozen, slotted dataclass of plain, serialisable fields (str, int, float, bool,
None and tuples of those or of other records), so the same values go to SQLite, JSON and Spark.
Stages never mutate a record: they return new ones (``dataclasses.replace``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EntityType = Literal["PER", "LOC", "ORG", "MISC"]
Grain = Literal["day", "month", "year"]


@dataclass(frozen=True, slots=True)
class Document:
    """One input document as read from disk, before cleaning.

    ``content`` is the decoded text (``content_type == "text"``) or the HTML source
    (``content_type == "html"``). ``id`` is a stable hash of the content (see ``ingest.document_id``).
    """

    id: str
    source: str  # input path (``archive.zip!member``, ``file.json#3``) or URL
    content: str
    content_type: Literal["text", "html"] = "text"
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # YYYY-MM-DD from the input record, if any
    url: str | None = None
    author: str | None = None
    encoding: str = "utf-8"


@dataclass(frozen=True, slots=True)
class Article:
    """One real article cut out of a page, cleaned, with its metadata kept apart from its body."""

    id: str
    doc_id: str
    index: int  # position of the article in its page (0 = the main article)
    source: str
    title: str | None
    paragraphs: tuple[str, ...]  # body paragraphs (subheadings kept as their own paragraphs)
    outlet: str | None = None
    published: str | None = None  # YYYY-MM-DD
    published_how: str | None = None  # "input", "dateline", "meta", "inferred" or None
    url: str | None = None
    captions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # headlines of related articles, kept as links, not as body text
    subheadings: tuple[int, ...] = ()  # indexes into ``paragraphs`` that are subheadings
    duplicate_of: str | None = None

    @property
    def text(self) -> str:
        """The cleaned body: paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True, slots=True)
class EntityMention:
    """A name found in an article: its surface form as written (clitics removed) and its type."""

    article_id: str
    start: int  # character offsets into ``Article.text``
    end: int
    text: str  # surface form without clitics
    type: EntityType
    entity_id: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """One person, place or organisation, with every spelling the corpus uses for it."""

    id: str
    name: str  # display name: the most complete common spelling
    type: EntityType
    variants: tuple[str, ...]
    mentions: int
    key: str = ""  # transliteration-aware matching key
    # ids of stored entities this one absorbs (set by ``entities.unify`` when a batch shows two stored
    # entities to be one; the store moves their mentions here and drops them). Not stored.
    merged: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression resolved against a reference date."""

    text: str
    start: int
    end: int
    value: str  # YYYY-MM-DD (first day of the month/year for coarser grains)
    grain: Grain
    article_id: str | None = None


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One sentence of a story's summary and every article that supports it."""

    text: str
    sources: tuple[str, ...]  # article ids; the first is the article the text was taken from
    date: str | None = None


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """A dated happening of a story, merged across the outlets that report it."""

    date: str  # YYYY-MM-DD
    text: str
    sources: tuple[str, ...]  # article ids
    grain: Grain = "day"


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why an article joined its story: the nearest member, the score and each signal's part."""

    article_id: str
    story_id: str
    nearest_id: str | None
    score: float
    signals: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Story:
    """Coverage of one happening across outlets."""

    id: str
    headline: str
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...] = ()
    storyline_id: str | None = None
    start: str | None = None
    end: str | None = None
    summary: tuple[SummarySentence, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    entity_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Storyline:
    """Stories that continue one another, under one title."""

    id: str
    title: str
    story_ids: tuple[str, ...] = field(default_factory=tuple)


def to_dict(record: Any) -> dict[str, Any]:
    """A record as a plain dict (tuples become lists when serialised to JSON)."""
    return asdict(record)


def stable_id(prefix: str, *parts: str, length: int = 16) -> str:
    """A stable, content-derived id such as ``a-3f9c0e1b2d4a5f60`` (blake2b of the parts)."""
    import hashlib

    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return f"{prefix}-{h.hexdigest()[:length]}"
