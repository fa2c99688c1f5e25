"""Indicators the enterprises app computes from its records (see parkadmin/computed.py)."""

from django.db.models import Q

from enterprises import selectors
from parkadmin.computed import register_computed
from parks.selectors import in_park

SUFFIX = "（台账）"  # "from the records", beside the reported figure of the same name


def _problems_open_at_year_end(year, park):
    from enterprises.models import ServiceRequest

    end = selectors.year_end(year)
    open_then = Q(raised_on__lte=end) & (Q(resolved_on__isnull=True) | Q(resolved_on__gt=end))
    return in_park(ServiceRequest.objects.filter(open_then), park, "enterprise__park").count()


def _graduated_to_date(year, park):
    from enterprises.choices import IncubationStatus
    from enterprises.models import Incubation

    graduated = Incubation.objects.filter(status=IncubationStatus.GRADUATED, left_on__lte=selectors.year_end(year))
    return in_park(graduated, park, "enterprise__park").count()


register_computed(
    code="hitech_enterprises_records",
    name="高新技术企业数" + SUFFIX,
    name_en="High-tech enterprises (records)",
    unit="家",
    category="innovation",
    reconciles="hitech_enterprises",
    definition="年末持有有效国家高新技术企业证书的企业数。",
    compute=lambda year, park: selectors.hitech_enterprise_count(year=year, park=park),
)
register_computed(
    code="incubating_records",
    name="在孵企业" + SUFFIX,
    name_en="Enterprises incubating (records)",
    unit="家",
    category="incubation",
    reconciles="incubating",
    definition="年末仍在孵化器内的企业数。",
    compute=lambda year, park: selectors.incubation_figures(year=year, park=park)["incubating"],
)
register_computed(
    code="graduated_records",
    name="累计毕业企业" + SUFFIX,
    name_en="Graduated enterprises to date (records)",
    unit="家",
    category="incubation",
    reconciles="graduated",
    definition="截至年末累计毕业的在孵企业数。",
    compute=_graduated_to_date,
)
register_computed(
    code="problems_open_records",
    name="未办结企业问题" + SUFFIX,
    name_en="Enterprise problems open (records)",
    unit="个",
    category="other",
    higher_is_better=False,
    definition="年末已提出、尚未销号的企业问题数。",
    compute=_problems_open_at_year_end,
)
