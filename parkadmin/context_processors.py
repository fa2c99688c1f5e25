import functools

from django.conf import settings

from parkadmin.navigation import top_bar


def site(request) -> dict:
    """Values every page's layout needs; the top bar is drawn only if the page shows it (templates call
    callables)."""
    return {"ZONE_NAME": settings.ZONE_NAME, "top_bar": functools.partial(top_bar, request)}
