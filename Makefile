# make run   : set up everything (venv, requirements, database, migrations, translations, static,
#              reference and demo data) and start web + Celery worker + beat; Ctrl-C stops them all.
# make test  : run every test (unit, integration with a real Celery worker, browser), one process per core.
# make lint  : ruff.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Development defaults; a server sets DEBUG=false and SECRET_KEY in its environment or .env.
export DEBUG ?= true

.PHONY: run setup test lint format messages static db bench clean-var

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# msgfmt, not compilemessages: Django cannot start before the Lao catalog exists.
locale/lo/LC_MESSAGES/%.mo: locale/lo/LC_MESSAGES/%.po
	msgfmt --check-format -o $@ $<

MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/lo/LC_MESSAGES/*.po))

deps: $(VENV)/.installed node_modules/.installed $(MO_FILES)

db: deps
	$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable

static: deps
	$(PY) manage.py collectstatic --noinput -v0


setup: db static
	$(PY) manage.py load_reference_data


run: export DEMO ?= true
run: setup
	$(PY) manage.py preflight
	PORT=$(PORT) scripts/run.sh

test: deps
	$(PY) -m pytest -n auto

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: deps
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: deps
	scripts/messages.sh

bench: deps
	$(PY) bench/scoring.py
