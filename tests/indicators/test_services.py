"""indicators.services.indicator_values_save_grid: the entry grid's rows saved all or none, each refusal named."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from indicators import services
from indicators.choices import ValueStatus
from indicators.models import IndicatorValue
from parkadmin.locking import StaleVersionError
from tests.factories import IndicatorFactory, IndicatorValueFactory, ParkFactory
from tests.harness import make_user

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def staff():
    return make_user("statistics")


def entry(indicator, value, **fields) -> services.GridEntry:
    return services.GridEntry(indicator=indicator, value=D(value), **fields)


def test_every_entry_is_saved_for_the_year_and_park(staff):
    park = ParkFactory(code="core")
    first, second = IndicatorFactory(code="a"), IndicatorFactory(code="b")
    saved = services.indicator_values_save_grid(
        entries=[entry(first, "5", source="统计局"), entry(second, "7", note="初步")],
        year=2020,
        park=park,
        user=staff,
    )
    assert [(v.indicator.code, v.year, v.park, v.value, v.status) for v in saved] == [
        ("a", 2020, park, D(5), ValueStatus.DRAFT),
        ("b", 2020, park, D(7), ValueStatus.DRAFT),
    ]
    assert (saved[0].source, saved[1].note, saved[0].entered_by) == ("统计局", "初步", staff)


def test_submitting_sends_every_entry_for_review(staff):
    saved = services.indicator_values_save_grid(
        entries=[entry(IndicatorFactory(code="a"), "5")], year=2020, user=staff, submit=True
    )
    assert saved[0].status == ValueStatus.SUBMITTED


def test_an_entry_over_a_value_on_record_edits_it(staff):
    value = IndicatorValueFactory(indicator=IndicatorFactory(code="a"), year=2020, value=D(5))
    saved = services.indicator_values_save_grid(
        entries=[entry(value.indicator, "6", existing=value, expected_version=1)], year=2020, user=staff
    )
    assert saved == [value]
    value.refresh_from_db()
    assert (value.value, value.version) == (D(6), 2)


def test_one_refused_entry_saves_nothing_and_every_refusal_is_named(staff):
    good, bad, stale_one = IndicatorFactory(code="a"), IndicatorFactory(code="b"), IndicatorFactory(code="c")
    stored = IndicatorValueFactory(indicator=stale_one, year=2020, value=D(5))
    IndicatorValue.objects.filter(pk=stored.pk).update(version=2)
    stored.refresh_from_db()
    with pytest.raises(services.GridRefused) as refused:
        services.indicator_values_save_grid(
            entries=[
                entry(good, "5"),
                entry(bad, "-1"),  # below the indicator's minimum
                entry(stale_one, "6", existing=stored, expected_version=1),
            ],
            year=2020,
            user=staff,
        )
    errors = refused.value.refusals
    assert sorted(errors) == [1, 2]
    assert isinstance(errors[1], ValidationError) and "value" in errors[1].message_dict
    assert isinstance(errors[2], StaleVersionError)
    assert not IndicatorValue.objects.filter(indicator=good).exists()
    stored.refresh_from_db()
    assert (stored.value, stored.version) == (D(5), 2)


def test_a_row_read_over_a_value_deleted_since_is_refused(staff):
    with pytest.raises(services.GridRefused) as refused:
        services.indicator_values_save_grid(
            entries=[entry(IndicatorFactory(code="a"), "5", existing=None, expected_version=3)], year=2020, user=staff
        )
    assert isinstance(refused.value.refusals[0], services.ValueDeleted)
    assert not IndicatorValue.objects.exists()


def test_a_row_read_empty_over_a_value_entered_since_is_a_conflict(staff):
    value = IndicatorValueFactory(indicator=IndicatorFactory(code="a"), year=2020, value=D(5))
    with pytest.raises(services.GridRefused) as refused:
        services.indicator_values_save_grid(
            entries=[entry(value.indicator, "6", existing=value, expected_version=None)], year=2020, user=staff
        )
    assert isinstance(refused.value.refusals[0], StaleVersionError)
    value.refresh_from_db()
    assert value.value == D(5)


def test_submitting_without_the_permission_is_refused_outright():
    official = make_user("official")
    with pytest.raises(PermissionDenied):
        services.indicator_values_save_grid(
            entries=[entry(IndicatorFactory(code="a"), "5")], year=2020, user=official, submit=True
        )
    assert not IndicatorValue.objects.exists()


def test_nothing_to_save_saves_nothing(staff):
    assert services.indicator_values_save_grid(entries=[], year=2020, user=staff) == []
