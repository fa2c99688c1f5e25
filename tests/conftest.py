import pytest

from tests.harness import RoleUsers, make_user, sign_in

# Fixtures that make a test commit for real and empty the database after it (pytest-django's transactional tests).
TRANSACTIONAL = {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
_database = {"blocker": None, "next": None}


def database_use(item) -> str | None:
    """ "transactional", "transaction" (the test runs inside one, rolled back after it) or None (no database)."""
    names = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    options = marker.kwargs if marker else {}
    if names & TRANSACTIONAL or any(
        options.get(key) for key in ("transaction", "reset_sequences", "serialized_rollback")
    ):
        return "transactional"
    return "transaction" if marker or "db" in names else None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    _database["blocker"] = django_db_blocker
    if _database["next"] == "transaction":
        with django_db_blocker.unblock():
            RoleUsers.keep()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before the test's fixtures open its transaction: the role users are committed outside of it.
    use = _database["next"] = database_use(item)
    blocker = _database["blocker"]
    if use is None or blocker is None:
        return
    with blocker.unblock():
        if use == "transactional":
            RoleUsers.drop()
        else:
            RoleUsers.keep()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if database_use(item) == "transactional":
        RoleUsers.forget()
    # A request in English leaves English active in the thread (the locale middleware does not put it back): the
    # next test starts in the interface's default language, whatever ran before it.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    return result


@pytest.fixture
def admin_user(db):
    return make_user("administrator")


@pytest.fixture
def official(db):
    return make_user("official")


@pytest.fixture
def admin_client(client, admin_user):
    sign_in(client, "administrator")
    return client


@pytest.fixture
def official_client(client, official):
    sign_in(client, "official")
    return client
