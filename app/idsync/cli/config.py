"""The choices ``idsync check`` keeps in a project: ``select``, ``ignore`` and ``strict``,
in ``[tool.idsync]`` of a ``pyproject.toml`` or at the top of an ``idsync.toml``.

The file is found from the folder the checked paths share (the current folder for stdin)
upwards: in each folder ``idsync.toml`` first, then a ``pyproject.toml`` that has a
``[tool.idsync]`` table (one without it is passed by, as ruff does). ``--config FILE``
names it instead. What the command line gives wins over the file, option by option.

A file that cannot be read, is not TOML, or holds an unknown key, a value of the wrong
kind or a code that names no rule is one line (:class:`ConfigError`) and exit 2: a
check never runs with choices other than the ones written down.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, ValidationError

from idsync.cli.output import PROG
from idsync.core.positions import describe, field_name
from idsync.review.checked import reviewed_folder
from idsync.review.selection import RuleSelection, normalise, unknown
from idsync.storage.bounded import ReadError, decode_utf8, read_bytes

CONFIG_FILE: Final = "idsync.toml"
PYPROJECT: Final = "pyproject.toml"
TABLE: Final = "[tool.idsync]"
MAX_CONFIG_BYTES: Final = 1024 * 1024
"""A project's settings file is a few lines; anything larger is not one."""


class ConfigError(Exception):
    """A settings file (or a code on the command line) that cannot be used: one line."""


class CheckSettings(BaseModel):
    """What a settings file may say; a key it does not know is refused, not ignored."""

    model_config = ConfigDict(extra="forbid", strict=True)

    select: list[str] | None = None
    ignore: list[str] | None = None
    strict: bool | None = None


@dataclass(frozen=True)
class CheckOptions:
    """The choices a check runs with, and the file they came from (if any)."""

    selection: RuleSelection
    strict: bool
    source: Path | None = None


def check_options(args: argparse.Namespace, known_codes: Sequence[str]) -> CheckOptions:
    """The command line's choices over the settings file's; ConfigError if either is
    unusable."""
    explicit = getattr(args, "config", None)
    source = Path(explicit) if explicit else find_config(_start_folder(args.paths))
    settings = read_config(source) if source is not None else CheckSettings()
    if source is not None:
        for key in ("select", "ignore"):
            _refuse_unknown(getattr(settings, key) or (), known_codes, f"{source}: {key}")
    select_arg = getattr(args, "select", None)
    ignore_arg = getattr(args, "ignore", None)
    _refuse_unknown(select_arg or (), known_codes, "--select")
    _refuse_unknown(ignore_arg or (), known_codes, "--ignore")
    select = select_arg if select_arg is not None else settings.select or ()
    ignore = ignore_arg if ignore_arg is not None else settings.ignore or ()
    strict_arg = getattr(args, "strict", None)
    strict = strict_arg if strict_arg is not None else bool(settings.strict)
    return CheckOptions(RuleSelection(normalise(select), normalise(ignore)), strict, source)


def _refuse_unknown(codes: Sequence[str], known: Sequence[str], where: str) -> None:
    wrong = unknown(normalise(codes), known)
    if wrong:
        raise ConfigError(
            f"{where}: {', '.join(wrong)} names no rule code (see `{PROG} rules`; a prefix "
            "such as IDS3, or ALL, is allowed)"
        )


def _start_folder(paths: Sequence[str]) -> Path:
    """The folder the checked paths share (a folder itself, a file's parent, the current
    folder for stdin); the current folder when they share none."""
    return reviewed_folder(paths) or Path.cwd()


def find_config(start: Path) -> Path | None:
    """The nearest settings file from ``start`` upwards; None when there is none."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return own
        project = candidate / PYPROJECT
        if project.is_file() and _has_table(project):
            return project
    return None


def _has_table(path: Path) -> bool:
    tool = _load(path).get("tool")
    return isinstance(tool, dict) and "idsync" in tool


def read_config(path: Path) -> CheckSettings:
    """The settings in ``path`` (``[tool.idsync]`` of a pyproject.toml, else the top of
    the file); ConfigError in one line when they cannot be used."""
    data = _load(path)
    if path.name == PYPROJECT:
        tool = data.get("tool")
        table = tool.get("idsync") if isinstance(tool, dict) else None
        if table is None:
            raise ConfigError(f"{path}: has no {TABLE} table")
        where = f"{path}: {TABLE}"
    else:
        table = data
        where = str(path)
    if not isinstance(table, dict):
        raise ConfigError(f"{where} is not a table")
    try:
        return CheckSettings.model_validate(table)
    except ValidationError as exc:
        raise ConfigError(f"{where}: {_first_problem(exc)}") from None


def _first_problem(error: ValidationError) -> str:
    detail = error.errors(include_url=False)[0]
    key = field_name(detail["loc"]) or "the table"
    kind = detail["type"]
    if kind == "extra_forbidden":
        return f"{key} is not a known key — use select, ignore or strict"
    if key == "strict" or kind == "bool_type":
        return f"{key}: {describe(detail['input'])} is not true or false"
    return f"{key}: {describe(detail['input'])} is not a list of rule codes (e.g. [\"IDS3\"])"


def _load(path: Path) -> dict[str, Any]:
    try:
        text = decode_utf8(read_bytes(path, MAX_CONFIG_BYTES))
    except ReadError as exc:
        raise ConfigError(f"{path}: cannot read it: {exc}") from None
    toml = _toml_reader()
    try:
        data: dict[str, Any] = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return data


def _toml_reader() -> Any:
    if sys.version_info >= (3, 11):
        # Seam "platform": tomllib is in Python's library from 3.11 on.
        import tomllib

        return tomllib
    try:  # Python 3.10: the same module, as tomli (a dependency there)
        # Seam "platform": tomli stands in for tomllib before 3.11.
        import tomli
    except ModuleNotFoundError:
        raise ConfigError(
            f"reading {CONFIG_FILE} or {PYPROJECT} needs Python 3.11 or the tomli package "
            "(`pip install tomli`)"
        ) from None
    return tomli
