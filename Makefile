# The two commands of the README. Each sets up what it needs on its own.
#   make demo   renders the bundled example films to out/the_kite_mender.mp4 and
#               out/the_bamboo_duel.mp4 (the action example: rain, props, fades)
#   make test   lint, type-check and run every test

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORY  := examples/the_kite_mender.fountain
FILM   := out/the_kite_mender.mp4
ACTION := examples/the_bamboo_duel.fountain
ACTION_FILM := out/the_bamboo_duel.mp4
TORCH  ?= 2.13.0
CHROMIUM ?= /usr/bin/chromium
SUDO   := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: demo test bench clean

demo: $(VENV)/.runtime
	@mkdir -p out
	$(BIN)/storyreel make $(STORY) -o $(FILM) --project out/the_kite_mender
	$(BIN)/storyreel make $(ACTION) -o $(ACTION_FILM) --project out/the_bamboo_duel

test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest

bench: $(VENV)/.dev
	$(BIN)/python bench/make_film.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	@touch $@

# PyTorch's CPU build goes in first, so the diffusers extra finds torch satisfied and
# pulls no CUDA packages. Debian's Chromium drives the studio's browser tests (a test
# tool's own browser download does not work offline), with CJK fonts for its pages.
$(VENV)/.dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet "torch==$(TORCH)"
	$(BIN)/pip install --quiet -e ".[dev,ray,actors,diffusers]"
	@test -x $(CHROMIUM) || $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null \
		|| { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }
	@touch $@ $(VENV)/.runtime

clean:
	rm -rf $(VENV) out build *.egg-info src/*.egg-info
