import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def in_english():
    """The services' messages are asserted in English; the default language is French (run
    alone, these tests would otherwise read French)."""
    with translation.override("en"):
        yield
