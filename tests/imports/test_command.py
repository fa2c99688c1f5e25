"""`manage.py import_data KIND FILE [--dry-run] [--approve --user REVIEWER]`: exit 0 and a summary, or non-zero
with every bad row (or the one-line reason a file is not a spreadsheet) and nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from enterprises.models import Enterprise
from indicators.choices import ValueStatus
from indicators.models import IndicatorValue
from parkadmin.models import ImportRecord
from tests.factories import IndicatorFactory, ParkFactory, UserFactory
from tests.harness import ROLE_GROUPS, make_user
from tests.imports.files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    ParkFactory(code="core", name="核心区")
    IndicatorFactory(code="fiscal_revenue", name="公共财政收入")


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def import_data(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_data", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_exits_zero_with_a_summary_and_is_recorded(world, tmp_path):
    rows = [["甲科技有限公司", "core"], ["乙科技有限公司", ""]]
    path = write(tmp_path, "企业.csv", csv_bytes(["企业名称", "园区"], rows))
    out, err = import_data("enterprises", path)
    assert "2" in out and not err
    assert Enterprise.objects.count() == 2
    record = ImportRecord.objects.get()
    assert (record.kind, record.file_name, record.created, record.dry_run, record.via) == (
        "enterprises",
        "企业.csv",
        2,
        False,
        "command",
    )
    assert record.history.count() == 1  # shown in /history/


def test_dry_run_reports_and_writes_nothing(world, tmp_path):
    path = write(tmp_path, "e.xlsx", xlsx_bytes(["name", "park"], [["甲科技有限公司", "core"]]))
    out, _err = import_data("enterprises", path, "--dry-run")
    assert "1" in out
    assert not Enterprise.objects.exists()
    assert ImportRecord.objects.get().dry_run


def test_bad_rows_exit_non_zero_listing_every_row_and_writing_nothing(world, tmp_path):
    rows = [["甲科技有限公司", "core"], ["乙科技有限公司", "nowhere"], ["", "core"], ["丙科技有限公司", "core"]]
    path = write(tmp_path, "e.csv", csv_bytes(["企业名称", "园区"], rows))
    with pytest.raises(CommandError) as refused:
        import_data("enterprises", path)
    assert "2" in str(refused.value)
    assert not Enterprise.objects.exists()


def test_every_bad_row_is_written_to_stderr(world, tmp_path):
    rows = [["乙科技有限公司", "nowhere"], ["", "core"]]
    path = write(tmp_path, "e.csv", csv_bytes(["企业名称", "园区"], rows))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "enterprises", path, stdout=StringIO(), stderr=err)
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 2
    assert "2" in lines[0] and "园区" in lines[0] and "nowhere" in lines[0]
    assert "3" in lines[1] and "企业名称" in lines[1]


def test_a_file_that_is_not_a_spreadsheet_gives_one_line(world, tmp_path):
    path = write(tmp_path, "photo.xlsx", bytes(range(256)) * 20)
    with pytest.raises(CommandError) as refused:
        import_data("enterprises", path)
    assert "\n" not in str(refused.value)


def test_a_missing_file_is_refused(world, tmp_path):
    with pytest.raises(CommandError):
        import_data("enterprises", str(tmp_path / "missing.csv"))


def test_approve_applies_to_indicator_values_only(world, tmp_path):
    reviewer = make_user("reviewer")
    path = write(tmp_path, "v.csv", csv_bytes(["指标代码", "年份", "数值"], [["fiscal_revenue", "2019", "7.26"]]))
    with pytest.raises(CommandError):
        import_data("enterprises", path, "--approve", "--user", reviewer.username)
    import_data("indicator-values", path, "--approve", "--user", reviewer.username)
    value = IndicatorValue.objects.get()
    assert (value.status, value.entered_by, value.approved_by) == (ValueStatus.APPROVED, reviewer, reviewer)


def test_approve_without_a_user_is_refused_and_writes_nothing(world, tmp_path):
    """The attack: `--approve` made values approved by no one, outside the four-eyes rule."""
    path = write(tmp_path, "v.csv", csv_bytes(["指标代码", "年份", "数值"], [["fiscal_revenue", "2019", "7.26"]]))
    with pytest.raises(CommandError, match="--approve needs --user"):
        import_data("indicator-values", path, "--approve")
    assert not IndicatorValue.objects.exists()
    assert not ImportRecord.objects.exists()


@pytest.mark.parametrize("who", ["statistics", "inactive reviewer"])
def test_approve_by_a_user_who_may_not_approve_is_refused_and_writes_nothing(world, tmp_path, who):
    if who == "statistics":
        user = make_user("statistics")  # enters values, may not approve them
    else:
        user = UserFactory(username="gone", is_active=False, groups=ROLE_GROUPS["reviewer"])
    path = write(tmp_path, "v.csv", csv_bytes(["指标代码", "年份", "数值"], [["fiscal_revenue", "2019", "7.26"]]))
    with pytest.raises(CommandError, match="may not approve"):
        import_data("indicator-values", path, "--approve", "--user", user.username)
    assert not IndicatorValue.objects.exists()
    import_data("indicator-values", path, "--user", user.username)  # without --approve: sent for review
    assert IndicatorValue.objects.get().status == ValueStatus.SUBMITTED


def test_indicator_values_import_as_submitted_entered_by_the_named_user(world, tmp_path):
    user = UserFactory(username="tongji")
    path = write(tmp_path, "v.csv", csv_bytes(["indicator", "year", "value"], [["fiscal_revenue", "2019", "7.26"]]))
    import_data("indicator-values", path, "--user", "tongji")
    value = IndicatorValue.objects.get()
    assert (value.status, value.entered_by) == (ValueStatus.SUBMITTED, user)
    assert value.history.get().history_user == user


def test_the_command_exits_non_zero_without_a_traceback(tmp_path):
    """Run as a person would: a separate process, its exit status and its output."""
    path = write(tmp_path, "garbage.csv", bytes(range(256)) * 20)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    manage = Path(settings.BASE_DIR) / "manage.py"
    done = subprocess.run(
        [sys.executable, str(manage), "import_data", "enterprises", path],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.strip().splitlines() == ["CommandError: " + garbage_reason()], done.stderr


def garbage_reason() -> str:
    """The reason in the language a command speaks (the default one)."""
    from parkadmin.imports.reading import ImportFileError, read_sheet

    with translation.override(settings.LANGUAGE_CODE), pytest.raises(ImportFileError) as refused:
        read_sheet(BytesIO(bytes(range(256)) * 20), name="garbage.csv")
    return str(refused.value)
