# The two commands a newcomer needs: `make run` and `make test`.
# Both create the virtualenv and install what they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint format bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The daemon also serves the web app (http://127.0.0.1:8080) unless told otherwise.
run: $(STAMP)
	CSWATCH_WEB__SERVE_IN_DAEMON=$${CSWATCH_WEB__SERVE_IN_DAEMON:-true} $(BIN)/cswatch run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/parse_reports.py
	$(BIN)/python bench/fetch_ofsted.py
	$(BIN)/python bench/fetch_news.py
	$(BIN)/python bench/digests.py
	$(BIN)/python bench/web.py

clean:
	rm -rf $(VENV) var/*.db
