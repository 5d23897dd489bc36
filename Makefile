# Briefing — every target creates .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEEDS := seeds
OUT := out

.PHONY: brief test lint unit bench bench-quality bench-speed bench-trust bench-editorial fuzz clean

# The first run installs the dependencies (about 2 minutes): pip shows each
# package as it goes, so a first `make brief` is never a silent wait.
$(STAMP): pyproject.toml
	@echo "First run: creating $(VENV) and installing the dependencies (about 2 minutes)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --progress-bar on -e '.[dev]'
	touch $(STAMP)

## Build the demo brief from seeds/ into out/
brief: $(STAMP)
	$(BIN)/briefing build $(SEEDS) --out $(OUT)

## Lint (ruff, mypy --strict) and run the tests
test: lint unit

lint: $(STAMP)
	$(BIN)/ruff check briefing tests benchmarks
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

## Summary quality against the DUC 2006 dev clusters (ROUGE), beside sumy and DUC systems
bench-quality: $(STAMP)
	$(BIN)/python benchmarks/quality.py

## Citation trust: old vs new claim test on hand-labelled (item, cited source) pairs
bench-trust: $(STAMP)
	$(BIN)/python benchmarks/trust.py

## Editorial quality: unusable and misplaced items on hand-labelled briefs, before and after
bench-editorial: $(STAMP)
	$(BIN)/python benchmarks/editorial.py

## Speed and memory at 5..1000 articles, beside sumy LexRank
bench-speed: $(STAMP)
	$(BIN)/python benchmarks/speed.py

bench: bench-quality bench-speed bench-trust bench-editorial

## Bounded fuzz run of ingest+clean+segment
fuzz: $(STAMP)
	$(BIN)/python -m pytest tests/robustness -k fuzz -q

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
