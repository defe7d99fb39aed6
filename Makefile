# The two commands of the README: `make build` and `make test`. Everything else is
# what they are made of.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt

# dbt reads profiles.yml from the project root; no usage tracking.
export DBT_PROFILES_DIR := $(CURDIR)
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

# `make test` builds into this throwaway database, never the published one.
TEST_DB := target/test-warehouse/nav_tiltak.duckdb

.PHONY: build test venv seeds check-seeds lint dbt-test pytest structure docs bench lock clean

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . \
		|| $(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

venv: $(VENV)/.installed

## Extract every report in reports/ into seeds/report/.
seeds: venv
	$(BIN)/navtiltak-extract

## Extract, then build and test the warehouse; publish warehouse/nav_tiltak.duckdb.
build: seeds
	$(DBT) build

## Every test: seeds up to date, linters, dbt build on a throwaway database, pytest,
## and the structure rules over the manifest.
test: check-seeds lint dbt-test pytest structure

check-seeds: venv
	$(BIN)/navtiltak-extract --check

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

dbt-test: venv
	rm -rf $(dir $(TEST_DB)) && mkdir -p $(dir $(TEST_DB))
	NAV_TILTAK_DB_PATH=$(TEST_DB) $(DBT) build

pytest: venv
	NAV_TILTAK_TEST_DB=$(TEST_DB) $(BIN)/pytest

structure: venv

## Regenerate requirements.txt from requirements.in.
lock: venv
	$(BIN)/pip install --quiet -r requirements.in
	{ echo "# Generated from requirements.in by \`make lock\`; do not edit by hand."; \
	  $(BIN)/pip freeze --exclude-editable; } > requirements.txt

clean:
	rm -rf target logs .pytest_cache .ruff_cache
