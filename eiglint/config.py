"""Configuration: ``[tool.eiglint]`` in the nearest ``pyproject.toml``, or ``--config FILE``.

The file is parsed as TOML and checked key by key: nothing in it is evaluated. Unknown keys and
bad values raise :class:`ConfigError` naming the file and the key (the CLI exits 2). Relative
globs (``exclude``, ``per-file-ignores``) are matched from the folder holding the file.
"""
from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Callable

from .rules import ALL_RULES
from .settings import DEFAULT_SETTINGS, Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib  # type: ignore[no-redef, import-not-found, unused-ignore]

#: output formats, in the order ``--help`` lists them
OUTPUT_FORMATS = ("concise", "full", "json", "json-lines", "sarif", "github", "gitlab",
                  "pylint", "junit")

_QUALNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")


class ConfigError(Exception):
    """A configuration file or option is unreadable or invalid."""


def check_codes(values: Any, where: str) -> tuple[str, ...]:
    """A list of rule codes or code prefixes (``EIG``, ``EIG1``, ``EIG101``)."""
    codes = _strings(values, where)
    for code in codes:
        if not code or not any(r.code.startswith(code) for r in ALL_RULES):
            hint = ""
            if code.upper() != code and any(r.code.startswith(code.upper()) for r in ALL_RULES):
                hint = f" (codes are upper case: {code.upper()!r})"
            raise ConfigError(f"{where}: unknown rule code or prefix {code!r}{hint}")
    return codes


def _strings(values: Any, where: str) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{where}: expected a list of strings, got {_describe(values)}")
    return tuple(v.strip() for v in values)


def _qualnames(values: Any, where: str) -> tuple[str, ...]:
    names = _strings(values, where)
    for name in names:
        if not _QUALNAME.match(name):
            raise ConfigError(f"{where}: {name!r} is not a dotted name like 'mylib.linalg.eig'")
    return names


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false, got {_describe(value)}")
    return value


def _positive_int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{where}: expected a positive integer (bytes), got {_describe(value)}")
    return value


def _output_format(value: Any, where: str) -> str:
    if value not in OUTPUT_FORMATS:
        raise ConfigError(f"{where}: expected one of {', '.join(OUTPUT_FORMATS)}, "
                          f"got {_describe(value)}")
    return str(value)


def _per_file_ignores(value: Any, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of glob = [codes], got {_describe(value)}")
    return tuple((glob, check_codes(codes, f"{where}.{glob!r}")) for glob, codes in value.items())


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


#: key in the file -> (Settings field, checker)
_KEYS: dict[str, tuple[str, Callable[[Any, str], Any]]] = {
    "select": ("select", check_codes),
    "ignore": ("ignore", check_codes),
    "extend-select": ("extend_select", check_codes),
    "per-file-ignores": ("per_file_ignores", _per_file_ignores),
    "exclude": ("exclude", _strings),
    "extend-exclude": ("extend_exclude", _strings),
    "respect-gitignore": ("respect_gitignore", _bool),
    "force-exclude": ("force_exclude", _bool),
    "output-format": ("output_format", _output_format),
    "extra-sources": ("extra_sources", _qualnames),
    "invariant-functions": ("invariant_functions", _qualnames),
    "max-file-size": ("max_file_size", _positive_int),
    "check-syntax": ("check_syntax", _bool),
}
KNOWN_KEYS = tuple(_KEYS)


def settings_from_table(table: Mapping[str, Any], origin: str,
                        base: Settings = DEFAULT_SETTINGS) -> Settings:
    """Check a ``[tool.eiglint]`` table and apply it to ``base``."""
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _KEYS:
            close = difflib.get_close_matches(key.replace("_", "-"), KNOWN_KEYS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else \
                f" (known keys: {', '.join(KNOWN_KEYS)})"
            raise ConfigError(f"{origin}: unknown key {key!r}{hint}")
        field, check = _KEYS[key]
        changes[field] = check(value, f"{origin}: {key}")
    return replace(base, **changes)


def _read_toml(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
            return data
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8: {exc.reason}") from None


def _section(data: dict[str, Any], path: str, standalone: bool) -> dict[str, Any] | None:
    """The eiglint table of a parsed file: ``[tool.eiglint]``, or the top level of a
    standalone file given with ``--config`` (one that has no ``[tool]`` table)."""
    tool = data.get("tool")
    if isinstance(tool, dict) and "eiglint" in tool:
        section = tool["eiglint"]
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: [tool.eiglint] must be a table")
        return section
    if standalone and "tool" not in data:
        return data
    return None


def find_config(start: str) -> str | None:
    """The nearest ``pyproject.toml`` with a ``[tool.eiglint]`` table, from ``start`` upwards."""
    d = os.path.abspath(start)
    if not os.path.isdir(d):
        d = os.path.dirname(d)
    while True:
        candidate = os.path.join(d, "pyproject.toml")
        if os.path.isfile(candidate):
            try:
                with open(candidate, "rb") as fh:
                    raw = fh.read()
            except OSError:
                raw = b""
            if b"eiglint" in raw and _section(_read_toml(candidate), candidate, False) is not None:
                return candidate
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def load_settings(config_file: str | None = None, start: str = ".",
                  isolated: bool = False) -> tuple[Settings, str | None]:
    """Settings of a run and the file they came from (None: defaults).

    ``config_file`` (``--config``) wins; otherwise the nearest pyproject.toml with
    ``[tool.eiglint]`` above ``start``; ``isolated`` reads no file at all.
    """
    if isolated:
        return DEFAULT_SETTINGS, None
    if config_file is not None:
        if not os.path.isfile(config_file):
            raise ConfigError(f"config file not found: {config_file}")
        path = config_file
        data = _read_toml(path)
        section = _section(data, path, True) or {}
        origin = f"{path} [tool.eiglint]" if "tool" in data else path
    else:
        found = find_config(start)
        if found is None:
            return DEFAULT_SETTINGS, None
        path = found
        section = _section(_read_toml(path), path, False) or {}
        origin = f"{path} [tool.eiglint]"
    root = os.path.dirname(os.path.abspath(path))
    return settings_from_table(section, origin, replace(DEFAULT_SETTINGS, project_root=root)), path


def common_start(paths: list[str]) -> str:
    """Where to look for the configuration of a run over ``paths``: their common folder."""
    existing = [os.path.abspath(p) for p in paths if os.path.exists(p)]
    if not existing:
        return os.curdir
    try:
        common = os.path.commonpath(existing)
    except ValueError:  # different drives
        return os.curdir
    return common if os.path.isdir(common) else os.path.dirname(common)
