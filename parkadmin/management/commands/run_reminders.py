from django.core.management.base import BaseCommand

from parkadmin.notifications import REMINDERS, run_reminders


class Command(BaseCommand):
    help = (
        "Run every reminder once, now (what the schedule runs): certificates about to lapse, problems due and "
        "overdue, values waiting for review. Prints what it sent, or with --dry-run what it would send. A user gets "
        "each event once however often it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Send nothing; print what would be sent.")

    def handle(self, *args, dry_run: bool = False, **options):
        results = run_reminders(dry_run=dry_run)
        sent = [notice for notice, new in results if new]
        verb = "would send" if dry_run else "sent"
        for notice in sent:
            self.stdout.write(f"{verb}: {notice.user} · {notice.kind} · {notice.title()}")
        self.stdout.write(
            f"{len(REMINDERS)} reminders: {verb} {len(sent)}, {len(results) - len(sent)} already sent before."
        )
