"""Real headless Chromium (Debian's package) driven by Playwright, against live_server.

Every page a test opens is watched: a console error, an uncaught exception or a 5xx
response fails the test, unless the test declares it expected. The HTML of every page
loaded is kept, and checked by the Nu HTML checker once per test module (one Java run).
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail
from tests.review_support import authenticator_of, totp_code

# Playwright's sync API runs an event loop in this thread; the ORM calls that tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Screenshots for people to look at (CI keeps the folder as an artefact).
ARTEFACTS = Path(os.environ.get("BROWSER_ARTEFACTS", NODE_MODULES.parent / "artefacts"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageProblems:
    """What went wrong in the browser; tests may declare some of it expected."""

    def __init__(self) -> None:
        self.items: list[str] = []
        # Failed responses, to say which URL a console "Failed to load resource" was about.
        self.responses: list[str] = []
        self.allowed: list[re.Pattern[str]] = []

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [p for p in self.items if not any(a.search(p) for a in self.allowed)]


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


class VisitedPages:
    """The HTML of every page (document response) loaded in a module's browser tests, as served."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}  # HTML -> the first URL that served it

    def add(self, url: str, html: str) -> None:
        self.pages.setdefault(html, url)


@pytest.fixture(scope="module")
def visited_pages() -> Iterator[VisitedPages]:
    """Runs the Nu HTML checker over the module's pages at its end; any error fails the run."""
    java = shutil.which("java")
    if not java or not VNU_JAR.exists():
        skip_or_fail(f"the Nu HTML checker needs java and {VNU_JAR} (make install)")
    visited = VisitedPages()
    yield visited
    errors = nu_errors(java, visited.pages)
    assert not errors, "Nu HTML checker:\n" + "\n".join(errors)


def nu_errors(java: str, pages: dict[str, str]) -> list[str]:
    """Checks every page in one run of vnu.jar; returns its errors, each with the page's URL."""
    if not pages:
        return []
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        urls = {}
        for n, (html, url) in enumerate(pages.items()):
            path = Path(folder) / f"page-{n:03}.html"
            path.write_text(html, encoding="utf-8")
            urls[path.name] = url
        result = subprocess.run(
            [
                java,
                "-Xss2m",
                "-jar",
                str(VNU_JAR),
                "--errors-only",
                "--format",
                "json",
                "--stdout",
                folder,
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        try:
            messages = json.loads(result.stdout)["messages"]
        except (json.JSONDecodeError, KeyError):
            return [f"vnu.jar failed (exit {result.returncode}): {result.stderr[-2000:]}"]
    return [
        f"{urls.get(Path(m.get('url', '')).name, m.get('url'))}:{m.get('lastLine', '?')}: "
        f"{m['message']} [{m.get('extract', '').strip()}]"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]


def _keep_html(page, visited: VisitedPages) -> None:
    def on_response(response) -> None:
        if response.request.resource_type != "document" or 300 <= response.status < 400:
            return
        if response.headers.get("content-type", "").startswith("text/html"):
            visited.add(response.url, response.text())

    page.on("response", on_response)


def _watch(page, problems: PageProblems) -> None:
    page.on(
        "console",
        lambda msg: (
            problems.items.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.items.append(f"page error: {exc}"))

    def on_response(response) -> None:
        if response.status >= 500:
            problems.items.append(f"HTTP {response.status}: {response.url}")
        elif response.status >= 400:
            problems.responses.append(f"HTTP {response.status}: {response.url}")

    page.on("response", on_response)


@pytest.fixture
def new_page(browser, live_server, transactional_db, page_problems, visited_pages):
    """A factory of pages in fresh browser contexts (separate cookies), all watched, their
    HTML kept for the Nu HTML checker."""
    contexts = []

    def make(*, javascript: bool = True):
        context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        _watch(page, page_problems)
        _keep_html(page, visited_pages)
        return page

    yield make
    for context in contexts:
        context.close()
    unexpected = page_problems.unexpected()
    assert not unexpected, "\n".join(unexpected + page_problems.responses)


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(scope="session")
def artefacts() -> Path:
    """Where screenshots go, to be looked at (`artefacts/browser/`, or $BROWSER_ARTEFACTS)."""
    folder = ARTEFACTS / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        skip_or_fail(f"axe-core is not installed at {AXE_JS} (npm ci)")
    return AXE_JS.read_text()


@pytest.fixture
def assert_accessible(axe_source):
    """Runs axe-core (WCAG 2.0–2.2 A and AA rules) on the current page; fails on violations."""

    def check(page) -> None:
        # evaluate() is not subject to the page's Content-Security-Policy, so the strict
        # policy stays on while axe is loaded.
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        results = page.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
        )
        violations = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in results["violations"]
        ]
        assert not violations, f"{page.url}\n" + json.dumps(violations, indent=2)

    return check


@pytest.fixture(autouse=True)
def tasks_queued_not_run(settings):
    """The browser drives the pages, not the background work: tasks are queued and not run, as
    in production before a worker takes them (a PDF download then renders on demand). Running
    them inline would make every submit and review action wait for a PDF rendering."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def sign_in_through_form(page, username: str, password: str, *, assert_accessible=None) -> None:
    """Both steps of sign-in as a person does them, from the sign-in page: the password, then the
    code of the account's authenticator app (set up beforehand if it has none), computed from its
    secret with django-otp's TOTP as the phone would. `assert_accessible` checks both pages."""
    from django.contrib.auth import get_user_model
    from playwright.sync_api import expect

    device = authenticator_of(get_user_model().objects.get(username=username))
    expect(page.locator("h1")).to_have_text("Sign in")
    if assert_accessible:
        assert_accessible(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Enter the code from your authenticator app")
    if assert_accessible:
        assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(totp_code(device))
    page.get_by_role("button", name="Continue").click()
