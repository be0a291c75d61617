# Quick start: `make run` (set up and open the app), `make test` (set up and run the tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Every package comes from the hash-pinned lock (requirements/dev.txt, refreshed by
# `make lock`); the project itself is then installed editable without resolving anything.
LOCK := requirements/dev.txt
PIP := $(BIN)/python -m pip install -q --disable-pip-version-check
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)
# The oldest PySide6 pyproject.toml allows, in its own environment (requirements/qt-floor.txt).
FLOOR_VENV ?= .venv-qt-floor
FLOOR_STAMP := $(FLOOR_VENV)/.installed-$(shell cat pyproject.toml requirements/qt-floor.txt | cksum | cut -d' ' -f1)

.PHONY: run test qt-floor lint lock flatpak-modules screenshots sandbox install-desktop package clean

$(STAMP): pyproject.toml $(LOCK)
	bash scripts/install-system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r $(LOCK)
	$(PIP) --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

$(FLOOR_STAMP): pyproject.toml requirements/qt-floor.txt
	bash scripts/install-system-deps.sh
	$(PYTHON) -m venv $(FLOOR_VENV)
	$(FLOOR_VENV)/bin/python -m pip install -q --disable-pip-version-check --require-hashes \
		-r requirements/qt-floor.txt
	$(FLOOR_VENV)/bin/python -m pip install -q --disable-pip-version-check --no-deps \
		--no-build-isolation -e .
	rm -f $(FLOOR_VENV)/.installed-*
	touch $(FLOOR_STAMP)

run: $(STAMP)
	$(BIN)/idsync

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# The Qt tests (every test that drives a window or a widget) on the oldest PySide6 allowed.
qt-floor: $(FLOOR_STAMP)
	QT_QPA_PLATFORM=offscreen $(FLOOR_VENV)/bin/python -m pytest -q -p no:cacheprovider \
		tests/cli/test_window_launch.py $$($(FLOOR_VENV)/bin/python scripts/qt_test_paths.py)

lint: $(STAMP)
	$(BIN)/ruff check app tests scripts benchmarks
	$(BIN)/mypy app

# Refresh the lock files from pyproject.toml (UPGRADE=1: newest versions allowed).
lock:
	PYTHON=$(PYTHON) bash scripts/lock.sh

# The Flatpak's Python modules (packaging/flatpak/python3-modules.json, not committed) from
# requirements/flatpak.txt; run before flatpak-builder.
flatpak-modules: $(STAMP)
	$(BIN)/python packaging/flatpak/pin_modules.py

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py

sandbox: $(STAMP)
	$(BIN)/idsync sandbox

# The app in this user's application menu (respects XDG_DATA_HOME), started from $(VENV).
install-desktop: $(STAMP)
	$(BIN)/idsync install-desktop --exec "$(abspath $(BIN))/idsync"

# The frozen one-folder app, packed and smoke-tested (packaging/build.sh).
package:
	PYTHON=$(PYTHON) bash packaging/build.sh

clean:
	rm -rf $(VENV) $(FLOOR_VENV) build dist .pytest_cache .mypy_cache .ruff_cache
