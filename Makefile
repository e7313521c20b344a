# Thin wrappers. `make run` sets up and serves the app with demo data and a background worker;
# `make test` sets up and runs every test. Both honour DATABASE_URL, and `run` honours HOST
# and PORT.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup db lint format check chromium fonts clean docs

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

db: $(STAMP)
	mkdir -p var
	$(BIN)/python manage.py ensure_database
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py demo

# The web server and one background worker beside it (e-mails, webhooks, the periodic
# scan: docs/interface.md); stopping the server (Ctrl-C) stops the worker too.
run: db fonts
	$(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }

# The fonts of the pages' screenshots and of the documents' PDFs (Noto Serif/Sans CJK), the
# PDF tools the tests read them with (pdftotext, pdftoppm), and HarfBuzz's subsetter, with
# which WeasyPrint embeds only the characters a document uses.
fonts:
	@{ fc-list | grep -q "Noto Serif CJK SC" && command -v pdftoppm >/dev/null 2>&1 \
	  && ldconfig -p | grep -q libharfbuzz-subset; } \
	  || { apt-get update -qq && apt-get install -y -qq fonts-noto-cjk poppler-utils libharfbuzz-subset0; }

test: $(STAMP) chromium fonts
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py write_docs --check
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

docs: $(STAMP)
	$(BIN)/python manage.py write_docs

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/test.sqlite3 .pytest_cache
