# The README's commands. `make run` and `make test` set everything up on a fresh machine with
# Python 3.12+: the virtualenv, the packages, the database (project-local PostgreSQL under var/
# unless DATABASE_URL is set), migrations, translations and the demo desk.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The lock files pin every package with its hashes; a change in either reinstalls.
LOCKS := requirements.lock requirements-dev.lock
STAMP := $(VENV)/.installed-$(shell cat $(LOCKS) | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults; production sets these in its own environment (see README).
export DEBUG ?= true
export PYTHONDONTWRITEBYTECODE = 1
export XDG_RUNTIME_DIR ?= $(CURDIR)/var/run

.PHONY: run test setup install lock db db-stop migrate messages demo lint format check clean \
	loadtest bench wrk nginx

run: setup demo
	@echo ""
	@echo "Ondernemerspunt runs on http://$(HOST):$(PORT)/"
	@echo ""
	@# The task worker (PDFs, e-mail) runs beside the web server and stops with it.
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py run_worker --queue-name default >var/worker.log 2>&1 & \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Every core runs tests (pytest-xdist), each worker with a test database of its own; a single
# process with `make test PYTEST_ARGS=-n0`.
PYTEST_ARGS ?= -n auto
test: setup
	$(VENV)/bin/pytest $(PYTEST_ARGS)

setup: install db migrate messages

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || \
		{ echo "Python 3.12 or newer is needed; '$(PYTHON)' is $$($(PYTHON) --version 2>&1). Set PYTHON=python3.12."; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Development installs the dev lock (production's packages plus the tools); production installs
# requirements.lock the same way (see README "Deploy"). pip refuses any package without a hash.
$(STAMP): $(LOCKS) | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# After a change in requirements.txt or requirements-dev.txt: pin everything again, with hashes,
# from PyPI alone (PIP_CONFIG_FILE=/dev/null ignores a machine's own mirrors and wheel folders).
# pip-tools lives in a throwaway virtualenv under var/, not in the project's.
LOCK_VENV := var/pip-tools
PIP_COMPILE := PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= CUSTOM_COMPILE_COMMAND='make lock' \
	$(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --index-url https://pypi.org/simple
lock:
	@test -x $(LOCK_VENV)/bin/pip-compile || \
		{ $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet pip-tools==7.6.2; }
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --constraint requirements.lock --output-file requirements-dev.lock \
		requirements-dev.txt

db: install
	@mkdir -p var/run var/staticfiles
	@$(PY) -m ondernemerspunt.localdb start

db-stop:
	@$(PY) -m ondernemerspunt.localdb stop

migrate: db
	$(PY) manage.py migrate --no-input -v 0

messages: install
	$(PY) manage.py compilemessages --ignore '.venv' -v 0

demo: migrate
	$(PY) manage.py seed_demo

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# What CI checks beside the tests: no missing migration, production settings pass --deploy.
check: db
	$(PY) manage.py makemigrations --check --dry-run
	DEBUG=false SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-secret-value-for-the-check \
		ALLOWED_HOSTS=ondernemerspunt.example $(PY) manage.py check --deploy --fail-level WARNING

clean: db-stop
	rm -rf $(VENV) var

# The load test of issue 13 (docs/loadtest.md): gunicorn in production mode (DEBUG off, a fresh
# random SECRET_KEY, collected static files) and the task worker, against a database of their
# own, $(LOAD_DB), made afresh on the project-local PostgreSQL each time; the development and
# test databases are not touched. Then USERS simulated coaches and residents for MINUTES
# (`manage.py loadtest`). The load test sends what the TLS proxy of a deployment adds
# (X-Forwarded-Proto, X-Forwarded-For), so the production settings need no switch.
# Mail goes nowhere (EMAIL_PORT 1 refuses at once): the worker's mail jobs fail fast.
USERS ?= 50
MINUTES ?= 10
LOAD_PORT ?= 8010
LOAD_WORKERS ?= 2
LOAD_DB := ondernemerspunt_load
LOAD_SOCKET := $(CURDIR)/var/pgdata
loadtest: install db
	@set -e; \
	psql=$$(ls $(VENV)/lib/python3*/site-packages/pgserver/pginstall/bin/psql); \
	$$psql -h $(LOAD_SOCKET) -U postgres -q -v ON_ERROR_STOP=1 \
		-c "DROP DATABASE IF EXISTS $(LOAD_DB) WITH (FORCE)" \
		-c "CREATE DATABASE $(LOAD_DB) OWNER ondernemerspunt_owner"; \
	export DEBUG=false ALLOWED_HOSTS=127.0.0.1 \
		SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(60))') \
		DATABASE_URL="postgres://ondernemerspunt_app@/$(LOAD_DB)?host=$(LOAD_SOCKET)" \
		MIGRATION_DATABASE_URL="postgres://ondernemerspunt_owner@/$(LOAD_DB)?host=$(LOAD_SOCKET)" \
		EMAIL_HOST=127.0.0.1 EMAIL_PORT=1 EMAIL_USE_TLS=false; \
	$(PY) manage.py migrate --no-input -v 0; \
	$(PY) manage.py collectstatic --no-input -v 0; \
	$(VENV)/bin/gunicorn ondernemerspunt.wsgi --bind 127.0.0.1:$(LOAD_PORT) \
		--workers $(LOAD_WORKERS) --error-logfile var/loadtest-gunicorn.log & gunicorn=$$!; \
	$(PY) manage.py run_worker --queue-name default >var/loadtest-worker.log 2>&1 & worker=$$!; \
	trap 'kill $$gunicorn $$worker 2>/dev/null; wait' INT TERM EXIT; \
	$(PY) manage.py loadtest --url http://127.0.0.1:$(LOAD_PORT) --users $(USERS) \
		--minutes $(MINUTES)

# The page benchmark of issue 15 (docs/performance.md, "Page benchmark"): Debian's wrk (installed
# here when missing and we are root), a fresh database $(BENCH_DB) filled by
# generate_national_data at BENCH_SCALE (0.1 = the city of issue 15: 10 desks, 10,000
# residents, 100,000 conversations), then `manage.py bench` (ondernemerspunt/bench/, settings ondernemerspunt.bench.settings:
# the production settings plus a trivial view) starts gunicorn in production mode with
# BENCH_WORKERS sync workers, loads each page with wrk for BENCH_SECONDS and rewrites its section
# of docs/performance.md. Not part of `make test`. The development and test databases are not
# touched. About 4½ minutes at the city scale on two cores.
BENCH_SCALE ?= 0.1
BENCH_SECONDS ?= 15
BENCH_PORT ?= 8020
BENCH_WORKERS ?= 2
BENCH_DB := ondernemerspunt_bench_pages
wrk:
	@command -v wrk >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get install -y -q wrk || { apt-get update -q && apt-get install -y -q wrk; }; \
		else \
			echo "make bench needs wrk, Debian's package: sudo apt-get install wrk (then make bench again)."; \
			exit 1; \
		fi; }

# nginx for the run with two servers behind one proxy (without it the report says it was left out).
nginx:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get install -y -q nginx-light || { apt-get update -q && apt-get install -y -q nginx-light; } || \
			apt-get install -y -q nginx; \
		else \
			echo "For the run with two servers make bench needs nginx: sudo apt-get install nginx-light."; \
		fi; }

bench: install db wrk nginx
	@set -e; \
	psql=$$(ls $(VENV)/lib/python3*/site-packages/pgserver/pginstall/bin/psql); \
	$$psql -h $(LOAD_SOCKET) -U postgres -q -v ON_ERROR_STOP=1 \
		-c "DROP DATABASE IF EXISTS $(BENCH_DB) WITH (FORCE)" \
		-c "CREATE DATABASE $(BENCH_DB) OWNER ondernemerspunt_owner"; \
	export DEBUG=false ALLOWED_HOSTS=127.0.0.1 DJANGO_SETTINGS_MODULE=ondernemerspunt.bench.settings \
		SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(60))') \
		DATABASE_URL="postgres://ondernemerspunt_app@/$(BENCH_DB)?host=$(LOAD_SOCKET)" \
		MIGRATION_DATABASE_URL="postgres://ondernemerspunt_owner@/$(BENCH_DB)?host=$(LOAD_SOCKET)" \
		EMAIL_HOST=127.0.0.1 EMAIL_PORT=1 EMAIL_USE_TLS=false; \
	$(PY) manage.py migrate --no-input -v 0; \
	$(PY) manage.py collectstatic --no-input -v 0; \
	DATABASE_URL="$$MIGRATION_DATABASE_URL" $(PY) manage.py generate_national_data \
		--scale $(BENCH_SCALE); \
	$(PY) manage.py bench --scale $(BENCH_SCALE) --seconds $(BENCH_SECONDS) \
		--port $(BENCH_PORT) --workers $(BENCH_WORKERS) \
		--command-line "make bench BENCH_SCALE=$(BENCH_SCALE) BENCH_SECONDS=$(BENCH_SECONDS)"
