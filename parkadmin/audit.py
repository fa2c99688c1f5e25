"""The export audit: every list exported to a file is recorded (parkadmin.models.ListExport), as reports are."""

from __future__ import annotations

from urllib.parse import urlencode

from parkadmin.models import ListExport


def record_list_export(request, list_name: str, file_format: str, rows: int) -> ListExport:
    """Record who exported which list with which filters (the query less `export`), in which format, how many rows."""
    query = [(key, value) for key, values in request.GET.lists() if key != "export" for value in values]
    return ListExport.objects.create(
        user=request.user if request.user.is_authenticated else None,
        list_name=list_name[:100],
        path=request.path[:255],
        filters=urlencode(query),
        format=file_format,
        rows=rows,
    )
