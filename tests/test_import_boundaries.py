"""Dependencies point inward, layer by layer; the core and the CLI never need Qt (DESIGN.md)."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app" / "idsync"
FORBIDDEN_IN_CORE = ("PySide6", "shiboken6", "idsync.ui", "idsync.editor", "idsync.storage",
                     "idsync.segment", "idsync.catalog", "idsync.push", "idsync.cli", "httpx")

HEADLESS_RUN = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    import idsync

    imported = []
    for package in ("idsync.core", "idsync.editor", "idsync.catalog", "idsync.storage",
                    "idsync.segment", "idsync.push", "idsync.cli"):
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, package + "."):
            importlib.import_module(info.name)
            imported.append(info.name)
    import idsync.cli

    code = idsync.cli.main(["check", "--quiet", sys.argv[1]])
    print(json.dumps({
        "code": code,
        "imported": imported,
        "qt": sorted(name for name in sys.modules
                     if name.split(".")[0] in ("PySide6", "shiboken6")),
    }))
    """
)


def test_headless_modules_and_check_do_not_load_qt(tmp_path: Path) -> None:
    from tests.helpers.documents import ROW_ERROR, write

    path = write(tmp_path / "doc.json", ROW_ERROR)
    completed = subprocess.run(
        [sys.executable, "-c", HEADLESS_RUN, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.splitlines()[-1])
    assert report["code"] == 1, "the check itself ran and found the IDS104 error"
    assert "idsync.core.model" in report["imported"]
    assert "idsync.storage.documents" in report["imported"]
    assert report["qt"] == []


def _imports(
    path: Path, package: str | None = None, *, top_level_only: bool = False
) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in ``path``; relative ones are resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    if package is None:
        package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: list[tuple[int, str]] = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            found.append((node.lineno, module))
    return found


def _is_forbidden(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in FORBIDDEN_IN_CORE)


CORE_FILES = sorted(APP.joinpath("core").rglob("*.py"))


def test_core_files_are_found() -> None:
    names = {path.name for path in CORE_FILES}
    assert {"model.py", "api_mapping.py", "diff.py"} <= names


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(APP)))
def test_core_imports_nothing_outward(path: Path) -> None:
    bad = [f"line {line}: {module}" for line, module in _imports(path) if _is_forbidden(module)]
    assert bad == [], f"{path.relative_to(ROOT)} imports outward: {bad}"


# --- every layer points inward: core < editor, catalog, storage, segment < push, review < cli,
# ui. The editor's view-models stand on the domain alone: no Qt, no adapter.

QT = ("PySide6", "shiboken6")
OUTER = ("idsync.push", "idsync.cli", "idsync.ui")
LAYER_FORBIDS: dict[str, tuple[str, ...]] = {
    "editor": (*QT, "httpx", "idsync.catalog", "idsync.storage", "idsync.segment", "idsync.review",
               *OUTER),
    "catalog": (*QT, "idsync.editor", "idsync.segment", *OUTER),
    "storage": (
        *QT, "idsync.editor", "idsync.segment", "idsync.catalog", "idsync.core.plan", *OUTER
    ),
    "segment": (*QT, "idsync.editor", "idsync.storage", "idsync.catalog", "idsync.core", *OUTER),
    "push": (*QT, "idsync.editor", "idsync.cli", "idsync.ui"),
    "review": (*QT, "idsync.editor", "idsync.cli", "idsync.ui", "idsync.push"),
    "ui": ("idsync.cli",),
}


def _matches(module: str, names: tuple[str, ...]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in names)


LAYER_FILES = [
    (layer, path) for layer in LAYER_FORBIDS for path in sorted(APP.joinpath(layer).rglob("*.py"))
]


@pytest.mark.parametrize(
    ("layer", "path"), LAYER_FILES, ids=[str(p.relative_to(APP)) for _, p in LAYER_FILES]
)
def test_each_layer_imports_only_inward(layer: str, path: Path) -> None:
    forbidden = LAYER_FORBIDS[layer]
    bad = [
        f"line {line}: {module}" for line, module in _imports(path) if _matches(module, forbidden)
    ]
    assert bad == [], f"{path.relative_to(ROOT)} imports outward: {bad}"


def test_every_layer_is_checked() -> None:
    layers = {p.name for p in APP.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert layers == {"core", *LAYER_FORBIDS, "cli"}


CLI_FILES = sorted(APP.joinpath("cli").rglob("*.py"))


@pytest.mark.parametrize("path", CLI_FILES, ids=lambda p: str(p.relative_to(APP)))
def test_cli_imports_qt_only_to_launch_the_window(path: Path) -> None:
    top = [module for _, module in _imports(path, top_level_only=True)]
    assert [m for m in top if _matches(m, (*QT, "idsync.ui"))] == []
    later = {module for _, module in _imports(path)} - set(top)
    # Inside functions: only the window and its self-test, which are the point of launching.
    assert {m for m in later if _matches(m, (*QT, "idsync.ui"))} <= {
        "idsync.ui.application", "idsync.ui.self_test"
    }


def test_the_scan_catches_outward_imports_in_any_form(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from PySide6 import QtCore\n"
        "import httpx\n"
        "from idsync.core import model\n"
        "def later():\n"
        "    from ...storage import documents\n"
        "    import shiboken6.Shiboken\n"
        "from . import codes\n"
    )
    modules = [module for _, module in _imports(sample, "idsync.core.rules")]
    assert sorted(m for m in modules if _is_forbidden(m)) == [
        "PySide6", "httpx", "idsync.storage", "shiboken6.Shiboken"
    ]
    assert "idsync.core.rules" in modules


# --- the core does no I/O ------------------------------------------------------------------

IO_MODULES = ("os", "io", "pathlib", "socket", "subprocess", "shutil", "tempfile", "httpx",
              "urllib.request")


def _is_io_module(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in IO_MODULES)


def _io_uses(path: Path, package: str | None = None) -> list[str]:
    """Imports of I/O modules (also ``from urllib import request``) and calls of the builtin
    ``open`` in ``path``, as 'line N: what'."""
    found = [
        f"line {line}: import {module}"
        for line, module in _imports(path, package)
        if _is_io_module(module)
    ]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "urllib" and not node.level:
            if any(alias.name == "request" for alias in node.names):
                found.append(f"line {node.lineno}: import urllib.request")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "open"
        ):
            found.append(f"line {node.lineno}: open(...)")
    return sorted(found, key=lambda entry: int(entry.split(":")[0].removeprefix("line ")))


EDITOR_FILES = sorted(APP.joinpath("editor").rglob("*.py"))


@pytest.mark.parametrize("path", CORE_FILES + EDITOR_FILES, ids=lambda p: str(p.relative_to(APP)))
def test_core_and_the_editor_do_no_io(path: Path) -> None:
    assert _io_uses(path) == [], f"{path.relative_to(ROOT)} does I/O"


def test_the_io_scan_catches_imports_and_open(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os.path\n"
        "from pathlib import Path\n"
        "import json, io\n"
        "from urllib import parse\n"
        "from urllib import request\n"
        "import urllib.request as fetch\n"
        "def later():\n"
        "    import subprocess\n"
        "    with open('x') as handle:\n"
        "        return handle.read(), Path.open\n"
        "text = json.dumps({'open': 1})\n"
    )
    assert _io_uses(sample, "idsync.core") == [
        "line 1: import os.path",
        "line 2: import pathlib",
        "line 3: import io",
        "line 5: import urllib.request",
        "line 6: import urllib.request",
        "line 8: import subprocess",
        "line 9: open(...)",
    ]



SEAM_COMMENT = re.compile(r'#\s*Seam "([^"]+)": \S')
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def _documented_seams() -> set[str]:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([^`]+)` \|", text, flags=re.MULTILINE))


def _function_imports(source: str) -> list[int]:
    """The line of every import inside a function (of the first import of each run of
    imports one after another)."""
    found: list[int] = []

    def walk(node: ast.AST, in_function: bool) -> None:
        previous: ast.stmt | None = None
        for child in ast.iter_child_nodes(node):
            is_import = isinstance(child, (ast.Import, ast.ImportFrom))
            if is_import and in_function:
                follows = isinstance(previous, (ast.Import, ast.ImportFrom)) and (
                    previous.end_lineno == child.lineno - 1
                )
                if not follows:
                    found.append(child.lineno)
            walk(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)))
            if isinstance(child, ast.stmt):
                previous = child

    walk(ast.parse(source), False)
    return found


def _unnamed_seams(source: str, seams: set[str]) -> list[str]:
    """``LINE: import …`` of each import inside a function without a seam comment above
    it that names one of ``seams``."""
    lines = source.splitlines()
    wrong = []
    for line in _function_imports(source):
        named = SEAM_COMMENT.match(lines[line - 2].strip()) if line >= 2 else None
        if named is None or named.group(1) not in seams:
            wrong.append(f"{line}: {lines[line - 1].strip()}")
    return wrong


def test_the_seams_are_documented() -> None:
    assert {"command", "frame, then fill", "pages", "first use"} <= _documented_seams()


@pytest.mark.parametrize(
    "path",
    sorted([*(APP / "ui").rglob("*.py"), *(APP / "cli").rglob("*.py")]),
    ids=lambda p: str(p.relative_to(APP)),
)
def test_imports_inside_functions_sit_only_at_named_seams(path: Path) -> None:
    wrong = _unnamed_seams(path.read_text(encoding="utf-8"), _documented_seams())
    assert not wrong, (
        f'{path.relative_to(ROOT)}: import at the top of the module, or name its seam '
        '(# Seam "NAME": why) from docs/architecture.md\'s "What loads when":\n'
        + "\n".join(wrong)
    )


def test_the_seam_scan_catches_an_unnamed_import() -> None:
    source = (
        "def named():\n"
        '    # Seam "first use": loads when opened.\n'
        "    from idsync.ui import about\n"
        "    from idsync.ui import dialogs\n"
        "\n"
        "def unknown():\n"
        '    # Seam "someday": not in the table.\n'
        "    import json\n"
        "\n"
        "def unnamed():\n"
        "    import csv\n"
    )
    assert _unnamed_seams(source, _documented_seams()) == ["8: import json", "11: import csv"]
