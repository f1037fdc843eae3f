# Madad: `make run` serves the demo, `make test` runs the whole suite. Both set everything up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
MADAD  := $(BIN)/madad
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint bench setup system messages clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) scripts/check_python.py
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

run: setup
	mkdir -p var
	MADAD_MODE=demo $(MADAD) i18n compile
	MADAD_MODE=demo $(MADAD) migrate --no-input -v 0
	MADAD_MODE=demo $(MADAD) collectstatic --no-input -v 0
	MADAD_MODE=demo $(MADAD) demo
	MADAD_MODE=demo scripts/serve

test: setup system
	$(MADAD) i18n compile
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

system:
	scripts/ensure_system

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/djlint src/madad --lint
	$(BIN)/mypy src tests
	$(MADAD) makemigrations --check --dry-run

bench: setup
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(BIN)/python -m bench

messages: setup
	$(MADAD) makemessages -l ur --ignore=.venv --ignore=tests --ignore=bench
	$(MADAD) makemessages -d djangojs -l ur --ignore=.venv
	$(MADAD) i18n compile

clean:
	rm -rf $(VENV) var staticfiles
