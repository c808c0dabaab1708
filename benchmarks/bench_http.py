"""Servers and the HTTP client of `make bench`: no Django in this process.

``Server`` starts a command on a free loopback port, waits until it answers,
and stops it (its whole process group) at the end. ``Client`` is one
keep-alive HTTP/1.1 connection per server; it reconnects when the server
closes (gunicorn's sync workers close after each response) and leaves the
connect out of the timing, for both servers alike.
"""

from __future__ import annotations

import contextlib
import http.client
import math
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
#: A request taking longer than this is reported as failed.
REQUEST_TIMEOUT = 900


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), interpolated between the nearest ranks."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Response:
    status: int
    ms: float  # request sent → last byte read
    first_byte_ms: float  # request sent → first byte of the body read
    size: int
    error: str = ""


class Client:
    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def get(self, path: str, sink=None) -> Response:
        """GET ``path``; the body is read to its end (and written to ``sink`` if given)."""
        reused = self.conn is not None
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
            self.conn.connect()
        start = time.perf_counter()
        try:
            self.conn.request("GET", path, headers={"User-Agent": "unikom-bench", "Accept": "*/*"})
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as error:
            self.close()
            if reused:
                # The server closed an idle keep-alive connection (uvicorn does after
                # 5 s): like any HTTP client, try once more on a fresh connection.
                return self.get(path, sink)
            elapsed = (time.perf_counter() - start) * 1000
            return Response(0, elapsed, elapsed, 0, f"{type(error).__name__}: {error}")
        except (OSError, http.client.HTTPException) as error:
            self.close()
            elapsed = (time.perf_counter() - start) * 1000
            return Response(0, elapsed, elapsed, 0, f"{type(error).__name__}: {error}")
        try:
            first = response.read(1)
            first_byte = time.perf_counter()
            size = len(first)
            if sink is not None:
                sink.write(first)
            while chunk := response.read(1 << 16):
                size += len(chunk)
                if sink is not None:
                    sink.write(chunk)
            end = time.perf_counter()
        except (OSError, http.client.HTTPException) as error:
            self.close()
            elapsed = (time.perf_counter() - start) * 1000
            return Response(0, elapsed, elapsed, 0, f"{type(error).__name__}: {error}")
        if response.will_close:
            self.close()
        return Response(response.status, (end - start) * 1000, (first_byte - start) * 1000, size)


class Server:
    """A server process (and its children) listening on ``port``; stop() ends them all."""

    def __init__(self, name: str, command: list[str], env: dict, port: int, log: Path) -> None:
        self.name = name
        self.port = port
        self.log = log
        self._log_file = log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            command,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() reaches the workers
        )

    def wait_ready(self, path: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        client = Client(self.port)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with status {self.process.returncode}; see {self.log}"
                )
            try:
                if client.get(path).status == 200:
                    client.close()
                    return
            except OSError:
                pass
            client.close()
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not answer {path} in {timeout:.0f} s; see {self.log}")

    def wait_workers(self, timeout: float = 30) -> int:
        """Wait until the number of child processes has stopped growing; return it."""
        deadline = time.monotonic() + timeout
        seen, steady_since = -1, time.monotonic()
        while time.monotonic() < deadline:
            now = len(self.children())
            if now != seen:
                seen, steady_since = now, time.monotonic()
            elif time.monotonic() - steady_since > 2:
                break
            time.sleep(0.2)
        return seen

    def children(self) -> list[int]:
        """Process ids of the server's direct children (gunicorn's workers)."""
        pid = self.process.pid
        try:
            text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
            return [int(p) for p in text.split()]
        except OSError:
            found = []
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit():
                    try:
                        stat = (entry / "stat").read_text()
                    except OSError:
                        continue
                    if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry.name))
            return found

    def stop(self) -> None:
        """SIGTERM to the server (gunicorn stops its workers gracefully), then make sure
        nothing of its process group is left."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=40)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._log_file.close()


def rss_kb(pid: int) -> int:
    """Resident set size of one process in kB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def private_kb(pid: int) -> int:
    """Memory of one process that no other process shares (kB; 0 when unknown)."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1])
    except OSError:
        return 0
    return total
