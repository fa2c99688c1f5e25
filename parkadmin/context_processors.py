from django.utils.functional import SimpleLazyObject

from parkadmin.names import zone_name
from parkadmin.navigation import top_bar


def site(request) -> dict:
    """Values every page's layout needs. The top bar's are worked out only when a page draws it: an htmx fragment
    or an export does not, and should not read the user's roles."""
    return {"ZONE_NAME": zone_name(), "top_bar": SimpleLazyObject(lambda: top_bar(request))}
