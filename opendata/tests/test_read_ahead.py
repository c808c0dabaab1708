"""Reading an export's next batch in a thread of its own (``exports.read_ahead``).

The reading itself is the same code either way; here: the batches come in
order and complete, no more than one ahead, from another thread, errors reach
the reader of the export, a download stopped early stops the thread, and the
thread's database connection is closed. tests/test_exports_postgresql.py
compares whole exports read both ways on a real PostgreSQL database.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from opendata import exports

READER = "unikom-export-reader"


def readers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == READER]


class Counted:
    """Batches ``[0], [1], ...`` that note how many were read, and by which thread."""

    def __init__(self, total: int, fail_at: int | None = None):
        self.total, self.fail_at = total, fail_at
        self.read = 0
        self.threads: set[str] = set()

    def __iter__(self):
        for number in range(self.total):
            if number == self.fail_at:
                raise ValueError(f"no batch {number}")
            self.read += 1
            self.threads.add(threading.current_thread().name)
            yield [number]


def test_the_batches_come_in_order_from_another_thread_at_most_one_ahead():
    batches = Counted(6)
    seen = []
    for batch in exports.read_ahead(iter(batches)):
        time.sleep(0.05)  # room for a reader that runs too far ahead to show it
        seen.append(batch[0])
        assert batches.read <= len(seen) + 1
    assert seen == list(range(6))
    assert batches.threads == {READER}
    assert readers() == []


def test_an_error_in_the_reader_reaches_the_export():
    batches = Counted(6, fail_at=3)
    seen = []
    with pytest.raises(ValueError, match="no batch 3"):
        for batch in exports.read_ahead(iter(batches)):
            seen.append(batch[0])
    assert seen == [0, 1, 2]
    assert readers() == []


def test_a_download_stopped_early_stops_the_reader():
    batches = Counted(50)
    reading = exports.read_ahead(iter(batches))
    assert next(reading) == [0]
    reading.close()  # what a server does when the client goes away
    assert readers() == []
    assert batches.read <= 2


@pytest.mark.django_db
def test_the_readers_database_connection_is_closed_when_it_ends(monkeypatch):
    used, closed_by = [], []
    close_all = connections.close_all

    def noted_close_all():
        closed_by.append(threading.current_thread().name)
        close_all()

    monkeypatch.setattr(connections, "close_all", noted_close_all)

    def batches():
        own = connections["default"]
        own.ensure_connection()
        used.append(own)
        yield [1]
        yield [2]

    assert list(exports.read_ahead(batches())) == [[1], [2]]
    (own,) = used
    assert own is not connection  # the reader's own
    assert closed_by == [READER]
    if own.vendor != "sqlite":  # Django keeps the tests' in-memory SQLite database open
        assert own.connection is None


@pytest.mark.django_db
def test_only_postgresql_reads_ahead_and_the_setting_turns_it_off(settings):
    settings.UNIKOM_EXPORT_READ_AHEAD = True
    assert exports.reads_ahead("default") is (connection.vendor == "postgresql")
    settings.UNIKOM_EXPORT_READ_AHEAD = False
    assert not exports.reads_ahead("default")


@pytest.mark.django_db
def test_an_export_of_more_than_one_batch_reads_ahead(monkeypatch, make_activity):
    for number in range(5):
        make_activity(title=f"Aktivitet {number}")
    wrapped = []

    def spy(batches):
        wrapped.append(True)
        yield from batches  # in this thread: the test's data is in its transaction

    monkeypatch.setattr(exports, "reads_ahead", lambda using: True)
    monkeypatch.setattr(exports, "read_ahead", spy)
    whole = exports.select("activities", {}, None, size=10)
    assert sum(len(b) for b in whole.batches()) == whole.count >= 5
    assert wrapped == []  # one batch: nothing to read ahead of
    split = exports.select("activities", {}, None, size=2)
    assert [r.pk for b in split.batches() for r in b] == list(split.keys)
    assert wrapped == [True]
