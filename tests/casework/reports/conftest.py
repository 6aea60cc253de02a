"""A commune with its people and a story whose clock the tests move (the workflow tests')."""

from tests.casework.workflow.conftest import commune, people, story  # noqa: F401
