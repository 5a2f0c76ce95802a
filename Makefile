# The two commands of the README:
#   make demo   -> installs everything, then writes the demo maps and report from bundled data
#   make test   -> installs everything (pip packages, Debian chromium), then runs every check
#                  (lint, the docs site built strictly, the test suite)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install chromium demo test lint docs data bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,data,docs]"
	# an editable install is not byte-compiled by pip; where PYTHONDONTWRITEBYTECODE is set,
	# every process would compile the package again (~0.7 s a start)
	$(PY) -m compileall -q routes
	touch $@

install: $(VENV)/.installed

chromium:
	@test -x /usr/bin/chromium || ( $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium )

demo: install
	$(VENV)/bin/salw-routes demo

lint: install
	$(PY) -Werror -c "import routes"
	$(VENV)/bin/ruff check routes tests scripts bench docs/*.py
	$(VENV)/bin/ruff format --check routes tests scripts bench docs/*.py
	$(VENV)/bin/mypy

# The documentation site, warnings as errors, into build/site (gitignored).
docs: install
	DISABLE_MKDOCS_2_WARNING=true NO_MKDOCS_2_WARNING=1 \
	  $(VENV)/bin/mkdocs build --strict --site-dir build/site

test: install chromium lint docs
	$(VENV)/bin/pytest --doctest-modules routes tests

data: install
	$(PY) scripts/build_data.py

bench: install
	$(PY) -m pip install --quiet -e ".[test,data,bench]"
	$(PY) bench/run_all.py
