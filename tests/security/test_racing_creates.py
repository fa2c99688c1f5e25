"""Racing creates: two requests creating the same unique thing at the same moment (an enterprise's credit code, a
value for one indicator, park and year, the entry grid saving one new cell twice …) write one row, and the other
is refused as a duplicate is refused one after the other (400 with the field error), never with a database error.

Each check both sends its create while a duplicate is being written by another connection and not yet committed
(so the request's checks cannot see it, and its INSERT waits on the unique index until the duplicate is
committed: the race, made certain), and races two requests released together. Real concurrency needs PostgreSQL.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from enterprises.models import Enterprise, EnterpriseYear, Incubation, Incubator
from indicators.models import Indicator, IndicatorValue, Target
from parks.models import IndustryCluster, Park
from tests.factories import (
    EnterpriseFactory,
    IncubatorFactory,
    IndicatorFactory,
    ParkFactory,
    UserFactory,
)
from tests.security.test_concurrency import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two concurrent connections need PostgreSQL"),
]

CREDIT_CODE = "91350100M000100Y43"
REFUSED = (400, 409)


@dataclass
class Create:
    """One create path: `send(client)` creates the thing; `duplicate()` writes the same thing directly; `model` and
    `lookup` count its rows; `created` is the status of a create that worked."""

    name: str
    send: Any
    duplicate: Any
    model: type
    lookup: dict
    created: int = 201


def api(path, body):
    return lambda c: c.post(path, body, content_type="application/json")


def grid(code, value="5", park=""):
    return lambda c: c.post(f"/indicators/entry/?year=2020&park={park}", {"action": "draft", f"{code}-value": value})


def creates() -> list[Create]:
    """The create paths of every model with a unique rule, made afresh (their records need the database)."""
    park, indicator = ParkFactory(code="core"), IndicatorFactory(code="fiscal_revenue", decimals=2)
    enterprise, incubator = EnterpriseFactory(name="已有企业"), IncubatorFactory(name="已有孵化器")
    value = {"indicator": indicator, "year": 2020, "value": "5.00"}
    return [
        Create(
            "api enterprise credit code",
            api("/api/enterprises/", {"name": "甲科技有限公司", "credit_code": CREDIT_CODE}),
            lambda: EnterpriseFactory(name="乙科技有限公司", credit_code=CREDIT_CODE),
            Enterprise,
            {"credit_code": CREDIT_CODE},
        ),
        Create(
            "api enterprise name",
            api("/api/enterprises/", {"name": "同名科技有限公司"}),
            lambda: EnterpriseFactory(name="同名科技有限公司"),
            Enterprise,
            {"name": "同名科技有限公司"},
        ),
        Create(
            "page enterprise credit code",
            lambda c: c.post(
                "/enterprises/add/",
                {"name": "丙科技有限公司", "credit_code": CREDIT_CODE, "status": "operating", "listing_stage": "none"},
            ),
            lambda: EnterpriseFactory(name="丁科技有限公司", credit_code=CREDIT_CODE),
            Enterprise,
            {"credit_code": CREDIT_CODE},
            created=302,
        ),
        Create(
            "api enterprise year",
            api("/api/enterprise-years/", {"enterprise": enterprise.pk, "year": 2023, "revenue": "100.00"}),
            lambda: EnterpriseYear.objects.create(enterprise=enterprise, year=2023),
            EnterpriseYear,
            {"enterprise": enterprise, "year": 2023},
        ),
        Create(
            "api incubation open twice",
            api(
                "/api/incubations/",
                {"enterprise": enterprise.pk, "incubator": incubator.pk, "entered_on": "2023-01-01"},
            ),
            lambda: Incubation.objects.create(enterprise=enterprise, incubator=incubator, entered_on="2023-02-01"),
            Incubation,
            {"enterprise": enterprise, "status": "incubating"},
        ),
        Create(
            "api incubator name",
            api("/api/incubators/", {"name": "新孵化器", "level": "national"}),
            lambda: Incubator.objects.create(name="新孵化器", level="national"),
            Incubator,
            {"name": "新孵化器"},
        ),
        Create(
            "api park code",
            api("/api/parks/", {"code": "newpark", "name": "新园区"}),
            lambda: Park.objects.create(code="newpark", name="另一个新园区"),
            Park,
            {"code": "newpark"},
        ),
        Create(
            "api cluster code",
            api("/api/clusters/", {"code": "NEW", "name": "新集群"}),
            lambda: IndustryCluster.objects.create(code="NEW", name="另一个新集群"),
            IndustryCluster,
            {"code": "NEW"},
        ),
        Create(
            "api indicator code",
            api("/api/indicators/", {"code": "new_code", "name": "新指标", "unit": "家"}),
            lambda: Indicator.objects.create(code="new_code", name="另一个新指标", unit="家"),
            Indicator,
            {"code": "new_code"},
        ),
        Create(
            "api indicator value for the zone",
            api("/api/indicator-values/", {"indicator": "fiscal_revenue", "year": 2020, "value": "5.00"}),
            lambda: IndicatorValue.objects.create(**value),
            IndicatorValue,
            {"indicator": indicator, "park": None, "year": 2020},
        ),
        Create(
            "api indicator value for a park",
            api(
                "/api/indicator-values/",
                {"indicator": "fiscal_revenue", "park": "core", "year": 2020, "value": "5.00"},
            ),
            lambda: IndicatorValue.objects.create(park=park, **value),
            IndicatorValue,
            {"indicator": indicator, "park": park, "year": 2020},
        ),
        Create(
            "entry grid new cell for the zone",
            grid("fiscal_revenue"),
            lambda: IndicatorValue.objects.create(**value),
            IndicatorValue,
            {"indicator": indicator, "park": None, "year": 2020},
            created=302,
        ),
        Create(
            "entry grid new cell for a park",
            grid("fiscal_revenue", park="core"),
            lambda: IndicatorValue.objects.create(park=park, **value),
            IndicatorValue,
            {"indicator": indicator, "park": park, "year": 2020},
            created=302,
        ),
        Create(
            "api target for the zone",
            api("/api/targets/", {"indicator": "fiscal_revenue", "year": 2020, "value": "8"}),
            lambda: Target.objects.create(indicator=indicator, year=2020, value=8),
            Target,
            {"indicator": indicator, "park": None, "year": 2020},
        ),
        Create(
            "api target for a park",
            api("/api/targets/", {"indicator": "fiscal_revenue", "park": "core", "year": 2020, "value": "8"}),
            lambda: Target.objects.create(indicator=indicator, park=park, year=2020, value=8),
            Target,
            {"indicator": indicator, "park": park, "year": 2020},
        ),
    ]


NAMES = [
    "api enterprise credit code",
    "api enterprise name",
    "page enterprise credit code",
    "api enterprise year",
    "api incubation open twice",
    "api incubator name",
    "api park code",
    "api cluster code",
    "api indicator code",
    "api indicator value for the zone",
    "api indicator value for a park",
    "entry grid new cell for the zone",
    "entry grid new cell for a park",
    "api target for the zone",
    "api target for a park",
]


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="racer", is_superuser=True, first_name="甲"))
    return client


def the(name: str) -> Create:
    return next(create for create in creates() if create.name == name)


def waiting_on_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def create_while_a_duplicate_is_written(client: Client, create: Create):
    """Send the create while another connection holds the same thing inserted but not committed; commit it once the
    request waits on it. Returns the response."""
    inserted, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def hold():
        try:
            with transaction.atomic():
                create.duplicate()
                inserted.set()
                assert release.wait(timeout=60), "the request never reached the duplicate"
        except Exception as error:
            outcome["holder"] = error
        finally:
            inserted.set()
            connections.close_all()

    def send():
        try:
            outcome["response"] = create.send(client)
        except Exception as error:
            outcome["request"] = error
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert inserted.wait(timeout=30)
    sender = threading.Thread(target=send)
    sender.start()
    # The request's INSERT waits on the uncommitted duplicate's index entry (or the request has already answered).
    while sender.is_alive() and not waiting_on_a_lock():
        sender.join(timeout=0.05)
    release.set()
    holder.join(timeout=60)
    sender.join(timeout=60)
    assert "holder" not in outcome and "request" not in outcome, outcome
    return outcome["response"]


@pytest.mark.parametrize("name", NAMES)
def test_a_create_racing_a_duplicate_is_refused_as_a_duplicate_and_writes_nothing(admin_client, name):
    create = the(name)
    response = create_while_a_duplicate_is_written(admin_client, create)
    assert response.status_code in (*REFUSED, 200), (response.status_code, response.content[:500])
    assert create.model.objects.filter(**create.lookup).count() == 1
    if response.status_code == 200:  # a page: the form again, with the reason a duplicate is refused
        assert "credit_code" in response.context["form"].errors, response.context["form"].errors


@pytest.mark.parametrize("name", NAMES)
def test_two_simultaneous_creates_of_one_thing_write_one_row_and_never_fail(admin_client, name):
    create = the(name)
    other = Client()
    other.force_login(UserFactory(username="second-racer", is_superuser=True, first_name="乙"))
    responses = race((admin_client, create.send), (other, create.send))
    codes = sorted(r.status_code for r in responses)
    assert 500 not in codes, codes
    assert create.created in codes, codes
    assert create.model.objects.filter(**create.lookup).count() == 1
