"""The curated first-name lists of the first generation (casework/anonymisation/data), read once per process."""

from __future__ import annotations

import functools
from pathlib import Path

_DATA_DIR = Path(__file__).resolve().parent / "data"


@functools.cache
def _load_word_list(filename: str) -> frozenset[str]:
    """Read a word list from ``casework/data`` once per process (comments start with ``#``)."""
    lines = (_DATA_DIR / filename).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _first_names() -> frozenset[str]:
    return _load_word_list("first_names.txt")


def _ambiguous_first_names() -> frozenset[str]:
    return _load_word_list("ambiguous_first_names.txt")


@functools.cache
def _unambiguous_first_names() -> frozenset[str]:
    return _first_names() - _ambiguous_first_names()
