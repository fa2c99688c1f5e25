from django.db.models import BooleanField, ExpressionWrapper
from django.utils.translation import gettext_lazy as _

from enterprises.models import (
    Enterprise,
    EnterpriseYear,
    Incubation,
    Incubator,
    Qualification,
    ResearchPlatform,
    ServiceRequest,
    overdue_q,
)
from parkadmin.tables import BOOL, DATE, MONEY, NUMBER, Column, Table, person_name


class EnterpriseTable(Table):
    model = Enterprise
    default_sort = "name"
    select_related = ("cluster", "park")
    columns = [
        Column("name", order_by="name", link=True),
        Column("short_name", order_by="short_name"),
        Column("credit_code", order_by="credit_code"),
        Column("cluster", accessor="cluster.local_name", header=_("industry cluster"), order_by="cluster__code"),
        Column("park", accessor="park.local_name", header=_("park"), order_by="park__code"),
        Column("status", order_by="status"),
        Column("size_class", order_by="size_class"),
        Column("listing_stage", order_by="listing_stage"),
        Column("registered_capital", kind=MONEY, order_by="registered_capital"),
        Column("founded_on", kind=DATE, order_by="founded_on"),
        # Read from the row itself, so an export reads plain tuples (see Table.row_paths).
        Column("liaison", accessor="liaison_name", header=_("liaison officer")),
        Column("address"),
        Column("is_sample", kind=BOOL, header=_("sample data")),
    ]

    def queryset(self):
        return super().queryset().annotate(liaison_name=person_name("liaison"))


class QualificationTable(Table):
    model = Qualification
    default_sort = "-issued_on"
    select_related = ("enterprise",)
    columns = [
        Column(
            "enterprise", accessor="enterprise.name", header=_("enterprise"), order_by="enterprise__name", link=True
        ),
        Column("kind", order_by="kind"),
        Column("certificate_no", order_by="certificate_no"),
        Column("issued_on", kind=DATE, order_by="issued_on"),
        Column("expires_on", kind=DATE, order_by="expires_on"),
        Column("source"),
    ]


class ResearchPlatformTable(Table):
    model = ResearchPlatform
    default_sort = "name"
    select_related = ("enterprise",)
    columns = [
        Column("name", order_by="name", link=True),
        Column("enterprise", accessor="enterprise.name", header=_("enterprise"), order_by="enterprise__name"),
        Column("kind", order_by="kind"),
        Column("level", order_by="level"),
        Column("approved_on", kind=DATE, order_by="approved_on"),
        Column("source"),
    ]


class EnterpriseYearTable(Table):
    model = EnterpriseYear
    default_sort = "-year"
    select_related = ("enterprise",)
    columns = [
        Column(
            "enterprise", accessor="enterprise.name", header=_("enterprise"), order_by="enterprise__name", link=True
        ),
        Column("year", order_by="year", link=True),  # a year reads 2019, never 2,019
        Column("revenue", kind=MONEY, order_by="revenue"),
        Column("industrial_output", kind=MONEY, order_by="industrial_output"),
        Column("tax", kind=MONEY, order_by="tax"),
        Column("rd_expense", kind=MONEY, order_by="rd_expense"),
        Column("employees", kind=NUMBER, order_by="employees"),
        Column("export_value", kind=NUMBER, order_by="export_value"),
        Column("patents_granted", kind=NUMBER, order_by="patents_granted"),
        Column("is_sample", kind=BOOL),
    ]


class IncubatorTable(Table):
    model = Incubator
    default_sort = "name"
    select_related = ("park",)
    columns = [
        Column("name", order_by="name", link=True),
        Column("level", order_by="level"),
        Column("operator", order_by="operator"),
        Column("area_m2", kind=NUMBER, order_by="area_m2"),
        Column("park", accessor="park.local_name", header=_("park"), order_by="park__code"),
        Column("source"),
    ]


class IncubationTable(Table):
    model = Incubation
    default_sort = "-entered_on"
    select_related = ("enterprise", "incubator")
    columns = [
        Column(
            "enterprise", accessor="enterprise.name", header=_("enterprise"), order_by="enterprise__name", link=True
        ),
        Column("incubator", accessor="incubator.name", header=_("incubator"), order_by="incubator__name"),
        Column("status", order_by="status"),
        Column("entered_on", kind=DATE, order_by="entered_on"),
        Column("left_on", kind=DATE, order_by="left_on"),
        Column("area_m2", kind=NUMBER, order_by="area_m2"),
        Column("is_sample", kind=BOOL),
    ]


class ServiceRequestTable(Table):
    model = ServiceRequest
    default_sort = "due_on"
    select_related = ("enterprise",)
    columns = [
        Column("title", order_by="title", link=True),
        Column("enterprise", accessor="enterprise.name", header=_("enterprise"), order_by="enterprise__name"),
        Column("category", order_by="category"),
        Column("status", order_by="status"),
        # Worked out by the database (queryset), so an export reads plain tuples (see Table.row_paths).
        Column("overdue", accessor="overdue", header=_("overdue"), kind=BOOL),
        Column("raised_on", kind=DATE, order_by="raised_on"),
        Column("due_on", kind=DATE, order_by="due_on"),
        Column("assignee", accessor="assignee_name", header=_("assignee"), order_by="assignee_name"),
        Column("resolved_on", kind=DATE, order_by="resolved_on"),
        Column("resolution"),
        Column("satisfaction", kind=NUMBER, order_by="satisfaction"),
    ]

    def queryset(self):
        return (
            super()
            .queryset()
            .annotate(
                overdue=ExpressionWrapper(overdue_q(), output_field=BooleanField()),
                assignee_name=person_name("assignee"),
            )
        )
