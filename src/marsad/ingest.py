"""Read input documents: files, directories and globs of .txt, .html/.htm, .json, .jsonl, .zip and
RSS/Atom feeds, in UTF-8 (with or without BOM), UTF-16, Windows-1256 or ISO-8859-6.

:func:`iter_documents` yields :class:`~marsad.records.Document` values and, for inputs that cannot
be read, :class:`InputFailure` values naming the file and the reason, so that one bad file never stops
the batch. Every document gets a stable id derived from its content (:func:`document_id`).
"""

from __future__ import annotations

import glob
import html
import io
import json
import logging
import os
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from . import arabic
from .outlets import host_of, outlet_name
from .records import Document, stable_id

LOGGER = logging.getLogger(__name__)

TEXT_EXTS = {".txt", ".text", ".md"}
HTML_EXTS = {".html", ".htm", ".xhtml"}
JSON_EXTS = {".json"}
JSONL_EXTS = {".jsonl", ".ndjson"}
FEED_EXTS = {".xml", ".rss", ".atom"}
ZIP_EXTS = {".zip"}
SUPPORTED_EXTS = TEXT_EXTS | HTML_EXTS | JSON_EXTS | JSONL_EXTS | FEED_EXTS | ZIP_EXTS

MAX_FILE_BYTES = 512 * 1024 * 1024

_TEXT_KEYS = ("content", "text", "body", "article", "description")
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("published", "date", "pubDate", "date_published", "published_at", "date_extracted")
_OUTLET_KEYS = ("outlet", "source", "site", "site_name", "publisher")
_URL_KEYS = ("url", "link", "href")
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TAG_RE = re.compile(r"<[a-zA-Z/!][^>]*>")


@dataclass(frozen=True, slots=True)
class InputFailure:
    """An input that could not be read: the file (or archive member) and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


# ---------------------------------------------------------------------------------------------------
# Encodings

_ARABIC_HINTS = ("ال", " في ", " من ", " على ", " أن ", " ان ", " إلى ", " الى ")


def _arabic_score(text: str) -> float:
    if not text:
        return 0.0
    hits = sum(text.count(h) for h in _ARABIC_HINTS)
    letters = sum(1 for c in text[:20000] if "\u0621" <= c <= "\u064a")
    return hits * 10 + letters / 10


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when one byte parity holds the few high bytes of UTF-16 text
    (0x00 for ASCII, 0x06 for Arabic ...), else None."""
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    for parity, enc in ((1, "utf-16-le"), (0, "utf-16-be")):
        high = sample[parity::2]
        top = Counter(high).most_common(3)
        if 0 in dict(top) and sum(n for _, n in top) >= 0.95 * len(high):
            return enc
    return None


def looks_binary(data: bytes) -> bool:
    """True for data that is not text in any encoding we read (NULs outside UTF-16, control bytes)."""
    sample = data[:8192]
    if not sample or sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in sample:
        return _utf16_without_bom(sample) is None
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(sample) * 0.02


def decode_bytes(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data`` and say which encoding it was in.

    BOMs first (UTF-8, UTF-16), then strict UTF-8, then BOM-less UTF-16, then the Arabic single-byte
    code pages (Windows-1256, ISO-8859-6), choosing the one whose text reads as Arabic.
    Raises :class:`~marsad.errors.InputError` for binary data.
    """
    from .errors import InputError

    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if looks_binary(data):
        raise InputError(path, "binary file, not text (no supported text encoding fits)")
    utf16 = _utf16_without_bom(data[:8192])
    if utf16 is not None:
        return data.decode(utf16, errors="replace"), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    for enc in ("cp1256", "iso-8859-6"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_arabic_score(text), enc, text))
    if candidates:
        candidates.sort(key=lambda c: -c[0])
        score, enc, text = candidates[0]
        if score > 0:
            return text, enc
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            return str(best), best.encoding
    except Exception:  # pragma: no cover - charset_normalizer is a last resort
        LOGGER.debug("charset_normalizer failed on %s", path)
    raise InputError(path, "could not detect the text encoding (tried UTF-8, UTF-16, Windows-1256, ISO-8859-6)")


# ---------------------------------------------------------------------------------------------------
# Ids and fields


def document_id(content: str, title: str | None = None) -> str:
    """A stable id from the document's content: the same text (whatever its encoding, BOM, diacritics
    or spacing) always gets the same id."""
    body = " ".join(arabic.match_tokens(content))
    head = " ".join(arabic.match_tokens(title or ""))
    return stable_id("d", head, body)


def iso_date(value: Any) -> str | None:
    """YYYY-MM-DD from an ISO-ish or RFC 822 date string, or None."""
    if not value or not isinstance(value, str | int | float):
        return None
    s = str(value).strip()
    m = _ISO_DATE_RE.search(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        try:
            return datetime(y, mo, d).date().isoformat()
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(s).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def outlet_from_url(url: str | None) -> str | None:
    """The outlet's domain (``www.`` removed) from a URL."""
    return host_of(url)


def _first(record: dict[str, Any], keys: Iterable[str]) -> Any:
    for k in keys:
        v = record.get(k)
        if v not in (None, ""):
            return v
    return None


def document_from_record(record: dict[str, Any], source: str) -> Document | InputFailure:
    """A Document from a JSON record (SaudiNewsNet's ``{source, url, date_extracted, title, author,
    content}`` and the usual variants: text/body, headline, date/published, outlet/site, link)."""
    if not isinstance(record, dict):
        return InputFailure(source, f"expected a JSON object, got {type(record).__name__}")
    content = _first(record, _TEXT_KEYS)
    if not isinstance(content, str) or not content.strip():
        return InputFailure(source, "record has no text (expected one of: " + ", ".join(_TEXT_KEYS) + ")")
    title = _first(record, _TITLE_KEYS)
    title = arabic.display(title).strip() if isinstance(title, str) and title.strip() else None
    doc_id = document_id(content, title)  # of the title as given: the ids of stored documents stay valid
    if title is not None and "&" in title:  # scraped titles keep their HTML entities («&quot;هواوي&quot;»)
        title = arabic.display(html.unescape(title)).strip() or None
    url = _first(record, _URL_KEYS)
    url = url if isinstance(url, str) else None
    outlet = _first(record, _OUTLET_KEYS)
    outlet = outlet_name(outlet if isinstance(outlet, str) else None, url) or outlet_from_url(url)
    author = record.get("author") if isinstance(record.get("author"), str) else None
    is_html = bool(_TAG_RE.search(content[:5000])) and ("</p>" in content or "<br" in content or "</div>" in content)
    return Document(
        id=doc_id,
        source=url or source,
        content=content,
        content_type="html" if is_html else "text",
        title=title,
        outlet=outlet,
        published=iso_date(_first(record, _DATE_KEYS)),
        url=url,
        author=author.strip() or None if author else None,
    )


# ---------------------------------------------------------------------------------------------------
# Formats


def _read_text(data: bytes, path: str) -> Iterator[Document | InputFailure]:
    text, enc = decode_bytes(data, path)
    if not text.strip():
        yield InputFailure(path, "empty document")
        return
    yield Document(id=document_id(text), source=path, content=text, content_type="text", encoding=enc)


def _read_html(data: bytes, path: str) -> Iterator[Document | InputFailure]:
    head = data[:4096].lower()
    m = re.search(rb"charset=[\"']?([a-z0-9_-]+)", head)
    text: str | None = None
    enc = "utf-8"
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        enc = m.group(1).decode("ascii")
        try:
            text = data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text, enc = decode_bytes(data, path)
    if not text.strip():
        yield InputFailure(path, "empty document")
        return
    url = None
    mu = re.search(r"<link[^>]+rel=[\"']canonical[\"'][^>]*href=[\"']([^\"']+)", text[:20000], re.I) or re.search(
        r"<meta[^>]+property=[\"']og:url[\"'][^>]*content=[\"']([^\"']+)", text[:20000], re.I
    )
    if mu:
        url = mu.group(1)
    body_only = _TAG_RE.sub(" ", text)
    yield Document(
        id=document_id(body_only),
        source=path,
        content=text,
        content_type="html",
        url=url,
        outlet=outlet_name(None, url) or outlet_from_url(url),
        encoding=enc,
    )


def _read_json(data: bytes, path: str) -> Iterator[Document | InputFailure]:
    text, _ = decode_bytes(data, path)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputFailure(path, f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        return
    records = value if isinstance(value, list) else [value]
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        records = value["articles"]
    for i, rec in enumerate(records):
        yield document_from_record(rec, f"{path}#{i}")


def _read_jsonl(data: bytes, path: str) -> Iterator[Document | InputFailure]:
    text, _ = decode_bytes(data, path)
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputFailure(f"{path}:{i}", f"invalid JSON line: {exc.msg}")
            continue
        yield document_from_record(rec, f"{path}:{i}")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _read_feed(data: bytes, path: str) -> Iterator[Document | InputFailure]:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        yield InputFailure(path, f"invalid XML feed: {exc}")
        return
    kind = _local(root.tag)
    if kind not in ("rss", "feed", "rdf"):
        yield InputFailure(path, f"XML file is not an RSS or Atom feed (root element <{kind}>)")
        return
    channel_title = None
    for el in root.iter():
        if _local(el.tag) == "title" and el.text:
            channel_title = el.text.strip()
            break
    items = [el for el in root.iter() if _local(el.tag) in ("item", "entry")]
    if not items:
        yield InputFailure(path, "feed has no items")
        return
    for i, item in enumerate(items):
        fields: dict[str, Any] = {}
        for child in item:
            name = _local(child.tag)
            if name == "link" and child.get("href"):
                fields.setdefault("link", child.get("href"))
            elif child.text and child.text.strip():
                if name in ("encoded", "content") or (name in ("description", "summary") and "content" not in fields):
                    fields["content"] = child.text.strip()
                elif name in ("pubdate", "published", "updated", "date"):
                    fields.setdefault("date", child.text.strip())
                else:
                    fields.setdefault(name, child.text.strip())
        fields.setdefault("outlet", outlet_from_url(fields.get("link")) or channel_title)
        yield document_from_record(fields, f"{path}#{i}")


def _sniff(name: str, data: bytes) -> str:
    ext = os.path.splitext(name)[1].lower()
    if ext in ZIP_EXTS or data[:4] == b"PK\x03\x04":
        return "zip"
    if ext in HTML_EXTS:
        return "html"
    if ext in JSON_EXTS:
        return "json"
    if ext in JSONL_EXTS:
        return "jsonl"
    if ext in FEED_EXTS:
        return "feed"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") and (b"<rss" in data[:2048].lower() or b"<feed" in data[:2048].lower()):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


_READERS = {"text": _read_text, "html": _read_html, "json": _read_json, "jsonl": _read_jsonl, "feed": _read_feed}


def read_bytes(data: bytes, name: str) -> Iterator[Document | InputFailure]:
    """Documents from one file's bytes; ``name`` decides the format (with content sniffing)."""
    from .errors import InputError

    kind = _sniff(name, data)
    if kind == "zip":
        yield from _read_zip(data, name)
        return
    try:
        yield from _READERS[kind](data, name)
    except InputError as exc:
        yield InputFailure(exc.path, exc.reason)


def _read_zip(data: bytes, name: str) -> Iterator[Document | InputFailure]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        yield InputFailure(name, f"not a valid zip archive: {exc}")
        return
    with zf:
        members = [m for m in zf.infolist() if not m.is_dir()]
        if not members:
            yield InputFailure(name, "zip archive is empty")
        for m in sorted(members, key=lambda m: m.filename):
            member = f"{name}!{m.filename}"
            if os.path.basename(m.filename).startswith(".") or "__MACOSX" in m.filename:
                continue
            if os.path.splitext(m.filename)[1].lower() not in SUPPORTED_EXTS:
                yield InputFailure(member, "unsupported file type in archive")
                continue
            try:
                yield from read_bytes(zf.read(m), member)
            except (zipfile.BadZipFile, RuntimeError, OSError) as exc:
                yield InputFailure(member, f"cannot read archive member: {exc}")


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | InputFailure]:
    """Files named by ``paths``: files as given, directories recursively (supported types only), globs."""
    for raw in paths:
        p = str(raw)
        if any(c in p for c in "*?[") and not os.path.exists(p):
            matches = sorted(glob.glob(p, recursive=True))
            if not matches:
                yield InputFailure(p, "no file matches this pattern")
            for mpath in matches:
                yield from expand_paths([mpath])
            continue
        path = Path(p)
        if path.is_dir():
            found = False
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_EXTS and not child.name.startswith("."):
                    found = True
                    yield child
            if not found:
                yield InputFailure(p, "directory holds no supported files (.txt .html .json .jsonl .zip .xml)")
        elif path.is_file():
            yield path
        elif path.exists():
            yield InputFailure(p, "not a regular file")
        else:
            yield InputFailure(p, "no such file or directory")


def iter_documents(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Document | InputFailure]:
    """Every document in ``paths`` (files, directories, globs), failures included as values."""
    for item in expand_paths(paths):
        if isinstance(item, InputFailure):
            yield item
            continue
        name = str(item)
        try:
            size = item.stat().st_size
            if size > MAX_FILE_BYTES:
                yield InputFailure(name, f"file too large ({size} bytes; limit {MAX_FILE_BYTES})")
                continue
            data = item.read_bytes()
        except OSError as exc:
            yield InputFailure(name, f"cannot read file: {exc.strerror or exc}")
            continue
        if not data.strip():
            yield InputFailure(name, "empty file")
            continue
        yield from read_bytes(data, name)
