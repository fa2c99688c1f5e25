from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from parkadmin.imports.kinds import registry
from parkadmin.imports.pipeline import record_run
from parkadmin.imports.results import ImportResult


class Command(BaseCommand):
    help = (
        "Import a spreadsheet (.xlsx or .csv) of one kind of record, all or nothing: every bad row is listed with "
        "its row number and reason, and then nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(registry()), help="What the file holds.")
        parser.add_argument("file", help="The .xlsx or .csv file (UTF-8 with or without BOM, or GB18030).")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")
        parser.add_argument(
            "--approve",
            action="store_true",
            help="Mark imported indicator values approved (trusted loads only), by the reviewer named with --user.",
        )
        parser.add_argument(
            "--user", help="User name recorded as the one who entered the records (and approved them, with --approve)."
        )

    def handle(self, *args, kind: str, file: str, dry_run: bool, approve: bool, user: str | None, **options):
        if approve and registry()[kind].approve_permission is None:
            approvable = ", ".join(name for name, importer in registry().items() if importer.approve_permission)
            raise CommandError(f"--approve applies to {approvable} only.")
        if approve and not user:
            raise CommandError(
                "--approve needs --user NAME: the reviewer recorded as approving the values (one who may approve)."
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            result = self.run(kind, path, dry_run=dry_run, approve=approve, username=user)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}") from error
        except DatabaseError as error:
            reason = (str(error).splitlines() or [type(error).__name__])[0]
            raise CommandError(f"The database refused the import: {reason}. Run `manage.py migrate` first?") from error
        if result.file_error:
            raise CommandError(result.file_error)
        for error in result.errors:
            self.stderr.write(str(error))
        if result.errors.more:
            self.stderr.write(f"… and {result.errors.more} more.")
        if not result.ok:
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))

    def run(self, kind: str, path: Path, *, dry_run: bool, approve: bool, username: str | None) -> ImportResult:
        account = None
        if username:
            account = get_user_model().objects.filter(username=username).first()
            if account is None:
                raise CommandError(f"No such user: {username}")
        permission = registry()[kind].approve_permission
        if approve and not account.has_perm(permission):
            raise CommandError(
                f"{username} may not approve these records (they lack the permission {permission}, or the account "
                "is inactive): name a reviewer with --user, or import without --approve to send them for review."
            )
        importer = registry()[kind](user=account, approve=approve)
        with path.open("rb") as handle:
            result = importer.run(handle, name=path.name, dry_run=dry_run)
        try:
            record_run(result, user=account, via="command")
        except DatabaseError:
            # A file that could not be read touched no table: say what is wrong with the file first.
            if not result.file_error:
                raise
        return result
