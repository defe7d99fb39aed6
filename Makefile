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

# Where `make build` builds and publishes: duckdb (the file warehouse/nav_tiltak.duckdb),
# postgres (schema marts of the server libpq's PG* variables name), spark (Parquet
# tables in warehouse/spark/, a local session) or spark_cluster (schema marts of the
# Spark Thrift server the NAV_TILTAK_SPARK_* variables name). docs/engines.md.
# Set on make's command line only: an ENGINE in the environment is ignored.
ENGINE := duckdb
ENGINES := duckdb postgres spark spark_cluster
ifeq ($(filter $(ENGINE),$(ENGINES)),)
$(error ENGINE=$(ENGINE) is not one of: $(ENGINES))
endif
# The engine's own packages, when it has any (DuckDB's are in requirements.txt).
ENGINE_PACKAGES := $(if $(filter duckdb,$(ENGINE)),,$(VENV)/.engine-$(ENGINE))

# `make test` builds into this throwaway database, never the published one.
TEST_DB := target/test-warehouse/nav_tiltak.duckdb

.PHONY: build test venv seeds check-seeds lint dbt-test metrics pytest browser structure docs bench \
	lock clean engines postgres java bench-engines serve bench-statbank bi bi-venv \
	test-cluster test-checks test-installs

## The pinned lock, then the product (navtiltak/) and the developer tooling (tools/,
## not shipped with the product) editable, with no dependencies of their own.
$(VENV)/.installed: requirements.txt pyproject.toml tools/pyproject.toml
	@echo "installing the virtual environment $(VENV) from requirements.txt (first use or a changed lock; about a minute)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e . -e ./tools
	touch $@

venv: $(VENV)/.installed

## An engine's pinned packages (requirements-<engine>.txt), on top of the lock and never
## moving one of its pins; installed the first time the engine is used.
$(VENV)/.engine-%: requirements-%.txt $(VENV)/.installed
	@echo "installing the packages of ENGINE=$* (first use)"
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.txt -r $<
	touch $@

## What the other engines need on this machine: Debian's PostgreSQL server (the tests
## start a throwaway one) and Java (Spark's JVM), installed when missing, as `browser`.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		echo "installing Debian's postgresql for the engine tests"; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; }

## Spark 4 needs Java 17 or later.
java:
	@major=$$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1); \
	[ "$${major:-0}" -ge 17 ] 2>/dev/null || { \
		echo "installing Debian's Java 17 runtime for Spark"; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			openjdk-17-jre-headless; }

## Every engine's packages and system dependencies: what `make test` compares. The
## cluster's tests start their own cluster from the local session's pyspark.
engines: $(VENV)/.engine-postgres $(VENV)/.engine-spark $(VENV)/.engine-spark_cluster \
	postgres java

## Extract every report in reports/ into seeds/report/.
seeds: venv
	$(BIN)/navtiltak-extract

## Extract, then build and test the warehouse in warehouse/.build/; publish it over
## warehouse/nav_tiltak.duckdb (atomic rename, with Parquet exports of the marts in
## warehouse/parquet/ and the dashboard in warehouse/dashboard/) only when every model
## and test passed (navtiltak/publish.py, navtiltak/engines/duckdb_file.py).
## On DuckDB a build after reports were added, replaced or removed starts from the
## published file and rebuilds only their months
## (navtiltak/engines/duckdb_incremental.py); FULL=1 rebuilds every month.
## ENGINE=postgres, spark or spark_cluster builds and publishes there instead
## (docs/engines.md).
FULL ?=
build: venv $(ENGINE_PACKAGES) $(if $(filter spark,$(ENGINE)),java)
	@$(MAKE) --no-print-directory seeds \
		|| { echo "extraction failed; nothing was built or published" >&2; exit 1; }
	$(BIN)/python -m navtiltak.publish --engine $(ENGINE) $(if $(FULL),--full)

## Browse the documentation of the published warehouse on http://127.0.0.1:$(DOCS_PORT)
## (make docs DOCS_PORT=8081 for another port). The catalog is read from a copy: dbt
## opens its database read-write, which the published file refuses while a reader holds
## it. Served by navtiltak.docs_server, which starts again at once after a stop (dbt docs
## serve cannot while its old connections linger) and names a port that is taken.
DOCS_PORT ?= 8080
DOCS_DB := target/docs-warehouse/nav_tiltak.duckdb
docs: venv
	test -f warehouse/nav_tiltak.duckdb || $(MAKE) --no-print-directory build
	rm -rf $(dir $(DOCS_DB)) && mkdir -p $(dir $(DOCS_DB))
	cp warehouse/nav_tiltak.duckdb $(DOCS_DB)
	NAV_TILTAK_TARGET=dev NAV_TILTAK_DB_PATH=$(DOCS_DB) $(DBT) docs generate
	@$(BIN)/python -m navtiltak.docs_server --port $(DOCS_PORT) target

## The statistics bank (docs/statbank.md): PxWebApi 2.0 with JSON-stat 2.0 on
## http://127.0.0.1:$(API_PORT)/api/v2 over the published warehouse, read-only. It keeps
## answering while `make build` publishes, each answer from one build.
API_PORT ?= 8000
serve: venv
	test -f warehouse/nav_tiltak.duckdb || $(MAKE) --no-print-directory build
	$(BIN)/python -m navtiltak.statbank --warehouse warehouse/nav_tiltak.duckdb \
		--host 127.0.0.1 --port $(API_PORT)

## Apache Superset on http://127.0.0.1:$(BI_PORT) with the project's dashboard (bi/assets/)
## over the published marts, read-only (docs/bi.md); ENGINE=postgres connects as the
## build's read-only role. Ctrl-C stops it. Superset lives in a venv of its own
## (.venv-bi/, requirements-bi.txt: it pins SQLAlchemy 1.4), installed on first use
## with a migrated metadata database its homes start from; its metadata and admin
## password in .bi/ (BI_ADMIN_PASSWORD sets the password). The lock pins every package
## (make lock), so pip resolves nothing (--no-deps); Python compiles what Superset
## imports when it first does, not all of it up front (--no-compile): a sixth less
## CPU for install and migration together (71 s instead of 84 s, measured).
BI_PORT ?= 8088
BI_VENV := .venv-bi
$(BI_VENV)/.installed: requirements-bi.txt bi/superset_setup.py | $(VENV)/.installed
	@echo "installing Apache Superset into $(BI_VENV) (first use)"
	rm -rf $(BI_VENV)
	$(PYTHON) -m venv $(BI_VENV)
	$(BI_VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps --no-compile \
		-r requirements-bi.txt
	$(BIN)/python -m navtiltak.bi.server $(BI_VENV)
	touch $@

bi-venv: $(BI_VENV)/.installed

bi: venv bi-venv
	$(if $(filter duckdb,$(ENGINE)),test -f warehouse/nav_tiltak.duckdb || $(MAKE) --no-print-directory build)
	test -f target/semantic_manifest.json || $(DBT) parse
	$(BIN)/python -m navtiltak.bi --engine $(ENGINE) --port $(BI_PORT)

## Every test: seeds up to date, linters, dbt build on a throwaway database, the
## semantic layer's definitions, the structure rules over its manifest, pytest.
## The DuckDB checks run one after another on one core; what pytest needs installed
## (Chromium, the engines' packages, PostgreSQL, Java, Superset's venv) is installed
## meanwhile, one after another too (apt and pip must not run twice at once), so
## that in a fresh clone the second core is not idle. Then pytest.
test: venv
	$(MAKE) --no-print-directory -j2 --output-sync=line test-checks test-installs
	$(MAKE) --no-print-directory pytest

# Each of the two a make of its own without the jobserver: one target at a time.
SERIAL_MAKEFLAGS = $(filter-out -j% --jobserver-auth=% --jobserver-fds=%,$(MAKEFLAGS))
test-checks:
	MAKEFLAGS="$(SERIAL_MAKEFLAGS)" $(MAKE) --no-print-directory check-seeds lint dbt-test metrics structure

test-installs:
	MAKEFLAGS="$(SERIAL_MAKEFLAGS)" $(MAKE) --no-print-directory browser engines bi-venv

check-seeds: venv
	$(BIN)/navtiltak-extract --check

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	NAV_TILTAK_TARGET=dev NAV_TILTAK_DB_PATH=:memory: $(BIN)/sqlfluff lint --processes 0 \
		models macros tests/dbt

## Every node, the identity terms' uniqueness test that a bare `dbt build` leaves out included
## (selectors.yml).
dbt-test: venv
	rm -rf $(dir $(TEST_DB)) && mkdir -p $(dir $(TEST_DB))
	NAV_TILTAK_TARGET=dev NAV_TILTAK_DB_PATH=$(TEST_DB) $(DBT) build --selector everything

## MetricFlow validates the semantic models and metrics (models/marts/
## _marts__semantic_models.yml) of dbt-test's manifest, and queries each against the
## test warehouse.
metrics: venv
	NAV_TILTAK_TARGET=dev NAV_TILTAK_DB_PATH=$(TEST_DB) $(BIN)/mf validate-configs

## On every core and one more (pytest-xdist): the builds wait on other processes (the
## PostgreSQL server, Spark's JVM, dbt's threads), and with one worker per core the run
## kept the two cores about two-thirds busy. A module's tests stay on one worker (--dist
## loadfile), so that a project copy a module builds in a fixture is built once; the
## longest modules first (tests/python/conftest.py), in that order
## (--no-loadscope-reorder). The slowest tests are listed at the end (--durations).
## PYTEST_ARGS: more of pytest's options, e.g. PYTEST_ARGS="-m 'not engines'" for the
## DuckDB part alone (README, "Testing").
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
PYTEST_ARGS ?=
pytest: venv browser engines bi-venv
	NAV_TILTAK_TEST_DB=$(TEST_DB) $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile \
		--no-loadscope-reorder --durations=15 $(PYTEST_ARGS)

## The Spark cluster's tests alone (part of make test): a real standalone cluster (a
## master, two workers, the Thrift server) built on and published to
## (navtiltak/engines/spark_cluster.py), and its owner's stop.
CLUSTER_TESTS := tests/python/engines/test_spark_cluster.py \
	tests/python/engines/test_spark_cluster_owner.py \
	tests/python/engines/test_spark_cluster_choice.py
test-cluster: venv engines
	$(BIN)/pytest -n 2 --dist loadfile --durations=10 $(CLUSTER_TESTS) $(PYTEST_ARGS)

## Debian's Chromium, for the dashboard's browser tests (tests/python/dashboard/), when
## missing. CI and a fresh machine run as root; elsewhere: sudo apt-get install chromium.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }

## The structure rules over target/manifest.json (dbt-test or `dbt parse` writes it):
## dbt-bouncer (dbt-bouncer.yml), dbt-score (at least 9.5 of 10; [tool.dbt-score] in
## pyproject.toml) and the rules neither expresses (tools/navtiltak_tools/structure.py).
## All three run, so that one run lists every violation; then it fails if any failed.
## COLUMNS: dbt-bouncer prints its failures in a table that is cut at 80 columns otherwise.
structure: venv
	@status=0; \
	COLUMNS=200 $(BIN)/dbt-bouncer --config-file dbt-bouncer.yml --show-all-failures || status=1; \
	$(BIN)/dbt-score lint --manifest target/manifest.json || status=1; \
	$(BIN)/python -m navtiltak_tools.structure target/manifest.json || status=1; \
	exit $$status

## Regenerate requirements.txt (the product's [project] dependencies and the dev group,
## pinned with everything they pull in) and requirements-<engine>.txt (what each engine
## adds) from pyproject.toml.
lock: venv
	$(BIN)/python -m navtiltak_tools.lock

clean:
	rm -rf target logs .pytest_cache .ruff_cache

## `make build` timed at 1, 121 and 301 generated months beside the plain-DuckDB floor
## and `dbt build --empty`, one month added at 121 and 301, and dbt v2 (package `dbt`,
## installed into .dbt-v2/ on first use; `python -m navtiltak_tools.bench --no-dbt-v2`
## leaves it out) parsing and building the same copies (more than the 15 minutes it took
## without them on an idle machine); refreshes BENCHMARKS.md.
bench: venv
	$(BIN)/python -m navtiltak_tools.bench

## The statistics bank's latency, throughput and memory at 1, 121 and 301 generated
## months (about 5 minutes); refreshes its section of BENCHMARKS.md.
bench-statbank: venv
	$(BIN)/python -m navtiltak_tools.bench.statbank --months 1,121,301

## `make build ENGINE=...` on every engine at 1 and 13 months, PostgreSQL against a
## throwaway server, spark_cluster against a throwaway cluster of two workers and of one
## (about 30 minutes); refreshes the engines section of BENCHMARKS.md.
bench-engines: venv engines
	$(BIN)/python -m navtiltak_tools.bench.engines
