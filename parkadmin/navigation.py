"""The top bar's areas. An area shows once its page exists (its URL name resolves) and the user may read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
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


def nav_items(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    for area in AREAS:
        if callable(area.permission) and not area.permission(user):
            continue
        if isinstance(area.permission, str) and not user.has_perm(area.permission):
            continue
        try:
            url = reverse(area.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"name": area.name, "label": area.label, "url": url, "icon": area.icon, "active": active})
    return items
