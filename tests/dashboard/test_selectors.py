"""Reads shared by the dashboard and the report."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboard import selectors
from demo import load
from indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load(with_accounts=False)


def test_year_choices_reads_one_row_per_year(demo):
    """Regression: DISTINCT under the model's default ordering read one row per value, not per year."""
    reported = set(IndicatorValue.objects.values_list("year", flat=True))
    with CaptureQueriesContext(connection) as captured:
        years = selectors.year_choices(1995)
    assert years == sorted({*reported, timezone.localdate().year, 1995}, reverse=True)
    [query] = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute(query["sql"])
        assert len(cursor.fetchall()) == len(reported)
