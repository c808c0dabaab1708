"""Generate docs/cli.md from the commands' own --help (kept in step by a test)."""

from __future__ import annotations

import argparse
import io
import os
from contextlib import redirect_stdout

from django.core.management import get_commands, load_command_class
from django.utils import translation

#: The `unikom` commands, in the order a newcomer meets them.
COMMANDS = [
    ("setup", []),
    ("serve", []),
    ("prepare", []),
    ("demo", []),
    ("refdata", [["load"], ["fetch"], ["snapshot"]]),
    ("roles", [["grant"], ["revoke"], ["list"]]),
    ("privacy", [["erase"], ["expire"]]),
    ("overview", []),
    ("report", []),
    ("search", []),
    ("discovery", []),
    ("export", []),
    ("import", []),
    ("synth", []),
    ("backup", []),
    ("restore", []),
]

INTRO = """# Command line

`unikom` is installed with the package (`pip install -e .`; `make run` does it)
and wraps Django's `manage.py`: every Django command works too
(`unikom migrate`, `unikom createsuperuser`). The unikom commands are below;
this page is generated from their `--help` by `python -m core.clidocs`, and a
test fails when it is out of date.
"""


#: Options every Django command has; docs/operations.md explains them once.
COMMON = {
    "version",
    "verbosity",
    "settings",
    "pythonpath",
    "traceback",
    "no_color",
    "force_color",
    "skip_checks",
}


def _help(name: str, sub: list[str]) -> str:
    command = load_command_class(get_commands()[name], name)
    parser = command.create_parser("unikom", name)
    for part in sub:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = action.choices[part]
    for action in parser._actions:
        if action.dest in COMMON:
            action.help = argparse.SUPPRESS
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        parser.print_help()
    return buffer.getvalue().rstrip()


def render() -> str:
    parts = [INTRO]
    os.environ["COLUMNS"] = "88"  # the same wrapping on every machine
    with translation.override("en"):
        for name, subs in COMMANDS:
            parts.append(f"## unikom {name}\n\n```\n{_help(name, [])}\n```\n")
            for sub in subs:
                title = " ".join([name, *sub])
                parts.append(f"### unikom {title}\n\n```\n{_help(name, sub)}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    import os
    import sys
    from pathlib import Path

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/cli.md")
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
