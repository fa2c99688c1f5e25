"""Sign-ins that end by themselves, and pages that survive a database restart.

- `SessionTimeoutMiddleware`: a sign-in ends after PARKADMIN_IDLE_MINUTES without a request (default 2 hours), and
  in any case SESSION_COOKIE_AGE after it began (default 12 hours), however busy the user is. The next request
  then lands on the login page with a message saying why.
- `NulByteMiddleware`: a NUL byte in the path or the query string is refused with 400 before any view reads it.
- `DatabaseUnavailableMiddleware`: while the database is unreachable (a restart, a failover) a request gets a
  503 "try again in a moment" page, or a 503 JSON body under /api/, instead of a 500 error page.
"""

from __future__ import annotations

import datetime
import logging
import sys
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

logger = logging.getLogger(__name__)

# Session keys: when the sign-in began and when its user last made a request (Unix seconds).
SIGNED_IN_AT = "_parkadmin_signed_in_at"
LAST_SEEN_AT = "_parkadmin_last_seen_at"
DATABASE_DOWN = (OperationalError, InterfaceError)


def idle_limit_seconds() -> int:
    return settings.PARKADMIN_IDLE_MINUTES * 60


def session_started(sender, request, user, **kwargs) -> None:
    """Start the clocks of a new sign-in, and make the session itself expire at the absolute limit.

    An expiry given as a date stays fixed when the session is saved again later; the default (an age) would move
    on with each save and let a busy session live for ever.
    """
    session = getattr(request, "session", None)
    if session is None:
        return
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now
    session.set_expiry(timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE))


class SessionTimeoutMiddleware:
    """Signs out a session idle for longer than PARKADMIN_IDLE_MINUTES or older than SESSION_COOKIE_AGE.

    The last request is noted at most every PARKADMIN_IDLE_TOUCH_SECONDS (a minute): writing the session on every
    request would cost a database write each.

    Sits after the authentication and message middleware. It comes after LoginRequiredMiddleware in the list, but
    acts first: that one acts only in process_view, after this has signed the idle session out, and then sends
    the request to the login page, where the message says why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is not None and user is not None and user.is_authenticated:
            self.check(request, session)
        return self.get_response(request)

    def check(self, request, session) -> None:
        now = int(time.time())
        signed_in_at = session.get(SIGNED_IN_AT)
        last_seen_at = session.get(LAST_SEEN_AT)
        if signed_in_at is None or last_seen_at is None:
            # A session from before these clocks existed: they start now.
            session[SIGNED_IN_AT] = signed_in_at or now
            session[LAST_SEEN_AT] = now
            return
        if now - signed_in_at >= settings.SESSION_COOKIE_AGE:
            self.sign_out(
                request,
                _("You were signed in for %(hours)s hours, the longest a sign-in lasts. Please log in again.")
                % {"hours": round(settings.SESSION_COOKIE_AGE / 3600, 1)},
            )
        elif now - last_seen_at >= idle_limit_seconds():
            self.sign_out(
                request,
                _("You were signed out after %(minutes)s minutes without activity. Please log in again.")
                % {"minutes": settings.PARKADMIN_IDLE_MINUTES},
            )
        elif now - last_seen_at >= settings.PARKADMIN_IDLE_TOUCH_SECONDS:
            session[LAST_SEEN_AT] = now

    @staticmethod
    def sign_out(request, message: str) -> None:
        # logout() flushes the session: the server-side record is deleted, not merely forgotten by the browser.
        logout(request)
        if hasattr(request, "_messages"):
            messages.warning(request, message)


def note_database_failure(sender, request=None, **kwargs) -> None:
    """got_request_exception receiver: mark a request that failed because the database could not be reached.

    Django turns an exception into a 500 response at the layer where it happens, so an outer middleware sees only
    the response; this mark tells it why.
    """
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_DOWN):
        request._parkadmin_database_down = True


class DatabaseUnavailableMiddleware:
    """Answers 503 "try again" instead of a 500 error page while the database cannot be reached.

    Sits before the session middleware, the first to need the database. A kept-open connection (CONN_MAX_AGE,
    PostgreSQL) that a database restart has broken is noticed before the request goes on: it is replaced, retrying
    for up to DB_WAIT_SECONDS while the database comes back. A request that still fails to reach the database, anywhere
    in the middleware or the view, gets 503 with `Retry-After` (JSON under /api/). Only connection failures
    count (OperationalError, InterfaceError); such a request wrote nothing, as every write runs in a transaction.
    """

    RETRY_AFTER_SECONDS = 5
    DB_WAIT_SECONDS = 2.0
    DB_WAIT_STEP = 0.25

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.connection_ready():
            return self.unavailable(request)
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "_parkadmin_database_down", False):
            return self.unavailable(request)
        return response

    def connection_ready(self) -> bool:
        """Health-check a kept-open connection (CONN_HEALTH_CHECKS); if a restart broke it, open a new one, waiting
        a little for the database to come back. A request without a kept-open connection opens one as usual."""
        if connection.connection is None or not connection.health_check_enabled:
            return True
        connection.close_if_health_check_failed()
        if connection.connection is not None:
            return True
        deadline = time.monotonic() + self.DB_WAIT_SECONDS
        while True:
            try:
                connection.ensure_connection()
                return True
            except DATABASE_DOWN as error:
                if time.monotonic() >= deadline:
                    logger.warning("Database unreachable: %s", error)
                    return False
                time.sleep(self.DB_WAIT_STEP)

    def unavailable(self, request):
        message = _("The database is not reachable at the moment. Nothing was saved; try again in a few seconds.")
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            # Rendered without the request: the page layout reads the user's groups, which needs the database.
            response = HttpResponse(render_to_string("errors/503.html", {"message": message}), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response


class NulByteMiddleware:
    """400 for a NUL byte in the path or the query string.

    No code, id, date or search word contains one, and PostgreSQL refuses it in any query (a ValueError, so a 500
    wherever a view looks a raw parameter up, such as `?park=`). Forms refuse it in posted fields already.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return bad_request(request, SuspiciousOperation("NUL byte in the request's path or query string"))
        return self.get_response(request)


class NoStoreMiddleware:
    """What a signed-in user or an API client is answered — pages, API answers, exports, reports — is kept by no
    browser or proxy cache (`Cache-Control: no-store`): a shared office computer's cache, or a proxy, must not hand
    the zone's records to the next person. Static files (served by whitenoise before this) keep their caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # DRF's token authentication sets `request.user` on the way through its view, so it is read afterwards.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
