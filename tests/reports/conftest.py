import datetime
from decimal import Decimal

import pytest

from indicators.choices import ValueStatus
from tests.factories import (
    EnterpriseFactory,
    EnterpriseYearFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ServiceRequestFactory,
)

HOSTILE_ENTERPRISE = "=1+1"
HOSTILE_INDICATOR = "<script>alert(1)</script>"
HOSTILE_PROBLEM = "@SUM(A1:A9)"


@pytest.fixture
def demo(db):
    import demo as demo_data

    demo_data.load(with_accounts=False)


@pytest.fixture
def hostile(demo):
    """Names a spreadsheet would run and a page would execute, where the 2019 report prints them."""
    from parks.models import IndustryCluster, Park

    enterprise = EnterpriseFactory(
        name=HOSTILE_ENTERPRISE,
        cluster=IndustryCluster.objects.get(code="EIT"),
        park=Park.objects.get(code="core"),
    )
    # Above every demo enterprise, so the report's table of the largest lists it.
    EnterpriseYearFactory(enterprise=enterprise, year=2019, revenue=Decimal("500000.00"))
    indicator = IndicatorFactory(code="hostile_name", name=HOSTILE_INDICATOR, unit="万元")
    IndicatorValueFactory(indicator=indicator, year=2019, value=Decimal("12.5"), status=ValueStatus.APPROVED)
    ServiceRequestFactory(
        enterprise=enterprise,
        title=HOSTILE_PROBLEM,
        raised_on=datetime.date(2019, 5, 1),
        due_on=datetime.date(2019, 6, 1),
    )
