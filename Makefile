# tx-mkdocs developer entry points. Every target sets up .venv (pinned by constraints.txt) first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint docs bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

## run: build the example repository into site/ and print the path of its index.html
run: $(STAMP)
	$(BIN)/tx-mkdocs build examples/bible --site-dir site

## test: lint and run the whole test suite
test: $(STAMP) lint
	$(BIN)/pytest

## lint: ruff, and lint-imports (the layers of docs/architecture.md, pyproject [tool.importlinter])
lint: $(STAMP)
	$(BIN)/ruff check tx_mkdocs tests bench docs
	$(BIN)/lint-imports

## docs: build this documentation (mkdocs.yml, docs/) into build/docs, warnings as errors
docs: $(STAMP)
	$(BIN)/mkdocs build --strict

## bench: speed figures on ../shared/samples/full_bible
bench: $(STAMP)
	$(BIN)/python bench/bench_build.py

clean:
	rm -rf site build dist .pytest_cache test-output
