"""factory-boy factories for every model the tests build."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from enterprises.models import (
    Enterprise,
    EnterpriseYear,
    Incubation,
    Incubator,
    Qualification,
    ResearchPlatform,
    ServiceRequest,
)
from indicators.choices import ValueStatus
from indicators.models import Indicator, IndicatorValue, Target
from parks.models import IndustryCluster, Park
from projects.choices import Stage
from projects.models import FundArrival, Project
from projects.services import project_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.set(Group.objects.filter(name__in=names))


class ParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Park

    code = factory.Sequence(lambda n: f"park-{n}")
    name = factory.Sequence(lambda n: f"园区{n}")
    kind = "sub_park"


class IndustryClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustryCluster

    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.Sequence(lambda n: f"产业集群{n}")
    role = "main"


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    cluster = factory.SubFactory(IndustryClusterFactory)
    park = factory.SubFactory(ParkFactory)
    status = "operating"


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = "hitech"
    certificate_no = factory.Sequence(lambda n: f"GR2019{n:06d}")
    issued_on = datetime.date(2019, 1, 1)
    expires_on = datetime.date(2021, 12, 31)


class ResearchPlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchPlatform

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"企业技术中心{n}")
    kind = "tech_center"
    level = "provincial"


class EnterpriseYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseYear

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2019
    revenue = Decimal("1000.00")
    tax = Decimal("50.00")
    employees = 100


class IncubatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incubator

    name = factory.Sequence(lambda n: f"孵化器{n}")
    level = "municipal"
    park = factory.SubFactory(ParkFactory)


class IncubationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incubation

    enterprise = factory.SubFactory(EnterpriseFactory)
    incubator = factory.SubFactory(IncubatorFactory)
    entered_on = datetime.date(2020, 3, 1)
    status = "incubating"


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRequest

    enterprise = factory.SubFactory(EnterpriseFactory)
    title = factory.Sequence(lambda n: f"问题{n}")
    category = "financing"
    raised_on = datetime.date(2024, 5, 1)
    due_on = datetime.date(2024, 5, 31)


class ProjectFactory(factory.django.DjangoModelFactory):
    """Created through `project_create`, so the project's stage log starts as in the app.

    `stage` (default negotiating) and `stage_on` (default 2019-01-10) give the log's first entry.
    """

    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"测试项目{n}")
    investor = factory.Sequence(lambda n: f"投资方{n}有限公司")
    cluster = factory.SubFactory(IndustryClusterFactory)
    park = factory.SubFactory(ParkFactory)
    contract_investment = Decimal("20000.00")
    stage_on = datetime.date(2019, 1, 10)

    @classmethod
    def _create(cls, model_class, *args, stage_on, stage=Stage.NEGOTIATING, **kwargs):
        return project_create(project=model_class(*args, **kwargs), on=stage_on, stage=stage)


class FundArrivalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundArrival

    project = factory.SubFactory(ProjectFactory)
    arrived_on = datetime.date(2019, 6, 1)
    amount = Decimal("500.00")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"indicator_{n}")
    name = factory.Sequence(lambda n: f"指标{n}")
    unit = "亿元"
    decimals = 2
    min_value = Decimal(0)


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    """A value as stored, without the checks at entry; a draft entered by a user of its own unless told."""

    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2019
    value = Decimal("10.00")
    status = ValueStatus.DRAFT
    entered_by = factory.SubFactory(UserFactory)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2020
    value = Decimal("12.00")
