"""Tests mirror the package; shared helpers live in tests/helpers/. So no module under tests/
(test module, conftest or helper) imports from a test module or a conftest: what two of
them share belongs in tests.helpers."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"


def _imported(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in ``path``, also those inside functions and
    the ``pytest_plugins`` it loads; relative imports are resolved, and ``from tests import
    x`` counts as importing ``tests.x``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parts = path.relative_to(ROOT).with_suffix("").parts
    package = list(parts if path.name == "__init__.py" else parts[:-1])
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            if module == "tests":
                found.extend((node.lineno, f"tests.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, module))
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "pytest_plugins"
            for target in node.targets
        ):
            found.extend(
                (node.lineno, constant.value)
                for constant in ast.walk(node.value)
                if isinstance(constant, ast.Constant) and isinstance(constant.value, str)
            )
    return found


def _outside_helpers(module: str) -> bool:
    under_tests = module == "tests" or module.startswith("tests.")
    return under_tests and not (module == "tests.helpers" or module.startswith("tests.helpers."))


def test_modules_under_tests_import_shared_code_only_from_tests_helpers() -> None:
    files = sorted(TESTS.rglob("*.py"))
    assert len([path for path in files if path.name.startswith("test_")]) > 50
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in files
        for line, module in _imported(path)
        if _outside_helpers(module)
    ]
    assert not wrong, "move what they share into tests/helpers/:\n" + "\n".join(wrong)
