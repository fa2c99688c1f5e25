"""The entry grid (/indicators/entry/): every indicator of one year and park on one page, saved all or none."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from indicators import selectors, services
from indicators.checks import YOY_WARNING_PCT
from indicators.choices import ValueStatus
from indicators.forms import SUBMIT, EntryRowForm, EntrySelectionForm
from indicators.models import Indicator, IndicatorValue
from indicators.tables import change_class, plain_decimal
from indicators.views.common import VALUE_PERMISSIONS, conflict_message, kept_explanation, status_labels
from parkadmin.formatting import growth_pct, to_decimal
from parkadmin.generic import ModelPermissionMixin
from parkadmin.locking import StaleVersionError


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

    def entry(self) -> services.GridEntry:
        """What the row's form asks to save."""
        data = self.form.cleaned_data
        return services.GridEntry(
            indicator=self.indicator,
            value=data["value"],
            source=data["source"].strip(),
            note=data["note"],
            explanation=kept_explanation(data["explanation"], self.existing, data["value"]),
            existing=self.existing,
            expected_version=data["version"],
        )

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

    def refused_by(self, error: Exception) -> None:
        """Show why the grid's service refused this row: a conflict (the row is stale), else the checks' errors, with
        the warnings that want an explanation beside the explanation field."""
        self.refused = True
        if isinstance(error, StaleVersionError):
            self.stale = True
            self.form.add_error(None, conflict_message(error))
            return
        if isinstance(error, services.ValueDeleted):
            self.stale = True
            self.form.add_error(None, _("This value was deleted after you opened the grid; nothing was saved."))
            return
        errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for name, messages_ in errors.items():
            if name == "explanation":
                self.warnings.extend(messages_)
                self.form.mark_invalid("explanation")
            else:
                self.form.add_error(name if name in ("value", "note", "source") else None, messages_)


def entry_initial(existing: IndicatorValue | None) -> dict:
    if existing is None:
        return {}
    return {
        "value": plain_decimal(existing.value),
        "note": existing.note,
        "source": existing.source,
        "version": existing.version,
    }


class EntryGridView(ModelPermissionMixin, TemplateView):
    """/indicators/entry/?year=&park=: one row per indicator for one year and park (or the whole zone).

    Every non-empty, changed row is saved by indicators.services.indicator_values_save_grid in one transaction: if
    any row has an error, an unexplained warning or a conflict, nothing is saved and each bad row shows why.
    """

    model = IndicatorValue
    template_name = "indicators/entry_grid.html"

    def get_permission_required(self):
        return VALUE_PERMISSIONS

    def selection(self) -> EntrySelectionForm:
        data = {
            "year": self.request.GET.get("year") or selectors.default_entry_year(),
            "park": self.request.GET.get("park", ""),
        }
        return EntrySelectionForm(data)

    def rows(self, year: int, park, data=None) -> list[EntryRow]:
        rows = []
        for line in selectors.entry_grid(year=year, park=park):
            if not line.reported:
                rows.append(EntryRow(line.indicator, computed=line.computed))
                continue
            form = EntryRowForm(data, prefix=line.indicator.code, initial=entry_initial(line.existing))
            rows.append(
                EntryRow(
                    line.indicator,
                    form=form,
                    existing=line.existing,
                    previous=line.previous,
                    twin=line.twin,
                    twin_value=line.twin_value,
                )
            )
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
        """The rows that want saving, saved all or none; None when any was refused (each refused row says why)."""
        wanted = [row for row in rows if row.form is not None and row.wants_save(submit)]
        try:
            return services.indicator_values_save_grid(
                entries=[row.entry() for row in wanted], year=year, park=park, user=self.request.user, submit=submit
            )
        except services.GridRefused as refused:
            for position, error in refused.refusals.items():
                wanted[position].refused_by(error)
            return None

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
