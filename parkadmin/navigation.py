"""The top bar: the areas (an area shows once its page exists, i.e. its URL name resolves, and the user may read
it), the language switch and the user's menu.

Every page draws the top bar, so it is drawn once per process for each language, set of areas a user may see,
active area and staff flag, and kept (`drawn_top_bar`): what it shows comes from the code, the settings and the
translations, never from the data, so the drawing can't go stale while the process runs. Which areas a user sees
is decided on every request, from the user's permissions as they are now; what belongs to the request (the form
token, the page, the user's name and roles) is put into the drawing on every request (`top_bar`).
"""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
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


def visible_areas(request, user) -> tuple[tuple[str, ...], str | None]:
    """The areas `user` may see, in order, and the one the page is in if it is among them."""
    urls = area_urls(get_urlconf(), get_script_prefix())
    names = tuple(name for name in urls if may_see(user, AREAS_BY_NAME[name]))
    active = active_area(request.path, urls)
    return names, (active if active in names else None)


# Stand-ins for what differs between requests with the same top bar, put in after drawing (`top_bar`). Random per
# process, so no text a user types can pose as one.
_SLOT_MARK = secrets.token_hex(8)
_SLOT = re.compile(rf"⟦{_SLOT_MARK}:(\w+)⟧")
SLOTS = ("csrf", "next", "name", "roles")


def top_bar(request) -> SafeString:
    """The top bar of this request: its drawing for this language, user's areas, page's area and staff flag
    (`drawn_top_bar`), with the request's own values put in, each escaped: the form token, the page to come back
    to after switching language, the user's name and roles."""
    user = getattr(request, "user", None) or AnonymousUser()  # a page drawn before authentication (an early error)
    names, active = visible_areas(request, user) if user.is_authenticated else ((), None)
    drawing = drawn_top_bar(
        translation.get_language(),
        get_urlconf(),
        get_script_prefix(),
        names,
        active,
        signed_in=user.is_authenticated,
        is_staff=user.is_authenticated and user.is_staff,
    )
    values = {"csrf": get_token(request), "next": request.get_full_path()}
    if user.is_authenticated:
        values["name"] = user.get_full_name() or user.get_username()
        values["roles"] = "、".join(role_names(user)) or gettext("No role")
    return mark_safe(_SLOT.sub(lambda slot: escape(values[slot.group(1)]), drawing))  # values escaped as they go in


@functools.lru_cache(maxsize=512)
def drawn_top_bar(
    language: str,
    urlconf: str | None,
    script_prefix: str,
    names: tuple[str, ...],
    active: str | None,
    *,
    signed_in: bool,
    is_staff: bool,
) -> str:
    """The top bar with the areas `names` (`active` marked), drawn in `language` (the active one: the caller passes
    it for the key), with stand-ins for the request's own values."""
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
    context = {
        "items": items,
        "signed_in": signed_in,
        "is_staff": is_staff,
        "language": language,
        "ZONE_NAME": settings.ZONE_NAME,
        "slots": {slot: f"⟦{_SLOT_MARK}:{slot}⟧" for slot in SLOTS},
    }
    return render_to_string("includes/top_bar.html", context)


def forget_drawings_of_changed_templates(*, file_path, **kwargs) -> None:
    """A `file_changed` receiver (the development server): an edited template redraws the top bar, as Django's own
    template cache starts afresh then instead of the server restarting."""
    if Path(file_path).suffix == ".html":
        drawn_top_bar.cache_clear()


def forget_drawings(*, setting, **kwargs) -> None:
    """A `setting_changed` receiver: a test that changes the URLs, languages or templates gets areas drawn afresh."""
    if setting in {
        "ROOT_URLCONF",
        "LANGUAGES",
        "LANGUAGE_CODE",
        "LOCALE_PATHS",
        "TEMPLATES",
        "INSTALLED_APPS",
        "ZONE_NAME",
    }:
        area_urls.cache_clear()
        drawn_top_bar.cache_clear()
