"""The import pages: choose a kind, download its template, upload a file, read the preview (a dry run), confirm.

Between preview and confirmation the upload waits in the database under a random token that only its uploader can
confirm (`pending.py`: a quota per user, removed after a day); confirming claims it in the same transaction as the
import, so it is imported once: a repeated confirmation answers that the file was already imported.
"""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from parkadmin.exports import XLSX_CONTENT_TYPE
from parkadmin.forms import StyledForm
from parkadmin.generic import optional_url
from parkadmin.imports import pending
from parkadmin.imports.kinds import importable, registry
from parkadmin.imports.pipeline import record_run
from parkadmin.imports.reading import megabytes
from parkadmin.imports.results import CREATED, UNCHANGED, UPDATED, ImportResult
from parkadmin.imports.templates import template_workbook as write_template
from parkadmin.models import ImportRecord

# How many created/updated rows, and how many reasons for refused rows, a preview lists (then how many more).
PREVIEW_ROWS = 200
PREVIEW_ERRORS = 200
# Room for the multipart envelope around the file itself.
ENVELOPE_BYTES = 64 * 1024


class UploadForm(StyledForm):
    file = forms.FileField(label=gettext_lazy("File (.xlsx or .csv)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv,text/csv"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(too_large_message())
        return upload


def too_large_message() -> str:
    return _("The file is too large: files of at most %(limit)s MB can be imported.") % {
        "limit": megabytes(settings.IMPORT_MAX_BYTES)
    }


def _importer_class(request, kind: str):
    importer_class = registry().get(kind)
    if importer_class is None:
        raise Http404
    if not request.user.has_perm(importer_class.permission()):
        raise PermissionDenied
    return importer_class


@require_GET
def index(request):
    """The kinds this user may import, each with its template, and the latest imports."""
    kinds = importable(request.user)
    if not kinds:
        raise PermissionDenied
    records = ImportRecord.objects.select_related("user")[:30]
    titles = {importer.kind: importer.title() for importer in registry().values()}
    for record in records:
        record.kind_title = titles.get(record.kind, record.kind)
    return render(request, "imports/index.html", {"kinds": kinds, "records": records})


@require_GET
def template_download(request, kind: str):
    importer_class = _importer_class(request, kind)
    buffer = io.BytesIO()
    write_template(importer_class, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{kind}-template.xlsx")
    return response


@require_http_methods(["GET", "POST"])
def import_kind(request, kind: str):
    """GET: the upload form. POST a file: the preview. POST a token: import the previewed file."""
    importer_class = _importer_class(request, kind)
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, importer_class)
    if request.method == "POST":
        return _preview(request, importer_class)
    return _page(request, importer_class, UploadForm())


def _page(
    request,
    importer_class,
    form,
    result: ImportResult | None = None,
    token: str = "",
    *,
    upload_error: str = "",
    done=None,
    status: int = 200,
):
    context = {
        "upload_error": upload_error,
        "done": done,
        "importer": importer_class,
        "title": importer_class.title(),
        "form": form,
        "result": result,
        "token": token,
        "list_url": optional_url(importer_class.model, "list"),
        "columns": importer_class.columns,
    }
    if result is not None:
        context.update(
            shown_errors=result.errors[:PREVIEW_ERRORS],
            more_errors=max(0, result.errors.total - PREVIEW_ERRORS),
            shown_outcomes=[o for o in result.outcomes if o.action != UNCHANGED][:PREVIEW_ROWS],
            more_outcomes=max(0, result.created + result.updated - PREVIEW_ROWS),
            CREATED=CREATED,
            UPDATED=UPDATED,
        )
    return render(request, "imports/import.html", context, status=status)


def _preview(request, importer_class):
    # Refuse an oversized body before Django reads it: a form error, not a spooled gigabyte.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.IMPORT_MAX_BYTES + ENVELOPE_BYTES:
        return _page(request, importer_class, UploadForm(), upload_error=too_large_message(), status=413)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, importer_class, form, status=400)
    upload = form.cleaned_data["file"]
    # The upload is in memory (FILE_UPLOAD_MAX_MEMORY_SIZE is above the import limit): nothing goes to disk.
    data = upload.read()
    importer = importer_class(user=request.user)
    result = importer.run(io.BytesIO(data), name=upload.name, dry_run=True)
    record_run(result, user=request.user, via="web")
    token = ""
    if result.ok and (result.created or result.updated):
        kept, replaced = pending.keep(user=request.user, kind=importer_class.kind, name=upload.name, data=data)
        token = kept.token
        if replaced:
            messages.info(request, replaced_message(replaced))
    return _page(request, importer_class, UploadForm(), result, token, status=200 if result.ok else 422)


def replaced_message(names: list[str]) -> str:
    return ngettext(
        "At most %(count)s files wait for confirmation at a time (%(size)s MB together): the oldest one waiting, "
        "%(names)s, was replaced by this one. To import it, upload it again.",
        "At most %(count)s files wait for confirmation at a time (%(size)s MB together): the oldest ones waiting, "
        "%(names)s, were replaced by this one. To import them, upload them again.",
        len(names),
    ) % {
        "count": settings.IMPORT_PENDING_MAX_COUNT,
        "size": megabytes(pending.byte_quota()),
        "names": "、".join(f"“{name}”" for name in names),
    }


def _confirm(request, importer_class):
    confirmation = pending.confirm(
        user=request.user, importer_class=importer_class, token=request.POST.get("token", "")
    )
    if confirmation.outcome == pending.UNKNOWN:
        messages.error(request, _("The uploaded file is no longer waiting for confirmation: upload it again."))
        return redirect(reverse("imports:kind", args=[importer_class.kind]))
    if confirmation.outcome == pending.ALREADY_IMPORTED:
        # A repeated confirmation (a double click, a reload): say so, with the way to the records.
        return _page(request, importer_class, UploadForm(), done=_done(confirmation.pending, importer_class))
    result = confirmation.result
    if confirmation.outcome == pending.REFUSED:
        # The records changed since the preview: show what is wrong now.
        return _page(request, importer_class, UploadForm(), result, status=409)
    messages.success(request, result.summary())
    return redirect(_result_url(importer_class))


def _result_url(importer_class) -> str:
    return optional_url(importer_class.model, "list") or reverse("imports:index")


def _done(upload, importer_class) -> dict:
    record = upload.record
    if record is None:
        summary = upload.summary
    else:
        summary = _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % {
            "created": record.created,
            "updated": record.updated,
            "unchanged": record.unchanged,
        }
    return {
        "file_name": upload.file_name,
        "when": upload.imported_at,
        "summary": summary,
        "url": _result_url(importer_class),
    }
