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
# The browser tests (tests/e2e) drive Debian's Chromium; Playwright never downloads a browser.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: samples run test test-sqlite test-postgres bench install clean chromium screenshots

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

# Installed only when missing: a machine that has it asks no registry.
$(CHROMIUM):
	test -x $@ || { $(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }
	test -x $@

chromium: $(CHROMIUM)

install: $(STAMP) $(ASSETS)

## Serve Alur on the embedded SQLite database, with the SOPs and the demo data loaded, and the
## worker (reminders, escalations, e-mail to var/mail) beside it; stopping the server stops both.
run: $(STAMP) $(ASSETS)
	$(ALUR) migrate --noinput
	$(ALUR) demo
	$(ALUR) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(ALUR) runserver $(HOST):$(PORT)

## The whole suite on SQLite, then again on PostgreSQL where one answers.
test: $(STAMP) $(ASSETS) $(CHROMIUM)
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

test-sqlite: $(STAMP) $(CHROMIUM)
	@echo "== test suite on SQLite =="
	env -u ALUR_DATABASE_URL $(BIN)/pytest

test-postgres: $(STAMP) $(CHROMIUM)
	@echo "== test suite on PostgreSQL ($(ALUR_TEST_POSTGRES_URL)) =="
	ALUR_DATABASE_URL="$(ALUR_TEST_POSTGRES_URL)" $(BIN)/pytest

## The README's screenshots (docs/*.png), taken from the running app in Chromium on SQLite.
screenshots: $(STAMP) $(ASSETS) $(CHROMIUM)
	env -u ALUR_DATABASE_URL $(BIN)/pytest tests/e2e/screenshots.py -q

## Benchmarks: figures printed, never asserted.
bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var build src/*.egg-info

## Rendered samples of the PKS SOP for the README: the flowchart, and the PDF's first pages.
samples: $(STAMP) $(ASSETS) $(CHROMIUM)
	@command -v pdftoppm >/dev/null || (apt-get update -q && apt-get install -y -q --no-install-recommends poppler-utils)
	mkdir -p docs var/samples
	ALUR_VAR_DIR=var/samples $(ALUR) migrate --noinput -v 0
	ALUR_VAR_DIR=var/samples $(ALUR) sop render pks-pihak-ketiga --format svg -o docs/flowchart.svg
	ALUR_VAR_DIR=var/samples $(ALUR) sop render pks-pihak-ketiga --format pdf -o var/samples/pks.pdf
	pdftoppm -r 80 -png -f 1 -l 2 var/samples/pks.pdf var/samples/page
	cp var/samples/page-1.png docs/sop-pdf-page1.png
	cp var/samples/page-2.png docs/sop-pdf-page2.png
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir=var/samples/chromium --hide-scrollbars \
		--window-size=1040,1640 --screenshot=docs/flowchart.png "file://$(CURDIR)/docs/flowchart.svg"
