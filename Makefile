# `make run`: the console chat. `make test`: ruff and the whole test suite.
# Both create .venv and install the project into it first when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format eval fit bench bench-telegram bench-discord soak timeline check clean lock

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

timeline: $(STAMP)
	$(PY) -m benchmarks.timeline --out docs/timeline.png

check: $(STAMP)
	$(PY) -m bot check

# requirements.lock: the runtime dependencies pinned with hashes, for the Docker image, for
# Python 3.11 on Linux whatever this machine is. Existing pins are kept; delete the file first
# to move every pin to the newest release pyproject.toml allows. uv runs from its own venv.
lock:
	$(PYTHON) -m venv /tmp/factbot-lockvenv
	/tmp/factbot-lockvenv/bin/python -m pip install --quiet uv==0.13.9
	/tmp/factbot-lockvenv/bin/uv pip compile pyproject.toml --quiet --generate-hashes \
		--python-version 3.11 --python-platform linux --custom-compile-command 'make lock' \
		--output-file requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
