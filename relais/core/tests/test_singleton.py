"""A background job runs once at a time: a second holder is told the job is taken."""

import threading

import pytest
from django.db import connection

from relais.core.singleton import lock_key, single_instance

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_key_is_stable_and_fits_a_bigint():
    assert lock_key("audit_seal") == lock_key("audit_seal")
    assert lock_key("audit_seal") != lock_key("followup_tick")
    assert -(2**63) <= lock_key("audit_seal") < 2**63


def _held_elsewhere(name: str) -> bool:
    """Whether another thread (its own database connection) is refused the job."""
    answer = {}

    def attempt():
        try:
            with single_instance(name) as mine:
                answer["mine"] = mine
        finally:
            connection.close()

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join()
    return not answer["mine"]


def test_a_second_holder_is_refused_until_the_first_lets_go():
    with single_instance("test-job") as first:
        assert first
        assert _held_elsewhere("test-job")
        assert not _held_elsewhere("another-job")
    assert not _held_elsewhere("test-job")
