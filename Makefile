# The two commands a newcomer needs: `make run` and `make test`. Both install what they need from nothing.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMPS := .make-stamps

.PHONY: run test bench server lint system-deps lock clean

$(STAMPS)/venv: requirements.lock pyproject.toml | $(STAMPS)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(STAMPS):
	mkdir -p $@

system-deps:
	scripts/install-system-deps.sh

## make run: create/migrate the local database, load demo data on first start, start the kiosk.
run: system-deps $(STAMPS)/venv
	$(PY) -m kiosk $(ARGS)

## make test: everything the tests need (apt packages as root, venv, Python deps), then pytest.
test: system-deps $(STAMPS)/venv
	$(PY) -m pytest $(PYTEST_ARGS)

## make server: the school's central sync server (SQLite by default; see README "Central server and sync").
server: $(STAMPS)/venv
	$(PY) -m sync.server serve $(ARGS)

## make bench: the benchmarks in bench/ (slow; not part of make test).
bench: system-deps $(STAMPS)/venv
	$(PY) -m bench $(ARGS)

lint: $(STAMPS)/venv
	$(VENV)/bin/ruff check .

## make lock: re-resolve pyproject's ranges into requirements.lock.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e '.[kiosk,server,test]' ruff
	{ echo "# Exact pins for reproducible installs (runtime, kiosk UI, server and test tools)."; \
	  echo "# Regenerate: make lock  (installs pyproject ranges into a scratch venv and freezes it)"; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -vi '^liushou'; } > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) $(STAMPS)
