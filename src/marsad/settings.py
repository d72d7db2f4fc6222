"""One frozen Settings object: shipped defaults, a user TOML file on top, validated at once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import SettingsError


@dataclass(frozen=True, slots=True)
class Settings:
    """marsad's settings. Each field's ``metadata['help']`` is its help line (shown by ``marsad settings``)."""

    engine: str = field(default="local", metadata={"help": "processing backend: 'local' (Spark is planned)"})
    batch_size: int = field(
        default=2000, metadata={"help": "documents processed and committed per transaction during `marsad run`"}
    )
    summary_words: int = field(default=100, metadata={"help": "word budget of each story summary"})
    summary_sentences: int = field(default=5, metadata={"help": "maximum sentences in each story summary"})
    summary_embed_singletons: bool = field(
        default=False,
        metadata={
            "help": "rank one-article stories' sentences with embeddings too (cross-outlet stories always use them; "
            "slower on large corpora)"
        },
    )
    entities: bool = field(default=True, metadata={"help": "run the NER + entity unification stage"})
    story_window_days: int = field(
        default=14, metadata={"help": "how far apart (days) two articles may be and still join one story"}
    )

    def __post_init__(self) -> None:
        if self.engine not in ("local",):
            raise SettingsError(
                f"engine={self.engine!r}: only 'local' is available in this version; set engine = \"local\""
            )
        for name in ("batch_size", "summary_words", "summary_sentences", "story_window_days"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise SettingsError(f"{name}={value!r}: must be a whole number ≥ 1")

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides: Any) -> Settings:
        """Defaults, then the TOML file at ``path`` (a ``[marsad]`` table or top-level keys), then overrides."""
        values: dict[str, Any] = {}
        if path is not None:
            p = Path(path)
            try:
                data = tomllib.loads(p.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise SettingsError(f"{p}: cannot read settings file: {exc}") from exc
            values.update(data.get("marsad", data))
        values.update({k: v for k, v in overrides.items() if v is not None})
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise SettingsError(f"unknown setting(s) {sorted(unknown)}; known settings: {sorted(known)}")
        return replace(cls(), **values)

    @staticmethod
    def help() -> list[tuple[str, Any, str]]:
        return [(f.name, f.default, f.metadata.get("help", "")) for f in fields(Settings)]
