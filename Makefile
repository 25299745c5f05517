# The two commands a newcomer needs. Both install what they need first.
.PHONY: demo test lint

demo:  ## Fresh SQLite database, synthetic force, demo users, server + worker on :8000
	scripts/bootstrap.sh
	.venv/bin/heard demo

test:  ## Everything CI runs: lint, types, import contracts, schema drift, all tests on SQLite and PostgreSQL
	scripts/test.sh

lint:
	scripts/bootstrap.sh
	.venv/bin/ruff format --check src tests bench && .venv/bin/ruff check src tests bench && .venv/bin/mypy && .venv/bin/lint-imports
