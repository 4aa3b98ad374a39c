# civicspace: `make help` lists the targets. Two commands from a fresh clone: `make run`, `make test`.
SHELL := /bin/bash
UV_VERSION := 0.13.8
UV := $(or $(shell command -v uv 2>/dev/null),build/tools/bin/uv)
RUN := $(UV) run --frozen
export UV_LINK_MODE := copy

.DEFAULT_GOAL := help
.PHONY: help setup run test test-fast lint format dev evaluate validate sensitivity bench audit \
        browser postgres backfill-postgres catalogue clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

build/tools/bin/uv:
	@echo "installing uv $(UV_VERSION) into build/tools"
	@python3 -m pip install --quiet --disable-pip-version-check --target build/tools uv==$(UV_VERSION) \
	  || python3 -m pip install --quiet --break-system-packages --target build/tools uv==$(UV_VERSION)

setup: $(if $(shell command -v uv 2>/dev/null),,build/tools/bin/uv) ## create the environment from uv.lock
	$(UV) sync --frozen

run: setup ## set up and run the pipeline on the embedded sample (build/warehouse.duckdb, build/site/)
	$(RUN) civicspace run

test: setup browser ## set up and pass the tests (lint, unit, pipeline, browser)
	$(RUN) ruff check .
	$(RUN) pytest

test-fast: setup ## the tests without the slow ones
	$(RUN) pytest -m "not slow"

lint: setup ## ruff
	$(RUN) ruff check .

format: setup ## ruff format and fix imports
	$(RUN) ruff check --fix --select I .
	$(RUN) ruff format .

dev: setup ## the Dagster UI on http://127.0.0.1:3000 (persistent instance under build/dagster)
	$(RUN) civicspace dev

evaluate: setup ## extraction P/R/F1 against the gold mentions in ../shared
	$(RUN) python scripts/evaluate.py --check

validate: setup ## scores vs Freedom House and V-Dem (Spearman), from ../shared
	$(RUN) python scripts/validate.py

sensitivity: setup ## weights perturbed by +-50%: rank stability and band changes
	$(RUN) python scripts/sensitivity.py

bench: setup ## timings on the real corpus in ../shared (writes build/bench.json)
	$(RUN) python scripts/bench.py $(BENCH_ARGS)

audit: setup ## known vulnerabilities in the locked dependencies (offline-aware)
	@bash scripts/audit.sh "$(UV)"

browser: ## headless Chromium for the browser tests (Debian packages; needs root)
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium and chromium-driver (Debian)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "chromium not installed and not root: browser tests will skip"; fi

postgres: ## PostgreSQL server binaries for the Dagster-instance tests (Debian packages; needs root)
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else echo "postgresql not installed and not root: PostgreSQL tests will skip"; fi

catalogue: setup ## regenerate the README's table catalogue from the DDL comments
	$(RUN) python -m orchestration.catalogue

clean: ## remove build/ (warehouse, site, Dagster instance, caches)
	rm -rf build
