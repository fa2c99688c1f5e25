"""Writes with rules for investment projects: creating one, and moving it along the pipeline."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parkadmin.locking import save_versioned
from projects.choices import STAGE_ORDER, Stage
from projects.models import Project, StageChange


@transaction.atomic
def project_create(
    *, project: Project, on: datetime.date | None = None, user=None, stage: str = Stage.NEGOTIATING, note: str = ""
) -> Project:
    """Save a new project and open its stage log (first talks, or a later stage for a project recorded late)."""
    project.stage = stage
    project.full_clean()
    project.save()
    StageChange.objects.create(project=project, stage=stage, on=on or timezone.localdate(), note=note, recorded_by=user)
    return project


def current_change(project: Project) -> StageChange | None:
    return project.stage_changes.filter(superseded=False).order_by("-on", "-pk").first()


@transaction.atomic
def project_move_stage(
    *,
    project: Project,
    stage: str,
    on: datetime.date,
    note: str = "",
    correction: bool = False,
    user=None,
    expected_version: int | None = None,
) -> StageChange:
    """Move a project to `stage` on `on`, by the pipeline's rules:

    - moves go forward (negotiating → signed → construction → production → full production);
    - `dropped` may come at any point, with the reason in `note`;
    - a move back (or out of `dropped`) only as a correction with a note; the later moves it undoes stop counting,
      and the stage returned to is recorded again with `on` as its true date (so a correction can also fix a date);
    - the date may not precede the current stage's date, nor lie in the future.
    Raises ValidationError (field errors) or StaleVersionError; writes nothing then.
    """
    project = Project.objects.select_for_update().get(pk=project.pk)
    if expected_version is None:
        expected_version = project.version
    elif expected_version != project.version:
        # Someone moved it first: say so before judging the move against a state the user never saw.
        from parkadmin.locking import stale_error

        raise stale_error(project, expected_version)
    note = note.strip()
    errors: dict[str, str] = {}
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    if stage == project.stage:
        errors["stage"] = _("The project is already at this stage.")
    going_back = stage != Stage.DROPPED and (
        project.stage == Stage.DROPPED or STAGE_ORDER.index(stage) < STAGE_ORDER.index(project.stage)
    )
    if going_back and not correction:
        errors["stage"] = _("A project moves forward only. To undo a move, record it as a correction with a note.")
    if correction and not note:
        errors["note"] = _("Say why the stage is being corrected.")
    if stage == Stage.DROPPED and not note:
        errors["note"] = _("Give the reason the project was dropped.")
    latest = current_change(project)
    if on > timezone.localdate():
        errors["on"] = _("The date cannot be in the future.")
    elif latest is not None and on < latest.on and not going_back:
        errors["on"] = _("The date cannot be before the current stage's date (%(date)s).") % {
            "date": latest.on.isoformat()
        }
    if errors:
        raise ValidationError(errors)
    if going_back:
        # Undo the moves past the stage being returned to.
        keep = set(STAGE_ORDER[: STAGE_ORDER.index(stage)])
        project.stage_changes.filter(superseded=False).exclude(stage__in=keep).update(superseded=True)
    change = StageChange.objects.create(
        project=project, stage=stage, on=on, note=note, is_correction=correction, recorded_by=user
    )
    project.stage = stage
    save_versioned(project, expected_version=expected_version)
    return change
