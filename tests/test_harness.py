"""The access harness itself: an allowed write passes only if it did what it claims, so a form that fails to
validate, an edit that saves nothing and a delete that deletes nothing fail the role matrix."""

import itertools

import pytest

from parks.forms import ParkForm
from parks.models import Park
from tests.factories import EnterpriseFactory, ParkFactory
from tests.harness import Access, Endpoint, Page, check_access, crud_accesses, page_accesses

pytestmark = pytest.mark.django_db

ADMINS = frozenset({"administrator"})
_numbers = itertools.count(1)


def park_form() -> dict:
    return {"code": f"harness{next(_numbers)}", "name": f"检验园区{next(_numbers)}", "kind": "sub_park"}


def park_page(form=park_form, factory=ParkFactory, change=None) -> Page:
    return Page(
        "park", "/enterprises/parks/", Park, factory, form, {"name": "改名的园区"} if change is None else change
    )


def park_api(new=park_form) -> Endpoint:
    return Endpoint("/api/parks/", Park, ParkFactory, new, {"name": "改名"}, lookup="code")


def row(accesses: list[Access], name: str) -> Access:
    return next(access for access in accesses if access.name == name)


def page_row(verb: str, **page) -> Access:
    return row(page_accesses(park_page(**page), ADMINS), f"park {verb}")


def api_row(verb: str, **endpoint) -> Access:
    return row(crud_accesses(park_api(**endpoint), ADMINS), f"parks {verb}")


def invalid_park_form() -> dict:
    # A code with a space and a kind that is no choice: the page shows the form again with its errors (a 200).
    return {**park_form(), "code": "not a code", "kind": "castle"}


@pytest.mark.parametrize("verb", ["add", "edit", "delete"])
def test_the_park_pages_pass_as_they_are(client, verb):
    check_access(client, page_row(verb), "administrator")


@pytest.mark.parametrize("verb", ["create", "update", "delete"])
def test_the_park_api_passes_as_it_is(client, verb):
    check_access(client, api_row(verb), "administrator")


def test_an_add_whose_form_is_invalid_fails(client):
    with pytest.raises(AssertionError, match="expected 302, got 200"):
        check_access(client, page_row("add", form=invalid_park_form), "administrator")
    assert not Park.objects.filter(code="not a code").exists()


def test_an_edit_whose_form_is_invalid_fails(client):
    with pytest.raises(AssertionError, match="expected 302, got 200"):
        check_access(client, page_row("edit", form=invalid_park_form), "administrator")


def test_an_api_create_whose_data_is_invalid_fails(client):
    with pytest.raises(AssertionError, match="expected 201, got 400"):
        check_access(client, api_row("create", new=invalid_park_form), "administrator")


def test_an_add_that_answers_as_saved_but_stores_nothing_fails(client, monkeypatch):
    # The form "saves" by handing back a park that was already there: the page redirects to it as after an add.
    existing = ParkFactory()
    monkeypatch.setattr(ParkForm, "save", lambda form, commit=True: existing)
    with pytest.raises(AssertionError, match="added 0 Park records"):
        check_access(client, page_row("add"), "administrator")


def test_an_edit_that_answers_as_saved_but_changes_nothing_fails(client, monkeypatch):
    # The form "saves" without writing: the page still redirects to the park as after a real edit.
    monkeypatch.setattr(ParkForm, "save", lambda form, commit=True: form.instance)
    with pytest.raises(AssertionError, match="left the record other than posted"):
        check_access(client, page_row("edit"), "administrator")


def test_an_edit_posting_what_the_record_already_holds_proves_nothing_and_fails(client):
    park = ParkFactory()
    same = park_page(
        factory=lambda: park, form=lambda: {"code": park.code, "name": park.name, "kind": park.kind}, change={}
    )
    with pytest.raises(AssertionError, match="what the record already holds"):
        check_access(client, row(page_accesses(same, ADMINS), "park edit"), "administrator")


def test_a_delete_that_deletes_nothing_fails(client):
    # An enterprise still refers to the park: the page says so and redirects back to the park, which stays.
    with pytest.raises(AssertionError, match="left the record in place"):
        check_access(client, page_row("delete", factory=lambda: EnterpriseFactory().park), "administrator")


def test_an_api_delete_that_deletes_nothing_fails(client, monkeypatch):
    monkeypatch.setattr(Park, "delete", lambda park, *args, **kwargs: (0, {}))
    with pytest.raises(AssertionError, match="left the record in place"):
        check_access(client, api_row("delete"), "administrator")


def test_a_refused_request_that_writes_fails(client):
    # The administrator may add parks, so an access saying nobody may is refuted by the write it lets through.
    nobody = Access("park add", lambda: "/enterprises/parks/add/", frozenset(), method="post", data=park_form)
    with pytest.raises(AssertionError, match="expected 403, got 302"):
        check_access(client, nobody, "administrator")


def test_a_step_that_changes_nothing_fails(client):
    # A stage move or review step has no record values to compare: it must at least change its state.
    park = ParkFactory()
    step = Access(
        "park edit as a step",
        lambda: f"/enterprises/parks/{park.pk}/edit/",
        ADMINS,
        method="post",
        data=lambda: {"code": park.code, "name": park.name, "kind": park.kind, "version": 1},
        state=lambda: sorted(Park.objects.values_list("pk", "code", "name")),
    )
    with pytest.raises(AssertionError, match="changed nothing"):
        check_access(client, step, "administrator")
