"""Databases of their own, for the sample data and the benchmark: create one, run `manage.py` against it in a
child process with the production settings, and bring the planner's statistics up to date after a bulk load."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection


def child_environment(database_url: str) -> dict[str, str]:
    """The environment of a manage.py child that works on `database_url` with the production settings."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="parkadmin.settings",
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_PLAIN_STATIC="1",
        # Static files come from the finders here: no collected folder is needed (nor warned about).
        PYTHONWARNINGS="ignore:No directory at",
    )
    env.setdefault("DJANGO_SECRET_KEY", settings.SECRET_KEY)
    return env


def manage(args: list[str], database_url: str, **kwargs) -> subprocess.CompletedProcess:
    manage_py = Path(settings.BASE_DIR) / "manage.py"
    return subprocess.run(
        [sys.executable, str(manage_py), *args], env=child_environment(database_url), cwd=settings.BASE_DIR, **kwargs
    )


def ensure_database(database_url: str) -> bool:
    """Create the database of `database_url` if it does not exist; True if it was created."""
    import environ

    config = environ.Env.db_url_config(database_url)
    if config["ENGINE"].endswith("sqlite3"):
        path = Path(config["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        return not path.exists()
    if not config["ENGINE"].endswith("postgresql"):
        raise CommandError(f"Only PostgreSQL and SQLite databases can be created here, not {config['ENGINE']}.")
    import psycopg2
    from psycopg2 import sql

    server = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            return True
    finally:
        server.close()


def refresh_statistics() -> None:
    """Let the planner know the new tables (as autovacuum soon would): statistics, and on PostgreSQL the
    visibility map that index-only scans need."""
    with connection.cursor() as cursor:
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
