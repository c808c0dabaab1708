"""`unikom serve`: serve the site on http://127.0.0.1:8000 (PORT to change)."""

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve unikom with Django's server on 127.0.0.1. The port comes from --port, "
        "else the PORT environment variable, else 8000. For production use a WSGI "
        "server such as gunicorn with config.wsgi (see docs/operations.md)."
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
            help="address to listen on (default: $HOST or 127.0.0.1)",
        )

    def handle(self, *args, **options):
        call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)
