"""`unikom serve`: serve the site with gunicorn; `unikom serve --dev` with Django's server.

gunicorn runs in this process (``gunicorn.app.base.BaseApplication``): this
process is gunicorn's master, and its workers are forked from it with Django
already loaded. SIGTERM stops it gracefully (requests in progress may finish
within the graceful timeout), Ctrl-C (SIGINT) at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import ipaddress
import os
import signal
import subprocess
import sys
from collections.abc import Mapping

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _

#: Seconds a worker's main loop may stay silent before gunicorn restarts the worker
#: (a worker that hangs or stops entirely). With threads this does not bound one
#: request: a long export keeps its thread as long as it needs; see docs/operations.md.
DEFAULT_TIMEOUT = 120
#: Request threads per worker. gunicorn's threaded worker keeps connections alive
#: between requests (the sync worker closes every one) and reads a slow client's
#: request without tying up a thread, which matters when nothing buffers in front.
THREADS = 2
#: Seconds an idle connection is kept open for the client's next request (nginx's
#: default). gunicorn's own 2 s is shorter than a reader's pause between pages:
#: the server then closes connections as clients reuse them, and a request that
#: crosses the close is reset (the load test saw 5 to 9 a minute with 2 s).
KEEPALIVE = 75
#: Seconds requests in progress get to finish after SIGTERM.
GRACEFUL_TIMEOUT = 30
#: Workers at most when sized to the machine (each holds its own copy of the site).
MAX_WORKERS = 12


def cpu_count() -> int:
    """CPUs this process may run on (respects taskset and cpusets)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers(cpus: int | None = None) -> int:
    """2 × CPUs + 1, at most MAX_WORKERS: gunicorn's rule of thumb."""
    return min(2 * (cpus or cpu_count()) + 1, MAX_WORKERS)


def _positive_int(value: str, name: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise CommandError(
            _("%(name)s must be a whole number of at least 1, not %(value)r.")
            % {"name": name, "value": value}
        )
    return number


def workers_setting(option: int | None, environ: Mapping[str, str]) -> int:
    """--workers, else UNIKOM_WORKERS, else WEB_CONCURRENCY, else sized to the machine."""
    if option is not None:
        return _positive_int(str(option), "--workers")
    for name in ("UNIKOM_WORKERS", "WEB_CONCURRENCY"):
        if environ.get(name):
            return _positive_int(environ[name], name)
    return default_workers()


def timeout_setting(option: int | None, environ: Mapping[str, str]) -> int:
    """--timeout, else UNIKOM_TIMEOUT, else DEFAULT_TIMEOUT (seconds)."""
    if option is not None:
        return _positive_int(str(option), "--timeout")
    if environ.get("UNIKOM_TIMEOUT"):
        return _positive_int(environ["UNIKOM_TIMEOUT"], "UNIKOM_TIMEOUT")
    return DEFAULT_TIMEOUT


def bind_address(host: str, port: int) -> str:
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"{host}:{port}"


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name, which may resolve to anything


def refuse_public_key(host: str) -> None:
    """The development key is public: with it, anyone reachable could forge a session."""
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY and not is_loopback(host):
        raise CommandError(
            _(
                "Refusing to serve on %(host)s with the public development key: anyone who "
                "can reach this address could forge sessions and password-reset links. Set "
                "SECRET_KEY (or SECRET_KEY_FILE), or serve on 127.0.0.1."
            )
            % {"host": host}
        )


def gunicorn_options(*, host: str, port: int, workers: int, timeout: int) -> dict:
    """gunicorn settings for `unikom serve`; GUNICORN_CMD_ARGS may override any of them."""
    return {
        "bind": [bind_address(host, port)],
        "workers": workers,
        "worker_class": "gthread",
        "threads": THREADS,
        "keepalive": KEEPALIVE,
        "timeout": timeout,
        "graceful_timeout": min(GRACEFUL_TIMEOUT, timeout),
        # Django and the site are loaded once, in the master, and shared by the
        # workers it forks: quick worker starts, less memory. New code needs a restart.
        "preload_app": True,
        "accesslog": "-",  # stdout
        "errorlog": "-",  # stderr
        "access_log_format": '%(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"',
        "proc_name": "unikom",
        # gunicorn ≥ 25 opens a control socket at one fixed path per user by default;
        # several servers on one machine would fight over it.
        "control_socket_disable": True,
    }


def make_server(options: dict):
    from gunicorn.app.base import BaseApplication

    class UnikomServer(BaseApplication):
        """gunicorn serving config.wsgi:application, configured from `options`."""

        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)
            # Anything else gunicorn offers, as on gunicorn's own command line.
            extra = self.cfg.get_cmd_args_from_env()
            if extra:
                parsed = self.cfg.parser().parse_args(extra)
                for key, value in vars(parsed).items():
                    if value is not None and key != "args":
                        self.cfg.set(key.lower(), value)

        def load(self):
            from django.urls import get_resolver

            from config.wsgi import application
            from core.fingerprint import code_fingerprint

            # Import every view (and its forms, serialisers and filters) once in the
            # master, so a worker's first request does not.
            get_resolver().url_patterns  # noqa: B018
            code_fingerprint()  # read once here, not by each worker (core.cache)
            # Everything loaded so far lives as long as the process: keep the garbage
            # collector off it. Workers then share more memory with the master, and
            # exit in a tenth of the time (no final collection over all of Django).
            gc.collect()
            gc.freeze()
            return application

        def run(self):
            stop_signals_kill_booting_workers()
            super().run()

    return UnikomServer(prog="unikom serve")


def stop_signals_kill_booting_workers() -> None:
    """Let SIGTERM, SIGINT and SIGQUIT stop a worker that is still booting.

    A forked worker runs the master's signal handlers, which only queue the signal,
    until it installs its own; a stop signal in between was lost, and the master then
    waited the whole graceful timeout for that worker. Stop signals are held during
    fork and take their default action in the new worker until gunicorn's handlers
    are in place.
    """
    stop = {signal.SIGTERM, signal.SIGINT, signal.SIGQUIT}

    def in_child():
        for number in stop:
            signal.signal(number, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stop)

    os.register_at_fork(
        before=lambda: signal.pthread_sigmask(signal.SIG_BLOCK, stop),
        after_in_parent=lambda: signal.pthread_sigmask(signal.SIG_UNBLOCK, stop),
        after_in_child=in_child,
    )


def start_preparer() -> subprocess.Popen:
    """``unikom prepare --watch`` (core.prepare) in a process of its own beside the
    workers: their memory stays what a request needs, whatever it prepares. It
    stops with the server, even one that is killed (Linux)."""
    return subprocess.Popen(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-m", "config.cli", "prepare", "--watch"],
        preexec_fn=_stop_with_parent,  # noqa: PLW1509 (one thread still: before gunicorn)
    )


def _stop_with_parent() -> None:
    """In the child: SIGTERM when the parent ends (``PR_SET_PDEATHSIG``, Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


class Command(BaseCommand):
    help = (
        "Serve unikom with gunicorn, a production server: worker processes sized to the "
        "machine with two request threads each, keep-alive connections, access log on "
        "standard output, graceful stop on SIGTERM. The address "
        "comes from --host/--port, else HOST/PORT, else 127.0.0.1:8000. --dev serves "
        "with Django's development server instead, which reloads on code changes. See "
        "docs/operations.md for the settings (UNIKOM_WORKERS, UNIKOM_TIMEOUT, "
        "GUNICORN_CMD_ARGS)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT") or 8000),
            help="port to listen on (default: $PORT or 8000)",
        )
        parser.add_argument(
            "--host",
            default=os.environ.get("HOST") or "127.0.0.1",
            help="address to listen on (default: $HOST or 127.0.0.1; 0.0.0.0 for all)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            help=(
                "worker processes (default: $UNIKOM_WORKERS, else $WEB_CONCURRENCY, else "
                f"2 x CPUs + 1, at most {MAX_WORKERS})"
            ),
        )
        parser.add_argument(
            "--timeout",
            type=int,
            help=(
                "seconds a worker may stay unresponsive before it is restarted "
                f"(default: $UNIKOM_TIMEOUT or {DEFAULT_TIMEOUT})"
            ),
        )
        parser.add_argument(
            "--dev",
            action="store_true",
            help="Django's development server, reloading when code changes (one process)",
        )

    def handle(self, *args, **options):
        host, port = options["host"], options["port"]
        refuse_public_key(host)
        if options["dev"]:
            call_command("runserver", bind_address(host, port), use_reloader=True)
            return
        self._check_static_files()
        import gunicorn

        server_options = gunicorn_options(
            host=host,
            port=port,
            workers=workers_setting(options["workers"], os.environ),
            timeout=timeout_setting(options["timeout"], os.environ),
        )
        server = make_server(server_options)
        self.stdout.write(
            _(
                "Serving unikom on http://%(address)s/ with gunicorn %(version)s: "
                "%(workers)s workers, %(timeout)s s timeout. Ctrl-C stops."
            )
            % {
                "address": bind_address(host, port),
                "version": gunicorn.__version__,
                "workers": server.cfg.workers,
                "timeout": server.cfg.timeout,
            }
        )
        self.stdout.flush()
        # Workers are forked from this process: none may inherit its connections.
        connections.close_all()
        preparer = start_preparer() if settings.UNIKOM_PREPARE else None
        try:
            server.run()
        finally:
            if preparer is not None:
                preparer.terminate()
                preparer.wait(timeout=10)

    def _check_static_files(self) -> None:
        """In production pages link hashed file names that only collectstatic writes."""
        if not settings.PRODUCTION:
            return  # WhiteNoise serves straight from the app folders (WHITENOISE_USE_FINDERS)
        from django.contrib.staticfiles.storage import staticfiles_storage

        manifest = getattr(staticfiles_storage, "manifest_name", None)
        if manifest and not staticfiles_storage.exists(manifest):
            raise CommandError(
                _(
                    "Static files are not collected in %(root)s: every page would fail. "
                    "Run `unikom collectstatic --noinput` first."
                )
                % {"root": settings.STATIC_ROOT}
            )
