"""Shared fixtures: the sample corpus processed once per test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "samples" / "seeds"
DATASETS = Path(os.environ.get("MARSAD_DATASETS", ROOT.parent / "shared" / "datasets"))


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A database holding the whole pipeline's result on samples/seeds (built once)."""
    from marsad.pipeline import run
    from marsad.store import Store

    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    with Store(db) as store:
        report = run([str(SEEDS)], store)
    assert report.ok, report.failures
    yield db


@pytest.fixture(scope="session")
def seeds_export(seeds_db: Path) -> dict:
    from marsad.export import export_dict
    from marsad.store import Store

    with Store(seeds_db, readonly=True) as store:
        return export_dict(store)
