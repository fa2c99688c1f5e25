"""REST API conventions shared by every app: permissions, pagination, errors, optimistic locking."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, permissions, serializers, status

from parkadmin.locking import StaleVersionError, save_versioned, stale_error
from parkadmin.people import people_to_name


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions, reads included: listing or reading a record needs its `view` permission."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


class Pagination(pagination.PageNumberPagination):
    # The page size is REST_FRAMEWORK["PAGE_SIZE"] (settings).
    page_size_query_param = "page_size"
    max_page_size = 1000


class Conflict(exceptions.APIException):
    """409: the request cannot apply to the record as it now stands. `payload` is sent as the body, typed."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This record was changed by someone else since you read it. Read it again and retry.")
    default_code = "stale_version"

    def __init__(self, payload: dict):
        self.payload = payload
        super().__init__(payload.get("detail"))

    @classmethod
    def from_stale(cls, error: StaleVersionError) -> Conflict:
        """The 409 every versioned endpoint sends: the stored version, who changed it, and what changed."""
        return cls(
            {
                "detail": str(cls.default_detail),
                "version": error.instance.version,
                "changed_by": error.changed_by,
                "changes": [{"field": c.field, "old": str(c.old), "new": str(c.new)} for c in error.changes],
            }
        )


class VersionedSerializer(serializers.ModelSerializer):
    """A ModelSerializer for versioned models: `version` is read on GET and required on update.

    An update whose `version` is not the stored one is refused with 409 and changes nothing.
    """

    version = serializers.IntegerField(
        required=False, min_value=1, help_text="Version read with the record; required when updating."
    )

    def run_validation(self, data=serializers.empty):
        # A stale version is a conflict before anything else: checked first, a write that lost a race is told 409
        # (someone changed the record), not a validation error about the state the winner left.
        sent = data.get("version") if self.instance is not None and hasattr(data, "get") else None
        if type(sent) is int and sent != self.instance.version:
            raise stale_error(self.instance, sent)  # the exception handler answers it 409, as every stale write
        return super().run_validation(data)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError({"version": [_("Send the version you read to update this record.")]})
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        plain = {k: v for k, v in validated_data.items() if not self.Meta.model._meta.get_field(k).many_to_many}
        # The model's own rules (clean, constraints) apply to API writes as to forms.
        self.Meta.model(**plain).full_clean()
        return super().create(validated_data)

    def update(self, instance, validated_data):
        expected = validated_data.pop("version")
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.full_clean()
        return save_versioned(instance, expected_version=expected)


def exception_handler(exc, context):
    """DRF's handler, plus: model validation errors (full_clean) → 400 with field errors; a stale version
    (StaleVersionError, from any serializer, service or action) → 409 `Conflict.from_stale`, the one place the API
    answers it; any other conflict → 409 with its typed payload; deleting a record others still refer to → 409
    naming them; a body in another format than JSON → 415 saying to send JSON."""
    # Imported here: rest_framework.views reads these settings, which name this module.
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.db.models import ProtectedError, RestrictedError
    from rest_framework.response import Response
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        # Record-level errors under DRF's one name, whether DRF or the model found them.
        if "__all__" in detail:
            detail["non_field_errors"] = detail.pop("__all__")
        exc = serializers.ValidationError(detail)
    if isinstance(exc, StaleVersionError):
        exc = Conflict.from_stale(exc)
    if isinstance(exc, ProtectedError | RestrictedError):
        blockers = sorted({str(obj) for obj in exc.args[1]})[:10]
        exc = Conflict({"detail": str(_("Other records still refer to this one.")), "referenced_by": blockers})
    if isinstance(exc, exceptions.UnsupportedMediaType):
        # DRF's message names the type refused; say what to send instead (the API reads JSON only).
        exc = exceptions.UnsupportedMediaType(
            context["request"].content_type,
            detail=_("The API reads JSON only: send the body as JSON, with the header Content-Type: application/json."),
        )
    if isinstance(exc, Conflict):
        return Response(exc.payload, status=exc.status_code)
    return drf_exception_handler(exc, context)


class PersonField(serializers.PrimaryKeyRelatedField):
    """A user a record names (liaison officer, assignee): an active one, or the one it already names."""

    def get_queryset(self):
        record = self.parent.instance if self.parent is not None else None
        current = getattr(record, f"{self.source}_id", None) if isinstance(record, models.Model) else None
        return people_to_name(current)
