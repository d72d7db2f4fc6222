"""An experimental neural NER tagger, trained with torch and run with numpy (not shipped: see below).

Per token the network reads its match-form word vector, the vector of the word without its
proclitics, a character CNN over the match form, the gazetteer tag (on training data from the
jackknifed gazetteers the CRF is trained with), the trigger class and the shape of the token. Three
convolution layers (width 3, dilations 1, 2, 1: five words each side) score the nine BIO tags and
Viterbi under learnt transition scores (BIO constraints enforced) decodes them. The word vectors are
learnt first from the unlabelled SaudiNewsNet development days (positive PMI with the two words on
each side, truncated SVD, 50,000 words × 64) and fine-tuned on ANERcorp's training part. Several
networks trained with different seeds can be averaged (``combine``), and the CRF's Viterbi tags can
be added to the network's tag scores (``crf_weight``: the CNN + CRF ensemble).

Training needs torch (``make train-ner-neural`` installs it and writes ``out/ner_neural.npz``);
tagging needs only numpy. ``ner.Tagger`` uses a network when ``marsad/models/ner_neural.npz``
exists; none is committed, because on the development split no variant that meets the speed target
beats the CRF (docs/evaluation.md, "Named entities").

    python -m marsad.ner_neural embeddings --out out/ner_vectors_raw.npz
    python -m marsad.ner_neural train --dev-tail 0.15 --out out/ner_neural_tail.npz   # dev run
    python -m marsad.ner_neural dev-ensemble --neural out/ner_neural_tail.npz --crf out/ner_crf_tail.crfsuite
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from marsad import ner

LOGGER = logging.getLogger(__name__)

EMBEDDINGS_PATH = ner.MODELS_DIR / "ner_vectors.npz"


def build_embeddings(datasets: Path, out: Path, *, vocab: int = 50_000, contexts: int = 5_000, dims: int = 64,
                     window: int = 2, seed: int = 13) -> None:
    """Word vectors from the SaudiNewsNet development days: PPMI with position-marked neighbours + SVD."""
    from sklearn.utils.extmath import randomized_svd

    ids: dict[str, int] = {}
    seqs: list[np.ndarray] = []
    counts: Counter[str] = Counter()
    for text in ner.dev_news_texts(datasets):
        toks = [ner._match(t) for _, _, t in ner.tokenize(text)]
        counts.update(toks)
        seqs.append(np.fromiter((ids.setdefault(t, len(ids)) for t in toks), dtype=np.int64, count=len(toks)))
    LOGGER.info("embeddings: %d tokens, %d types", sum(counts.values()), len(counts))
    words = [w for w, _ in counts.most_common(vocab)]
    ctx_words = [w for w, _ in counts.most_common(contexts)]
    n_all = len(ids)
    row_of = np.full(n_all, -1, dtype=np.int64)
    row_of[[ids[w] for w in words]] = np.arange(len(words))
    col_of = np.full(n_all, -1, dtype=np.int64)
    col_of[[ids[w] for w in ctx_words]] = np.arange(len(ctx_words))
    offsets = [d for d in range(-window, window + 1) if d]
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for seq in seqs:
        for k, d in enumerate(offsets):
            if len(seq) <= abs(d):
                continue
            a, b = (seq[d:], seq[:-d]) if d > 0 else (seq[:d], seq[-d:])
            r = row_of[a]
            c = col_of[b]
            keep = (r >= 0) & (c >= 0)
            rows.append(r[keep])
            cols.append(c[keep] + k * len(ctx_words))
    ppmi = ner.ppmi_matrix(np.concatenate(rows), np.concatenate(cols), (len(words), len(offsets) * len(ctx_words)))
    u, s, _ = randomized_svd(ppmi, n_components=dims, random_state=seed, n_iter=5)
    vecs = u * np.sqrt(s)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, words=np.array(words), vectors=vecs.astype(np.float32),
                        counts=np.array([counts[w] for w in words], dtype=np.int64))
    LOGGER.info("wrote %s (%d words, %d dims)", out, len(words), dims)


TAGS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
TAG_ID = {t: i for i, t in enumerate(TAGS)}
NEURAL_PATH = ner.NEURAL_PATH
MAX_CHARS = 16
_SHAPES = {"A": 0, "D": 1, "L": 2, "P": 3}
_TRIGS = {"PER": 1, "LOC": 2, "ORG": 3}
PAD, UNK = 0, 1


def _shape(m: str) -> int:
    if ner._DIGIT_RE.match(m):
        return _SHAPES["D"]
    if ner._LATIN_RE.match(m):
        return _SHAPES["L"]
    if ner._ARABIC_WORD_RE.match(m):
        return _SHAPES["A"]
    return _SHAPES["P"]


class Encoder:
    """Token → integer inputs of the network (word id, stem id, trigger, shape, character ids), cached."""

    def __init__(self, words: Sequence[str], chars: str, lexicon: ner.Lexicon) -> None:
        self.vocab = {w: i + 2 for i, w in enumerate(words)}
        self.chars = {c: i + 2 for i, c in enumerate(chars)}
        self.lexicon = lexicon
        self._cache: dict[str, tuple[int, int, int, int, tuple[int, ...]]] = {}

    def stem(self, m: str) -> str:
        for _prefix, stem in ner._proclitic_splits(m):
            if len(stem) >= 2 and self.lexicon.count(stem) > 4 * self.lexicon.count(m):
                return stem
        return m

    def word(self, token: str) -> tuple[int, int, int, int, tuple[int, ...]]:
        hit = self._cache.get(token)
        if hit is not None:
            return hit
        m = ner._match(token) or token
        stem = self.stem(m)
        trig = ner._TRIGGER_OF.get(m) or ner._TRIGGER_OF.get(stem) or ""
        cs = tuple(self.chars.get(c, UNK) for c in m[:MAX_CHARS])
        hit = (self.vocab.get(m, UNK), self.vocab.get(stem, UNK), _TRIGS.get(trig, 0), _shape(m), cs)
        if len(self._cache) < 500_000:
            self._cache[token] = hit
        return hit


def _pack(encoded: Sequence[Sequence[tuple[int, int, int, int, tuple[int, ...]]]],
          gaz: Sequence[Sequence[str]], marg: Sequence[np.ndarray]) -> dict[str, np.ndarray]:
    """Pad a batch of encoded sentences into arrays."""
    b = len(encoded)
    t = max((len(s) for s in encoded), default=1) or 1
    out: dict[str, np.ndarray] = {
        "word": np.zeros((b, t), np.int64), "stem": np.zeros((b, t), np.int64), "trig": np.zeros((b, t), np.int64),
        "shape": np.zeros((b, t), np.int64), "gaz": np.zeros((b, t), np.int64),
        "chars": np.zeros((b, t, MAX_CHARS), np.int64), "crf": np.zeros((b, t, CRF_INPUTS), np.float32),
        "lens": np.array([len(s) for s in encoded], np.int64),
    }
    for i, sent in enumerate(encoded):
        for j, (w, s, tr, sh, cs) in enumerate(sent):
            out["word"][i, j] = w
            out["stem"][i, j] = s
            out["trig"][i, j] = tr
            out["shape"][i, j] = sh
            out["chars"][i, j, : len(cs)] = cs
        out["gaz"][i, : len(sent)] = [TAG_ID.get(g, 0) for g in gaz[i]]
        if len(sent):
            out["crf"][i, : len(sent)] = marg[i]
    return out


CRF_INPUTS = len(TAGS)


def crf_inputs(crf: object, xseq: list[list[str]]) -> np.ndarray:
    """What the ensemble reads from the CRF for one sentence: its Viterbi tags, one-hot ``(n, 9)``."""
    out = np.zeros((len(xseq), CRF_INPUTS), np.float32)
    if xseq:
        tags = crf.tag(xseq)  # type: ignore[attr-defined]
        out[np.arange(len(xseq)), [TAG_ID.get(t, 0) for t in tags]] = 1.0
    return out


def crf_marginals(crf: object, xseq: list[list[str]]) -> np.ndarray:
    """``(n, 9)`` marginal probabilities of the CRF (a ``pycrfsuite.Tagger``) for one sentence, in TAGS order."""
    crf.set(xseq)  # type: ignore[attr-defined]
    labels = set(crf.labels())  # type: ignore[attr-defined]
    out = np.zeros((len(xseq), len(TAGS)), np.float32)
    marginal = crf.marginal  # type: ignore[attr-defined]
    for k, tag in enumerate(TAGS):
        if tag in labels:
            out[:, k] = [marginal(tag, i) for i in range(len(xseq))]
    return out


# ---------------------------------------------------------------------------------------------- numpy inference


def _allowed() -> np.ndarray:
    """Additive transition mask: an I-X only after B-X or I-X (and never first)."""
    k = len(TAGS)
    mask = np.zeros((k + 1, k), np.float32)  # last row: start
    for j, t in enumerate(TAGS):
        if t.startswith("I-"):
            for i in range(k + 1):
                if i == k or TAGS[i][2:] != t[2:]:
                    mask[i, j] = -1e4
    return mask


_ALLOWED = _allowed()


class _Member:
    """One exported network's weights (``prefix`` picks them out of a file holding several)."""

    def __init__(self, z: Any, prefix: str = "") -> None:
        q = z[prefix + "emb_q"].astype(np.float32)
        self.emb = q * z[prefix + "emb_scale"].astype(np.float32)[:, None]
        skip = ("emb_q", "emb_scale", "dilations", "words", "chars", "crf_weight", "members")
        self.p = {k[len(prefix) :]: z[k].astype(np.float32) for k in z.files
                  if k.startswith(prefix) and k[len(prefix) :] not in skip and (prefix or "." not in k)}
        self.dilations = [int(d) for d in z[prefix + "dilations"]]
        self._charvec: dict[tuple[int, ...], np.ndarray] = {}

    def char_vectors(self, flat: Sequence[tuple[int, int, int, int, tuple[int, ...]]]) -> np.ndarray:
        """The character CNN's vector of each token (cached by character ids; new words done in one batch)."""
        cache = self._charvec
        missing = list({w[4] for w in flat if w[4] not in cache})
        if missing:
            ids = np.zeros((len(missing), MAX_CHARS + 2), np.int64)
            for r, cs in enumerate(missing):
                ids[r, 1 : 1 + len(cs)] = cs
            e = self.p["char_emb"][ids]  # (m, L+2, C)
            win = np.concatenate([e[:, :-2], e[:, 1:-1], e[:, 2:]], axis=2)  # (m, L, 3C)
            vecs = np.maximum(win @ self.p["char_w"] + self.p["char_b"], 0.0).max(axis=1)
            if len(cache) > 500_000:
                cache.clear()
            cache.update(zip(missing, vecs, strict=True))
        return np.stack([cache[w[4]] for w in flat])

    def scores(self, flat: Sequence[tuple[int, int, int, int, tuple[int, ...]]], ids: np.ndarray, g: np.ndarray,
               pos: np.ndarray, total: int) -> np.ndarray:
        p = self.p
        x_tok = np.concatenate([
            self.emb[ids[:, 0]], self.emb[ids[:, 1]], self.char_vectors(flat),
            p["gaz_emb"][g], p["trig_emb"][ids[:, 2]], p["shape_emb"][ids[:, 3]],
        ], axis=1)
        h = np.zeros((total, x_tok.shape[1]), np.float32)
        h[pos] = x_tok
        mask = np.zeros((total, 1), np.float32)
        mask[pos] = 1.0
        for k, d in enumerate(self.dilations):
            hp = np.zeros((total + 2 * d, h.shape[1]), np.float32)
            hp[d : d + total] = h
            win = np.concatenate([hp[:total], hp[d : d + total], hp[2 * d : 2 * d + total]], axis=1)
            h = np.maximum(win @ p[f"conv{k}_w"] + p[f"conv{k}_b"], 0.0) * mask
        return np.asarray(h[pos] @ p["out_w"].T + p["out_b"])


class Network:
    """The exported network (or the average of several, trained with different seeds) run with numpy."""

    def __init__(self, path: Path = NEURAL_PATH) -> None:
        z = np.load(path, allow_pickle=False)
        words = z["words"]
        self.words = str(words).split("\n") if words.ndim == 0 else [str(w) for w in words]
        self.chars = str(z["chars"])
        n = int(z["members"]) if "members" in z.files else 0
        self.members = [_Member(z, f"m{j}.") for j in range(n)] if n else [_Member(z)]
        self.p = {k: np.mean([m.p[k] for m in self.members], axis=0) for k in ("trans", "start", "end")}
        self.gap = max(max(m.dilations) for m in self.members)
        self.crf_weight = float(z["crf_weight"])
        self.exact_marginals = False  # propagation gate: P(O) by forward-backward (slower) or by tag-score softmax
        try:  # small matrices: one BLAS thread is faster, and several are much slower on a busy machine
            from threadpoolctl import ThreadpoolController

            self._threads: Any = ThreadpoolController()
        except ImportError:  # pragma: no cover - a scikit-learn dependency
            self._threads = None

    def emissions(self, encoded: Sequence[Sequence[tuple[int, int, int, int, tuple[int, ...]]]],
                  gaz: Sequence[Sequence[str]], crf: Sequence[np.ndarray] | None) -> list[np.ndarray]:
        """Tag scores ``(n, 9)`` of each (non-empty) sentence, averaged over the members.

        The sentences are laid end to end with zero rows between them, as many as the widest dilation,
        so each convolution reads only its own sentence (as with per-sentence zero padding)."""
        gap = self.gap
        lens = [len(x) for x in encoded]
        flat = [w for sent in encoded for w in sent]
        n = len(flat)
        starts = np.cumsum([0] + [k + gap for k in lens])[:-1] + gap
        pos = np.concatenate([np.arange(st, st + k) for st, k in zip(starts, lens, strict=True)])
        total = int(starts[-1] + lens[-1] + gap)
        ids = np.array([w[:4] for w in flat], np.int64).reshape(n, 4)
        g = np.array([TAG_ID.get(t, 0) for tags in gaz for t in tags], np.int64)
        em = self.members[0].scores(flat, ids, g, pos, total)
        for m in self.members[1:]:
            em += m.scores(flat, ids, g, pos, total)
        if len(self.members) > 1:
            em /= len(self.members)
        if self.crf_weight and crf is not None:
            em += self.crf_weight * np.concatenate(list(crf))[:, : len(TAGS)]
        return np.split(em, np.cumsum(lens)[:-1])

    def decode(self, ems: Sequence[np.ndarray]) -> list[list[int]]:
        """Viterbi over each sentence's emissions with the learnt transitions and BIO constraints, all
        sentences at once."""
        lens = np.array([len(e) for e in ems])
        b, t, k = len(ems), int(lens.max()), len(TAGS)
        em = np.zeros((b, t, k), np.float32)
        for r, e in enumerate(ems):
            em[r, : len(e)] = e
        trans = (self.p["trans"] + _ALLOWED[:-1])[None]
        score = self.p["start"] + _ALLOWED[-1] + em[:, 0]
        back = np.zeros((b, t, k), np.int64)
        keep = np.arange(k)[None, :].repeat(b, 0)
        for s in range(1, t):
            cand = score[:, :, None] + trans
            arg = cand.argmax(axis=1)
            new = np.take_along_axis(cand, arg[:, None, :], axis=1)[:, 0] + em[:, s]
            live = (s < lens)[:, None]
            back[:, s] = np.where(live, arg, keep)
            score = np.where(live, new, score)
        score = score + self.p["end"]
        best = score.argmax(axis=1)
        path = np.zeros((b, t), np.int64)
        path[:, t - 1] = best
        rows = np.arange(b)
        for s in range(t - 1, 0, -1):
            best = back[rows, s, best]
            path[:, s - 1] = best
        return [path[r, : lens[r]].tolist() for r in range(b)]

    def marginals_o(self, ems: Sequence[np.ndarray]) -> list[np.ndarray]:
        """P(O) at each token under the network's CRF (forward-backward, all sentences at once)."""
        lens = np.array([len(e) for e in ems])
        b, t, k = len(ems), int(lens.max()), len(TAGS)
        em = np.zeros((b, t, k), np.float64)
        for r, e in enumerate(ems):
            em[r, : len(e)] = e
        trans = (self.p["trans"] + _ALLOWED[:-1]).astype(np.float64)
        live = np.arange(t)[None, :] < lens[:, None]

        def lse(x: np.ndarray, axis: int) -> np.ndarray:
            m = x.max(axis=axis, keepdims=True)
            return (m + np.log(np.exp(x - m).sum(axis=axis, keepdims=True))).squeeze(axis)

        alpha = np.zeros((b, t, k))
        alpha[:, 0] = self.p["start"] + _ALLOWED[-1] + em[:, 0]
        for s in range(1, t):
            alpha[:, s] = lse(alpha[:, s - 1][:, :, None] + trans[None], 1) + em[:, s]
        beta = np.zeros((b, t, k))
        last = lens - 1
        beta[np.arange(b), last] = self.p["end"]
        for s in range(t - 2, -1, -1):
            nxt = lse(trans[None] + (em[:, s + 1] + beta[:, s + 1])[:, None, :], 2)
            beta[:, s] = np.where((s < last)[:, None], nxt, beta[:, s])
        log_z = lse(alpha[np.arange(b), last] + self.p["end"], 1)
        p_o = np.exp(alpha[:, :, 0] + beta[:, :, 0] - log_z[:, None])
        return [p_o[r, : lens[r]] for r in range(b) if live[r].any()]

    def tag(self, encoded: Sequence[Sequence[tuple[int, int, int, int, tuple[int, ...]]]],
            gaz: Sequence[Sequence[str]], crf: Sequence[np.ndarray] | None,
            p_o: list[np.ndarray] | None = None) -> list[list[str]]:
        """Tags of each sentence; with ``p_o`` (a list), P(O) of each token is appended to it."""
        keep = [i for i, s in enumerate(encoded) if s]
        out: list[list[str]] = [[] for _ in encoded]
        if p_o is not None:
            p_o.extend(np.zeros(len(s)) for s in encoded)
        if not keep:
            return out
        args = ([encoded[i] for i in keep], [gaz[i] for i in keep], [crf[i] for i in keep] if crf is not None else None)
        if self._threads is not None:
            with self._threads.limit(limits=1, user_api="blas"):
                ems = self.emissions(*args)
        else:
            ems = self.emissions(*args)
        for i, path in zip(keep, self.decode(ems), strict=True):
            out[i] = [TAGS[j] for j in path]
        if p_o is not None:
            if self.exact_marginals:
                for i, m in zip(keep, self.marginals_o(ems), strict=True):
                    p_o[i] = m
            else:  # the tag scores' softmax: a cheap stand-in that ignores the transitions
                for i, e in zip(keep, ems, strict=True):
                    x = np.exp(e - e.max(axis=1, keepdims=True))
                    p_o[i] = x[:, 0] / x.sum(axis=1)
        return out


# ---------------------------------------------------------------------------------------------- training (torch)


def fold_gazetteers(datasets: Path, sents: Sequence[Sequence[tuple[str, str]]],
                    folds: int = 5) -> list[ner.Gazetteer]:
    """Gazetteer ``k`` is built without the names of the training sentences ``i`` with ``i % folds == k``
    (the same jackknife as the CRF's training), plus the external name lists."""
    external = ner.external_names(datasets)
    return [ner.Gazetteer.from_counts(ner.merge_names(
        external, ner._entity_names(s for i, s in enumerate(sents) if i % folds != k))) for k in range(folds)]


DILATIONS = (1, 2, 1)


def _torch_net(emb: np.ndarray, n_chars: int, hidden: int, char_dim: int, char_filters: int) -> object:
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            v, d = emb.shape
            self.emb = nn.Embedding(v + 2, d, padding_idx=0)
            with torch.no_grad():
                self.emb.weight[2:] = torch.from_numpy(emb)
                self.emb.weight[:2] = 0.0
            self.char_emb = nn.Embedding(n_chars + 2, char_dim, padding_idx=0)
            self.char_conv = nn.Conv1d(char_dim, char_filters, 3, padding=1)
            self.gaz_emb = nn.Embedding(len(TAGS), 8)
            self.trig_emb = nn.Embedding(4, 4)
            self.shape_emb = nn.Embedding(4, 4)
            d_in = 2 * d + char_filters + 8 + 4 + 4
            self.convs = nn.ModuleList(
                nn.Conv1d(d_in if k == 0 else hidden, hidden, 3, padding=dil, dilation=dil)
                for k, dil in enumerate(DILATIONS))
            self.drop = nn.Dropout(0.5)
            self.drop_h = nn.Dropout(0.3)
            self.out = nn.Linear(hidden, len(TAGS))
            self.trans = nn.Parameter(torch.zeros(len(TAGS), len(TAGS)))
            self.start = nn.Parameter(torch.zeros(len(TAGS)))
            self.end = nn.Parameter(torch.zeros(len(TAGS)))

        def forward(self, b: dict[str, torch.Tensor]) -> torch.Tensor:
            bs, t = b["word"].shape
            ch = self.char_emb(b["chars"].view(bs * t, MAX_CHARS)).transpose(1, 2)
            cv = torch.relu(self.char_conv(ch)).max(dim=2).values.view(bs, t, -1)
            x = torch.cat([self.emb(b["word"]), self.emb(b["stem"]), cv, self.gaz_emb(b["gaz"]),
                           self.trig_emb(b["trig"]), self.shape_emb(b["shape"])], dim=2)
            mask = (torch.arange(t)[None, :] < b["lens"][:, None]).float()[:, None, :]
            h = self.drop(x).transpose(1, 2) * mask
            for k, conv in enumerate(self.convs):
                h = torch.relu(conv(h)) * mask
                if k < len(self.convs) - 1:
                    h = self.drop_h(h)
            return self.out(self.drop_h(h.transpose(1, 2)))

        def nll(self, em: torch.Tensor, tags: torch.Tensor, lens: torch.Tensor) -> torch.Tensor:
            bs, t, k = em.shape
            mask = torch.arange(t)[None, :] < lens[:, None]
            score = self.start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
            alpha = self.start[None] + em[:, 0]
            for s in range(1, t):
                m = mask[:, s]
                step = self.trans[tags[:, s - 1], tags[:, s]] + em[:, s].gather(1, tags[:, s : s + 1]).squeeze(1)
                score = score + step * m
                nxt = torch.logsumexp(alpha[:, :, None] + self.trans[None], dim=1) + em[:, s]
                alpha = torch.where(m[:, None], nxt, alpha)
            last = tags.gather(1, (lens - 1)[:, None]).squeeze(1)
            score = score + self.end[last]
            log_z = torch.logsumexp(alpha + self.end[None], dim=1)
            return (log_z - score).sum()

    return Net()


def _export(net: object, words: Sequence[str], chars: str, out: Path, crf_weight: float) -> None:
    sd = {k: v.detach().cpu().numpy() for k, v in net.state_dict().items()}  # type: ignore[attr-defined]
    emb = sd["emb.weight"]
    scale = np.abs(emb).max(axis=1) / 127.0 + 1e-12
    q = np.round(emb / scale[:, None]).astype(np.int8)
    arrays: dict[str, np.ndarray] = {
        "words": np.array("\n".join(words)), "chars": np.array(chars), "emb_q": q,
        "emb_scale": scale.astype(np.float32),
        "dilations": np.array(DILATIONS, np.int64), "crf_weight": np.array(crf_weight, np.float32),
        "char_emb": sd["char_emb.weight"], "char_b": sd["char_conv.bias"], "gaz_emb": sd["gaz_emb.weight"],
        "trig_emb": sd["trig_emb.weight"], "shape_emb": sd["shape_emb.weight"], "out_w": sd["out.weight"],
        "out_b": sd["out.bias"], "trans": sd["trans"], "start": sd["start"], "end": sd["end"],
    }
    w = sd["char_conv.weight"]  # (F, C, 3) → (3C, F), window order [k, c]
    arrays["char_w"] = np.transpose(w, (2, 1, 0)).reshape(-1, w.shape[0])
    for layer in range(len(DILATIONS)):
        w = sd[f"convs.{layer}.weight"]
        arrays[f"conv{layer}_w"] = np.transpose(w, (2, 1, 0)).reshape(-1, w.shape[0])
        arrays[f"conv{layer}_b"] = sd[f"convs.{layer}.bias"]
    for key, v in list(arrays.items()):
        if v.dtype == np.float32 and key != "crf_weight":
            arrays[key] = v.astype(np.float16)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]


def micro_f1(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> tuple[float, float, float]:
    tp = n_g = n_p = 0
    for g, p in zip(gold, pred, strict=True):
        gs = set(ner.spans(g))
        ps = set(ner.spans(p))
        tp += len(gs & ps)
        n_g += len(gs)
        n_p += len(ps)
    prec = tp / n_p if n_p else 0.0
    rec = tp / n_g if n_g else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def split_train_dev(datasets: Path, dev_tail: float, folds: int = 5) -> tuple[
        list[list[tuple[str, str]]], list[list[tuple[str, str]]], list[ner.Gazetteer], ner.Gazetteer]:
    """ANERcorp's training sentences, minus the last ``dev_tail`` of them (the development split, in
    text order), with the training part's jackknife gazetteers and its full gazetteer (what the dev split
    sees, as the test split sees the gazetteer of all training names)."""
    sents = ner.anercorp_train(datasets)
    n_dev = int(len(sents) * dev_tail)
    train, dev = sents[: len(sents) - n_dev], sents[len(sents) - n_dev :]
    fold_gaz = fold_gazetteers(datasets, train, folds)
    full = ner.Gazetteer.from_counts(ner.merge_names(ner.external_names(datasets), ner._entity_names(train)))
    return train, dev, fold_gaz, full


def train_network(datasets: Path, out: Path, *, vectors: Path, dev_tail: float = 0.0, epochs: int = 15,
                  hidden: int = 128, seed: int = 13, lr: float = 1e-3, batch_size: int = 16,
                  word_dropout: float = 0.1, crf_weight: float = 2.0, folds: int = 5) -> None:
    """Train the network on ANERcorp's training part and export it for numpy.

    Each training sentence sees the gazetteer built without its fold's names (the CRF's jackknife).
    With ``dev_tail`` > 0 the last part of the training sentences is held out and scored each epoch."""
    import random
    import time

    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    lexicon = ner.Lexicon.load(ner.LEXICON_PATH)
    train, dev, fold_gaz, full = split_train_dev(datasets, dev_tail, folds)
    sents = train + dev
    gaz_tags = [fold_gaz[i % folds].tag([ner._match(t) or t for t, _ in s]) for i, s in enumerate(train)]
    gaz_tags += [full.tag([ner._match(t) or t for t, _ in s]) for s in dev]
    z = np.load(vectors)
    words = [str(w) for w in z["words"]]
    emb = z["vectors"].astype(np.float32)
    chars_count: Counter[str] = Counter(c for s in train for t, _ in s for c in (ner._match(t) or t))
    chars = "".join(sorted(c for c, n in chars_count.items() if n >= 2))
    enc = Encoder(words, chars, lexicon)
    encoded = [[enc.word(t) for t, _ in s] for s in sents]
    tags = [[TAG_ID[g] for _, g in s] for s in sents]
    train_idx = list(range(len(train)))
    dev_idx = list(range(len(train), len(sents)))
    zero = [np.zeros((len(s), CRF_INPUTS), np.float32) for s in sents]
    net = _torch_net(emb, len(chars), hidden, 24, 50)
    opt = torch.optim.Adam(net.parameters(), lr=lr)  # type: ignore[attr-defined]
    n_batches = (len(train_idx) + batch_size - 1) // batch_size
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: max(0.05, 1.0 - step / (epochs * n_batches)))

    def tensors(idx: Sequence[int], train: bool) -> dict[str, torch.Tensor]:
        batch = _pack([encoded[i] for i in idx], [gaz_tags[i] for i in idx], [zero[i] for i in idx])
        if train and word_dropout:
            for key in ("word", "stem"):
                drop = nrng.random(batch[key].shape) < word_dropout
                batch[key][drop & (batch[key] > 0)] = UNK
        tb = {k: torch.from_numpy(v) for k, v in batch.items()}
        t = batch["word"].shape[1]
        tb["tags"] = torch.tensor([tags[i] + [0] * (t - len(tags[i])) for i in idx], dtype=torch.int64)
        return tb

    def dev_f1() -> tuple[float, float, float]:
        net.eval()  # type: ignore[attr-defined]
        pred: list[list[str]] = []
        tr = net.trans.detach().numpy() + _ALLOWED[:-1]  # type: ignore[attr-defined]
        st = net.start.detach().numpy() + _ALLOWED[-1]  # type: ignore[attr-defined]
        en = net.end.detach().numpy()  # type: ignore[attr-defined]
        with torch.no_grad():
            for k in range(0, len(dev_idx), 64):
                idx = dev_idx[k : k + 64]
                em = net(tensors(idx, False)).numpy()  # type: ignore[operator]
                for r, i in enumerate(idx):
                    pred.append([TAGS[j] for j in _viterbi(em[r, : len(tags[i])], tr, st, en)])
        net.train()  # type: ignore[attr-defined]
        return micro_f1([[g for _, g in sents[i]] for i in dev_idx], pred)

    for epoch in range(epochs):
        t0 = time.time()
        order = train_idx[:]
        rng.shuffle(order)
        order.sort(key=lambda i: len(sents[i]) // 8 + rng.random())  # similar lengths batched together
        batches = [order[k : k + batch_size] for k in range(0, len(order), batch_size)]
        rng.shuffle(batches)
        total = 0.0
        for idx in batches:
            tb = tensors(idx, True)
            em = net(tb)  # type: ignore[operator]
            loss = net.nll(em, tb["tags"], tb["lens"])  # type: ignore[attr-defined]
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)  # type: ignore[attr-defined]
            opt.step()
            sched.step()
            total += loss.item()
        if dev_idx:
            LOGGER.info("epoch %d: loss %.1f, dev (network alone) P %.4f R %.4f F1 %.4f (%.0f s)", epoch + 1, total,
                        *dev_f1(), time.time() - t0)
        else:
            LOGGER.info("epoch %d: loss %.1f (%.0f s)", epoch + 1, total, time.time() - t0)
    _export(net, words, chars, out, crf_weight)
    LOGGER.info("wrote %s", out)


def dev_ensemble(datasets: Path, neural: Path, crf_path: Path, dev_tail: float, *, window: int = 50,
                 iterations: int = 150) -> None:
    """Score the CRF, the network and their ensemble (several CRF weights) on the development split.

    The CRF is trained on the training part first (as ``make train-ner`` trains the shipped one) when
    ``crf_path`` does not exist."""
    lexicon = ner.Lexicon.load(ner.LEXICON_PATH)
    train, dev, fold_gaz, full = split_train_dev(datasets, dev_tail)
    if not crf_path.exists():
        featurizer = ner.Featurizer(lexicon, full)
        ner.train(train, crf_path, featurizer, max_iterations=iterations,
                  gazetteers=[fold_gaz[i % len(fold_gaz)] for i in range(len(train))])
    tagger = ner.Tagger(crf_path, lexicon, full, neural_path=neural, stack_path=None)
    crf_tagger = ner.Tagger(crf_path, lexicon, full, neural_path=None, stack_path=None)
    assert tagger.neural is not None
    toks = [[t for t, _ in s] for s in dev]
    gold = [[g for _, g in s] for s in dev]
    feats = [tagger.featurizer.sentence(s) for s in toks]
    inputs = [crf_inputs(tagger._crf, x) for x in feats]
    gtags = [full.tag([ner._match(t) or t for t in s]) for s in toks]

    def docs(fn: object) -> list[list[str]]:
        out: list[list[str]] = []
        for k in range(0, len(toks), window):
            out += fn(k, k + window)  # type: ignore[operator]
        return out

    for prop in (False, True):
        pred = docs(lambda a, b, p=prop: crf_tagger.tag_sentences(toks[a:b], propagate=p))
        LOGGER.info("dev CRF alone, propagate %s: P %.4f R %.4f F1 %.4f", prop, *micro_f1(gold, pred))
    tagger.neural.exact_marginals = True
    pred = docs(lambda a, b: tagger.tag_neural(toks[a:b], gtags[a:b], None, feats[a:b]))
    LOGGER.info("dev network alone, propagation gated by forward-backward P(O): P %.4f R %.4f F1 %.4f",
                *micro_f1(gold, pred))
    tagger.neural.exact_marginals = False
    for w in (0.0, 1.0, 2.0, 3.0, 4.0, 6.0):
        tagger.neural.crf_weight = w
        for prop in (False, True):
            pred = docs(lambda a, b, p=prop: tagger.tag_neural(toks[a:b], gtags[a:b], inputs[a:b], feats[a:b],
                                                               propagate=p))
            LOGGER.info("dev ensemble crf_weight %.1f propagate %s: P %.4f R %.4f F1 %.4f", w, prop,
                        *micro_f1(gold, pred))


def _viterbi(em: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    n = len(em)
    score = start + em[0]
    back = np.zeros((n, em.shape[1]), np.int64)
    for s in range(1, n):
        cand = score[:, None] + trans
        back[s] = cand.argmax(axis=0)
        score = cand.max(axis=0) + em[s]
    score = score + end
    best = [int(score.argmax())]
    for s in range(n - 1, 0, -1):
        best.append(int(back[s, best[-1]]))
    return best[::-1]


def combine(paths: Sequence[Path], out: Path, crf_weight: float) -> None:
    """One file holding several exported networks (same vocabulary), whose tag scores are averaged."""
    files = [np.load(p, allow_pickle=False) for p in paths]
    first = files[0]

    def vocab(z: Any) -> str:
        w = z["words"]
        return str(w) if w.ndim == 0 else "\n".join(str(x) for x in w)

    for z in files[1:]:
        if vocab(z) != vocab(first) or str(z["chars"]) != str(first["chars"]):
            raise ValueError("networks to combine must share their vocabulary and characters")
    arrays: dict[str, np.ndarray] = {"words": np.array(vocab(first)), "chars": first["chars"],
                                     "crf_weight": np.array(crf_weight, np.float32),
                                     "members": np.array(len(files), np.int64)}
    for j, z in enumerate(files):
        for k in z.files:
            if k not in ("words", "chars", "crf_weight", "members"):
                arrays[f"m{j}.{k}"] = z[k]
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m marsad.ner_neural")
    sub = parser.add_subparsers(dest="command", required=True)
    p_emb = sub.add_parser("embeddings")
    p_emb.add_argument("--datasets", default=str(Path(__file__).resolve().parents[2].parent / "shared/datasets"))
    p_emb.add_argument("--out", default="out/ner_vectors_raw.npz")
    p_tr = sub.add_parser("train")
    p_tr.add_argument("--datasets", default=str(Path(__file__).resolve().parents[2].parent / "shared/datasets"))
    p_tr.add_argument("--out", default=str(NEURAL_PATH))
    p_tr.add_argument("--vectors", default="out/ner_vectors_raw.npz")
    p_tr.add_argument("--dev-tail", type=float, default=0.0, help="hold out this last part of the training text")
    p_tr.add_argument("--epochs", type=int, default=15)
    p_tr.add_argument("--hidden", type=int, default=128)
    p_tr.add_argument("--lr", type=float, default=1e-3)
    p_tr.add_argument("--word-dropout", type=float, default=0.1)
    p_tr.add_argument("--crf-weight", type=float, default=2.0)
    p_tr.add_argument("--seed", type=int, default=13)
    p_comb = sub.add_parser("combine", help="average several trained networks (one file)")
    p_comb.add_argument("inputs", nargs="+")
    p_comb.add_argument("--out", required=True)
    p_comb.add_argument("--crf-weight", type=float, default=0.0)
    p_dev = sub.add_parser("dev-ensemble")
    p_dev.add_argument("--datasets", default=str(Path(__file__).resolve().parents[2].parent / "shared/datasets"))
    p_dev.add_argument("--neural", required=True)
    p_dev.add_argument("--crf", required=True, help="CRF trained without the dev tail (trained here if absent)")
    p_dev.add_argument("--dev-tail", type=float, default=0.15)
    args = parser.parse_args(list(argv) if argv is not None else None)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "embeddings":
        build_embeddings(Path(args.datasets), Path(args.out))
    elif args.command == "train":
        train_network(Path(args.datasets), Path(args.out), vectors=Path(args.vectors), dev_tail=args.dev_tail,
                      epochs=args.epochs, hidden=args.hidden, lr=args.lr, word_dropout=args.word_dropout,
                      crf_weight=args.crf_weight, seed=args.seed)
    elif args.command == "combine":
        combine([Path(x) for x in args.inputs], Path(args.out), args.crf_weight)
    else:
        dev_ensemble(Path(args.datasets), Path(args.neural), Path(args.crf), args.dev_tail)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
