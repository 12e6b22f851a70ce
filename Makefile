# Two commands: `make run` (set up, seed demo data, serve) and `make test` (everything).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
export REPO_INSTANCE_PATH ?= $(CURDIR)/instance

.PHONY: run test install assets lint bench clean

run: install
	$(BIN)/repo-server init --demo
	@echo "Kho học liệu số: http://$(HOST):$(PORT)/"
	$(BIN)/repo-server serve --host $(HOST) --port $(PORT)

test: install
	bash .ci/install-system.sh
	bash .ci/test.sh

install: $(STAMP) assets

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,s3,elastic]'
	touch $(STAMP)

assets: $(STAMP)
	bash .ci/build-assets.sh

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) instance .ci/work frontend/node_modules repo_server/static/vendor
