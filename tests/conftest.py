"""Shared fixtures: the third-party corpus in ../shared is read in place when it is there."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared (the development corpus); tests that need it skip in a fresh clone without it."""
    if not (SHARED / "corpus" / "dev").is_dir():
        pytest.skip("../shared/corpus is not beside this checkout (third-party corpus, not shipped)")
    return SHARED


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
