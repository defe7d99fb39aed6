"""Open pages in headless Chromium with the network off, as a person would see them.

A small client of the Chrome DevTools protocol (one WebSocket, websocket-client): no
driver binary, no Selenium. Chromium starts on 127.0.0.1 with a free debugging port
(``--remote-debugging-port=0``; it writes the port it chose to its profile
directory) and a fresh profile, and is stopped by its process group id when the
``Chromium`` context closes, also when a test fails.

The network is off twice over: every host name resolves to nothing but 127.0.0.1, and
every request goes to a proxy on a closed port (loopback bypasses it). Every request the
page makes is recorded, so a test can also fail on an attempt that was refused.

    python -m navtiltak_tools.browser PAGE_URL SCREENSHOT.png [MAX_HEIGHT]
        # a full-page screenshot (or its top MAX_HEIGHT pixels); problems on stderr
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websocket

# Without the background-networking flags Chromium calls Google's services at start.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    # Port 9 (discard) is closed here: any request that is not to loopback fails.
    "--proxy-server=http://127.0.0.1:9",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)
START_TIMEOUT = 30.0
PAGE_TIMEOUT = 60.0
VIEWPORT = {"width": 1280, "height": 900}
# What a page may load: itself and what lies beside it, or inline data.
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


class BrowserError(Exception):
    """Chromium did not start, or a page did not load in time."""


def chromium_executable() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise BrowserError(
        "no Chromium on PATH: `make test` installs Debian's chromium (apt-get install chromium)"
    )


@dataclass
class PageVisit:
    """What happened while a page loaded."""

    url: str
    requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def outside_requests(self, allowed_origin: str | None = None) -> list[str]:
        """Requests for anything but the page's own files (or `allowed_origin`)."""
        allowed = (*LOCAL_SCHEMES, *((allowed_origin,) if allowed_origin else ()))
        return [url for url in self.requests if not url.startswith(allowed)]


class Chromium:
    """One headless Chromium and one page target, driven over the DevTools protocol."""

    def __init__(self) -> None:
        self._profile = Path(tempfile.mkdtemp(prefix="navtiltak-chromium-"))
        self._process: subprocess.Popen[bytes] | None = None
        self._socket: websocket.WebSocket | None = None
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    def __enter__(self) -> Chromium:
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _start(self) -> None:
        log = (self._profile / "chromium.log").open("wb")
        self._process = subprocess.Popen(
            [
                chromium_executable(),
                *CHROMIUM_FLAGS,
                f"--user-data-dir={self._profile}",
                "about:blank",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: close() stops Chromium and every helper it started.
            start_new_session=True,
        )
        port = self._debugging_port()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            targets = json.load(answer)
        page = next(target for target in targets if target["type"] == "page")
        self._socket = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=PAGE_TIMEOUT, suppress_origin=True
        )
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride", deviceScaleFactor=1, mobile=False, **VIEWPORT
        )

    def _debugging_port(self) -> int:
        port_file = self._profile / "DevToolsActivePort"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                log = (self._profile / "chromium.log").read_text(errors="replace")
                raise BrowserError(f"Chromium exited with {self._process.returncode}:\n{log}")
            if port_file.exists() and port_file.read_text().strip():
                return int(port_file.read_text().splitlines()[0])
            time.sleep(0.1)
        raise BrowserError(f"Chromium did not open its debugging port in {START_TIMEOUT:.0f} s")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        process = self._process
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self._process = None
        shutil.rmtree(self._profile, ignore_errors=True)

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    # -- the protocol -------------------------------------------------------------------

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Call a DevTools method and return its result; events meanwhile are kept."""
        if self._socket is None:
            raise BrowserError("Chromium is not running")
        self._next_id += 1
        message_id = self._next_id
        self._socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self._events.append(message)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises are awaited)."""
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def _wait_for_event(self, method: str, deadline: float) -> None:
        while not any(event["method"] == method for event in self._events):
            if time.monotonic() > deadline:
                raise BrowserError(f"no {method} in {PAGE_TIMEOUT:.0f} s")
            self.send("Runtime.evaluate", expression="1")
            time.sleep(0.05)

    # -- pages --------------------------------------------------------------------------

    def visit(self, url: str, ready: str = "true") -> PageVisit:
        """Load `url` and wait for its load event and for the expression `ready`."""
        self._events.clear()
        deadline = time.monotonic() + PAGE_TIMEOUT
        self.send("Page.navigate", url=url)
        self._wait_for_event("Page.loadEventFired", deadline)
        while not self.evaluate(ready):
            if time.monotonic() > deadline:
                raise BrowserError(f"{url}: not ready ({ready}) in {PAGE_TIMEOUT:.0f} s")
            time.sleep(0.1)
        return self._page_visit(url)

    def _page_visit(self, url: str) -> PageVisit:
        visit = PageVisit(url)
        urls: dict[str, str] = {}
        for event in self._events:
            method, params = event["method"], event.get("params", {})
            if method == "Network.requestWillBeSent":
                urls[params["requestId"]] = params["request"]["url"]
                visit.requests.append(params["request"]["url"])
            elif method == "Network.loadingFailed":
                where = urls.get(params["requestId"], "?")
                visit.failed_requests.append(f"{where}: {params.get('errorText')}")
            elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
                response = params["response"]
                visit.failed_requests.append(f"{response['url']}: HTTP {response['status']}")
            elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                text = " ".join(
                    str(arg.get("value", arg.get("description"))) for arg in params["args"]
                )
                visit.console_errors.append(f"console.{params['type']}: {text}")
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                description = details.get("exception", {}).get("description", details.get("text"))
                visit.console_errors.append(f"exception: {description}")
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                entry = params["entry"]
                visit.console_errors.append(
                    f"{entry['source']}: {entry['text']} {entry.get('url', '')}"
                )
        return visit

    def screenshot(self, path: Path, max_height: float | None = None) -> Path:
        """A PNG of the whole page (not only the viewport), or of its top `max_height` px."""
        size = self.send("Page.getLayoutMetrics")["cssContentSize"]
        height = size["height"] if max_height is None else min(size["height"], max_height)
        clip = {"x": 0, "y": 0, "width": size["width"], "height": height, "scale": 1}
        shot = self.send(
            "Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    url, screenshot, *height = args
    with Chromium() as browser:
        visit = browser.visit(url)
        browser.screenshot(Path(screenshot), float(height[0]) if height else None)
    for problem in [*visit.console_errors, *visit.failed_requests, *visit.outside_requests()]:
        print(problem, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
