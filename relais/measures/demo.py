"""Demo measures for one network of the demo (called by ``seed_demo``), through the services.

On the network's case forwarded to its prosecutor's office (the couple of case 1): a residence
ban ordered the night of the report, two days ago, and served within the hour, with a note on
where he stays; a breach yesterday; then an arrest warrant, with his release expected in three
days (a release pending: recording it warns the zone). Idempotent: nothing is added once the
zone has a ban.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from relais.access.models import Share, ShareKind, active_share_q
from relais.accounts.models import Agency, AgencyKind, Role, User
from relais.cases.models import Address, CaseParticipant, ParticipantRole, TimelineEntry
from relais.core.actor import Actor
from relais.followup.models import Task, TaskKind
from relais.followup.rules import later_same_clock
from relais.measures import services
from relais.measures.models import BreachKind, DetentionKind, ResidenceBan
from relais.measures.rules import ban_rules
from relais.risk.models import RiskAssessment

TEXTS = {
    "fr": {"grounds": "Démonstration fictive. Menaces de mort répétées ; strangulation lors de "
                      "l'intervention ; il refuse de quitter le logement.",
           "stays": "Chez un ami, hors de la commune (démo fictive)",
           "breach": "Démo fictive : vu devant la porte par une voisine.",
           "place": "Prison de démonstration"},
    "nl": {"grounds": "Fictieve demo. Herhaalde doodsbedreigingen; wurging tijdens de "
                      "interventie; hij weigert de woning te verlaten.",
           "stays": "Bij een vriend, buiten de gemeente (fictieve demo)",
           "breach": "Fictieve demo: door een buurvrouw aan de deur gezien.",
           "place": "Demogevangenis"},
}


def _staff(agency: Agency, role: str) -> Actor | None:
    user = (User.objects.filter(agency=agency, is_active=True, roles__role=role)
            .order_by("pk").first())
    return Actor.for_user(user, channel="demo") if user else None


def load_demo_measures(*, agencies: dict[str, Agency]) -> ResidenceBan | None:
    """``agencies``: the network's agencies by AgencyKind (as ``seed_demo`` builds them); it
    needs the police zone (with an intervention officer) and the prosecutor's office (with a
    legal advisor and a magistrate), and the zone's case forwarded to that office with a
    victim at a non-confidential address. Returns the ban made, or None."""
    zone = agencies[AgencyKind.POLICE_ZONE]
    prosecutor = agencies[AgencyKind.PROSECUTOR]
    if ResidenceBan.objects.filter(case__owner_agency=zone).exists():
        return None
    police = _staff(zone, Role.INTERVENTION_OFFICER)
    advisor = _staff(prosecutor, Role.LEGAL_ADVISOR)
    magistrate = _staff(prosecutor, Role.MAGISTRATE) or advisor
    if police is None or advisor is None:
        return None
    forwarded = (Share.objects.filter(active_share_q(), recipient_agency=prosecutor,
                                      kind=ShareKind.JUDICIAL_FORWARDING,
                                      case__owner_agency=zone)
                 .order_by("case_id").values_list("case_id", flat=True))
    for case_id in forwarded:
        roles = dict(CaseParticipant.objects.filter(case_id=case_id)
                     .values_list("person_id", "role"))
        victims = [pk for pk, role in roles.items() if role == ParticipantRole.VICTIM]
        perpetrators = [pk for pk, role in roles.items()
                        if role == ParticipantRole.ALLEGED_PERPETRATOR]
        home = Address.objects.filter(person_id__in=victims, confidential=False,
                                      current=True).order_by("pk").first()
        if home and perpetrators:
            return _build(case_id=case_id, roles=roles, perpetrator=perpetrators[0],
                          home=home, police=police, advisor=advisor, magistrate=magistrate,
                          text=TEXTS.get(zone.languages[0] if zone.languages else "fr",
                                         TEXTS["fr"]))
    return None


def _build(*, case_id: int, roles: dict[int, str], perpetrator: int, home: Address,
           police: Actor, advisor: Actor, magistrate: Actor, text: dict[str, str]) -> ResidenceBan:
    now = timezone.now().replace(second=0, microsecond=0)
    start = now - timedelta(days=2)
    protected = [pk for pk, role in roles.items()
                 if role in (ParticipantRole.VICTIM, ParticipantRole.CHILD)]
    conditions = sorted(ban_rules().required_codes) + ["heard"]
    if RiskAssessment.objects.filter(case_id=case_id, instrument_code__in=[
            code for c in ban_rules().conditions if c.code == "risk_assessed"
            for code in c.supported_by]).exists():
        conditions.append("risk_assessed")
    ban = services.ban_order(
        actor=advisor, case_id=case_id, perpetrator_id=perpetrator, protected_ids=protected,
        address_ids=[home.pk], conditions=conditions,
        starts_at=start, ends_at=later_same_clock(start, days=ban_rules().max_days),
        grounds=text["grounds"]).ban
    # Ordered that night, just before it starts (the demo is loaded later).
    ordered_at = start - timedelta(minutes=30)
    ResidenceBan.objects.filter(pk=ban.pk).update(ordered_at=ordered_at)
    TimelineEntry.objects.filter(source_type=ban._meta.label_lower, source_id=str(ban.pk),
                                 kind="ban_ordered").update(occurred_at=ordered_at)
    services.ban_serve(actor=police, ban_id=ban.pk, served_at=start + timedelta(hours=1))
    Task.objects.filter(source_type=ban._meta.label_lower, source_id=str(ban.pk),
                        kind=TaskKind.BAN_NOTIFY).update(due_at=ordered_at,
                                                         completed_at=start + timedelta(hours=1))
    services.ban_set_stay(actor=police, ban_id=ban.pk, perpetrator_stays_at=text["stays"])
    services.breach_record(actor=police, ban_id=ban.pk, occurred_at=now - timedelta(days=1),
                           what=BreachKind.ENTERED_HOME, note=text["breach"])
    services.detention_record(
        actor=magistrate, case_id=case_id, person_id=perpetrator,
        kind=DetentionKind.ARREST_WARRANT, since=now - timedelta(hours=20), place=text["place"],
        expected_release_on=timezone.localdate() + timedelta(days=3),
        conditions=["no_contact", "no_entry"])
    ban.refresh_from_db()
    return ban
