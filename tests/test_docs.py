"""The docs keep up with the code: every CLI command, option and setting is documented."""

from __future__ import annotations

from conftest import ROOT

from marsad.cli import app
from marsad.settings import Settings


def test_every_cli_option_is_documented() -> None:
    import typer.main

    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    command = typer.main.get_command(app)
    for name, sub in command.commands.items():  # type: ignore[attr-defined]
        assert f"## `marsad {name}`" in doc, name
        section = doc.split(f"## `marsad {name}`", 1)[1].split("\n## ", 1)[0]
        for param in sub.params:
            if param.name == "help":
                continue
            for opt in param.opts if param.param_type_name == "option" else [param.name.upper()]:
                assert f"`{opt}`" in section, f"marsad {name}: {opt} is not in docs/cli.md"


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, _, _ in Settings.help():
        assert f"`{name}`" in doc


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "make demo" in head and "make test" in head
