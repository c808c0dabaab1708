# unikom: two commands on a fresh machine.
#   make run    set up, migrate, load data, serve on http://127.0.0.1:8000 (PORT=… to change)
#   make test   set up and run the whole test suite
#   make assets refresh Designsystemet's CSS and the Inter font in static/vendor/ from the pinned npm packages (needs npm)
#   make screenshots  the docs' screenshots in docs/img/ with Debian's chromium
#   make bench  time every page, API call, export and import beside Datasette; writes docs/benchmarks.md
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install install-test lint screenshot screenshots messages docs clean evaluate assets

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/unikom setup
	PORT=$(PORT) $(BIN)/unikom serve

# The suite includes a small run of `make bench`, which needs its peer (Datasette).
test: install-test $(VENV)/.installed-bench
	$(BIN)/pytest -n auto --dist loadfile $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/unikom makemigrations --check --dry-run

# make screenshots: the docs' screenshots in docs/img/ (scripts/screenshot.py lists them);
# make screenshot is the same, kept for its old name.
screenshots: install-test
	$(BIN)/python scripts/screenshot.py docs/img

screenshot: screenshots

messages: install
	$(BIN)/unikom makemessages -l nb --ignore=.venv --no-obsolete
	msgfmt --check -o locale/nb/LC_MESSAGES/django.mo locale/nb/LC_MESSAGES/django.po

# make bench: benchmarks/bench.py builds its own scratch databases (SQLite file, PostgreSQL
# database BENCH_POSTGRES_URL) and servers on loopback; BENCH_ARGS passes any other option.
SCALE ?= national
DB ?= both
ROUNDS ?= 20
BENCH_ARGS ?=

.PHONY: bench
bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/bench.py --scale $(SCALE) --db $(DB) --rounds $(ROUNDS) \
		--command "make bench SCALE=$(SCALE) DB=$(DB) ROUNDS=$(ROUNDS)" $(BENCH_ARGS)

$(VENV)/.installed-bench: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[bench]'
	touch $@

# make assets: npm ci installs the exact versions in frontend/package-lock.json; the built CSS and
# the licences are copied into static/vendor/designsystemet/ and committed, so `make run` needs no npm
# and the app serves every asset itself (never a CDN).
DS_CSS := frontend/node_modules/@digdir/designsystemet-css
DS_THEME := frontend/node_modules/@digdir/designsystemet-theme
DS_OUT := static/vendor/designsystemet
INTER := frontend/node_modules/@fontsource-variable/inter
INTER_OUT := static/vendor/inter

assets:
	cd frontend && npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p $(DS_OUT)
	cp $(DS_CSS)/dist/src/index.css $(DS_OUT)/designsystemet.css
	cp $(DS_CSS)/LICENSE $(DS_OUT)/LICENSE-designsystemet-css
	cp $(DS_THEME)/brand/digdir.css $(DS_OUT)/theme-digdir.css
	cp $(DS_THEME)/LICENSE $(DS_OUT)/LICENSE-designsystemet-theme
	for p in $(DS_CSS) $(DS_THEME); do node -p 'const p = require("./'$$p'/package.json"); `$${p.name} $${p.version} $${p.license}`'; done > $(DS_OUT)/VERSIONS
	mkdir -p $(INTER_OUT)
	cp $(INTER)/files/inter-latin-wght-*.woff2 $(INTER)/files/inter-latin-ext-wght-*.woff2 $(INTER_OUT)/
	cp $(INTER)/LICENSE $(INTER_OUT)/LICENSE-inter
	python3 frontend/inter_faces.py $(INTER) > $(INTER_OUT)/inter.css
	node -p 'const p = require("./$(INTER)/package.json"); `$${p.name} $${p.version} $${p.license}`' > $(INTER_OUT)/VERSIONS

evaluate: install
	$(BIN)/unikom discovery evaluate

docs: install
	$(BIN)/python -m core.clidocs docs/cli.md

clean:
	rm -rf $(VENV) staticfiles build *.egg-info
