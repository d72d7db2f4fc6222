from __future__ import annotations

from pathlib import Path

import pytest

from marsad.errors import SettingsError
from marsad.settings import Settings


def test_defaults_and_help() -> None:
    s = Settings()
    assert s.engine == "local" and s.summary_words == 100
    assert all(help_ for _, _, help_ in Settings.help())


def test_file_then_overrides(tmp_path: Path) -> None:
    cfg = tmp_path / "marsad.toml"
    cfg.write_text("[marsad]\nsummary_words = 60\nbatch_size = 10\n", encoding="utf-8")
    s = Settings.load(cfg, batch_size=5)
    assert (s.summary_words, s.batch_size) == (60, 5)


@pytest.mark.parametrize(
    ("kw", "message"),
    [({"engine": "spark"}, "engine"), ({"batch_size": 0}, "batch_size"), ({"colour": "red"}, "unknown setting")],
)
def test_invalid_settings_name_the_fix(kw: dict, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.load(None, **kw)


def test_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("summary_words = = 3", encoding="utf-8")
    with pytest.raises(SettingsError, match="bad.toml"):
        Settings.load(bad)
