"""The one list/detail/edit/delete pattern every app's views subclass, and the one path of a step through a service.

A list view names its Table and FilterSet; it then gets search (`q`), filters, sorting (`sort`), pagination
(`page`, `per_page`), a result count and `export=csv|xlsx` of exactly the filtered, sorted rows.

An edit or a step (a stage move, a status move, saving or reviewing a value) is a form whose valid data goes to a
service: `ServiceFormMixin` puts the service's ValidationError on the form, its PermissionDenied on the form with
403, and its StaleVersionError on the form with the 409 conflict page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DeleteView, DetailView, TemplateView, UpdateView

from parkadmin import audit, exports
from parkadmin.forms import add_errors
from parkadmin.history import object_history
from parkadmin.locking import StaleVersionError

PER_PAGE_CHOICES = (25, 50, 100, 200)

EDIT_CONFLICT = gettext_lazy(
    "%(who)s saved this record after you opened it. Nothing of yours was saved: "
    "open the current version and repeat your edit."
)


def permission_name(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def url_name(model, action: str) -> str:
    return f"{model._meta.app_label}:{model._meta.model_name}_{action}"


def optional_url(model, action: str, *args) -> str | None:
    """The URL of a model's page for `action`, or None where the app has no such page (read-only records)."""
    try:
        return reverse(url_name(model, action), args=args)
    except NoReverseMatch:
        return None


def import_url(model) -> str | None:
    """The import page of a model's records, where the import pipeline has a kind for it."""
    from parkadmin.imports.kinds import importer_for_model

    importer = importer_for_model(model)
    return reverse("imports:kind", args=[importer.kind]) if importer else None


class ModelPermissionMixin(PermissionRequiredMixin):
    """Requires the model permission for `permission_action`; a signed-in user without it gets 403."""

    raise_exception = True
    permission_action = "view"

    def get_permission_required(self):
        return (permission_name(self.model, self.permission_action),)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            model=self.model,
            opts=self.model._meta,
            can_add=user.has_perm(permission_name(self.model, "add")),
            can_change=user.has_perm(permission_name(self.model, "change")),
            can_delete=user.has_perm(permission_name(self.model, "delete")),
            list_url=reverse(url_name(self.model, "list")),
        )
        return context


class ParentMixin:
    """A record that belongs to another (a qualification to its enterprise): its pages link back to that record.

    `parent_field` names the foreign key. The parent is the record's own; on an add page, the one the page was
    opened for (`?enterprise=<id>` from the enterprise's page). It is linked only for users who may read it."""

    parent_field: str | None = None

    def parent_record(self):
        if self.parent_field is None:
            return None
        if getattr(self, "object", None) is not None:
            return getattr(self.object, self.parent_field)
        wanted = self.request.GET.get(self.parent_field, "")
        if not wanted.isdigit():
            return None
        related = self.model._meta.get_field(self.parent_field).related_model
        return related._default_manager.filter(pk=wanted).first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parent = self.parent_record()
        if parent is not None:
            opts = parent._meta
            may_read = self.request.user.has_perm(permission_name(parent, "view"))
            context.update(
                parent=parent,
                parent_opts=opts,
                parent_url=parent.get_absolute_url() if may_read else None,
                parent_list_url=optional_url(type(parent), "list") if may_read else None,
            )
        return context


class ObjectListView(ModelPermissionMixin, TemplateView):
    model = None
    table_class = None
    filterset_class = None
    template_name = "generic/object_list.html"
    per_page = 50
    export_name: str | None = None
    # How one table cell is drawn: by default `Cell.html`; a list with special columns names its own template,
    # which draws those and writes `{{ cell.html }}` for the others.
    cell_template: str | None = None

    def get(self, request, *args, **kwargs):
        self.table = self.table_class()
        self.filterset = self.filterset_class(request.GET or None, queryset=self.table.queryset(), request=request)
        queryset, self.sort = self.table.order(self.filterset.qs, request.GET.get("sort"))
        export = request.GET.get("export")
        if export:
            return self.export(export, queryset)
        self.queryset = queryset
        return super().get(request, *args, **kwargs)

    def export(self, kind: str, queryset):
        name = self.export_name or str(self.model._meta.verbose_name_plural)
        filename = exports.export_filename(name)
        writers = {"csv": exports.csv_response, "xlsx": exports.xlsx_response}
        if kind not in writers:
            return HttpResponseBadRequest(_("Unknown export format: use export=csv or export=xlsx."))
        audit.record_list_export(self.request, name, kind, queryset.count())
        return writers[kind](self.table, queryset, filename)

    def get_per_page(self) -> int:
        try:
            wanted = int(self.request.GET.get("per_page", self.per_page))
        except ValueError:
            return self.per_page
        return wanted if wanted in PER_PAGE_CHOICES else self.per_page

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(self.queryset, self.get_per_page())
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            table=self.table,
            filterset=self.filterset,
            filter_form=self.filterset.form,
            page_obj=page,
            rows=self.table.rows(page.object_list),
            sort=self.sort,
            per_page_choices=PER_PAGE_CHOICES,
            cell_template=self.cell_template,
            add_url=optional_url(self.model, "add") if context["can_add"] else None,
            import_url=import_url(self.model) if context["can_add"] else None,
            filtered=any(k not in ("page", "sort", "per_page") and v for k, v in self.request.GET.items()),
        )
        return context


class ObjectDetailView(ParentMixin, ModelPermissionMixin, DetailView):
    """A record with its fields (`fields`, default: every editable field but the version) and its history panel."""

    template_name = "generic/object_detail.html"
    fields: list[str] | None = None

    def detail_rows(self) -> list[tuple[str, object]]:
        from parkadmin.tables import Column

        obj = self.object
        names = self.fields or [
            f.name for f in obj._meta.concrete_fields if f.name not in ("id", "version") and f.editable
        ]
        rows = []
        for name in names:
            column = Column(name=name)
            rows.append((obj._meta.get_field(name).verbose_name, column.display(column.raw(obj))))
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(detail_rows=self.detail_rows(), history=object_history(self.object))
        if context["can_change"]:
            context["edit_url"] = optional_url(self.model, "edit", self.object.pk)
        if context["can_delete"]:
            context["delete_url"] = optional_url(self.model, "delete", self.object.pk)
        return context


def stale_message(text: str, conflict: StaleVersionError, unknown_editor: str | None = None) -> str:
    """`text` (with `%(who)s`) naming who saved the record meanwhile, or `unknown_editor` (default "Someone")."""
    return text % {"who": conflict.changed_by or (_("Someone") if unknown_editor is None else unknown_editor)}


class ServiceFormMixin:
    """A form whose valid data goes to a service (`perform`), and what the page answers for each outcome.

    The service's ValidationError → its errors on the form (`renamed_errors` maps a model field to the form's),
    answered as any invalid form (`invalid_status`); PermissionDenied → the reason on the form, 403;
    StaleVersionError → `conflict_text` naming who saved meanwhile on the form, 409, with `conflict` in the context
    (what changed, a link to the current version); success → `succeeded`.
    """

    conflict_text = EDIT_CONFLICT
    # Who the conflict message names when the history does not say (None: "Someone").
    unknown_editor: str | None = None
    invalid_status = 200
    renamed_errors: dict[str, str] | None = None
    # The context name of the form, for pages that show it beside others.
    form_context_name = "form"

    def perform(self, form):
        """Hand the form's data to the service; returns what `succeeded` needs."""
        raise NotImplementedError

    def succeeded(self, result, form) -> HttpResponse:
        raise NotImplementedError

    def conflict_message(self, conflict: StaleVersionError) -> str:
        return stale_message(self.conflict_text, conflict, self.unknown_editor)

    def render_form(self, form, *, status: int, **context) -> HttpResponse:
        context[self.form_context_name] = form
        return self.render_to_response(self.get_context_data(**context), status=status)

    def form_invalid(self, form) -> HttpResponse:
        return self.render_form(form, status=self.invalid_status)

    def form_valid(self, form) -> HttpResponse:
        try:
            result = self.perform(form)
        except ValidationError as error:
            add_errors(form, error, renamed=self.renamed_errors)
            return self.form_invalid(form)
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
            return self.render_form(form, status=403)
        except StaleVersionError as conflict:
            form.add_error(None, self.conflict_message(conflict))
            return self.render_form(form, status=409, conflict=conflict)
        return self.succeeded(result, form)


class StepView(ServiceFormMixin):
    """A POSTed step on a record (`get_object`; None for a new one): its form (`form_class`) → the service."""

    form_class = None

    def get_form(self):
        return self.form_class(self.request.POST)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)


class ObjectEditView(ServiceFormMixin, ParentMixin, ModelPermissionMixin, UpdateView):
    """Create (no pk in the URL) or edit a record; a stale edit is refused with what changed meanwhile."""

    template_name = "generic/object_edit.html"

    @property
    def permission_action(self) -> str:
        return "change" if "pk" in self.kwargs else "add"

    def get_object(self, queryset=None):
        return super().get_object(queryset) if "pk" in self.kwargs else None

    def get_initial(self):
        # "Add a qualification" from an enterprise's page arrives with ?enterprise=<id>: start from it.
        initial = super().get_initial()
        if self.object is None:
            form_fields = self.get_form_class().base_fields
            initial.update({k: v for k, v in self.request.GET.items() if k in form_fields and v.isdigit()})
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object:
            context["heading"] = _("Edit “%(name)s”") % {"name": self.object}
        else:
            context["heading"] = _("Add %(name)s") % {"name": self.model._meta.verbose_name}
        return context

    def perform(self, form):
        """The save itself: a view whose records are written through its app's service overrides this."""
        return form.save()

    def succeeded(self, result, form):
        self.object = result
        messages.success(self.request, _("Saved “%(object)s”.") % {"object": self.object})
        return redirect(self.object.get_absolute_url())


class ObjectDeleteView(ModelPermissionMixin, DeleteView):
    template_name = "generic/object_delete.html"
    permission_action = "delete"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Delete “%(name)s”") % {"name": self.object}
        return context

    def perform_delete(self) -> None:
        """The deletion itself: a view whose record is deleted through its app's service overrides this."""
        self.object.delete()

    def form_valid(self, form):
        label = str(self.object)
        try:
            self.perform_delete()
        except (ProtectedError, RestrictedError) as error:
            blockers = sorted({str(obj) for obj in error.args[1]})[:5]
            messages.error(
                self.request,
                _("“%(object)s” cannot be deleted while other records refer to it: %(blockers)s.")
                % {"object": label, "blockers": "、".join(blockers)},
            )
            return redirect(self.object.get_absolute_url())
        messages.success(self.request, _("Deleted “%(object)s”.") % {"object": label})
        return redirect(reverse(url_name(self.model, "list")))
