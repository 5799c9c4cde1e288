# Northstar: `make demo` to run it, `make test` to test it. Nothing else is needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= $(or $(NORTHSTAR_TEST_DATABASE_URL),postgres://postgres@127.0.0.1:5432/test)

.PHONY: demo serve install install-test assets test test-sqlite test-postgres lint browser clean

demo: install
	$(BIN)/northstar demo
	$(BIN)/northstar serve

serve: install
	$(BIN)/northstar serve

install: $(VENV)/.installed assets

install-test: $(VENV)/.installed-test assets browser

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==26.3
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
	touch $@

# The NHS.UK frontend's CSS, JavaScript and images, from the locked npm package.
# The source maps come too: the CSS and JavaScript name them, and production's
# collectstatic refuses a file that names a file it cannot find.
assets: static/nhsuk/.built

static/nhsuk/.built: package-lock.json Makefile
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/nhsuk && mkdir -p static/nhsuk
	cp -r node_modules/nhsuk-frontend/dist/nhsuk/assets static/nhsuk/assets
	cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js \
		node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js.map \
		node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css.map static/nhsuk/
	sed 's#url(/assets/#url(/static/nhsuk/assets/#g' \
		node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css > static/nhsuk/nhsuk-frontend.min.css
	touch $@

browser:
	@bash scripts/ensure-chromium.sh

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/lint_model_usage_in_views.py

test: install-test lint test-sqlite test-postgres

test-sqlite:
	@echo "== Tests on SQLite"
	$(BIN)/pytest -n 2 --dist worksteal --durations=20

test-postgres:
	@if $(BIN)/python scripts/database_ready.py "$(PG_TEST_URL)"; then \
		echo "== Tests on PostgreSQL ($(PG_TEST_URL))"; \
		NORTHSTAR_DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest -n 2 --dist worksteal --durations=20; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at $(PG_TEST_URL) is not reachable, and under CI the suite must run on it."; exit 1; \
	else \
		echo "== Skipping PostgreSQL: nothing answers at $(PG_TEST_URL) (set NORTHSTAR_TEST_DATABASE_URL to use another)."; \
	fi

clean:
	rm -rf $(VENV) node_modules static/nhsuk var
