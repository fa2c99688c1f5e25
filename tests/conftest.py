import pytest

from tests.harness import make_user


@pytest.fixture
def admin_user(db):
    return make_user("administrator")


@pytest.fixture
def official(db):
    return make_user("official")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def official_client(client, official):
    client.force_login(official)
    return client
