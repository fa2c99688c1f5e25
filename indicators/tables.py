from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator, IndicatorValue, Target
from parkadmin.tables import BOOL, NUMBER, Column, Table


def _park(record) -> str:
    return record.park.name if record.park_id else str(_("whole zone"))


def _value(record):
    """The value with the indicator's own number of decimals."""
    return round(record.value, record.indicator.decimals)


class IndicatorTable(Table):
    model = Indicator
    default_sort = "sort_order"
    columns = [
        Column("sort_order", order_by="sort_order", header=_("order"), kind=NUMBER),
        Column("code", order_by="code", link=True),
        Column("name", order_by="name", link=True),
        Column("unit"),
        Column("category", order_by="category"),
        Column("kind", order_by="kind"),
        Column("higher_is_better", kind=BOOL),
        Column("is_headline", kind=BOOL),
    ]


class IndicatorValueTable(Table):
    model = IndicatorValue
    default_sort = "-year"
    select_related = ("indicator", "park", "entered_by", "approved_by")
    columns = [
        Column(
            "indicator", accessor="indicator.name", header=_("indicator"), order_by="indicator__sort_order", link=True
        ),
        Column("park", header=_("park"), value=_park, order_by="park__code"),
        Column("year", kind=NUMBER, order_by="year"),
        Column("value", kind=NUMBER, value=_value, places=6, order_by="value"),
        Column("unit", header=_("unit"), accessor="indicator.unit"),
        Column("status", order_by="status"),
        Column("source"),
        Column("note"),
    ]


class TargetTable(Table):
    model = Target
    default_sort = "-year"
    select_related = ("indicator", "park")
    columns = [
        Column(
            "indicator", accessor="indicator.name", header=_("indicator"), order_by="indicator__sort_order", link=True
        ),
        Column("park", header=_("park"), value=_park, order_by="park__code"),
        Column("year", kind=NUMBER, order_by="year"),
        Column("value", kind=NUMBER, value=_value, places=6, order_by="value"),
        Column("unit", header=_("unit"), accessor="indicator.unit"),
        Column("source"),
    ]
