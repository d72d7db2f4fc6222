# marsad — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DATASETS ?= ../shared/datasets
DB ?= marsad-demo.db

.PHONY: install demo test lint typecheck browser-deps eval eval-clean eval-stories eval-ner eval-dates \
        eval-summary train-ner train-places train-ner-stack train-ner-neural bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed  ## create .venv and install marsad with everything it needs

demo: install  ## run the whole pipeline on the sample corpus into a fresh database and show the stories
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(VENV)/bin/marsad run samples/seeds --db $(DB) --json out/demo-export.json
	$(VENV)/bin/marsad stories --db $(DB)

browser-deps:  ## Debian's Chromium for the real-browser tests (installed when missing)
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser tests need /usr/bin/chromium: sudo apt-get install chromium"; fi; }

test: install browser-deps  ## install what the tests need and run them
	$(PY) -m pytest -q tests

lint: install
	$(VENV)/bin/ruff check src tests eval benchmarks
	$(VENV)/bin/mypy

eval: eval-clean eval-stories eval-ner eval-dates eval-summary

eval-clean: install
	$(PY) eval/eval_clean.py

eval-stories: install
	$(PY) eval/eval_stories.py --datasets $(DATASETS)

eval-ner: install
	$(PY) eval/eval_ner.py --datasets $(DATASETS)

eval-dates: install
	$(PY) eval/eval_dates.py --datasets $(DATASETS)

eval-summary: install
	$(PY) eval/eval_summary.py --datasets $(DATASETS)

train-ner: install  ## rebuild src/marsad/models/ner.crfsuite from ../shared/datasets
	$(PY) -m marsad.ner train --datasets $(DATASETS) --out src/marsad/models/ner.crfsuite

train-places: install  ## rebuild src/marsad/models/places.tsv.gz (place lexicon of the stories' place signal)
	$(PY) -m marsad.places --datasets $(DATASETS) --out src/marsad/models/places.tsv.gz

train-ner-stack: install  ## the stacked CRFs (issue #5; 0.6-0.7 of the CRF's speed) into out/ner_stack/; not shipped
	$(PY) -m marsad.ner train --datasets $(DATASETS) --stack --out out/ner_stack/ner.crfsuite

train-ner-neural: install  ## the experimental CNN tagger (installs torch, training only) into out/; not shipped
	$(PIP) install -q torch==2.13.0
	$(PY) -m marsad.ner_neural embeddings --datasets $(DATASETS) --out out/ner_vectors_raw.npz
	$(PY) -m marsad.ner_neural train --datasets $(DATASETS) --vectors out/ner_vectors_raw.npz \
	    --epochs 15 --seed 13 --out out/ner_neural_s13.npz
	$(PY) -m marsad.ner_neural train --datasets $(DATASETS) --vectors out/ner_vectors_raw.npz \
	    --epochs 15 --seed 14 --word-dropout 0.2 --out out/ner_neural_s14.npz
	$(PY) -m marsad.ner_neural combine out/ner_neural_s13.npz out/ner_neural_s14.npz --out out/ner_neural.npz

bench: install  ## speed benchmarks (numbers in docs/benchmarks.md); the stories one embeds its bulk with stand-in vectors
	$(PY) benchmarks/bench_clean.py --datasets $(DATASETS)
	$(PY) benchmarks/bench_dates.py --datasets $(DATASETS)
	$(PY) benchmarks/bench_ner.py --datasets $(DATASETS)
	$(PY) benchmarks/bench_summary.py --datasets $(DATASETS)
	$(PY) benchmarks/bench_stories.py --datasets $(DATASETS) --stand-in-bulk
	$(PY) benchmarks/bench_pipeline.py --datasets $(DATASETS) --days 1
	$(PY) benchmarks/bench_web.py --datasets $(DATASETS) --db out/bench_web.db

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache out
