# kokportal: the two commands a newcomer needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers: one per core (each with its own test database and, for browser tests, its own browser)
TEST_WORKERS ?= auto
# axe-core and the Nu HTML Checker (vnu-jar) for the accessibility and HTML tests: npm packages pinned in
# tests/a11y/package-lock.json, installed again when the lock file changes
A11Y := tests/a11y
A11Y_STAMP := $(A11Y)/node_modules/.installed-$(shell cat $(A11Y)/package-lock.json | md5sum | cut -c1-12)

.PHONY: run test install a11y system db db-stop services messages lint format bench bench-pages bench-pdf \
	bench-registration bench-anonymisation bench-grouping bench-report bench-smoke clean-venv

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

## The checkers of the accessibility and HTML tests (npm ci; vnu-jar's install script is skipped: it would download
## a Java runtime, the system's Java from scripts/install_system_packages.sh runs vnu.jar)
$(A11Y_STAMP): $(A11Y)/package-lock.json | system
	cd $(A11Y) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $(A11Y_STAMP)

a11y: $(A11Y_STAMP)

## System packages (Chromium, gettext, fonts, PostgreSQL client, Java, Redis, Node.js, wrk): only what is missing
system:
	@scripts/install_system_packages.sh

.env:
	cp .env.example .env

## The database: DATABASE_URL, else PostgreSQL on 127.0.0.1:5432, else the embedded server (kokportal/localdb.py)
db: install .env
	@$(PY) scripts/database.py ensure

## Stop the embedded PostgreSQL (its data stays in .pgdata/)
db-stop: install
	@$(PY) scripts/database.py stop

## Redis on 127.0.0.1:6379 for the tests of the shared cache (started when installed but not running)
services: system
	@scripts/ensure_redis.sh

messages: install
	@DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py compilemessages --ignore='.venv/*' -v0

## Set everything up and run the portal with demo data on http://$(HOST):$(PORT)
run: system db messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	KOKPORTAL_SITE_URL=$${KOKPORTAL_SITE_URL:-http://$(HOST):$(PORT)} $(PY) manage.py create_demo_admin
	@echo "Portal: http://$(HOST):$(PORT)/   (stop with Ctrl+C)"
	KOKPORTAL_SITE_URL=$${KOKPORTAL_SITE_URL:-http://$(HOST):$(PORT)} $(PY) manage.py runserver $(HOST):$(PORT)

## Run the whole test suite: lint, unit, integration, concurrency and browser tests, then every benchmark at a
## tiny size with its correctness checks only
test: system services install messages a11y
	@$(PY) scripts/database.py ensure
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -n $(TEST_WORKERS)
	$(PY) benchmarks/run.py smoke

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Benchmarks (figures, not tests); results go to benchmarks/README.md
bench: system db messages
	$(PY) benchmarks/run.py all
bench-pages: system db messages
	$(PY) benchmarks/run.py pages
bench-registration: system db messages
	$(PY) benchmarks/run.py registration
bench-pdf: system db messages
	$(PY) benchmarks/run.py pdf
bench-anonymisation: install
	$(PY) benchmarks/run.py anonymisation
bench-grouping: install
	$(PY) benchmarks/run.py grouping
bench-report: system db messages
	$(PY) benchmarks/run.py report
bench-smoke: system db messages
	$(PY) benchmarks/run.py smoke

clean-venv:
	rm -rf $(VENV)
