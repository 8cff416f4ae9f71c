# `make run`: the console chat. `make test`: ruff and the whole test suite.
# Both create .venv and install the project into it first when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format eval fit bench bench-telegram bench-discord soak check clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m bot

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

eval: $(STAMP)
	$(PY) -m bot eval --hide-holdout

fit: $(STAMP)
	$(PY) -m bot fit

bench: $(STAMP)
	$(PY) -m bot bench

bench-telegram: $(STAMP)
	$(PY) -m benchmarks.telegram_bench

bench-discord: $(STAMP)
	$(PY) -m benchmarks.discord_bench

soak: $(STAMP)
	$(PY) -m benchmarks.soak

check: $(STAMP)
	$(PY) -m bot check

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
