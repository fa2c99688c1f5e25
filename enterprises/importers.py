"""What the enterprises app imports through the shared pipeline (parkadmin.imports): the register, yearly figures,
incubations and the problem list. Rows are validated and saved by the app's own forms and services."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from enterprises.choices import (
    EnterpriseStatus,
    IncubationStatus,
    ListingStage,
    ProblemCategory,
    ProblemStatus,
    SizeClass,
)
from enterprises.forms import EnterpriseForm, EnterpriseYearForm, IncubationForm, ServiceRequestForm
from enterprises.models import Enterprise, EnterpriseYear, Incubation, Incubator, ServiceRequest
from enterprises.services import service_request_move
from enterprises.validators import CREDIT_CODE_ALPHABET, normalise_credit_code
from parkadmin.imports.kinds import register_importer
from parkadmin.imports.limits import CHUNK
from parkadmin.imports.parsers import Boolean, Choice, Date, Integer, Number, Ref
from parkadmin.imports.pipeline import ImportColumn, Importer
from parkadmin.imports.results import CREATED, UPDATED, RowInvalid
from parks.importers import CLUSTER, PARK


def as_credit_code(text: str) -> str | None:
    """A cell that looks like a credit code, normalised; None for anything else (a name)."""
    code = normalise_credit_code(text)
    if code and len(code) == 18 and all(char in CREDIT_CODE_ALPHABET for char in code):
        return code
    return None


ENTERPRISE = Ref(
    Enterprise,
    ("credit_code", "name"),
    normalise=as_credit_code,
    description=_("unified social credit code or exact name of an enterprise in the register"),
)
INCUBATOR = Ref(Incubator, ("name",), whole_table=True)
USER = Ref(get_user_model(), ("username",), description=_("user name of a ParkAdmin user"))


@register_importer
class EnterpriseImporter(Importer):
    """The register: an enterprise is matched by its credit code, or by its exact name where it has none."""

    kind = "enterprises"
    model = Enterprise
    form_class = EnterpriseForm
    key = ("credit_code", "name")
    columns = [
        ImportColumn("name", "企业名称", required=True, example="怀化示例科技有限公司"),
        ImportColumn("short_name", "简称", example="示例科技"),
        ImportColumn("credit_code", "统一社会信用代码", example="91431200MA0000001P"),
        ImportColumn("legal_representative", "法定代表人", example="张三"),
        ImportColumn("founded_on", "成立日期", Date(), example="2018-05-20"),
        ImportColumn("registered_capital", "注册资本（万元）", Number(), example=1000),
        ImportColumn("cluster", "产业集群", CLUSTER, example="EIT"),
        ImportColumn("park", "园区", PARK, example="core"),
        ImportColumn("status", "经营状态", Choice(EnterpriseStatus), example=EnterpriseStatus.OPERATING.label),
        ImportColumn("size_class", "企业规模", Choice(SizeClass), example=SizeClass.SMALL.label),
        ImportColumn("listing_stage", "上市情况", Choice(ListingStage), example=ListingStage.NONE.label),
        ImportColumn("address", "地址", example="怀化高新区示例路1号"),
        ImportColumn("contact_person", "联系人", example="李四"),
        ImportColumn("contact_phone", "联系电话", example="0745-0000000"),
        ImportColumn("liaison", "挂点干部", USER),
        ImportColumn("land_area_mu", "自有用地（亩）", Number(), example=30),
        ImportColumn("has_own_plant", "自建厂房", Boolean(), example="是"),
        ImportColumn("notes", "备注"),
        ImportColumn("source", "来源", example="企业填报"),
    ]

    def row_key(self, values):
        # The credit code identifies an enterprise; its exact name does where the code is not given.
        code = normalise_credit_code(values.get("credit_code"))
        return ("credit_code", code) if code else ("name", values.get("name"))

    def existing(self, keys):
        codes = [value for field, value in keys if field == "credit_code"]
        names = [value for field, value in keys if field == "name"]
        found = {}
        # By code, then by name, each from its own index (OR-ed together, PostgreSQL read the whole table a chunk).
        for field, values in (("credit_code", codes), ("name", names)):
            for start in range(0, len(values), CHUNK):
                for enterprise in Enterprise.objects.filter(**{f"{field}__in": values[start : start + CHUNK]}):
                    if enterprise.credit_code:
                        found[("credit_code", enterprise.credit_code)] = enterprise
                    found.setdefault(("name", enterprise.name), enterprise)
        return found

    def save_row(self, values, instance):
        code = normalise_credit_code(values.get("credit_code"))
        if instance is None and code:
            # A code not yet on record may belong to an enterprise registered by name before its code was known.
            instance = Enterprise.objects.filter(name=values.get("name"), credit_code__isnull=True).first()
        return super().save_row(values, instance)


@register_importer
class EnterpriseYearImporter(Importer):
    kind = "enterprise-years"
    model = EnterpriseYear
    form_class = EnterpriseYearForm
    key = ("enterprise", "year")
    columns = [
        ImportColumn("enterprise", "企业", ENTERPRISE, required=True, example="91431200MA0000001P"),
        ImportColumn("year", "年份", Integer(), required=True, example=2019),
        ImportColumn("revenue", "营业收入（万元）", Number(), example=12000),
        ImportColumn("industrial_output", "工业总产值（万元）", Number(), example=11500),
        ImportColumn("tax", "税收（万元）", Number(), example=560),
        ImportColumn("rd_expense", "研发投入（万元）", Number(), example=480),
        ImportColumn("employees", "从业人员（人）", Integer(), example=210),
        ImportColumn("export_value", "出口额（万美元）", Number(), example=150),
        ImportColumn("patents_granted", "授权专利（件）", Integer(), example=6),
        ImportColumn("source", "来源", example="企业年报"),
    ]


@register_importer
class IncubationImporter(Importer):
    kind = "incubations"
    model = Incubation
    form_class = IncubationForm
    key = ("enterprise", "incubator", "entered_on")
    columns = [
        ImportColumn("enterprise", "企业", ENTERPRISE, required=True, example="91431200MA0000001P"),
        ImportColumn("incubator", "孵化器", INCUBATOR, required=True, example="国家级科技企业孵化器"),
        ImportColumn("entered_on", "入孵日期", Date(), required=True, example="2019-03-01"),
        ImportColumn("status", "状态", Choice(IncubationStatus), example=IncubationStatus.INCUBATING.label),
        ImportColumn("left_on", "离开日期", Date(), note=_("for a graduated or exited enterprise")),
        ImportColumn("area_m2", "面积（平方米）", Number(), example=200),
    ]


# Fields of a problem that only its status moves change (enterprises.services.service_request_move).
MOVE_FIELDS = ("status", "resolution", "resolved_on", "closed_on")


@register_importer
class ServiceRequestImporter(Importer):
    """The problem list. A new problem may arrive already resolved or closed (model rules apply); a stored one
    changes status only by an allowed move, as on its page."""

    kind = "service-requests"
    model = ServiceRequest
    form_class = ServiceRequestForm
    key = ("enterprise", "title", "raised_on")
    columns = [
        ImportColumn("enterprise", "企业", ENTERPRISE, required=True, example="91431200MA0000001P"),
        ImportColumn("title", "问题", required=True, example="厂房用电增容"),
        ImportColumn(
            "category", "类别", Choice(ProblemCategory), required=True, example=ProblemCategory.UTILITIES.label
        ),
        ImportColumn("description", "问题描述", example="新生产线投产需增容至1000千伏安"),
        ImportColumn("raised_on", "提出日期", Date(), required=True, example="2020-03-02"),
        ImportColumn("assignee", "责任人", USER),
        ImportColumn("due_on", "办结时限", Date(), note=_("empty: the category's time limit")),
        ImportColumn("status", "状态", Choice(ProblemStatus), example=ProblemStatus.OPEN.label),
        ImportColumn("resolution", "解决情况"),
        ImportColumn("resolved_on", "解决日期", Date()),
        ImportColumn("closed_on", "销号日期", Date()),
    ]

    def save_row(self, values, instance):
        moves = {name: values.pop(name) for name in MOVE_FIELDS if name in values}
        if instance is None:
            form = self.make_form(values, None)
            if not form.is_valid():
                raise ValidationError(form.errors.as_data())
            record = form.save(commit=False)
            record.status = moves.get("status") or ProblemStatus.OPEN
            record.resolution = moves.get("resolution") or ""
            record.resolved_on, record.closed_on = moves.get("resolved_on"), moves.get("closed_on")
            record.full_clean()  # the model's rules: a resolved problem needs its resolution and date …
            record.save()
            return CREATED, record
        action, record = super().save_row(values, instance)
        status = moves.get("status")
        if status and status != record.status:
            record = service_request_move(
                request=record,
                expected_version=record.version,
                status=status,
                resolution=moves.get("resolution") or record.resolution,
                resolved_on=moves.get("resolved_on") or record.resolved_on,
                closed_on=moves.get("closed_on"),
            )
            return UPDATED, record
        if any(moves.get(name) not in (None, "", getattr(record, name)) for name in MOVE_FIELDS[1:]):
            raise RowInvalid([(None, str(_("A problem's resolution changes with its status, on its page.")))])
        return action, record
