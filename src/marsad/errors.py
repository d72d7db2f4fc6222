"""marsad's typed errors. Expected rejections are values with a reason; these are for failures."""

from __future__ import annotations


class MarsadError(Exception):
    """Base class of every error marsad raises on purpose."""


class InputError(MarsadError):
    """An input file could not be read or understood."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(MarsadError):
    """The database could not be opened, migrated or written."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StageError(MarsadError):
    """A pipeline stage failed; names the stage and, where known, the article."""

    def __init__(self, stage: str, reason: str, item: str | None = None) -> None:
        where = f" on {item}" if item else ""
        super().__init__(f"stage '{stage}' failed{where}: {reason}")
        self.stage = stage
        self.item = item
        self.reason = reason


class SettingsError(MarsadError):
    """A setting has an invalid value; the message names the setting and the fix."""
