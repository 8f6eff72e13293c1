# Everyday commands. A fresh machine needs only Python 3.10+ (with venv) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LAB_ARGS ?=
# Jupyter refuses to run as root (containers, CI) unless told to.
ROOT_ARGS := $(if $(filter 0,$(shell id -u)),--allow-root)
# The start page: the first lesson in teaching order (the README if there is none).
START_PAGE := $(firstword $(sort $(wildcard notebooks/*.ipynb)) README.md)
# make demo: the kit's Voila template (Voila's lab template without stylesheets from a CDN) lives
# in share/jupyter; no browser is opened on a Linux machine without a display.
VOILA_PATH := $(CURDIR)/share/jupyter$(if $(JUPYTER_PATH),:$(JUPYTER_PATH))
DEMO_ARGS ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,$(if $(filter Linux,$(shell uname -s)),--no-browser))

# Test workers (pytest-xdist). Four on two cores: many slow tests spend their time waiting (for a
# kernel, a sandbox, a browser, pip), so more workers than cores finish sooner. WORKERS=0: one
# process.
WORKERS ?= 4

.PHONY: install lab demo test check notebooks exercises pictures book badges bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(STAMP)

lab: install
	$(BIN)/jupyter lab $(ROOT_ARGS) $(LAB_ARGS) $(START_PAGE)

# The lessons as Voila dashboards for a lecture hall: the list of lessons, each run on opening,
# code cells hidden, only controls, charts and text shown.
demo: install
	JUPYTER_PATH=$(VOILA_PATH) $(BIN)/voila --template=lab-offline --strip_sources=True $(DEMO_ARGS) notebooks

# Everything: models, datasets, dashboards, exercises, lessons (nbval), the website, the Binder
# check and the lessons in a real browser, on $(WORKERS) pytest-xdist workers (see conftest.py).
test: install
	$(BIN)/python -m pytest -n $(WORKERS)

# The fast tier for the edit-test loop: everything but the tests marked slow (no notebook is
# executed, no browser or server started, no Binder environment built; see conftest.py).
check: install
	$(BIN)/python -m pytest -n $(WORKERS) -m "not slow" tests tokenomics

# Re-execute every lesson in place and store its outputs (what nbval then compares).
notebooks: install
	$(BIN)/python scripts/execute_notebooks.py

# Write the exercise notebooks (student and solution versions) from tokenomics/exercises/.
exercises: install
	$(BIN)/python -m tokenomics.exercises.build

# Render each lesson's key chart for the README (offline, with vl-convert).
pictures: install
	$(BIN)/python scripts/render_pictures.py

# The kit as a static website in build/book/: built offline from the stored outputs (see scripts/book).
book: install
	$(BIN)/python scripts/build_book.py

# Write the README's Binder badges from docs/site.toml (where the repository's address is set).
badges: install
	$(BIN)/python scripts/write_badges.py

bench: install
	$(BIN)/python benchmarks/run.py

lint: install
	$(BIN)/ruff check conftest.py tokenomics tests benchmarks scripts notebooks
	$(BIN)/ruff format --check conftest.py tokenomics tests benchmarks scripts notebooks

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
