import pytest

from relais.accounts.models import AgencyKind, Role
from relais.conftest import make_agency, make_user
from relais.family.demo import load_demo_family
from relais.family.models import FamilyProceeding

pytestmark = pytest.mark.django_db


def test_the_demo_loader_records_two_decisions_once(cast, django_capture_on_commit_callbacks):
    cast.zone_a.code = "demo-t-police-zone"
    cast.zone_a.save(update_fields=["code"])
    court = make_agency("demo-t-family-court", AgencyKind.FAMILY_COURT, arrondissement="brussel")
    make_user("clerk_demo", court, Role.COURT_CLERK)
    with django_capture_on_commit_callbacks(execute=True):
        first = load_demo_family(key="t")
    assert first is not None and first.case == cast.case
    assert sorted(FamilyProceeding.objects.values_list("kind", flat=True)) == [
        "meeting_place_contact", "parallel_parenting"]
    assert load_demo_family(key="t") is None
