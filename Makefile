# Quick start: `make run` (set up and open the app), `make test` (set up and run the tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test lint screenshots sandbox install-desktop package clean

$(STAMP): pyproject.toml
	bash scripts/install-system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/idsync

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check app tests scripts benchmarks
	$(BIN)/mypy app

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py

sandbox: $(STAMP)
	$(BIN)/idsync sandbox

# The app in this user's application menu (respects XDG_DATA_HOME), started from $(VENV).
install-desktop: $(STAMP)
	$(BIN)/python scripts/install_desktop.py --exec "$(abspath $(BIN))/idsync"

# The frozen one-folder app, packed and smoke-tested (packaging/build.sh).
package:
	PYTHON=$(PYTHON) bash packaging/build.sh

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
