"""factory-boy factories for every model the tests build."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from enterprises.models import Enterprise, IndustryCluster, Park


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
