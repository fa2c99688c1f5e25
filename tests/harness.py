"""The generic access harness every app's tests reuse.

- `sample_paths()` walks every URL pattern of the project and gives one concrete path for each, so the URL sweep
  covers a new page the moment it exists.
- `Access` + `check_access()` state who may do what on a page or endpoint, and check it for every role:
  not allowed → 403 with nothing written (`state`); anonymous → the login page (pages) or 401/403 (API);
  allowed → the request's own success status (200 for a read, a redirect for a page's write — an invalid form
  comes back as a 200 —, 201/200/204 for the API's create/update/delete, or `expect`) and the write done:
  with `model` and `action`, a create adds exactly one record holding the posted values with its history entry,
  an edit gives its record the posted values with one history entry, a delete removes its record (`Write`);
  any other write (a stage move, a review step) must change `state`. tests/test_harness.py shows it failing.
- `page_accesses()` / `crud_accesses()` state a model's shared pages / API endpoints that way in one line.
- `make_user()` / `sign_in()` / `RoleUsers`: one user and one signed-in session per role, made once per test
  process.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from parkadmin import roles

ROLE_GROUPS: dict[str, list[str]] = {
    "official": [roles.OFFICIALS],
    "investment": [roles.INVESTMENT_STAFF],
    "enterprise": [roles.ENTERPRISE_STAFF],
    "statistics": [roles.STATISTICS_STAFF],
    "reviewer": [roles.REVIEWERS],
    "administrator": [roles.ADMINISTRATORS],
}
ROLES = tuple(ROLE_GROUPS)
ANONYMOUS = "anonymous"
EVERY_ROLE = frozenset(ROLES)

# Candidate values tried for a URL argument until the path resolves back to its own view.
SAMPLE_VALUES = ("1", "x", "json", "enterprises", "auth", "1/1")


@dataclass(frozen=True)
class SamplePath:
    path: str
    name: str | None
    route: str


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns and namespace and entry.namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name, entry


def _candidates(route: str) -> list[str]:
    """Concrete paths for a route mixing Django's `<int:pk>` and regex groups, most likely first."""
    route = route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\.", ".")
    route = re.sub(r"/\?", "/", route)
    pieces = re.split(r"(<[^>]+>|\((?:\?P<\w+>)?(?:[^()]|\([^()]*\))*\))", route)
    slots = [i for i, piece in enumerate(pieces) if piece.startswith(("<", "("))]
    # A format suffix (`.json`) must be a format the API speaks, or it answers 404 before checking anything.
    choices = [(".json", "json") if "format>" in pieces[i] else SAMPLE_VALUES for i in slots]
    results = []
    for values in itertools.product(*choices):
        filled = list(pieces)
        for slot, value in zip(slots, values, strict=True):
            filled[slot] = value
        results.append("/" + "".join(filled))
        if len(results) > 60:
            break
    return results


def sample_paths() -> tuple[list[SamplePath], list[str]]:
    """One concrete path per URL pattern, and the routes for which none could be made."""
    found, unresolved = [], []
    for route, name, pattern in _walk(get_resolver().url_patterns):
        for candidate in _candidates(route):
            try:
                match = resolve(candidate)
            except Resolver404:
                continue
            if match.func == pattern.callback or getattr(match.func, "view_class", None) is getattr(
                pattern.callback, "view_class", object()
            ):
                found.append(SamplePath(candidate, name, route))
                break
        else:
            unresolved.append(route)
    return found, unresolved


@dataclass
class Access:
    """Who may make this request, and what it does when allowed. `url` and `data` are callables so each role gets
    fresh records."""

    name: str
    url: Callable[[], str]
    allowed: frozenset[str]
    method: str = "get"
    data: Callable[[], dict] | None = None
    api: bool = False
    # A callable returning a snapshot of what a refused request must leave unchanged, and an allowed write that is
    # not a create, edit or delete (a stage move, a review step) must change.
    state: Callable[[], object] | None = None
    extra: dict = field(default_factory=dict)
    # What an allowed write does to one record of `model`: "create", "edit" or "delete" (checked field by field
    # against the posted data, with its history entry). An edit's or delete's record is the one its URL names.
    model: type | None = None
    action: str | None = None
    # The status an allowed request answers; by default 200 for a read, a redirect for a page's write, and
    # 201 / 200 / 204 for the API's create / update / delete.
    expect: int | None = None

    def __post_init__(self) -> None:
        assert (self.model is None) == (self.action is None), f"{self.name}: model and action go together"
        assert self.action in (None, *ACTIONS), f"{self.name}: unknown action {self.action!r}"

    @property
    def writes(self) -> bool:
        return self.method != "get"

    @property
    def expected_status(self) -> int:
        if self.expect is not None:
            return self.expect
        if not self.writes:
            return 200
        if not self.api:
            return 302
        return {"create": 201, "delete": 204}.get(self.action, 200)

    def __str__(self) -> str:
        return self.name


ACTIONS = ("create", "edit", "delete")
# Form and API keys that steer a write rather than name a field: the optimistic-locking version (an edit raises it).
NOT_COMPARED = frozenset({"version"})


def username(role: str) -> str:
    return f"{role}-user"


def make_user(role: str):
    """The user `<role>-user` in the role's group. The test process keeps one per role (see `RoleUsers`); a test
    that runs without them (the first of a process, or one on an emptied database) gets one made for it."""
    from django.contrib.auth import get_user_model

    from tests.factories import UserFactory

    user = get_user_model().objects.filter(username=username(role)).first()
    return user or UserFactory(username=username(role), groups=ROLE_GROUPS[role])


def sign_in(client, role: str) -> None:
    """Sign `client` in as `role`: with the session the process keeps for it, else by logging the user in."""
    key = RoleUsers.sessions.get(role)
    if key is None:
        client.force_login(make_user(role))
    else:
        from django.conf import settings

        client.cookies[settings.SESSION_COOKIE_NAME] = key


class RoleUsers:
    """The role users and a signed-in session of each, made once per test process and committed, so that the
    ~1,500 role-matrix items and the tests on `admin_client` do not make a user, its groups and a login each.

    A test in a transaction (the usual) sees them and leaves them as they were. A transactional test (live server,
    browser) commits for real and empties the database after itself; it starts without them, as before, and they
    are made again for the next ordinary test. tests/conftest.py calls `keep()` / `drop()` before each test.
    """

    sessions: dict[str, str] = {}

    @classmethod
    def keep(cls) -> None:
        if cls.sessions:
            return
        from tests.factories import UserFactory

        for role in ROLES:
            user = UserFactory(username=username(role), groups=ROLE_GROUPS[role])
            cls.sessions[role] = _signed_in_session(user)

    @classmethod
    def drop(cls) -> None:
        if not cls.sessions:
            return
        from django.contrib.auth import get_user_model
        from django.contrib.sessions.models import Session

        Session.objects.filter(session_key__in=cls.sessions.values()).delete()
        get_user_model().objects.filter(username__in=[username(role) for role in ROLES]).delete()
        cls.forget()

    @classmethod
    def forget(cls) -> None:
        """The database was emptied under them."""
        cls.sessions.clear()


def _signed_in_session(user) -> str:
    """A session as `Client.force_login` leaves it (user, backend, auth hash, the sign-in clocks), saved without
    the login signal's other writes (last login, the lockout log) that later tests would see."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
    from django.http import HttpRequest

    from parkadmin.middleware import session_started

    backend = next(path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user"))
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    request = HttpRequest()
    request.session = session
    session_started(sender=type(user), request=request, user=user)
    session.save()
    return session.session_key


def request(client, access: Access, url: str, data: dict | None):
    kwargs = dict(access.extra)
    if data is not None:
        kwargs["data"] = data
        if access.api:
            kwargs["content_type"] = "application/json"
    return getattr(client, access.method)(url, **kwargs)


def check_access(client, access: Access, role: str) -> None:
    """Assert `role` is let through or refused as `access.allowed` says. Let through, the request answers its
    expected status and does what it claims (see `Write`); refused, it writes nothing."""
    if role != ANONYMOUS:
        sign_in(client, role)
    url = access.url()
    data = access.data() if access.data is not None else None
    allowed = role != ANONYMOUS and role in access.allowed
    write = Write(access, url) if allowed and access.action else None
    before = access.state() if access.state else None
    response = request(client, access, url, data)
    who = f"{access} as {role}"
    if role == ANONYMOUS:
        if access.api:
            assert response.status_code in (401, 403), f"{access} anonymous: {response.status_code}"
        else:
            assert response.status_code == 302, f"{access} anonymous: {response.status_code}"
            assert response["Location"].startswith("/accounts/login/"), response["Location"]
    elif allowed:
        expected = access.expected_status
        assert response.status_code == expected, f"{who}: expected {expected}, got {response.status_code}" + (
            f" with errors {_form_errors(response)}" if response.status_code == 200 and access.writes else ""
        )
    else:
        assert response.status_code == 403, f"{who}: expected 403, got {response.status_code}"
    if access.state and not allowed:
        assert access.state() == before, f"{who} was refused but changed data"
    elif access.state and access.writes and write is None:
        assert access.state() != before, f"{who} answered {response.status_code} but changed nothing"
    if write is not None:
        write.check(who, data or {})


def _form_errors(response) -> object:
    """A re-rendered form's errors, to say why a write that should have gone through did not."""
    for context in response.context or []:
        form = context.get("form") if hasattr(context, "get") else None
        if form is not None and hasattr(form, "errors"):
            return form.errors.as_data()
    return "(no form in the page)"


class Write:
    """What an allowed create, edit or delete must have done to its record, NetBox-style: a create adds exactly
    one record holding the posted values and its "+" history entry; an edit gives the record its URL names the
    posted values (at least one of them new) and one "~" history entry; a delete removes that record, leaving its
    "-" history entry. Posted values are compared as the field reads them: a foreign key by its key or any unique
    field of the related record (a code), decimals, dates and integers by value, an empty value as empty."""

    def __init__(self, access: Access, url: str) -> None:
        self.access = access
        self.model = access.model
        self.count = self.model.objects.count()
        if access.action == "create":
            self.pks = set(self.model.objects.values_list("pk", flat=True))
            return
        match = resolve(urlsplit(url).path)
        names = {f.name for f in self.model._meta.concrete_fields} | {"pk"}
        lookup = {key: value for key, value in match.kwargs.items() if key in names}
        assert lookup, f"{access}: the URL {url} names no {self.model.__name__}"
        self.record = self.model.objects.get(**lookup)
        self.history = self._history(self.record.pk)

    def _history(self, pk) -> list[str]:
        manager = getattr(self.model, "history", None)
        assert manager is not None, f"{self.access}: {self.model.__name__} keeps no history"
        return list(manager.filter(**{self.model._meta.pk.attname: pk}).values_list("history_type", flat=True))

    def check(self, who: str, data: dict) -> None:
        getattr(self, f"check_{self.access.action}")(who, data)

    def check_create(self, who: str, data: dict) -> None:
        new = set(self.model.objects.values_list("pk", flat=True)) - self.pks
        assert len(new) == 1, f"{who} added {len(new)} {self.model.__name__} records, not one"
        assert self.model.objects.count() == self.count + 1, f"{who} also removed a {self.model.__name__}"
        record = self.model.objects.get(pk=new.pop())
        differences = posted_differences(record, data)
        assert differences is not None, f"{who}: the posted data names no field of {self.model.__name__}"
        assert not differences, f"{who} stored other values than posted: {differences}"
        assert self._history(record.pk) == ["+"], f"{who}: history {self._history(record.pk)}, expected one '+'"

    def check_edit(self, who: str, data: dict) -> None:
        assert posted_differences(self.record, data), f"{who}: the posted data is what the record already holds"
        record = self.model.objects.filter(pk=self.record.pk).first()
        assert record is not None, f"{who} removed the record it edited"
        assert self.model.objects.count() == self.count, f"{who} added or removed {self.model.__name__} records"
        differences = posted_differences(record, data)
        assert not differences, f"{who} left the record other than posted: {differences}"
        history = self._history(record.pk)
        added = history[: len(history) - len(self.history)]  # newest first
        assert added == ["~"], f"{who}: new history {added}, expected one '~'"

    def check_delete(self, who: str, data: dict) -> None:
        assert not self.model.objects.filter(pk=self.record.pk).exists(), f"{who} left the record in place"
        assert self.model.objects.count() == self.count - 1, f"{who} removed more than its record"
        assert "-" in self._history(self.record.pk), f"{who} left no '-' history entry"


def posted_differences(record, data: dict) -> list[str] | None:
    """The posted values `record` does not hold, or None if no posted key is a field of it."""
    differences, compared = [], 0
    for name, posted in data.items():
        if name in NOT_COMPARED:
            continue
        try:
            model_field = record._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not model_field.concrete or model_field.many_to_many:
            continue
        compared += 1
        if not _holds(record, model_field, posted):
            differences.append(f"{name}: posted {posted!r}, stored {getattr(record, model_field.attname)!r}")
    return differences if compared else None


def _holds(record, model_field, posted) -> bool:
    stored = getattr(record, model_field.attname)
    if posted in ("", None):
        return stored in ("", None)
    if model_field.is_relation:
        related = getattr(record, model_field.name)
        if related is None:
            return False
        return str(posted) in {str(getattr(related, f.attname)) for f in related._meta.concrete_fields if f.unique}
    if isinstance(model_field, models.BooleanField):
        return stored == (posted if isinstance(posted, bool) else str(posted).lower() not in ("0", "false", "off"))
    return model_field.to_python(posted) == stored


def matrix(*accesses: Access):
    """pytest parameters: every access × every role and anonymous."""
    import pytest

    return [
        pytest.param(access, role, id=f"{access.name}-{role}") for access in accesses for role in (*ROLES, ANONYMOUS)
    ]


@dataclass(frozen=True)
class Endpoint:
    """A REST endpoint as the API tests describe it: what a new record and a change look like, the contract's fields."""

    path: str
    model: type
    factory: Callable
    new: Callable[[], dict]
    change: dict
    contract: tuple[str, ...] = ()
    # The field a record's URL names it by.
    lookup: str = "pk"

    def state(self):
        return sorted(self.model.objects.values_list("pk", "version"))

    def detail(self, key) -> str:
        return f"{self.path}{key}/"

    def new_record_url(self) -> str:
        return self.detail(getattr(self.factory(), self.lookup))


def crud_accesses(endpoint: Endpoint, writers: frozenset[str]) -> list[Access]:
    """List and detail for every role; create, update and delete for `writers` only (refusals write nothing)."""
    name = endpoint.path.strip("/").removeprefix("api/")

    def write(verb: str, url: Callable[[], str], method: str, action: str, **extra) -> Access:
        return Access(
            f"{name} {verb}",
            url,
            writers,
            method=method,
            api=True,
            state=endpoint.state,
            model=endpoint.model,
            action=action,
            **extra,
        )

    return [
        Access(f"{name} list", lambda: endpoint.path, EVERY_ROLE, api=True),
        Access(f"{name} detail", endpoint.new_record_url, EVERY_ROLE, api=True),
        write("create", lambda: endpoint.path, "post", "create", data=endpoint.new),
        write("update", endpoint.new_record_url, "patch", "edit", data=lambda: {**endpoint.change, "version": 1}),
        write("delete", endpoint.new_record_url, "delete", "delete"),
    ]


@dataclass(frozen=True)
class Page:
    """One record type's pages (the shared list/detail/edit/delete views): where they live, how to make a record,
    valid form data and one edit of it."""

    name: str
    path: str
    model: type
    factory: Callable
    form: Callable[[], dict]
    change: dict = field(default_factory=dict)

    def state(self):
        return sorted(self.model.objects.values_list("pk", "version"))

    def record_url(self, suffix: str = "") -> Callable[[], str]:
        return lambda: f"{self.path}{self.factory().pk}/{suffix}"

    def __str__(self) -> str:
        return self.name


def page_accesses(page: Page, writers: frozenset[str]) -> list[Access]:
    """List, export and detail for every role; the add and edit forms, adding, editing and deleting for `writers`
    only (refusals write nothing)."""

    def write(verb: str, url: Callable[[], str], action: str, **extra) -> Access:
        return Access(
            f"{page} {verb}", url, writers, method="post", state=page.state, model=page.model, action=action, **extra
        )

    return [
        Access(f"{page} list", lambda: page.path, EVERY_ROLE),
        Access(f"{page} export", lambda: f"{page.path}?export=csv", EVERY_ROLE),
        Access(f"{page} detail", page.record_url(), EVERY_ROLE),
        Access(f"{page} add form", lambda: f"{page.path}add/", writers),
        write("add", lambda: f"{page.path}add/", "create", data=page.form),
        Access(f"{page} edit form", page.record_url("edit/"), writers),
        write("edit", page.record_url("edit/"), "edit", data=lambda: {**page.form(), **page.change, "version": 1}),
        Access(f"{page} delete form", page.record_url("delete/"), writers),
        write("delete", page.record_url("delete/"), "delete"),
    ]


def count_queries(client, url: str) -> int:
    """The queries one GET of `url` runs (it must answer 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
