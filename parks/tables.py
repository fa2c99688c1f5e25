from django.utils.translation import gettext_lazy as _

from parkadmin.tables import Column, Table
from parks.models import IndustryCluster, Park


class ParkTable(Table):
    model = Park
    default_sort = "code"
    select_related = ("parent",)
    columns = [
        Column("code", order_by="code", link=True),
        Column("name", order_by="name", link=True),
        Column("name_en", order_by="name_en"),
        Column("kind", order_by="kind"),
        Column("parent", accessor="parent.local_name", header=_("parent park"), order_by="parent__name"),
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
