"""The web studio in a real browser: Debian's Chromium, driven by Playwright, against a
real `create_app` server (uvicorn on a free port, in a thread) with its own projects
folder and token.

    .venv/bin/pytest -q tests/web

Screenshots of every page go to $STORYREEL_TEST_ARTIFACTS (default: a folder under
pytest's tmp) and their paths are listed at the end of the run.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    ViewportSize,
    expect,
    sync_playwright,
)

from storyreel.api import Settings, create_app

from .support import Shoot, Studio

CHROMIUM = Path(os.environ.get("STORYREEL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A laptop screen: the studio must be readable at this size.
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}

_SHOTS: list[Path] = []


def _free_socket() -> socket.socket:
    # Bound here and handed to uvicorn, so no other process can take the port between
    # choosing it and listening on it.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture(scope="session")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    root = tmp_path_factory.mktemp("projects")
    token = secrets.token_urlsafe(16)
    app = create_app(Settings(token=token, root=root))
    sock = _free_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "the studio server stopped while starting"
        assert time.monotonic() < deadline, "the studio server did not start in 30 s"
        time.sleep(0.05)
    client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60.0)
    try:
        yield Studio(url=url, token=token, root=root, client=client)
    finally:
        client.close()
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    assert CHROMIUM.exists(), (
        f"{CHROMIUM} not found: install Debian's Chromium (apt-get install chromium "
        "fonts-noto-cjk) or point STORYREEL_CHROMIUM at a Chromium binary"
    )
    launched = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile per test; an uncaught script error fails the test."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    # Actions and assertions alike wait up to 15 s: the suite shares two cores with a
    # server and a browser, and Playwright's 5 s default for `expect` is tight there.
    context.set_default_timeout(15_000)
    expect.set_options(timeout=15_000)
    tab = context.new_page()
    failures: list[str] = []
    tab.on("pageerror", lambda error: failures.append(f"uncaught: {error}"))
    tab.on("console", lambda message: _script_error(message, failures))
    yield tab
    context.close()
    assert not failures, "script errors in the page:\n" + "\n".join(failures)


def _script_error(message: ConsoleMessage, failures: list[str]) -> None:
    # Failed loads are reported as console errors too; the tests check those through the
    # responses they expect. Only errors thrown by the studio's own code fail a test.
    if message.type == "error" and "Failed to load resource" not in message.text:
        failures.append(f"console: {message.text}")


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("STORYREEL_TEST_ARTIFACTS")
    folder = Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def shoot(artifacts: Path, request: pytest.FixtureRequest) -> Shoot:
    """Save a full-page screenshot named after the test and the page shown."""

    def take(page: Page, name: str) -> Path:
        test = re.sub(r"[^A-Za-z0-9_-]+", "_", request.node.name)
        path = artifacts / f"{test}--{name}.png"
        page.screenshot(path=str(path), full_page=True)
        _SHOTS.append(path)
        print(f"screenshot: {path}")
        return path

    return take


@pytest.fixture
def signed_in(page: Page, studio: Studio) -> Page:
    """The studio opened the way `storyreel serve` prints it: with #token= in the link."""
    page.goto(f"{studio.url}/#token={studio.token}")
    page.get_by_role("heading", name="Projects", level=1).wait_for()
    # The page is busy until its data has come; a test starts on the finished page.
    page.locator("main:not([aria-busy])").wait_for()
    return page


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _SHOTS:
        terminalreporter.section("web studio screenshots")
        for path in _SHOTS:
            terminalreporter.write_line(str(path))
