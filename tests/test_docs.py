"""Docs cannot drift: the CLI reference is regenerated and compared; the README names every
command and setting; each package's ``__all__`` is exactly what it exports."""

from __future__ import annotations

import importlib
import runpy
from pathlib import Path

import click
import pytest

from scraper.cli import cli
from scraper.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_cli_reference_is_current() -> None:
    module = runpy.run_path(str(ROOT / "scripts" / "cli_reference.py"))
    expected = module["render"]()
    actual = (ROOT / "docs" / "CLI.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/CLI.md is stale: run python scripts/cli_reference.py"


def test_every_command_has_help_and_is_in_readme() -> None:
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None and command.help, name
        assert "Example:" in command.help or isinstance(command, click.Group), name
        assert f"blogbinder {name}" in README, f"README does not mention `blogbinder {name}`"


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented(setting: object) -> None:
    assert setting.env in README


@pytest.mark.parametrize("package", ["scraper", "storage", "archive"])
def test_all_matches_exports(package: str) -> None:
    module = importlib.import_module(package)
    exported = set(module.__all__)
    public = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, type(module))
        and name not in {"annotations"}
    }
    assert exported <= public, exported - public
    assert public <= exported, public - exported
