from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, IndustryCluster, Park
from parkadmin.tables import BOOL, DATE, MONEY, Column, Table


class ParkTable(Table):
    model = Park
    default_sort = "code"
    select_related = ("parent",)
    columns = [
        Column("code", order_by="code", link=True),
        Column("name", order_by="name", link=True),
        Column("name_en", order_by="name_en"),
        Column("kind", order_by="kind"),
        Column("parent", accessor="parent.name", header=_("parent park"), order_by="parent__name"),
        Column("source"),
    ]


class IndustryClusterTable(Table):
    model = IndustryCluster
    default_sort = "code"
    columns = [
        Column("code", order_by="code", link=True),
        Column("name", order_by="name", link=True),
        Column("name_en", order_by="name_en"),
        Column("role", order_by="role"),
        Column("source"),
    ]


class EnterpriseTable(Table):
    model = Enterprise
    default_sort = "name"
    select_related = ("cluster", "park", "liaison")
    columns = [
        Column("name", order_by="name", link=True),
        Column("short_name", order_by="short_name"),
        Column("credit_code", order_by="credit_code"),
        Column("cluster", accessor="cluster.name", header=_("industry cluster"), order_by="cluster__code"),
        Column("park", accessor="park.name", header=_("park"), order_by="park__code"),
        Column("status", order_by="status"),
        Column("size_class", order_by="size_class"),
        Column("listing_stage", order_by="listing_stage"),
        Column("registered_capital", kind=MONEY, order_by="registered_capital"),
        Column("founded_on", kind=DATE, order_by="founded_on"),
        Column("liaison", value=lambda e: e.liaison and (e.liaison.get_full_name() or e.liaison.username)),
        Column("address"),
        Column("is_sample", kind=BOOL, header=_("sample data")),
    ]
