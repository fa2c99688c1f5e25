"""What the projects app imports through the shared pipeline (parkadmin.imports): projects and fund arrivals.

A new project opens its stage log through projects.services.project_create; a stored project's stage moves only
through project_move_stage, by the pipeline's rules (forward, dated no earlier than the current stage).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.importers import ENTERPRISE
from parkadmin.imports.kinds import register_importer
from parkadmin.imports.limits import CHUNK
from parkadmin.imports.parsers import Boolean, Choice, Date, Number, Ref
from parkadmin.imports.pipeline import ImportColumn, Importer
from parkadmin.imports.results import CREATED, UPDATED, RowInvalid
from parks.importers import CLUSTER, PARK
from projects.choices import InvestorOrigin, Stage
from projects.forms import FundArrivalForm, ProjectCreateForm, ProjectForm
from projects.models import FundArrival, Project
from projects.services import project_create, project_move_stage

PROJECT = Ref(Project, ("name",), description=_("exact name of an investment project"))
USER = Ref(get_user_model(), ("username",), description=_("user name of a ParkAdmin user"))
# Stored projects sharing the name a row gives: the row cannot say which one it means.
AMBIGUOUS = object()
MOVE_ARGUMENTS = {"on": "stage_on", "note": "stage_note"}


@register_importer
class ProjectImporter(Importer):
    kind = "projects"
    model = Project
    form_class = ProjectForm
    key = ("name",)
    columns = [
        ImportColumn("name", "项目名称", required=True, example="年产10万吨示例新材料项目"),
        ImportColumn("investor", "投资方", required=True, example="湖南示例新材料有限公司"),
        ImportColumn(
            "investor_origin", "投资方来源", Choice(InvestorOrigin), example=InvestorOrigin.OTHER_PROVINCE.label
        ),
        ImportColumn("enterprise", "企业", ENTERPRISE, note=_("the local enterprise, once one exists")),
        ImportColumn("cluster", "产业集群", CLUSTER, example="NEM"),
        ImportColumn("park", "园区", PARK, example="materials"),
        ImportColumn("stage", "项目阶段", Choice(Stage), example=Stage.SIGNED.label),
        ImportColumn(
            "stage_on", "阶段日期", Date(), example="2020-01-15", note=_("the day the project reached its stage")
        ),
        ImportColumn("stage_note", "阶段说明"),
        ImportColumn("contract_investment", "合同投资额（万元）", Number(), example=50000),
        ImportColumn("planned_fixed_asset_investment", "计划固定资产投资（万元）", Number(), example=40000),
        ImportColumn("land_mu", "用地（亩）", Number(), example=120),
        ImportColumn("expected_completion", "预计竣工日期", Date(), example="2021-12-31"),
        ImportColumn("expected_annual_output", "预计年产值（万元）", Number(), example=80000),
        ImportColumn("expected_annual_sales", "预计年销售收入（万元）", Number()),
        ImportColumn("expected_annual_tax", "预计年税收（万元）", Number(), example=3000),
        ImportColumn("expected_annual_profit_tax", "预计年利税（万元）", Number()),
        ImportColumn("key_provincial_industry", "省“五个100”重大产业项目", Boolean(), example="否"),
        ImportColumn("key_provincial_tech", "省“五个100”重大科技创新项目", Boolean(), example="否"),
        ImportColumn("key_provincial", "省重点项目", Boolean(), example="否"),
        ImportColumn("key_city", "市重点项目", Boolean(), example="是"),
        ImportColumn("liaison", "挂点干部", USER),
        ImportColumn("notes", "备注"),
        ImportColumn("source", "来源", example="招商台账"),
    ]

    def existing(self, keys):
        found = {}
        for key, project in super().existing(keys).items():
            found[key] = project
        names = [name for (name,) in keys]
        for start in range(0, len(names), CHUNK):
            counts: dict[str, int] = {}
            for name in Project.objects.filter(name__in=names[start : start + CHUNK]).values_list("name", flat=True):
                counts[name] = counts.get(name, 0) + 1
            found.update({(name,): AMBIGUOUS for name, count in counts.items() if count > 1})
        return found

    def make_form(self, values, instance):
        if instance is not None:
            return super().make_form(values, instance)
        data = self.form_data(values, None)
        data["stage"] = values.get("stage") or Stage.NEGOTIATING
        data["stage_on"] = values.get("stage_on") or timezone.localdate()
        data["stage_note"] = values.get("stage_note") or ""
        return self.form_for(ProjectCreateForm)(data=data)

    def save_row(self, values, instance):
        if instance is AMBIGUOUS:
            raise RowInvalid([("name", str(_("Several stored projects have this name: edit them on their pages.")))])
        if instance is None:
            form = self.make_form(values, None)
            if not form.is_valid():
                raise ValidationError(form.errors.as_data())
            data = form.cleaned_data
            project = project_create(
                project=form.save(commit=False),
                on=data["stage_on"],
                stage=data["stage"],
                note=data["stage_note"].strip(),
                user=self.user,
            )
            return CREATED, project
        action, project = super().save_row(values, instance)
        stage = values.get("stage")
        if stage and stage != project.stage:
            try:
                project_move_stage(
                    project=project,
                    stage=stage,
                    on=values.get("stage_on") or timezone.localdate(),
                    note=values.get("stage_note") or "",
                    user=self.user,
                )
            except ValidationError as error:
                # The service names its own arguments; the file has them as the stage columns.
                renamed = {MOVE_ARGUMENTS.get(name, name): messages for name, messages in error.message_dict.items()}
                raise ValidationError(renamed) from error
            project.refresh_from_db()
            return UPDATED, project
        return action, project


@register_importer
class FundArrivalImporter(Importer):
    kind = "fund-arrivals"
    model = FundArrival
    form_class = FundArrivalForm
    key = ("project", "arrived_on", "amount")
    columns = [
        ImportColumn("project", "项目", PROJECT, required=True, example="年产10万吨示例新材料项目"),
        ImportColumn("arrived_on", "到位日期", Date(), required=True, example="2020-03-31"),
        ImportColumn("amount", "金额（万元）", Number(), required=True, example=5000),
        ImportColumn("source", "资金来源", example="企业自筹"),
        ImportColumn("note", "备注"),
    ]
