"""Deny by default: every page needs a signed-in user unless its view is marked `login_not_required`."""

from django.contrib.auth import middleware as auth_middleware


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, except for the API.

    API requests may authenticate with a token, which only DRF reads; DRF's default permission class answers
    401/403 there instead of redirecting a script to an HTML login page. The interactive docs (`/api/docs/`)
    are an HTML page and redirect like one.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/") and not request.path_info.startswith("/api/docs/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
