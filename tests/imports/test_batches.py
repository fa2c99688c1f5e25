"""How the pipeline saves rows in batches: new records inserted together with their history, no query per row, and
a rule left to the database still named on its row when the database refuses a batch."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.models import Enterprise, EnterpriseYear, Incubation
from parkadmin.imports import fastpaths, limits
from parkadmin.imports.bulk import history_user, insert_with_history
from parkadmin.imports.fastpaths import import_form
from parkadmin.imports.kinds import registry
from tests.factories import EnterpriseFactory, IncubationFactory, IncubatorFactory, UserFactory
from tests.imports.test_kinds import build, run


@pytest.fixture
def enterprises(db):
    return [EnterpriseFactory(name=f"批量科技{number:03d}有限公司") for number in range(20)]


def year_rows(enterprises, count: int) -> list[dict]:
    return [
        {"enterprise": enterprise.name, "year": 2000 + index // len(enterprises), "revenue": 100 + index}
        for index, enterprise in zip(range(count), enterprises * (count // len(enterprises) + 1), strict=False)
    ]


def queries_to_import(kind: str, rows: list[dict]) -> int:
    data, _headers = build(kind, rows)
    with CaptureQueriesContext(connection) as captured:
        result = run(kind, data)
    assert result.ok, result.errors
    return len(captured)


def test_an_import_makes_no_query_per_row(enterprises):
    few = queries_to_import("enterprise-years", year_rows(enterprises, 20))
    EnterpriseYear.objects.all().delete()
    many = queries_to_import("enterprise-years", year_rows(enterprises, 400))
    assert EnterpriseYear.objects.count() == 400
    # SQLite takes fewer rows per INSERT than PostgreSQL (its limit on parameters), hence a little growth there.
    assert many - few <= 380 // 20, (few, many)


def test_records_inserted_together_have_their_history_by_the_importer(enterprises):
    staff = UserFactory(username="li")
    data, _headers = build("enterprise-years", year_rows(enterprises, 30))
    result = run("enterprise-years", data, user=staff)
    assert result.created == 30
    history = EnterpriseYear.history.all()
    assert history.count() == 30
    assert {(entry.history_type, entry.history_user_id) for entry in history} == {("+", staff.pk)}
    assert sorted(entry.id for entry in history) == sorted(EnterpriseYear.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("batch", [limits.BATCH, 7])
def test_updates_and_new_records_mix_across_batches(enterprises, monkeypatch, batch):
    monkeypatch.setattr(limits, "BATCH", batch)
    rows = year_rows(enterprises, 40)
    data, _headers = build("enterprise-years", rows[:15])
    assert run("enterprise-years", data).created == 15
    changed = [{**row, "revenue": row["revenue"] + 1} if index % 2 else row for index, row in enumerate(rows)]
    data, _headers = build("enterprise-years", changed)
    result = run("enterprise-years", data)
    assert (result.created, result.updated, result.unchanged) == (25, 7, 8)
    assert EnterpriseYear.objects.count() == 40
    assert sorted(EnterpriseYear.objects.values_list("revenue", flat=True)) == sorted(row["revenue"] for row in changed)


def test_a_rule_on_a_fetched_record_left_to_the_database_is_named_on_its_row(db, monkeypatch):
    """Two open stays of one enterprise in one file: the batch skips the per-row check (it involves the enterprise
    the lookup fetched), the database refuses the batch, and the rows done again one by one name the second."""
    monkeypatch.setattr(limits, "BATCH", 3)
    incubator = IncubatorFactory(name="科技企业孵化器")
    first, second, other = (EnterpriseFactory(name=f"孵化科技{n}有限公司") for n in range(3))
    rows = [
        {"enterprise": other.name, "incubator": incubator.name, "entered_on": "2019-01-01"},
        {"enterprise": first.name, "incubator": incubator.name, "entered_on": "2019-03-01"},
        {"enterprise": first.name, "incubator": incubator.name, "entered_on": "2019-04-01"},
        {"enterprise": second.name, "incubator": incubator.name, "entered_on": "2019-05-01"},
    ]
    data, _headers = build("incubations", rows)
    result = run("incubations", data)
    assert [error.row for error in result.errors] == [4]
    assert result.errors[0].message == "该企业已处于在孵状态，请先结束其当前的孵化记录。"
    assert [outcome.row for outcome in result.outcomes] == [2, 3, 5]
    assert not Incubation.objects.exists()


def test_a_stored_record_the_batch_did_not_check_is_named_too(db):
    incubator = IncubatorFactory(name="科技企业孵化器")
    stored = IncubationFactory(incubator=incubator, entered_on=datetime.date(2018, 1, 1))
    row = {"enterprise": stored.enterprise.name, "incubator": incubator.name, "entered_on": "2019-03-01"}
    data, _headers = build("incubations", [row])
    result = run("incubations", data)
    assert [(error.row, error.column) for error in result.errors] == [(2, "")]
    assert Incubation.objects.count() == 1


def test_two_new_enterprises_with_one_name_are_refused_on_the_second(db):
    rows = [
        {"name": "同名科技有限公司", "credit_code": "91350100M000100Y43"},
        {"name": "同名科技有限公司", "credit_code": "91431200MA0000001P"},
    ]
    data, _headers = build("enterprises", rows)
    result = run("enterprises", data)
    assert [(error.row, error.column) for error in result.errors] == [(3, "企业名称")]
    assert not Enterprise.objects.exists()


def test_only_kinds_whose_save_stores_the_row_alone_insert_in_bulk():
    kinds = registry()
    assert kinds["enterprise-years"].inserts_in_bulk()
    # A problem's save() fills in its due date: its records are saved one by one.
    assert not kinds["service-requests"].inserts_in_bulk()


def test_a_batch_done_again_row_by_row_updates_its_stored_records_from_their_stored_state(db):
    """The first pass over a refused batch changed its stored records in memory; the second reads them again."""
    incubator = IncubatorFactory(name="科技企业孵化器")
    stored = IncubationFactory(incubator=incubator, entered_on=datetime.date(2018, 1, 1), area_m2=100)
    twice = EnterpriseFactory(name="两次在孵有限公司")
    rows = [
        {
            "enterprise": stored.enterprise.name,
            "incubator": incubator.name,
            "entered_on": "2018-01-01",
            "status": stored.status,
            "area_m2": 150,
        },
        {"enterprise": twice.name, "incubator": incubator.name, "entered_on": "2019-03-01", "area_m2": 50},
        {"enterprise": twice.name, "incubator": incubator.name, "entered_on": "2019-04-01", "area_m2": 50},
    ]
    data, _headers = build("incubations", rows)
    result = run("incubations", data, dry_run=True)
    assert [error.row for error in result.errors] == [4]
    assert [(outcome.row, outcome.action) for outcome in result.outcomes] == [(2, "update"), (3, "create")]
    stored.refresh_from_db()
    assert (stored.area_m2, stored.version) == (100, 1)


def test_each_row_of_a_batch_gets_fields_of_its_own():
    """Batch forms copy their fields cheaply (sharing widgets): what one row's form changes stays with it."""
    from enterprises.forms import ServiceRequestForm

    form_class = import_form(ServiceRequestForm, thorough=False)
    first, second = form_class(data={}), form_class(data={})
    assert first.fields["title"] is not second.fields["title"]
    assert first.fields["title"].widget is second.fields["title"].widget  # the cheap part: nothing draws it
    first.fields["title"].required = False
    first.fields["title"].error_messages["required"] = "changed"
    first.fields["title"].validators.append(lambda value: None)
    assert second.fields["title"].required
    assert second.fields["title"].error_messages["required"] != "changed"
    assert len(second.fields["title"].validators) == len(form_class.base_fields["title"].validators)
    assert form_class.base_fields["title"].required
    # Each form narrows the assignee's choices on its own copy of the field.
    assert first.fields["assignee"].queryset is not form_class.base_fields["assignee"].queryset


def test_a_batch_s_forms_are_freed_as_soon_as_their_rows_are_done(enterprises):
    """Used forms are taken out of their reference cycles, so the garbage collector has nothing to chase."""
    import gc

    from enterprises.importers import EnterpriseYearImporter

    importer = EnterpriseYearImporter()
    gc.collect()
    gc.disable()
    try:
        before = len(gc.get_objects())
        for year in range(2001, 2051):
            importer.save_row({"enterprise": enterprises[0], "year": year, "revenue": 100}, None)
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable < 50, unreachable  # 50 rows' forms in cycles would leave hundreds of objects
    assert len(gc.get_objects()) - before < 500


@pytest.mark.parametrize("copied_by_the_database", [True, False])
def test_history_rows_of_inserted_records_are_what_simple_history_writes(
    enterprises, monkeypatch, copied_by_the_database
):
    """The database copies the new rows into the history table; where it cannot (no ids returned, or columns the
    copy does not know), the library does it. Either way each record gets one "created" row with its every field,
    the importer and the time."""
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    if not copied_by_the_database:
        monkeypatch.setattr(fastpaths, "_history_copy_plan", lambda model: None)
    staff = UserFactory(username="zhao")
    started = timezone.now()
    ours = [
        EnterpriseYear(enterprise=e, year=2010, revenue=100 + n, tax=n, source=f"来源{n}")
        for n, e in enumerate(enterprises)
    ]
    insert_with_history(ours, EnterpriseYear, staff)
    theirs = [
        EnterpriseYear(enterprise=e, year=2011, revenue=100 + n, tax=n, source=f"来源{n}")
        for n, e in enumerate(enterprises)
    ]
    bulk_create_with_history(theirs, EnterpriseYear, default_user=staff)
    tracked = [f.attname for f in EnterpriseYear.history.model.tracked_fields]

    def rows(year):
        return sorted(
            (
                tuple(getattr(entry, name) for name in tracked if name != "year"),
                entry.history_type,
                entry.history_user_id,
                entry.history_change_reason,
            )
            for entry in EnterpriseYear.history.filter(year=year)
        )

    ours_rows = rows(2010)
    assert len(ours_rows) == len(enterprises)
    assert (
        [row[1:] for row in ours_rows] == [row[1:] for row in rows(2011)] == [("+", staff.pk, None)] * len(enterprises)
    )
    records = {r.pk: r for r in EnterpriseYear.objects.filter(year=2010)}
    for entry in EnterpriseYear.history.filter(year=2010):
        assert all(getattr(entry, name) == getattr(records[entry.id], name) for name in tracked)
        assert started <= entry.history_date <= timezone.now()


def test_an_import_from_the_command_line_names_its_user_in_the_copied_history(enterprises):
    staff = UserFactory(username="qian")
    records = [EnterpriseYear(enterprise=e, year=2012, revenue=1) for e in enterprises[:3]]
    with history_user(staff):
        insert_with_history(records, EnterpriseYear, None)
    assert set(EnterpriseYear.history.filter(year=2012).values_list("history_user_id", flat=True)) == {staff.pk}


def test_batch_forms_do_not_share_a_queryset_of_choices():
    from enterprises.forms import EnterpriseYearForm

    form_class = import_form(EnterpriseYearForm, thorough=False)
    first, second = form_class(data={}), form_class(data={})
    assert first.fields["enterprise"].queryset is not second.fields["enterprise"].queryset
    assert first.fields["enterprise"].queryset is not form_class.base_fields["enterprise"].queryset


def test_new_records_start_from_defaults_worked_out_once_unless_one_is_made_per_record(db, monkeypatch):
    from enterprises.importers import EnterpriseYearImporter

    importer = EnterpriseYearImporter()
    assert importer._new_record_data() is importer._new_record_data()  # every default is a constant
    numbers = iter(range(100))
    source = EnterpriseYear._meta.get_field("source")
    monkeypatch.setattr(source, "default", lambda: f"第{next(numbers)}号")
    monkeypatch.delitem(source.__dict__, "_get_default", raising=False)  # Django keeps the field's default maker
    importer = EnterpriseYearImporter()
    assert importer._new_record_data()["source"] != importer._new_record_data()["source"]


def test_history_is_left_to_the_library_where_the_copy_would_not_do(enterprises, monkeypatch, settings):
    """A history table with a column the copy does not fill, history switched off, or a record naming its own
    history user: the library's bulk_create_with_history, which honours them."""
    history = EnterpriseYear.history.model
    assert fastpaths._history_copy_plan(EnterpriseYear) is not None
    fastpaths._history_copy_plan.cache_clear()
    monkeypatch.setattr(history, "tracked_fields", [f for f in history.tracked_fields if f.name != "source"])
    try:
        assert fastpaths._history_copy_plan(EnterpriseYear) is None  # the history's "source" would stay empty
    finally:
        fastpaths._history_copy_plan.cache_clear()
    monkeypatch.undo()
    staff, other = UserFactory(username="sun"), UserFactory(username="zhou")
    record = EnterpriseYear(enterprise=enterprises[0], year=2013, revenue=1)
    record._history_user = other
    insert_with_history([record], EnterpriseYear, staff)
    assert EnterpriseYear.history.get(year=2013).history_user == other
    settings.SIMPLE_HISTORY_ENABLED = False
    insert_with_history([EnterpriseYear(enterprise=enterprises[0], year=2014, revenue=1)], EnterpriseYear, staff)
    assert EnterpriseYear.objects.filter(year=2014).exists()
    assert not EnterpriseYear.history.filter(year=2014).exists()


def test_a_batch_done_again_row_by_row_gets_each_row_as_the_file_gave_it(enterprises, monkeypatch):
    """Hooks may take values out of a row (problems take their status moves out); the rows done again after the
    database refused the batch must still have them."""
    from django.db import IntegrityError

    from enterprises.choices import ProblemStatus
    from enterprises.models import ServiceRequest

    importer_class = registry()["service-requests"]
    original = importer_class.save_row

    def refused_in_the_batch(self, values, instance):
        outcome = original(self, values, instance)
        if not self.thorough:
            raise IntegrityError("refused in the batch")
        return outcome

    monkeypatch.setattr(importer_class, "save_row", refused_in_the_batch)
    row = {
        "enterprise": enterprises[0].name,
        "title": "用电增容",
        "category": "utilities",
        "raised_on": "2020-03-02",
        "status": ProblemStatus.RESOLVED.label,
        "resolution": "已增容",
        "resolved_on": "2020-03-05",
    }
    data, _headers = build("service-requests", [row])
    result = run("service-requests", data)
    assert result.ok, result.errors
    problem = ServiceRequest.objects.get()
    assert (problem.status, problem.resolution, problem.resolved_on) == (
        ProblemStatus.RESOLVED,
        "已增容",
        datetime.date(2020, 3, 5),
    )
