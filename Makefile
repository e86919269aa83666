# mistral_sdk developer tasks. `make demo` and `make check` are the README's two commands:
# each sets everything up first, so both work on a fresh machine.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PRISM_DIR   := tests/contract/prism
PRISM_STAMP := $(PRISM_DIR)/node_modules/.installed

# Tests start many Python processes (the CLI, the examples, the generator): let them reuse compiled
# bytecode instead of compiling the SDK again in each one, even where the environment turns writing it off.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup demo check lint style types test test-integration test-contract test-all regenerate regenerate-check bench clean

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

## The whole suite: lint, types, and every test tier. That the generated code is up to date (what
## `regenerate-check` says) is a test of the integration tier (tests/generator/test_regenerate.py), so it
## runs beside the other tests instead of 25 s alone. mypy (40 s of one core) runs beside the tests too:
## they leave about a quarter of two cores idle (servers and child processes waiting on each other).
check: setup style
	$(MAKE) --no-print-directory -j2 types test-all

lint: style types

style: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: setup
	$(BIN)/mypy

# Test tiers (tests/_tiers.py, docs/decisions.md). An unmarked test is a unit test: in-process, the fast loop.
UNIT_TIER := not integration and not contract
# Two pytest-xdist workers, one per core of the machines this runs on; a test file stays on one worker, so
# its module fixtures (servers, generated packages, Prism) are built once.
PARALLEL := -n 2 --dist loadfile

## The unit tier only (about a minute and a half): no child processes, no Node, no schemathesis.
test: setup
	$(BIN)/pytest $(PARALLEL) -m "$(UNIT_TIER)"

## Tests that start processes: the CLI, the examples, the generator, a fresh install of the wheel.
test-integration: setup
	$(BIN)/pytest $(PARALLEL) -m integration

## Checks against Mistral's reference description, Prism and schemathesis.
test-contract: setup
	$(BIN)/pytest $(PARALLEL) -m contract

## Every tier in one run (what `make check` runs).
test-all: setup
	$(BIN)/pytest $(PARALLEL)

regenerate: setup
	scripts/regenerate.sh

regenerate-check: setup
	scripts/regenerate.sh --check

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(PRISM_DIR)/node_modules .mypy_cache .ruff_cache .pytest_cache
