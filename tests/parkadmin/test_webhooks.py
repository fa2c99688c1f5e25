"""Chat-group robots receive each new event once, signed for 钉钉; a failed post is tried again later."""

import datetime
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from parkadmin.models import WebhookDelivery
from parkadmin.notifications import run_reminders
from parkadmin.webhooks import signed_url
from tests.factories import ServiceRequestFactory, UserFactory

pytestmark = pytest.mark.django_db


class Robot(BaseHTTPRequestHandler):
    """A local stand-in for a group robot: keeps what it is sent; answers as the server's `answers` say."""

    received: list = []
    answers: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append((self.path, body))
        status, reply = type(self).answers.pop(0) if type(self).answers else (200, {"errcode": 0, "errmsg": "ok"})
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(reply).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def robot():
    Robot.received, Robot.answers = [], []
    server = HTTPServer(("127.0.0.1", 0), Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def overdue_problem():
    raised = timezone.localdate() - datetime.timedelta(days=40)
    return ServiceRequestFactory(assignee=UserFactory(), raised_on=raised, due_on=raised + datetime.timedelta(days=30))


def test_a_new_event_reaches_each_group_that_receives_its_kind_once_signed_for_dingtalk(settings, robot):
    settings.PARKADMIN_WEBHOOKS = [
        {"name": "企业服务群", "url": f"{robot}/cgi-bin/webhook/send?key=abc", "kinds": ["problem_overdue"]},
        {"name": "钉钉群", "url": f"{robot}/robot/send?access_token=t", "secret": "SECx", "kinds": ["problem_overdue"]},
        {"name": "审核群", "url": f"{robot}/other", "kinds": ["values_waiting"]},
    ]
    problem = overdue_problem()
    run_reminders()
    run_reminders()
    assert len(Robot.received) == 2  # two groups receive the kind, each once
    paths = sorted(path for path, _body in Robot.received)
    assert paths[0].startswith("/cgi-bin/webhook/send?key=abc")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(paths[1]).query)
    assert set(query) == {"access_token", "timestamp", "sign"}
    expected = signed_url("/robot/send?access_token=t", "SECx", int(query["timestamp"][0]))
    assert paths[1] == expected
    assert all(body["msgtype"] == "text" and problem.title in body["text"]["content"] for _p, body in Robot.received)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_failed_post_is_kept_and_tried_again_after_its_wait(settings, robot):
    settings.PARKADMIN_WEBHOOKS = [{"name": "群", "url": f"{robot}/send", "kinds": ["problem_overdue"]}]
    Robot.answers = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"})]
    overdue_problem()
    run_reminders()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "93000" in delivery.last_error and delivery.next_try > timezone.now()
    run_reminders()  # the wait is not over: not tried
    assert WebhookDelivery.objects.get().attempts == 1
    WebhookDelivery.objects.update(next_try=timezone.now() - datetime.timedelta(seconds=1))
    run_reminders()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert len(Robot.received) == 2


def test_a_robot_that_cannot_be_reached_fails_the_post_not_the_run(settings):
    settings.PARKADMIN_WEBHOOKS = [{"name": "群", "url": "http://127.0.0.1:9/send", "kinds": ["problem_overdue"]}]
    overdue_problem()
    assert [new for _n, new in run_reminders()] == [True]  # the in-app notification stands
    assert WebhookDelivery.objects.get().status == "failed"
