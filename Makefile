# Two commands on a fresh machine: `make lab` and `make test`. Both install first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# Jupyter refuses to run as root unless told to (containers and CI machines often are root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: install lab test lint bench demo student-bundle clean fit-critic bench-accuracy

install: $(STAMP)

# Reinstalls only when the project's dependency list changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# JupyterLab as a learner needs it: the settings in jupyter/ (no instructor extensions, no
# news prompt, arrow keys that move a radio choice, notebooks saved without stale widgets).
LEARNER_CONFIG := $(CURDIR)/jupyter

lab: install
	PATH="$(abspath $(BIN)):$$PATH" \
	JUPYTER_CONFIG_PATH="$(LEARNER_CONFIG)$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	    $(BIN)/jupyter lab --port=$(PORT) $(ROOT_FLAG) \
	    --ServerApp.root_dir="$(CURDIR)" notebooks/00_start.ipynb

test: install
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/critique.py
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python bench/autograde.py

# The critic's weights and thresholds, fitted by cross-validation on the post bank and the
# real-world development set (never the test set). Run after editing the lexicon.
fit-critic: install
	$(BIN)/python -m course.critic.fit tests/data/realworld/dev.yaml tests/data/realworld/dev2.yaml

bench-accuracy: install
	$(BIN)/python bench/accuracy.py

# An instructor's whole job on a made-up class: build, simulate, grade, report.
demo: install
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m course grade demo

# What a class server installs: the package as a wheel, the lessons, install.sh; no keys.
student-bundle: install
	$(BIN)/python -m course bundle --out dist

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info
