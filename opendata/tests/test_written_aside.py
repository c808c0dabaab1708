"""Writing a zip member in a thread of its own (``formats.written_aside``), as the
workbook and the archive do: the same member as written in place, errors
reach the download, and a download stopped early stops the thread."""

from __future__ import annotations

import io
import threading
import zipfile

import pytest

from opendata import formats

WRITER = "unikom-zip-writer"


def writers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == WRITER]


def blocks(count: int) -> list[bytes]:
    """Blocks of 64 KB that differ (so compression has work), over several handovers."""
    return [(f"rad {n};" * 8000)[: 64 * 1024].encode() for n in range(count)]


def test_a_member_written_aside_is_the_member_written_in_place():
    data = blocks(40)  # 2.5 MB: handed over as three blocks
    aside, in_place = formats.Pipe(), formats.Pipe()
    taken = []
    with zipfile.ZipFile(aside, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        member = archive.open("data.csv", "w")
        for _ in formats.written_aside(member, iter(data)):
            taken.append(aside.take())  # as a download takes it, while the thread writes
        member.close()
    taken.append(aside.take())
    with zipfile.ZipFile(in_place, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        member = archive.open("data.csv", "w")
        for block in data:
            member.write(block)
        member.close()
    written = zipfile.ZipFile(io.BytesIO(b"".join(taken)))
    assert written.testzip() is None
    assert written.read("data.csv") == b"".join(data)
    assert written.read("data.csv") == zipfile.ZipFile(io.BytesIO(in_place.take())).read("data.csv")
    assert not writers()


class Failing:
    def __init__(self, after: int):
        self.after, self.written = after, 0

    def write(self, block: bytes) -> int:
        if self.written >= self.after:
            raise OSError("disk full")
        self.written += 1
        return len(block)


def test_an_error_in_the_thread_reaches_the_download():
    member = Failing(after=1)
    with pytest.raises(OSError, match="disk full"):
        for _ in formats.written_aside(member, iter(blocks(80))):
            pass
    assert member.written == 1
    assert not writers()


def test_a_download_stopped_early_stops_the_thread():
    class Kept:
        def __init__(self):
            self.blocks: list[bytes] = []

        def write(self, block: bytes) -> int:
            self.blocks.append(block)
            return len(block)

    member = Kept()

    def endless():
        while True:
            yield b"x" * 64 * 1024

    handing = formats.written_aside(member, endless())
    for _ in range(40):
        next(handing)
    assert writers()
    handing.close()
    assert not writers()
    # What was handed over before the stop was written, and nothing after it.
    assert sum(len(b) for b in member.blocks) == (40 * 64 * 1024) // formats.HANDED_BYTES * (
        formats.HANDED_BYTES
    )
