"""The docs list every setting and command, and the CLI reference is current."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from core import clidocs

DOCS = Path(settings.BASE_DIR) / "docs"


def test_every_setting_is_documented():
    source = (Path(settings.BASE_DIR) / "config" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env(?:_bool|_list)?\("([A-Z_]+)"', source))
    documented = (DOCS / "operations.md").read_text(encoding="utf-8")
    missing = sorted(n for n in names if f"`{n}`" not in documented)
    assert names and missing == []


def test_the_cli_reference_is_generated_from_the_commands():
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == clidocs.render(), (
        "docs/cli.md is out of date: run python -m core.clidocs"
    )


def test_the_readme_names_the_two_commands_and_links_the_docs():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    for link in re.findall(r"\]\((docs/[^)#]+)", readme):
        assert (Path(settings.BASE_DIR) / link).exists(), link


def test_every_unikom_command_is_in_the_cli_reference():
    from django.apps import apps
    from django.core.management import get_commands

    # The project's own apps: those not installed from a package index.
    local = {config.name for config in apps.get_app_configs() if "site-packages" not in config.path}
    ours = {name for name, app in get_commands().items() if app in local}
    assert ours == {name for name, _subs in clidocs.COMMANDS}


def test_the_cli_reference_does_not_depend_on_the_language_a_command_was_loaded_in():
    """A command's description follows the language active when --help is asked, not
    the one its module happened to be imported under (an earlier test in bokmål)."""
    from django.core.management import get_commands, load_command_class
    from django.utils import translation

    with translation.override("nb"):
        for name, app in get_commands().items():
            if not app.startswith("django") and app not in {"axes", "simple_history"}:
                load_command_class(app, name)
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == clidocs.render()
