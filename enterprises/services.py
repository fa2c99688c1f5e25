"""Writes of the enterprises app that carry rules beyond a form: the life of an enterprise problem."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enterprises.choices import ProblemStatus
from enterprises.models import ServiceRequest
from parkadmin.locking import save_versioned, stale_error

# Where a problem may go from each status: answered problems can be reopened until the enterprise confirms.
PROBLEM_MOVES: dict[str, set[str]] = {
    ProblemStatus.OPEN: {ProblemStatus.IN_PROGRESS, ProblemStatus.RESOLVED},
    ProblemStatus.IN_PROGRESS: {ProblemStatus.RESOLVED},
    ProblemStatus.RESOLVED: {ProblemStatus.CLOSED, ProblemStatus.IN_PROGRESS},
    ProblemStatus.CLOSED: set(),
}

# What a problem's moves record besides its status: changed only by a move.
PROBLEM_MOVE_FIELDS = ("status", "resolution", "resolved_on", "confirmation", "satisfaction", "closed_on")


@transaction.atomic
def service_request_move(
    *,
    request: ServiceRequest,
    expected_version: int,
    status: str,
    resolution: str = "",
    resolved_on: datetime.date | None = None,
    confirmation: str = "",
    satisfaction: int | None = None,
    closed_on: datetime.date | None = None,
) -> ServiceRequest:
    """Move a problem to `status`, with what that status needs; history records who did it and when.

    Raises ValidationError for a move the rules do not allow, and StaleVersionError if someone else changed the
    problem since `expected_version`.
    """
    if request.version != expected_version:
        # Someone moved it since the page was read: say so, rather than judge this step against a status the user
        # has not seen.
        raise stale_error(request, expected_version)
    errors: dict = {}
    if status not in PROBLEM_MOVES[request.status]:
        errors["status"] = [
            _("A problem that is “%(from)s” cannot become “%(to)s”.")
            % {"from": request.get_status_display(), "to": ProblemStatus(status).label}
        ]
    if status == ProblemStatus.RESOLVED:
        request.resolution, request.resolved_on = resolution.strip(), resolved_on
    elif status == ProblemStatus.CLOSED:
        request.confirmation, request.satisfaction, request.closed_on = confirmation.strip(), satisfaction, closed_on
        if closed_on and request.resolved_on and closed_on < request.resolved_on:
            errors["closed_on"] = [_("It cannot be confirmed before it was resolved.")]
    elif status == ProblemStatus.IN_PROGRESS and request.status == ProblemStatus.RESOLVED:
        # Reopened: the earlier answer did not solve it.
        request.resolved_on = None
    request.status = status
    # Every reason at once: a move the rules refuse, and what the status would still lack.
    try:
        request.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return save_versioned(request, expected_version=expected_version)


@transaction.atomic
def service_request_update(*, request: ServiceRequest, expected_version: int, changes: dict) -> ServiceRequest:
    """Apply `changes` (field name → value) to a problem, as the API's update does: with a change of status it is
    a move (service_request_move, with what the move records); without one, a plain edit, in which what a move
    records (resolution, dates, the enterprise's word) may not change.

    Raises ValidationError or StaleVersionError as service_request_move does; writes nothing then.
    """
    changes = dict(changes)
    moved = {name: changes.pop(name) for name in PROBLEM_MOVE_FIELDS if name in changes}
    status = moved.pop("status", request.status)
    if status == request.status and any(value != getattr(request, name) for name, value in moved.items()):
        raise ValidationError(
            {"status": [_("A problem's resolution changes with its status: send the new status too.")]}
        )
    for name, value in changes.items():
        setattr(request, name, value)
    if status != request.status:
        return service_request_move(request=request, expected_version=expected_version, status=status, **moved)
    request.full_clean()
    return save_versioned(request, expected_version=expected_version)
