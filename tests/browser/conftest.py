"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Chromium is the system one (`chromium` package, or the binary PARKADMIN_CHROMIUM names), launched through
`executable_path`; Playwright's own browser downloads are never used. Without it the browser tests are skipped,
except under CI (the CI environment variable set), where they must run and fail instead.

On failure pytest-playwright saves a screenshot under test-results/ (unless --screenshot/--output say otherwise).
With SCREENSHOT_DIR set, every page a test visits is saved there as a full-page PNG, for a person to look at.
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM (demo loading, assertions on the database)
# refuses to run beside one unless told it is safe, which it is here: the loop only drives the browser.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("PARKADMIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The machines that run these tests may have no internet: Chromium must not try to reach it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "parkadmin-demo"
# Every chart container of the page (static/js/charts.js) holds plotly's drawing.
CHARTS_DRAWN = "() => [...document.querySelectorAll('[data-figure]')].every((c) => c.querySelector('.main-svg'))"


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _option_given(config: pytest.Config, name: str) -> bool:
    args = [*config.invocation_params.args, *os.environ.get("PYTEST_ADDOPTS", "").split()]
    return any(arg == name or arg.startswith(f"{name}=") for arg in args)


def pytest_configure(config: pytest.Config) -> None:
    """A plain `pytest` run keeps a full-page screenshot of each failed browser test in <project>/test-results/."""
    if not _option_given(config, "--screenshot"):
        config.option.screenshot = "only-on-failure"
    if not _option_given(config, "--full-page-screenshot"):
        config.option.full_page_screenshot = True
    if not _option_given(config, "--output"):
        config.option.output = str(config.rootpath / "test-results")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture starts a browser: skip without Chromium, or fail loudly if CI expected to run us."""
    if item.get_closest_marker("browser") is None or os.access(CHROMIUM, os.X_OK):
        return
    if _running_in_ci():
        pytest.fail(f"CI must run the browser tests, but there is no Chromium at {CHROMIUM}.", pytrace=False)
    pytest.skip(f"no Chromium at {CHROMIUM} (install Debian's chromium package to run the browser tests)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch options (--headed, --slowmo ...) plus the system Chromium, headless by default."""
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict, django_db_setup, live_server) -> dict:
    """Pages open on the live server, as a browser in China would: Chinese first, Beijing time."""
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1366, "height": 900},
    }


@pytest.fixture
def demo(transactional_db) -> dict:
    """The demo records and accounts, in the database the live server reads.

    The live server runs in another thread, so each test commits for real and the database is emptied after it
    (the role groups come back with the post-migrate signal the flush sends).
    """
    import demo

    return demo.load(with_accounts=True)


@pytest.fixture
def browser_errors(page) -> list[str]:
    """Console errors and uncaught exceptions of every page the test's tab shows (CSP violations are among them)."""
    errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            errors.append(f"console error on {page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught exception on {page.url}: {error}"))
    return errors


class Site:
    """The live site as one test's browser tab sees it, with the few steps every test repeats."""

    def __init__(self, page, screenshot_dir: str | None, test_name: str) -> None:
        self.page = page
        self._screenshot_dir = Path(screenshot_dir) if screenshot_dir else None
        self._test_name = test_name
        self._count = itertools.count(1)

    def visit(self, path: str):
        """Open `path`; returns the response, so a test can check its status."""
        response = self.page.goto(path)
        self.wait_for_charts()
        self.screenshot()
        return response

    def log_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        """Sign in through the login form, as a person would."""
        self.visit("/accounts/login/")
        self.page.locator("input[name=username]").fill(username)
        self.page.locator("input[name=password]").fill(password)
        self.submit(self.page.locator("main form button[type=submit]"))

    def submit(self, button) -> None:
        """Click a button that posts a form, and wait for the page that answers."""
        with self.page.expect_navigation():
            button.click()
        self.wait_for_charts()
        self.screenshot()

    def wait_for_charts(self) -> None:
        """Wait until the page has loaded and drawn its charts.

        Every request of a page is made before its load event (no script of ours fetches later); only plotly
        draws after it. Waiting for the drawn charts, not for the network to be idle, spares the half second of
        quiet that network-idle waits out on every page."""
        self.page.wait_for_load_state("load")
        self.page.wait_for_function(CHARTS_DRAWN)

    def screenshot(self, view: str = "") -> None:
        """With SCREENSHOT_DIR set, save the whole page as it is now (nothing runs inside the page for this);
        `view` (a language and a width, say) names what differs between shots of one page."""
        if self._screenshot_dir is None:
            return
        slug = re.sub(r"[^A-Za-z0-9]+", "-", urlsplit(self.page.url).path).strip("-") or "home"
        name = f"{self._test_name}-{next(self._count):02d}-{slug}{'-' + view if view else ''}.png"
        self._screenshot_dir.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=self._screenshot_dir / name, full_page=True)


@pytest.fixture
def site(page, demo, browser_errors, request) -> Site:
    test_name = re.sub(r"[^\w-]+", "-", request.node.name).strip("-")
    return Site(page, os.environ.get("SCREENSHOT_DIR"), test_name)
