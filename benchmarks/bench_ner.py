"""Benchmark NER tagging speed on one core: model load time and tokens per second.

    .venv/bin/python benchmarks/bench_ner.py --datasets ../shared/datasets

Throughput is tokens per second of this process's CPU time (the machine may be shared; wall times
are printed too). Tags the ANERcorp CAMeL test split (25,008 tokens) with the committed tagger (the CRF,
or a CNN when one is committed; ``--model out/ner_stack/ner.crfsuite``: the stacked CRFs), cold (empty
caches) and warm, with and without name propagation, the first-stage CRF on its own (stacked or CNN) and
the gazetteer-only baseline as peers.
Exits 1 when the cold tagging speed is below the 20,000 tokens/s target or the model takes over 1 s to load.
Falls back to the sample corpus when the datasets are absent.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from marsad import ner

TARGET_TOKENS_PER_S = 20_000
TARGET_LOAD_S = 1.0


def _sentences(datasets: Path) -> list[list[str]]:
    path = datasets / "anercorp" / "ANERCorp_CamelLab_test.txt"
    if path.exists():
        return [[t for t, _ in s] for s in ner.anercorp_test(datasets)]
    print(f"{path} not found: timing on the sample corpus instead")
    seeds = Path(__file__).resolve().parents[1] / "samples" / "seeds"
    toks = [t for p in sorted(seeds.glob("*.txt")) for _, _, t in ner.tokenize(p.read_text(encoding="utf-8"))]
    return [toks[s:e] for s, e in ner.sentences(toks)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=str(Path(__file__).resolve().parents[1].parent / "shared/datasets"))
    parser.add_argument("--neural", default=str(ner.NEURAL_PATH),
                        help="a network (ner_neural.npz) to time instead of the committed tagger's")
    parser.add_argument("--model", default=str(ner.MODEL_PATH),
                        help="a first-stage CRF; ner_stack.crfsuite, lexicon and gazetteer beside it are used if there")
    parser.add_argument("--crf-weight", type=float, default=None,
                        help="override the network's CRF weight (0: the network alone, no CRF)")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    sents = _sentences(Path(args.datasets))
    n_tok = sum(len(s) for s in sents)
    t0 = time.perf_counter()
    c0 = time.process_time()
    model = Path(args.model)
    lexicon, gazetteer = model.parent / ner.LEXICON_PATH.name, model.parent / ner.GAZETTEER_PATH.name
    tagger = ner.Tagger(model, ner.Lexicon.load(lexicon) if lexicon.exists() else None,
                        ner.Gazetteer.load(gazetteer) if gazetteer.exists() else None,
                        neural_path=Path(args.neural), stack_path=model.parent / ner.STACK_PATH.name)
    load_s = time.process_time() - c0
    if tagger.neural is not None and args.crf_weight is not None:
        tagger.neural.crf_weight = args.crf_weight
    print(f"model + lexicon + gazetteer load: {load_s:.3f} s CPU, {time.perf_counter() - t0:.3f} s wall "
          f"(target < {TARGET_LOAD_S:.0f} s)")
    for path in (model, model.parent / ner.STACK_PATH.name, Path(args.neural), lexicon, gazetteer):
        if path.exists():
            print(f"  {path.name}: {path.stat().st_size / 1e6:.2f} MB")
    print(f"{len(sents)} sentences, {n_tok} tokens, one core\n")
    print("| run | tokens/s (CPU time) | CPU s | wall s |\n|---|---|---|---|")
    rows = []
    window = 50  # sentences per "document" for name propagation

    def run(name: str, fn: object) -> float:
        t = time.perf_counter()
        c = time.process_time()
        fn()  # type: ignore[operator]
        cpu = time.process_time() - c
        wall = time.perf_counter() - t
        rows.append((name, n_tok / cpu, cpu))
        print(f"| {name} | {n_tok / cpu:,.0f} | {cpu:.2f} | {wall:.2f} |")
        return n_tok / cpu

    crf_tagger = ner.Tagger(model, tagger.lexicon, tagger.gazetteer, neural_path=None, stack_path=None)
    name = "2 stacked CRFs" if tagger._stack is not None else "CRF"
    if tagger.neural is not None:
        name = f"{len(tagger.neural.members)} CNN" + (" + CRF" if tagger.neural.crf_weight else "")

    def tag(tg: ner.Tagger, propagate: bool) -> None:
        for i in range(0, len(sents), window):
            tg.tag_sentences(sents[i : i + window], propagate=propagate)

    cold = run(f"{name} + propagation, cold caches (shipped)", lambda: tag(tagger, True))
    run(f"{name} + propagation, warm", lambda: tag(tagger, True))
    run(f"{name}, no propagation, warm", lambda: tag(tagger, False))
    if tagger.neural is not None or tagger._stack is not None:
        run("first-stage CRF alone + propagation, warm", lambda: tag(crf_tagger, True))
    gaz = tagger.gazetteer
    run("gazetteer longest match (baseline)", lambda: [gaz.tag([ner._match(t) for t in s]) for s in sents])
    ok = cold >= TARGET_TOKENS_PER_S and load_s < TARGET_LOAD_S
    print(f"\n{'OK' if ok else 'FAIL'}: {cold:,.0f} tokens/s cold (target {TARGET_TOKENS_PER_S:,}), "
          f"load {load_s:.2f} s (target < {TARGET_LOAD_S:.0f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
