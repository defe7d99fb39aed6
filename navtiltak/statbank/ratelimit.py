"""The optional rate limit: calls per client address in a sliding window."""

from __future__ import annotations

import math
import threading
import time
from collections import deque


class RateLimiter:
    """At most ``calls`` per client address in ``window`` seconds (a sliding window)."""

    def __init__(self, calls: int, window: int) -> None:
        self.calls, self.window = calls, window
        self.seen: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def retry_after(self, client: str) -> int | None:
        now = time.monotonic()
        with self.lock:
            times = self.seen.setdefault(client, deque())
            while times and now - times[0] >= self.window:
                times.popleft()
            if len(times) >= self.calls:
                return max(1, math.ceil(self.window - (now - times[0])))
            times.append(now)
            return None
