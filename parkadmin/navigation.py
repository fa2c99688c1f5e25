"""The top bar: the areas (an area shows once its page exists, i.e. its URL name resolves, and the user may read
it), the language switch and the user's menu, drawn by `templates/includes/top_bar.html` on every page from what
`top_bar` works out for the request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from parkadmin.roles import role_names


@dataclass(frozen=True)
class Area:
    name: str
    label: str
    url_name: str
    icon: str
    permission: str | Callable | None  # None: every signed-in user; a callable decides for the user it is given


def may_import(user) -> bool:
    from parkadmin.imports.kinds import importable

    return bool(importable(user))


AREAS = [
    Area("home", _("Dashboard"), "home", "bi-speedometer2", "indicators.view_indicatorvalue"),
    Area("enterprises", _("Enterprises"), "enterprises:enterprise_list", "bi-building", "enterprises.view_enterprise"),
    Area(
        "problems",
        _("Problems"),
        "enterprises:servicerequest_list",
        "bi-clipboard-check",
        "enterprises.view_servicerequest",
    ),
    Area("incubation", _("Incubation"), "enterprises:incubation_list", "bi-egg", "enterprises.view_incubation"),
    Area("projects", _("Projects"), "projects:project_list", "bi-kanban", "projects.view_project"),
    Area("indicators", _("Indicators"), "indicators:indicator_list", "bi-graph-up", "indicators.view_indicator"),
    Area("parks", _("Parks"), "parks:park_list", "bi-map", "parks.view_park"),
    Area(
        "clusters",
        _("Industry clusters"),
        "parks:industrycluster_list",
        "bi-diagram-3",
        "parks.view_industrycluster",
    ),
    Area("imports", _("Import"), "imports:index", "bi-upload", may_import),
    Area("reports", _("Reports"), "reports", "bi-file-earmark-bar-graph", "indicators.view_indicator"),
    Area("my_work", _("My work"), "my_work", "bi-person-workspace", None),
    Area("history", _("History"), "history", "bi-clock-history", None),
]


@functools.lru_cache(maxsize=16)
def area_urls(urlconf: str, script_prefix: str) -> dict[str, str]:
    """The URL of every area whose page exists, in the order of AREAS. Kept per URL configuration: reversing the
    twelve names on every page took a quarter of a millisecond."""
    urls = {}
    for area in AREAS:
        try:
            urls[area.name] = reverse(area.url_name, urlconf=urlconf)
        except NoReverseMatch:
            continue
    return urls


def may_see(user, area: Area) -> bool:
    if area.permission is None:
        return True
    if callable(area.permission):
        return area.permission(user)
    return user.has_perm(area.permission)


def active_area(path: str, urls: dict[str, str]) -> str | None:
    """The area `path` lies in: the one with the longest URL it starts with (the problems list, under
    /enterprises/, is the problems area's, not the enterprises area's); the dashboard only at its own URL."""
    matches = [name for name, url in urls.items() if (path == url if url == "/" else path.startswith(url))]
    return max(matches, key=lambda name: len(urls[name]), default=None)


def top_bar(request) -> dict:
    """What the top bar shows on this request: the areas the user may see, decided from the user's permissions as
    they are now (the page's own area marked), and the user's menu. The language switch needs nothing more than the
    template's context."""
    user = getattr(request, "user", None) or AnonymousUser()  # a page drawn before authentication (an early error)
    if not user.is_authenticated:
        return {"signed_in": False}
    urls = area_urls(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    active = active_area(request.path, urls)
    return {
        "signed_in": True,
        "areas": [
            {"label": area.label, "url": urls[area.name], "icon": area.icon, "active": area.name == active}
            for area in AREAS
            if area.name in urls and may_see(user, area)
        ],
        "name": user.get_full_name() or user.get_username(),
        "roles": role_names(user),
        "is_staff": user.is_staff,
    }
