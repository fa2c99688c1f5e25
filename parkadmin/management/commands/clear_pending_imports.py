from django.conf import settings
from django.core.management.base import BaseCommand

from parkadmin.imports.pending import remove_stale


class Command(BaseCommand):
    help = (
        "Remove the import uploads previewed more than PARKADMIN_IMPORT_PENDING_HOURS ago and never confirmed (and "
        "the marks of confirmed ones). Every preview does this too; run it daily from cron."
    )

    def handle(self, *args, **options):
        removed = remove_stale()
        self.stdout.write(f"Removed {removed} import upload(s) older than {settings.IMPORT_PENDING_HOURS} hours.")
