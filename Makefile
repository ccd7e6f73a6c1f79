# Peer Support — the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        ?= .venv
PY          := $(VENV)/bin/python
MANAGE      := $(PY) manage.py
PYTHON      ?= $(shell scripts/find-python)
# The PostgreSQL the suite's second run uses; Django creates and drops test_<name> on it.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

BASE_STAMP := $(VENV)/.base-installed
DEV_STAMP  := $(VENV)/.dev-installed

.PHONY: help run test lint format typecheck migrations-check schema-check messages messages-check \
        deploy-check test-sqlite test-postgres test-tools demo bench clean

help:
	@echo "make run    start the demo at http://127.0.0.1:8000 (SQLite, demo data)"
	@echo "make test   lint, type-check and run the whole suite on SQLite and PostgreSQL"
	@echo "make messages   re-extract translatable strings into locale/nl"

$(VENV)/bin/python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Peer Support needs Python 3.12 or newer (3.13 recommended)."; \
	  echo "Install one, or point to it: make run PYTHON=/path/to/python3.13"; exit 1; fi
	$(PYTHON) -m venv $(VENV)

$(BASE_STAMP): requirements/base.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.txt
	@touch $@

$(DEV_STAMP): requirements/base.txt requirements/dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.txt -r requirements/dev.txt
	@touch $@ $(BASE_STAMP)

run: $(BASE_STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) loaddemo --if-empty
	scripts/run-demo $(PY)

demo: $(BASE_STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) loaddemo --if-empty

test: $(DEV_STAMP) test-tools lint typecheck migrations-check schema-check messages-check deploy-check test-sqlite test-postgres

# Chromium (Debian's package) and axe-core (npm) for the browser journeys.
test-tools:
	scripts/test-tools

# Ruff, and the import contracts between the apps (pyproject.toml, [tool.importlinter]).
lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(DEV_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: $(DEV_STAMP)
	$(VENV)/bin/mypy

migrations-check: $(DEV_STAMP)
	$(MANAGE) makemigrations --check --dry-run

# The OpenAPI schema must generate without a warning and validate.
schema-check: $(DEV_STAMP)
	$(MANAGE) spectacular --validate --fail-on-warn --file /dev/null

messages: $(DEV_STAMP)
	scripts/messages update

messages-check: $(DEV_STAMP)
	scripts/messages check

# The production settings must pass Django's deployment checklist.
deploy-check: $(DEV_STAMP)
	DEBUG=false SECRET_KEY=deploy-check-$$(head -c 32 /dev/urandom | base64 | tr -d '+/=') \
	  ALLOWED_HOSTS=peersupport.example.org EMAIL_HOST=smtp.example.org \
	  ACCESS_LOG_KEY=deploy-check-$$(head -c 32 /dev/urandom | base64 | tr -d '+/=') \
	  PRIVACY_OFFICER_EMAIL=privacy@example.org \
	  $(MANAGE) check --deploy --fail-level WARNING

test-sqlite: $(DEV_STAMP)
	@echo "=== Test suite on SQLite ==="
	DATABASE_URL=sqlite:///:memory: $(VENV)/bin/pytest $(PYTEST_ARGS)

test-postgres: $(DEV_STAMP)
	@echo "=== Test suite on PostgreSQL ==="
	@scripts/with-postgres "$(PG_TEST_URL)" $(PY) $(VENV)/bin/pytest $(PYTEST_ARGS)

# Benchmarks (not tests): a fresh PostgreSQL database, figures written to BENCHMARKS.md.
bench: $(DEV_STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules test-artifacts .mypy_cache .pytest_cache .ruff_cache
