"""Playwright driving Debian's Chromium (``/usr/bin/chromium``), headless."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class OneRequestAtATimeOnSharedConnections(ThreadedWSGIServer):
    """The live server, answering one request at a time when its threads share the test's
    database connection — as they do on in-memory SQLite, where the test database lives in
    that one connection. Chromium asks for a page, its favicon and the next page at once;
    two requests interleaving statements on one SQLite connection fail with "database table
    is locked", which a real deployment (a file and a connection per thread) never sees. On
    PostgreSQL each thread has its own connection and the server stays fully threaded."""

    def set_app(self, application: WSGIApplication | None) -> None:
        if application is None or not self.connections_override:
            super().set_app(application)
            return
        lock = threading.Lock()

        def one_at_a_time(environ: dict[str, Any], start_response: Any) -> list[bytes]:
            with lock:
                response = application(environ, start_response)
                try:
                    return list(response)
                finally:
                    close = getattr(response, "close", None)
                    if close is not None:
                        close()  # request_finished, inside the lock too

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATimeOnSharedConnections


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = "Chromium is not installed: apt-get install chromium (the CI script does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in_to_demo(page, base_url: str, email: str = "lead@nordvik.example") -> None:  # type: ignore[no-untyped-def]
    """Sign in as one of the demo's people and land on the demo workspace's overview."""
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill("nordvik-demo")
    page.locator("button.primary").click()
    page.wait_for_url(f"{base_url}/w/nordvik/")
