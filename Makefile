# Converge — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install messages check lint format typecheck bench bench-smoke clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

messages: install
	@DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v0

## Run the app on SQLite under var/ with the demo workspace loaded.
run: messages
	DEBUG=1 $(PY) manage.py migrate --no-input -v0
	DEBUG=1 $(PY) manage.py converge_demo
	@echo ""
	@echo "  Converge is at http://$(HOST):$(PORT)/  — sign in as lead@nordvik.example / nordvik-demo"
	@echo ""
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

## Run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL).
test: messages
	$(PY) -m pytest

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

typecheck: install
	DEBUG=1 $(PY) -m mypy

check: lint typecheck
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

bench: install
	DEBUG=1 $(PY) bench/run.py
	$(PY) bench/imports.py --rows 1000000
	$(PY) bench/dashboards.py

bench-smoke: install
	DEBUG=1 $(PY) bench/run.py --smoke
	$(PY) bench/imports.py --rows 20000 --repeat 1
	$(PY) bench/dashboards.py --years 1 --channels 5 --posts 10000 --repeat 5

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache
