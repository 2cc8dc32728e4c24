# tx-mkdocs developer entry points. Every target sets up .venv (pinned by constraints.txt) first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast lint docs bench bench-markdown clean

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

## test-fast: the tests that need no browser, S3 server or service and take seconds (< 1 min)
test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not slow and not browser and not s3 and not service"

## lint: ruff, mypy (strict on tx_mkdocs.core) and lint-imports (the layers of
## docs/architecture.md, pyproject [tool.importlinter])
lint: $(STAMP)
	$(BIN)/ruff check tx_mkdocs tests bench docs
	$(BIN)/mypy
	$(BIN)/lint-imports

## docs: build this documentation (mkdocs.yml, docs/) into build/docs, warnings as errors
docs: $(STAMP)
	$(BIN)/mkdocs build --strict

## bench: speed figures on ../shared/samples/full_bible
bench: $(STAMP)
	$(BIN)/python bench/bench_build.py

## bench-markdown: the Markdown renderers on every text of ../shared/samples, old and new output
bench-markdown: $(STAMP)
	$(BIN)/python bench/markdown_renderers.py

clean:
	rm -rf site build dist .pytest_cache test-output
