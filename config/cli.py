"""The `unikom` command: one entry point for every job.

``unikom serve``, ``unikom demo``, ``unikom refdata load DIR`` and the rest are
Django management commands; this wrapper only sets the settings module so
that the command works from any folder once the package is installed.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "unikom"
    if len(argv) == 1:
        argv.append("help")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
