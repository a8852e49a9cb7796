# Entente: `make run` (set up, migrate, demo game, serve) and `make test` (set up, test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
# The tests run on every core: one pytest-xdist worker a core, at most 4 (each worker that
# reaches the browser tests starts a server and a Chromium of its own). To run them one at
# a time: PYTEST_XDIST_AUTO_NUM_WORKERS=1 make test, or `.venv/bin/python -m pytest`.
PYTEST := $(BIN)/python -m pytest -n auto --maxprocesses 4

.PHONY: setup run test test-montecarlo test-postgres lint format vendor check-vendor clean messages check-translations

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

run: setup
	$(BIN)/entente db upgrade
	$(BIN)/entente scenario validate
	$(BIN)/entente demo --reuse
	$(BIN)/entente serve

test: setup
	$(PYTEST)

# Only the Monte Carlo tests (doctrine and case studies over 200 seeded bot games each,
# most of the suite's time; no database). `make test` runs them too. A file's tests stay
# on one worker: they share the games they play (cached), and each test plays its games
# on every core anyway (tests/doctrine/conftest.py).
test-montecarlo: setup
	$(PYTEST) --dist loadfile -m montecarlo

# The same suite with every database test on PostgreSQL (the session, each server and each
# CLI test get an entente_test_* database of their own on that server, dropped afterwards).
test-postgres: setup
	ENTENTE_DATABASE_URL='$(or $(ENTENTE_TEST_POSTGRES_URL),postgresql+psycopg://postgres@127.0.0.1:5432/test)' \
		$(PYTEST)

# Extract every message of the code and templates into the catalogues (app/locale/), and
# check that each language has them all translated (CI runs the check).
messages: setup
	$(BIN)/python scripts/i18n.py update

check-translations: setup
	$(BIN)/python scripts/i18n.py check

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

vendor:
	$(PYTHON) scripts/vendor_static.py

check-vendor:
	$(PYTHON) scripts/vendor_static.py --check

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
