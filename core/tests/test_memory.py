"""core.memory: a worker hands freed memory back after a request that made it grow."""

from __future__ import annotations

import pytest
from django.conf import settings

from core import memory

MB = 1024 * 1024


class Process:
    """A process whose size the test sets, and which shrinks when trimmed."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.trims = 0
        self.free = 0

    def measure(self) -> int:
        return self.size

    def trim(self, pad: int) -> int:
        assert pad == 0
        self.trims += 1
        self.size -= self.free
        self.free = 0
        return 1


def test_memory_is_released_only_after_the_process_grew():
    process = Process(100 * MB)
    releaser = memory.Releaser(trim=process.trim, measure=process.measure, growth=16 * MB)
    # Ordinary requests: a few megabytes here and there, nothing to do.
    process.size += 10 * MB
    assert releaser.after_request(1.0) is False and process.trims == 0
    # A national analysis drawn for the first time: 90 MB more, 60 of them freed.
    process.size += 90 * MB
    process.free = 60 * MB
    assert releaser.after_request(3.0) is True and process.trims == 1
    assert process.size == 140 * MB and releaser.baseline == 140 * MB
    # Measured from the new size: the next small growth does not trim again.
    process.size += 8 * MB
    assert releaser.after_request(1.0) is False and process.trims == 1


def test_the_size_is_read_only_after_a_slow_request_and_growth_waits_for_one():
    process = Process(100 * MB)
    reads = []
    releaser = memory.Releaser(
        trim=process.trim,
        measure=lambda: reads.append(1) or process.measure(),
        growth=16 * MB,
        slow=0.05,
    )
    reads.clear()
    process.size += 40 * MB
    process.free = 30 * MB
    # A quick request does not even read the size.
    assert releaser.after_request(0.002) is False and reads == [] and process.trims == 0
    # The next slow one finds the growth the quick one left, from the same baseline.
    assert releaser.after_request(0.2) is True and process.trims == 1
    assert process.size == 110 * MB


def test_without_glibc_nothing_is_done():
    releaser = memory.Releaser(trim=None, measure=lambda: 10**12)
    releaser.trim = None
    assert releaser.after_request(10.0) is False


@pytest.mark.skipif(not memory.resident_bytes(), reason="no /proc/self/statm")
def test_the_resident_size_is_read_and_glibc_trim_is_found_on_linux():
    assert 10 * MB < memory.resident_bytes() < 10_000 * MB
    assert memory._load_trim() is not None


@pytest.mark.django_db
def test_the_release_runs_outermost_after_every_request(client, monkeypatch):
    assert settings.MIDDLEWARE[0] == "core.middleware.MemoryReleaseMiddleware"
    seen = []
    monkeypatch.setattr(memory.Releaser, "after_request", lambda self, s: seen.append(s))
    client.get("/healthz")
    assert len(seen) == 1 and 0 < seen[0] < 60
