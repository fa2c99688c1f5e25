"""The top bar: the areas (an area shows once its page exists, i.e. its URL name resolves, and the user may read
it), the menus that gather several areas under one entry (the enterprise menu: every list of enterprise records),
the language switch and the user's menu, drawn by `templates/includes/top_bar.html` on every page from what
`top_bar` works out for the request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from parkadmin.people import display_name
from parkadmin.roles import role_names


@dataclass(frozen=True)
class Area:
    name: str
    label: str
    url_name: str
    icon: str
    permission: str | Callable | None  # None: every signed-in user; a callable decides for the user it is given
    # A count drawn beside the area (values waiting for review): the dotted path of a function of the user, found by
    # name because the shared machinery imports no app.
    badge: str | None = None
    # Drawn as its icon and badge alone, its label read out by screen readers and shown on hover: the bar's width.
    compact: bool = False


@dataclass(frozen=True)
class Menu:
    """Several areas under one entry of the bar: shown when the user may see one of them, marked when the page lies
    in one of them. `None` in `areas` draws a divider between groups."""

    name: str
    label: str
    icon: str
    areas: tuple[Area | None, ...]


def may_import(user) -> bool:
    from parkadmin.imports.kinds import importable

    return bool(importable(user))


ENTERPRISE_MENU = Menu(
    "enterprises",
    _("Enterprises"),
    "bi-building",
    (
        Area(
            "enterprises", _("Enterprises"), "enterprises:enterprise_list", "bi-building", "enterprises.view_enterprise"
        ),
        Area(
            "qualifications",
            _("Qualifications"),
            "enterprises:qualification_list",
            "bi-patch-check",
            "enterprises.view_qualification",
        ),
        Area(
            "platforms",
            _("R&D platforms"),
            "enterprises:researchplatform_list",
            "bi-cpu",
            "enterprises.view_researchplatform",
        ),
        Area(
            "enterprise_years",
            _("Yearly figures"),
            "enterprises:enterpriseyear_list",
            "bi-table",
            "enterprises.view_enterpriseyear",
        ),
        None,
        Area(
            "incubators", _("Incubators"), "enterprises:incubator_list", "bi-house-door", "enterprises.view_incubator"
        ),
        Area("incubation", _("Incubations"), "enterprises:incubation_list", "bi-egg", "enterprises.view_incubation"),
        None,
        Area(
            "problems",
            _("Problems"),
            "enterprises:servicerequest_list",
            "bi-clipboard-check",
            "enterprises.view_servicerequest",
        ),
    ),
)

# The zone's structure: its parks and its industry clusters.
ZONE_MENU = Menu(
    "zone",
    _("Parks"),
    "bi-map",
    (
        Area("parks", _("Parks"), "parks:park_list", "bi-map", "parks.view_park"),
        Area(
            "clusters",
            _("Industry clusters"),
            "parks:industrycluster_list",
            "bi-diagram-3",
            "parks.view_industrycluster",
        ),
    ),
)

AREAS: list[Area | Menu] = [
    Area("home", _("Dashboard"), "home", "bi-speedometer2", "indicators.view_indicatorvalue"),
    ENTERPRISE_MENU,
    Area("projects", _("Projects"), "projects:project_list", "bi-kanban", "projects.view_project"),
    Area("indicators", _("Indicators"), "indicators:indicator_list", "bi-graph-up", "indicators.view_indicator"),
    Area(
        "review",
        _("Values waiting for review"),
        "indicators:indicatorvalue_review",
        "bi-inbox",
        "indicators.approve_indicatorvalue",
        badge="indicators.selectors.pending_review_count",
        compact=True,
    ),
    ZONE_MENU,
    Area("imports", _("Import"), "imports:index", "bi-upload", may_import),
    Area("reports", _("Reports"), "reports", "bi-file-earmark-bar-graph", "indicators.view_indicator"),
    Area("my_work", _("My work"), "my_work", "bi-person-workspace", None),
    Area("history", _("History"), "history", "bi-clock-history", None),
    Area(
        "notifications",
        _("Notifications"),
        "notifications",
        "bi-bell",
        None,
        badge="parkadmin.notifications.unread_count",
        compact=True,
    ),
]


def all_areas() -> list[Area]:
    """Every area, those inside menus included, in the order of the bar."""
    found = []
    for entry in AREAS:
        if isinstance(entry, Menu):
            found.extend(area for area in entry.areas if area)
        else:
            found.append(entry)
    return found


@functools.lru_cache(maxsize=16)
def area_urls(urlconf: str, script_prefix: str) -> dict[str, str]:
    """The URL of every area whose page exists, in the order of the bar. Kept per URL configuration: reversing the
    names on every page took a quarter of a millisecond."""
    urls = {}
    for area in all_areas():
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


def _entry(item: Area | Menu, urls: dict[str, str], active: str | None, user) -> dict | None:
    """What the bar draws for one area or menu, or None when the user may see none of it."""
    if isinstance(item, Area):
        if item.name not in urls or not may_see(user, item):
            return None
        return {
            "name": item.name,
            "label": item.label,
            "url": urls[item.name],
            "icon": item.icon,
            "active": item.name == active,
            "compact": item.compact,
            "badge": import_string(item.badge)(user) if item.badge else None,
        }
    links: list[dict | None] = []
    for area in item.areas:
        link = _entry(area, urls, active, user) if area else None
        if link or (links and links[-1] is not None):  # a divider only between two groups that show
            links.append(link)
    while links and links[-1] is None:
        links.pop()
    if not links:
        return None
    return {
        "name": item.name,
        "label": item.label,
        "icon": item.icon,
        "active": any(link and link["active"] for link in links),
        "menu": links,
    }


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
        "areas": [entry for entry in (_entry(item, urls, active, user) for item in AREAS) if entry],
        "name": display_name(user),
        "roles": role_names(user),
        "is_staff": user.is_staff,
    }
