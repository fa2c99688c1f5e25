"""Chat-group robots (企业微信 群机器人, 钉钉 自定义机器人) as a notification channel.

PARKADMIN_WEBHOOKS lists the groups, each with the kinds of notification it receives:
`[{"name": "企业服务群", "url": "https://…", "secret": "SEC…", "kinds": ["problem_overdue", "problem_due"]}]`.
Both platforms take the same text message; 钉钉 signs it when the robot has a secret (the `timestamp` and `sign`
parameters: HMAC-SHA256 of "timestamp\\nsecret", base64, URL-encoded). A group gets each event once; a failed post is
tried again by later runs after 2, 4, 8 … minutes, at most MAX_ATTEMPTS times, and stays in the admin's list.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from parkadmin.models import WebhookDelivery

MAX_ATTEMPTS = 6
TIMEOUT_SECONDS = 5


def signed_url(url: str, secret: str, now_ms: int | None = None) -> str:
    """钉钉's signature: the URL with `timestamp` (ms) and `sign` appended; unchanged without a secret."""
    if not secret:
        return url
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def post(webhook: dict, text: str) -> None:
    """Post one text message; raises OSError (a network failure) or ValueError (the robot refused it)."""
    body = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode()
    request = urllib.request.Request(
        signed_url(webhook["url"], webhook.get("secret", "")),
        data=body,
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
        reply = json.loads(answer.read() or b"{}")
    if reply.get("errcode", 0) != 0:  # both platforms answer 200 with errcode for a refused message
        raise ValueError(f"errcode {reply.get('errcode')}: {reply.get('errmsg', '')}")


def attempt(delivery: WebhookDelivery, webhook: dict) -> None:
    now = timezone.now()
    delivery.attempts += 1
    try:
        post(webhook, delivery.text)
    except (OSError, ValueError) as error:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.last_error = str(error)[:255]
        delivery.next_try = (
            now + datetime.timedelta(minutes=2**delivery.attempts) if delivery.attempts < MAX_ATTEMPTS else None
        )
    else:
        delivery.status, delivery.sent_at, delivery.next_try, delivery.last_error = (
            WebhookDelivery.Status.SENT,
            now,
            None,
            "",
        )
    delivery.save()


def announce(kind: str, key: str, text: str) -> None:
    """Post a new event to every group that receives its kind, once per group."""
    for webhook in settings.PARKADMIN_WEBHOOKS:
        if kind not in webhook.get("kinds", []):
            continue
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    webhook=webhook["name"], key=key[:120], kind=kind, text=text, status=WebhookDelivery.Status.FAILED
                )
        except IntegrityError:  # the group has had this event
            continue
        attempt(delivery, webhook)


def retry_failed() -> int:
    """Post again the failed messages whose wait is over; returns how many were tried."""
    webhooks = {webhook["name"]: webhook for webhook in settings.PARKADMIN_WEBHOOKS}
    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.FAILED, next_try__lte=timezone.now(), webhook__in=list(webhooks)
    )
    tried = 0
    for delivery in due:
        attempt(delivery, webhooks[delivery.webhook])
        tried += 1
    return tried
