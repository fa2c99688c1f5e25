import functools

from django.conf import settings

from parkadmin.navigation import top_bar_areas


def site(request) -> dict:
    """Values every page's layout needs; the top bar's areas are drawn only if the page shows them (templates call
    callables)."""
    return {"ZONE_NAME": settings.ZONE_NAME, "top_bar_areas": functools.partial(top_bar_areas, request)}
