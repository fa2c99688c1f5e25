"""The base FilterSet: one per model serves its list page, its API endpoint and its exports."""

from __future__ import annotations

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parkadmin.forms import BootstrapMixin

MAX_SEARCH_LENGTH = 100


class FilterForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter whose empty choice reads "all", not "unknown"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]))
        super().__init__(*args, **kwargs)


class BaseFilterSet(django_filters.FilterSet):
    """Adds `q`: a case-insensitive search over `search_fields` (each word must match one of them)."""

    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=MAX_SEARCH_LENGTH)

    def search(self, queryset, name, value):
        words = value.split()[:5]
        for word in words:
            queryset = queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": word}) for f in self.search_fields)))
        return queryset

    @classmethod
    def get_form_class(cls):
        # Same as django-filter's, on a Bootstrap-styled base form.
        fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
        return type(f"{cls.__name__}Form", (FilterForm,), fields)
