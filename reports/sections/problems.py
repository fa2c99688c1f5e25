"""The report's problem list (问题清单): enterprise problems now and in the year, by category, and every unresolved
one."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises import selectors as enterprise_selectors
from enterprises.choices import ProblemCategory, ProblemStatus
from parkadmin.people import display_name
from parks.models import Park
from reports.content import Amount, Chart, ReportTable, Section, count

PROBLEM_ROWS = 500  # unresolved problems listed in the workbook


def problems_section(year: int, park: Park | None) -> Section:
    section = Section("problems", _("Problem list"))
    today = timezone.localdate()
    figures = enterprise_selectors.service_request_figures(year=year, park=park)  # as the overview asked
    section.tables.append(
        ReportTable(
            "figures",
            _("Enterprise problems"),
            [_("Figure"), _("Value")],
            [
                [_("Open (now)"), count(figures["open"], "个")],
                [_("In progress (now)"), count(figures["in_progress"], "个")],
                [_("Overdue (now)"), count(figures["overdue"], "个")],
                [_("Raised in %(year)s") % {"year": year}, count(figures["raised"], "个")],
                [_("Resolved in %(year)s") % {"year": year}, count(figures["resolved"], "个")],
                [_("Median days to resolve"), Amount(figures["median_days_to_resolve"], "天", 1)],
            ],
        )
    )
    section.tables.append(
        ReportTable(
            "by_category",
            _("Unresolved problems by category (now)"),
            [_("Category"), _("Unresolved"), _("Overdue")],
            [[row["name"], count(row["open"], "个"), count(row["overdue"], "个")] for row in figures["by_category"]],
        )
    )
    section.charts.append(Chart("bar", _("Unresolved problems by category"), "by_category", [1, 2], unit="个"))

    unresolved = enterprise_selectors.unresolved_problems(park=park)
    total = unresolved.count()
    listed = list(unresolved[:PROBLEM_ROWS])
    # Labels translated once, not once a row (get_FOO_display translates on every call).
    categories = {code: str(label) for code, label in ProblemCategory.choices}
    statuses = {code: str(label) for code, label in ProblemStatus.choices}
    section.tables.append(
        ReportTable(
            "unresolved",
            _("Unresolved problems, oldest deadline first (now)"),
            [
                _("Enterprise"),
                _("Problem"),
                _("Category"),
                _("Status"),
                _("Raised on"),
                _("Due on"),
                _("Assignee"),
                _("Overdue"),
            ],
            [
                [
                    problem.enterprise.name,
                    problem.title,
                    categories.get(problem.category, problem.category),
                    statuses.get(problem.status, problem.status),
                    problem.raised_on,
                    problem.due_on,
                    display_name(problem.assignee) if problem.assignee else "—",
                    bool(problem.due_on and problem.due_on < today),
                ]
                for problem in listed
            ],
            total=total,
            wide=[0, 1],
            brief=[0, 1, 3, 5, 7],
        )
    )
    return section
