"""Evaluate the NER tagger on the ANERcorp CAMeL Lab test split (entity level, conlleval rules).

    .venv/bin/python eval/eval_ner.py --datasets ../shared/datasets

Prints precision / recall / F1 per type and overall (micro) for the committed tagger (the CRF plus name
propagation; with ``--model out/ner_stack/ner.crfsuite``, from ``make train-ner-stack``, the stacked CRFs:
a first CRF, then a second CRF over the first one's document-level outputs), the same without
propagation, the first-stage CRF on its own (stacked only) and, in the same run, a gazetteer-only
baseline (longest match against the gazetteer).
Exits 1 when the shipped tagger's micro F1 is below the pinned minimum (quality gate), 0
otherwise; 0 with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from marsad import ner

WINDOW = 50  # consecutive test sentences tagged together as one "document"
MIN_F1 = 0.70  # pinned quality gate: micro F1 of the committed model on the CAMeL test split


def score(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, tuple[float, float, float, int]]:
    """conlleval-style exact chunk match: ``{type: (precision, recall, f1, gold count)}`` plus ``"ALL"``."""
    tp: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        gs = set(ner.spans(g))
        ps = set(ner.spans(p))
        for _, _, t in gs:
            n_gold[t] += 1
        for _, _, t in ps:
            n_pred[t] += 1
        for _, _, t in gs & ps:
            tp[t] += 1
    out: dict[str, tuple[float, float, float, int]] = {}
    for t in [*sorted(set(n_gold) | set(n_pred)), "ALL"]:
        a = sum(tp.values()) if t == "ALL" else tp[t]
        ng = sum(n_gold.values()) if t == "ALL" else n_gold[t]
        npred = sum(n_pred.values()) if t == "ALL" else n_pred[t]
        prec = a / npred if npred else 0.0
        rec = a / ng if ng else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[t] = (prec, rec, f1, ng)
    return out


def print_table(name: str, res: dict[str, tuple[float, float, float, int]]) -> None:
    print(f"\n{name}")
    print("| type | precision | recall | F1 | gold |\n|---|---|---|---|---|")
    for t, (p, r, f, n) in res.items():
        label = "**micro (all)**" if t == "ALL" else t
        print(f"| {label} | {p:.3f} | {r:.3f} | {f:.3f} | {n} |")


def _tag(tagger: ner.Tagger, tokens: list[list[str]], *, propagate: bool) -> list[list[str]]:
    """Tag the test sentences ``WINDOW`` at a time (the split has no document breaks)."""
    if not propagate:
        return [tagger.tag_sentences([t], propagate=False)[0] for t in tokens]
    out: list[list[str]] = []
    for i in range(0, len(tokens), WINDOW):
        out += tagger.tag_sentences(tokens[i : i + WINDOW])
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=str(Path(__file__).resolve().parents[1].parent / "shared/datasets"))
    parser.add_argument("--model", default=str(ner.MODEL_PATH))
    parser.add_argument("--neural", default=str(ner.NEURAL_PATH), help="the network (ner_neural.npz)")
    parser.add_argument("--stack", default=None,
                        help="the second-stage CRF (default: ner_stack.crfsuite beside --model, used when it exists); "
                             "the lexicon and gazetteer beside --model are used too when they are there")
    parser.add_argument("--min-f1", type=float, default=MIN_F1)
    args = parser.parse_args(argv)
    test_path = Path(args.datasets) / "anercorp" / "ANERCorp_CamelLab_test.txt"
    if not test_path.exists():
        print(f"skipped: {test_path} not found (pass --datasets)")
        return 0
    sents = ner.anercorp_test(Path(args.datasets))
    tokens = [[t for t, _ in s] for s in sents]
    gold = [[g for _, g in s] for s in sents]
    t0 = time.perf_counter()
    model = Path(args.model)
    stack = Path(args.stack) if args.stack else model.parent / ner.STACK_PATH.name
    lexicon = model.parent / ner.LEXICON_PATH.name
    gazetteer = model.parent / ner.GAZETTEER_PATH.name
    tagger = ner.Tagger(model, ner.Lexicon.load(lexicon) if lexicon.exists() else None,
                        ner.Gazetteer.load(gazetteer) if gazetteer.exists() else None,
                        neural_path=Path(args.neural), stack_path=stack)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pred = _tag(tagger, tokens, propagate=True)
    tag_s = time.perf_counter() - t0
    pred_plain = _tag(tagger, tokens, propagate=False)
    n_tok = sum(len(t) for t in tokens)
    print(f"ANERcorp CAMeL test split: {len(sents)} sentences, {n_tok} tokens "
          f"(model loaded in {load_s:.2f} s, tagged in {tag_s:.1f} s)\n"
          "Entity-level exact match (conlleval rules); micro = over all entities.")
    shipped = score(gold, pred)
    name = ("CNN + CRF ensemble" if tagger.neural is not None else
            "Stacked CRFs (2 stages)" if tagger._stack is not None else "CRF tagger")
    print_table(f"{name} + name propagation ({WINDOW} sentences a document) — the shipped tagger", shipped)
    print_table(f"{name} alone (each sentence on its own, no propagation)", score(gold, pred_plain))
    if tagger.neural is not None or tagger._stack is not None:
        crf_tagger = ner.Tagger(Path(args.model), tagger.lexicon, tagger.gazetteer, neural_path=None, stack_path=None)
        print_table(f"First-stage CRF alone + name propagation ({WINDOW} sentences a document)",
                    score(gold, _tag(crf_tagger, tokens, propagate=True)))
    gaz = tagger.gazetteer
    base = [gaz.tag([ner._match(t) or t for t in toks]) for toks in tokens]
    print_table("Baseline: gazetteer longest match only", score(gold, base))
    f1 = shipped["ALL"][2]
    if f1 < args.min_f1:
        print(f"\nFAIL: micro F1 {f1:.3f} < pinned minimum {args.min_f1:.2f}")
        return 1
    print(f"\nOK: micro F1 {f1:.3f} >= pinned minimum {args.min_f1:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
