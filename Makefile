# The two commands of the README:
#   make run   install, load the sources, serve the API on http://127.0.0.1:8000
#   make test  install (with test tools) and run every test
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# Debian packages the tests use: rapper (an independent RDF parser), Chromium and its driver (browser tests),
# node and npm (Neo4j's Cypher linter, tests/lint).
SYSTEM_TEST_TOOLS := raptor2-utils chromium chromium-driver nodejs npm
LINT := tests/lint
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-test system-test-tools lint-tools clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

run: install
	$(BIN)/aidgraph stats
	$(BIN)/aidgraph serve --host $(HOST) --port $(PORT)

system-test-tools:
	@command -v rapper >/dev/null && command -v chromium >/dev/null && command -v chromedriver >/dev/null && \
	 command -v node >/dev/null && command -v npm >/dev/null || \
	{ $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(SYSTEM_TEST_TOOLS); }

# Neo4j's Cypher linter (@neo4j-cypher/language-support), the version of tests/lint/package-lock.json;
# installed again only when the lock file changes (npm ci writes node_modules/.package-lock.json)
lint-tools: $(LINT)/node_modules/.package-lock.json

$(LINT)/node_modules/.package-lock.json: $(LINT)/package-lock.json | system-test-tools
	cd $(LINT) && npm ci --no-audit --no-fund --loglevel=error

test: install-test system-test-tools lint-tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) test-output .pytest_cache $(LINT)/node_modules
