# Union Portal. `make run` starts the portal with demo data; `make test` runs the test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := union_portal.settings

.PHONY: run test test-next-year install install-dev lint typecheck migrate seed messages worker beat bench clean check-deploy

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-nodeps.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-nodeps.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The embedded default: SQLite file, Celery eager, no Redis needed.
run: install
	DEBUG=1 DATABASE_URL= REDIS_URL= $(BIN)/python manage.py demo_db_check
	DEBUG=1 DATABASE_URL= REDIS_URL= $(BIN)/python manage.py migrate --noinput
	DEBUG=1 DATABASE_URL= REDIS_URL= $(BIN)/python manage.py seed_demo
	@echo "Union Portal: http://127.0.0.1:$(PORT)/  (demo password: $${DEMO_PASSWORD:-Keqiao@2026!})"
	DEBUG=1 DATABASE_URL= REDIS_URL= SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# SQLite and no Redis unless DATABASE_URL / REDIS_URL are set; REQUIRE_SERVICES=1 makes missing ones fail.
# Tests that start real Celery workers run after the parallel run, alone: next to the other test process on a
# 2-core machine their workers were starved.
# SKIP_MARK=<marker> leaves those tests out of both runs.
test: install-dev
	$(BIN)/python -m pytest -q -n 2 --dist loadfile -m "not serial$(if $(SKIP_MARK), and not $(SKIP_MARK))" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -q -p no:xdist -m "serial$(if $(SKIP_MARK), and not $(SKIP_MARK))" $(PYTEST_ARGS)

# TEST_TODAY=YYYY-MM-DD runs the tests on that date: the test processes and the Celery workers they start see the
# clock at 10:00 Shanghai time on that day (freezegun, ticking), e.g. `make test TEST_TODAY=2028-02-29`.
# test-next-year: the whole suite on 1 January of next year (Shanghai), a date the tests were not written on, but
# the two browser sweeps of layout and accessibility (marker "layout": no date logic, 8 minutes of the run); the
# words crawl still renders every page for every role on that date, in both languages.
NEXT_NEW_YEAR = $(shell echo $$(( $$(TZ=Asia/Shanghai date +%Y) + 1 ))-01-01)
test-next-year:
	$(MAKE) test TEST_TODAY=$(NEXT_NEW_YEAR) SKIP_MARK=layout

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with django-stubs over the core and the apps' services, selectors and permissions modules (the list is
# [tool.mypy] in pyproject.toml). The plugin loads the settings, which need DEBUG=1 outside the tests.
typecheck: install-dev
	DEBUG=1 $(BIN)/mypy

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: install
	$(BIN)/python manage.py seed_demo

# Regenerate the translation catalogues (needs GNU gettext) and compile them. The .mo files are committed
# so that neither `make run` nor CI needs gettext.
messages: install
	for app in union_portal members funds mutual_aid competitions awards dashboard; do \
		(cd $$app && DEBUG=1 ../$(BIN)/python ../manage.py makemessages -l zh_Hans --no-obsolete >/dev/null); done
	DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore='.venv/*' \
		--ignore='union_portal/*' --ignore='members/*' --ignore='funds/*' --ignore='mutual_aid/*' \
		--ignore='competitions/*' --ignore='awards/*' --ignore='dashboard/*' --ignore='bench/*' \
		--ignore='tests/*' >/dev/null
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore='.venv/*' >/dev/null

worker: install
	$(BIN)/celery -A union_portal worker -l info

beat: install
	$(BIN)/celery -A union_portal beat -l info

# The benchmark app (bench/) is installed only in development, in tests and with BENCH=1 (never in production).
bench: install-dev
	BENCH=1 $(BIN)/python manage.py bench

# Production-like settings: the deploy checklist at WARNING level, and collectstatic with the manifest
# storage (it fails on a missing file that a stylesheet or script refers to).
check-deploy: install
	export DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-key-0123456789abcdef \
		FIELD_ENCRYPTION_KEYS=$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
		FIELD_HMAC_KEY=check-deploy-hmac ALLOWED_HOSTS=portal.example.cn SITE_URL=https://portal.example.cn \
		STATIC_ROOT=$$(mktemp -d); \
	$(BIN)/python manage.py check --deploy --fail-level WARNING && \
	$(BIN)/python manage.py collectstatic --noinput -v0

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
