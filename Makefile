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

# axe-core, the accessibility checker the office's browser test injects into every page: exact version
# and checksum from the lock file.
$(STAMPS)/axe: tests/a11y/package-lock.json tests/a11y/package.json | $(STAMPS)
	npm ci --prefix tests/a11y --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	scripts/install-system-deps.sh

## make run: create/migrate the local database, load demo data on first start, start the kiosk.
run: system-deps $(STAMPS)/venv
	$(PY) -m kiosk $(ARGS)

## make test: everything the tests need (apt packages as root, venv, Python deps), then pytest.
## Two workers (pytest-xdist), a test file at a time each: the slow files (a Debian root booted,
## a browser, the touchscreen) mostly wait on other processes, so two run side by side on two cores.
## Files go out in the order they are collected (tests/deploy's Debian roots early), not xdist's
## default of the files with most tests first, which sends the one-test files (the Debian roots,
## 3 to 5 minutes each) last.
## The 25 slowest tests are listed at the end, to see where the time goes.
PYTEST_WORKERS ?= -n 2 --dist loadfile --no-loadscope-reorder --durations=25
test: system-deps $(STAMPS)/venv $(STAMPS)/axe
	$(PY) -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

## make server: the school's central sync server (SQLite by default; see README "Central server and sync").
server: $(STAMPS)/venv
	$(PY) -m sync.server serve $(ARGS)

## make bench: the benchmarks in bench/ (slow; not part of make test).
bench: system-deps $(STAMPS)/venv
	$(PY) -m bench $(ARGS)

lint: $(STAMPS)/venv
	$(VENV)/bin/ruff check .

## make lock: re-resolve pyproject's ranges into requirements.lock, and from it the hashed locks that
## deploy/install.sh (the kiosk) and deploy/server/install.sh install with pip --require-hashes (every
## file of each pinned version, any platform: the Pi's aarch64 wheels and pyscard's source as well as
## this machine's).
LOCK_HASHES := .lock-tools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --no-header
lock:
	rm -rf .lock-venv .lock-tools && $(PYTHON) -m venv .lock-venv && $(PYTHON) -m venv .lock-tools
	.lock-venv/bin/pip install --quiet -e '.[kiosk,server,test,bench]' ruff
	.lock-tools/bin/pip install --quiet pip-tools
	{ echo "# Exact pins for reproducible installs (runtime, kiosk UI, server, test tools and benchmarks)."; \
	  echo "# Regenerate: make lock  (installs pyproject ranges into a scratch venv and freezes it)"; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -vi '^liushou'; } > requirements.lock
	{ echo "# The kiosk's packages with the hashes of their files, for deploy/install.sh. Regenerate: make lock"; \
	  $(LOCK_HASHES) --extra kiosk --constraint requirements.lock -o - pyproject.toml; } > requirements-kiosk.lock
	{ echo "# The central server's packages with the hashes of their files, for deploy/server/install.sh. Regenerate: make lock"; \
	  $(LOCK_HASHES) --extra server --constraint requirements.lock -o - pyproject.toml; } > requirements-server.lock
	{ echo "# What builds pyscard (no Linux wheel) and the kiosk itself, and pip (it reuses a built pyscard), hashed. Regenerate: make lock"; \
	  printf 'pip\nsetuptools\nwheel\nswig\n' | $(LOCK_HASHES) -o - -; } > requirements-build.lock
	rm -rf .lock-venv .lock-tools

clean:
	rm -rf $(VENV) $(STAMPS)
