# Two entry points (see README): `make run` and `make test`. Both create and reuse .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run ask test lint eval clean-index setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m vectorstore.convert
	command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/meetings serve

ask: $(STAMP)
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
