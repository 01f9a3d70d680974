from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from lake.core.settings import get_settings
from lake.domain.reference_lists import load_reference
from lakehouse_sample import generate_archive

PAGES = 30


@pytest.fixture(scope="session")
def reference():
    return load_reference(get_settings().reference_dir)


def generate_into(root: Path, reference, *, seed: int = 2025, workers: int = 2, progress=None):
    """The test sample (PAGES pages, 4 districts) generated into `root`/landing and `root`/ground_truth."""
    return generate_archive(root / "landing", root / "ground_truth", reference, seed=seed, pages=PAGES,
                            districts=4, workers=workers, progress=progress)


@pytest.fixture(scope="session")
def sample(tmp_path_factory, reference):
    root = tmp_path_factory.mktemp("sample_a")
    calls: list[tuple[int, int]] = []
    summary = generate_into(root, reference, progress=lambda d, t: calls.append((d, t)))
    return summary, root, calls


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
