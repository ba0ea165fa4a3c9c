# The two commands of the README:
#   make run   install, load the sources, serve the API on http://127.0.0.1:8000
#   make test  install (with test tools), run the gates (ruff, mypy), build the Neo4j test server and run every test
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
NEO4J_SERVER := tests/neo4j-server

# Debian packages the tests use, each installed only when its command is missing:
#   rapper (raptor2-utils, an independent RDF parser), chromium and chromedriver (browser tests).
# Nothing else: Node.js and npm are not needed, and Debian's npm conflicts with a Node.js installed otherwise.
SYSTEM_TOOLS := rapper:raptor2-utils chromium:chromium chromedriver:chromium-driver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-test system-test-tools neo4j-test-server gates clean mutation

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
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
	  command -v "$${pair%%:*}" >/dev/null || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing the missing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Neo4j 5 for the tests (Neo4j's test harness, from Maven Central): needs a JDK 17+ and Maven.
# Built once into tests/neo4j-server/target (ignored by git), rebuilt when its sources change.
neo4j-test-server:
	@command -v java >/dev/null || [ -n "$$JAVA_HOME" ] || { echo "make test: no Java found (a JDK 17 or newer is needed for the Neo4j test server; set JAVA_HOME or put java on PATH)" >&2; exit 1; }
	@command -v mvn >/dev/null || { echo "make test: Maven (mvn) not found: it builds the Neo4j test server (Debian package maven)" >&2; exit 1; }
	$(NEO4J_SERVER)/run --build

# The gates: lint and type check as configured in pyproject.toml (ruff: the whole tree; mypy: the package).
gates: install-test
	$(BIN)/ruff check .
	$(BIN)/mypy

# two workers (pytest-xdist, a file at a time to each, so a module's fixtures are built once): the
# machine's two cores; each worker starts its own Neo4j test server
PYTEST_ARGS ?= -n 2 --dist loadfile

test: install-test gates system-test-tools neo4j-test-server
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Mutation testing of schema/ and loaders/ with mutmut ([tool.mutmut] in pyproject.toml): the working tree is
# copied to $(MUTATION_DIR)/aidgraph (mutmut needs the package under its own name) and mutmut runs there with
# one worker, niced. Every mutant by default; a part of them with
#   MUTATION_MODULES="schema/eras.py loaders/tasks.py"   the mutants of these files (any file of the two folders)
#   MUTATION_MODULES=schema                             every mutant of a folder
#   MUTATION_MUTANTS='aidgraph.schema.eras.x_in_force*' mutmut's own name patterns
#   MUTATION_SAMPLE=200 MUTATION_SEED=18                 a random sample of 200 mutants (of those the patterns
#                                                        name, if any), the same for the same seed and code
# Results stay in $(MUTATION_DIR) (`cd $(MUTATION_DIR) && ../../$(BIN)/mutmut results`, `mutmut show NAME`); a
# later run refreshes the copy (timestamps kept), so it re-mutates and re-tests only what changed.
# `rm -rf $(MUTATION_DIR)` starts afresh.
MUTATION_DIR ?= build/mutation
MUTATION_MODULES ?=
MUTATION_MUTANTS ?= $(foreach m,$(MUTATION_MODULES),aidgraph.$(subst /,.,$(patsubst %/__init__,%,$(m:.py=))).*)
MUTATION_SAMPLE ?=
MUTATION_SEED ?= 18

mutation: install-test
	mkdir -p $(MUTATION_DIR)/aidgraph
	git ls-files -z --cached --others --exclude-standard | xargs -0 cp -p --parents -t $(MUTATION_DIR)/aidgraph
	cp pyproject.toml $(MUTATION_DIR)/
	cp tests/mutation/mutation_plugin.py tests/mutation/sample.py $(MUTATION_DIR)/
	set -f && cd $(MUTATION_DIR) && names="$(MUTATION_MUTANTS)" && \
	  if [ -n "$(MUTATION_SAMPLE)" ]; then \
	    names=$$(nice -n 10 $(abspath $(BIN))/python sample.py $(MUTATION_SAMPLE) $(MUTATION_SEED) $(MUTATION_MUTANTS)); fi && \
	  nice -n 10 $(abspath $(BIN))/mutmut run --max-children 1 $$names
	cd $(MUTATION_DIR) && $(abspath $(BIN))/mutmut export-cicd-stats && cat mutants/mutmut-cicd-stats.json

clean:
	rm -rf $(VENV) .pytest_cache $(NEO4J_SERVER)/target
