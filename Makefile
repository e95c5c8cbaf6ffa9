# Contributor commands. `make demo` and `make test` are the README's two set-up commands.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test check lint typecheck pytest install install-dev system-deps replay-tools docs clean

$(BIN)/python:
	@$(PY) -m venv $(VENV) 2>/dev/null || { \
	    echo "python3 -m venv failed; installing python3-venv from Debian" >&2; \
	    rm -rf $(VENV); apt-get update -qq && apt-get install -y -qq python3-venv && $(PY) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python system-deps replay-tools
	$(BIN)/pip install --quiet -e '.[dev]'

# pywb, the WARC replay tool the export tests replay through, in a virtualenv of its own:
# it pins old libraries (brotlipy would shadow the brotli module blogbinder decodes with).
PYWB := .tools/pywb
replay-tools: $(PYWB)/bin/pywb
$(PYWB)/bin/pywb:
	$(PY) -m venv $(PYWB)
	$(PYWB)/bin/python -m pip install --quiet --upgrade pip
	$(PYWB)/bin/pip install --quiet 'pywb==2.10.0'

# Debian packages the tests use: hugo and jekyll build the Hugo- and Jekyll-flavoured exports.
DEBIAN_PACKAGES := hugo jekyll ruby-jekyll-relative-links
system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	    else echo "note: missing Debian packages ($$missing); their build tests will be skipped" >&2; fi; \
	fi

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

docs:
	$(BIN)/python scripts/cli_reference.py

clean:
	rm -rf $(VENV) .tools blogbinder.db blogbinder.db-* blogbinder-archive .mypy_cache .ruff_cache .pytest_cache
