"""Confirming an import, from the attacker's side: a double-clicked (or replayed) confirmation imports the file once,
another server can confirm what one previewed, only the uploader can confirm, and pending uploads are bounded per
user and expire.

A preview keeps the upload in the database (`PendingImport`, nothing on disk) under a random token; the confirmation
claims that row in the same transaction as the import, so exactly one request imports and any other answers that
the file was already imported.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from parkadmin.models import ImportRecord, PendingImport
from projects.models import FundArrival
from tests.factories import ProjectFactory
from tests.harness import make_user
from tests.imports.files import csv_bytes, named
from tests.security.test_concurrency import race

FUND_HEADERS = ["项目", "到位日期", "金额（万元）"]
URL = "/imports/fund-arrivals/"
POSTGRESQL = pytest.mark.skipif(connection.vendor != "postgresql", reason="two concurrent connections need PostgreSQL")
# What the "already imported" answer says, in the default language (Chinese) and its link to the records.
ALREADY = "这次确认没有再次导入"


def fund_file(project, rows: int = 300, name: str = "资金到位.csv", *, first_amount: int = 1):
    data = [[project.name, "2024-03-31", str(first_amount + i)] for i in range(rows)]
    return {"file": named(csv_bytes(FUND_HEADERS, data), name)}


def preview(client, project, **kwargs) -> str:
    response = client.post(URL, fund_file(project, **kwargs))
    assert response.status_code == 200, response.content.decode()[:2000]
    token = response.context["token"]
    assert token
    return token


def same_session(client) -> Client:
    """A second browser connection of the same signed-in session (a double click: two requests, one cookie)."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return other


@pytest.fixture
def empty_temp_dir(tmp_path, monkeypatch) -> Path:
    """The system's temporary folder, empty: whatever an upload leaves on disk shows up in it."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


# --- a confirmation imports once ----------------------------------------------------------------------------------


@POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_a_double_clicked_confirmation_imports_the_file_once(client):
    """Two simultaneous POSTs of the same token, each on its own connection: 300 rows stay 300 (they became 600)."""
    client.force_login(make_user("investment"))
    project = ProjectFactory()
    token = preview(client, project)
    responses = race(
        (client, lambda c: c.post(URL, {"token": token})),
        (same_session(client), lambda c: c.post(URL, {"token": token})),
    )
    assert FundArrival.objects.count() == 300
    assert sorted(response.status_code for response in responses) == [200, 302]
    winner = next(response for response in responses if response.status_code == 302)
    assert winner["Location"] == "/projects/fund-arrivals/"
    loser = next(response for response in responses if response.status_code == 200)
    html = loser.content.decode()
    assert ALREADY in html and 'href="/projects/fund-arrivals/"' in html and 'name="token"' not in html
    assert list(ImportRecord.objects.filter(dry_run=False).values_list("created", flat=True)) == [300]
    assert PendingImport.objects.get().state == PendingImport.State.IMPORTED


@pytest.mark.django_db
def test_confirming_again_answers_already_imported_with_a_link_to_the_records(client):
    """The same on one connection (SQLite too): the replayed confirmation writes nothing and says why."""
    user = make_user("investment")
    client.force_login(user)
    project = ProjectFactory()
    token = preview(client, project, rows=3)
    assert client.post(URL, {"token": token}).status_code == 302
    for replay in (client, same_session(client)):
        again = replay.post(URL, {"token": token})
        assert again.status_code == 200
        html = again.content.decode()
        assert ALREADY in html and "新增 3 条" in html and 'href="/projects/fund-arrivals/"' in html
        assert 'name="token"' not in html
    assert FundArrival.objects.count() == 3
    assert ImportRecord.objects.filter(dry_run=False).count() == 1
    pending = PendingImport.objects.get()
    # The file itself is let go once imported; the row remains to answer a replay.
    assert (pending.state, pending.user, pending.size, bytes(pending.content)) == ("imported", user, 0, b"")
    assert pending.imported_at is not None and "3" in pending.summary


@POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_another_server_confirms_what_one_previewed_and_neither_keeps_a_file(client, empty_temp_dir, tmp_path):
    """The preview here, the confirmation by a second process with a temporary folder of its own: nothing waits in
    either folder, and the file is imported once."""
    client.force_login(make_user("investment"))
    project = ProjectFactory()
    token = preview(client, project, rows=20)
    assert list(empty_temp_dir.iterdir()) == []
    other_temp = tmp_path / "other-server-tmp"
    other_temp.mkdir()
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    script = (
        "import sys, django; django.setup()\n"
        "from django.test.utils import setup_test_environment; setup_test_environment()\n"
        "from django.conf import settings; from django.test import Client\n"
        "c = Client(); c.cookies[settings.SESSION_COOKIE_NAME] = sys.argv[1]\n"
        "r = c.post(sys.argv[2], {'token': sys.argv[3]})\n"
        "print(r.status_code, r.get('Location', ''))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url,
        "TMPDIR": str(other_temp),
    }
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    child = subprocess.run(
        [sys.executable, "-c", script, session, URL, token],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == ["302", "/projects/fund-arrivals/"], child.stdout + child.stderr
    assert FundArrival.objects.count() == 20
    assert list(other_temp.iterdir()) == [] and list(empty_temp_dir.iterdir()) == []


@pytest.mark.django_db
def test_nothing_of_an_upload_is_kept_on_disk(client, empty_temp_dir):
    client.force_login(make_user("investment"))
    token = preview(client, ProjectFactory(), rows=5)
    assert list(empty_temp_dir.iterdir()) == []
    assert client.post(URL, {"token": token}).status_code == 302
    assert list(empty_temp_dir.iterdir()) == []
    assert FundArrival.objects.count() == 5


@pytest.mark.django_db
def test_an_import_refused_at_confirmation_writes_nothing_and_is_not_confirmable_again(client):
    """The records changed since the preview (the project was deleted): 409 with the reasons, and the confirmation
    is spent, since what the preview showed no longer holds; the file must be checked again."""
    client.force_login(make_user("investment"))
    project = ProjectFactory()
    token = preview(client, project, rows=4)
    project.delete()
    response = client.post(URL, {"token": token})
    assert response.status_code == 409 and not response.context["result"].ok
    assert 'name="token"' not in response.content.decode()
    assert not FundArrival.objects.exists() and not PendingImport.objects.exists()
    again = client.post(URL, {"token": token}, follow=True)
    assert again.redirect_chain[-1][0] == URL and "重新上传" in again.content.decode()
    assert not FundArrival.objects.exists()


# --- only the uploader --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_users_token_is_unknown_and_stays_the_uploaders(client):
    owner, intruder = make_user("investment"), make_user("administrator")
    client.force_login(owner)
    project = ProjectFactory()
    token = preview(client, project, rows=3)
    stranger = Client()
    stranger.force_login(intruder)
    response = stranger.post(URL, {"token": token}, follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert "重新上传" in response.content.decode() and ALREADY not in response.content.decode()
    assert not FundArrival.objects.exists()
    # The intruder spent nothing: the uploader still confirms.
    assert client.post(URL, {"token": token}).status_code == 302
    assert FundArrival.objects.count() == 3
    # Nor does the intruder learn that it was imported.
    replay = stranger.post(URL, {"token": token}, follow=True)
    assert ALREADY not in replay.content.decode() and FundArrival.objects.count() == 3


@pytest.mark.django_db
def test_a_token_confirmed_on_another_kinds_page_is_unknown(client):
    client.force_login(make_user("administrator"))
    token = preview(client, ProjectFactory(), rows=2)
    response = client.post("/imports/projects/", {"token": token}, follow=True)
    assert response.redirect_chain[-1][0] == "/imports/projects/"
    assert not FundArrival.objects.exists()
    assert PendingImport.objects.get().state == "pending"


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "x", "a" * 200, "../../etc/passwd", "' OR 1=1 --"])
def test_a_made_up_token_is_unknown(client, token):
    client.force_login(make_user("investment"))
    preview(client, ProjectFactory(), rows=2)
    response = client.post(URL, {"token": token}, follow=True)
    assert response.redirect_chain[-1][0] == URL and "重新上传" in response.content.decode()
    assert not FundArrival.objects.exists()


# --- the quota ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_preview_beyond_the_count_quota_replaces_the_oldest_pending_one(client, settings):
    settings.IMPORT_PENDING_MAX_COUNT = 3
    user = make_user("investment")
    client.force_login(user)
    project = ProjectFactory()
    tokens = [preview(client, project, rows=2, first_amount=100 * i + 1) for i in range(5)]
    assert set(PendingImport.objects.filter(user=user).values_list("token", flat=True)) == set(tokens[2:])
    # The replaced ones answer as no longer waiting; the kept ones confirm.
    response = client.post(URL, {"token": tokens[0]}, follow=True)
    assert "重新上传" in response.content.decode() and not FundArrival.objects.exists()
    assert client.post(URL, {"token": tokens[4]}).status_code == 302
    assert FundArrival.objects.count() == 2
    # Another user's pending uploads are theirs: not counted, not replaced.
    other = Client()
    other.force_login(make_user("administrator"))
    preview(other, project, rows=2, first_amount=900)
    assert PendingImport.objects.filter(user=user, state="pending").count() == 2
    assert PendingImport.objects.exclude(user=user).count() == 1


@pytest.mark.django_db
def test_a_preview_beyond_the_byte_quota_replaces_the_oldest_pending_ones_and_says_so(client, settings):
    user = make_user("investment")
    client.force_login(user)
    project = ProjectFactory()
    # Four files of the same size: amounts of four digits each.
    size = len(fund_file(project, rows=50, first_amount=1000)["file"].read())
    settings.IMPORT_MAX_BYTES = size
    settings.IMPORT_PENDING_MAX_BYTES = int(size * 2.5)
    tokens = [preview(client, project, rows=50, first_amount=1000 * (i + 1), name=f"资金{i}.csv") for i in range(3)]
    response = client.post(URL, fund_file(project, rows=50, first_amount=4000, name="资金3.csv"))
    tokens.append(response.context["token"])
    kept = PendingImport.objects.filter(user=user)
    assert set(kept.values_list("token", flat=True)) == set(tokens[2:])
    assert sum(kept.values_list("size", flat=True)) <= settings.IMPORT_PENDING_MAX_BYTES
    # The page says which preview was replaced (资金0.csv went when 资金2.csv came), and what to do about it.
    html = response.content.decode()
    assert "最早等待确认的 “资金1.csv” 已被这次上传替换。如需导入，请重新上传。" in html and "资金0.csv" not in html


@pytest.mark.django_db
def test_a_byte_quota_below_the_file_limit_still_lets_one_file_wait(client, settings):
    client.force_login(make_user("investment"))
    project = ProjectFactory()
    settings.IMPORT_MAX_BYTES = len(fund_file(project, rows=20, first_amount=100)["file"].read())
    settings.IMPORT_PENDING_MAX_BYTES = 100
    first = preview(client, project, rows=20, first_amount=200)
    second = preview(client, project, rows=20, first_amount=100)
    assert list(PendingImport.objects.values_list("token", flat=True)) == [second]
    assert client.post(URL, {"token": first})["Location"] == URL  # the upload page again: no longer waiting
    assert client.post(URL, {"token": second})["Location"] == "/projects/fund-arrivals/"
    assert FundArrival.objects.count() == 20


# --- expiry -------------------------------------------------------------------------------------------------------


def age(token: str, hours: float) -> None:
    PendingImport.objects.filter(token=token).update(created_at=timezone.now() - datetime.timedelta(hours=hours))


@pytest.mark.django_db
def test_a_preview_older_than_a_day_is_no_longer_confirmable(client):
    client.force_login(make_user("investment"))
    token = preview(client, ProjectFactory(), rows=2)
    age(token, 24.5)
    response = client.post(URL, {"token": token}, follow=True)
    assert "重新上传" in response.content.decode()
    assert not FundArrival.objects.exists()


@pytest.mark.django_db
def test_stale_uploads_are_removed_by_the_next_preview_and_by_the_command(client):
    user = make_user("investment")
    client.force_login(user)
    project = ProjectFactory()
    stale, fresh = preview(client, project, rows=2), preview(client, project, rows=2, first_amount=50)
    age(stale, 25)
    newest = preview(client, project, rows=2, first_amount=80)
    assert set(PendingImport.objects.values_list("token", flat=True)) == {fresh, newest}
    assert client.post(URL, {"token": newest}).status_code == 302
    age(fresh, 25)
    age(newest, 25)  # imported a day ago: the marker answering a replay goes too
    call_command("clear_pending_imports", verbosity=0)
    assert not PendingImport.objects.exists()
