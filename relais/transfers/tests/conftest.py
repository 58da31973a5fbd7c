import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def in_english():
    """Services write history and timeline lines in the active language; these tests read
    English."""
    with translation.override("en"):
        yield
