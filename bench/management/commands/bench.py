"""`manage.py bench --scale 1,10`: how fast the pages, exports and imports are on synthetic zones of each size.

For each scale the benchmark works in a database of its own (PostgreSQL: `parkadmin_bench_s<scale>` on the server
of `--database-url`; SQLite: `parkadmin_bench_s<scale>.sqlite3` beside the given file, by default under bench/),
never in the configured one. It creates and migrates that database, fills it with `generate_sample_data` (unless
the same scale and seed are already there), then measures in child processes running the production settings
(DEBUG off) against it:

- pages and API lists through Django's test client, signed in as a superuser: warm-up requests, then `--repeat`
  timed ones; the median and 95th percentile of the server time, the number of queries and the time spent in them
  (`sql_ms`); beside each list, the Django admin changelist of the same model, page size, filter and order;
- CSV and XLSX exports of all enterprises and all enterprise-years: rows per second and the peak memory of the
  process (one process per export);
- `import_data enterprise-years` of 10,000 new rows (rolled back afterwards): validated rows per second.

It prints a table and writes the results as JSON (`--output`, default bench/results.json).
"""

from __future__ import annotations

import collections
import csv
import io
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from parkadmin.databases import ensure_database, manage, refresh_statistics
from parkadmin.sample import END_YEAR

DEFAULT_SEED = 42
EXPORTS = ("enterprises:csv", "enterprises:xlsx", "enterprise_years:csv", "enterprise_years:xlsx")
IMPORT_ROWS = 10_000


# --- where ------------------------------------------------------------------------------------------------------


def postgres_reachable(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        import psycopg2

        psycopg2.connect(host=host, port=port, user="postgres", dbname="postgres", connect_timeout=2).close()
    except Exception:
        return False
    return True


def default_database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if postgres_reachable():
        return "postgres://postgres@127.0.0.1:5432/postgres"
    return f"sqlite:///{Path(settings.BASE_DIR) / 'bench' / 'parkadmin_bench.sqlite3'}"


def scale_tag(scale: float) -> str:
    return f"s{scale:g}".replace(".", "_")


def bench_database_url(base_url: str, scale: float) -> str:
    """The benchmark's own database for `scale`, on the server (or in the folder) of `base_url`."""
    parts = urlsplit(base_url)
    name = f"parkadmin_bench_{scale_tag(scale)}"
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path[1:] if parts.path.startswith("//") else parts.path)
        folder = path.parent if parts.path not in ("", "/", "/:memory:") else Path(settings.BASE_DIR) / "bench"
        return f"sqlite:///{folder.resolve() / (name + '.sqlite3')}"
    if parts.scheme.startswith(("postgres", "pgsql")):
        return parts._replace(path="/" + name).geturl()
    raise CommandError(f"The benchmark runs on PostgreSQL or SQLite, not {parts.scheme}.")


def parse_scales(text: str) -> list[float]:
    try:
        scales = [float(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise CommandError(f"--scale takes numbers separated by commas, not {text!r}.") from error
    if not scales or any(scale <= 0 for scale in scales):
        raise CommandError("Every scale must be more than 0.")
    return scales


# --- what a measurement is ----------------------------------------------------------------------------------------


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

    def page(self, name: str, url: str, baseline: tuple[str, str] | None = None, *, bare: bool = False, before=None):
        times, sql, count, last = self.timed(url, before)
        measurement = Measurement(
            name=name,
            median_ms=rounded(statistics.median(times)),
            p95_ms=rounded(percentile(times, 0.95)),
            queries=count,
            sql_ms=rounded(statistics.median(sql)),
        )
        bare_ms, bare_count = self.bare_sql_ms(last)
        measurement.note = f"bare SQL {bare_ms:.1f} ms"
        if baseline is not None:
            base_name, base_url = baseline
            base_times, _base_sql, base_count, _last = self.timed(base_url)
            measurement.baseline = Baseline(base_name, rounded(statistics.median(base_times)), base_count)
        elif bare:
            measurement.baseline = Baseline("bare_sql", rounded(bare_ms), bare_count)
        self.stdout.write(f"  {name}: {measurement.median_ms} ms, {count} queries")
        return measurement

    # the pages ---------------------------------------------------------------------------------------------------

    def admin_order(self, model, field_name: str, descending: bool = False) -> str:
        """The admin changelist's `o` value ordering by `field_name` (an index into its columns)."""
        from django.contrib import admin
        from django.test import RequestFactory

        request = RequestFactory().get("/")
        request.user = self.user
        model_admin = admin.site._registry[model]
        columns = list(model_admin.get_list_display(request))
        if model_admin.get_actions(request):
            columns = ["action_checkbox", *columns]
        index = columns.index(field_name)
        return f"-{index}" if descending else str(index)

    def pages(self) -> list[Measurement]:
        from dashboard.cache import invalidate
        from enterprises.models import Enterprise, EnterpriseYear, Incubation, ServiceRequest
        from indicators.models import IndicatorValue
        from parks.models import IndustryCluster
        from projects.models import Project

        def q(path: str, **params) -> str:
            return f"{path}?{urlencode(params)}" if params else path

        eit = IndustryCluster.objects.get(code="EIT")
        ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
        enterprise = ids[len(ids) // 2]
        year = END_YEAR
        results = [
            self.page("dashboard", q("/", year=year), bare=True),
            self.page("dashboard_park", q("/", year=year, park="core"), bare=True),
            self.page("dashboard_uncached", q("/", year=year), bare=True, before=invalidate),
            self.page("api_dashboard", q("/api/dashboard/", year=year), bare=True),
        ]
        lists = [
            # name, page, admin, model, (page filter, admin filter), (page sort, admin sort field, descending)
            (
                "enterprises",
                "/enterprises/",
                Enterprise,
                (
                    {"status": "operating", "cluster": "EIT"},
                    {"status__exact": "operating", "cluster__id__exact": eit.pk},
                ),
                ("-registered_capital", "registered_capital", True),
            ),
            (
                "projects",
                "/projects/",
                Project,
                ({"stage": "construction"}, {"stage__exact": "construction"}),
                ("-contract_investment", "contract_investment", True),
            ),
            (
                "service_requests",
                "/enterprises/service-requests/",
                ServiceRequest,
                (
                    {"status": "open", "category": "utilities"},
                    {"status__exact": "open", "category__exact": "utilities"},
                ),
                ("-raised_on", "raised_on", True),
            ),
            (
                "enterprise_years",
                "/enterprises/years/",
                EnterpriseYear,
                ({"year": year}, {"year": year}),
                ("-revenue", "revenue", True),
            ),
            (
                "indicator_values",
                "/indicators/values/",
                IndicatorValue,
                ({"year": year, "status": "approved"}, {"year": year, "status__exact": "approved"}),
                ("year", "year", False),
            ),
            (
                "incubations",
                "/enterprises/incubations/",
                Incubation,
                ({"status": "incubating"}, {"status__exact": "incubating"}),
                ("enterprise", "enterprise", False),
            ),
        ]
        for name, path, model, (page_filter, admin_filter), (page_sort, admin_field, descending) in lists:
            admin_path = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
            admin_name = f"admin_{model._meta.model_name}_changelist"
            results.append(self.page(f"{name}_list", path, (admin_name, admin_path)))
            results.append(
                self.page(
                    f"{name}_list_filtered",
                    q(path, **page_filter),
                    (f"{admin_name}_filtered", q(admin_path, **admin_filter)),
                )
            )
            results.append(
                self.page(
                    f"{name}_list_sorted",
                    q(path, sort=page_sort),
                    (f"{admin_name}_sorted", q(admin_path, o=self.admin_order(model, admin_field, descending))),
                )
            )
        results.append(
            self.page(
                "enterprise_detail",
                f"/enterprises/{enterprise}/",
                ("admin_enterprise_change", f"/admin/enterprises/enterprise/{enterprise}/change/"),
            )
        )
        for name, path, model in [
            ("enterprises", "/api/enterprises/", Enterprise),
            ("enterprise_years", "/api/enterprise-years/", EnterpriseYear),
            ("projects", "/api/projects/", Project),
            ("service_requests", "/api/service-requests/", ServiceRequest),
            ("indicator_values", "/api/indicator-values/", IndicatorValue),
            ("incubations", "/api/incubations/", Incubation),
        ]:
            admin_path = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
            results.append(
                self.page(f"api_{name}_list", path, (f"admin_{model._meta.model_name}_changelist", admin_path))
            )
        return results

    # exports -----------------------------------------------------------------------------------------------------

    def export(self, what: str) -> Measurement:
        from enterprises.models import Enterprise, EnterpriseYear

        kind, fmt = what.split(":")
        path, model = {
            "enterprises": ("/enterprises/", Enterprise),
            "enterprise_years": ("/enterprises/years/", EnterpriseYear),
        }[kind]
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


# --- the table --------------------------------------------------------------------------------------------------


def table(runs: list[dict], notes: dict[tuple[float, str], str]) -> str:
    header = [
        "name",
        "median ms",
        "p95 ms",
        "queries",
        "SQL ms",
        "rows/s",
        "peak MB",
        "baseline",
        "base ms",
        "base q",
        "note",
    ]
    lines = []
    for run in runs:
        lines.append("")
        lines.append(f"scale {run['scale']:g}: " + ", ".join(f"{k} {v:,}" for k, v in run["rows"].items()))
        body = [header]
        for m in run["measurements"]:
            base = m.get("baseline") or {}
            body.append(
                [
                    m["name"],
                    _cell(m["median_ms"]),
                    _cell(m["p95_ms"]),
                    _cell(m["queries"]),
                    _cell(m["sql_ms"]),
                    _cell(m["rows_per_s"]),
                    _cell(m["peak_mem_mb"]),
                    base.get("name", ""),
                    _cell(base.get("median_ms")),
                    _cell(base.get("queries")),
                    notes.get((run["scale"], m["name"]), ""),
                ]
            )
        widths = [max(len(str(row[i])) for row in body) for i in range(len(header))]
        for number, row in enumerate(body):
            lines.append(
                "  ".join(
                    str(cell).ljust(width) if i in (0, 7, 10) else str(cell).rjust(width)
                    for i, (cell, width) in enumerate(zip(row, widths, strict=True))
                ).rstrip()
            )
            if number == 0:
                lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}" if value < 100_000 else f"{value:,.0f}"
    return f"{value:,}"


# --- the command ------------------------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Benchmark the dashboard, the lists, the API, exports and imports on synthetic zones (1 = a realistic zone), "
        "each in a database of its own; prints a table and writes bench/results.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", default="1,10", help="Comma-separated scales (default 1,10).")
        parser.add_argument("--repeat", type=int, default=20, help="Timed requests per page (default 20).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Seed of the sample data (default 42).")
        parser.add_argument(
            "--database-url",
            help="Server (PostgreSQL) or folder (SQLite) of the benchmark's databases; default: DATABASE_URL, else "
            "PostgreSQL at 127.0.0.1:5432 if it answers, else SQLite under bench/.",
        )
        parser.add_argument("--output", default="bench/results.json", help="Where to write the JSON results.")
        parser.add_argument("--skip-exports", action="store_true", help="Measure pages only.")
        # Internal: a child process measuring inside one benchmark database.
        parser.add_argument("--worker", choices=["pages", "export", "import"], help="(internal)")
        parser.add_argument("--what", default="", help="(internal) the export to measure")
        parser.add_argument("--result", help="(internal) where a worker writes its measurements")

    def handle(self, *args, **options):
        if options["repeat"] < 1:
            raise CommandError("--repeat must be at least 1.")
        if options["worker"]:
            return self.work(options)
        scales = parse_scales(options["scale"])
        base_url = options["database_url"] or default_database_url()
        output = Path(options["output"])
        if not output.is_absolute():
            output = Path(settings.BASE_DIR) / output
        runs, notes, database = [], {}, ""
        for scale in scales:
            url = bench_database_url(base_url, scale)
            self.stdout.write(self.style.MIGRATE_HEADING(f"Scale {scale:g}: {redact(url)}"))
            started = time.perf_counter()
            if ensure_database(url):
                self.stdout.write("  created the database")
            if manage(["migrate", "--no-input", "--verbosity", "0"], url).returncode:
                raise CommandError(f"Could not migrate {redact(url)}.")
            generate = ["generate_sample_data", "--scale", f"{scale:g}", "--seed", str(options["seed"]), "--replace"]
            if manage(generate, url).returncode:
                raise CommandError(f"Could not generate the sample data in {redact(url)}.")
            load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
            self.stdout.write(f"  data ready in {time.perf_counter() - started:.0f} s; measuring (load average {load})")
            common = ["--scale", f"{scale:g}", "--repeat", str(options["repeat"])]
            pages = self.child(["--worker", "pages", *common], url)
            database = pages["database"]
            measurements = pages["measurements"]
            if not options["skip_exports"]:
                for what in EXPORTS:
                    measurements += self.child(["--worker", "export", "--what", what, *common], url)["measurements"]
                measurements += self.child(["--worker", "import", *common], url)["measurements"]
            for m in measurements:
                notes[(scale, m["name"])] = m.pop("note", "")
            shown = int(scale) if scale.is_integer() else scale
            runs.append({"scale": shown, "rows": pages["rows"], "measurements": measurements})
        result = {"database": database, "runs": runs}
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(table(runs, notes))
        self.stdout.write("")
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        self.stdout.write(
            f"{database}; {os.cpu_count()} CPUs, {memory_gb():.0f} GB, Python {platform.python_version()}; "
            f"load average at the end {load}. Written to {output}"
        )

    def child(self, args: list[str], url: str) -> dict:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            result_path = handle.name
        try:
            done = manage(["bench", *args, "--result", result_path], url)
            if done.returncode:
                raise CommandError(f"The benchmark step {' '.join(args)} failed.")
            return json.loads(Path(result_path).read_text(encoding="utf-8"))
        finally:
            os.unlink(result_path)

    def work(self, options) -> None:
        scale = float(options["scale"])
        worker = Worker(options["repeat"], self.stdout)
        result: dict = {}
        if options["worker"] == "pages":
            # A steady state, as autovacuum leaves it: earlier runs' rolled-back imports leave dead rows behind.
            refresh_statistics()
            result["rows"] = row_counts()
            result["database"] = database_label()
            measurements = worker.pages()
        elif options["worker"] == "export":
            measurements = [worker.export(options["what"])]
        else:
            measurements = [worker.import_rows(scale)]
        result["measurements"] = [{**m.as_json(), "note": m.note} for m in measurements]
        Path(options["result"]).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def memory_gb() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError, AttributeError):
        return 0.0


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Run it as `manage.py bench`.")
