import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from parkadmin.models import ListExport
from reports.models import ReportExport


class Command(BaseCommand):
    help = (
        "Delete the export log's entries (list exports and report exports) made before a day: the log's retention, "
        "and the only way entries leave it (nobody can delete them in the admin). Example: --before 2024-01-01."
    )

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="Keep the entries of this day (YYYY-MM-DD) and later.")

    def handle(self, *args, before: str, **options):
        try:
            day = datetime.date.fromisoformat(before)
        except ValueError as error:
            raise CommandError(f"--before must be a day such as 2024-01-01, not {before!r}.") from error
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        lists = ListExport.objects.prune(start)
        reports = ReportExport.objects.prune(start)
        self.stdout.write(f"Deleted {lists} list export(s) and {reports} report export(s) made before {day}.")
