"""Optimistic locking: of two edits made from the same version exactly one is saved."""

import threading

import pytest
from django.db import connection, connections

from parkadmin.locking import StaleVersionError, save_versioned
from parks.models import Park
from tests.factories import ParkFactory


@pytest.mark.django_db
def test_save_from_current_version_bumps_it():
    park = ParkFactory(name="甲")
    park.name = "乙"
    save_versioned(park, expected_version=1)
    park.refresh_from_db()
    assert (park.name, park.version) == ("乙", 2)


@pytest.mark.django_db
def test_second_save_from_the_same_version_is_refused_and_says_what_changed(admin_user):
    park = ParkFactory(name="原名")
    first, second = Park.objects.get(pk=park.pk), Park.objects.get(pk=park.pk)
    first.name = "第一人"
    save_versioned(first, expected_version=1)
    second.name = "第二人"
    with pytest.raises(StaleVersionError) as refused:
        save_versioned(second, expected_version=1)
    assert [(c.field, c.old, c.new) for c in refused.value.changes] == [("name", "原名", "第一人")]
    park.refresh_from_db()
    assert park.name == "第一人"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two concurrent connections need PostgreSQL")
def test_two_concurrent_edits_on_postgresql_one_wins():
    park = ParkFactory(name="原名")
    barrier = threading.Barrier(2)
    outcomes = []

    def edit(name):
        try:
            copy = Park.objects.get(pk=park.pk)
            copy.name = name
            barrier.wait()
            save_versioned(copy, expected_version=1)
            outcomes.append(("saved", name))
        except StaleVersionError:
            outcomes.append(("refused", name))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(name,)) for name in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(kind for kind, _ in outcomes) == ["refused", "saved"]
    winner = next(name for kind, name in outcomes if kind == "saved")
    park.refresh_from_db()
    assert (park.name, park.version) == (winner, 2)
