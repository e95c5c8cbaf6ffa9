# Contributor commands. `make demo` and `make test` are the README's two set-up commands.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test check lint typecheck pytest install install-dev build system-deps replay-tools docs clean

$(BIN)/python:
	@$(PY) -m venv $(VENV) 2>/dev/null || { \
	    echo "python3 -m venv failed; installing python3-venv from Debian" >&2; \
	    rm -rf $(VENV); apt-get update -qq && apt-get install -y -qq python3-venv && $(PY) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip

# An install compiles the extraction modules (setup.py, about a minute): it runs again
# only when they, setup.py or pyproject.toml changed since the last one (stamp files).
EXTRACT_SOURCES := $(shell find scraper/extract -name '*.py') scraper/_lexbor_walk.pyx
INSTALLED := $(VENV)/.installed
INSTALLED_DEV := $(VENV)/.installed-dev

# lexbor's C headers, for the Cython tree walks over selectolax's lexbor tree
# (scraper/_lexbor_walk.pyx): selectolax's source distribution holds them, its wheels do
# not. The version must be the one pyproject.toml pins.
SELECTOLAX_VERSION := 1.0.2
LEXBOR := .tools/lexbor-$(SELECTOLAX_VERSION)
export BLOGBINDER_LEXBOR_INCLUDE := $(abspath $(LEXBOR))/source
LEXBOR_HEADERS := $(LEXBOR)/source/lexbor/core/base.h
$(LEXBOR_HEADERS): | $(BIN)/python
	rm -rf $(LEXBOR) && mkdir -p $(LEXBOR)
	$(BIN)/pip download --quiet --no-deps --no-binary :all: -d $(LEXBOR) selectolax==$(SELECTOLAX_VERSION)
	tar -xzf $(LEXBOR)/selectolax-$(SELECTOLAX_VERSION).tar.gz -C $(LEXBOR) --strip-components=2 \
	    --wildcards 'selectolax-$(SELECTOLAX_VERSION)/lexbor/source/*.h'
	rm $(LEXBOR)/selectolax-$(SELECTOLAX_VERSION).tar.gz

install: $(INSTALLED)
$(INSTALLED): $(BIN)/python pyproject.toml setup.py $(EXTRACT_SOURCES) | $(LEXBOR_HEADERS)
	$(BIN)/pip install --quiet -e .
	touch $@

install-dev: system-deps replay-tools $(INSTALLED_DEV)
$(INSTALLED_DEV): $(BIN)/python pyproject.toml setup.py $(EXTRACT_SOURCES) | $(LEXBOR_HEADERS)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(INSTALLED)

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

# Compile the extraction modules again after editing them (setup.py; until then the
# edited sources run, see scraper/_compiled.py). BLOGBINDER_PURE=1 make clean install:
# no compiled modules at all.
build: $(BIN)/python | $(LEXBOR_HEADERS)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(INSTALLED)

clean:
	rm -rf $(VENV) .tools blogbinder.db blogbinder.db-* blogbinder-archive .mypy_cache .ruff_cache .pytest_cache build
	find scraper -name '*.so' -delete; rm -f scraper/_lexbor_walk.c scraper/_text_scan.c; rm -f ./*__mypyc*.so
