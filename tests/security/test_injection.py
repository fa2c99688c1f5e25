"""User text never runs: not as markup in pages, charts or API docs, not as a formula in exports, not as SQL.

Every free-text field of every record (and every user's name) holds a hostile payload; then every page the
project has (the URL patterns themselves are walked, so a new page is covered when it appears) is opened as an
administrator and must show the payload only escaped.
"""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import resolve, reverse
from django.urls.exceptions import NoReverseMatch

from parkadmin.generic import ObjectListView
from tests.harness import sample_paths
from tests.security import hostile
from tests.spreadsheets import all_texts, formula_elements

pytestmark = pytest.mark.django_db

# Not pages: they act on POST, or lead elsewhere.
SKIPPED_ROUTES = {"logout", "admin:logout", "set_language"}
# Pages reached with a query string that shows more of the records.
EXTRA_PATHS = (
    "/?include_pending=1",
    "/?park=core",
    "/dashboard/screen/?park=core",
    "/indicators/?include_pending=1",
    "/indicators/values/?status=submitted",
    "/enterprises/service-requests/?status=unresolved",
    "/history/",
    "/my-work/",
    "/imports/enterprises/",
    "/reports/?year=2019",
)
CHART_DATA = re.compile(r'data-figure="([^"]+)"')
JSON_SCRIPT = re.compile(r'<script id="([^"]+)" type="application/json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def hostile_records(django_db_setup, django_db_blocker):
    """The demo and a record of each type it lacks, made once for the module inside a transaction that is rolled
    back at its end. Each test runs in a savepoint of it (pytest-django nests the test's transaction), so the
    payloads one test writes are gone before the next."""
    import demo

    with django_db_blocker.unblock(), transaction.atomic():
        demo.load(with_accounts=True)
        hostile.fill_gaps()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_admin(hostile_records, client):
    user = get_user_model().objects.get(username="demo-admin")
    client.force_login(user)
    return client


def view_model(match):
    """The model a resolved URL shows: a generic view's, an admin page's, an API viewset's."""
    view_class = getattr(match.func, "view_class", None)
    if getattr(view_class, "model", None) is not None:
        return view_class.model, "pk"
    model_admin = getattr(match.func, "model_admin", None)
    if model_admin is not None:
        return model_admin.model, "pk"
    viewset = getattr(match.func, "cls", None)
    queryset = getattr(viewset, "queryset", None)
    if queryset is not None:
        return queryset.model, getattr(viewset, "lookup_field", "pk")
    return None, "pk"


def richest(model):
    """The record whose page shows the most: for an indicator, one with values (its page draws the series)."""
    records = model._default_manager.order_by("pk")
    if model.__name__ == "Indicator":
        records = records.filter(values__isnull=False)
    return records.first()


def concrete_paths() -> list[str]:
    """One path per URL pattern, pointing at a real record wherever the pattern takes one."""
    paths = []
    samples, _unresolved = sample_paths()
    for sample in samples:
        if sample.name in SKIPPED_ROUTES:
            continue
        match = resolve(sample.path)
        model, lookup = view_model(match)
        path = sample.path
        if match.kwargs and model is not None:
            record = richest(model)
            if record is None:
                continue
            kwargs = dict(match.kwargs)
            for key in kwargs:
                if key in ("pk", "object_id"):
                    kwargs[key] = str(record.pk)
                elif key == "code" or key == lookup:
                    kwargs[key] = str(getattr(record, "code" if key == "code" else lookup))
            try:
                path = reverse(match.view_name, kwargs=kwargs)
            except NoReverseMatch:
                pass
        paths.append(path)
    return sorted(set(paths)) + list(EXTRA_PATHS)


def assert_inert(path: str, html: str) -> None:
    for markup in hostile.MARKUP:
        assert markup not in html, f"{path}: unescaped {markup!r}"


def chart_strings(html: str) -> list[str]:
    """Every string inside the plotly figures of a page (the JSON of `data-figure` containers)."""
    blocks = dict(JSON_SCRIPT.findall(html))
    strings: list[str] = []

    def walk(node):
        if isinstance(node, str):
            strings.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for data_id in CHART_DATA.findall(html):
        walk(json.loads(blocks[data_id]))
    return strings


# --- pages, charts, narrative, API docs -----------------------------------------------------------------------


def test_every_page_shows_hostile_text_escaped(demo_admin):
    # Both payloads, taking turns over the fields.
    hostile.poison(tuple(hostile.HTML_PAYLOADS.values()))
    opened = 0
    charts = 0
    for path in concrete_paths():
        response = demo_admin.get(path, HTTP_ACCEPT="text/html")
        assert response.status_code < 500, f"{path}: {response.status_code}"
        if "html" not in response.get("Content-Type", "") or response.status_code != 200:
            continue
        html = response.content.decode()
        opened += 1
        assert_inert(path, html)
        for text in chart_strings(html):
            charts += 1
            # Plotly renders a few tags in chart text: labels from users arrive escaped and show as typed.
            assert not any(markup in text for markup in hostile.MARKUP), f"{path}: chart text {text!r}"
    assert opened > 60 and charts > 50, (opened, charts)
    assert f"/indicators/{first_indicator_code()}/" in concrete_paths()


@pytest.mark.parametrize("payload", hostile.HTML_PAYLOADS.values(), ids=hostile.HTML_PAYLOADS.keys())
def test_the_dashboard_names_and_narrative_show_hostile_names_as_text(demo_admin, payload):
    hostile.poison(payload)
    html = demo_admin.get("/").content.decode()
    assert_inert("/", html)
    # The names are there, escaped: the page did show them.
    assert payload.replace("<", "&lt;").replace(">", "&gt;")[:20] in html
    # And the chart labels carry them escaped (plotly shows &lt; as <).
    assert any("&lt;" in text for text in chart_strings(html))


def test_json_blocks_escape_the_closing_script_tag(demo_admin):
    hostile.poison(hostile.SCRIPT)
    for path in ("/", "/dashboard/screen/", f"/indicators/{first_indicator_code()}/"):
        html = demo_admin.get(path).content.decode()
        for _data_id, block in JSON_SCRIPT.findall(html):
            assert "</script" not in block and "<script" not in block
            json.loads(block)


def first_indicator_code() -> str:
    from indicators.models import Indicator

    return Indicator.objects.filter(values__isnull=False).order_by("pk").first().code


def test_api_docs_and_schema_are_inert(demo_admin):
    hostile.poison(hostile.IMG)
    docs = demo_admin.get("/api/docs/")
    assert docs.status_code == 200
    assert_inert("/api/docs/", docs.content.decode())
    # The interactive docs run no inline script (CSP) and show the schema as data.
    assert "<script>" not in docs.content.decode()
    schema = demo_admin.get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert_inert("/api/schema/", schema.content.decode())


def test_the_browsable_api_shows_hostile_text_escaped(demo_admin):
    hostile.poison(hostile.SCRIPT)
    for path in ("/api/enterprises/", "/api/service-requests/", "/api/projects/", "/api/indicators/"):
        response = demo_admin.get(path, HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert_inert(path, response.content.decode())


def test_the_api_returns_hostile_text_as_json_data(demo_admin):
    hostile.poison(hostile.IMG)
    response = demo_admin.get("/api/enterprises/")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["results"][0]["name"].startswith(hostile.IMG)


# --- exports --------------------------------------------------------------------------------------------------


def list_paths() -> list[str]:
    samples, _unresolved = sample_paths()
    paths = []
    for sample in samples:
        view_class = getattr(resolve(sample.path).func, "view_class", None)
        if view_class is not None and issubclass(view_class, ObjectListView):
            paths.append(sample.path)
    return paths


def assert_no_formula(where: str, text: str) -> None:
    """A CSV cell no spreadsheet runs: nothing that starts a formula first, also behind blanks or invisible marks."""
    if re.fullmatch(r"-?\d+(\.\d+)?", text):  # a number written as text in CSV (e.g. -2.5) is a number
        return
    runs = text.startswith(hostile.FORMULA_STARTS) or re.match(r"[\s\ufeff\u200b]*[=+\-@＝＋－＠]", text)
    assert not runs, f"{where}: {text!r} would run as a formula"


def assert_exact(where: str, texts: list[str]) -> None:
    """The XLSX holds each payload exactly as typed (the record's id follows it), never behind an apostrophe."""
    for payload in hostile.FORMULA_PAYLOADS:
        assert any(text.startswith(payload) for text in texts), f"{where}: {payload!r} is not written as it is"
    assert not any(text.startswith("'") for text in texts), f"{where}: text behind an apostrophe"


def test_every_list_exports_csv_formulas_as_inert_text_and_xlsx_text_exactly(demo_admin):
    hostile.poison(hostile.FORMULA_PAYLOADS)
    paths = list_paths()
    assert len(paths) >= 15
    cells = 0
    exported: list[str] = []
    for path in paths:
        response = demo_admin.get(path, {"export": "csv"})
        assert response.status_code == 200, path
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                cells += 1
                assert_no_formula(f"{path} CSV", cell)
        response = demo_admin.get(path, {"export": "xlsx"})
        assert response.status_code == 200, path
        content = b"".join(response.streaming_content)
        assert formula_elements(content) == 0, f"{path} XLSX: a formula"
        for cell in xlsx_cells(content):
            cells += 1
            assert cell.data_type != "f", f"{path} XLSX: a formula cell {cell.value!r}"
        exported += all_texts(content)
    assert cells > 500
    assert_exact("list exports", exported)


def xlsx_cells(content: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_exports_really_carry_the_payloads_made_inert(demo_admin):
    hostile.poison(hostile.FORMULA_PAYLOADS)
    response = demo_admin.get("/enterprises/", {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    # The text is kept, behind the apostrophe a spreadsheet reads as "this is text".
    assert any(cell.startswith("'") and cell[1:].startswith(hostile.FORMULA_STARTS) for cell in text.split(","))


def test_the_annual_report_workbook_has_no_formula_and_user_text_exactly(demo_admin):
    hostile.poison(hostile.FORMULA_PAYLOADS)
    try:
        url = reverse("reports_annual_xlsx")
    except NoReverseMatch:
        pytest.skip("the annual report is not wired yet")
    response = demo_admin.get(url, {"year": 2019})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert formula_elements(content) == 0
    assert all(cell.data_type != "f" for cell in xlsx_cells(content))
    texts = all_texts(content)
    assert len(texts) > 10
    assert not any(text.startswith("'") for text in texts), "annual report: text behind an apostrophe"
    assert any(text.startswith(hostile.FORMULA_PAYLOADS) for text in texts)


# --- filters and search ---------------------------------------------------------------------------------------

HOSTILE_QUERIES = (
    "' OR 1=1 --",
    "1; DROP TABLE enterprises_enterprise; --",
    "%",
    "_",
    "%%%_\\",
    "x" * 10_000,
    "\x00",
    "a\x00b",
    "2020-13-45",
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "企业' UNION SELECT password FROM auth_user --",
)


def filter_names(path: str) -> list[str]:
    view_class = resolve(path).func.view_class
    return list(view_class.filterset_class.base_filters)


# Parameters of the pages beyond their FilterSet's (whose filters the API test below tries one by one).
PAGE_PARAMETERS = {
    "/": ("year", "park", "include_pending"),
    "/dashboard/screen/": ("year", "park", "include_pending"),
    "/history/": ("since", "until", "user", "model"),
    "/reports/": ("year", "park"),
    "/projects/board/": ("q", "park", "cluster", "key_level", "band"),
}
LIST_PARAMETERS = ("q", "sort", "page", "per_page")
ONE_BY_ONE = ("\x00", "99999999999999999999999", "-1", "x" * 10_000)


def test_hostile_search_and_filters_on_pages_never_fail(demo_admin):
    hostile.poison(hostile.IMG)
    paths = {path: LIST_PARAMETERS for path in list_paths()} | PAGE_PARAMETERS
    for path, own in paths.items():
        view_class = getattr(resolve(path).func, "view_class", None)
        filters = list(view_class.filterset_class.base_filters) if hasattr(view_class, "filterset_class") else []
        # The dashboard and the report draw many charts: they get the values their parameters could choke on.
        values = HOSTILE_QUERIES if path not in PAGE_PARAMETERS else (*ONE_BY_ONE, "' OR 1=1 --", "2020-13-45")
        for value in values:
            response = demo_admin.get(path, dict.fromkeys([*filters, *own], value))
            assert response.status_code in (200, 400), f"{path} with {value[:30]!r}: {response.status_code}"
            if response.status_code == 200:
                assert_inert(path, response.content.decode())
        # One at a time too: an invalid value in one parameter must not hide another's failure.
        for value in ONE_BY_ONE[:2]:
            for name in own:
                response = demo_admin.get(path, {name: value})
                assert response.status_code in (200, 400), f"{path}?{name}={value[:30]!r}: {response.status_code}"


def test_a_search_for_sql_finds_nothing_and_harms_nothing(demo_admin):
    from enterprises.models import Enterprise

    before = Enterprise.objects.count()
    response = demo_admin.get("/enterprises/", {"q": "' OR 1=1 --"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    assert demo_admin.get("/api/enterprises/", {"q": "' OR 1=1 --"}).json()["count"] == 0
    assert Enterprise.objects.count() == before


def test_percent_and_underscore_are_searched_literally(demo_admin):
    response = demo_admin.get("/enterprises/", {"q": "%"})
    assert response.context["page_obj"].paginator.count == 0
    response = demo_admin.get("/enterprises/", {"q": "_"})
    assert response.context["page_obj"].paginator.count == 0


def api_list_paths() -> list[str]:
    from parkadmin.api_urls import router

    return [f"/api/{prefix}/" for prefix, _viewset, _basename in router.registry]


def test_hostile_filters_on_the_api_never_fail(demo_admin):
    from parkadmin.api_urls import router

    paths = {f"/api/{prefix}/": viewset for prefix, viewset, _basename in router.registry}
    for path, viewset in paths.items():
        names = [*viewset.filterset_class.base_filters, "ordering", "page", "page_size", "include_pending"]
        for value in HOSTILE_QUERIES:
            response = demo_admin.get(path, dict.fromkeys(names, value))
            assert response.status_code in (200, 400, 404), f"{path} with {value[:30]!r}: {response.status_code}"
            if value in ONE_BY_ONE:
                for name in names:
                    response = demo_admin.get(path, {name: value})
                    assert response.status_code in (200, 400, 404), f"{path}?{name}={value[:30]!r}"
    code = first_indicator_code()
    for value in HOSTILE_QUERIES:
        for path, params in (
            (f"/api/indicators/{code}/series/", {"park": value, "include_pending": value}),
            ("/api/dashboard/", {"year": value, "park": value}),
        ):
            response = demo_admin.get(path, params)
            assert response.status_code in (200, 400), f"{path} with {value[:30]!r}: {response.status_code}"


def test_hostile_ids_in_urls_are_not_found_not_errors(demo_admin):
    for path in (
        "/api/enterprises/99999999999999999999999/",
        "/api/parks/%00/",
        "/api/indicators/%27%20OR%201%3D1/",
        "/api/indicators/x/series/",
        "/enterprises/99999999999999999999999/",
        "/indicators/%27%20OR%201%3D1/",
    ):
        response = demo_admin.get(path)
        assert response.status_code in (400, 404), f"{path}: {response.status_code}"
