# Alur: the two everyday commands (`make run`, `make test`) each do their own set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ALUR := $(BIN)/alur
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
ALUR_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
export ALUR_TEST_POSTGRES_URL

.PHONY: run test test-sqlite test-postgres bench install clean

ASSETS := node_modules/.installed

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Bootstrap, its icons and HTMX come from the npm registry at install time and are served by
# Django's static files: no page loads anything from the internet.
$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(ASSETS)

install: $(STAMP) $(ASSETS)

## Serve Alur on the embedded SQLite database, with the SOPs and the demo data loaded.
run: $(STAMP) $(ASSETS)
	$(ALUR) migrate --noinput
	$(ALUR) demo
	$(ALUR) runserver $(HOST):$(PORT)

## The whole suite on SQLite, then again on PostgreSQL where one answers.
test: $(STAMP) $(ASSETS)
	$(MAKE) --no-print-directory test-sqlite
	@if $(BIN)/python -m alur.dbcheck "$(ALUR_TEST_POSTGRES_URL)"; then \
		$(MAKE) --no-print-directory test-postgres; \
	else \
		echo; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!! PostgreSQL does not answer at $(ALUR_TEST_POSTGRES_URL)"; \
		echo "!! The suite ran on SQLite ONLY. Set ALUR_TEST_POSTGRES_URL to test PostgreSQL."; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi

test-sqlite: $(STAMP)
	@echo "== test suite on SQLite =="
	env -u ALUR_DATABASE_URL $(BIN)/pytest

test-postgres: $(STAMP)
	@echo "== test suite on PostgreSQL ($(ALUR_TEST_POSTGRES_URL)) =="
	ALUR_DATABASE_URL="$(ALUR_TEST_POSTGRES_URL)" $(BIN)/pytest

## Benchmarks: figures printed, never asserted.
bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var build src/*.egg-info
