"""The generic access harness every app's tests reuse.

- `sample_paths()` walks every URL pattern of the project and gives one concrete path for each, so the URL sweep
  covers a new page the moment it exists.
- `Access` + `check_access()` state who may do what on a page or endpoint, and check it for every role:
  allowed → 2xx/3xx; not allowed → 403 with nothing written; anonymous → the login page (pages) or 401/403 (API).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

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
    """Who may make this request. `url` and `data` are callables so each role gets fresh records."""

    name: str
    url: Callable[[], str]
    allowed: frozenset[str]
    method: str = "get"
    data: Callable[[], dict] | None = None
    api: bool = False
    # A callable returning a snapshot of what a refused request must leave unchanged.
    state: Callable[[], object] | None = None
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name


def make_user(role: str):
    from tests.factories import UserFactory

    return UserFactory(username=f"{role}-user", groups=ROLE_GROUPS[role])


def request(client, access: Access, url: str):
    kwargs = dict(access.extra)
    if access.data is not None:
        kwargs["data"] = access.data()
        if access.api:
            kwargs["content_type"] = "application/json"
    return getattr(client, access.method)(url, **kwargs)


def check_access(client, access: Access, role: str) -> None:
    """Assert `role` is let through or refused as `access.allowed` says; refusals write nothing."""
    if role != ANONYMOUS:
        client.force_login(make_user(role))
    url = access.url()
    before = access.state() if access.state else None
    response = request(client, access, url)
    allowed = role in access.allowed
    if role == ANONYMOUS:
        if access.api:
            assert response.status_code in (401, 403), f"{access} anonymous: {response.status_code}"
        else:
            assert response.status_code == 302, f"{access} anonymous: {response.status_code}"
            assert response["Location"].startswith("/accounts/login/"), response["Location"]
    elif allowed:
        assert response.status_code < 400, f"{access} as {role}: {response.status_code}"
    else:
        assert response.status_code == 403, f"{access} as {role}: expected 403, got {response.status_code}"
    if access.state and (role == ANONYMOUS or not allowed):
        assert access.state() == before, f"{access} as {role} was refused but changed data"


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

    def write(verb: str, url: Callable[[], str], method: str, **extra) -> Access:
        return Access(f"{name} {verb}", url, writers, method=method, api=True, state=endpoint.state, **extra)

    return [
        Access(f"{name} list", lambda: endpoint.path, EVERY_ROLE, api=True),
        Access(f"{name} detail", endpoint.new_record_url, EVERY_ROLE, api=True),
        write("create", lambda: endpoint.path, "post", data=endpoint.new),
        write("update", endpoint.new_record_url, "patch", data=lambda: {**endpoint.change, "version": 1}),
        write("delete", endpoint.new_record_url, "delete"),
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
    return [
        Access(f"{page} list", lambda: page.path, EVERY_ROLE),
        Access(f"{page} export", lambda: f"{page.path}?export=csv", EVERY_ROLE),
        Access(f"{page} detail", page.record_url(), EVERY_ROLE),
        Access(f"{page} add form", lambda: f"{page.path}add/", writers),
        Access(f"{page} add", lambda: f"{page.path}add/", writers, method="post", data=page.form, state=page.state),
        Access(f"{page} edit form", page.record_url("edit/"), writers),
        Access(
            f"{page} edit",
            page.record_url("edit/"),
            writers,
            method="post",
            data=lambda: {**page.form(), **page.change, "version": 1},
            state=page.state,
        ),
        Access(f"{page} delete form", page.record_url("delete/"), writers),
        Access(f"{page} delete", page.record_url("delete/"), writers, method="post", state=page.state),
    ]


def count_queries(client, url: str) -> int:
    """The queries one GET of `url` runs (it must answer 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
