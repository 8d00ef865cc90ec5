# Developer commands. `make help` lists them.
#
# Everything runs from the project's own virtualenv (.venv), created and
# filled from pyproject.toml on first use, so `make run` and `make test` work
# on a fresh machine with nothing but Python 3.11.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PYBABEL := $(BIN)/pybabel
PORT ?= 8888
ARGS ?=
PYTEST_ARGS ?=
LOCALE_DIR := locale
POT := $(LOCALE_DIR)/messages.pot
# Where translators send their work: pyproject.toml's [tool.website]
# translation-contact unless given (make update CONTACT=...). Written into
# Report-Msgid-Bugs-To and Language-Team by extract, init and update.
CONTACT ?= $(shell sed -n 's/^translation-contact *= *"\(.*\)"/\1/p' pyproject.toml)

# Tornado's `_` is gettext with one argument and ngettext with three;
# pgettext takes a context first; pgettext_noop only marks a message;
# gettext and ngettext are the browser's (static/js/i18n.js), whose
# extractor yields string arguments only, so they take no arity.
# Arity-specific specs keep every form
# (a plain `-k _:1,2` would silently drop all one-argument calls).
KEYWORDS := --no-default-keywords \
	-k '_:1,1t' -k '_:1,2,3t' \
	-k 'pgettext:1c,2,2t' -k 'pgettext:1c,2,3,4t' -k 'pgettext_noop:1c,2' \
	-k 'gettext' -k 'ngettext:1,2'

# Debian packages the tests drive for real: Chromium for the browser tests
# (Playwright's own browser download cannot work here; Debian's can), fonts
# so every script renders in screenshots, nginx for the proxy test, openssl
# for its certificate, wrk for the benchmark.
SYSTEM_PACKAGES := chromium fonts-noto-core fonts-noto-cjk nginx openssl wrk
# What pip needs to build PyICU, which has no wheel: ICU's headers,
# pkg-config to find them, a C++ compiler. The venv depends on them, so
# `make run` installs them too when missing, and needs no root when present.
BUILD_PACKAGES := libicu-dev pkg-config g++


.PHONY: help venv build-deps system-deps bench run test extract init update compile check stats clean static

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/$$(PORT)/$(PORT)/g' | \
		awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml | build-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.installed ## Create .venv and install the project

run: venv ## Serve the site on http://127.0.0.1:$(PORT) (ARGS=--debug)
	@# A catalog with errors is not compiled; the site serves the others.
	-@$(MAKE) --no-print-directory compile
	$(PY) -m website --port=$(PORT) $(ARGS)

test: venv system-deps compile ## Run the whole test suite (browser and nginx tests included)
	$(PY) -m pytest $(PYTEST_ARGS)

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

# --no-fuzzy-matching: pybabel's matcher proposes unrelated old translations
# for new strings ("Every language counts." got "Your language on this
# site"); a new string stays empty until a translator writes it.
update: venv ## Merge messages.pot into every catalog (new strings stay empty)
	$(PYBABEL) update --no-fuzzy-matching -i $(POT) -d $(LOCALE_DIR) -D messages
	$(BIN)/website-catalog fix-plurals --contact='$(CONTACT)' $(LOCALE_DIR)/*/LC_MESSAGES/messages.po

compile: venv ## Check each catalog, write its verdict and (without errors) its .mo; the pseudo-locales
	$(BIN)/website-catalog pseudo --template=$(POT) --out=build/pseudo
	$(BIN)/website-catalog compile --locale-dir=$(LOCALE_DIR)

static: venv ## Copy static/ to build/static under hashed names, for nginx to serve from disk
	$(PY) -m website.handlers.static static build/static >/dev/null

stats: venv ## Translation progress per locale, and which locales the site offers
	$(BIN)/website-catalog stats --locale-dir=$(LOCALE_DIR)

check: venv ## Check every catalog (placeholders, plurals, markup...): path:line: locale: check: message
	$(BIN)/website-catalog check --locale-dir=$(LOCALE_DIR)

clean: ## Remove build output (keeps .venv)
	rm -rf build .pytest_cache
	find $(LOCALE_DIR) \( -name '*.mo' -o -name '*.verdict.json' \) -delete
