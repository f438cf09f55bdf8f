# Two entry points: `make run` (set up + run the bot) and `make test` (set up + run the tests).
# Everything is installed from pyproject.toml / uv.lock into .venv; nothing by hand.
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv

.PHONY: setup run test lint migration

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv>=0.5,<1"

setup: $(UV)
	$(UV) sync --frozen --python $(PYTHON)

run: setup
	.venv/bin/alertbot run

test: setup
	.venv/bin/python -m pytest $(PYTEST_ARGS)

lint: setup
	.venv/bin/ruff check .

# Regenerate the single initial migration from storage/models.py (pre-release only).
migration: setup
	.venv/bin/python -m storage.make_migration
