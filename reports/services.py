"""Writing a report to a file and recording who did it: the one path for the reports page and `export_report`."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass

from django.db import transaction

from parkadmin.exports import XLSX_CONTENT_TYPE
from parks.models import Park
from reports.content import Report
from reports.data import annual_report_data
from reports.models import ReportExport
from reports.pdf import write_report_pdf
from reports.xlsx import write_report_xlsx

logger = logging.getLogger("reports")

WRITERS = {
    ReportExport.Format.XLSX: (write_report_xlsx, XLSX_CONTENT_TYPE),
    ReportExport.Format.PDF: (write_report_pdf, "application/pdf"),
}
UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass
class Written:
    report: Report
    record: ReportExport


def file_name(report: Report, fmt: str) -> str:
    """'怀化高新区 annual report 2019.xlsx': the report's title, made safe for any file system."""
    stem = UNSAFE_IN_FILE_NAMES.sub("_", report.title).strip(" .") or "report"
    return f"{stem}.{fmt}"


def annual_report_export(
    *, year: int, park: Park | None, fmt: str, target, user=None, via: str = ReportExport.Via.WEB
) -> Written:
    """Gather the figures, write them to `target` (a path or a binary file) and record the export."""
    writer, _content_type = WRITERS[ReportExport.Format(fmt)]
    started = time.perf_counter()
    report = annual_report_data(year, park, user=user)
    writer(report, target)
    duration_ms = round((time.perf_counter() - started) * 1000)
    size = _size(target)
    with transaction.atomic():
        record = ReportExport.objects.create(
            report="annual",
            year=year,
            park_code=report.park_code,
            format=fmt,
            via=via,
            user=user if user is not None and user.is_authenticated else None,
            file_name=file_name(report, fmt),
            size_bytes=size,
            duration_ms=duration_ms,
        )
    logger.info(
        "annual report %s for %s exported as %s by %s via %s (%s bytes, %s ms)",
        year,
        report.park_code or "the whole zone",
        fmt,
        user.get_username() if user is not None else "-",
        via,
        size,
        duration_ms,
    )
    return Written(report, record)


def _size(target) -> int:
    if hasattr(target, "tell"):
        return target.tell()
    from pathlib import Path

    return Path(target).stat().st_size
