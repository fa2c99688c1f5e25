"""`generate_sample_data` at a tiny scale: reproducible, valid, marked as sample data, and never mixed into a
database holding real records unless asked."""

import io

import pytest
from django.core.management import CommandError, call_command

from demo.sample import counts
from enterprises.models import Enterprise, EnterpriseYear, Incubation, Incubator, Qualification, ServiceRequest
from enterprises.validators import validate_credit_code
from indicators.models import Indicator, IndicatorValue, Target
from parkadmin.sample import PREFIX, SOURCE
from parks.models import IndustryCluster, Park
from projects.models import FundArrival, Project, ProjectUpdate, StageChange
from projects.services import current_change
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

SCALE = "0.01"


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_sample_data", "--scale", SCALE, *args, stdout=out)
    return out.getvalue()


def snapshot() -> tuple:
    return (
        list(Enterprise.objects.order_by("name").values_list("name", "credit_code", "registered_capital")),
        list(EnterpriseYear.objects.order_by("enterprise__name", "year").values_list("enterprise__name", "revenue")),
        list(Project.objects.order_by("name", "pk").values_list("name", "stage", "contract_investment")),
        list(
            IndicatorValue.objects.order_by("indicator__code", "park__code", "year").values_list(
                "indicator__code", "park__code", "year", "value"
            )
        ),
    )


def test_the_same_seed_makes_the_same_data_and_another_seed_other_data():
    generate("--seed", "7")
    first = snapshot()
    generate("--seed", "8", "--replace")
    other = snapshot()
    generate("--seed", "7", "--replace")
    assert snapshot() == first
    assert other[0] != first[0]


SAMPLE_MODELS = (
    Park,
    IndustryCluster,
    Enterprise,
    EnterpriseYear,
    Qualification,
    Incubator,
    Incubation,
    ServiceRequest,
    Project,
    StageChange,
    FundArrival,
    ProjectUpdate,
    Indicator,
    IndicatorValue,
    Target,
)


def every_row() -> dict[str, list[tuple]]:
    """Every field of every record, in the order written; a related record is named by its place in its table,
    since ids run on from one run to the next. Times of writing (auto_now_add) are left out."""
    places: dict = {}

    def place(model, pk):
        if pk is None:
            return None
        if model not in places:
            ids = model._default_manager.order_by("pk").values_list("pk", flat=True)
            places[model] = {key: number for number, key in enumerate(ids)}
        return places[model][pk]

    rows = {}
    for model in SAMPLE_MODELS:
        fields = [
            field
            for field in model._meta.concrete_fields
            if not field.primary_key and not getattr(field, "auto_now_add", False)
        ]
        rows[model._meta.label] = [
            tuple(
                place(field.related_model, getattr(record, field.attname))
                if field.is_relation
                else getattr(record, field.attname)
                for field in fields
            )
            for record in model._default_manager.order_by("pk")
        ]
    return rows


def test_two_runs_with_the_same_seed_write_the_same_rows_field_for_field():
    generate("--seed", "6")
    first = every_row()
    generate("--seed", "12", "--replace")
    generate("--seed", "6", "--replace")
    again = every_row()
    assert all(first.values())
    assert again == first


def test_the_sizes_follow_the_scale():
    generate("--seed", "1")
    wanted = counts(float(SCALE))
    assert Enterprise.objects.count() == wanted["enterprises"] == 50
    assert EnterpriseYear.objects.count() == 10 * wanted["enterprises"]
    assert Project.objects.count() == wanted["projects"]
    assert FundArrival.objects.count() == wanted["fund_arrivals"]
    assert ServiceRequest.objects.count() == wanted["service_requests"]
    assert Incubation.objects.count() == wanted["incubations"]
    assert Park.objects.count() == 10
    assert set(IndustryCluster.objects.values_list("code", flat=True)) == {"NEM", "EIT", "AGR", "BIO"}
    assert {"huaihua", "core", "agri", "pharma", "eit-park", "wuyi", "materials"} <= set(
        Park.objects.values_list("code", flat=True)
    )
    sample = Indicator.objects.filter(code__startswith="sample_ind_")
    assert sample.count() == wanted["indicators"]
    # 20 years × 10 places (the whole zone and nine parks) per indicator
    assert IndicatorValue.objects.filter(indicator__in=sample).count() == wanted["indicators"] * 20 * 10


def test_every_record_is_valid_and_marked_as_sample_data():
    generate("--seed", "3")
    for model in SAMPLE_MODELS:
        records = list(model._default_manager.order_by("pk")[:15])
        assert records, model
        for record in records:
            record.full_clean()
    for model in (Enterprise, EnterpriseYear, Project, FundArrival, ServiceRequest, Incubation):
        assert not model.objects.filter(is_sample=False).exists(), model
    assert all(name.startswith(PREFIX) for name in Enterprise.objects.values_list("name", flat=True))
    assert all(name.startswith(PREFIX) for name in Project.objects.values_list("name", flat=True))
    assert set(IndicatorValue.objects.values_list("source", flat=True)) == {SOURCE}
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {"approved"}
    codes = [code for code in Enterprise.objects.values_list("credit_code", flat=True) if code]
    assert len(codes) == len(set(codes))
    for code in codes:
        validate_credit_code(code)


def test_a_projects_stage_is_the_last_move_of_its_log():
    generate("--seed", "5")
    for project in Project.objects.all():
        assert current_change(project).stage == project.stage
        dates = list(project.stage_changes.order_by("on", "pk").values_list("on", flat=True))
        assert dates == sorted(dates)


def test_running_it_again_with_the_same_scale_and_seed_changes_nothing():
    generate("--seed", "2")
    before = snapshot()
    assert "already there" in generate("--seed", "2")
    assert snapshot() == before
    with pytest.raises(CommandError, match="--replace"):
        generate("--seed", "9")


def test_a_database_holding_real_records_is_refused_unless_forced():
    real = EnterpriseFactory(name="怀化真实企业有限公司")
    with pytest.raises(CommandError, match="--force"):
        generate("--seed", "1")
    assert not Enterprise.objects.filter(is_sample=True).exists()
    generate("--seed", "1", "--force")
    assert Enterprise.objects.filter(pk=real.pk, is_sample=False).exists()
    assert Enterprise.objects.filter(is_sample=True).count() == 50
    with pytest.raises(CommandError, match="sample data only"):
        generate("--seed", "4", "--replace", "--force")
