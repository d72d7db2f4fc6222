"""Near-duplicate detection: reprints and wire copies are kept but marked ``duplicate_of``.

Texts are compared in the match form (:func:`marsad.arabic.match_tokens`), so harakat, tatweel,
alef/hamza variants, Persian letters and Arabic-Indic digits do not hide a copy. Each article gets a
MinHash signature of its word 5-gram shingles, and so does each of its long paragraphs; both go into
datasketch LSH indexes:

* **article level**: estimated Jaccard of the whole bodies ≥ ``article_threshold`` (a reprint);
* **paragraph level**: at least ``paragraph_share`` of the article's long paragraphs are
  near-copies (≥ ``paragraph_threshold``) of paragraphs of ONE earlier article, and at least
  ``min_shared_paragraphs`` of them (a wire copy with a different lead or a trimmed tail).

``duplicate_of`` always names the first-seen copy (a copy of a copy points to the original).
:class:`DuplicateIndex` is the incremental form: add one article at a time, query, and save to bytes
for the store.
"""

from __future__ import annotations

import io
import json
import logging
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import chain

import numpy as np
from datasketch import MinHash

from marsad.arabic import match, match_tokens, split_match
from marsad.errors import SettingsError
from marsad.records import Article

LOGGER = logging.getLogger(__name__)

__all__ = ["DedupeSettings", "DuplicateIndex", "mark_duplicates", "shingle_hashes", "signature"]

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_FORMAT = 1


@dataclass(frozen=True, slots=True)
class DedupeSettings:
    """How close two texts must be to count as copies."""

    num_perm: int = 64  # MinHash permutations (more = finer estimate, slower)
    shingle: int = 5  # words per shingle
    article_threshold: float = 0.7  # estimated Jaccard of two bodies for a reprint
    paragraph_threshold: float = 0.8  # estimated Jaccard of two paragraphs for a copied paragraph
    paragraph_share: float = 0.6  # share of an article's long paragraphs copied from one earlier article
    min_shared_paragraphs: int = 2  # ... and at least this many (1 when the article has a single long paragraph)
    min_paragraph_words: int = 15  # shorter paragraphs (datelines, credits) are not compared
    min_article_words: int = 20  # shorter articles are never marked (too little evidence)

    def __post_init__(self) -> None:
        for name in ("article_threshold", "paragraph_threshold", "paragraph_share"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise SettingsError(f"dedupe.{name} = {value}: use a number in (0, 1], e.g. 0.7")
        if self.num_perm < 16 or self.shingle < 1:
            raise SettingsError("dedupe.num_perm must be ≥ 16 and dedupe.shingle ≥ 1")


class _TokenHashes(dict[str, int]):
    """token → crc32 of its UTF-8 bytes, computed on first use (``__missing__`` keeps lookups in C)."""

    def __missing__(self, token: str) -> int:
        if len(self) > 2_000_000:  # bound the cache on endless streams
            self.clear()
        h = self[token] = zlib.crc32(token.encode("utf-8"))
        return h


_TOKEN_HASHES = _TokenHashes()
_SHINGLE_MUL = np.uint64(0x9E3779B1)


def _token_hash(token: str) -> int:
    return _TOKEN_HASHES[token]


def shingle_hashes(tokens: Sequence[str], k: int) -> np.ndarray:
    """32-bit hashes (crc32-based, stable across runs) of the word k-shingles of ``tokens``."""
    if not tokens:
        return np.zeros(0, dtype=np.uint64)
    th = np.fromiter(map(_TOKEN_HASHES.__getitem__, tokens), dtype=np.uint64, count=len(tokens))
    k = min(k, len(tokens))
    n = len(tokens) - k + 1
    h = th[:n].copy()
    for j in range(1, k):  # polynomial rolling combination, kept to 32 bits
        h = (h * _SHINGLE_MUL + th[j : j + n]) & _MAX_HASH
    return h


def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    return MinHash(num_perm=num_perm, seed=1).permutations  # type: ignore[no-any-return]


def signature(hashes: np.ndarray, perms: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The MinHash signature (datasketch's universal hashing) of a set of 32-bit hashes."""
    a, b = perms
    if hashes.size == 0:
        return np.full(a.shape[0], _MAX_HASH, dtype=np.uint64)
    phv = np.bitwise_and((np.outer(hashes, a) + b) % _MERSENNE, _MAX_HASH)
    return phv.min(axis=0)  # type: ignore[no-any-return]


def _signatures_of(hashes: Sequence[np.ndarray], perms: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """``np.stack([signature(h, perms) for h in hashes])`` (each ``h`` non-empty) in one product."""
    a, b = perms
    lens = np.fromiter((len(h) for h in hashes), dtype=np.int64, count=len(hashes))
    starts = np.zeros(len(hashes), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    phv = np.bitwise_and((np.outer(np.concatenate(hashes), a) + b) % _MERSENNE, _MAX_HASH)
    return np.minimum.reduceat(phv, starts, axis=0)  # type: ignore[no-any-return]


def _paragraph_tokens(parts: Sequence[str]) -> list[list[str]]:
    """``[match_tokens(p) for p in parts]`` with one match-form pass over all of them: the match form
    maps character by character and keeps newlines, and no token spans one, so the joined text's
    lines are the parts' match forms (parts with line breaks of their own go one by one)."""
    if len(parts) < 2 or any("\n" in p or "\r" in p for p in parts):
        return [match_tokens(p) for p in parts]
    lines = match("\n".join(parts)).split("\n")
    if len(lines) != len(parts):  # pragma: no cover - the match form keeps every newline
        return [match_tokens(p) for p in parts]
    return [split_match(line) for line in lines]


def _paragraph_shingles(tokens: Sequence[Sequence[str]], k: int) -> list[np.ndarray]:
    """``[shingle_hashes(t, k) for t in tokens]``: the token hashes looked up once for all paragraphs
    and rolled over the joined sequence, each paragraph keeping the windows inside it."""
    total = sum(len(t) for t in tokens)
    if total < k or len(tokens) < 2:
        return [shingle_hashes(t, k) for t in tokens]
    th = np.fromiter(map(_TOKEN_HASHES.__getitem__, chain.from_iterable(tokens)), dtype=np.uint64, count=total)
    n = total - k + 1
    h = th[:n].copy()
    for j in range(1, k):  # the same rolling combination as shingle_hashes
        h = (h * _SHINGLE_MUL + th[j : j + n]) & _MAX_HASH
    out: list[np.ndarray] = []
    start = 0
    for t in tokens:
        size = len(t)
        if size >= k:
            out.append(h[start : start + size - k + 1])
        else:  # shorter than a shingle: one hash of the whole paragraph
            out.append(shingle_hashes(t, k))
        start += size
    return out


@lru_cache(maxsize=16)
def _band_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) as datasketch's ``MinHashLSH`` chooses them (equal weight to misses and
    false candidates)."""
    from datasketch.lsh import _optimal_param

    b, r = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(b), int(r)


class _Bands:
    """MinHash LSH: datasketch's ``MinHashLSH`` banding (the same bands, so the same candidates), kept
    in plain dicts keyed by each band's bytes — several times cheaper to fill and to query."""

    def __init__(self, threshold: float, num_perm: int) -> None:
        self.b, self.r = _band_shape(threshold, num_perm)
        self.tables: list[dict[bytes, list[int]]] = [{} for _ in range(self.b)]
        self._cuts = [(i * self.r * 8, (i + 1) * self.r * 8) for i in range(self.b)]

    def _keys(self, sig: np.ndarray) -> list[bytes]:
        raw = sig.astype(np.uint64, copy=False).tobytes()
        return [raw[lo:hi] for lo, hi in self._cuts]

    def insert(self, key: int, sig: np.ndarray) -> None:
        for table, band in zip(self.tables, self._keys(sig), strict=True):
            bucket = table.get(band)
            if bucket is None:
                table[band] = [key]
            else:
                bucket.append(key)

    def query(self, sig: np.ndarray) -> set[int]:
        """Keys sharing at least one band with ``sig``."""
        out: set[int] = set()
        for table, band in zip(self.tables, self._keys(sig), strict=True):
            bucket = table.get(band)
            if bucket:
                out.update(bucket)
        return out


def _jaccard(s1: np.ndarray, s2: np.ndarray) -> float:
    return float(np.count_nonzero(s1 == s2)) / s1.shape[0]


class DuplicateIndex:
    """An incremental near-duplicate index over articles (article and paragraph level)."""

    def __init__(self, settings: DedupeSettings | None = None) -> None:
        self.settings = settings or DedupeSettings()
        self._perms = _permutations(self.settings.num_perm)
        self._art_lsh = _Bands(self.settings.article_threshold, self.settings.num_perm)
        self._par_lsh = _Bands(self.settings.paragraph_threshold, self.settings.num_perm)
        self.ids: list[str] = []
        self.roots: list[str] = []  # the original each article copies (itself when not a copy)
        self._pos: dict[str, int] = {}
        self._art_sigs: list[np.ndarray] = []
        self._par_owner: list[int] = []  # paragraph key → article position
        self._par_sigs: list[np.ndarray] = []
        self._n_long: list[int] = []
        self._logged = 0  # articles already handed out by take_log (or loaded)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._pos

    # -- signatures ---------------------------------------------------------------------------
    def _signatures(self, article: Article) -> tuple[np.ndarray | None, list[np.ndarray]]:
        k = self.settings.shingle
        parts = [article.title or "", *article.paragraphs] if not article.paragraphs else list(article.paragraphs)
        tokens = _paragraph_tokens(parts)
        n_words = sum(len(t) for t in tokens)
        hashes = _paragraph_shingles(tokens, k)
        kept = [(h, len(t)) for h, t in zip(hashes, tokens, strict=True) if h.size]
        if not kept:
            return None, []
        # all the paragraphs' shingles permuted at once; each paragraph's signature is the minimum over
        # its own rows, exactly signature(h) per paragraph
        sigs = _signatures_of([h for h, _ in kept], self._perms)
        long = sigs[np.fromiter((n >= self.settings.min_paragraph_words for _, n in kept), dtype=bool, count=len(kept))]
        para_sigs = list(long)  # rows of a copy holding the long paragraphs only
        if n_words < self.settings.min_article_words:
            return None, para_sigs
        # the article signature is the element-wise minimum of its paragraphs' shingle signatures
        # (a minimum over the union of the shingles is the minimum of the per-paragraph minima)
        return sigs.min(axis=0), para_sigs

    # -- querying -----------------------------------------------------------------------------
    def _best_original(self, art_sig: np.ndarray | None, para_sigs: Sequence[np.ndarray]) -> str | None:
        s = self.settings
        if art_sig is None:
            return None
        best: tuple[float, int] | None = None
        for key in self._art_lsh.query(art_sig):
            j = _jaccard(art_sig, self._art_sigs[key])
            if j >= s.article_threshold and (best is None or (j, -key) > (best[0], -best[1])):
                best = (j, key)
        if best is not None:
            return self.roots[best[1]]
        if not para_sigs:
            return None
        hits: Counter[int] = Counter()
        for sig in para_sigs:
            owners = set()
            for key in self._par_lsh.query(sig):
                if _jaccard(sig, self._par_sigs[key]) >= s.paragraph_threshold:
                    owners.add(self._par_owner[key])
            hits.update(owners)
        if not hits:
            return None
        need = s.min_shared_paragraphs if len(para_sigs) > 1 else 1
        # most shared paragraphs first, then the earliest article
        owner, shared = min(hits.items(), key=lambda kv: (-kv[1], kv[0]))
        if shared >= need and shared / len(para_sigs) >= s.paragraph_share:
            return self.roots[owner]
        return None

    def query(self, article: Article) -> str | None:
        """The id of the first-seen article that ``article`` copies, or None (the index is unchanged)."""
        art_sig, para_sigs = self._signatures(article)
        original = self._best_original(art_sig, para_sigs)
        return None if original == article.id else original

    def add(self, article: Article) -> str | None:
        """Index ``article`` and return what it copies (None when it is an original).

        An article already in the index is not added twice; its recorded original is returned.
        An article that arrives with ``duplicate_of`` set keeps that original.
        """
        if article.id in self._pos:
            root = self.roots[self._pos[article.id]]
            return None if root == article.id else root
        art_sig, para_sigs = self._signatures(article)
        original = article.duplicate_of or self._best_original(art_sig, para_sigs)
        self._insert(article.id, original or article.id, art_sig, para_sigs)
        return original

    def _insert(self, article_id: str, root: str, art_sig: np.ndarray | None, para_sigs: Sequence[np.ndarray]) -> None:
        pos = len(self.ids)
        self.ids.append(article_id)
        self.roots.append(root)
        self._pos[article_id] = pos
        self._art_sigs.append(art_sig if art_sig is not None else np.zeros(0, dtype=np.uint64))
        self._n_long.append(len(para_sigs))
        if art_sig is not None:
            self._art_lsh.insert(pos, art_sig)
        for sig in para_sigs:
            key = len(self._par_sigs)
            self._par_sigs.append(sig)
            self._par_owner.append(pos)
            self._par_lsh.insert(key, sig)

    # -- persistence --------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The index as bytes (signatures, ids, originals and settings); LSH tables are rebuilt on load."""
        s = self.settings
        meta = {
            "format": _FORMAT,
            "settings": {f: getattr(s, f) for f in s.__dataclass_fields__},
            "ids": self.ids,
            "roots": self.roots,
            "n_long": self._n_long,
        }
        has_art = np.array([sig.size > 0 for sig in self._art_sigs], dtype=bool)
        art = (
            np.stack([sig for sig in self._art_sigs if sig.size]).astype(np.uint32)
            if has_art.any()
            else np.zeros((0, s.num_perm), dtype=np.uint32)
        )
        par = np.stack(self._par_sigs).astype(np.uint32) if self._par_sigs else np.zeros((0, s.num_perm), np.uint32)
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
            has_art=has_art,
            art=art,
            par=par,
            par_owner=np.asarray(self._par_owner, dtype=np.int64),
        )
        return buf.getvalue()

    def take_log(self) -> bytes | None:
        """The articles indexed since the last call (or the load) as a change record for
        :meth:`apply_log`, or None when there are none."""
        lo, hi = self._logged, len(self.ids)
        if lo == hi:
            return None
        self._logged = hi
        n = self.settings.num_perm
        arts = [self._art_sigs[p] for p in range(lo, hi)]
        first = len(self._par_owner)  # paragraph keys grow with the article positions
        while first > 0 and self._par_owner[first - 1] >= lo:
            first -= 1
        par_keys = range(first, len(self._par_owner))
        meta = {"format": _FORMAT, "ids": self.ids[lo:hi], "roots": self.roots[lo:hi], "n_long": self._n_long[lo:hi]}
        buf = io.BytesIO()
        np.savez(
            buf,
            meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
            has_art=np.array([a.size > 0 for a in arts], dtype=bool),
            art=np.stack([a for a in arts if a.size]).astype(np.uint32)
            if any(a.size for a in arts)
            else np.zeros((0, n), np.uint32),
            par=np.stack([self._par_sigs[k] for k in par_keys]).astype(np.uint32)
            if par_keys
            else np.zeros((0, n), np.uint32),
            par_owner=np.asarray([self._par_owner[k] - lo for k in par_keys], dtype=np.int64),
        )
        return buf.getvalue()

    def apply_log(self, data: bytes) -> None:
        """Index the articles of a change record made by :meth:`take_log` (after the state it followed)."""
        with np.load(io.BytesIO(data)) as npz:
            meta = json.loads(npz["meta"].tobytes().decode("utf-8"))
            if meta.get("format") != _FORMAT:
                raise SettingsError(f"duplicate index format {meta.get('format')} is not {_FORMAT}: rebuild it")
            self._insert_rows(meta, npz["has_art"], npz["art"], npz["par"], npz["par_owner"])

    def _insert_rows(
        self, meta: dict[str, list], has_art: np.ndarray, art: np.ndarray, par: np.ndarray, owner: np.ndarray
    ) -> None:
        art, par = art.astype(np.uint64), par.astype(np.uint64)
        by_owner: dict[int, list[np.ndarray]] = {}
        for key, pos in enumerate(owner.tolist()):
            by_owner.setdefault(pos, []).append(par[key])
        art_rows = iter(art)
        for pos, (aid, root) in enumerate(zip(meta["ids"], meta["roots"], strict=True)):
            sig = next(art_rows) if has_art[pos] else None
            self._insert(aid, root, sig, by_owner.get(pos, []))
        self._logged = len(self.ids)

    @classmethod
    def from_bytes(cls, data: bytes) -> DuplicateIndex:
        """Rebuild an index saved by :meth:`to_bytes`."""
        with np.load(io.BytesIO(data)) as npz:
            meta = json.loads(npz["meta"].tobytes().decode("utf-8"))
            if meta.get("format") != _FORMAT:
                raise SettingsError(f"duplicate index format {meta.get('format')} is not {_FORMAT}: rebuild it")
            index = cls(DedupeSettings(**meta["settings"]))
            index._insert_rows(meta, npz["has_art"], npz["art"], npz["par"], npz["par_owner"])
        return index


def _order_key(article: Article, position: int) -> tuple[str, int]:
    # known publication dates first by date; unknown ones keep their input order after them
    return (article.published or "9999-99-99", position)


def mark_duplicates(
    articles: Sequence[Article],
    previous: Sequence[Article] = (),
    *,
    settings: DedupeSettings | None = None,
    index: DuplicateIndex | None = None,
) -> list[Article]:
    """Return ``articles`` (same order) with ``duplicate_of`` set on reprints and wire copies.

    ``previous`` are articles seen in earlier runs (they count as first-seen). Pass ``index`` to reuse
    an incremental :class:`DuplicateIndex` instead (it is updated in place).
    """
    idx = index if index is not None else DuplicateIndex(settings)
    for art in previous:
        idx.add(art)
    originals: dict[int, str | None] = {}
    order = sorted(range(len(articles)), key=lambda i: _order_key(articles[i], i))
    for i in order:
        originals[i] = idx.add(articles[i])
    out = []
    for i, art in enumerate(articles):
        orig = originals[i]
        if orig != art.duplicate_of and orig != art.id:
            art = replace(art, duplicate_of=orig)
        out.append(art)
    n = sum(1 for a in out if a.duplicate_of)
    LOGGER.info("dedupe: %d of %d articles are copies", n, len(out))
    return out
