# The two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
DEV_ENV := DJANGO_DEBUG=1 ASSESSMENT_PUBLIC_URL=http://127.0.0.1:$(PORT)

.PHONY: install system-packages run serve test test-sqlite test-postgres lint format bench bench-quick reviewer clean

## make install: the Debian packages (scripts/system-packages.sh), the virtualenv, node_modules
install: system-packages $(VENV)/.installed node_modules/.installed

# nginx lives in /usr/sbin, which a non-root PATH may lack.
system-packages:
	@PATH="$$PATH:/usr/sbin:/sbin" scripts/system-packages.sh

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## make run: install, migrate, seed a demo reviewer and assessments, serve on 127.0.0.1:$(PORT)
run: install
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py demo_setup
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

## make serve: production-style, under gunicorn (needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS)
serve: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input
	PORT=$(PORT) $(VENV)/bin/gunicorn config.wsgi -c config/gunicorn.py

## make test: the whole suite on SQLite, then on PostgreSQL (skipped locally when it is not running)
test: install test-sqlite test-postgres

test-sqlite: install
	@echo "== Test suite on SQLite =="
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test-postgres: install
	@if $(PY) -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== Test suite on PostgreSQL ($(PG_URL)) =="; \
		DATABASE_URL=$(PG_URL) $(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true but PostgreSQL is not reachable at $(PG_URL)"; exit 1; \
	else \
		echo "SKIPPED: the PostgreSQL run: no server at $(PG_URL) (set PG_URL= to point at one)"; \
	fi

## make lint: ruff (rules and formatting), mypy with django-stubs, no model change without a migration
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## make bench: engine, queue (100,000 records), PDF, pages under wrk, journeys under Locust (see bench/); bench-quick: small sizes
bench: install
	$(PY) bench/run_all.py

bench-quick: install
	$(PY) bench/run_all.py --quick

## make reviewer: create (or reset) a reviewer account interactively
reviewer: install
	$(DEV_ENV) $(PY) manage.py create_reviewer

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
