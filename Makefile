.PHONY: run test lint setup

# Install, migrate, load the demo and serve on http://127.0.0.1:8000/
run:
	scripts/run

# The whole test suite (PostgreSQL and Redis on 127.0.0.1 when they answer), on two
# processes; `make test TEST_PROCESSES=4` for another number (README "Test it").
test:
	scripts/test

lint:
	scripts/setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	DEBUG=true .venv/bin/python manage.py makemigrations --check --dry-run

setup:
	scripts/setup
