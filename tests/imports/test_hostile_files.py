"""Small uploads built to exhaust a worker: each is refused while it is parsed, with one line saying why, in
bounded memory, and its preview page stays small.

The read runs in a child process whose address space is capped (RLIMIT_AS), so that a reader that holds what the
file expands to fails with MemoryError instead of taking the machine; its peak resident memory is asserted too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises.models import Enterprise, EnterpriseYear
from parkadmin.imports.kinds import registry
from parkadmin.imports.results import KEPT_ERRORS
from tests.factories import IndustryClusterFactory, ParkFactory
from tests.imports import files

# The reader is the same on every database: CI runs these once, on PostgreSQL.
pytestmark = pytest.mark.one_database

MB = 1024 * 1024
# The child's address space: the interpreter and Django take about 75 MB of it.
ADDRESS_SPACE = 400 * MB
# What the child may have resident at its peak.
PEAK = 250 * MB
# The largest answer a preview may be, whatever the file.
PAGE = 200 * 1024

READ = """
import json, resource, sys
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import django
django.setup()
from django.utils import translation
translation.activate("en")
from parkadmin.imports.reading import ImportFileError, read_sheet
try:
    sheet = read_sheet(sys.argv[1], name=sys.argv[2])
    outcome = {"rows": len(sheet.rows)}
except ImportFileError as error:
    outcome = {"error": str(error)}
# The peak resident memory of this program (VmHWM; ru_maxrss would keep the forking test process's own peak).
with open("/proc/self/status") as status:
    outcome["peak"] = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
print(json.dumps(outcome))
"""


def read_bounded(tmp_path, data: bytes, name: str) -> str:
    """Read `data` in a capped child process: the one-line reason it was refused (the child must not run out of
    memory, and must stay under PEAK)."""
    path = tmp_path / name
    path.write_bytes(data)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(settings.BASE_DIR)}
    done = subprocess.run(
        [sys.executable, "-c", READ, str(path), name, str(ADDRESS_SPACE)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,  # a safety net against a runaway reader, not a measure of speed
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["peak"] < PEAK, f"peak resident memory {outcome['peak'] / MB:.0f} MB"
    assert "error" in outcome, f"read {outcome.get('rows')} rows instead of refusing the file"
    assert "\n" not in outcome["error"]
    return outcome["error"]


HOSTILE = {
    "blank-rows": (files.blank_rows_bomb, "rows, blank ones included"),
    "shared-strings-count": (files.shared_strings_bomb, "different texts"),
    "shared-strings-size": (files.long_shared_strings, "add up to more than"),
    "billion-laughs": (files.billion_laughs, "DOCTYPE"),
    "quadratic-blowup": (files.quadratic_blowup, "DOCTYPE"),
    "huge-string-reused": (files.reused_huge_string, "more than 32,767 characters"),
    "wide-row": (files.wide_row, "Row 2 has more than 16,384 cells"),
    "deep-nesting": (files.deep_nesting, "damaged"),
    "long-attribute": (files.long_attribute, "damaged"),
    "late-instruction": (files.late_instruction, "DOCTYPE"),
}


@pytest.fixture(scope="module")
def hostile_files():
    return {name: build() for name, (build, _reason) in HOSTILE.items()}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_workbook_is_refused_while_parsed_in_bounded_memory(tmp_path, hostile_files, kind):
    data = hostile_files[kind]
    assert len(data) < 1 * MB
    assert HOSTILE[kind][1] in read_bounded(tmp_path, data, f"{kind}.xlsx")


def test_a_huge_csv_cell_is_refused_with_its_row(tmp_path):
    data = "企业名称,园区\n怀化一号科技有限公司,core\n".encode() + b'"' + b"x" * (5 * MB) + b'",core\n'
    assert "Row 3 holds a cell of more than 32,767 characters" in read_bounded(tmp_path, data, "cell.csv")


def test_a_csv_cell_over_the_bound_but_under_the_csv_module_s_is_refused(tmp_path):
    data = "企业名称,园区\n".encode() + b"x" * 40_000 + b",core\n"
    assert "Row 2 holds a cell of more than 32,767 characters" in read_bounded(tmp_path, data, "cell.csv")


def test_a_very_wide_csv_row_is_refused(tmp_path):
    data = "企业名称,园区\n".encode() + b"," * 100_000 + b"\n"
    assert "Row 2 has more than 16,384 cells" in read_bounded(tmp_path, data, "wide.csv")


def test_a_csv_of_blank_lines_is_refused(tmp_path):
    data = "企业名称,园区\n".encode() + b"\n" * (5 * MB)
    assert "blank ones included" in read_bounded(tmp_path, data, "blank.csv")


@pytest.fixture
def world(db):
    ParkFactory(code="core", name="核心区")
    IndustryClusterFactory(code="EIT", name="电子信息")


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_workbook_through_the_import_page_gets_a_small_answer_and_writes_nothing(
    admin_client, world, hostile_files, kind
):
    upload = SimpleUploadedFile(f"{kind}.xlsx", hostile_files[kind])
    response = admin_client.post("/imports/enterprise-years/", {"file": upload})
    assert response.status_code in (200, 400, 413, 422)
    assert len(response.content) < PAGE
    assert response.context["result"].file_error
    assert not Enterprise.objects.exists() and not EnterpriseYear.objects.exists()


def test_a_long_text_reused_in_every_row_keeps_the_preview_small(admin_client, world):
    # Just under the bound for a cell: read, then refused row by row, each reason quoting a short prefix of it.
    data = files.reused_huge_string(length=30_000, rows=1_000)
    tracemalloc.start()
    try:
        response = admin_client.post("/imports/enterprise-years/", {"file": SimpleUploadedFile("years.xlsx", data)})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 422
    result = response.context["result"]
    assert result.rejected == 1_000
    assert all(len(error.message) <= 300 for error in result.errors)
    assert "x" * 50 + "…" in response.content.decode() and "x" * 51 not in response.content.decode()
    assert len(response.content) < PAGE
    # Every refused row counts, a bounded number of reasons are listed, and the page says how many more there are.
    assert len(response.context["shown_errors"]) + response.context["more_errors"] == result.errors.total == 2_000
    assert len(response.context["shown_errors"]) <= 200 < len(result.errors)
    assert peak < 100 * MB, f"{peak / MB:.0f} MB allocated at the peak"
    assert not EnterpriseYear.objects.exists()


def test_a_file_of_bad_cells_keeps_a_bounded_number_of_reasons_and_counts_the_rest(world):
    # Every cell of every row refused: each reason is counted, a thousand are kept, the memory does not grow with them.
    importer = registry()["enterprise-years"]
    headers = importer.headers()
    rows = [[f"无此企业{n}", f"年{n}", *["x"] * (len(headers) - 2)] for n in range(20_000)]
    data = files.csv_bytes(headers, rows)
    tracemalloc.start()
    try:
        result = importer().run(files.named(data, "bad.csv"), name="bad.csv", dry_run=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.rejected == 20_000
    assert result.errors.total >= 20_000 * (len(headers) - 1)
    assert len(result.errors) == KEPT_ERRORS and result.errors.more == result.errors.total - KEPT_ERRORS
    assert peak < 150 * MB, f"{peak / MB:.0f} MB allocated at the peak"
