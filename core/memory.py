"""Giving memory back to the system after a request that needed much of it.

A worker that draws a national analysis for the first time (the network, the
report) holds 50 to 100 MB more while it works. Python frees the objects
afterwards, but glibc's allocator keeps the freed pages in the process, so the
worker stayed that large for the rest of its life: 250 to 280 MB at national
scale, against about 100 MB before. ``malloc_trim`` hands the free pages back
(40 to 60 MB after each of those pages, measured in one process). It walks the
heap, so it runs only after a request that made the process grow, before its
answer is sent (``core.middleware.MemoryReleaseMiddleware``, the outermost).
The size is read only after a request that took a while: reading it costs about
10 µs, more than one percent of a kept page, and growth that a quick request
leaves is still measured, from the same baseline, after the next slow one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import threading

#: Growth of the resident memory since the last release that triggers the next.
GROWTH_BYTES = 16 * 1024 * 1024
#: Seconds a request must have taken for the size to be read after it.
SLOW_SECONDS = 0.05

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _load_trim():
    """glibc's ``malloc_trim``, or None elsewhere (macOS, musl): then nothing is done."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def resident_bytes() -> int:
    """The process's resident memory (Linux ``/proc``; 0 where it cannot be read)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


class Releaser:
    """Calls ``trim(0)`` when the process has grown by ``growth`` bytes since the
    last time it did (or since it started)."""

    def __init__(
        self,
        trim=None,
        measure=resident_bytes,
        growth: int = GROWTH_BYTES,
        slow: float = SLOW_SECONDS,
    ) -> None:
        self.trim = trim if trim is not None else _load_trim()
        self.measure = measure
        self.growth = growth
        self.slow = slow
        self.baseline = self.measure() if self.trim is not None else 0
        self.lock = threading.Lock()

    def after_request(self, seconds: float) -> bool:
        """After a request that took ``seconds``: release memory if the process
        grew; whether it did."""
        if self.trim is None or seconds < self.slow:
            return False
        with self.lock:
            if self.measure() - self.baseline < self.growth:
                return False
            # What the request left in reference cycles first (a graph, a parsed
            # document): a full collection takes tens of milliseconds here, after a
            # request that took seconds.
            gc.collect()
            self.trim(0)
            self.baseline = self.measure()
            return True
