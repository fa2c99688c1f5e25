"""Pages of the indicators app: definitions with their series, values (entry grid, review queue) and targets.

Every write of a value goes through indicators.services, which runs the checks at entry and the review rules.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from indicators import selectors, services
from indicators.charts import series_chart
from indicators.checks import YOY_WARNING_PCT, check_value
from indicators.choices import Kind, ValueStatus
from indicators.filtersets import IndicatorFilterSet, IndicatorValueFilterSet, TargetFilterSet
from indicators.forms import (
    SUBMIT,
    EntryRowForm,
    EntrySelectionForm,
    IndicatorForm,
    IndicatorValueForm,
    ReviewForm,
    SeriesFilterForm,
    TargetForm,
)
from indicators.models import Indicator, IndicatorValue, Target
from indicators.tables import (
    IndicatorTable,
    IndicatorValueTable,
    TargetTable,
    change_class,
    format_value,
    plain_decimal,
)
from parkadmin import computed as computed_indicators
from parkadmin.charts import figure_data
from parkadmin.formatting import growth_pct, to_decimal
from parkadmin.forms import add_errors, safe_next
from parkadmin.generic import ModelPermissionMixin, ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from parkadmin.history import history_entries
from parkadmin.locking import StaleVersionError, stale_error
from parkadmin.memo import memo_scope

VALUE_PERMISSIONS = ("indicators.add_indicatorvalue", "indicators.change_indicatorvalue")
REVIEW_PERMISSION = "indicators.approve_indicatorvalue"
PENDING_STATUSES = (ValueStatus.DRAFT, ValueStatus.SUBMITTED, ValueStatus.RETURNED)


def can_enter_values(user) -> bool:
    return user.has_perms(VALUE_PERMISSIONS)


def status_labels() -> dict[str, str]:
    return {**{status.value: str(status.label) for status in ValueStatus}, "computed": _("computed")}


def conflict_message(conflict: StaleVersionError) -> str:
    return _(
        "%(who)s saved this value after you opened it. Nothing of yours was saved: "
        "open the current version and repeat your edit."
    ) % {"who": conflict.changed_by or _("Someone")}


def kept_explanation(typed: str, existing: IndicatorValue | None, value: Decimal) -> str:
    """What is typed; else, for an unchanged value, the explanation on record. An explanation belongs to its value:
    a new value is never let through on the old value's explanation."""
    typed = typed.strip()
    if typed or existing is None or existing.value != value:
        return typed
    return existing.explanation


def default_entry_year() -> int:
    """The year after the latest approved data (the one being collected), but never a year still to come."""
    current = timezone.localdate().year
    latest = selectors.latest_year_with_approved_data(default=current - 1)
    return min(latest + 1, current)


def tidy_rows(obj, fields: list[str], rows: list[tuple]) -> list[tuple]:
    """A record's detail rows with values in the indicator's decimals and unit, bounds without trailing zeros and an
    empty park read as the whole zone (`rows` come in the order of `fields`)."""
    tidy = []
    for name, (label, text) in zip(fields, rows, strict=True):
        if name == "value":
            text = format_value(obj.indicator, obj.value)
        elif name in ("min_value", "max_value") and getattr(obj, name) is not None:
            text = plain_decimal(getattr(obj, name))
        elif name == "park" and not obj.park_id:
            text = _("whole zone")
        tidy.append((label, text))
    return tidy


# --- indicators -----------------------------------------------------------------------------------------------


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


@dataclass
class YearRow:
    year: int
    value: Decimal | None = None
    status: str = ""
    yoy_pct: Decimal | None = None
    target: Decimal | None = None
    completion_pct: Decimal | None = None
    record: IndicatorValue | None = None
    twin_value: Decimal | None = None
    status_label: str = ""
    yoy_class: str = ""

    @property
    def pending(self) -> bool:
        return self.status in PENDING_STATUSES

    @property
    def show_explanation(self) -> bool:
        """Pending values and unusual changes show why they are right; routine ones keep the table short."""
        if self.record is None or not self.record.explanation:
            return False
        return self.pending or (self.yoy_pct is not None and abs(self.yoy_pct) > YOY_WARNING_PCT)


def reconciliation_pair(indicator: Indicator) -> tuple[Indicator | None, Indicator | None]:
    """(reported, computed) of the measure `indicator` belongs to, where it has a twin; else (None, None)."""
    if indicator.kind == Kind.COMPUTED:
        reported = Indicator.objects.filter(code=indicator.reconciles, kind=Kind.REPORTED).first()
        return (reported, indicator) if reported else (None, None)
    computed = Indicator.objects.filter(kind=Kind.COMPUTED, reconciles=indicator.code).order_by("sort_order").first()
    return (indicator, computed) if computed else (None, None)


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
        records = {}
        if indicator.kind == Kind.REPORTED:
            visible = selectors.visible_values(include_pending=include_pending).filter(indicator=indicator)
            records = {v.year: v for v in selectors.at_park(visible, park).select_related("entered_by", "approved_by")}
        targets = dict(selectors.at_park(Target.objects.filter(indicator=indicator), park).values_list("year", "value"))
        reported, computed = reconciliation_pair(indicator)
        twin = computed if indicator.kind == Kind.REPORTED else reported
        twin_values = self.twin_values(indicator, twin, series, park, include_pending)

        rows = {p["year"]: YearRow(p["year"], p["value"], p["status"], p["yoy_pct"]) for p in series["points"]}
        for year in targets:
            rows.setdefault(year, YearRow(year))
        for year, row in rows.items():
            row.record = records.get(year)
            row.target = targets.get(year)
            row.completion_pct = selectors.completion_pct(indicator, row.value, row.target)
            row.twin_value = twin_values.get(year)
        labels = status_labels()
        year_rows = [rows[year] for year in sorted(rows)]
        for row in year_rows:
            row.status_label = labels.get(row.status, "")
            row.yoy_class = change_class(row.yoy_pct, indicator.higher_is_better)
        figure = None
        if series["points"] or twin_values:
            figure = figure_data(
                series_chart(
                    name=indicator.name,
                    unit=indicator.unit,
                    points=series["points"],
                    reversed_axis=indicator.is_ranking,
                    decimals=indicator.decimals,
                    twin_name=str(twin.name) if twin else "",
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
            entry_year=default_entry_year(),
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
    def twin_values(indicator, twin, series, park, include_pending) -> dict[int, Decimal | None]:
        if twin is None:
            return {}
        if twin.kind == Kind.COMPUTED:
            return {p["year"]: computed_indicators.compute(twin.code, p["year"], park) for p in series["points"]}
        values = selectors.series_values(twin, park=park, include_pending=include_pending)
        return {year: value for year, value, _status in values}

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


# --- values -------------------------------------------------------------------------------------------------


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


class IndicatorValueEditView(ModelPermissionMixin, TemplateView):
    """Create or edit one value through indicator_value_save: errors refuse it, a warning asks for an explanation.
    'Save as draft' or 'Submit for review'; a stale edit is refused (409)."""

    model = IndicatorValue
    template_name = "indicators/indicatorvalue_form.html"

    @property
    def permission_action(self) -> str:
        return "change" if "pk" in self.kwargs else "add"

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if "pk" in kwargs:
            self.object = get_object_or_404(IndicatorValue.objects.select_related("indicator", "park"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

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
            initial = {k: request.GET[k] for k in ("indicator", "park", "year") if request.GET.get(k)}
        form = IndicatorValueForm(instance=self.object, initial=initial)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = IndicatorValueForm(request.POST, instance=self.object)
        status = 200
        if form.is_valid():
            data = form.cleaned_data
            try:
                value = services.indicator_value_save(
                    indicator=data["indicator"],
                    year=data["year"],
                    park=data["park"],
                    value=data["value"],
                    source=data["source"].strip(),
                    note=data["note"],
                    explanation=kept_explanation(data["explanation"], self.object, data["value"]),
                    user=request.user,
                    submit=request.POST.get("action") == SUBMIT,
                    instance=self.object,
                    expected_version=data["version"],
                )
            except ValidationError as error:
                add_errors(form, error)
            except PermissionDenied as refusal:
                form.add_error(None, str(refusal))
                status = 403
            except StaleVersionError as conflict:
                form.add_error(None, conflict_message(conflict))
                status = 409
                return self.render_to_response(self.get_context_data(form=form, conflict=conflict), status=status)
            else:
                messages.success(
                    request,
                    _("Saved “%(object)s” (%(status)s).") % {"object": value, "status": value.get_status_display()},
                )
                return redirect(value.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=status)


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


# --- the entry grid -------------------------------------------------------------------------------------------


@dataclass
class EntryRow:
    """One indicator in the entry grid: its form (reported) or its computed value (read-only)."""

    indicator: Indicator
    form: EntryRowForm | None = None
    existing: IndicatorValue | None = None
    previous: IndicatorValue | None = None
    computed: Decimal | None = None
    twin: Indicator | None = None
    twin_value: Decimal | None = None
    warnings: list[str] = field(default_factory=list)
    refused: bool = False
    stale: bool = False
    saved: bool = False

    @property
    def current(self) -> Decimal | None:
        if self.form is None:
            return self.computed
        if self.form.is_bound:
            return to_decimal((self.form["value"].value() or "").strip())
        return self.existing.value if self.existing else None

    @property
    def yoy_pct(self) -> Decimal | None:
        return growth_pct(self.current, self.previous.value if self.previous else None)

    @property
    def yoy_class(self) -> str:
        change = self.yoy_pct
        if change is not None and abs(change) > YOY_WARNING_PCT:
            return "pa-yoy-warn"
        return change_class(change, self.indicator.higher_is_better)

    @property
    def show_explanation(self) -> bool:
        if self.form is None:
            return False
        return bool(self.warnings or (self.form["explanation"].value() or "").strip())

    def explanation(self) -> str:
        return kept_explanation(self.form.cleaned_data["explanation"], self.existing, self.form.cleaned_data["value"])

    def wants_save(self, submit: bool) -> bool:
        """Empty rows are skipped, and so are unchanged ones unless a draft or returned value is being submitted."""
        data = self.form.cleaned_data
        if data["value"] is None:
            return False
        existing = self.existing
        if existing is None:
            return True
        unchanged = (
            existing.value == data["value"]
            and existing.note == data["note"]
            and existing.source == data["source"].strip()
            and data["explanation"].strip() in ("", existing.explanation)
        )
        if not unchanged:
            return True
        return submit and existing.status in (ValueStatus.DRAFT, ValueStatus.RETURNED)

    def refuse(self, error: ValidationError) -> None:
        self.refused = True
        errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for name, messages_ in errors.items():
            if name == "explanation":
                self.warnings.extend(messages_)
                self.form.mark_invalid("explanation")
            else:
                self.form.add_error(name if name in ("value", "note", "source") else None, messages_)

    def conflict(self, message: str) -> None:
        self.refused = self.stale = True
        self.form.add_error(None, message)


class _NothingSaved(Exception):
    """Raised inside the grid's transaction to roll back every row once any row is refused."""


class EntryGridView(ModelPermissionMixin, TemplateView):
    """/indicators/entry/?year=&park=: one row per indicator for one year and park (or the whole zone).

    Every non-empty, changed row is saved through indicator_value_save in one transaction: if any row has an error,
    an unexplained warning or a conflict, nothing is saved and each bad row shows why.
    """

    model = IndicatorValue
    template_name = "indicators/entry_grid.html"

    def get_permission_required(self):
        return VALUE_PERMISSIONS

    def selection(self) -> EntrySelectionForm:
        data = {"year": self.request.GET.get("year") or default_entry_year(), "park": self.request.GET.get("park", "")}
        return EntrySelectionForm(data)

    def rows(self, year: int, park, data=None) -> list[EntryRow]:
        indicators = list(Indicator.objects.all())
        reported = [i for i in indicators if i.kind == Kind.REPORTED]
        values = selectors.at_park(
            IndicatorValue.objects.filter(year__in=(year, year - 1), indicator__kind=Kind.REPORTED), park
        ).select_related("entered_by")
        current, previous = {}, {}
        for value in values:
            if value.year == year:
                current[value.indicator_id] = value
            elif value.status != ValueStatus.RETURNED:
                previous[value.indicator_id] = value
        computed = {}
        with memo_scope():
            for indicator in indicators:
                if indicator.kind == Kind.COMPUTED and indicator.code in computed_indicators.REGISTRY:
                    computed[indicator.code] = computed_indicators.compute(indicator.code, year, park)
        twins = {i.reconciles: i for i in indicators if i.kind == Kind.COMPUTED and i.reconciles and i.code in computed}
        rows = []
        for indicator in reported:
            existing = current.get(indicator.pk)
            initial = {}
            if existing is not None:
                initial = {
                    "value": plain_decimal(existing.value),
                    "note": existing.note,
                    "source": existing.source,
                    "version": existing.version,
                }
            twin = twins.get(indicator.code)
            rows.append(
                EntryRow(
                    indicator,
                    form=EntryRowForm(data, prefix=indicator.code, initial=initial),
                    existing=existing,
                    previous=previous.get(indicator.pk),
                    twin=twin,
                    twin_value=computed.get(twin.code) if twin else None,
                )
            )
        rows += [
            EntryRow(indicator, computed=computed.get(indicator.code))
            for indicator in indicators
            if indicator.kind == Kind.COMPUTED and indicator.code in computed
        ]
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = kwargs.get("rows") or []
        context.update(
            reported_rows=[row for row in rows if row.form is not None],
            computed_rows=[row for row in rows if row.form is None],
            refused_count=sum(1 for row in rows if row.refused or (row.form is not None and row.form.errors)),
            status_labels=status_labels(),
            can_submit=self.request.user.has_perm(services.SUBMIT_PERMISSION),
        )
        return context

    def get(self, request, *args, **kwargs):
        selection = self.selection()
        rows = []
        if selection.is_valid():
            rows = self.rows(selection.cleaned_data["year"], selection.cleaned_data["park"])
        return self.render_to_response(self.get_context_data(selection=selection, rows=rows))

    def post(self, request, *args, **kwargs):
        selection = self.selection()
        if not selection.is_valid():
            return self.render_to_response(self.get_context_data(selection=selection, rows=[]), status=400)
        year, park = selection.cleaned_data["year"], selection.cleaned_data["park"]
        rows = self.rows(year, park, data=request.POST)
        submit = request.POST.get("action") == SUBMIT
        valid = [row.form.is_valid() for row in rows if row.form is not None]
        if all(valid):
            saved = self.save(rows, year=year, park=park, submit=submit)
            if saved is not None:
                self.report(saved, submit)
                query = {"year": year, "park": park.code if park else ""}
                return redirect(f"{request.path}?{urlencode(query)}")
        # Refused like any invalid form (200), or 409 when a row was changed by someone else meanwhile.
        status = 409 if any(row.stale for row in rows) else 200
        return self.render_to_response(self.get_context_data(selection=selection, rows=rows), status=status)

    def save(self, rows: list[EntryRow], *, year: int, park, submit: bool) -> list[IndicatorValue] | None:
        saved = []
        try:
            with transaction.atomic():
                for row in rows:
                    if row.form is None or not row.wants_save(submit):
                        continue
                    data = row.form.cleaned_data
                    try:
                        # A stale version of a row is the service's to refuse; what it cannot know is whether the row
                        # was empty when the grid was opened.
                        if row.existing is None and data["version"] is not None:
                            raise _GoneMeanwhile
                        if row.existing is not None and data["version"] is None:
                            raise stale_error(row.existing, 0)  # entered by someone else meanwhile
                        saved.append(
                            services.indicator_value_save(
                                indicator=row.indicator,
                                year=year,
                                park=park,
                                value=data["value"],
                                source=data["source"].strip(),
                                note=data["note"],
                                explanation=row.explanation(),
                                user=self.request.user,
                                submit=submit,
                                instance=row.existing,
                                expected_version=data["version"],
                            )
                        )
                        row.saved = True
                    except ValidationError as error:
                        row.refuse(error)
                    except StaleVersionError as conflict:
                        row.conflict(conflict_message(conflict))
                    except _GoneMeanwhile:
                        row.conflict(_("This value was deleted after you opened the grid; nothing was saved."))
                if any(row.refused for row in rows):
                    raise _NothingSaved
        except _NothingSaved:
            for row in rows:
                row.saved = False
            return None
        return saved

    def report(self, saved: list[IndicatorValue], submit: bool) -> None:
        count = len(saved)
        if not count:
            messages.info(self.request, _("Nothing to save: every row is empty or unchanged."))
        elif submit:
            messages.success(
                self.request,
                ngettext("Submitted %(count)d value for review.", "Submitted %(count)d values for review.", count)
                % {"count": count},
            )
        else:
            messages.success(
                self.request,
                ngettext("Saved %(count)d value as a draft.", "Saved %(count)d values as drafts.", count)
                % {"count": count},
            )


class _GoneMeanwhile(Exception):
    pass


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
            others = {y: v for y, v in series[(value.indicator_id, value.park_id)].items() if y != value.year}
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
            IndicatorValue.objects.filter(indicator_id__in={v.indicator_id for v in values})
            .exclude(status=ValueStatus.RETURNED)
            .values_list("indicator_id", "park_id", "year", "value")
        )
        for indicator_id, park_id, year, amount in rows:
            series[(indicator_id, park_id)][year] = amount
        return series


class ReviewDecisionView(ReviewQueueView):
    """POST: approve or return one value; refused for the person who entered it (403), a return without a comment
    (400) or a stale page (409), each with its message on the queue."""

    http_method_names = ["post"]

    def post(self, request, pk):
        value = get_object_or_404(IndicatorValue.objects.select_related("indicator", "park"), pk=pk)
        form = ReviewForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == ReviewForm.APPROVE:
                    services.indicator_value_approve(value=value, user=request.user, expected_version=data["version"])
                else:
                    services.indicator_value_return(
                        value=value, user=request.user, comment=data["comment"], expected_version=data["version"]
                    )
            except PermissionDenied as refusal:
                form.add_error(None, str(refusal))
                status = 403
            except ValidationError as error:
                add_errors(form, error, renamed={"review_comment": "comment"})
            except StaleVersionError as conflict:
                form.add_error(None, conflict_message(conflict))
                status = 409
            else:
                if value.status == ValueStatus.APPROVED:
                    messages.success(request, _("Approved “%(object)s”.") % {"object": value})
                else:
                    messages.success(request, _("Returned “%(object)s” with your comment.") % {"object": value})
                return redirect(safe_next(request, data.get("next"), reverse("indicators:indicatorvalue_review")))
        context = self.get_context_data(failed=(value.pk, form), failed_value=value)
        return self.render_to_response(context, status=status)


# --- targets --------------------------------------------------------------------------------------------------


class TargetListView(ObjectListView):
    model = Target
    table_class = TargetTable
    filterset_class = TargetFilterSet
    export_name = "targets"


class TargetDetailView(ObjectDetailView):
    model = Target
    queryset = Target.objects.select_related("indicator", "park")

    fields = ["indicator", "park", "year", "value", "source", "note"]

    def detail_rows(self):
        return tidy_rows(self.object, self.fields, super().detail_rows())


class TargetEditView(ObjectEditView):
    model = Target
    form_class = TargetForm


class TargetDeleteView(ObjectDeleteView):
    model = Target
