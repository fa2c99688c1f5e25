"""`manage.py export_report`: both formats written and recorded; a bad park or format fails with one clear line."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from reports.models import ReportExport


def test_command_writes_the_workbook_and_records_it(demo, tmp_path, capsys):
    target = tmp_path / "report.xlsx"
    call_command("export_report", "--year", "2019", "--format", "xlsx", "--output", str(target))
    assert openpyxl.load_workbook(target).sheetnames[0] == "概览"
    assert "report.xlsx" in capsys.readouterr().out
    record = ReportExport.objects.get()
    assert (record.year, record.park_code, record.format, record.via, record.user) == (
        2019,
        "",
        "xlsx",
        "command",
        None,
    )


def test_command_writes_the_pdf_for_a_park(demo, tmp_path):
    target = tmp_path / "report.pdf"
    call_command("export_report", "--year", "2019", "--park", "core", "--format", "pdf", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF")
    assert ReportExport.objects.get().park_code == "core"


def test_unknown_park_is_refused_and_nothing_is_written(demo, tmp_path):
    target = tmp_path / "report.pdf"
    with pytest.raises(CommandError, match="Unknown park code “nowhere”"):
        call_command("export_report", "--year", "2019", "--park", "nowhere", "--format", "pdf", "--output", str(target))
    assert not list(tmp_path.iterdir())
    assert not ReportExport.objects.exists()


def test_unwritable_output_is_refused(demo, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_report", "--year", "2019", "--format", "pdf", "--output", str(tmp_path / "no" / "r.pdf"))


def run(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], capture_output=True, text=True, env=env, cwd=settings.BASE_DIR
    )


def scratch_database(path: Path) -> str:
    """A database file the command line can open: a copy of the test database's tables (SQLite), else migrated."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
    else:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": f"sqlite:///{path}"}
        assert run("migrate", "-v", "0", env=env).returncode == 0
    return f"sqlite:///{path}"


@pytest.mark.django_db
def test_command_line_errors_exit_non_zero_with_one_clear_message(tmp_path):
    database = scratch_database(tmp_path / "scratch.sqlite3")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": database}
    target = tmp_path / "report.xlsx"

    bad_park = run(
        "export_report", "--year", "2019", "--park", "nowhere", "--format", "xlsx", "--output", str(target), env=env
    )
    assert bad_park.returncode != 0
    assert "Unknown park code “nowhere”" in bad_park.stderr
    assert "Traceback" not in bad_park.stderr

    bad_format = run("export_report", "--year", "2019", "--format", "docx", "--output", str(target), env=env)
    assert bad_format.returncode != 0
    assert "invalid choice: 'docx'" in bad_format.stderr
    assert "Traceback" not in bad_format.stderr
    assert not target.exists()
