from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError

import demo


class Command(BaseCommand):
    help = "Load the reference article's zone (idempotent); with DEBUG on or --with-accounts, the demo accounts too."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-accounts", action="store_true", help="Create the demo accounts even with DEBUG off."
        )
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the database already holds parks.")

    def handle(self, *args, with_accounts: bool, if_empty: bool, **options):
        from django.core.management.base import CommandError

        from parks.models import Park

        try:
            if if_empty and Park.objects.exists():
                self.stdout.write("The database already holds data; the demo was not loaded again.")
                summary = {"accounts": demo.load_accounts()} if with_accounts else {}
            else:
                summary = demo.load(with_accounts=with_accounts or settings.DEBUG)
        except DatabaseError as error:
            raise CommandError(f"Could not load the demo: {error}. Run `manage.py migrate` first?") from error
        accounts = summary.pop("accounts", None)
        if summary:
            self.stdout.write(self.style.SUCCESS("Demo loaded: " + ", ".join(f"{k} {v}" for k, v in summary.items())))
        if accounts:
            self.stdout.write(f"Demo accounts (password {demo.DEMO_PASSWORD}): " + ", ".join(accounts))
