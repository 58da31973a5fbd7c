import pytest

from relais.accounts.models import AgencyKind
from relais.measures.demo import load_demo_measures
from relais.measures.models import BanStatus, Detention, DetentionStatus
from relais.measures.tests.factories import forwarded

pytestmark = pytest.mark.django_db


def test_the_demo_loader_makes_a_ban_in_force_and_a_release_pending_once(cast):
    forwarded(cast)
    agencies = {AgencyKind.POLICE_ZONE: cast.zone_a, AgencyKind.PROSECUTOR: cast.prosecutor}
    ban = load_demo_measures(agencies=agencies)
    assert ban is not None and ban.status == BanStatus.IN_FORCE
    assert ban.breaches.count() == 1 and ban.perpetrator_stays_at
    detention = Detention.objects.get(case=cast.case)
    assert detention.status == DetentionStatus.DETAINED and detention.expected_release_on
    assert load_demo_measures(agencies=agencies) is None
