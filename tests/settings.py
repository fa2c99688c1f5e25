"""Test settings: the real settings, with plain HTTP, plain static files and a fast password hasher.

The environment is set before the real settings read it, so DATABASE_URL still picks PostgreSQL or SQLite.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("DJANGO_PLAIN_STATIC", "1")
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-not-for-production-0123456789")

from parkadmin.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Static files come straight from the finders (no collectstatic needed before a test run).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# The session notes a user's last request once a minute (idle timeout); in tests that write would make a page's
# query count depend on how long the test has run. Tests of the timeout set the clocks themselves.
PARKADMIN_IDLE_TOUCH_SECONDS = 3600
