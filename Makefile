# Two commands: `make run` (set up, seed demo data, serve) and `make test` (everything).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
export REPO_INSTANCE_PATH ?= $(CURDIR)/instance

.PHONY: run test install assets bytecode lint clean

run: install
	$(BIN)/repo-server init --demo
	@echo "Kho học liệu số: http://$(HOST):$(PORT)/"
	$(BIN)/repo-server serve --host $(HOST) --port $(PORT)

test: install
	bash .ci/install-system.sh
	bash .ci/test.sh

install: $(STAMP) assets bytecode

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,s3,elastic]'
	touch $(STAMP)

assets: $(STAMP)
	bash .ci/build-assets.sh

# Compiled once here, as a wheel install would: where PYTHONDONTWRITEBYTECODE is set,
# every worker process (QTI packages) would otherwise compile each module it imports.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q -j 0 qti importers scorm search storage repo_server > /dev/null

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) instance .ci/work frontend/node_modules repo_server/static/vendor
