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

.PHONY: run test setup install lock db db-stop migrate messages demo lint format check clean

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
