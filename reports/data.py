"""Everything the annual report says, for a year and a park: the sections worked out one by one (`reports.sections`)
and put together as a `Report` (`reports.content`)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from parkadmin.memo import memo_scope
from parkadmin.names import zone_name
from parkadmin.people import display_name
from parks.models import Park
from reports.content import Report
from reports.sections.enterprises import enterprises_section
from reports.sections.incubation import incubation_section
from reports.sections.indicators import indicator_rows, indicators_section
from reports.sections.overview import overview_section
from reports.sections.problems import problems_section
from reports.sections.projects import projects_section


def annual_report_data(
    year: int, park: Park | None = None, *, user=None, now: datetime.datetime | None = None
) -> Report:
    """The whole report for `year` and `park` (None, or the zone itself: the whole zone)."""
    if park is not None and park.parent_id is None:
        park = None  # the zone's own figures are the whole zone's
    with memo_scope():  # figures several sections share are worked out once
        indicators = indicator_rows(year, park)
        sections = [
            overview_section(year, park, indicators),
            indicators_section(year, park, indicators),
            enterprises_section(year, park),
            projects_section(year, park),
            incubation_section(year, park),
            problems_section(year, park),
        ]
    return Report(
        year=year,
        park_code=park.code if park else "",
        scope=park.local_name if park else zone_name(),
        zone=zone_name(),
        generated_at=timezone.localtime(now or timezone.now()),
        generated_by=display_name(user) if user is not None else "",
        sections=sections,
    )
