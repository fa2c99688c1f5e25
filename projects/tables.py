import datetime
from dataclasses import replace

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkadmin.tables import BOOL, DATE, MONEY, NUMBER, Column, Table, person_name
from projects.choices import STAGE_ORDER, KeyLevel, Stage
from projects.models import FundArrival, Project, ProjectUpdate
from projects.selectors import NO_ACTIVITY, with_last_activity, with_signed_on
from projects.timing import days_in_stage, funds_ratio, slower_or_none, stage_medians, with_slower, with_timing

LIVE_STAGES = frozenset(STAGE_ORDER) - {Stage.FULL_PRODUCTION}


def annotate_activity(queryset):
    """Each project's signed date, its last activity and its place in the pipeline, computed in the list query."""
    return with_last_activity(with_signed_on(queryset)).annotate(
        stage_rank=Case(
            *[When(stage=stage, then=Value(rank)) for rank, stage in enumerate([*STAGE_ORDER, Stage.DROPPED])],
            output_field=IntegerField(),
        ),
    )


def stalled_cutoff() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=settings.PROJECT_STALLED_DAYS)


def is_stalled(project, cutoff: datetime.date | None = None) -> bool:
    """The rule of projects.selectors.stalled_projects, read from the annotated row."""
    return project.stage in LIVE_STAGES and project.last_activity < (cutoff or stalled_cutoff())


# Short names of the key-project levels, for badges and list cells.
KEY_SHORT = {
    KeyLevel.PROVINCIAL_INDUSTRY: _("Five 100s · industry"),
    KeyLevel.PROVINCIAL_TECH: _("Five 100s · tech"),
    KeyLevel.PROVINCIAL: _("provincial key"),
    KeyLevel.CITY: _("city key"),
}


def key_levels_text(project) -> str | None:
    return "、".join(str(KeyLevel(level).label) for level in project.key_levels) or None


def key_badges(project) -> list[str]:
    return [str(KEY_SHORT[level]) for level in project.key_levels]


def last_activity(project) -> datetime.date | None:
    return None if project.last_activity == NO_ACTIVITY else project.last_activity


class ProjectTable(Table):
    model = Project
    default_sort = "name"
    select_related = ("cluster", "park")
    columns = [
        Column("name", order_by="name", link=True),
        Column("investor", order_by="investor"),
        Column("investor_origin", order_by="investor_origin"),
        Column("cluster", accessor="cluster.local_name", header=_("industry cluster"), order_by="cluster__code"),
        Column("park", accessor="park.local_name", header=_("park"), order_by="park__code"),
        Column("stage", order_by="stage_rank"),
        Column("days_in_stage", header=_("days in stage"), kind=NUMBER, order_by="stage_age_key", value=days_in_stage),
        Column("contract_investment", kind=MONEY, order_by="contract_investment"),
        Column(
            "funds_ratio_pct", header=_("funds arrived (%)"), kind=NUMBER, order_by="funds_ratio_key", value=funds_ratio
        ),
        Column("key_levels", header=_("key project"), value=lambda p: "、".join(key_badges(p)) or None),
        Column("signed_on", header=_("signed on"), kind=DATE, order_by="signed_on", value=lambda p: p.signed_on),
        Column("last_activity", header=_("last activity"), kind=DATE, order_by="last_activity", value=last_activity),
        Column("stalled", header=_("stalled"), kind=BOOL, value=is_stalled),
        # Its value needs the medians of the request: see ProjectTable.__init__.
        Column("slower", header=_("slower than median"), kind=BOOL, order_by="slower"),
        Column("is_sample", kind=BOOL, header=_("sample data")),
    ]

    def __init__(self) -> None:
        self.medians = None
        self.columns = [
            replace(column, value=self.slower) if column.name == "slower" else column for column in self.columns
        ]
        super().__init__()

    def slower(self, project) -> bool | None:
        return slower_or_none(project, self.medians)

    def queryset(self):
        # The stage timing (projects.timing): two subqueries a row, sortable and filtered in SQL; the medians are
        # one query a request.
        self.medians = stage_medians()
        return with_slower(with_timing(annotate_activity(super().queryset())), self.medians)


class FundArrivalTable(Table):
    model = FundArrival
    default_sort = "-arrived_on"
    select_related = ("project", "project__park")
    columns = [
        Column("project", accessor="project.name", header=_("project"), order_by="project__name", link=True),
        Column("arrived_on", kind=DATE, order_by="arrived_on", link=True),
        Column("amount", kind=MONEY, order_by="amount"),
        Column("source", order_by="source"),
        Column(
            "investor_origin",
            accessor="project.investor_origin",
            header=_("investor origin"),
            order_by="project__investor_origin",
        ),
        Column("park", accessor="project.park.local_name", header=_("park"), order_by="project__park__code"),
        Column("note"),
        Column("is_sample", kind=BOOL),
    ]


class ProjectUpdateTable(Table):
    model = ProjectUpdate
    default_sort = "-on"
    select_related = ("project",)
    columns = [
        Column("project", accessor="project.name", header=_("project"), order_by="project__name", link=True),
        Column("on", kind=DATE, order_by="on", link=True),
        Column("is_problem", kind=BOOL, order_by="is_problem"),
        Column("text"),
        Column("author", accessor="author_name", header=_("author"), order_by="author_name"),
    ]

    def queryset(self):
        return super().queryset().annotate(author_name=person_name("author"))
