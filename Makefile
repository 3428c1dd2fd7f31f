# kokportal: the two commands a newcomer needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install db messages lint format bench bench-pdf bench-registration clean-venv

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

.env:
	cp .env.example .env

db: install .env
	@scripts/ensure_postgres.sh
	@$(PY) scripts/ensure_database.py

messages: install
	@DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py compilemessages --ignore='.venv/*' -v0

## Set everything up and run the portal with demo data on http://127.0.0.1:8000
run: db messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py create_demo_admin
	@echo "Portal: http://$(HOST):$(PORT)/   (stop with Ctrl+C)"
	$(PY) manage.py runserver $(HOST):$(PORT)

## Run the whole test suite (lint, unit, integration, concurrency and browser tests)
test: install messages
	@scripts/ensure_postgres.sh
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Benchmarks (figures, not tests); results go to benchmarks/README.md
bench: db messages
	$(PY) benchmarks/run.py all
bench-pages: db messages
	$(PY) benchmarks/run.py pages
bench-registration: db messages
	$(PY) benchmarks/run.py registration
bench-pdf: db messages
	$(PY) benchmarks/run.py pdf

clean-venv:
	rm -rf $(VENV)
