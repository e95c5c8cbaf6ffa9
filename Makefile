# Contributor commands. `make demo` and `make test` are the README's two set-up commands.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test check lint typecheck pytest install install-dev system-deps clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

demo: install
	$(BIN)/blogbinder demo

test: install-dev
	$(MAKE) check

check: lint typecheck pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/pytest

clean:
	rm -rf $(VENV) blogbinder.db blogbinder-archive .mypy_cache .ruff_cache .pytest_cache
