"""The import pages: who may use them, the template, and the flow upload → preview → confirm."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils import translation

from enterprises.choices import EnterpriseStatus
from enterprises.models import Enterprise
from parkadmin.imports.kinds import registry
from parkadmin.imports.reading import megabytes
from parkadmin.models import ImportRecord, PendingImport
from tests.factories import IndustryClusterFactory, ParkFactory
from tests.harness import Access, check_access, make_user, matrix
from tests.imports.files import csv_bytes, named
from tests.spreadsheets import EXACT_PAYLOADS, all_texts, formula_elements

pytestmark = pytest.mark.django_db

ENTERPRISE_EDITORS = frozenset({"administrator", "enterprise"})
IMPORTERS = frozenset({"administrator", "enterprise", "investment", "statistics"})
ROWS = [["怀化一号科技有限公司", "core", "EIT"], ["怀化二号科技有限公司", "core", ""]]
HEADERS = ["企业名称", "园区", "产业集群"]


@pytest.fixture
def world(db):
    ParkFactory(code="core", name="核心区")
    IndustryClusterFactory(code="EIT", name="电子信息")


def upload(rows=ROWS, headers=HEADERS, name="企业.csv"):
    return {"file": named(csv_bytes(headers, rows), name)}


def enterprise_state():
    return sorted(Enterprise.objects.values_list("name", flat=True))


def upload_state():
    """The enterprises and the import history, where an upload's preview (a dry run) is recorded."""
    return enterprise_state(), sorted(ImportRecord.objects.values_list("kind", "dry_run"))


ACCESSES = [
    Access("index", lambda: "/imports/", IMPORTERS),
    Access("enterprises-page", lambda: "/imports/enterprises/", ENTERPRISE_EDITORS),
    Access("projects-page", lambda: "/imports/projects/", frozenset({"administrator", "investment"})),
    Access("values-page", lambda: "/imports/indicator-values/", frozenset({"administrator", "statistics"})),
    Access("targets-template", lambda: "/imports/targets/template.xlsx", frozenset({"administrator", "statistics"})),
    Access("enterprises-template", lambda: "/imports/enterprises/template.xlsx", ENTERPRISE_EDITORS),
    Access(
        "enterprises-upload",
        lambda: "/imports/enterprises/",
        ENTERPRISE_EDITORS,
        method="post",
        data=upload,
        state=upload_state,
        expect=200,
    ),
]


@pytest.mark.parametrize(("access", "role"), matrix(*ACCESSES))
def test_who_may_import(client, world, access, role):
    check_access(client, access, role)


def test_officials_see_no_import_area_nor_import_buttons(official_client):
    assert "/imports/" not in official_client.get("/enterprises/").content.decode()


def test_staff_find_imports_in_the_navigation_and_on_the_lists(client, world):
    client.force_login(make_user("enterprise"))
    html = client.get("/enterprises/").content.decode()
    assert 'href="/imports/"' in html
    assert 'href="/imports/enterprises/"' in html
    assert 'href="/imports/service-requests/"' in client.get("/enterprises/service-requests/").content.decode()
    # Only the kinds this user may add.
    index = client.get("/imports/").content.decode()
    assert "/imports/enterprises/" in index and "/imports/projects/" not in index


def test_unknown_kind_is_not_found(admin_client):
    assert admin_client.get("/imports/nothing/").status_code == 404


def test_upload_previews_then_confirm_imports_the_same_file(client, world):
    user = make_user("enterprise")
    client.force_login(user)
    response = client.post("/imports/enterprises/", upload())
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.created, result.updated, result.rejected, result.dry_run) == (2, 0, 0, True)
    html = response.content.decode()
    assert "怀化一号科技有限公司" in html and 'name="token"' in html
    assert not Enterprise.objects.exists()
    token = response.context["token"]
    assert PendingImport.objects.get(token=token).state == PendingImport.State.PENDING

    response = client.post("/imports/enterprises/", {"token": token})
    assert response.status_code == 302 and response["Location"] == "/enterprises/"
    assert enterprise_state() == sorted(row[0] for row in ROWS)
    assert PendingImport.objects.get(token=token).state == PendingImport.State.IMPORTED
    assert list(ImportRecord.objects.order_by("pk").values_list("dry_run", "created", "user")) == [
        (True, 2, user.pk),
        (False, 2, user.pk),
    ]
    assert Enterprise.objects.first().history.get().history_user == user
    listing = client.get(response["Location"]).content.decode()
    assert "怀化二号科技有限公司" in listing

    # The token was used up: confirming again imports nothing twice, and says so.
    again = client.post("/imports/enterprises/", {"token": token})
    assert Enterprise.objects.count() == 2
    assert again.status_code == 200 and again.context["done"]["url"] == "/enterprises/"


def test_a_preview_lists_every_bad_row_and_offers_no_confirmation(admin_client, world):
    rows = [*ROWS, ["怀化三号科技有限公司", "nowhere", ""], ["", "core", ""]]
    response = admin_client.post("/imports/enterprises/", upload(rows))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'name="token"' not in html
    errors = response.context["result"].errors
    assert [(error.row, error.column) for error in errors] == [(4, "园区"), (5, "企业名称")]
    assert "nowhere" in html
    assert not PendingImport.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_gets_one_line(admin_client, world):
    response = admin_client.post("/imports/enterprises/", {"file": named(bytes(range(256)) * 10, "x.xlsx")})
    assert response.status_code == 422
    assert response.context["result"].file_error in response.content.decode()
    assert ImportRecord.objects.get().error


@pytest.mark.parametrize(("over", "status"), [(1, 400), (200_000, 413)], ids=["file", "body"])
def test_an_upload_over_the_limit_is_refused(admin_client, world, settings, over, status):
    """A body far over the limit is refused before Django reads it; a file just over it by the form."""
    data = csv_bytes(HEADERS, [[f"怀化{i}号科技有限公司", "core", ""] for i in range(10_000)])
    settings.IMPORT_MAX_BYTES = len(data) - over
    response = admin_client.post("/imports/enterprises/", {"file": named(data, "big.csv")})
    assert response.status_code == status
    assert f"{megabytes(settings.IMPORT_MAX_BYTES)} MB" in response.content.decode()
    assert not Enterprise.objects.exists() and not ImportRecord.objects.exists()


def test_a_token_of_another_session_is_refused(client, world):
    owner, other = make_user("enterprise"), make_user("administrator")
    client.force_login(owner)
    token = client.post("/imports/enterprises/", upload()).context["token"]
    client.force_login(other)
    client.post("/imports/enterprises/", {"token": token})
    assert not Enterprise.objects.exists()


def test_the_template_lists_hostile_names_exactly_as_text_and_holds_no_formula(admin_client):
    for n, payload in enumerate(EXACT_PAYLOADS):
        ParkFactory(code=f"p{n}", name=payload)
    for kind in registry():
        content = admin_client.get(f"/imports/{kind}/template.xlsx").content
        assert formula_elements(content) == 0, kind
        if kind == "enterprises":
            listed = all_texts(content)
            assert all(payload in listed for payload in EXACT_PAYLOADS)
            assert not any(text.startswith("'") for text in listed)


def test_the_template_has_the_chinese_headers_an_example_and_the_allowed_values_and_no_formulas(admin_client, world):
    for kind, importer in registry().items():
        response = admin_client.get(f"/imports/{kind}/template.xlsx")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        data, allowed, notes = workbook.worksheets
        assert [cell.value for cell in data[1]] == importer.headers()
        assert any(cell.value not in (None, "") for cell in data[2]), f"{kind}: no example row"
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                assert all(cell.data_type != "f" for cell in row), f"{kind}: a formula in {sheet.title}"
        assert [row[1].value for row in notes.iter_rows(min_row=2, max_row=len(importer.columns) + 1)] == [
            column.name for column in importer.columns
        ]
    response = admin_client.get("/imports/enterprises/template.xlsx")
    allowed = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[1]
    listed = {cell.value for column in allowed.iter_cols() for cell in column}
    with translation.override("zh-hans"):  # the language of a request that names none
        operating = str(EnterpriseStatus.OPERATING.label)
    assert {"经营状态", operating, "core", "EIT"} <= listed


def test_the_template_imports_cleanly_once_its_example_is_replaced(admin_client, world):
    content = admin_client.get("/imports/enterprises/template.xlsx").content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    sheet["A2"] = "模板填写科技有限公司"
    sheet["C2"] = None
    out = io.BytesIO()
    workbook.save(out)
    response = admin_client.post("/imports/enterprises/", {"file": named(out.getvalue(), "模板.xlsx")})
    result = response.context["result"]
    assert result.ok and result.created == 1, [str(error) for error in result.errors] or result.file_error
    # The unchanged example row alone is skipped and imports nothing.
    response = admin_client.post("/imports/enterprises/", {"file": named(content, "模板.xlsx")})
    result = response.context["result"]
    assert result.ok and result.skipped_example == 2 and not result.outcomes


def test_imports_show_in_the_history_and_on_the_index(admin_client, world):
    token = admin_client.post("/imports/enterprises/", upload()).context["token"]
    admin_client.post("/imports/enterprises/", {"token": token})
    index = admin_client.get("/imports/").content.decode()
    assert "企业.csv" in index
    history = admin_client.get("/history/", {"model": "parkadmin.importrecord"}).content.decode()
    assert "企业.csv" in history
