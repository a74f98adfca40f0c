# The two commands that matter: `make run` (try the service with demo data) and `make test` (everything CI runs).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp
export PYTHONDONTWRITEBYTECODE := 1
# Two workers (one per core); each test file stays on one worker so its fixtures are built once.
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: run national-data setup test lint typecheck migrations-check pytest reference-data demo-data frontend test-tools clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)
	bash scripts/system-packages.sh
	mkdir -p var

reference-data: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_action_plan
	$(PY) manage.py load_forces

# The demo accounts, and demo rounds for them (an earlier round signed off, an open one with Cleveland in
# draft and Durham waiting for review) unless rounds exist. With NATIONAL_DATA=1 the national data is
# generated first, so its rounds are the ones the demo accounts find.
demo-data: reference-data $(if $(NATIONAL_DATA),national-data)
	$(PY) manage.py create_demo_users
	$(PY) manage.py refresh_stored_reports --queue  # signed-off PDFs, rendered by the worker `run` starts

# `make run NATIONAL_DATA=1` also generates every force's users, eight signed-off rounds and an open one,
# once (it does nothing when rounds exist): invented data with a published password, local use only.
national-data: reference-data
	$(PY) manage.py generate_national_data --if-empty

# A task worker runs beside the development server (emails and PDF packs queue in the database);
# both stop together on Ctrl+C.
run: demo-data
	@echo "Serving on http://127.0.0.1:8000 with a background task worker (Ctrl+C to stop)"
	@$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# The production stack (gunicorn, WhiteNoise, task worker) on PostgreSQL, for a local trial: docs/deployment.md.
.PHONY: serve
serve: setup
	bash scripts/serve.sh $(SERVE_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy .

migrations-check: setup
	DJANGO_SETTINGS_MODULE=msoic.settings.test $(PY) manage.py makemigrations --check --dry-run

pytest: setup
	bash scripts/system-packages.sh --with-browser
	$(MAKE) --no-print-directory test-tools
	$(BIN)/pytest $(PYTEST_ARGS)

# The Nu HTML Checker the browser tests run (vnu.jar from the vnu-jar npm package, pinned by
# tests/tools/package-lock.json) into the git-ignored tests/tools/node_modules. Its install script only
# fetches a Java runtime, which the machine has from system-packages.sh, so it is skipped.
VNU_JAR := tests/tools/node_modules/vnu-jar/build/dist/vnu.jar
test-tools: $(VNU_JAR)
$(VNU_JAR): tests/tools/package.json tests/tools/package-lock.json
	npm ci --prefix tests/tools --ignore-scripts --no-audit --no-fund
	touch $@

test: lint typecheck migrations-check pytest

frontend:
	bash frontend/build.sh

clean:
	rm -rf $(VENV) var/db.sqlite3 var/staticfiles tests/tools/node_modules

# PDF report timings and peak memory as ratios against bare WeasyPrint, and page timings and query
# counts on generated national data as ratios against a trivial page (docs/performance.md).
# BENCH_ARGS passes options to the page benchmark, e.g. BENCH_ARGS="--repeat 50".
.PHONY: bench
bench: setup
	$(PY) -m bench.reports
	$(PY) -m bench.pages $(BENCH_ARGS)
