"""The reports page and its downloads: who may read and export, what the page shows, and the record of exports."""

import pytest

from reports.models import ReportExport
from tests.harness import EVERY_ROLE, Access, check_access, matrix
from tests.reports.conftest import HOSTILE_INDICATOR

PAGES = [
    Access("reports-page", lambda: "/reports/?year=2019", EVERY_ROLE),
    Access(
        "reports-xlsx",
        lambda: "/reports/annual.xlsx?year=2019",
        EVERY_ROLE,
        state=lambda: ReportExport.objects.count(),
    ),
    Access(
        "reports-pdf",
        lambda: "/reports/annual.pdf?year=2019",
        EVERY_ROLE,
        state=lambda: ReportExport.objects.count(),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("access", "role"), matrix(*PAGES))
def test_every_signed_in_role_may_read_and_export_the_report(client, access, role):
    check_access(client, access, role)


@pytest.mark.django_db
def test_a_user_without_indicator_permission_is_refused(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/annual.pdf?year=2019").status_code == 403
    assert not ReportExport.objects.exists()


def test_page_defaults_to_the_latest_year_with_approved_data_and_the_whole_zone(demo, official_client):
    from indicators.selectors import latest_year_with_approved_data

    response = official_client.get("/reports/")
    assert response.status_code == 200
    report = response.context["report"]
    assert report.year == latest_year_with_approved_data()
    assert report.park_code == ""


def test_page_shows_every_section_with_its_charts_and_download_links(demo, official_client):
    response = official_client.get("/reports/?year=2019")
    body = response.content.decode()
    for title in ("公共财政收入", "358.70亿元", "+10.84%"):
        assert title in body
    assert [s["sheet"] for s in response.context["sections"]] == ["概览", "指标", "企业", "项目", "孵化", "问题清单"]
    assert body.count('class="pa-chart pa-chart-report"') >= 4
    assert "/reports/annual.xlsx?year=2019" in body
    assert "/reports/annual.pdf?year=2019" in body
    assert "data-pa-print" in body


def test_page_for_a_park(demo, official_client):
    response = official_client.get("/reports/?year=2019&park=core")
    assert response.status_code == 200
    assert response.context["report"].scope == "高新区本部(核心区)"
    assert "/reports/annual.pdf?year=2019&amp;park=core" in response.content.decode()


def test_the_zone_itself_is_the_whole_zone(demo, official_client):
    response = official_client.get("/reports/?year=2019&park=huaihua")
    assert response.status_code == 200
    assert response.context["report"].park_code == ""


@pytest.mark.parametrize("query", ["year=1800", "year=abc", "year=2019&park=nowhere"])
def test_unknown_year_or_park_is_refused_with_the_form_errors(demo, official_client, query):
    assert official_client.get(f"/reports/?{query}").status_code == 400
    assert official_client.get(f"/reports/annual.xlsx?{query}").status_code == 400
    assert not ReportExport.objects.exists()


def test_page_escapes_user_text(hostile, official_client):
    body = official_client.get("/reports/?year=2019").content.decode()
    assert HOSTILE_INDICATOR not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_every_download_is_recorded(demo, official_client, official):
    response = official_client.get("/reports/annual.xlsx?year=2019&park=core")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content.startswith(b"PK")
    response = official_client.get("/reports/annual.pdf?year=2019")
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    pdf, xlsx = ReportExport.objects.order_by("-pk")[:2]
    assert (xlsx.user, xlsx.year, xlsx.park_code, xlsx.format, xlsx.via) == (official, 2019, "core", "xlsx", "web")
    assert (pdf.user, pdf.year, pdf.park_code, pdf.format) == (official, 2019, "", "pdf")
    assert xlsx.size_bytes == len(content)
    assert xlsx.created_at is not None

    page = official_client.get("/reports/").content.decode()
    assert "用户" in page or official.first_name in page  # the recent exports name who made them


def test_the_export_log_is_read_only_in_the_admin(demo, client, official_client):
    from tests.factories import UserFactory

    official_client.get("/reports/annual.xlsx?year=2019")
    record = ReportExport.objects.get()
    client.force_login(UserFactory(username="it-admin", is_staff=True, is_superuser=True))
    listing = client.get("/admin/reports/reportexport/")
    assert listing.status_code == 200
    assert "official-user" in listing.content.decode()
    assert client.get("/admin/reports/reportexport/add/").status_code == 403
    page = client.get(f"/admin/reports/reportexport/{record.pk}/change/")
    assert page.status_code == 200
    assert 'name="year"' not in page.content.decode()  # shown, not editable


def test_the_year_list_offers_each_year_with_values_this_year_and_the_year_asked_for(demo, official_client):
    from django.utils import timezone

    from indicators.models import IndicatorValue

    def years(query: str) -> list[int]:
        form = official_client.get(f"/reports/?{query}").context["form"]
        return [year for year, _label in form.fields["year"].widget.choices]

    reported = {*IndicatorValue.objects.values_list("year", flat=True), timezone.localdate().year}
    assert years("year=2019") == sorted(reported, reverse=True)
    assert years("year=1995") == sorted({*reported, 1995}, reverse=True)
