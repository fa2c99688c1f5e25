"""Form pieces every app reuses: Bootstrap styling, the version field of optimistic locking, a service's errors put
on a form, and where a form's hidden `next` may lead."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.choices import CallableChoiceIterator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from parkadmin.locking import save_versioned

# Django's empty choice of a select ("---------"), untranslated. A form shows a translated placeholder instead.
DJANGO_EMPTY_LABEL = "---------"
EMPTY_CHOICE_LABEL = _("Choose…")


def translate_empty_choice(field: forms.Field, label=EMPTY_CHOICE_LABEL) -> None:
    """Replace Django's "---------" empty choice of a select field by `label` (a translated string)."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_LABEL:
            field.empty_label = label
    elif isinstance(field, forms.ChoiceField) and not isinstance(field.choices, CallableChoiceIterator):
        choices = list(field.choices)
        if any(value == "" and text == DJANGO_EMPTY_LABEL for value, text in choices):
            field.choices = [(v, label if v == "" and t == DJANGO_EMPTY_LABEL else t) for v, t in choices]


class BootstrapMixin:
    """Gives each widget Bootstrap's class, marks fields with errors invalid, and translates selects' empty choice."""

    def style_fields(self, mark_errors: bool = False) -> None:
        """Set Bootstrap classes; after validation (`mark_errors`) flag the fields with errors.

        Called from __init__ without marking: reading `self.errors` there would validate the form before a
        subclass's __init__ has finished setting it up.
        """
        for name, field in self.fields.items():
            widget = field.widget
            translate_empty_choice(field)
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            if mark_errors and name in self._errors:
                css += " is-invalid"
            classes = widget.attrs.get("class", "").split()
            widget.attrs["class"] = " ".join(dict.fromkeys([c for c in classes if c != "is-invalid"] + css.split()))

    def full_clean(self) -> None:
        super().full_clean()
        if self._errors is not None:
            self.style_fields(mark_errors=True)

    def add_error(self, field, error) -> None:
        # Errors added after validation (a service's, see add_errors) mark their fields as the form's own do.
        super().add_error(field, error)
        if self._errors is not None:
            self.style_fields(mark_errors=True)


class StyledForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class SearchSelect(forms.Select):
    """A select for a large choice (5,000 enterprises) that the user searches as they type.

    The page carries only the chosen option; `static/js/search-select.js` (Tom Select, vendored) asks `search_url`
    — an API list, which checks the user's login and permission and answers `q` with `id` and `name` — for the
    records matching what is typed. The form's field still validates against its whole queryset."""

    class Media:
        css = {"all": ["vendor/tom-select/tom-select.bootstrap5.min.css"]}
        js = ["vendor/tom-select/tom-select.complete.min.js", "js/search-select.js"]

    def __init__(self, search_url, attrs=None):
        super().__init__(attrs)
        self.search_url = search_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-pa-search"] = str(self.search_url)
        context["widget"]["attrs"]["data-pa-placeholder"] = str(_("Type to search"))
        return context

    def optgroups(self, name, value, attrs=None):
        choices = self.choices
        chosen = [v for v in value if v not in ("", None)]
        options = [("", choices.field.empty_label or "")]
        wanted = [v for v in chosen if str(v).isdigit()]
        if wanted:
            options += [choices.choice(obj) for obj in choices.queryset.filter(pk__in=wanted)]
        return [
            (None, [self.create_option(name, key, label, str(key) in chosen, index, attrs=attrs)], index)
            for index, (key, label) in enumerate(options)
        ]


class StyledPasswordChangeForm(BootstrapMixin, PasswordChangeForm):
    """Django's own password change (the old password, the new one twice, the password validators), styled."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class VersionedModelForm(BootstrapMixin, forms.ModelForm):
    """A ModelForm that carries the record's version and saves only if nobody saved it meanwhile."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = _(
                "The form lost its version; open the record again and repeat your edit."
            )
        self.style_fields()

    def save(self, commit: bool = True):
        instance = super().save(commit=False)
        if not commit:
            return instance
        if instance.pk:
            save_versioned(instance, expected_version=self.cleaned_data["version"])
        else:
            instance.save()
        self.save_m2m()
        return instance


def add_errors(form: forms.BaseForm, error: ValidationError, renamed: dict[str, str] | None = None) -> None:
    """Put a service's errors on `form`: at the field of that name (`renamed` maps a model field to the form's),
    or at the top of the form for any other."""
    errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for name, messages in errors.items():
        name = (renamed or {}).get(name, name)
        form.add_error(name if name in form.fields else None, messages)


def safe_next(request, wanted: str | None, default: str) -> str:
    """Where a form's hidden `next` may send the user after a step: a path of this site, else `default`."""
    ok = wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if ok else default
