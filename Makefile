# Two entry points (see README): `make run` and `make test`. Both create and reuse .venv.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint eval bench clean-index setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m vectorstore.convert
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/meetings ingest
	$(BIN)/meetings ask "Hvad blev besluttet om KlimaMidt?"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: $(STAMP) lint
	$(BIN)/pytest

eval: $(STAMP)
	$(BIN)/meetings ingest --no-progress
	$(BIN)/meetings eval ../shared/eval/dev.jsonl

clean-index:
	rm -rf data/index
