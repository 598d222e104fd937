"""The hot path's own value adaptation gives the database exactly what Django's would."""
from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from alur.workflow.sql import db_datetime

MOMENTS = [
    datetime.datetime(2026, 2, 6, 16, 20, tzinfo=ZoneInfo("Asia/Jakarta")),
    datetime.datetime(2026, 2, 6, 9, 20, 0, 123456, tzinfo=datetime.timezone.utc),
    datetime.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=ZoneInfo("Asia/Jakarta")),
]


@pytest.mark.django_db
@pytest.mark.parametrize("moment", MOMENTS, ids=str)
def test_a_moment_is_stored_as_djangos_adapter_would_store_it(moment):
    with connection.cursor() as cursor:
        assert db_datetime(cursor, moment) == connection.ops.adapt_datetimefield_value(moment)
