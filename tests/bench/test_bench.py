"""`manage.py bench` at a tiny scale on SQLite in a temporary folder: the results have the contract's shape.

(The benchmark itself, at scales 1 and 10, is run by hand: `make bench`; see docs/performance.md.)
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from bench.management.commands.bench import bench_database_url, parse_scales
from bench.measure import percentile

MEASUREMENT_KEYS = {"name", "median_ms", "p95_ms", "queries", "sql_ms", "rows_per_s", "peak_mem_mb", "baseline"}
REQUIRED = {
    "dashboard",
    "enterprises_list",
    "projects_list",
    "service_requests_list",
    "enterprise_years_list",
    "indicator_values_list",
    "incubations_list",
    "enterprises_export_csv",
    "enterprises_export_xlsx",
    "enterprise_years_import",
}


@pytest.mark.slow
@pytest.mark.one_database
def test_the_bench_writes_results_in_the_contracts_shape(tmp_path):
    output = tmp_path / "results.json"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "parkadmin.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    command = [
        sys.executable,
        str(Path(settings.BASE_DIR) / "manage.py"),
        "bench",
        "--scale",
        "0.01",
        "--repeat",
        "2",
        "--database-url",
        f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        "--output",
        str(output),
    ]
    done = subprocess.run(command, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "dashboard" in done.stdout

    results = json.loads(output.read_text(encoding="utf-8"))
    assert set(results) == {"database", "runs"}
    assert results["database"].startswith("SQLite")
    [run] = results["runs"]
    assert set(run) == {"scale", "rows", "measurements"}
    assert run["scale"] == 0.01
    assert run["rows"]["enterprises"] == 50
    names = [m["name"] for m in run["measurements"]]
    assert len(names) == len(set(names))
    assert REQUIRED <= set(names)
    for measurement in run["measurements"]:
        assert set(measurement) == MEASUREMENT_KEYS
        assert measurement["median_ms"] > 0
        assert measurement["queries"] >= 1
        baseline = measurement["baseline"]
        assert baseline is None or set(baseline) == {"name", "median_ms", "queries"}
    by_name = {m["name"]: m for m in run["measurements"]}
    assert by_name["enterprises_list"]["baseline"]["name"] == "admin_enterprise_changelist"
    assert by_name["dashboard"]["baseline"]["name"] == "bare_sql"
    assert by_name["enterprises_export_csv"]["rows_per_s"] > 0
    assert by_name["enterprises_export_csv"]["peak_mem_mb"] > 0
    assert by_name["enterprise_years_import"]["rows_per_s"] > 0
    # Its own database, beside the given file; the configured one is never touched.
    assert (tmp_path / "parkadmin_bench_s0_01.sqlite3").exists()


def test_each_scale_gets_a_database_of_its_own():
    assert bench_database_url("postgres://postgres@127.0.0.1:5432/parkadmin", 1) == (
        "postgres://postgres@127.0.0.1:5432/parkadmin_bench_s1"
    )
    assert bench_database_url("postgres://u:p@db:5433/x?sslmode=require", 10) == (
        "postgres://u:p@db:5433/parkadmin_bench_s10?sslmode=require"
    )
    assert (
        bench_database_url("sqlite:////tmp/data/db.sqlite3", 0.5) == "sqlite:////tmp/data/parkadmin_bench_s0_5.sqlite3"
    )
    assert parse_scales("1,10") == [1.0, 10.0]


def test_percentiles_are_nearest_rank():
    values = list(range(1, 21))
    assert percentile(values, 0.95) == 19
    assert percentile(values, 0.5) == 10
    assert percentile([5.0], 0.95) == 5.0
