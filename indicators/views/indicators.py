"""Indicator pages: the list, an indicator's page (its series, year rows and computed twin) and its definition."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators import selectors
from indicators.charts import series_chart
from indicators.choices import Kind, ValueStatus
from indicators.filtersets import IndicatorFilterSet
from indicators.forms import IndicatorForm, SeriesFilterForm
from indicators.models import Indicator, IndicatorValue
from indicators.tables import IndicatorTable, change_class, format_value
from indicators.views.common import REVIEW_PERMISSION, can_enter_values, status_labels, tidy_rows
from parkadmin.charts import figure_data
from parkadmin.generic import ObjectDetailView, ObjectEditView, ObjectListView
from parkadmin.history import history_entries
from parkadmin.memo import memo_scope


class IndicatorListView(ObjectListView):
    model = Indicator
    table_class = IndicatorTable
    filterset_class = IndicatorFilterSet
    export_name = "indicators"
    template_name = "indicators/indicator_list.html"
    cell_template = "indicators/_list_cell.html"

    def get(self, request, *args, **kwargs):
        # Computed indicators of one page share their yearly figures (one computation per figure, not per indicator).
        with memo_scope():
            return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_enter"] = can_enter_values(user)
        context["can_review"] = user.has_perm(REVIEW_PERMISSION)
        if context["can_review"]:
            context["review_count"] = IndicatorValue.objects.filter(status=ValueStatus.SUBMITTED).count()
        return context


class IndicatorDetailView(ObjectDetailView):
    """An indicator is addressed by its code (/indicators/fiscal_revenue/), as in the API.

    Its series for the whole zone or one park (`?park=CODE`), approved values only unless `?include_pending=1`
    (then marked), with year-on-year, target and completion per year, and — where a computed twin exists — the
    reported and computed figures side by side.
    """

    model = Indicator
    template_name = "indicators/indicator_detail.html"
    fields = [
        "code",
        "name",
        "name_en",
        "unit",
        "category",
        "kind",
        "decimals",
        "higher_is_better",
        "min_value",
        "max_value",
        "is_headline",
        "reconciles",
        "definition",
    ]

    def detail_rows(self):
        return tidy_rows(self.object, self.fields, super().detail_rows())

    def get_object(self, queryset=None):
        return get_object_or_404(Indicator, code=self.kwargs["code"])

    def get(self, request, *args, **kwargs):
        with memo_scope():
            return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = self.object
        user = self.request.user
        filters = SeriesFilterForm(self.request.GET or None)
        clean = filters.cleaned_data if filters.is_valid() else {}
        park, include_pending = clean.get("park"), bool(clean.get("include_pending"))

        series = selectors.indicator_series(indicator, park=park, include_pending=include_pending)
        reported, computed = selectors.reconciliation_pair(indicator)
        twin = computed if indicator.kind == Kind.REPORTED else reported
        twin_values = selectors.twin_values(twin, series=series, park=park, include_pending=include_pending)
        year_rows = selectors.indicator_year_rows(
            indicator, series=series, twin_values=twin_values, park=park, include_pending=include_pending
        )
        labels = status_labels()
        for row in year_rows:
            row.status_label = labels.get(row.status, "")
            row.yoy_class = change_class(row.yoy_pct, indicator.higher_is_better)
        figure = None
        if series["points"] or twin_values:
            figure = figure_data(
                series_chart(
                    name=indicator.local_name,
                    unit=indicator.unit,
                    points=series["points"],
                    reversed_axis=indicator.is_ranking,
                    decimals=indicator.decimals,
                    twin_name=str(twin.local_name) if twin else "",
                    twin_points={y: v for y, v in twin_values.items() if v is not None},
                    label=lambda status: labels.get(status, status),
                )
            )
        points = series["points"]
        context.update(
            filters=filters,
            park=park,
            include_pending=include_pending,
            pending_link=self.toggle_pending_link(include_pending),
            series=series,
            year_rows=year_rows,
            spans=selectors.indicator_spans(indicator, park=park, include_pending=include_pending)
            if indicator.kind == Kind.REPORTED
            else [],
            has_pending=any(row.pending for row in year_rows),
            period=(points[0]["year"], points[-1]["year"]) if len(points) >= 2 else None,
            figure=figure,
            twin=twin,
            reported_twin=reported,
            computed_twin=computed,
            reconciliation=self.reconciliation(reported, computed, year_rows, indicator),
            value_history=history_entries(IndicatorValue.history.filter(indicator_id=indicator.pk), limit=30)
            if indicator.kind == Kind.REPORTED
            else [],
            can_enter=indicator.kind == Kind.REPORTED and can_enter_values(user),
            can_add_target=user.has_perm("indicators.add_target"),
            entry_year=selectors.default_entry_year(),
            status_labels=labels,
        )
        if context["can_change"]:
            context["edit_url"] = reverse("indicators:indicator_edit", args=[indicator.code])
        return context

    def toggle_pending_link(self, include_pending: bool) -> str:
        query = self.request.GET.copy()
        if include_pending:
            query.pop("include_pending", None)
        else:
            query["include_pending"] = "1"
        return f"?{query.urlencode()}" if query else self.request.path

    @staticmethod
    def reconciliation(reported, computed, year_rows, indicator) -> str:
        """'2019: reported 18个; the records hold 2个.' for the latest year with both figures."""
        if reported is None:
            return ""
        for row in reversed(year_rows):
            if row.value is None or row.twin_value is None:
                continue
            ours, theirs = format_value(indicator, row.value), format_value(indicator, row.twin_value)
            reported_text, computed_text = (ours, theirs) if indicator.kind == Kind.REPORTED else (theirs, ours)
            return _("%(year)s: reported %(reported)s; the records hold %(computed)s.") % {
                "year": row.year,
                "reported": reported_text,
                "computed": computed_text,
            }
        return ""


class IndicatorEditView(ObjectEditView):
    """Create or edit a definition (administrators); an existing indicator is addressed by its code."""

    model = Indicator
    form_class = IndicatorForm

    @property
    def permission_action(self) -> str:
        return "change" if "code" in self.kwargs else "add"

    def get_object(self, queryset=None):
        return get_object_or_404(Indicator, code=self.kwargs["code"]) if "code" in self.kwargs else None
