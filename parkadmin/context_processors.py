from django.conf import settings
from django.utils.functional import SimpleLazyObject

from parkadmin.navigation import nav_items


def site(request) -> dict:
    """Values every page's layout needs."""
    return {"ZONE_NAME": settings.ZONE_NAME, "nav_items": SimpleLazyObject(lambda: nav_items(request))}
