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
	$(BIN)/ruff check server tests bench scripts
	$(BIN)/ruff format --check server tests bench scripts
	$(BIN)/mypy

# -rs prints why each skipped test was skipped (e.g. no real-world corpus beside the clone).
# pytest's exit 5 means it collected no tests: a failure, said out loud.
unit: setup
	@status=0; $(BIN)/python -m pytest -q -rs -p no:cacheprovider || status=$$?; \
	if [ $$status = 5 ]; then echo "make unit: pytest collected no tests (exit 5)" >&2; fi; \
	exit $$status

extension: setup
	bash scripts/test-extension.sh

test: setup lint unit extension

bench: $(BIN)/plx-validate
	$(BIN)/python bench/run.py
