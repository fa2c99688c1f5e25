"""The import pages: choose a kind, download its template, upload a file, read the preview (a dry run), confirm.

Between preview and confirmation the upload waits in a server-side temporary file named by a random token that only
the uploader's session knows; confirming imports that same file, and removes it.
"""

from __future__ import annotations

import io
import re
import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from parkadmin.exports import XLSX_CONTENT_TYPE
from parkadmin.forms import StyledForm
from parkadmin.generic import optional_url
from parkadmin.imports.kinds import importable, registry
from parkadmin.imports.pipeline import record_run
from parkadmin.imports.reading import megabytes
from parkadmin.imports.results import CREATED, UNCHANGED, UPDATED, ImportResult
from parkadmin.imports.templates import template_workbook as write_template
from parkadmin.models import ImportRecord

SESSION_KEY = "pending_imports"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
# Uploads waiting for confirmation longer than this are removed.
PENDING_SECONDS = 24 * 3600
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


def upload_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "parkadmin-imports"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _remove_stale_uploads() -> None:
    cutoff = time.time() - PENDING_SECONDS
    for path in upload_dir().glob("*.upload"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


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
    status: int = 200,
):
    context = {
        "upload_error": upload_error,
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
    _remove_stale_uploads()
    token = secrets.token_urlsafe(24)
    path = upload_dir() / f"{token}.upload"
    with path.open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    importer = importer_class(user=request.user)
    result = importer.run(path, name=upload.name, dry_run=True)
    record_run(result, user=request.user, via="web")
    if not result.ok or not (result.created or result.updated):
        path.unlink(missing_ok=True)
        token = ""
    else:
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {"kind": importer_class.kind, "name": upload.name}
        request.session[SESSION_KEY] = pending
    return _page(request, importer_class, UploadForm(), result, token, status=200 if result.ok else 422)


def _confirm(request, importer_class):
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(token, None) if TOKEN.match(token) else None
    request.session[SESSION_KEY] = pending
    path = upload_dir() / f"{token}.upload"
    if entry is None or entry["kind"] != importer_class.kind or not path.is_file():
        messages.error(request, _("The uploaded file is no longer waiting for confirmation: upload it again."))
        return redirect(reverse("imports:kind", args=[importer_class.kind]))
    importer = importer_class(user=request.user)
    try:
        result = importer.run(path, name=entry["name"], dry_run=False)
    finally:
        path.unlink(missing_ok=True)
    record_run(result, user=request.user, via="web")
    if not result.written:
        # The records changed since the preview: show what is wrong now.
        return _page(request, importer_class, UploadForm(), result, status=409)
    messages.success(request, result.summary())
    return redirect(optional_url(importer_class.model, "list") or reverse("imports:index"))
