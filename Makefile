# The team's vocabulary. `make run` and `make test` set everything up themselves.
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BABEL := $(VENV)/bin/pybabel
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BABEL_EXTRACT := $(BABEL) extract -F babel.cfg -k _l -k lazy_gettext -k _lp:1c,2 -k lazy_pgettext:1c,2 --no-location --sort-output --omit-header

.PHONY: help run test setup lock wheel assets translations translations-compile browser settings-example lint audit bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-22s %s\n", $$1, $$2}'

run: setup ## Run the portal with its sandboxes and demo people on http://127.0.0.1:$${PORT:-8000}
	$(PY) -m portal.embedded

# Tests run in this many processes, each test module whole in one of them, handed
# out in the order collected: the longest first (tests/conftest.py, LONGEST_FIRST).
TEST_PROCESSES ?= 2

test: setup browser ## Run every test, browser tests included (TEST_PROCESSES at once)
	$(PY) -m pytest -n $(TEST_PROCESSES) --dist loadfile --no-loadscope-reorder

setup: $(VENV)/.installed node_modules/.installed assets translations-compile ## Install and build what the portal needs

lock: $(VENV)/.installed ## Pin the runtime dependencies, with hashes, in requirements.lock (after changing pyproject.toml)
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links --allow-unsafe --upgrade --output-file requirements.lock pyproject.toml

wheel: setup ## Build the package to install in production (dist/*.whl), files included
	rm -rf build dist
	$(PY) -m pip wheel --quiet --no-deps --wheel-dir dist .
	@ls dist/*.whl

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: static/dist/manifest.json ## Build the CSS and JavaScript (hashed, compressed)

static/dist/manifest.json: static/build.mjs static/scss/portal.scss $(wildcard static/js/*.mjs static/images/*) node_modules/.installed
	npm run --silent build

translations: $(VENV)/.installed ## Extract messages, update the Welsh catalogue, compile
	$(BABEL_EXTRACT) -o translations/messages.pot .
	$(BABEL) update -i translations/messages.pot -d translations -D messages --no-fuzzy-matching --ignore-obsolete --width 100
	$(MAKE) translations-compile

translations-compile: $(VENV)/.installed ## Compile the catalogues (.mo files are built, never committed)
	$(BABEL) compile -d translations -D messages --statistics

browser: ## Install Debian's Chromium for the browser tests, if missing
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

settings-example: $(VENV)/.installed ## Write docs/settings.example.env from the settings the portal reads
	$(PY) -m portal.settings example > docs/settings.example.env

lint: $(VENV)/.installed audit ## ruff, mypy and the audit of known vulnerabilities
	$(VENV)/bin/ruff check portal tests benchmarks
	$(VENV)/bin/mypy portal

# pip-audit asks PyPI's JSON API about each installed version; where that cannot be
# reached (a mirror, no network), it says so plainly rather than failing or passing.
AUDIT_PROBE := import sys, urllib.request, importlib.metadata as m; urllib.request.urlopen(f"https://pypi.org/pypi/pip/{m.version('pip')}/json", timeout=10)
audit: $(VENV)/.installed ## Known vulnerabilities in every installed package (pip-audit)
	@if $(PY) -c '$(AUDIT_PROBE)' 2>/dev/null; then \
	  $(VENV)/bin/pip-audit --strict --skip-editable --progress-spinner off; \
	else \
	  echo "make audit: NOT AUDITED. PyPI's vulnerability data (https://pypi.org/pypi/<name>/<version>/json) cannot be reached from this machine; run make audit where it can."; \
	fi

bench: $(VENV)/.installed assets translations-compile ## Speed figures, as ratios measured side by side (benchmarks/)
	PYTHONPATH=. $(PY) benchmarks/pages.py 200 5
	PYTHONPATH=. $(PY) benchmarks/throughput.py 10 32
	PYTHONPATH=. $(PY) benchmarks/public_data.py 10 32
	PYTHONPATH=. $(PY) benchmarks/growth.py 10000 1000000
	PYTHONPATH=. $(PY) benchmarks/visit_alerts.py 50 600
	$(PY) benchmarks/outbox_rate.py 3500 2950
	$(PY) benchmarks/outbox_rate.py 3500 6000
	PYTHONPATH=. $(PY) benchmarks/lighthouse.py

clean: ## Remove what the build made (not the database in instance/)
	rm -rf $(VENV) node_modules static/dist translations/*/LC_MESSAGES/*.mo build dist
