# Briefing — every target creates .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEEDS := seeds
OUT := out

.PHONY: brief test lint unit bench bench-quality bench-speed bench-trust bench-editorial bench-stories fuzz clean

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

## Summary quality (ROUGE): DUC 2006 dev clusters at 250 and 100 words, DUC 2007 update task, beside sumy and DUC systems
bench-quality: $(STAMP)
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/quality.py --words 100 --out benchmarks/results/quality-100.md
	$(BIN)/python benchmarks/update.py

## Citation trust: old vs new claim test on hand-labelled (item, cited source) pairs
bench-trust: $(STAMP)
	$(BIN)/python benchmarks/trust.py

## Editorial quality: unusable and misplaced items on hand-labelled briefs, before and after
bench-editorial: $(STAMP)
	$(BIN)/python benchmarks/editorial.py

## Speed and memory at 5..1000 articles, beside sumy LexRank
bench-speed: $(STAMP)
	$(BIN)/python benchmarks/speed.py

## Stories: grouping quality (B-cubed F1, ARI) beside a baseline, time, memory, and --jobs 2 throughput
bench-stories: $(STAMP)
	$(BIN)/python benchmarks/stories.py

bench: bench-quality bench-speed bench-trust bench-editorial bench-stories

## Bounded fuzz run of ingest+clean+segment
fuzz: $(STAMP)
	$(BIN)/python -m pytest tests/robustness -k fuzz -q

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
