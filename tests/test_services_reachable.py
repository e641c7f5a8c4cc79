"""The real servers the suite runs against in CI are really there."""

import pytest
from django.db import connection


@pytest.mark.postgres
@pytest.mark.django_db
def test_suite_runs_on_postgresql_15_or_newer():
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 150000


@pytest.mark.redis
def test_celery_reaches_the_configured_redis_broker():
    from config.celery import app

    with app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1)
        assert broker.transport.driver_type == "redis"
