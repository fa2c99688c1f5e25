"""The benchmark's measurements, taken inside one benchmark database by a child process of `manage.py bench`:
the pages of `bench.scenarios` through Django's test client signed in as a superuser, an export, an import."""

from __future__ import annotations

import collections
import csv
import io
import os
import resource
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass, field

from django.core.management.base import CommandError
from django.db import DatabaseError

from bench.scenarios import BARE_SQL, EXPORTS, IMPORT_ROWS, PAGES, Scenario
from parkadmin.sample import END_YEAR

# --- what a measurement is ----------------------------------------------------------------------------------------


def empty_caches() -> None:
    """Make the dashboard's and the pipeline figures' cached values stale: the next request works them out."""
    from dashboard.cache import invalidate
    from projects.analytics import CACHE

    invalidate()
    CACHE.invalidate()


@dataclass
class Baseline:
    name: str
    median_ms: float
    queries: int


@dataclass
class Measurement:
    name: str
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    sql_ms: float | None = None
    rows_per_s: float | None = None
    peak_mem_mb: float | None = None
    baseline: Baseline | None = None
    # Shown in the table, not written to the JSON.
    note: str = field(default="", repr=False)

    def as_json(self) -> dict:
        data = asdict(self)
        data.pop("note")
        return data


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def rounded(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


class QueryTimer:
    """An execute wrapper: counts the queries run and the time spent inside the driver's execute."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0
        self.statements: list[tuple[str, object, bool]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1
            self.statements.append((sql, params, many))


# --- the worker: runs inside the benchmark's database ---------------------------------------------------------------


class Worker:
    def __init__(self, repeat: int, stdout):
        from django.contrib.auth import get_user_model
        from django.test import Client

        self.repeat = repeat
        self.warmup = 2 if repeat >= 10 else 1
        self.stdout = stdout
        user, created = get_user_model().objects.get_or_create(
            username="bench-admin", defaults={"is_superuser": True, "is_staff": True, "first_name": "基准测试"}
        )
        if not created and not (user.is_superuser and user.is_staff):
            user.is_superuser = user.is_staff = True
            user.save()
        self.user = user
        self.client = Client()
        self.client.force_login(user)

    # one URL, timed ----------------------------------------------------------------------------------------------

    def fetch(self, url: str, attempts: int = 5) -> tuple[float, QueryTimer, int]:
        """One timed GET. A server error is retried after a pause (another process restarting the database
        server must not end a long run); an error that stays is fatal."""
        from django.db import close_old_connections

        for attempt in range(attempts):
            try:
                return self._fetch(url)
            except (CommandError, DatabaseError) as error:
                if attempt == attempts - 1 or (isinstance(error, CommandError) and "answered 5" not in str(error)):
                    raise
                self.stdout.write(f"  {url}: {error}; retrying")
                time.sleep(3)
                close_old_connections()
        raise AssertionError("unreachable")

    def _fetch(self, url: str) -> tuple[float, QueryTimer, int]:
        from django.db import connection

        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            response = self.client.get(url)
            size = 0
            if response.streaming:
                for chunk in response.streaming_content:
                    size += len(chunk)
            else:
                size = len(response.content)
            elapsed = time.perf_counter() - started
            response.close()
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}.")
        return elapsed * 1000, timer, size

    def timed(self, url: str, before=None) -> tuple[list[float], list[float], int, QueryTimer]:
        for _ in range(self.warmup):
            if before:
                before()
            self.fetch(url)
        times, sql, counts, last = [], [], [], None
        for _ in range(self.repeat):
            if before:
                before()
            ms, last, _size = self.fetch(url)
            times.append(ms)
            sql.append(last.seconds * 1000)
            counts.append(last.count)
        # The usual count: now and then the session's last-seen time is written too (at most once a minute).
        return times, sql, collections.Counter(counts).most_common(1)[0][0], last

    def bare_sql_ms(self, timer: QueryTimer) -> tuple[float, int]:
        """The page's own SELECTs run again straight through a cursor: what the SQL alone costs."""
        from django.db import connection

        selects = [
            (sql, params)
            for sql, params, many in timer.statements
            if sql.lstrip().upper().startswith(("SELECT", "WITH"))
        ]
        totals = []
        for _ in range(max(3, self.repeat)):
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for sql, params in selects:
                    cursor.execute(sql, params)
                    cursor.fetchall()
            totals.append((time.perf_counter() - started) * 1000)
        return statistics.median(totals), len(selects)

    def page(self, scenario: Scenario, values: dict) -> Measurement:
        """One scenario: the page timed, its own SELECTs run bare, then its baseline timed the same way."""
        times, sql, count, last = self.timed(scenario.url.format(**values), empty_caches if scenario.uncached else None)
        measurement = Measurement(
            name=scenario.name,
            median_ms=rounded(statistics.median(times)),
            p95_ms=rounded(percentile(times, 0.95)),
            queries=count,
            sql_ms=rounded(statistics.median(sql)),
        )
        bare_ms, bare_count = self.bare_sql_ms(last)
        measurement.note = f"bare SQL {bare_ms:.1f} ms"
        if scenario.baseline == BARE_SQL:
            measurement.baseline = Baseline(BARE_SQL, rounded(bare_ms), bare_count)
        else:
            admin_url = scenario.admin_url.format(**values)
            if scenario.admin_sort:
                admin_url += f"?o={self.admin_order(admin_url, scenario.admin_sort)}"
            base_times, _base_sql, base_count, _last = self.timed(admin_url)
            measurement.baseline = Baseline(scenario.baseline, rounded(statistics.median(base_times)), base_count)
        self.stdout.write(f"  {scenario.name}: {measurement.median_ms} ms, {count} queries")
        return measurement

    def admin_order(self, changelist_url: str, sort: str) -> str:
        """The admin changelist's `o` value ordering by a field ("-" first: descending), an index into its
        columns."""
        from django.test import RequestFactory
        from django.urls import resolve

        request = RequestFactory().get("/")
        request.user = self.user
        model_admin = resolve(changelist_url).func.model_admin
        columns = list(model_admin.get_list_display(request))
        if model_admin.get_actions(request):
            columns = ["action_checkbox", *columns]
        index = columns.index(sort.removeprefix("-"))
        return f"-{index}" if sort.startswith("-") else str(index)

    def pages(self) -> list[Measurement]:
        from enterprises.models import Enterprise
        from parks.models import IndustryCluster

        ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
        values = {
            "year": END_YEAR,
            "eit": IndustryCluster.objects.get(code="EIT").pk,
            "enterprise": ids[len(ids) // 2],
        }
        return [self.page(scenario, values) for scenario in PAGES]

    # exports -----------------------------------------------------------------------------------------------------

    def export(self, what: str) -> Measurement:
        from django.apps import apps

        kind, fmt = what.split(":")
        export = next(export for export in EXPORTS if export.kind == kind)
        path, model = export.url, apps.get_model(export.model)
        rows = model.objects.count()
        runs = max(1, min(self.repeat, 3))
        times, counts, sql = [], [], []
        for _ in range(runs):
            ms, timer, size = self.fetch(f"{path}?export={fmt}")
            if size < 100:
                raise CommandError(f"The {what} export is empty.")
            times.append(ms)
            counts.append(timer.count)
            sql.append(timer.seconds * 1000)
        median = statistics.median(times)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
        measurement = Measurement(
            name=f"{kind}_export_{fmt}",
            median_ms=rounded(median),
            p95_ms=rounded(max(times)),
            queries=max(counts),
            sql_ms=rounded(statistics.median(sql)),
            rows_per_s=round(rows / (median / 1000)),
            peak_mem_mb=rounded(peak, 1),
        )
        measurement.note = f"{rows:,} rows, {runs} runs"
        return measurement

    # import ------------------------------------------------------------------------------------------------------

    def import_rows(self, scale: float) -> Measurement:
        from django.core.management import call_command
        from django.db import transaction

        from enterprises.models import Enterprise, EnterpriseYear

        wanted = IMPORT_ROWS if scale >= 1 else max(50, round(IMPORT_ROWS * scale))
        codes = list(Enterprise.objects.exclude(credit_code=None).order_by("pk").values_list("credit_code", flat=True))
        rows = []
        year = END_YEAR
        while len(rows) < wanted and codes:
            year += 1
            for number, code in enumerate(codes):
                if len(rows) >= wanted:
                    break
                revenue = 1000 + (number * 37 + year) % 9000
                rows.append([code, year, revenue, round(revenue * 0.9, 2), round(revenue * 0.05, 2), 30, 50, 0, 2])
        headers = ["enterprise", "year", *EnterpriseYear.FIGURES]  # the rows above give the figures in this order
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            writer.writerows(rows)
            path = handle.name
        runs = max(1, min(self.repeat, 3))
        times, counts, sql = [], [], []
        try:
            for _ in range(runs):
                from django.db import connection

                timer = QueryTimer()
                before = EnterpriseYear.objects.count()
                with transaction.atomic(), connection.execute_wrapper(timer):
                    started = time.perf_counter()
                    call_command("import_data", "enterprise-years", path, stdout=io.StringIO(), stderr=io.StringIO())
                    elapsed = time.perf_counter() - started
                    added = EnterpriseYear.objects.count() - before
                    transaction.set_rollback(True)
                if added != len(rows):
                    raise CommandError(f"The import added {added} rows, not {len(rows)}.")
                times.append(elapsed * 1000)
                counts.append(timer.count)
                sql.append(timer.seconds * 1000)
        finally:
            os.unlink(path)
        median = statistics.median(times)
        measurement = Measurement(
            name="enterprise_years_import",
            median_ms=rounded(median),
            p95_ms=rounded(max(times)),
            queries=max(counts),
            sql_ms=rounded(statistics.median(sql)),
            rows_per_s=round(len(rows) / (median / 1000)),
            peak_mem_mb=rounded(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        )
        measurement.note = f"{len(rows):,} rows, {runs} runs, rolled back"
        return measurement


def row_counts() -> dict[str, int]:
    from enterprises.models import Enterprise, EnterpriseYear, Incubation, Qualification, ServiceRequest
    from indicators.models import Indicator, IndicatorValue
    from parks.models import Park
    from projects.models import FundArrival, Project, StageChange

    models = {
        "enterprises": Enterprise,
        "enterprise_years": EnterpriseYear,
        "qualifications": Qualification,
        "projects": Project,
        "stage_changes": StageChange,
        "fund_arrivals": FundArrival,
        "service_requests": ServiceRequest,
        "incubations": Incubation,
        "parks": Park,
        "indicators": Indicator,
        "indicator_values": IndicatorValue,
    }
    return {name: model.objects.count() for name, model in models.items()}


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
        host = connection.settings_dict.get("HOST") or "local socket"
        return f"PostgreSQL {version} ({host})"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor
