# mistral_sdk developer tasks. `make demo` and `make check` are the README's two commands:
# each sets everything up first, so both work on a fresh machine.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PRISM_DIR   := tests/contract/prism
PRISM_STAMP := $(PRISM_DIR)/node_modules/.installed

.PHONY: setup demo check lint test regenerate regenerate-check bench clean

setup: $(STAMP) $(if $(wildcard $(PRISM_DIR)/package-lock.json),$(PRISM_STAMP))

# The Python environment: the exact versions in requirements/dev.lock, then the SDK itself (editable).
$(STAMP): requirements/dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# Prism, the independent OpenAPI validator of the contract tests, pinned by its package-lock.json.
$(PRISM_STAMP): $(PRISM_DIR)/package-lock.json
	npm ci --prefix $(PRISM_DIR) --no-audit --no-fund --loglevel=error
	touch $@

## A streamed chat: against the API when MISTRAL_API_KEY is set, else against the embedded mock server.
demo: setup
	$(BIN)/mistral-sdk chat "Tell me a long story about a space hamster"

## The whole suite: lint, types, generated code up to date, tests.
check: setup lint regenerate-check test

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: setup
	$(BIN)/pytest

regenerate: setup
	scripts/regenerate.sh

regenerate-check: setup
	scripts/regenerate.sh --check

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(PRISM_DIR)/node_modules .mypy_cache .ruff_cache .pytest_cache
