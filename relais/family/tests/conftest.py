import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def in_english():
    """Services and notices render in the active language; these tests read English."""
    with translation.override("en"):
        yield


from relais.family.tests.factories import courts  # noqa: E402, F401  (the courts fixture)
