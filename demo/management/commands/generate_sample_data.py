"""`manage.py generate_sample_data --scale S --seed N`: a large synthetic zone for the benchmark (`demo.sample`).

The command refuses a database that already holds records that are not sample data unless `--force`; with
`--database-url` it creates that database (PostgreSQL: CREATE DATABASE; SQLite: the file), migrates it and fills
it in a child process, leaving the configured database alone.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from demo import sample
from parkadmin.databases import ensure_database, manage, refresh_statistics


class Command(BaseCommand):
    help = (
        "Generate a large synthetic zone marked as sample data (seeded, reproducible) for the benchmark. "
        "Refuses a database holding other records unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = 5,000 enterprises … (default 1).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--database-url",
            help="Create (if needed), migrate and fill this database instead of the configured one.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Add sample data even though the database holds other records."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete sample data of another scale or seed first (only in a database holding sample data only).",
        )

    def handle(self, *args, scale: float, seed: int, database_url: str | None, force: bool, replace: bool, **options):
        if scale <= 0:
            raise CommandError("--scale must be more than 0.")
        if database_url:
            return self.into_own_database(database_url, scale, seed, force, replace)
        wanted = sample.marker(scale, seed)
        found = sample.existing_marker()
        if found == wanted:
            self.stdout.write(f"Sample data of {wanted} is already there; nothing to do.")
            return
        foreign = sample.foreign_records()
        if foreign and not force:
            raise CommandError(
                "This database holds records that are not sample data ("
                + ", ".join(foreign)
                + "). Use a database of its own (--database-url), or --force to add sample data to it anyway."
            )
        if sample.has_sample_data():
            if not replace:
                raise CommandError(
                    f"This database already holds sample data ({found or 'incomplete'}); use --replace to make "
                    "it again with this scale and seed, or another database."
                )
            if foreign:
                raise CommandError("Sample data can be replaced only in a database that holds sample data only.")
            with transaction.atomic():
                sample.wipe_sample_data()
        started = time.perf_counter()
        self.stdout.write(f"Generating sample data: {wanted} into {connection.settings_dict['NAME']}")
        with transaction.atomic():
            made = sample.generate(scale, seed, out=self.stdout)
        refresh_statistics()
        from dashboard.cache import invalidate

        invalidate()
        total = sum(made.values())
        self.stdout.write(
            self.style.SUCCESS(f"Made {total:,} sample records in {time.perf_counter() - started:.1f} s.")
        )

    def into_own_database(self, database_url: str, scale: float, seed: int, force: bool, replace: bool) -> None:
        created = ensure_database(database_url)
        if created:
            self.stdout.write(f"Created the database {database_url}")
        migrate = manage(["migrate", "--no-input", "--verbosity", "0"], database_url)
        if migrate.returncode:
            raise CommandError(f"Could not migrate {database_url}.")
        args = ["generate_sample_data", "--scale", f"{scale:g}", "--seed", str(seed)]
        args += ["--force"] if force else []
        args += ["--replace"] if replace else []
        child = manage(args, database_url)
        if child.returncode:
            raise CommandError(f"Generating sample data in {database_url} failed.")
