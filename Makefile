# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test lint translations chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

# Babel catalogues are compiled at install time; the .mo files are not committed.
translations: $(BIN)/python
	@for po in app/locale/*/LC_MESSAGES/*.po; do \
		$(BIN)/pybabel -q compile -i "$$po" -o "$${po%.po}.mo" || exit 1; \
	done

run: $(VENV)/.installed-run translations
	$(BIN)/roadshow db upgrade
	$(BIN)/roadshow seed
	$(BIN)/roadshow serve --port $(PORT)

# The browser tests drive Debian's Chromium; install it when missing and we may.
chromium:
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "Installing Chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# One test process per core (pytest-xdist); TEST_WORKERS=0 runs the suite in this process.
TEST_WORKERS ?= auto

test: $(VENV)/.installed-test translations chromium lint
	$(BIN)/pytest -n $(TEST_WORKERS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
	find app/locale -name '*.mo' -delete
