"""Rules that practitioners own, kept as versioned YAML files and checked on load.

``load_yaml`` reads a file into plain dicts and lists that remember their line numbers, and
``Reader`` walks them with checks whose errors name the file and the line:

    data = load_yaml(path)
    doc = Reader(path, data)
    code = doc.text("code")            # required string
    items = doc.mappings("items")      # required list of mappings, each a Reader

A file that breaks a rule raises ``DataFileError("…/col15.yaml, line 42: weight must be …")``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

LANGUAGES_REQUIRED = ("fr", "nl", "en")


class DataFileError(ValueError):
    """A data file that cannot be used; the message names the file and the line."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line


class LineDict(dict):
    """A mapping that knows the line it starts on and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    line: int = 0


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise DataFileError(loader.name, key_node.start_mark.line + 1,
                                f"'{key}' is given twice")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: Path | str) -> Any:
    """Parse one YAML file; a syntax error becomes a DataFileError with its line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DataFileError(path, None, f"cannot be read ({error.strerror})") from error
    loader = _Loader(text)
    loader.name = str(path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise DataFileError(path, line, f"is not valid YAML ({error.problem})") from error
    finally:
        loader.dispose()


class Reader:
    """Checked access to one mapping of a data file."""

    def __init__(self, path: Path | str, data: Any, line: int = 0) -> None:
        self.path = path
        if not isinstance(data, dict):
            raise DataFileError(path, getattr(data, "line", line) or line or None,
                                "expected a mapping of keys and values")
        self.data = data
        self.line = getattr(data, "line", line)

    def error(self, message: str, key: str | None = None) -> DataFileError:
        line = self.data.key_lines.get(key) if key and hasattr(self.data, "key_lines") else None
        return DataFileError(self.path, line or self.line or None, message)

    def has(self, key: str) -> bool:
        return key in self.data

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data:
            if required:
                raise self.error(f"'{key}' is missing")
            return None
        return self.data[key]

    def text(self, key: str, *, required: bool = True, choices: tuple[str, ...] = ()) -> str:
        value = self._get(key, required)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"'{key}' must be a non-empty text", key)
        if choices and value not in choices:
            raise self.error(f"'{key}' must be one of {', '.join(choices)} (not '{value}')", key)
        return value

    def number(self, key: str, *, required: bool = True, default: float = 0,
               minimum: float | None = None, integer: bool = False) -> float:
        value = self._get(key, required)
        if value is None:
            return default
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            kind = "a whole number" if integer else "a number"
            raise self.error(f"'{key}' must be {kind}", key)
        if minimum is not None and value < minimum:
            raise self.error(f"'{key}' must be at least {minimum}", key)
        return value

    def flag(self, key: str, *, default: bool = False) -> bool:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(f"'{key}' must be true or false", key)
        return value

    def translations(self, key: str, *, required: bool = True,
                     languages: tuple[str, ...] = LANGUAGES_REQUIRED) -> dict[str, str]:
        """A text given in each language: {fr: …, nl: …, en: …} (de optional)."""
        value = self._get(key, required)
        if value is None:
            return {}
        sub = self.sub(key)
        texts = {}
        for language in languages:
            texts[language] = sub.text(language)
        if "de" in sub.data:
            texts["de"] = sub.text("de")
        unknown = set(sub.data) - set(languages) - {"de"}
        if unknown:
            raise sub.error(f"unknown language '{sorted(unknown)[0]}'")
        return texts

    def texts(self, key: str, *, required: bool = False) -> list[str]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(f"'{key}' must be a list of texts", key)
        return list(value)

    def sub(self, key: str) -> Reader:
        value = self._get(key, True)
        line = self.data.key_lines.get(key, self.line) if hasattr(self.data, "key_lines") else 0
        return Reader(self.path, value, line)

    def mappings(self, key: str, *, required: bool = True) -> Iterator[Reader]:
        value = self._get(key, required)
        if value is None:
            return iter(())
        if not isinstance(value, list) or not value:
            raise self.error(f"'{key}' must be a non-empty list", key)
        return (Reader(self.path, item, getattr(value, "line", 0)) for item in value)

    def reject_unknown(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                raise self.error(f"unknown key '{key}'", key)


def translated(texts: dict[str, str], language: str | None) -> str:
    """The text in ``language`` (or its base), falling back to English, then French."""
    base = (language or "en").split("-")[0]
    return texts.get(base) or texts.get("en") or texts.get("fr") or ""
