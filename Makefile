# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint format messages clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Casework needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## Set everything up and serve the demo on http://127.0.0.1:8000 (SQLite in var/).
run: $(STAMP)
	$(BIN)/casework migrate
	$(BIN)/casework seed-demo
	$(BIN)/casework serve

## The whole suite: lint, then tests on SQLite and PostgreSQL.
test: $(STAMP) lint
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Gather the pages' Vietnamese strings into the English catalogue (then translate the
## empty entries in casework/locale/en/LC_MESSAGES/messages.po).
messages: $(STAMP)
	@mkdir -p var
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output --omit-header -o var/messages.pot .
	@test -f casework/locale/en/LC_MESSAGES/messages.po || $(BIN)/pybabel init -i var/messages.pot -d casework/locale -l en
	$(BIN)/pybabel update -i var/messages.pot -d casework/locale -l en --no-fuzzy-matching -w 100

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
