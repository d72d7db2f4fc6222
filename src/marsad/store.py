"""The SQLite store: the only module that speaks SQL.

One file (default ``./marsad.db``), WAL mode, a schema version with forward migrations, writes in
transactions (an interrupted run leaves the database as it was before the batch), and an FTS5 index
over the match form of every article's title and body, with a light clitic prefix removed from each word
so that "بوتين" also finds "وبوتين" and "لبوتين".
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import arabic
from .errors import StoreError
from .records import (
    Article,
    DateMention,
    Document,
    Entity,
    EntityMention,
    Explanation,
    Story,
    Storyline,
    SummarySentence,
    TimelineEvent,
)

LOGGER = logging.getLogger(__name__)

DEFAULT_DB = "marsad.db"

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE documents (
            id TEXT PRIMARY KEY, source TEXT NOT NULL, content_type TEXT NOT NULL, title TEXT,
            outlet TEXT, published TEXT, url TEXT, author TEXT, encoding TEXT, content TEXT NOT NULL,
            ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
        );
        CREATE TABLE articles (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL REFERENCES documents(id), idx INTEGER NOT NULL,
            source TEXT NOT NULL, outlet TEXT, title TEXT, paragraphs TEXT NOT NULL, published TEXT,
            published_how TEXT, url TEXT, captions TEXT NOT NULL DEFAULT '[]', keywords TEXT NOT NULL DEFAULT '[]',
            related TEXT NOT NULL DEFAULT '[]', subheadings TEXT NOT NULL DEFAULT '[]', duplicate_of TEXT,
            story_id TEXT
        );
        CREATE INDEX articles_story ON articles(story_id);
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE INDEX articles_published ON articles(published);
        CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, tokenize='unicode61 remove_diacritics 2');
        CREATE TABLE stories (
            id TEXT PRIMARY KEY, headline TEXT NOT NULL, outlets TEXT NOT NULL DEFAULT '[]',
            storyline_id TEXT, start TEXT, end TEXT, n_articles INTEGER NOT NULL DEFAULT 0,
            summary TEXT NOT NULL DEFAULT '[]', timeline TEXT NOT NULL DEFAULT '[]',
            entity_ids TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX stories_end ON stories(end);
        CREATE TABLE storylines (id TEXT PRIMARY KEY, title TEXT NOT NULL);
        CREATE TABLE explanations (
            article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, nearest_id TEXT, score REAL NOT NULL,
            signals TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE entities (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, variants TEXT NOT NULL DEFAULT '[]',
            mentions INTEGER NOT NULL DEFAULT 0, key TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX entities_name ON entities(name);
        CREATE TABLE mentions (
            article_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
            type TEXT NOT NULL, entity_id TEXT, PRIMARY KEY (article_id, start, end)
        );
        CREATE INDEX mentions_entity ON mentions(entity_id);
        CREATE TABLE date_mentions (
            article_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
            value TEXT NOT NULL, grain TEXT NOT NULL, PRIMARY KEY (article_id, start, end)
        );
        CREATE TABLE state (name TEXT PRIMARY KEY, value BLOB);
        """,
    ),
]
MIGRATIONS.append(
    (
        2,
        """
        CREATE INDEX stories_recent ON stories(COALESCE(end, start, ''), n_articles);
        CREATE INDEX articles_outlet_published ON articles(outlet, published);
        """,
    )
)
MIGRATIONS.append(
    (
        3,
        """
        CREATE TABLE state_log (
            name TEXT NOT NULL, seq INTEGER NOT NULL, value BLOB NOT NULL, PRIMARY KEY (name, seq)
        );
        """,
    )
)
SCHEMA_VERSION = MIGRATIONS[-1][0]

_PREFIX_RE = re.compile(r"^(?:وبال|فبال|وال|فال|بال|كال|لل|ال|و|ف|ب|ل)(?=\w{3,})")


def strip_prefix(token: str) -> str:
    """A match-form word without a leading clitic (و ف ب ل ال وال بال لل ...) when 3+ letters remain."""
    return _PREFIX_RE.sub("", token)


def index_terms(text: str) -> str:
    """What the full-text index holds for ``text``: each match-form word, and its clitic-stripped form."""
    out: list[str] = []
    for token in arabic.match_tokens(text):
        out.append(token)
        stem = strip_prefix(token)
        if stem != token:
            out.append(stem)
    return " ".join(out)


def fts_query(query: str) -> str | None:
    """An FTS5 query for ``query``: every word must occur, as written or without its clitic prefix.
    Words are quoted, so no FTS5 syntax from the user gets through."""
    parts = []
    for token in arabic.match_tokens(query):
        forms = sorted({token, strip_prefix(token)})
        parts.append("(" + " OR ".join(f'"{f}"' for f in forms) + ")")
    return " AND ".join(parts) or None


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _select_in(conn: sqlite3.Connection, sql: str, ids: Sequence[str], chunk: int = 500) -> list[sqlite3.Row]:
    """Run ``sql`` (with ``{marks}`` where the ``IN (...)`` placeholders go) over ``ids`` in chunks."""
    rows: list[sqlite3.Row] = []
    ids = list(ids)
    for s in range(0, len(ids), chunk):
        part = ids[s : s + chunk]
        rows.extend(conn.execute(sql.format(marks=",".join("?" * len(part))), part))
    return rows


@dataclass(frozen=True, slots=True)
class SearchHit:
    article_id: str
    rank: float


class Store:
    """A marsad database. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, readonly: bool = False) -> None:
        self.path = str(path)
        self._live: dict[str, tuple[int, object]] = {}  # stage state objects kept in memory (see recall)
        try:
            if readonly:
                if not Path(self.path).exists():
                    raise StoreError(self.path, "database does not exist (run `marsad run PATHS --db ...` first)")
                uri = f"file:{Path(self.path).resolve()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA busy_timeout = 5000")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
            else:
                self._check_version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(self.path, f"not a usable marsad database: {exc}") from exc

    # -- lifecycle ------------------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _version(self) -> int:
        has_meta = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        if not has_meta:
            return 0
        row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _check_version(self) -> None:
        v = self._version()
        if v != SCHEMA_VERSION:
            raise StoreError(
                self.path, f"schema version {v}, expected {SCHEMA_VERSION}; open it read-write once to migrate"
            )

    def _migrate(self) -> None:
        current = self._version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                self.path, f"database schema {current} is newer than this marsad ({SCHEMA_VERSION}); upgrade marsad"
            )
        for version, sql in MIGRATIONS:
            if version <= current:
                continue
            with self.transaction():
                self.conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
                for statement in sql.split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(version),)
                )
            LOGGER.info("migrated %s to schema %d", self.path, version)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes inside happen or none do."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            self._live.clear()
            raise
        else:
            self.conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return self._version()

    # -- documents ------------------------------------------------------------------------------------
    def known_document_ids(self, ids: Iterable[str]) -> set[str]:
        return {r[0] for r in _select_in(self.conn, "SELECT id FROM documents WHERE id IN ({marks})", list(ids))}

    def add_documents(self, docs: Sequence[Document]) -> int:
        """Insert documents not yet stored; returns how many were new. Call inside a transaction."""
        before = self.conn.total_changes
        self.conn.executemany(
            "INSERT OR IGNORE INTO documents(id, source, content_type, title, outlet, published, url, author,"
            " encoding, content) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (d.id, d.source, d.content_type, d.title, d.outlet, d.published, d.url, d.author, d.encoding, d.content)
                for d in docs
            ],
        )
        return self.conn.total_changes - before

    def count(self, table: str) -> int:
        if table not in {"documents", "articles", "stories", "storylines", "entities", "mentions", "date_mentions"}:
            raise ValueError(f"unknown table {table}")
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    # -- articles -------------------------------------------------------------------------------------
    def add_articles(self, articles: Sequence[Article]) -> None:
        """Insert or update articles and their full-text index rows. Call inside a transaction."""
        for a in articles:
            row = self.conn.execute("SELECT rowid FROM articles WHERE id=?", (a.id,)).fetchone()
            values = (
                a.doc_id,
                a.index,
                a.source,
                a.outlet,
                a.title,
                _j(list(a.paragraphs)),
                a.published,
                a.published_how,
                a.url,
                _j(list(a.captions)),
                _j(list(a.keywords)),
                _j(list(a.related)),
                _j(list(a.subheadings)),
                a.duplicate_of,
            )
            if row is None:
                cur = self.conn.execute(
                    "INSERT INTO articles(doc_id, idx, source, outlet, title, paragraphs, published, published_how,"
                    " url, captions, keywords, related, subheadings, duplicate_of, id) VALUES"
                    " (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (*values, a.id),
                )
                rowid = cur.lastrowid
            else:
                rowid = row[0]
                self.conn.execute(
                    "UPDATE articles SET doc_id=?, idx=?, source=?, outlet=?, title=?, paragraphs=?, published=?,"
                    " published_how=?, url=?, captions=?, keywords=?, related=?, subheadings=?, duplicate_of=?"
                    " WHERE id=?",
                    (*values, a.id),
                )
                self.conn.execute("DELETE FROM articles_fts WHERE rowid=?", (rowid,))
            self.conn.execute(
                "INSERT INTO articles_fts(rowid, title, body) VALUES (?,?,?)",
                (rowid, index_terms(a.title or ""), index_terms(a.text)),
            )

    def update_article_fields(self, updates: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """Set simple columns (published, published_how, duplicate_of, story_id, outlet) on articles."""
        allowed = {"published", "published_how", "duplicate_of", "story_id", "outlet"}
        for article_id, fields in updates:
            bad = set(fields) - allowed
            if bad:
                raise ValueError(f"cannot update {sorted(bad)}")
            if not fields:
                continue
            sets = ", ".join(f"{k}=?" for k in fields)
            self.conn.execute(f"UPDATE articles SET {sets} WHERE id=?", (*fields.values(), article_id))

    @staticmethod
    def _article(row: sqlite3.Row) -> Article:
        return Article(
            id=row["id"],
            doc_id=row["doc_id"],
            index=row["idx"],
            source=row["source"],
            title=row["title"],
            paragraphs=tuple(json.loads(row["paragraphs"])),
            outlet=row["outlet"],
            published=row["published"],
            published_how=row["published_how"],
            url=row["url"],
            captions=tuple(json.loads(row["captions"])),
            keywords=tuple(json.loads(row["keywords"])),
            related=tuple(json.loads(row["related"])),
            subheadings=tuple(json.loads(row["subheadings"])),
            duplicate_of=row["duplicate_of"],
        )

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        """Articles by id (in the given order), or all of them in insertion order."""
        if ids is None:
            return [self._article(r) for r in self.conn.execute("SELECT * FROM articles ORDER BY rowid")]
        rows = _select_in(self.conn, "SELECT * FROM articles WHERE id IN ({marks})", ids)
        out = {r["id"]: self._article(r) for r in rows}
        return [out[i] for i in ids if i in out]

    def article(self, article_id: str) -> Article | None:
        found = self.articles([article_id])
        return found[0] if found else None

    def article_story_ids(self, ids: Sequence[str] | None = None) -> dict[str, str | None]:
        if ids is None:
            return {r[0]: r[1] for r in self.conn.execute("SELECT id, story_id FROM articles")}
        rows = _select_in(self.conn, "SELECT id, story_id FROM articles WHERE id IN ({marks})", ids)
        return {r[0]: r[1] for r in rows}

    def story_article_ids(self, story_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE story_id=? ORDER BY rowid", (story_id,))]

    def search(self, query: str, limit: int = 20, offset: int = 0) -> tuple[list[SearchHit], int]:
        """Full-text search on the match form; every query word must occur (in any hamza, diacritics or
        teh-marbuta spelling, with or without a clitic prefix). Returns hits and the total count."""
        return self.search_hits(query, limit, offset)

    # -- stories --------------------------------------------------------------------------------------
    def save_stories(self, stories: Sequence[Story]) -> None:
        """Insert or replace stories and point their articles at them. Call inside a transaction."""
        for s in stories:
            self.conn.execute(
                "INSERT OR REPLACE INTO stories(id, headline, outlets, storyline_id, start, end, n_articles, summary,"
                " timeline, entity_ids) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    s.id,
                    s.headline,
                    _j(list(s.outlets)),
                    s.storyline_id,
                    s.start,
                    s.end,
                    len(s.article_ids),
                    _j([{"text": x.text, "sources": list(x.sources), "date": x.date} for x in s.summary]),
                    _j(
                        [
                            {"date": t.date, "text": t.text, "sources": list(t.sources), "grain": t.grain}
                            for t in s.timeline
                        ]
                    ),
                    _j(list(s.entity_ids)),
                ),
            )
            self.conn.executemany("UPDATE articles SET story_id=? WHERE id=?", [(s.id, a) for a in s.article_ids])

    def delete_stories(self, ids: Iterable[str]) -> None:
        for sid in ids:
            self.conn.execute("DELETE FROM stories WHERE id=?", (sid,))
            self.conn.execute("UPDATE articles SET story_id=NULL WHERE story_id=?", (sid,))

    def remove_empty_stories(self, candidates: Iterable[str] | None = None) -> int:
        """Delete stories no article points at: among ``candidates`` (cheap: the stories a batch may
        have emptied), or all of them (a scan of every story)."""
        if candidates is None:
            cur = self.conn.execute(
                "DELETE FROM stories WHERE id NOT IN"
                " (SELECT DISTINCT story_id FROM articles WHERE story_id IS NOT NULL)"
            )
            return cur.rowcount
        before = self.conn.total_changes
        self.conn.executemany(
            "DELETE FROM stories WHERE id=? AND NOT EXISTS (SELECT 1 FROM articles WHERE story_id=?)",
            [(sid, sid) for sid in candidates],
        )
        return self.conn.total_changes - before

    def story_storyline_ids(self, ids: Sequence[str]) -> dict[str, str | None]:
        """Story id → its storyline id, for the stored stories among ``ids``."""
        rows = _select_in(self.conn, "SELECT id, storyline_id FROM stories WHERE id IN ({marks})", ids)
        return {r[0]: r[1] for r in rows}

    def _story(self, row: sqlite3.Row) -> Story:
        return Story(
            id=row["id"],
            headline=row["headline"],
            article_ids=tuple(self.story_article_ids(row["id"])),
            outlets=tuple(json.loads(row["outlets"])),
            storyline_id=row["storyline_id"],
            start=row["start"],
            end=row["end"],
            summary=tuple(
                SummarySentence(x["text"], tuple(x["sources"]), x.get("date")) for x in json.loads(row["summary"])
            ),
            timeline=tuple(
                TimelineEvent(t["date"], t["text"], tuple(t["sources"]), t.get("grain", "day"))
                for t in json.loads(row["timeline"])
            ),
            entity_ids=tuple(json.loads(row["entity_ids"])),
        )

    def story(self, story_id: str) -> Story | None:
        row = self.conn.execute("SELECT * FROM stories WHERE id=?", (story_id,)).fetchone()
        return self._story(row) if row else None

    def stories(self, limit: int | None = None, offset: int = 0) -> list[Story]:
        """Stories, newest and biggest first."""
        q = "SELECT * FROM stories ORDER BY COALESCE(end, start, '') DESC, n_articles DESC, id"
        params: tuple[Any, ...] = ()
        if limit is not None:
            q += " LIMIT ? OFFSET ?"
            params = (limit, offset)
        return [self._story(r) for r in self.conn.execute(q, params)]

    def story_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM stories ORDER BY id")]

    # -- storylines -----------------------------------------------------------------------------------
    def save_storylines(self, storylines: Sequence[Storyline], emptied: Iterable[str] | None = None) -> None:
        """Insert or replace storylines and point their stories at them, then delete storylines left
        without stories: among ``emptied`` (the storylines these stories or deleted ones were in), or
        all of them (a scan of every story)."""
        for sl in storylines:
            self.conn.execute("INSERT OR REPLACE INTO storylines(id, title) VALUES (?,?)", (sl.id, sl.title))
            self.conn.executemany("UPDATE stories SET storyline_id=? WHERE id=?", [(sl.id, s) for s in sl.story_ids])
        if emptied is None:
            self.conn.execute(
                "DELETE FROM storylines WHERE id NOT IN"
                " (SELECT DISTINCT storyline_id FROM stories WHERE storyline_id IS NOT NULL)"
            )
        else:
            self.conn.executemany(
                "DELETE FROM storylines WHERE id=? AND NOT EXISTS (SELECT 1 FROM stories WHERE storyline_id=?)",
                [(lid, lid) for lid in emptied],
            )

    def storylines(self) -> list[Storyline]:
        out = []
        for r in self.conn.execute("SELECT id, title FROM storylines ORDER BY title"):
            ids = tuple(
                x[0]
                for x in self.conn.execute("SELECT id FROM stories WHERE storyline_id=? ORDER BY start, id", (r[0],))
            )
            out.append(Storyline(r[0], r[1], ids))
        return out

    # -- explanations ---------------------------------------------------------------------------------
    def save_explanations(self, explanations: Sequence[Explanation]) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO explanations(article_id, story_id, nearest_id, score, signals) VALUES (?,?,?,?,?)",
            [(e.article_id, e.story_id, e.nearest_id, e.score, _j([list(s) for s in e.signals])) for e in explanations],
        )

    def explanations(self, article_ids: Sequence[str]) -> dict[str, Explanation]:
        out: dict[str, Explanation] = {}
        for aid in article_ids:
            r = self.conn.execute("SELECT * FROM explanations WHERE article_id=?", (aid,)).fetchone()
            if r:
                out[aid] = Explanation(
                    r["article_id"],
                    r["story_id"],
                    r["nearest_id"],
                    r["score"],
                    tuple((str(k), float(v)) for k, v in json.loads(r["signals"])),
                )
        return out

    # -- entities -------------------------------------------------------------------------------------
    def save_entities(self, entities: Sequence[Entity]) -> None:
        """Insert or replace ``entities``; the stored entities an entity has ``merged`` are dropped, their
        mentions and story entries moved to it (so no entity is counted twice)."""
        self.conn.executemany(
            "INSERT OR REPLACE INTO entities(id, name, type, variants, mentions, key) VALUES (?,?,?,?,?,?)",
            [(e.id, e.name, e.type, _j(list(e.variants)), e.mentions, e.key) for e in entities],
        )
        moved = {old: e.id for e in entities for old in e.merged if old != e.id}
        if not moved:
            return
        self.conn.executemany("UPDATE mentions SET entity_id = ? WHERE entity_id = ?",
                              [(new, old) for old, new in moved.items()])
        self.conn.executemany("DELETE FROM entities WHERE id = ?", [(old,) for old in moved])
        for old, new in moved.items():
            rows = list(self.conn.execute("SELECT id, entity_ids FROM stories WHERE entity_ids LIKE ?",
                                          (f'%"{old}"%',)))
            for r in rows:
                ids = [new if i == old else i for i in json.loads(r["entity_ids"])]
                self.conn.execute("UPDATE stories SET entity_ids = ? WHERE id = ?",
                                  (_j(list(dict.fromkeys(ids))), r["id"]))

    def entities(self, ids: Sequence[str] | None = None) -> list[Entity]:
        """Every entity, most mentioned first; or the entities of ``ids`` in the order of ``ids`` (unknown
        ids left out)."""
        if ids is None:
            rows = list(self.conn.execute("SELECT * FROM entities ORDER BY mentions DESC, id"))
        else:
            found = {r["id"]: r for r in _select_in(self.conn, "SELECT * FROM entities WHERE id IN ({marks})", ids)}
            rows = [found[i] for i in dict.fromkeys(ids) if i in found]
        return [
            Entity(r["id"], r["name"], r["type"], tuple(json.loads(r["variants"])), r["mentions"], r["key"])
            for r in rows
        ]

    def save_mentions(self, mentions: Sequence[EntityMention]) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO mentions(article_id, start, end, text, type, entity_id) VALUES (?,?,?,?,?,?)",
            [(m.article_id, m.start, m.end, m.text, m.type, m.entity_id) for m in mentions],
        )

    def mentions(self, article_ids: Sequence[str] | None = None) -> list[EntityMention]:
        if article_ids is None:
            rows = list(self.conn.execute("SELECT * FROM mentions ORDER BY article_id, start"))
        else:
            sql = "SELECT * FROM mentions WHERE article_id IN ({marks}) ORDER BY article_id, start"
            rows = _select_in(self.conn, sql, article_ids)
        return [
            EntityMention(r["article_id"], r["start"], r["end"], r["text"], r["type"], r["entity_id"]) for r in rows
        ]

    # -- dates ----------------------------------------------------------------------------------------
    def save_date_mentions(self, mentions: Sequence[DateMention]) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO date_mentions(article_id, start, end, text, value, grain) VALUES (?,?,?,?,?,?)",
            [(m.article_id, m.start, m.end, m.text, m.value, m.grain) for m in mentions],
        )

    def delete_date_mentions(self, article_ids: Sequence[str]) -> None:
        self.conn.executemany("DELETE FROM date_mentions WHERE article_id=?", [(a,) for a in article_ids])

    def date_mentions(self, article_ids: Sequence[str]) -> list[DateMention]:
        sql = "SELECT * FROM date_mentions WHERE article_id IN ({marks}) ORDER BY article_id, start"
        rows = _select_in(self.conn, sql, article_ids)
        return [DateMention(r["text"], r["start"], r["end"], r["value"], r["grain"], r["article_id"]) for r in rows]

    # -- stage state ----------------------------------------------------------------------------------
    # A stage's state is a snapshot (``state``) plus an append-only log of the changes made since
    # (``state_log``, one row per batch, replayed in order on load); writing a snapshot clears the log.
    # A process that keeps a stage's live object (``remember``) gets it back (``recall``) as long as
    # no other connection has written to the database in between.

    def get_state(self, name: str) -> bytes | None:
        row = self.conn.execute("SELECT value FROM state WHERE name=?", (name,)).fetchone()
        return bytes(row[0]) if row and row[0] is not None else None

    def put_state(self, name: str, value: bytes) -> None:
        """Write the snapshot of ``name`` (it covers the log, which is cleared). Call inside a transaction."""
        self._live.pop(name, None)
        self.conn.execute("INSERT OR REPLACE INTO state(name, value) VALUES (?,?)", (name, value))
        self.conn.execute("DELETE FROM state_log WHERE name=?", (name,))

    def state_size(self, name: str) -> int | None:
        """Bytes of the snapshot of ``name`` (None when there is none)."""
        row = self.conn.execute("SELECT LENGTH(value) FROM state WHERE name=?", (name,)).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def append_state_log(self, name: str, value: bytes) -> None:
        """Append one change record to the log of ``name``. Call inside a transaction."""
        self._live.pop(name, None)
        self.conn.execute(
            "INSERT INTO state_log(name, seq, value) VALUES"
            " (?, COALESCE((SELECT MAX(seq) FROM state_log WHERE name=?), 0) + 1, ?)",
            (name, name, value),
        )

    def state_log(self, name: str) -> list[bytes]:
        """The change records of ``name`` since its snapshot, oldest first."""
        rows = self.conn.execute("SELECT value FROM state_log WHERE name=? ORDER BY seq", (name,))
        return [bytes(r[0]) for r in rows]

    def state_log_size(self, name: str) -> tuple[int, int]:
        """(records, bytes) in the log of ``name``."""
        row = self.conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(value)), 0) FROM state_log WHERE name=?", (name,)
        ).fetchone()
        return int(row[0]), int(row[1])

    def _data_version(self) -> int:
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def remember(self, name: str, obj: object) -> None:
        """Keep the live object that matches the committed state of ``name`` (call after the commit)."""
        self._live[name] = (self._data_version(), obj)

    def recall(self, name: str) -> Any:
        """Take back the live object of ``name`` when the database has not changed under it, else None.

        The object is handed over (forgotten here): a caller that changes it and then fails must not
        leave a copy ahead of the database behind."""
        got = self._live.pop(name, None)
        if got is None or got[0] != self._data_version():
            return None
        return got[1]

    # -- web read queries (issue 8) -------------------------------------------------------------------
    # Read-only queries for the web app (``marsad.web``): filtered story lists with counts, entity,
    # outlet and storyline pages. Every value goes in as a parameter.

    @staticmethod
    def _story_filter(
        date_from: str | None, date_to: str | None, outlet: str | None, entity: str | None
    ) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if date_from:
            where.append("COALESCE(end, start) >= ?")
            params.append(date_from)
        if date_to:
            where.append("COALESCE(start, end) <= ?")
            params.append(date_to)
        if outlet:
            where.append("id IN (SELECT story_id FROM articles WHERE outlet = ? AND story_id IS NOT NULL)")
            params.append(outlet)
        if entity:
            where.append(
                "id IN (SELECT a.story_id FROM mentions m JOIN articles a ON a.id = m.article_id"
                " WHERE m.entity_id = ? AND a.story_id IS NOT NULL)"
            )
            params.append(entity)
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def filtered_stories(
        self,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        outlet: str | None = None,
        entity: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> tuple[list[Story], int]:
        """Stories (newest and biggest first) that overlap ``[date_from, date_to]`` and were covered by
        ``outlet`` / mention ``entity`` (an entity id); returns one page and the total count."""
        where, params = self._story_filter(date_from, date_to, outlet, entity)
        total = int(self.conn.execute(f"SELECT COUNT(*) FROM stories{where}", params).fetchone()[0])
        # Sort only the ids (the sorter would otherwise carry every summary and timeline), then read rows.
        ids = [
            r[0]
            for r in self.conn.execute(
                f"SELECT id FROM stories{where} ORDER BY COALESCE(end, start, '') DESC, n_articles DESC, id"
                " LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
        ]
        return self.stories_by_ids(ids), total

    def story_date_range(self) -> tuple[str | None, str | None]:
        """The earliest start and latest end over all stories."""
        row = self.conn.execute("SELECT MIN(COALESCE(start, end)), MAX(COALESCE(end, start)) FROM stories").fetchone()
        return (row[0], row[1]) if row else (None, None)

    def outlet_counts(self) -> list[tuple[str, int, int]]:
        """``(outlet, articles, stories)`` for every outlet, most articles first."""
        rows = self.conn.execute(
            "SELECT outlet, COUNT(*), COUNT(DISTINCT story_id) FROM articles WHERE outlet IS NOT NULL"
            " GROUP BY outlet ORDER BY COUNT(*) DESC, outlet"
        )
        return [(r[0], int(r[1]), int(r[2])) for r in rows]

    def outlet_article_count(self, outlet: str) -> tuple[int, int]:
        """``(articles, stories)`` of one outlet."""
        row = self.conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT story_id) FROM articles WHERE outlet = ?", (outlet,)
        ).fetchone()
        return int(row[0]), int(row[1])

    def outlet_articles(self, outlet: str, limit: int = 20, offset: int = 0) -> list[Article]:
        """One outlet's articles, newest first."""
        rows = self.conn.execute(
            "SELECT * FROM articles WHERE outlet = ? ORDER BY COALESCE(published, '') DESC, rowid DESC"
            " LIMIT ? OFFSET ?",
            (outlet, limit, offset),
        ).fetchall()
        return [self._article(r) for r in rows]

    def article_outlets(self, ids: Sequence[str]) -> dict[str, str | None]:
        """Article id → outlet, without reading the article bodies."""
        rows = _select_in(self.conn, "SELECT id, outlet FROM articles WHERE id IN ({marks})", ids)
        return {r[0]: r[1] for r in rows}

    def page_outlets(self, ids: Sequence[str]) -> dict[str, str | None]:
        """Article id → the outlet of the page it was found on (its document's first article), for articles
        appended to another outlet's page that name no outlet of their own."""
        rows = _select_in(
            self.conn,
            "SELECT a.id, f.outlet FROM articles a JOIN articles f ON f.doc_id = a.doc_id AND f.idx = 0"
            " WHERE a.id IN ({marks})",
            ids,
        )
        return {r[0]: r[1] for r in rows}

    def article_titles(self, ids: Sequence[str]) -> dict[str, tuple[str | None, str | None, str | None]]:
        """Article id → ``(title, outlet, published)``, without reading the bodies."""
        rows = _select_in(self.conn, "SELECT id, title, outlet, published FROM articles WHERE id IN ({marks})", ids)
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def story_headlines(self, ids: Sequence[str]) -> dict[str, str]:
        rows = _select_in(self.conn, "SELECT id, headline FROM stories WHERE id IN ({marks})", ids)
        return {r[0]: r[1] for r in rows}

    def stories_by_ids(self, ids: Sequence[str]) -> list[Story]:
        """Stories by id, in the given order."""
        rows = _select_in(self.conn, "SELECT * FROM stories WHERE id IN ({marks})", ids)
        out = {r["id"]: self._story(r) for r in rows}
        return [out[i] for i in ids if i in out]

    def entity(self, entity_id: str) -> Entity | None:
        found = self.entities([entity_id])
        return found[0] if found else None

    def entity_story_count(self, entity_id: str) -> int:
        row = self.conn.execute(
            "SELECT COUNT(DISTINCT a.story_id) FROM mentions m JOIN articles a ON a.id = m.article_id"
            " WHERE m.entity_id = ? AND a.story_id IS NOT NULL",
            (entity_id,),
        ).fetchone()
        return int(row[0])

    def entity_mention_counts(self, article_ids: Sequence[str]) -> dict[str, int]:
        """Entity id → number of mentions in these articles."""
        out: dict[str, int] = {}
        sql = (
            "SELECT entity_id, COUNT(*) FROM mentions WHERE article_id IN ({marks}) AND entity_id IS NOT NULL"
            " GROUP BY entity_id"
        )
        for r in _select_in(self.conn, sql, article_ids):
            out[r[0]] = out.get(r[0], 0) + int(r[1])
        return out

    def cooccurring_entities(self, entity_id: str, limit: int = 20) -> list[tuple[Entity, int]]:
        """Entities named in the same articles as ``entity_id``, with the number of shared articles."""
        rows = self.conn.execute(
            "SELECT m2.entity_id, COUNT(DISTINCT m2.article_id) AS n FROM mentions m1"
            " JOIN mentions m2 ON m2.article_id = m1.article_id"
            " WHERE m1.entity_id = ? AND m2.entity_id IS NOT NULL AND m2.entity_id != ?"
            " GROUP BY m2.entity_id ORDER BY n DESC, m2.entity_id LIMIT ?",
            (entity_id, entity_id, limit),
        ).fetchall()
        counts = {r[0]: int(r[1]) for r in rows}
        ents = {e.id: e for e in self.entities(list(counts))}
        return [(ents[i], n) for i, n in counts.items() if i in ents]

    def top_entities(self, limit: int = 50) -> list[Entity]:
        """The most mentioned entities."""
        rows = self.conn.execute("SELECT * FROM entities ORDER BY mentions DESC, id LIMIT ?", (limit,)).fetchall()
        return [
            Entity(r["id"], r["name"], r["type"], tuple(json.loads(r["variants"])), r["mentions"], r["key"])
            for r in rows
        ]

    def storyline(self, storyline_id: str) -> Storyline | None:
        row = self.conn.execute("SELECT id, title FROM storylines WHERE id = ?", (storyline_id,)).fetchone()
        if row is None:
            return None
        ids = tuple(
            x[0]
            for x in self.conn.execute(
                "SELECT id FROM stories WHERE storyline_id = ? ORDER BY start, id", (storyline_id,)
            )
        )
        return Storyline(row[0], row[1], ids)

    def storyline_titles(self, ids: Sequence[str]) -> dict[str, str]:
        rows = _select_in(self.conn, "SELECT id, title FROM storylines WHERE id IN ({marks})", ids)
        return {r[0]: r[1] for r in rows}

    def search_hits(
        self, query: str, limit: int = 20, offset: int = 0, *, rank_limit: int = 3000
    ) -> tuple[list[SearchHit], int]:
        """:meth:`search` for the web app, faster: the bm25 ranking runs inside FTS5 before the join,
        and when more than ``rank_limit`` articles match (a very common word) the newest-added come
        first instead, since ranking that many rows costs more than a page may take."""
        fts = fts_query(query)
        if fts is None:
            return [], 0
        total = int(
            self.conn.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?", (fts,)).fetchone()[0]
        )
        if total <= rank_limit:
            sql = (
                "SELECT a.id, r.rank FROM (SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ?"
                " ORDER BY rank LIMIT ? OFFSET ?) r JOIN articles a ON a.rowid = r.rowid ORDER BY r.rank"
            )
        else:
            sql = (
                "SELECT a.id, 0.0 FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
                " ORDER BY rowid DESC LIMIT ? OFFSET ?) r JOIN articles a ON a.rowid = r.rowid ORDER BY r.rowid DESC"
            )
        rows = self.conn.execute(sql, (fts, limit, offset)).fetchall()
        return [SearchHit(r[0], float(r[1])) for r in rows], total
