"""The README stays true: every CLI command, every export column, the two commands in CI."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from annotator.cli import main
from annotator.columns import KINDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
        else:
            found.append((f"{prefix}{name}", command))
    return found


COMMANDS = _commands(main)


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_cli_command_is_in_the_readme(name: str, command: click.Command) -> None:
    assert f"python -m annotator {name}" in README


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_cli_command_has_help_ending_with_an_example(
    name: str, command: click.Command
) -> None:
    assert command.help and "Example: python -m annotator " + name in command.help


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_export_column_is_in_the_data_dictionary(kind: str) -> None:
    dictionary = README.split("## Data dictionary", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", dictionary, flags=re.MULTILINE))
    assert set(KINDS[kind]) <= documented


def _code_blocks_after(heading: str) -> list[str]:
    section = README.split(heading, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```\n(.*?)\n```", section, flags=re.DOTALL)


def test_quick_start_has_the_run_and_test_commands_and_ci_runs_the_test_command() -> None:
    run_command, test_command = _code_blocks_after("## Quick start")[:2]
    assert run_command == "pip install -r requirements.txt && streamlit run app.py"
    assert test_command == "pip install -r requirements-dev.txt && python -m pytest"
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_readme_screenshot_exists() -> None:
    assert (ROOT / "docs" / "annotate.png").is_file()
