"""Value pages: the list, a value's page, its form (save as draft or submit), delete and submit, and the review
queue with its decisions. Every write goes through indicators.services, which runs the checks at entry and the
review rules."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from indicators import selectors, services
from indicators.checks import check_value
from indicators.choices import ValueStatus
from indicators.filtersets import IndicatorValueFilterSet
from indicators.forms import SUBMIT, IndicatorValueForm, ReviewForm
from indicators.models import IndicatorValue
from indicators.tables import IndicatorValueTable, change_class
from indicators.views.common import (
    REVIEW_PERMISSION,
    VALUE_CONFLICT,
    can_enter_values,
    conflict_message,
    kept_explanation,
    tidy_rows,
)
from parkadmin.formatting import growth_pct, to_decimal
from parkadmin.forms import safe_next
from parkadmin.generic import ModelPermissionMixin, ObjectDeleteView, ObjectDetailView, ObjectListView, StepView
from parkadmin.history import history_entries
from parkadmin.locking import StaleVersionError


class IndicatorValueListView(ObjectListView):
    model = IndicatorValue
    table_class = IndicatorValueTable
    filterset_class = IndicatorValueFilterSet
    export_name = "indicator-values"
    template_name = "indicators/indicatorvalue_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_enter"] = can_enter_values(self.request.user)
        return context


class IndicatorValueDetailView(ObjectDetailView):
    model = IndicatorValue
    queryset = IndicatorValue.objects.select_related("indicator", "park", "entered_by", "approved_by")
    template_name = "indicators/indicatorvalue_detail.html"
    fields = [
        "indicator",
        "park",
        "year",
        "value",
        "status",
        "source",
        "note",
        "explanation",
        "review_comment",
        "entered_by",
        "approved_by",
        "approved_at",
    ]

    def detail_rows(self):
        return tidy_rows(self.object, self.fields, super().detail_rows())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        value = self.object
        user = self.request.user
        editable = value.status in (ValueStatus.DRAFT, ValueStatus.RETURNED)
        context.update(
            can_submit=context["can_change"] and editable and user.has_perm(services.SUBMIT_PERMISSION),
            can_review=user.has_perm(REVIEW_PERMISSION) and value.status == ValueStatus.SUBMITTED,
            own=value.entered_by_id is not None and value.entered_by_id == user.pk,
            review_form=ReviewForm(initial={"version": value.version}),
        )
        if not editable:
            context.pop("delete_url", None)
        return context


class IndicatorValueEditView(StepView, ModelPermissionMixin, TemplateView):
    """Create or edit one value through indicator_value_save: errors refuse it, a warning asks for an explanation.
    'Save as draft' or 'Submit for review'; a stale edit is refused (409)."""

    model = IndicatorValue
    template_name = "indicators/indicatorvalue_form.html"
    conflict_text = VALUE_CONFLICT

    @property
    def permission_action(self) -> str:
        return "change" if "pk" in self.kwargs else "add"

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if "pk" in kwargs:
            self.object = get_object_or_404(IndicatorValue.objects.select_related("indicator", "park"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        # Looked up in dispatch, before the permission check (an unknown value is 404 to everyone).
        return self.object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["can_submit"] = self.request.user.has_perm(services.SUBMIT_PERMISSION)
        if self.object:
            context["heading"] = _("Edit “%(name)s”") % {"name": self.object}
        else:
            context["heading"] = _("Add %(name)s") % {"name": IndicatorValue._meta.verbose_name}
        return context

    def get(self, request, *args, **kwargs):
        initial = {}
        if self.object is None:
            initial = {
                k: request.GET[k]
                for k in ("indicator", "park", "year", "span_start", "span_kind")
                if request.GET.get(k)
            }
        form = IndicatorValueForm(instance=self.object, initial=initial)
        return self.render_to_response(self.get_context_data(form=form))

    def get_form(self):
        return IndicatorValueForm(self.request.POST, instance=self.object)

    def perform(self, form):
        data = form.cleaned_data
        return services.indicator_value_save(
            indicator=data["indicator"],
            year=data["year"],
            span_start=data["span_start"],
            span_kind=data["span_kind"],
            park=data["park"],
            value=data["value"],
            source=data["source"].strip(),
            note=data["note"],
            explanation=kept_explanation(data["explanation"], self.object, data["value"]),
            user=self.request.user,
            submit=self.request.POST.get("action") == SUBMIT,
            instance=self.object,
            expected_version=data["version"],
        )

    def succeeded(self, value, form):
        messages.success(
            self.request,
            _("Saved “%(object)s” (%(status)s).") % {"object": value, "status": value.get_status_display()},
        )
        return redirect(value.get_absolute_url())


class IndicatorValueDeleteView(ObjectDeleteView):
    """Deletes through services.indicator_value_delete, under a stricter rule than the API's: here only drafts and
    returned values can be deleted, even by those who may approve, so a submitted or approved figure stays on record
    (it is corrected by entering a new value)."""

    model = IndicatorValue

    def form_valid(self, form):
        if self.object.status not in (ValueStatus.DRAFT, ValueStatus.RETURNED):
            messages.error(self.request, _("Only drafts and returned values can be deleted."))
            return redirect(self.object.get_absolute_url())
        return super().form_valid(form)

    def perform_delete(self) -> None:
        services.indicator_value_delete(value=self.object, user=self.request.user)


class IndicatorValueSubmitView(ModelPermissionMixin, View):
    """POST: send a draft or returned value for review (who may change values and submit them)."""

    model = IndicatorValue
    http_method_names = ["post"]

    def get_permission_required(self):
        return ("indicators.change_indicatorvalue", services.SUBMIT_PERMISSION)

    def post(self, request, pk):
        value = get_object_or_404(IndicatorValue, pk=pk)
        version = to_decimal(request.POST.get("version"))
        try:
            services.indicator_value_submit(
                value=value, user=request.user, expected_version=int(version) if version is not None else None
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except StaleVersionError as conflict:
            messages.error(request, conflict_message(conflict))
        else:
            messages.success(request, _("“%(object)s” was submitted for review.") % {"object": value})
        return redirect(value.get_absolute_url())


# --- the review queue -----------------------------------------------------------------------------------------


@dataclass
class ReviewItem:
    value: IndicatorValue
    previous: Decimal | None
    yoy_pct: Decimal | None
    errors: list[str]
    warnings: list[str]
    history: list
    form: ReviewForm
    own: bool

    @property
    def yoy_class(self) -> str:
        return change_class(self.yoy_pct, self.value.indicator.higher_is_better)


class ReviewQueueView(ModelPermissionMixin, TemplateView):
    """/indicators/review/: submitted values, oldest year first, each with last year's figure, what the checks say
    now, the explanation given, its history, and approve / return (never by the person who entered it)."""

    model = IndicatorValue
    permission_action = "approve"
    template_name = "indicators/review_queue.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        failed = kwargs.get("failed")  # (value pk, bound form) of a refused decision
        queue = selectors.pending_review().order_by(
            "year", "indicator__sort_order", "indicator__code", "park__code", "pk"
        )
        page = Paginator(queue, self.per_page).get_page(self.request.GET.get("page"))
        values = list(page.object_list)
        series = self.series_of(values)
        histories = defaultdict(list)
        for entry in history_entries(IndicatorValue.history.filter(id__in=[v.pk for v in values]), limit=None):
            histories[entry.record.id].append(entry)
        user = self.request.user
        items = []
        for value in values:
            # A value over several years is checked against its bounds only, never against the yearly series.
            others = {} if value.is_span else series[(value.indicator_id, value.park_id)]
            others = {y: v for y, v in others.items() if y != value.year}
            result = check_value(value.indicator, value.value, year=value.year, series=others)
            previous = others.get(value.year - 1)
            form = failed[1] if failed and failed[0] == value.pk else None
            items.append(
                ReviewItem(
                    value=value,
                    previous=previous,
                    yoy_pct=growth_pct(value.value, previous),
                    errors=result.errors,
                    warnings=result.warnings,
                    history=histories[value.pk],
                    form=form or ReviewForm(initial={"version": value.version}),
                    own=value.entered_by_id == user.pk,
                )
            )
        context.update(items=items, page_obj=page, failed=failed)
        return context

    @staticmethod
    def series_of(values: list[IndicatorValue]) -> dict[tuple[int, int | None], dict[int, Decimal]]:
        """Every entered (not returned) value of the queued indicators, by (indicator, park): one query."""
        series: dict = defaultdict(dict)
        rows = (
            IndicatorValue.objects.single_years()
            .filter(indicator_id__in={v.indicator_id for v in values})
            .exclude(status=ValueStatus.RETURNED)
            .values_list("indicator_id", "park_id", "year", "value")
        )
        for indicator_id, park_id, year, amount in rows:
            series[(indicator_id, park_id)][year] = amount
        return series


class ReviewDecisionView(StepView, ReviewQueueView):
    """POST: approve or return one value; refused for the person who entered it (403), a return without a comment
    (400) or a stale page (409), each with its message on the queue."""

    http_method_names = ["post"]
    form_class = ReviewForm
    invalid_status = 400
    renamed_errors = {"review_comment": "comment"}
    conflict_text = VALUE_CONFLICT

    def get_object(self):
        return get_object_or_404(IndicatorValue.objects.select_related("indicator", "park"), pk=self.kwargs["pk"])

    def perform(self, form):
        data = form.cleaned_data
        if data["decision"] == ReviewForm.APPROVE:
            return services.indicator_value_approve(
                value=self.object, user=self.request.user, expected_version=data["version"]
            )
        return services.indicator_value_return(
            value=self.object, user=self.request.user, comment=data["comment"], expected_version=data["version"]
        )

    def succeeded(self, value, form):
        if value.status == ValueStatus.APPROVED:
            messages.success(self.request, _("Approved “%(object)s”.") % {"object": value})
        else:
            messages.success(self.request, _("Returned “%(object)s” with your comment.") % {"object": value})
        next_url = form.cleaned_data.get("next")
        return redirect(safe_next(self.request, next_url, reverse("indicators:indicatorvalue_review")))

    def render_form(self, form, *, status, **context):
        # The queue again, with the refused decision's form at its value.
        context.update(failed=(self.object.pk, form), failed_value=self.object)
        return self.render_to_response(self.get_context_data(**context), status=status)
