"""The programme never sees the victim's contact details or whereabouts — not even on a case
referred to it with every scope, and not through its own screens."""

from __future__ import annotations

from django.urls import reverse

from relais.access.scopes import Scope
from relais.conftest import JUDICIAL_NOTE, VICTIM_PHONE, VICTIM_STREET, actor, verified_client
from relais.followup.tests.factories import record_report
from relais.programmes import services
from relais.programmes.models import FileStatus, Route
from relais.programmes.tests.factories import (
    days_ago,
    group_of,
    in_group,
    judicial_mandate,
    refer_perpetrator,
    start,
)

FULL_SCOPES = (Scope.CONTACT, Scope.JUDICIAL, Scope.HEALTH, Scope.CONFIDENTIAL_LOCATION)


def victim_traces() -> list[str]:
    digits = VICTIM_PHONE.removeprefix("+32")
    return [VICTIM_PHONE, "+32 470 12 34 56", "470 12 34 56", "0" + digits, digits,
            VICTIM_STREET, "Rue du Test", "Tigrinya", "Alice", "Exemple", JUDICIAL_NOTE]


def test_the_programmes_screens_never_show_the_victim(cast, directory):
    record_report(cast, perpetrator_id=cast.perpetrator_id)
    referral = refer_perpetrator(cast, directory, basis="consent", scopes=FULL_SCOPES)
    client = verified_client(cast.counsellor)
    pages = [client.get(reverse("programmes:files") + "?tab=referrals"),
             client.get(reverse("programmes:file_from_referral", args=[referral.pk]))]
    file = services.file_open_from_referral(
        actor=actor(cast.counsellor), referral_id=referral.pk,
        mandate=judicial_mandate(cast), requested_on=days_ago(40))
    start(cast, file)
    group = group_of(cast)
    in_group(cast, file, group)
    for url in (reverse("programmes:files"), reverse("programmes:files") + "?tab=waiting",
                reverse("programmes:files") + "?tab=closed", reverse("programmes:groups"),
                reverse("programmes:file", args=[file.pk]),
                reverse("programmes:activity_new", args=[file.pk]),
                reverse("programmes:file_substances", args=[file.pk]),
                reverse("programmes:group", args=[group.pk]),
                reverse("cases:case_detail", args=[cast.case.pk])):
        pages.append(client.get(url))
    for response in pages:
        assert response.status_code == 200, response.request["PATH_INFO"]
        page = response.content.decode()
        for trace in victim_traces():
            if trace in ("Alice", "Exemple", JUDICIAL_NOTE) and \
                    response.request["PATH_INFO"].startswith("/cases/"):
                # The case page names the persons of the case (identity) and shows the
                # judicial narrative the referrer chose to share; never how to reach her.
                continue
            assert trace not in page, (response.request["PATH_INFO"], trace)
    file_page = pages[4 + 2].content.decode()
    assert "Bruno Fictif" in file_page  # the participant
    assert "+32 470 65 43 21" in file_page  # how to reach him, shared by the referral
    assert "Physical, Psychological" in file_page  # the judicial facts it needs
    assert "1050" not in file_page and "Ixelles" not in file_page  # not the place of the facts


def test_the_programmes_status_notices_carry_no_victim_data(cast, directory):
    record_report(cast, perpetrator_id=cast.perpetrator_id)
    referral = refer_perpetrator(cast, directory, basis="consent", scopes=FULL_SCOPES)
    file = services.file_open_from_referral(
        actor=actor(cast.counsellor), referral_id=referral.pk,
        mandate=services.Mandate(route=Route.JUDICIAL, judicial_measure="probation",
                                 prosecutor_office_id=cast.prosecutor.pk,
                                 house_of_justice_id=cast.house_of_justice.pk))
    change = services.file_change_status(actor=actor(cast.counsellor), file_id=file.pk,
                                         status=FileStatus.PREPARATORY)
    stored = repr(change.reported_to) + repr(change.not_reported) + change.note
    for trace in victim_traces():
        assert trace not in stored
