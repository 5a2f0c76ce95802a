# The two commands of the README:
#   make demo   -> installs everything, then writes the demo maps and report from bundled data
#   make test   -> installs everything (pip packages, Debian chromium), then runs every check
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install chromium demo test lint data bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,data]"
	touch $@

install: $(VENV)/.installed

chromium:
	@test -x /usr/bin/chromium || ( $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium )

demo: install
	$(VENV)/bin/salw-routes demo

lint: install
	$(PY) -Werror -c "import routes"
	$(VENV)/bin/ruff check routes tests scripts bench
	$(VENV)/bin/ruff format --check routes tests scripts bench
	$(VENV)/bin/mypy

test: install chromium lint
	$(VENV)/bin/pytest --doctest-modules routes tests

data: install
	$(PY) scripts/build_data.py

bench: install
	$(PY) -m pip install --quiet -e ".[test,data,bench]"
	$(PY) bench/run_all.py
