"""PySide6 asks, for each module imported after it, whether its source mentions PySide6:
the window has that answered from the file's bytes, as PySide's own check answers it,
without filling ``linecache`` (see app/ui/pyside_source_scan.py)."""

from __future__ import annotations

import builtins
import importlib
import importlib.util
import json
import linecache
import py_compile
import subprocess
import sys
import textwrap
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from app.ui.pyside_source_scan import (
    PYSIDE_FEATURE_MODULE,
    PYSIDE_SCAN,
    SourceScan,
    replace_pyside_source_scan,
)

ROOT = Path(__file__).resolve().parents[2]


def _feature() -> types.ModuleType:
    return sys.modules[PYSIDE_FEATURE_MODULE]


@pytest.fixture
def scan() -> SourceScan:
    replace_pyside_source_scan()
    installed = getattr(_feature(), PYSIDE_SCAN)
    assert isinstance(installed, SourceScan)
    return installed


@pytest.mark.parametrize("entry", ["app.ui.application", "app.ui.self_test"])
def test_the_window_and_the_self_test_replace_the_check_before_importing_the_rest(
    entry: str,
) -> None:
    """A fresh process, as `idsync` and `idsync --self-test` import the window: the check
    is replaced, and nothing PySide6 read on the way is kept."""
    script = textwrap.dedent(
        f"""
        import json, linecache, sys
        import {entry}
        scan = getattr(sys.modules["{PYSIDE_FEATURE_MODULE}"], "{PYSIDE_SCAN}")
        print(json.dumps({{
            "scan": f"{{type(scan).__module__}}.{{type(scan).__qualname__}}",
            "frame": "app.ui.main_window" in sys.modules,
            "kept": sorted(linecache.cache),
        }}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    report = json.loads(done.stdout)
    assert report["scan"] == "app.ui.pyside_source_scan.SourceScan"
    assert report["frame"]
    assert report["kept"] == []


def _module(name: str, file: object) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__file__ = file  # type: ignore[assignment]
    return module


def _written(tmp_path: Path, name: str, data: bytes) -> types.ModuleType:
    path = tmp_path / name
    path.write_bytes(data)
    return _module(path.stem, str(path))


def _sourceless(tmp_path: Path) -> types.ModuleType:
    """A module imported from its bytecode alone; the constant in it says PySide6."""
    source = tmp_path / "sourceless_probe.py"
    source.write_text('NAME = "PySide6"\n', encoding="utf-8")
    compiled = tmp_path / "sourceless_probe.pyc"
    py_compile.compile(str(source), cfile=str(compiled), doraise=True)
    source.unlink()
    spec = importlib.util.spec_from_file_location("sourceless_probe", compiled)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.NAME == "PySide6"
    return module


CASES: dict[str, tuple[Callable[[Path], types.ModuleType], bool]] = {
    "a window module": (lambda _: importlib.import_module("app.ui.main_window"), True),
    "this check's own module": (
        lambda _: importlib.import_module("app.ui.pyside_source_scan"), True
    ),
    "a package of the standard library": (lambda _: importlib.import_module("json"), False),
    "the model": (lambda _: importlib.import_module("app.core.model"), False),
    "a frozen module with its .py": (lambda _: importlib.import_module("os"), False),
    "a builtin": (lambda _: sys, False),
    "a frozen module without a file": (
        lambda _: importlib.import_module("_frozen_importlib"), False
    ),
    "an extension": (lambda _: importlib.import_module("PySide6.QtCore"), False),
    "bytecode only": (_sourceless, False),
    "UTF-8 with a BOM": (
        lambda tmp: _written(tmp, "bom.py", "\ufeff# PySide6 é\n".encode("utf-8")), True
    ),
    "a coding line, and PySide6 in it": (
        lambda tmp: _written(
            tmp, "latin.py", "# -*- coding: cp1252 -*-\n# PySide6 \u20ac\n".encode("cp1252")
        ),
        True,
    ),
    "a coding line, and no PySide6": (
        lambda tmp: _written(
            tmp, "latin_plain.py", "# -*- coding: cp1252 -*-\n# \u20ac\n".encode("cp1252")
        ),
        False,
    ),
    "PySide6 in a file that is not UTF-8": (
        # Past the first two lines, where the encoding is looked for.
        lambda tmp: _written(tmp, "broken.py", b"# PySide6\n\nx = 1\ny = '\xff'\n"), False
    ),
    "no such file": (lambda tmp: _module("missing", str(tmp / "missing.py")), False),
    "a path open() refuses": (lambda _: _module("refused", "ref\0used.py"), False),
    "__file__ is None": (lambda _: _module("nothing", None), False),
}


@pytest.mark.parametrize("case", CASES)
def test_it_answers_as_pysides_own_check(scan: SourceScan, tmp_path: Path, case: str) -> None:
    make, mentions = CASES[case]
    module = make(tmp_path)
    assert scan(module) is mentions
    assert scan.pyside_scan(module) is mentions


def test_a_module_imported_after_it_is_not_kept_in_linecache(
    scan: SourceScan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "freshly_imported_probe"
    source = tmp_path / f"{name}.py"
    source.write_text("# Asks nothing of PySide6.\nVALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    asked: dict[str, int] = _feature().pyside_feature_dict
    try:
        module = builtins.__import__(name)  # as an import statement: through PySide6's
        assert asked[name] == 0  # PySide asked, and was told the source mentions PySide6
        assert str(source) not in linecache.cache
        # What the replaced check did with it: read it through linecache and keep it.
        assert scan.pyside_scan(module) is True
        assert str(source) in linecache.cache
    finally:
        sys.modules.pop(name, None)
        asked.pop(name, None)
        linecache.cache.pop(str(source), None)


def test_replacing_it_twice_wraps_pysides_check_once(scan: SourceScan) -> None:
    replace_pyside_source_scan()
    again = getattr(_feature(), PYSIDE_SCAN)
    assert again is scan
    assert not isinstance(scan.pyside_scan, SourceScan)


def test_a_pyside6_without_the_check_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    feature = _feature()
    monkeypatch.delattr(feature, PYSIDE_SCAN)
    replace_pyside_source_scan()
    assert not hasattr(feature, PYSIDE_SCAN)

    monkeypatch.setattr(feature, PYSIDE_SCAN, None, raising=False)
    replace_pyside_source_scan()
    assert getattr(feature, PYSIDE_SCAN) is None

    monkeypatch.delitem(sys.modules, PYSIDE_FEATURE_MODULE)
    replace_pyside_source_scan()
    assert PYSIDE_FEATURE_MODULE not in sys.modules


def test_anything_going_wrong_in_it_leaves_the_answer_to_pysides_check() -> None:
    asked: list[types.ModuleType] = []

    def pyside_scan(module: types.ModuleType) -> bool:
        asked.append(module)
        return True

    refused = _module("refused", "ref\0used.py")  # open() raises ValueError
    assert SourceScan(pyside_scan)(refused) is True
    assert asked == [refused]
