"""The cleaning loop's definition is checked and drawn like the case's."""

from __future__ import annotations

from typer.testing import CliRunner

from casework.cli import app
from workflows.definition import DEFINITIONS_DIR

SHIPPED = str(DEFINITIONS_DIR / "data_cleaning.yaml")


def test_the_cleaning_definition_passes_the_check():
    result = CliRunner().invoke(app, ["workflow", "check", SHIPPED])
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output


def test_the_diagram_draws_the_four_steps():
    result = CliRunner().invoke(app, ["workflow", "diagram", SHIPPED])
    assert result.exit_code == 0
    for line in ("visit --> verify", "verify --> update", "update --> closed"):
        assert line in result.output
