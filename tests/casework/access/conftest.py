"""The workflow tests' commune and story (an API client acting as its people), for the
tests that drive one case through the API."""

from tests.casework.workflow.conftest import agencies, commune, people, story  # noqa: F401
from tests.factories.cleaning import cleaning_loops  # noqa: F401
