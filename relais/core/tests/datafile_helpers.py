"""Helpers for tests of data-file loaders (risk instruments, wording lexicons): write a file,
break one passage of a valid text, find the line the error must name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from relais.core.datafiles import DataFileError


def write_data_file(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def replaced_once(valid: str, old: str, new: str) -> str:
    """``valid`` with one passage changed (which must appear exactly once)."""
    assert valid.count(old) == 1, f"'{old}' must appear once in the valid text"
    return valid.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    """The 1-based number of the only line of ``text`` containing ``fragment``."""
    numbers = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(numbers) == 1, f"'{fragment}' must be on exactly one line"
    return numbers[0]


def load_error(load: Callable[[Path], object], path: Path) -> str:
    """The message of the DataFileError that loading ``path`` must raise."""
    with pytest.raises(DataFileError) as excinfo:
        load(path)
    return str(excinfo.value)
