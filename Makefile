# Two entry points for a fresh machine (see README):
#   make example   install plx-validate into .venv and run it on examples/polyaxonfile.yaml
#   make test      install everything the tests need, then run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: example test setup lint unit extension bench

$(BIN)/plx-validate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'

example: $(BIN)/plx-validate
	@echo '$$ plx-validate examples/polyaxonfile.yaml'
	@$(BIN)/plx-validate examples/polyaxonfile.yaml; status=$$?; echo "(exit status $$status)"; test $$status -le 1

setup: $(BIN)/plx-validate
	bash scripts/setup-test-env.sh

lint: $(BIN)/plx-validate
	$(BIN)/ruff check server tests bench
	$(BIN)/ruff format --check server tests bench
	$(BIN)/mypy

unit: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider

extension: setup
	bash scripts/test-extension.sh

test: setup lint unit extension

bench: $(BIN)/plx-validate
	$(BIN)/python bench/run.py
