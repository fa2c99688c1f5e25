"""Backups restore: a dump of the demo, edited so every record type has a history, comes back into an empty
database with every record and every history row (docs/operations.md).

- dumpdata/loaddata (the way for SQLite; works on PostgreSQL too), restored in a subprocess into a new database;
- pg_dump -Fc/pg_restore on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests.harness import make_user

ROOT = Path(settings.BASE_DIR)
EXCLUDED = ("contenttypes", "auth.permission", "sessions", "admin.logentry")
DUMPDATA_ARGS = ["--natural-foreign", "--natural-primary", *[f"--exclude={label}" for label in EXCLUDED]]

# Run in the restored database: the rows of every model kept, and a fingerprint of every history table.
COUNT_SCRIPT = """
import json, django
django.setup()
from django.apps import apps
counts, history = {}, {}
for model in apps.get_models():
    label = model._meta.label
    counts[label] = model._default_manager.count()
    if label.split(".")[1].startswith("Historical"):
        history[label] = sorted(
            [row[0], row[1], row[2], row[3] or ""] for row in model._default_manager.values_list(
                "history_id", "history_type", "id", "history_user__username")
        )
print(json.dumps({"counts": counts, "history": history}))
"""


HISTORY_COLUMNS = ("history_id", "history_type", "id", "history_user__username")
# Left out of a backup: `migrate` makes them anew, and sessions are not worth keeping.
NOT_KEPT = {"auth.Permission", "contenttypes.ContentType", "sessions.Session", "admin.LogEntry"}


def snapshot() -> dict:
    """What COUNT_SCRIPT prints, for the test database."""
    counts, history = {}, {}
    for model in apps.get_models():
        label = model._meta.label
        counts[label] = model._default_manager.count()
        if model.__name__.startswith("Historical"):
            rows = model._default_manager.values_list(*HISTORY_COLUMNS)
            history[label] = sorted([row[0], row[1], row[2], row[3] or ""] for row in rows)
    return {"counts": counts, "history": history}


def kept(counts: dict) -> dict:
    return {label: count for label, count in counts.items() if label not in NOT_KEPT}


def edit_everything() -> None:
    """The demo, plus records of every type, each changed once by a named user, so history has who and what."""
    import demo
    from enterprises.models import Enterprise, ServiceRequest
    from parkadmin.locking import save_versioned
    from parks.models import Park
    from projects.models import Project
    from tests.security import hostile

    demo.load(with_accounts=True)
    hostile.fill_gaps()
    user = make_user("administrator")
    for model in (Park, Enterprise, Project, ServiceRequest):
        for record in model._default_manager.all()[:3]:
            if hasattr(record, "notes"):
                record.notes = "备份前的修改"
            else:
                record.description = "备份前的修改"
            record._history_user = user  # who made the change, as a request would record it
            save_versioned(record, expected_version=record.version)
    Enterprise.objects.order_by("pk").last().delete()  # a deletion, kept in history too


def subprocess_env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="tests.settings")
    return env


def manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=subprocess_env(database_url),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def restored_snapshot(database_url: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", COUNT_SCRIPT],
        cwd=ROOT,
        env=subprocess_env(database_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


class EmptyDatabase:
    """A new, empty database of the same kind as the test database; removed afterwards."""

    def __init__(self, tmp_path: Path):
        self.name = f"parkadmin_restore_{uuid.uuid4().hex[:8]}"
        if connection.vendor == "postgresql":
            params = connection.settings_dict
            auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
            self.url = f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{self.name}"
            self._admin("CREATE DATABASE {}")
        else:
            self.url = f"sqlite:///{tmp_path / (self.name + '.sqlite3')}"

    def _admin(self, statement: str) -> None:
        import psycopg2
        from psycopg2 import sql

        admin = psycopg2.connect(self.url.rsplit("/", 1)[0] + "/postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL(statement).format(sql.Identifier(self.name)))
        admin.close()

    def drop(self) -> None:
        if self.url.startswith("postgres"):
            self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")


@pytest.fixture
def empty_database(tmp_path):
    database = EmptyDatabase(tmp_path)
    yield database
    database.drop()


@pytest.mark.django_db
def test_dumpdata_restores_every_record_and_its_history_into_an_empty_database(tmp_path, empty_database):
    edit_everything()
    before = snapshot()
    assert sum(len(rows) for rows in before["history"].values()) > 100
    assert all(before["counts"][f"{app}.{name}"] for app, name in [("enterprises", "HistoricalEnterprise")])
    dump = tmp_path / "parkadmin.json"
    call_command("dumpdata", *DUMPDATA_ARGS, output=str(dump), verbosity=0)

    manage(empty_database.url, "migrate", "--no-input", "--verbosity", "0")
    manage(empty_database.url, "loaddata", str(dump), "--verbosity", "0")
    after = restored_snapshot(empty_database.url)

    assert kept(after["counts"]) == kept(before["counts"])
    assert after["history"] == before["history"]
    # The restored database takes new records (PostgreSQL's sequences were moved past the loaded ids).
    manage(
        empty_database.url,
        "shell",
        "-c",
        "from enterprises.models import Park; Park.objects.create(code='after-restore', name='恢复后')",
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore are PostgreSQL's")
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs pg_dump and pg_restore")
def test_pg_dump_restores_every_record_and_its_history_into_an_empty_database(tmp_path, empty_database):
    edit_everything()
    before = snapshot()
    params = connection.settings_dict
    source = empty_database.url.rsplit("/", 1)[0] + "/" + params["NAME"]
    dump = tmp_path / "parkadmin.dump"
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), source], check=True, timeout=300)
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", empty_database.url, str(dump)], check=True, timeout=300
    )
    after = restored_snapshot(empty_database.url)
    assert after == before
