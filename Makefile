# Two commands on a fresh clone (see README):
#   make book   build the published site (executes every notebook), prints the path of index.html
#   make test   run every test: unit tests, pipeline, notebooks (nbmake), book build, browser check
# Both create .venv on first use and install what they need into it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# CPU wheel for CI and local use; Colab/Kaggle keep their own torch (the package asks for a range).
TORCH  := torch==2.13.0
JOBS   ?= 2

.PHONY: book test notebooks benchmark chromium clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# The real data from OSF when reachable, else the offline surrogate (set NMA_DL_DATA_SOURCE to choose).
book: $(STAMP)
	$(BIN)/python -m nma_dl.nbtools check
	$(BIN)/python -m nma_dl.data prepare
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	@echo "Site: $(CURDIR)/_build/html/index.html"

notebooks: $(STAMP)
	$(BIN)/python -m nma_dl.nbtools build

test: export NMA_DL_DATA_SOURCE ?= synthetic
test: export NMA_DL_DATA_DIR ?= $(CURDIR)/.cache/nma_dl
test: $(STAMP) chromium
	$(BIN)/python -m nma_dl.data prepare
	$(MAKE) --no-print-directory book
	$(BIN)/python -m pytest -n $(JOBS) tests
	@echo "Browser check, one line per page (screenshots in _build/screenshots):"
	@cat _build/screenshots/summary.txt
	$(BIN)/python -m pytest -n $(JOBS) --nbmake --nbmake-kernel=python3 --nbmake-timeout=600 notebooks/reference

benchmark: $(STAMP)
	NMA_DL_DATA_SOURCE=$${NMA_DL_DATA_SOURCE:-synthetic} $(BIN)/python benchmarks/notebooks.py

# Debian's Chromium for the browser check (never a browser downloaded by a test tool).
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium (sudo apt-get install chromium) for the browser check"; exit 1; fi; }

clean:
	rm -rf _build .cache
