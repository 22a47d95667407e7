# Medskapa. Two commands matter: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi
MO := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

.PHONY: run test install install-dev translations compile-translations lint clean

run: install compile-translations
	MEDSKAPA_ENV=$${MEDSKAPA_ENV:-development} $(FLASK) db upgrade
	MEDSKAPA_ENV=$${MEDSKAPA_ENV:-development} $(FLASK) push init
	PUBLIC_URL=$${PUBLIC_URL:-http://127.0.0.1:$(PORT)} MEDSKAPA_ENV=$${MEDSKAPA_ENV:-development} $(FLASK) demo --if-empty --with-answers --password "$${DEMO_PASSWORD:-medskapa-demo}"
	@echo "Medskapa runs on http://127.0.0.1:$(PORT)  (join the demo: http://127.0.0.1:$(PORT)/j/DEMO01)"
	@echo "Demo staff: admin@example.org, leader@example.org, core@example.org  password: $${DEMO_PASSWORD:-medskapa-demo}"
	@# The push worker sends notifications beside the web server and stops with it.
	MEDSKAPA_ENV=$${MEDSKAPA_ENV:-development} $(FLASK) push worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  MEDSKAPA_ENV=$${MEDSKAPA_ENV:-development} $(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install-dev compile-translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Extract strings from code and templates, update every catalog, compile.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -k N_plural:1,2 --no-location --sort-output \
	  --ignore-dirs=".*" \
	  -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching \
	  --ignore-obsolete
	$(BIN)/python translations/tools.py fill-source
	$(MAKE) compile-translations

compile-translations: $(MO)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile -i $< -o $@ -l $*

lint: install-dev
	$(BIN)/ruff check app tests

clean:
	rm -rf $(VENV) instance/test.db*
