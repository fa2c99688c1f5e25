"""`manage.py export_report --year YEAR [--park CODE] --format xlsx|pdf --output PATH`: the annual report to a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import translation

from reports.models import ReportExport
from reports.pdf import PdfFontError


class Command(BaseCommand):
    help = (
        "Write the annual report for a year (and optionally a park) as XLSX or PDF; the export is recorded. "
        "Exits non-zero with a one-line message on any error."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="The report's year, e.g. 2019.")
        parser.add_argument("--park", default="", help="A park's code (default: the whole zone).")
        parser.add_argument(
            "--format", required=True, choices=[f.value for f in ReportExport.Format], help="xlsx or pdf."
        )
        parser.add_argument("--output", required=True, help="The file to write (replaced if it exists).")

    def handle(self, *args, year: int, park: str, format: str, output: str, **options):
        from parks.models import Park
        from reports.services import annual_report_export

        if not 1990 <= year <= 2100:
            raise CommandError(f"Year {year} is out of range (1990–2100).")
        target = Path(output)
        if target.is_dir():
            raise CommandError(f"{output} is a directory; give a file name.")
        if not target.parent.is_dir():
            raise CommandError(f"Cannot write {output}: the directory {target.parent} does not exist.")
        # The report reads in the site's language (Chinese), as the pages do by default.
        with translation.override(settings.LANGUAGE_CODE):
            try:
                chosen = Park.objects.filter(code=park).first() if park else None
                if park and chosen is None:
                    known = ", ".join(Park.objects.order_by("code").values_list("code", flat=True)) or "none"
                    raise CommandError(f"Unknown park code “{park}” (known codes: {known}).")
                written = self.write(target, year, chosen, format, annual_report_export)
            except DatabaseError as error:
                raise CommandError(f"Could not read the database: {error}. Run `manage.py migrate` first?") from error
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from error
            except PdfFontError as error:
                raise CommandError(str(error)) from error
        record = written.record
        self.stdout.write(
            f"Wrote the {year} annual report ({written.report.scope}) to {target} as {format.upper()}: "
            f"{record.size_bytes:,} bytes in {record.duration_ms:,} ms."
        )

    def write(self, target: Path, year: int, park, fmt: str, export):
        """Write beside the target and move it into place, so a failure never leaves half a file."""
        handle, scratch = tempfile.mkstemp(prefix=".report-", suffix=f".{fmt}", dir=target.parent)
        os.close(handle)
        try:
            written = export(year=year, park=park, fmt=fmt, target=scratch, via=ReportExport.Via.COMMAND)
            os.replace(scratch, target)
        finally:
            if os.path.exists(scratch):
                os.unlink(scratch)
        return written
