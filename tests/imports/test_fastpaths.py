"""The import's fast paths rely on how Django and django-simple-history work inside (parkadmin/imports/fastpaths.py
lists each assumption). Each test here checks one assumption against the ordinary, documented path, so an upgrade
that breaks one fails here, naming what changed, instead of making imports slow or wrong."""

from __future__ import annotations

import copy

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.forms.models import BaseModelForm, ModelChoiceField
from django.test.utils import CaptureQueriesContext

from enterprises.forms import EnterpriseYearForm, ServiceRequestForm
from enterprises.models import Enterprise, EnterpriseYear
from parkadmin.imports.bulk import insert_with_history
from parkadmin.imports.fastpaths import (
    can_copy_history,
    has_callable_default,
    import_form,
    record_data,
    release,
    saves_only_its_row,
)
from parkadmin.imports.kinds import registry
from parkadmin.imports.pipeline import Importer
from tests.factories import EnterpriseFactory, UserFactory
from tests.imports.test_kinds import CASES, build, run, world  # noqa: F401 (world: a fixture)

# What an undrawn field shares with the field it is copied from, where Django's copy gives each form its own.
SHARED_BY_UNDRAWN_FIELDS = {"widget", "_choices"}


def form_classes() -> list[type]:
    """Every form an import runs, once each."""
    return list(dict.fromkeys(kind.form_class for kind in registry().values() if kind.form_class is not None))


def import_models() -> list[type]:
    """Every model an import writes, once each, in the registry's order (the same in every test process)."""
    return list(dict.fromkeys(kind.model for kind in registry().values()))


def model_form_classes() -> list[type]:
    return [form_class for form_class in form_classes() if issubclass(form_class, BaseModelForm)]


def renewed(field, field_copy) -> set[str]:
    """The attributes a copy of `field` does not share with it."""
    return {name for name, value in vars(field_copy).items() if vars(field).get(name, object()) is not value}


# --- forms -------------------------------------------------------------------------------------------------------


def test_a_queryset_tells_whether_it_has_filters():
    assert hasattr(Enterprise.objects.all().query, "has_filters"), "QuerySet.query.has_filters() is gone"
    assert not Enterprise.objects.all().query.has_filters()
    assert Enterprise.objects.filter(name="甲").query.has_filters()
    assert Enterprise.objects.complex_filter({"name": "甲"}).query.has_filters()  # what limit_choices_to does


def test_a_fetched_record_is_taken_as_django_would_fetch_it_without_a_query(db):
    enterprise = EnterpriseFactory()
    ordinary = EnterpriseYearForm.base_fields["enterprise"]
    fast = import_form(EnterpriseYearForm).base_fields["enterprise"]
    assert isinstance(fast, ModelChoiceField) and fast is not ordinary
    with CaptureQueriesContext(connection) as fast_queries:
        taken = fast.clean(enterprise)
    assert taken == ordinary.clean(enterprise)
    assert taken is enterprise
    assert len(fast_queries) == 0


def test_a_fetched_record_outside_a_narrowed_choice_is_refused_as_django_refuses_it(db):
    enterprise = EnterpriseFactory()
    ordinary = copy.deepcopy(EnterpriseYearForm.base_fields["enterprise"])
    fast = copy.deepcopy(import_form(EnterpriseYearForm).base_fields["enterprise"])
    for form_field in (ordinary, fast):
        form_field.queryset = Enterprise.objects.exclude(pk=enterprise.pk)
    with pytest.raises(ValidationError) as refused_by_django:
        ordinary.clean(enterprise)
    with pytest.raises(ValidationError) as refused_by_the_import:
        fast.clean(enterprise)
    assert refused_by_the_import.value.messages == refused_by_django.value.messages


def test_a_model_form_takes_the_model_s_checks_exclusions_from_get_validation_exclusions(db):
    """A batch's form leaves the fetched fields out of the model's checks (the pipeline checked the file's keys);
    should Django stop asking _get_validation_exclusions(), the batch form would check them again."""
    assert callable(getattr(BaseModelForm, "_get_validation_exclusions", None)), (
        "BaseModelForm._get_validation_exclusions() is gone: _BatchChecksMixin no longer takes effect"
    )
    stored = EnterpriseYear.objects.create(enterprise=EnterpriseFactory(), year=2019)
    data = {"enterprise": stored.enterprise, "year": 2019}
    ordinary = EnterpriseYearForm(data=data)
    assert not ordinary.is_valid()  # the enterprise already has 2019: Django checks the unique constraint
    assert isinstance(ordinary._get_validation_exclusions(), set)
    batch = import_form(EnterpriseYearForm, thorough=False)(data=data)
    valid = batch.is_valid()
    assert batch._get_validation_exclusions() == ordinary._get_validation_exclusions() | {"enterprise"}, (
        "a batch's form no longer adds the fetched fields to the exclusions of the model's checks"
    )
    assert valid, (
        "a batch's form checked the fetched enterprise after all: Django no longer reads its model checks' "
        f"exclusions from _get_validation_exclusions() ({batch.errors.as_data()})"
    )


@pytest.mark.parametrize("form_class", form_classes(), ids=lambda form_class: form_class.__name__)
def test_an_undrawn_field_renews_what_django_s_copy_renews_but_the_widget_and_choices(form_class):
    """Each row's form gets its own copy of every field; an undrawn field's copy is Django's without the widget and
    the choices. Should Django's copy renew anything else, each row's form would share it."""
    batch_class = import_form(form_class, thorough=False)
    for name, form_field in form_class.base_fields.items():
        undrawn = batch_class.base_fields[name]
        by_django, ours = copy.deepcopy(form_field), copy.deepcopy(undrawn)
        assert set(vars(ours)) == set(vars(by_django)), name
        missing = renewed(form_field, by_django) - renewed(undrawn, ours) - SHARED_BY_UNDRAWN_FIELDS
        assert not missing, f"Django's copy of {form_class.__name__}.{name} now renews {missing}: copy it too"
        assert ours.widget is undrawn.widget


def test_a_form_copies_its_fields_by_deepcopy():
    """What makes a batch's forms use the undrawn fields' copy."""
    form = import_form(ServiceRequestForm, thorough=False)(data={})
    for name, form_field in form.fields.items():
        assert form_field is not form.base_fields[name]
        assert type(form_field) is type(form.base_fields[name])
        assert form_field.widget is form.base_fields[name].widget


def test_a_choice_field_keeps_its_choices_in_choices_():
    """An undrawn choice field shares `_choices` with the field it is copied from; it must be where they are."""
    form_field = forms.ChoiceField(choices=[("a", "A")])
    assert "_choices" in vars(form_field)
    assert "_choices" in renewed(form_field, copy.deepcopy(form_field))


def test_a_model_choice_field_keeps_its_queryset_in_queryset_():
    form_field = EnterpriseYearForm.base_fields["enterprise"]
    assert vars(form_field).get("_queryset") is form_field.queryset
    assert "_queryset" in renewed(form_field, copy.deepcopy(form_field))


def test_release_takes_what_django_leaves_on_a_used_form(db):
    enterprise = EnterpriseFactory()
    form = EnterpriseYearForm(data={"enterprise": enterprise.pk, "year": 2020})
    assert form.is_valid(), form.errors
    form["year"]
    assert isinstance(getattr(form, "_bound_fields_cache", None), dict), "BaseForm._bound_fields_cache is gone"
    assert form._bound_fields_cache, "Django no longer keeps bound fields in BaseForm._bound_fields_cache"
    form.save(commit=False)
    assert "save_m2m" in vars(form), "save(commit=False) no longer leaves save_m2m on the form"
    release(form)
    assert not form._bound_fields_cache
    assert "save_m2m" not in vars(form)


# --- records -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [*import_models(), get_user_model()], ids=lambda model: model.__name__)
def test_the_many_to_many_fields_are_those_django_documents(model):
    documented = [f for f in model._meta.get_fields() if f.many_to_many and not f.auto_created]
    assert list(model._meta.many_to_many) == documented
    # A save of the model's own stops bulk inserts unless it declares it stores the row and nothing else
    # (VersionedModel's: a duplicate refused as the checks refuse it).
    stores_row = model.save is models.Model.save or getattr(model.save, "stores_only_its_row", False)
    assert saves_only_its_row(model) == (stores_row and not documented)


def test_a_user_with_groups_is_not_inserted_in_bulk():
    assert not saves_only_its_row(get_user_model())


@pytest.mark.parametrize("form_class", model_form_classes(), ids=lambda form_class: form_class.__name__)
def test_a_record_s_data_is_what_its_model_form_starts_from(db, form_class):
    model = form_class._meta.model
    names = list(form_class.base_fields)
    record = model()
    initial = form_class(instance=record).initial
    assert record_data(record, names) == {name: initial[name] for name in names if name in initial}


@pytest.mark.parametrize("model", import_models(), ids=lambda model: model.__name__)
def test_a_default_is_known_as_django_knows_it(model):
    for model_field in model._meta.concrete_fields:
        assert model_field.has_default() == (model_field.default is not models.NOT_PROVIDED), model_field.name
        expected = model_field.default is not models.NOT_PROVIDED and callable(model_field.default)
        assert has_callable_default(model, [model_field.name]) == expected, model_field.name


def test_the_concrete_fields_are_those_django_documents():
    for model in import_models():
        documented = [f for f in model._meta.get_fields() if f.concrete]
        assert list(model._meta.concrete_fields) == documented, model


# --- history -----------------------------------------------------------------------------------------------------


def test_the_database_backend_offers_what_the_history_copy_uses():
    assert isinstance(getattr(connection.features, "can_return_rows_from_bulk_insert", None), bool)
    assert connection.features.can_return_rows_from_bulk_insert, "new ids are not returned: no history is copied"
    assert callable(connection.ops.quote_name)
    assert callable(connection.ops.adapt_datetimefield_value)


@pytest.mark.parametrize("kind", [name for name, kind in registry().items() if kind.inserts_in_bulk()])
def test_every_kind_inserted_in_bulk_has_its_history_copied_by_the_database(kind):
    """A history column the copy does not know (a new bookkeeping column of django-simple-history) would send the
    kind back to the library's slower function."""
    model = registry()[kind].model
    history = model.history.model
    assert hasattr(history, "tracked_fields"), "django-simple-history's tracked_fields is gone"
    assert callable(getattr(history, "get_default_history_user", None))
    assert can_copy_history(model), f"the history table of {model.__name__} has a column the copy does not fill"


def test_copied_history_is_the_library_s(db):
    """The same records with history by the copy and by django-simple-history's bulk_create_with_history."""
    from simple_history.utils import bulk_create_with_history

    staff = UserFactory(username="wu")
    enterprise = EnterpriseFactory()
    insert_with_history(
        [EnterpriseYear(enterprise=enterprise, year=2015, revenue=1, source="年报")], EnterpriseYear, staff
    )
    bulk_create_with_history(
        [EnterpriseYear(enterprise=enterprise, year=2016, revenue=1, source="年报")],
        EnterpriseYear,
        default_user=staff,
    )
    ignored = {"history_id", "history_date", "id", "year", "created_at", "updated_at"}

    def entry(year):
        row = EnterpriseYear.history.filter(year=year).values().get()
        return {name: value for name, value in row.items() if name not in ignored}

    assert entry(2015) == entry(2016)


# --- the whole run -----------------------------------------------------------------------------------------------


def stored_rows(model) -> list[tuple]:
    """Every stored record's fields, but those a run sets anew (keys, times)."""
    names = [
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key and not isinstance(f, models.DateTimeField | models.AutoField)
    ]
    return sorted(tuple(str(getattr(record, name)) for name in names) for record in model._default_manager.all())


def outcome(result) -> tuple:
    return (
        [(row.row, row.action, row.label) for row in result.outcomes],
        [(error.row, error.column, error.message) for error in result.errors],
        result.file_error,
    )


def without_fast_paths(monkeypatch) -> None:
    """Rows saved by the app's own form as Django runs it, one by one."""
    monkeypatch.setattr(Importer, "form_for", lambda self, form_class: form_class)
    monkeypatch.setattr(Importer, "inserts_in_bulk", classmethod(lambda cls: False))


@pytest.mark.usefixtures("world")
@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_kind_imports_alike_with_and_without_the_fast_paths(case, monkeypatch):
    good, _headers = build(case.kind, case.good)
    mixed, _headers = build(case.kind, [*case.good, *(row for row, _column in case.bad)])
    results, stored = [], []
    for fast in (True, False):
        if not fast:
            without_fast_paths(monkeypatch)
        with transaction.atomic():
            results.append((outcome(run(case.kind, mixed, dry_run=True)), outcome(run(case.kind, good))))
            stored.append(stored_rows(case.model))
            transaction.set_rollback(True)
    assert results[0] == results[1], "the fast paths and Django's own forms judge this file differently"
    assert stored[0] == stored[1], "the fast paths and Django's own forms store this file differently"
    assert results[0][1][0], "the good file imported nothing"
