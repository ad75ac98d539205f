# Every target creates and uses the local virtual environment: nothing to install by hand.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SAMPLE := samples/16014-12-add1-rev2.pdf
RULES := rules/16014-12-ext1.yaml
OUT := out

.PHONY: venv demo test lint sample bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	mkdir -p $(OUT)
	$(BIN)/redactor apply $(SAMPLE) $(RULES) -o $(OUT)/16014-12-add1-rev2-ext1.pdf \
		--markdown $(OUT)/16014-12-add1-rev2-ext1.md --html $(OUT)/16014-12-add1-rev2-ext1.html \
		--audit $(OUT)/16014-12-add1-rev2-ext1.audit.json
	$(BIN)/redactor cover $(SAMPLE) $(RULES) -o $(OUT)/cover.pdf --png $(OUT)/cover.png
	@echo "outputs in $(OUT)/:"
	@ls -1 $(OUT) | sed 's|^|  $(OUT)/|'

test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto

lint: $(STAMP)
	$(BIN)/ruff check redactor tests samples bench
	$(BIN)/mypy redactor
	$(BIN)/lint-imports

sample: $(STAMP)
	$(BIN)/python samples/make_sample.py $(SAMPLE)

bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(OUT) bench/out
