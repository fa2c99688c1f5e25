"""The indicator values import: its rows take the indicator and park the file's lookup fetched, not again per row."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.choices import ValueStatus
from indicators.models import IndicatorValue
from parkadmin.imports.kinds import registry
from tests.factories import IndicatorFactory, ParkFactory
from tests.harness import make_user
from tests.imports.files import csv_bytes, named

pytestmark = pytest.mark.django_db

# What saving one row costs through indicator_value_save (the checks' series, full_clean, the insert or versioned
# update, its history row, savepoints — one of them around the row's own save, so that a duplicate written at the same
# moment is refused as the checks refuse it; full_clean's check of the one-year and the span constraints, one query
# each): the import adds nothing per row to it.
SERVICE_QUERIES_PER_ROW = 21


@pytest.fixture
def codes():
    indicators = [IndicatorFactory(code=f"ind_{n}", min_value=Decimal(0)).code for n in range(10)]
    parks = [ParkFactory(code=f"park_{n}").code for n in range(4)]
    return indicators, parks


def rows(codes, count: int, value: str) -> list[list]:
    indicators, parks = codes
    return [[indicators[n % 10], parks[n // 10], 2019, value] for n in range(count)]


def run(data_rows):
    importer = registry()["indicator-values"](user=make_user("statistics"))
    data = csv_bytes(["indicator", "park", "year", "value"], data_rows)
    with CaptureQueriesContext(connection) as queries:
        result = importer.run(named(data, "values.csv"), name="values.csv")
    assert result.ok, result.errors
    return queries.captured_queries


def lookups(queries) -> int:
    """Reads of whole indicator or park records (not the service's existence checks, `SELECT 1`)."""
    return sum(q["sql"].startswith(('SELECT "indicators_indicator".', 'SELECT "parks_park".')) for q in queries)


def test_importing_more_rows_looks_up_no_indicator_or_park_again(codes):
    # Regression: each row rebuilt the form from codes, fetching its indicator and park again (50 rows: 707 queries).
    ten = run(rows(codes, 10, "5"))
    IndicatorValue.objects.all().delete()
    forty = run(rows(codes, 40, "5"))
    assert lookups(forty) == lookups(ten)
    assert (len(forty) - len(ten)) / 30 <= SERVICE_QUERIES_PER_ROW
    assert IndicatorValue.objects.filter(status=ValueStatus.SUBMITTED).count() == 40


def test_updating_more_rows_looks_up_no_indicator_or_park_again(codes):
    run(rows(codes, 40, "5"))
    forty = run(rows(codes, 40, "6"))
    IndicatorValue.objects.all().delete()
    run(rows(codes, 10, "5"))
    ten = run(rows(codes, 10, "6"))
    assert lookups(forty) == lookups(ten)
    assert (len(forty) - len(ten)) / 30 <= SERVICE_QUERIES_PER_ROW
    assert set(IndicatorValue.objects.values_list("value", flat=True)) == {Decimal(6)}
