"""POST /api/auth/token/: a script trades a user name and password for its API token.

Guarded like the login page: each wrong password counts towards the django-axes lockout of that user name from
that address, a locked-out user gets 429 (even with the right password) until the cool-off ends, and a success
clears the count.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import parsers, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response


def lockout_message() -> str:
    # The wording of the login page's lockout notice (registration/locked_out.html), translated once.
    return _(
        "This account is locked on this computer for %(cooloff_minutes)s minutes after repeated wrong passwords. "
        "Wait and try again, or ask an administrator to unlock it."
    ) % {"cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60)}


class ObtainTokenView(ObtainAuthToken):
    """DRF's token view, counted by django-axes."""

    # No session: a script has none, and a session user must not get a CSRF check here.
    authentication_classes: list = []
    permission_classes: list = []
    # Unlike the rest of the API, form posts too: `curl -d username=… -d password=…` (README). The schema names
    # JSON only, one body per operation, which generated clients need.
    parser_classes = [parsers.JSONParser, parsers.FormParser, parsers.MultiPartParser]

    @extend_schema(
        request={"application/json": AuthTokenSerializer},
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="Wrong user name or password (each counts towards the lockout)."),
            429: OpenApiResponse(description="Too many wrong passwords: locked out until the cool-off ends."),
        },
        summary="Get the API token of a user",
        description=(
            "Send `username` and `password` (form or JSON); the answer is the user's token, created on first use. "
            "Send it as `Authorization: Token <token>`. After AXES_FAILURE_LIMIT wrong passwords the user name is "
            "locked from that address for the cool-off time (429), as on the login page."
        ),
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        # The serializer authenticates with this DRF request; django-axes marks it when the user is locked out.
        serializer = self.get_serializer(data=request.data)
        valid = serializer.is_valid()
        if getattr(request, "axes_locked_out", False):
            response = Response({"detail": lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
            response["Retry-After"] = str(round(settings.AXES_COOLOFF_TIME * 3600))
            return response
        if not valid:
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        user = serializer.validated_data["user"]
        # A success clears this user name's failures, as a login does (AXES_RESET_ON_SUCCESS).
        AxesProxyHandler.user_logged_in(sender=type(self), request=request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
