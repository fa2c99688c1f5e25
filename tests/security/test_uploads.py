"""Request and upload limits: set on purpose, and a request beyond them gets a clear 400 with nothing written.

The import pipeline's own limits (file size, rows, what an XLSX may unpack to) are tested in tests/imports; here
they are proven end to end through the import page with hostile files.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises.models import Enterprise
from parkadmin.models import ImportRecord
from tests.factories import IndustryClusterFactory, ParkFactory
from tests.imports.files import csv_bytes, zip_bomb

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
HEADERS = ["企业名称", "园区", "产业集群"]
REFUSED = "Nothing was saved"


@pytest.fixture
def world(db):
    ParkFactory(code="core", name="核心区")
    IndustryClusterFactory(code="EIT", name="电子信息")


def nothing_written() -> bool:
    return not Enterprise.objects.exists()


def test_the_limits_are_set_on_purpose():
    # Bodies other than files (forms, JSON) up to 12 MB; files are streamed to disk past 12 MB and limited by the
    # import's own limit (10 MB), below the proxy's client_max_body_size of 12m (README).
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 12 * MB
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 12 * MB
    assert settings.IMPORT_MAX_BYTES < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    # The largest form (the indicator entry grid: ~50 indicators × 6 fields) fits in 5,000 fields many times.
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 5000
    # An import takes one file; five leaves room and stops a flood of files in one request.
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 5
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    assert "client_max_body_size 12m" in readme


def test_too_many_fields_get_a_clear_400_and_write_nothing(admin_client, world):
    data = {f"field{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = admin_client.post("/enterprises/add/", {**data, "name": "洪水企业有限公司", "status": "operating"})
    assert response.status_code == 400
    assert REFUSED in response.content.decode() or "未保存" in response.content.decode()
    assert nothing_written()


def test_too_many_files_at_once_get_a_clear_400_and_write_nothing(admin_client, world):
    files = [
        SimpleUploadedFile(f"企业{i}.csv", csv_bytes(HEADERS, [[f"企业{i}有限公司", "core", ""]]), "text/csv")
        for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]
    response = admin_client.post("/imports/enterprises/", {"file": files})
    assert response.status_code == 400
    assert nothing_written() and not ImportRecord.objects.exists()


def test_a_form_body_over_the_limit_gets_a_400(admin_client, world):
    response = admin_client.post(
        "/enterprises/add/",
        "name=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert nothing_written()


def test_a_json_body_over_the_limit_gets_a_400_from_the_api(admin_client, world):
    body = '{"name": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    response = admin_client.post("/api/enterprises/", body, content_type="application/json")
    assert response.status_code in (400, 413)
    assert nothing_written()


def test_a_zip_bomb_through_the_import_page_is_refused_unopened(admin_client, world):
    bomb = zip_bomb(300)
    assert len(bomb) < 2 * MB  # 300 MB when unpacked
    response = admin_client.post("/imports/enterprises/", {"file": SimpleUploadedFile("炸弹.xlsx", bomb)})
    assert response.status_code in (400, 413, 422)
    assert "MB" in response.content.decode()
    assert nothing_written()


def test_a_huge_file_through_the_import_page_is_refused(admin_client, world):
    rows = [[f"怀化{i}号科技有限公司", "core", ""] for i in range(400_000)]
    data = csv_bytes(HEADERS, rows)
    assert len(data) > settings.IMPORT_MAX_BYTES
    response = admin_client.post("/imports/enterprises/", {"file": SimpleUploadedFile("大文件.csv", data)})
    assert response.status_code in (400, 413)
    assert "MB" in response.content.decode()
    assert nothing_written() and not ImportRecord.objects.filter(created__gt=0).exists()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"\x89PNG\r\n\x1a\n" + os.urandom(4096), "照片.xlsx"),
        (b"\x7fELF\x02\x01\x01" + os.urandom(4096), "程序.csv"),
        (b"MZ\x90\x00" + os.urandom(4096), "setup.xlsx"),
        (b"%PDF-1.7\n" + os.urandom(4096), "报告.csv"),
    ],
    ids=["png-as-xlsx", "elf-as-csv", "exe-as-xlsx", "pdf-as-csv"],
)
def test_a_renamed_binary_is_not_a_spreadsheet(admin_client, world, content, name):
    response = admin_client.post("/imports/enterprises/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 422
    assert response.context["result"].file_error
    assert nothing_written()


def test_a_zip_renamed_xlsx_with_a_path_traversal_name_is_refused(admin_client, world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("../../etc/cron.d/evil", "* * * * * root id")
    response = admin_client.post("/imports/enterprises/", {"file": SimpleUploadedFile("表.xlsx", out.getvalue())})
    assert response.status_code in (400, 422)
    assert nothing_written()
    assert not Path("/etc/cron.d/evil").exists()
