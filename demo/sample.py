"""The benchmark's synthetic zone (`generate_sample_data`): each app's `sample.py` in order, sharing one run.

Seeded and reproducible (the same scale and seed give the same names, credit codes and figures), written with
bulk inserts, and marked as sample data throughout: names start with 示例, `is_sample` is set wherever a model has
it, and every `source` reads 示例数据（generate_sample_data）. Bulk inserts write no history rows.

Scale 1 is a realistic zone: 5,000 enterprises × 10 years of figures, 2,000 projects with their stage logs and
10,000 fund arrivals, 20,000 problems, 300 incubations, and 100 indicators × 20 years × 10 places (the whole zone
and nine parks) of approved values. Scale S multiplies every count; indicator values grow through the number of
parks (10·S places from scale 1 up), while the 100 indicators stay: a larger zone has more parks, not another
statistical system.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from demo import facts
from enterprises import sample as enterprises_sample
from indicators import sample as indicators_sample
from parkadmin.sample import PREFIX, SampleRun
from parks import sample as parks_sample
from projects import sample as projects_sample

# The apps in the order they draw from the run's random generator: changing it changes the data.
APPS = (parks_sample, enterprises_sample, projects_sample, indicators_sample)
USER_PREFIX = "sample-staff-"
MARKER = "generate_sample_data"
DATA_VERSION = 2  # raised whenever the generator makes different data from the same scale and seed

# Counts at scale 1 (the contract's "realistic zone").
BASE = {
    "enterprises": 5000,
    "projects": 2000,
    "fund_arrivals": 10000,
    "service_requests": 20000,
    "incubations": 300,
    "indicators": 100,
}
PLACES = 10  # the whole zone and nine parks carry indicator values at scale 1
STAFF = 10


def counts(scale: float) -> dict[str, int]:
    """How many of each record a scale makes."""
    result = {name: max(1, round(base * scale)) for name, base in BASE.items()}
    result["indicators"] = min(BASE["indicators"], result["indicators"])
    result["incubations"] = min(result["incubations"], result["enterprises"])
    result["parks"] = max(PLACES, round(PLACES * scale))
    result["incubators"] = max(1, round(5 * scale))
    return result


def marker(scale: float, seed: int) -> str:
    return f"{MARKER} --scale {scale:g} --seed {seed} v{DATA_VERSION}"


def generate(scale: float, seed: int, out=None) -> dict[str, int]:
    """Make the sample zone (in the caller's transaction); returns how many of each record were made."""
    run = SampleRun(scale=scale, seed=seed, n=counts(scale), facts=facts(), marker=marker(scale, seed), out=out)
    run.staff = staff()
    for app in APPS:
        app.make(run)
    return run.made


def staff() -> list[int]:
    """The sample staff (ids) that records name as liaison, assignee or author; unusable passwords."""
    user_model = get_user_model()
    ids = []
    for number in range(1, STAFF + 1):
        user, _created = user_model.objects.get_or_create(
            username=f"{USER_PREFIX}{number:02d}",
            defaults={"first_name": f"{PREFIX}工作人员{number:02d}", "password": UNUSABLE_PASSWORD_PREFIX},
        )
        ids.append(user.pk)
    return ids


# --- the database's state ---------------------------------------------------------------------------------------


def foreign_records() -> list[str]:
    """What the database holds that is not sample data (empty list: nothing)."""
    return [name for app in APPS for name in app.foreign_records()]


def existing_marker() -> str | None:
    """The marker of the sample data already there (None: none)."""
    definition = indicators_sample.marked_definition()
    if definition is None:
        return None
    found = re.search(rf"{MARKER} --scale \S+ --seed \d+ v\d+", definition)
    return found.group(0) if found else "?"


def has_sample_data() -> bool:
    return (
        indicators_sample.has_sample_data() or enterprises_sample.has_sample_data() or projects_sample.has_sample_data()
    )


def wipe_sample_data() -> None:
    """Delete every record of a database that holds sample data only (raw deletes: no signals, no history);
    the apps in reverse order, so nothing points at a deleted row."""
    for app in reversed(APPS):
        app.wipe()
