"""The top bar's areas. An area shows once its page exists (its URL name resolves) and the user may read it.

Every page draws the top bar, so its areas are drawn once per process for each language, set of areas a user may
see and active area, and kept (`drawn_areas`): what they show comes from the code and the translations, never from
the data, so the drawing can't go stale while the process runs. Which areas a user sees is decided on every
request, from the user's permissions as they are now.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Area:
    name: str
    label: str
    url_name: str
    icon: str
    permission: str | Callable | None  # None: every signed-in user; a callable decides for the user it is given


def may_import(user) -> bool:
    from parkadmin.imports import importable

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
    Area("parks", _("Parks"), "enterprises:park_list", "bi-map", "enterprises.view_park"),
    Area(
        "clusters",
        _("Industry clusters"),
        "enterprises:industrycluster_list",
        "bi-diagram-3",
        "enterprises.view_industrycluster",
    ),
    Area("imports", _("Import"), "imports:index", "bi-upload", may_import),
    Area("reports", _("Reports"), "reports", "bi-file-earmark-bar-graph", "indicators.view_indicator"),
    Area("my_work", _("My work"), "my_work", "bi-person-workspace", None),
    Area("history", _("History"), "history", "bi-clock-history", None),
]
AREAS_BY_NAME = {area.name: area for area in AREAS}


@functools.lru_cache(maxsize=16)
def area_urls(urlconf: str | None, script_prefix: str) -> dict[str, str]:
    """The URL of every area whose page exists, in the order of AREAS; worked out once per URL configuration."""
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


def nav_items(request) -> list[dict]:
    """The areas the user may see, each with its label, URL, icon and whether the page is in it."""
    user = request.user
    if not user.is_authenticated:
        return []
    urls = area_urls(get_urlconf(), get_script_prefix())
    active = active_area(request.path, urls)
    return [
        {"name": name, "label": area.label, "url": url, "icon": area.icon, "active": name == active}
        for name, url in urls.items()
        if may_see(user, area := AREAS_BY_NAME[name])
    ]


def top_bar_areas(request) -> SafeString:
    """The top bar's list of areas for this request, as HTML."""
    items = nav_items(request)
    active = next((item["name"] for item in items if item["active"]), None)
    names = tuple(item["name"] for item in items)
    return drawn_areas(translation.get_language(), get_urlconf(), get_script_prefix(), names, active)


@functools.lru_cache(maxsize=512)
def drawn_areas(language: str, urlconf: str | None, script_prefix: str, names: tuple[str, ...], active: str | None):
    """The list of areas `names`, drawn in `language` (the active one: the caller passes it for the key)."""
    urls = area_urls(urlconf, script_prefix)
    items = [
        {
            "label": AREAS_BY_NAME[name].label,
            "url": urls[name],
            "icon": AREAS_BY_NAME[name].icon,
            "active": name == active,
        }
        for name in names
    ]
    return render_to_string("includes/top_bar_areas.html", {"items": items})


def forget_drawings(*, setting, **kwargs) -> None:
    """A `setting_changed` receiver: a test that changes the URLs, languages or templates gets areas drawn afresh."""
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "TEMPLATES", "INSTALLED_APPS"}:
        area_urls.cache_clear()
        drawn_areas.cache_clear()
