# Developer commands. `make help` lists them.
#
# Everything runs from the project's own virtualenv (.venv), created on first
# use and filled with exactly the versions requirements.lock pins (hash
# checked), so `make run` and `make test` work on a fresh machine with
# nothing but Python 3.11, and a library's new release changes nothing until
# `make lock` takes it and `make test` passes with it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PYBABEL := $(BIN)/pybabel
PORT ?= 8888
ARGS ?=
PYTEST_ARGS ?=
LOCALE_DIR := locale
# The locks: every package of .venv (runtime and tests), and the build tools
# PyICU (an sdist only) and the project are built with. Both are made by
# pip-compile from pyproject.toml's ranges (`make lock`).
LOCK := requirements.lock
BUILD_LOCK := requirements-build.lock
PEERS_LOCK := bench/peers.lock
PIP_TOOLS := pip-tools==7.6.2
LOCK_VENV := build/lock-venv
# `make lock` takes the newest release inside the ranges of every package;
# `make lock LOCK_ARGS='--upgrade-package babel'` takes only Babel's.
LOCK_ARGS ?= --upgrade
PIP_COMPILE = $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --no-emit-index-url \
	--no-emit-find-links --strip-extras $(LOCK_ARGS)
# `make test-latest`: a separate venv from the ranges alone, no lock.
LATEST_VENV := build/venv-latest
POT := $(LOCALE_DIR)/messages.pot
# Where translators send their work: pyproject.toml's [tool.website]
# translation-contact unless given (make update CONTACT=...). Written into
# Report-Msgid-Bugs-To and Language-Team by extract, init and update.
CONTACT ?= $(shell sed -n 's/^translation-contact *= *"\(.*\)"/\1/p' pyproject.toml)

# Tornado's `_` is gettext with one argument and ngettext with three;
# pgettext takes a context first; pgettext_noop only marks a message, and
# N_ a check or upload message (website.i18n.deferred) shown translated later;
# gettext and ngettext are the browser's (static/js/i18n.js), whose
# extractor yields string arguments only, so they take no arity.
# Arity-specific specs keep every form
# (a plain `-k _:1,2` would silently drop all one-argument calls).
KEYWORDS := --no-default-keywords \
	-k '_:1,1t' -k '_:1,2,3t' \
	-k 'pgettext:1c,2,2t' -k 'pgettext:1c,2,3,4t' -k 'pgettext_noop:1c,2' -k 'N_:1' \
	-k 'gettext' -k 'ngettext:1,2'

# Debian packages the tests drive for real: Chromium for the browser tests
# (Playwright's own browser download cannot work here; Debian's can), fonts
# so every script renders in screenshots, nginx for the proxy test, openssl
# for its certificate, wrk for the benchmark, gettext for GNU msgfmt (the
# gate's tests check that every file the site writes is one msgfmt -c reads).
SYSTEM_PACKAGES := chromium fonts-noto-core fonts-noto-cjk nginx openssl wrk gettext
# What pip needs to build PyICU, which has no wheel: ICU's headers,
# pkg-config to find them, a C++ compiler. The venv depends on them, so
# `make run` installs them too when missing, and needs no root when present.
BUILD_PACKAGES := libicu-dev pkg-config g++


.PHONY: help git-setup venv lock test-latest build-deps system-deps bench fuzz run test test-fast extract init update compile check stats clean static

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/$$(PORT)/$(PORT)/g' | \
		awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# A new lock makes a new venv (--clear), so nothing a former lock installed
# stays behind. The build tools go in first and PyICU is built with them
# (--no-build-isolation): an isolated build would fetch whatever setuptools
# is newest. The project itself is installed last, without its dependencies:
# they are the lock's.
$(VENV)/.installed: $(LOCK) $(BUILD_LOCK) pyproject.toml | build-deps
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(BUILD_LOCK)
	$(BIN)/pip install --quiet --require-hashes --no-deps --no-build-isolation -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	touch $@

venv: $(VENV)/.installed ## Create .venv with exactly the locked versions, and the project

lock: ## Re-resolve the locks to the newest versions the ranges allow (then: make test)
	@test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/pip install --quiet '$(PIP_TOOLS)'; }
	$(PIP_COMPILE) --extra test -o $(LOCK) pyproject.toml
	@# Constrained by the main lock: a package in both (packaging) is one version.
	$(PIP_COMPILE) --allow-unsafe -c $(LOCK) -o $(BUILD_LOCK) requirements-build.in
	$(PIP_COMPILE) -o $(PEERS_LOCK) bench/peers-requirements.in
	@echo "locks written: run 'make test' before committing them"

# The same tests in a venv made from pyproject.toml's ranges alone, taking
# the newest release of everything: what a new Babel, Tornado, polib or
# PyICU release would break. WEBSITE_UNLOCKED tells the lock test that the
# versions are not meant to be the lock's.
test-latest: system-deps | build-deps ## Run the tests with the newest releases the ranges allow (no lock)
	rm -rf $(LATEST_VENV)
	$(PYTHON) -m venv $(LATEST_VENV)
	$(LATEST_VENV)/bin/pip install --quiet --upgrade pip setuptools wheel
	$(LATEST_VENV)/bin/pip install --quiet --upgrade --upgrade-strategy eager -e '.[test]'
	$(LATEST_VENV)/bin/pip freeze --exclude-editable
	touch $(LATEST_VENV)/.installed
	WEBSITE_UNLOCKED=1 $(MAKE) --no-print-directory test VENV=$(LATEST_VENV)

run: venv ## Serve the site on http://127.0.0.1:$(PORT) (ARGS=--debug)
	@# A catalog with errors is not compiled; the site serves the others.
	-@$(MAKE) --no-print-directory compile
	$(PY) -m website --port=$(PORT) $(ARGS)

test: venv system-deps compile ## Run the whole test suite (browser and nginx tests included)
	$(PY) -m pytest $(PYTEST_ARGS)

# The unit tier (tests/conftest.py's TIERS): in-process tests only, no
# Chromium, nginx or server process, so no system packages either.
test-fast: venv compile ## Run the unit tests only (well under a minute): the loop while coding
	$(PY) -m pytest -m unit $(PYTEST_ARGS)

# The catalog gate's property test with many more examples and a fresh seed
# each run (tests/conftest.py's "fuzz" profile); `make test` runs a bounded,
# derandomized set.
fuzz: venv ## Run the catalog gate's property test long (50,000 examples per source)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest tests/test_gate_property.py -q $(PYTEST_ARGS)

bench: venv system-deps compile ## Measure the site; writes build/bench/report.json and report.md
	$(PY) bench/run.py

build-deps: ## Install what building PyICU needs (libicu-dev, pkg-config, g++) where missing (root)
	@missing=$$(for p in $(BUILD_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "missing Debian packages:" $$missing "- run: sudo make build-deps" >&2; exit 1; fi; \
		echo "installing" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

system-deps: ## Install Chromium, fonts, nginx and openssl from Debian where missing (root)
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "missing Debian packages:" $$missing "- run: sudo make system-deps" >&2; exit 1; fi; \
		echo "installing" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

extract: venv ## Collect translatable strings into locale/messages.pot
	$(PYBABEL) extract -F babel.cfg -o $(POT) $(KEYWORDS) \
		--add-comments=Translators: --strip-comments \
		--msgid-bugs-address='$(CONTACT)' \
		--project="Languages of the World" --version=0.1 \
		--copyright-holder="Languages of the World contributors" .

init: venv ## Start a catalog for a new language: make init LANG=pt-BR
	@if [ "$(origin LANG)" != "command line" ]; then \
		echo "usage: make init LANG=<BCP 47 tag>, e.g. make init LANG=pt-BR" >&2; exit 2; fi
	$(BIN)/website-catalog init '$(LANG)' --locale-dir=$(LOCALE_DIR) --template=$(POT) --contact='$(CONTACT)'

# pybabel update's merge without its fuzzy matching (which proposes unrelated
# old translations for new strings: "Every language counts." got "Your
# language on this site"), written by the one catalog writer under each
# file's lock: one new string changes only that entry and POT-Creation-Date.
update: venv ## Merge messages.pot into every catalog (new strings stay empty)
	$(BIN)/website-catalog update --template=$(POT) --contact='$(CONTACT)' --locale-dir=$(LOCALE_DIR)

compile: venv ## Check each catalog, write its verdict and (without errors) its .mo; the pseudo-locales
	$(BIN)/website-catalog pseudo --template=$(POT) --out=build/pseudo
	$(BIN)/website-catalog compile --locale-dir=$(LOCALE_DIR)

static: venv ## Copy static/ to build/static under hashed names, for nginx to serve from disk
	$(PY) -m website.handlers.static static build/static >/dev/null

stats: venv ## Translation progress per locale, and which locales the site offers
	$(BIN)/website-catalog stats --locale-dir=$(LOCALE_DIR)

check: venv ## Check every catalog (placeholders, plurals, markup...): path:line: locale: check: message
	$(BIN)/website-catalog check --locale-dir=$(LOCALE_DIR)

# The driver is per clone (git config), named per path by the committed
# .gitattributes; without it git silently merges .po files as text.
git-setup: venv ## Register the .po merge driver in this clone (once per clone)
	git config merge.website-po.name "gettext catalogs, entry by entry (website-catalog merge-po)"
	git config merge.website-po.driver "$(BIN)/website-catalog merge-po %O %A %B %P"
	@echo "merge driver website-po registered for *.po (.gitattributes)"

clean: ## Remove build output (keeps .venv)
	rm -rf build .pytest_cache
	find $(LOCALE_DIR) \( -name '*.mo' -o -name '*.verdict.json' \) -delete
