"""The pipeline's stage rules (contract: forward moves; back only as a correction with a note; no date before the
current stage's)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from parkadmin.locking import StaleVersionError
from projects.models import Project, StageChange
from projects.services import project_create, project_move_stage

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def project():
    return project_create(project=Project(name="饲料项目", investor="傲农"), on=D(2019, 1, 10))


def move(project, stage, on, **kwargs):
    project.refresh_from_db()
    return project_move_stage(project=project, stage=stage, on=on, **kwargs)


def errors(excinfo):
    return excinfo.value.message_dict


def test_a_new_project_opens_its_log_at_negotiating(project):
    assert project.stage == "negotiating"
    assert list(project.stage_changes.values_list("stage", "on")) == [("negotiating", D(2019, 1, 10))]


def test_forward_moves_are_logged_and_set_the_stage(project):
    move(project, "signed", D(2019, 3, 1))
    move(project, "construction", D(2019, 3, 1))  # the same day is allowed
    move(project, "full_production", D(2019, 9, 1))  # skipping a stage forward is allowed
    project.refresh_from_db()
    assert project.stage == "full_production"
    assert project.version == 4
    assert [c.stage for c in project.stage_changes.all()] == [
        "negotiating",
        "signed",
        "construction",
        "full_production",
    ]


def test_a_move_back_is_refused_unless_it_is_a_correction_with_a_note(project):
    move(project, "signed", D(2019, 3, 1))
    move(project, "construction", D(2019, 4, 1))
    with pytest.raises(ValidationError) as refused:
        move(project, "signed", D(2019, 4, 2))
    assert "stage" in errors(refused)
    with pytest.raises(ValidationError) as refused:
        move(project, "signed", D(2019, 4, 2), correction=True)
    assert "note" in errors(refused)
    project.refresh_from_db()
    assert project.stage == "construction"
    move(project, "signed", D(2019, 3, 1), correction=True, note="误录开工，实际尚未开工")
    project.refresh_from_db()
    assert project.stage == "signed"
    counted = StageChange.objects.filter(project=project, superseded=False)
    assert sorted(counted.values_list("stage", flat=True)) == ["negotiating", "signed"]
    assert StageChange.objects.filter(project=project, stage="construction", superseded=True).exists()


def test_a_date_before_the_current_stages_date_is_refused(project):
    move(project, "signed", D(2019, 3, 1))
    with pytest.raises(ValidationError) as refused:
        move(project, "construction", D(2019, 2, 28))
    assert "on" in errors(refused)
    assert Project.objects.get(pk=project.pk).stage == "signed"


def test_a_date_in_the_future_is_refused(project):
    with pytest.raises(ValidationError) as refused:
        move(project, "signed", datetime.date.today() + datetime.timedelta(days=2))
    assert "on" in errors(refused)


def test_dropping_needs_a_reason_and_reviving_needs_a_correction(project):
    with pytest.raises(ValidationError) as refused:
        move(project, "dropped", D(2019, 5, 1))
    assert "note" in errors(refused)
    move(project, "dropped", D(2019, 5, 1), note="投资方资金链断裂")
    with pytest.raises(ValidationError):
        move(project, "signed", D(2019, 6, 1))
    move(project, "signed", D(2019, 6, 1), correction=True, note="重新签约")
    assert Project.objects.get(pk=project.pk).stage == "signed"


def test_moving_to_the_same_stage_or_an_unknown_one_is_refused(project):
    with pytest.raises(ValidationError):
        move(project, "negotiating", D(2019, 2, 1))
    with pytest.raises(ValidationError):
        move(project, "launched", D(2019, 2, 1))


def test_a_move_from_a_stale_version_is_refused_and_writes_nothing(project):
    move(project, "signed", D(2019, 3, 1))
    with pytest.raises(StaleVersionError):
        move(project, "construction", D(2019, 4, 1), expected_version=1)
    assert Project.objects.get(pk=project.pk).stage == "signed"
    assert not StageChange.objects.filter(stage="construction").exists()


def test_a_stage_move_shows_in_the_projects_history(project):
    from parkadmin.history import object_history

    move(project, "signed", D(2019, 3, 1))
    latest = object_history(Project.objects.get(pk=project.pk))[0]
    from projects.choices import Stage

    assert [(c.field, str(c.old), str(c.new)) for c in latest.changes] == [
        ("stage", str(Stage.NEGOTIATING.label), str(Stage.SIGNED.label))
    ]


def test_a_stale_move_is_a_conflict_even_when_the_rules_would_refuse_it(project):
    move(project, "signed", D(2019, 3, 1))
    with pytest.raises(StaleVersionError):
        move(project, "signed", D(2019, 3, 2), expected_version=1)
