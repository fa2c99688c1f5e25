# ParkAdmin: `make run` serves the demo, `make test` runs every test. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SCALE ?= 1,10
# Test processes (pytest-xdist); 2 suits the 2-core machines CI runs on.
TEST_WORKERS ?= 2
MANAGE := $(BIN)/python manage.py

.PHONY: run test serve check bench fuzz loadtest lint format messages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

## run: set up (venv, packages, database, demo) and serve the demo on SQLite at HOST:PORT, a background-job worker beside
run: $(VENV)/.runtime
	DJANGO_DEBUG=1 $(MANAGE) migrate --no-input
	DJANGO_DEBUG=1 $(MANAGE) load_demo --if-empty --with-accounts
	@echo "Open http://$(HOST):$(PORT)/"
	DJANGO_DEBUG=1 $(MANAGE) qcluster & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		DJANGO_DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

## test: lint, the import contracts, Django's checks and the whole test suite (SQLite unless DATABASE_URL is set)
test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DJANGO_DEBUG=1 $(MANAGE) check
	$(BIN)/pytest -n $(TEST_WORKERS)

## serve: production-style (gunicorn + whitenoise, DEBUG off, settings from the environment)
serve: $(VENV)/.runtime
	DJANGO_DEBUG=0 $(MANAGE) collectstatic --no-input --verbosity 0
	DJANGO_DEBUG=0 $(MANAGE) migrate --no-input
	DJANGO_DEBUG=0 $(BIN)/gunicorn parkadmin.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} \
		--access-logfile - --timeout 120

## check: the same as `make test` (what CI runs, on PostgreSQL and on SQLite)
check: test

## bench: the benchmark (SCALE=1,10), each scale in a database of its own; see docs/performance.md
bench: $(VENV)/.dev
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(MANAGE) bench --scale $(SCALE)

## fuzz: schemathesis against the API of a throwaway instance; fails on any server error (see docs/reliability.md)
fuzz: $(VENV)/.dev
	$(BIN)/python scripts/fuzz.py

## loadtest: gunicorn on PostgreSQL under load, PostgreSQL restarted midway (root; restarts the local cluster)
loadtest: $(VENV)/.dev
	$(BIN)/python scripts/loadtest.py

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh the Chinese catalogue after changing UI strings (needs GNU gettext)
messages: $(VENV)/.dev
	DJANGO_DEBUG=1 $(MANAGE) makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'static/vendor/*' --no-obsolete
	DJANGO_DEBUG=1 $(MANAGE) compilemessages --locale zh_Hans --ignore '.venv/*'

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
