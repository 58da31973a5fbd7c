"""Load the demo: three fictitious response networks (Brussels, Liège, Gent) and a dozen cases.

Idempotent: agencies and accounts are created only when missing, and a zone's cases only when
its police zone has none, so a second run keeps whatever users changed. Refused when DEBUG is
off: demo accounts share a published password and second-factor secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import belgica
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from relais.access import services as access_services
from relais.access.models import ConsentMethod
from relais.access.scopes import Scope
from relais.accounts.models import (
    Agency,
    AgencyKind,
    JurisdictionMunicipality,
    Role,
    Unit,
    UnitKind,
    User,
)
from relais.accounts.services import totp_device_with_secret, user_create
from relais.alarms.demo import load_demo_alarms
from relais.cases import services as case_services
from relais.cases.models import Case, ParticipantRole, TimelineEntry
from relais.consultation.demo import load_demo_consultation
from relais.core.actor import Actor
from relais.core.synthetic import fictitious_national_number
from relais.crisis.demo import load_demo_crisis
from relais.directory.demo import load_demo, load_demo_eupen
from relais.directory.models import Service, ServiceType
from relais.directory.places import postcode_of
from relais.directory.reference import reference_load
from relais.family.demo import load_demo_family
from relais.family.models import first_instance_court
from relais.feedback.demo import load_demo_feedback
from relais.femicide.demo import load_demo_femicide
from relais.figures.demo import load_demo_series
from relais.figures.demo_year import seed_year_of_figures
from relais.figures.models import Series
from relais.followup import services as followup_services
from relais.followup.demo import load_demo_policy, make_one_task_late
from relais.followup.models import ContactAttempt, Task, TaskKind, TaskStatus, ZonePolicy
from relais.helpline.demo import load_demo_calls
from relais.intake import services as intake_services
from relais.intake.examples import checklist_answers, grid_answers, report_arguments
from relais.justice.demo import backdate_forwarding, load_demo_justice
from relais.measures.demo import load_demo_measures
from relais.programmes.demo import load_demo_programmes
from relais.redlist.demo import load_demo_redlist
from relais.referrals.models import ReferralBasis, ReferralStatus
from relais.referrals.services import referral_advance, referral_create
from relais.risk import services as risk_services
from relais.risk.models import RiskAssessment


@dataclass(frozen=True)
class Network:
    key: str  # prefix of codes and user names
    label: str
    language: str
    arrondissement: str
    house_of_justice: str  # belgica id
    municipalities: tuple[str, ...]
    centre: tuple[float, float]  # where the demo services are put on the map


NETWORKS = (
    Network("bxl", "Bruxelles", "fr", "brussel", "maison-justice-bruxelles", ("21009", "21015"),
            (50.8270, 4.3720)),
    Network("lg", "Liège", "fr", "liege", "maison-justice-liege", ("62063", "62096"),
            (50.6330, 5.5680)),
    Network("gt", "Gent", "nl", "oost-vlaanderen", "justitiehuis-gent", ("44021", "44085"),
            (51.0500, 3.7250)),
)

NAMES = {
    "fr": {
        AgencyKind.POLICE_ZONE: "Zone de police Démo {label}",
        AgencyKind.PROSECUTOR: "Parquet Démo {label}",
        AgencyKind.VICTIM_SUPPORT: "Service d'aide aux victimes Démo {label}",
        AgencyKind.SHELTER: "Refuge Démo {label}",
        AgencyKind.SEXUAL_VIOLENCE_CENTRE: "CPVS Démo {label}",
        AgencyKind.CPAS: "CPAS Démo {label}",
        AgencyKind.YOUTH_AID: "SAJ Démo {label}",
        AgencyKind.HEALTH: "Maison médicale Démo {label}",
        AgencyKind.PERPETRATOR_PROGRAMME: "Programme auteurs Démo {label}",
        AgencyKind.HELPLINE: "Ligne d'écoute Démo {label}",
        AgencyKind.PLATFORM: "Plateforme VIF Démo {label}",
        AgencyKind.MUNICIPALITY: "Commune Démo {label}",
        AgencyKind.FAMILY_COURT: "Tribunal de la famille Démo {label}",
        AgencyKind.YOUTH_COURT: "Tribunal de la jeunesse Démo {label}",
    },
    "nl": {
        AgencyKind.POLICE_ZONE: "Politiezone Demo {label}",
        AgencyKind.PROSECUTOR: "Parket Demo {label}",
        AgencyKind.VICTIM_SUPPORT: "CAW Slachtofferhulp Demo {label}",
        AgencyKind.SHELTER: "Vluchthuis Demo {label}",
        AgencyKind.SEXUAL_VIOLENCE_CENTRE: "ZSG Demo {label}",
        AgencyKind.CPAS: "OCMW Demo {label}",
        AgencyKind.YOUTH_AID: "Jeugdhulp Demo {label}",
        AgencyKind.HEALTH: "Wijkgezondheidscentrum Demo {label}",
        AgencyKind.PERPETRATOR_PROGRAMME: "Daderhulp Demo {label}",
        AgencyKind.HELPLINE: "Hulplijn Demo {label}",
        AgencyKind.PLATFORM: "Platform IFG Demo {label}",
        AgencyKind.MUNICIPALITY: "Gemeente Demo {label}",
        AgencyKind.FAMILY_COURT: "Familierechtbank Demo {label}",
        AgencyKind.YOUTH_COURT: "Jeugdrechtbank Demo {label}",
    },
}

# (user-name suffix, agency kind, roles, first name, last name)
STAFF = (
    ("intervention", AgencyKind.POLICE_ZONE, [Role.INTERVENTION_OFFICER], "Inès", "Intervention"),
    ("reception", AgencyKind.POLICE_ZONE, [Role.RECEPTION_OFFICER], "Rémi", "Accueil"),
    ("neighbourhood", AgencyKind.POLICE_ZONE, [Role.NEIGHBOURHOOD_OFFICER], "Nadia", "Quartier"),
    ("reference", AgencyKind.POLICE_ZONE, [Role.IPV_REFERENCE_OFFICER], "Rita", "Référente"),
    ("sapv", AgencyKind.POLICE_ZONE, [Role.VICTIM_ASSISTANCE_WORKER], "Sophie", "Assistance"),
    ("eva", AgencyKind.POLICE_ZONE, [Role.EVA_OFFICER], "Eva", "Urgence"),
    ("dispatch", AgencyKind.POLICE_ZONE, [Role.DISPATCHER], "Dimitri", "Dispatch"),
    ("analyst", AgencyKind.POLICE_ZONE, [Role.ANALYST], "Anouk", "Chiffres"),
    ("admin", AgencyKind.POLICE_ZONE, [Role.ADMINISTRATOR], "Adam", "Gestion"),
    ("magistrate", AgencyKind.PROSECUTOR, [Role.MAGISTRATE], "Marc", "Magistrat"),
    ("legal", AgencyKind.PROSECUTOR, [Role.LEGAL_ADVISOR], "Laure", "Juriste"),
    ("justice", AgencyKind.HOUSE_OF_JUSTICE, [Role.JUSTICE_ASSISTANT], "Jules", "Justice"),
    ("support", AgencyKind.VICTIM_SUPPORT, [Role.SUPPORT_WORKER], "Sarah", "Soutien"),
    ("shelter", AgencyKind.SHELTER, [Role.SHELTER_WORKER], "Hélène", "Refuge"),
    ("cpvs", AgencyKind.SEXUAL_VIOLENCE_CENTRE, [Role.SUPPORT_WORKER], "Camille", "Soins"),
    ("cpas", AgencyKind.CPAS, [Role.SUPPORT_WORKER], "Paul", "Social"),
    ("youth", AgencyKind.YOUTH_AID, [Role.SUPPORT_WORKER], "Yasmine", "Jeunesse"),
    ("health", AgencyKind.HEALTH, [Role.SUPPORT_WORKER], "Hugo", "Santé"),
    ("programme", AgencyKind.PERPETRATOR_PROGRAMME, [Role.PROGRAMME_COUNSELLOR], "Pierre",
     "Programme"),
    ("helpline", AgencyKind.HELPLINE, [Role.HELPLINE_OPERATOR, Role.ANALYST], "Lina", "Écoute"),
    ("platform", AgencyKind.PLATFORM, [Role.PLATFORM_COORDINATOR], "Paula", "Plateforme"),
    ("municipality", AgencyKind.MUNICIPALITY, [Role.ADMINISTRATOR], "Marie", "Commune"),
    ("directory", AgencyKind.PLATFORM, [Role.DIRECTORY_EDITOR], "Denis", "Répertoire"),
    ("family", AgencyKind.FAMILY_COURT, [Role.COURT_CLERK], "Fanny", "Greffe"),
    ("youthcourt", AgencyKind.YOUTH_COURT, [Role.MAGISTRATE], "Yves", "Juge"),
    # The zone's second administrator: a second-factor reset asked by one administrator is
    # confirmed by the other (docs/agency-administration.md).
    ("admin2", AgencyKind.POLICE_ZONE, [Role.ADMINISTRATOR], "Alix", "Gestion"),
)


def _house_of_justice_name(belgica_id: str) -> str:
    record = belgica.get_house_of_justice(belgica_id)
    names = record["name"]
    return names.get("fr") or names.get("nl")


class Command(BaseCommand):
    help = "Load the fictitious demo data (idempotent; refused when DEBUG is off)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("The demo data can only be loaded with RELAIS_DEBUG=1.")
        created_accounts = 0
        built: dict[str, Case] = {}
        with transaction.atomic():
            reference_load()
            load_demo_eupen()
            for network in NETWORKS:
                agencies = self._agencies(network)
                created_accounts += self._staff(network, agencies)
                load_demo(key=network.key, label=network.label, language=network.language,
                          municipalities=network.municipalities, centre=network.centre,
                          agencies=agencies)
                zone = agencies[AgencyKind.POLICE_ZONE]
                load_demo_feedback(zone)
                if not Case.objects.filter(owner_agency=zone).exists():
                    load_demo_policy(zone=zone, key=network.key,
                                     postcodes=[postcode_of(r) for r in network.municipalities])
                    built[network.key] = DemoCases(network, agencies).build()
                    make_one_task_late(zone=zone)
                    self._justice(network, agencies)
                load_demo_consultation(key=network.key, language=network.language,
                                       area=network.arrondissement, agencies=agencies)
                if network.key == "bxl":  # the helpline's calls, in one network
                    load_demo_calls(agency=agencies[AgencyKind.HELPLINE],
                                    operator=User.objects.get(username="bxl.helpline"),
                                    referral=Service.objects.filter(
                                        agency=agencies[AgencyKind.VICTIM_SUPPORT]).first())
                load_demo_femicide(key=network.key, language=network.language)
            created_accounts += self._observatory()
            load_demo_crisis()  # floods declared in Liège (docs/crisis.md)
            if not Series.objects.exists():  # one partner series of each kind (docs/figures.md)
                load_demo_series(actor=Actor.for_user(User.objects.get(username="obs.analyst"),
                                                      channel="demo"))
            # Break-glass from the next network's intervention officer, waiting for review.
            keys = [network.key for network in NETWORKS]
            for index, key in enumerate(keys):
                if key in built:
                    other = User.objects.get(username=f"{keys[index - 1]}.intervention")
                    language = next(n.language for n in NETWORKS if n.key == keys[index - 1])
                    access_services.break_glass_open(
                        actor=Actor.for_user(other, channel="demo"),
                        case_reference=built[key].reference,
                        justification=TEXTS[language]["break_glass"])
            # A year of reports, entries and programme files behind the figures (bulk).
            seed_year_of_figures(today=timezone.localdate())
            load_demo_redlist()  # an address and a number the Brussels dispatcher's look-up hits
            load_demo_family(key="bxl")  # a family court's record on a Brussels case
        self._print_accounts(created_accounts)

    # -- justice and protective measures (issue 6) ------------------------------------------
    def _justice(self, network: Network, agencies: dict[str, Agency]) -> None:
        """The office's tracking table, a residence ban and a release, a harassment alarm, a
        perpetrator programme with its waiting list."""
        def staff(suffix: str) -> User:
            return User.objects.get(username=f"{network.key}.{suffix}")

        load_demo_justice(agencies[AgencyKind.PROSECUTOR],
                          [staff("legal"), staff("magistrate")])
        load_demo_measures(agencies=agencies)
        load_demo_alarms(zone=agencies[AgencyKind.POLICE_ZONE], intervention=staff("intervention"),
                         reference=staff("reference"), magistrate=staff("magistrate"),
                         dispatcher=staff("dispatch"), location=network.centre)
        load_demo_programmes(programme=agencies[AgencyKind.PERPETRATOR_PROGRAMME],
                             counsellor=staff("programme"),
                             house_of_justice=agencies[AgencyKind.HOUSE_OF_JUSTICE],
                             justice_assistant=staff("justice"), legal_advisor=staff("legal"),
                             police=staff("intervention"))

    # -- agencies ---------------------------------------------------------------------------
    def _agencies(self, network: Network) -> dict[str, Agency]:
        names = NAMES[network.language]
        agencies: dict[str, Agency] = {}
        for kind in AgencyKind.values:
            if kind == AgencyKind.HOUSE_OF_JUSTICE:
                name = f"{_house_of_justice_name(network.house_of_justice)} (démo)"
            else:
                name = names[kind].format(label=network.label)
            agency, created = Agency.objects.get_or_create(
                code=f"demo-{network.key}-{kind.replace('_', '-')}",
                defaults={
                    "name": name, "kind": kind, "languages": [network.language],
                    "is_demo": True,
                    "arrondissement": network.arrondissement
                    if kind in (AgencyKind.PROSECUTOR, AgencyKind.HOUSE_OF_JUSTICE,
                                AgencyKind.FAMILY_COURT, AgencyKind.YOUTH_COURT) else "",
                    "belgica_id": network.house_of_justice
                    if kind == AgencyKind.HOUSE_OF_JUSTICE
                    else first_instance_court(network.arrondissement, network.language)
                    if kind in (AgencyKind.FAMILY_COURT, AgencyKind.YOUTH_COURT) else "",
                },
            )
            if created:
                for refnis in network.municipalities:
                    JurisdictionMunicipality.objects.create(agency=agency, refnis=refnis)
                if kind == AgencyKind.POLICE_ZONE:
                    agency.phone = "02 000 00 00 (demo)"
                    agency.save(update_fields=["phone"])
                    Unit.objects.create(agency=agency, kind=UnitKind.VICTIM_ASSISTANCE,
                                        name="SAPV / DS", phone="02 000 00 01 (demo)")
                    Unit.objects.create(agency=agency, kind=UnitKind.EVA, name="EVA")
            agencies[kind] = agency
        return agencies

    def _staff(self, network: Network, agencies: dict[str, Agency]) -> int:
        created = 0
        for suffix, kind, roles, first, last in STAFF:
            username = f"{network.key}.{suffix}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(username=username, agency=agencies[kind], roles=roles,
                                   password=settings.DEMO_PASSWORD, first_name=first,
                                   last_name=f"{last} ({network.label})",
                                   email=f"{username}@demo.invalid")
                if suffix in ("sapv", "eva"):
                    wanted = UnitKind.VICTIM_ASSISTANCE if suffix == "sapv" else UnitKind.EVA
                    user.unit = agencies[kind].units.filter(kind=wanted).first()
                    user.save(update_fields=["unit"])
                totp_device_with_secret(user=user, base32_secret=settings.DEMO_TOTP_SECRET)
                created += 1
        return created

    def _observatory(self) -> int:
        """A national observatory whose analyst sees the figures of the three networks, which lie
        in the three regions: the dashboard at national level (docs/figures.md)."""
        agency, created = Agency.objects.get_or_create(
            code="demo-observatory", defaults={
                "name": "Observatoire national Démo des violences (démo)",
                "kind": AgencyKind.PLATFORM, "languages": ["fr", "nl", "de"], "is_demo": True})
        if not created:
            return 0
        for network in NETWORKS:
            for refnis in network.municipalities:
                JurisdictionMunicipality.objects.create(agency=agency, refnis=refnis)
        user = user_create(username="obs.analyst", agency=agency, roles=[Role.ANALYST],
                           password=settings.DEMO_PASSWORD, first_name="Oscar",
                           last_name="Observatoire (démo)", email="obs.analyst@demo.invalid")
        totp_device_with_secret(user=user, base32_secret=settings.DEMO_TOTP_SECRET)
        return 1

    def _print_accounts(self, created: int) -> None:
        out = self.stdout.write
        out("")
        out(self.style.SUCCESS(f"Relais demo ready ({created} accounts created this run)."))
        out("Every demo account signs in with:")
        out(f"  password          {settings.DEMO_PASSWORD}")
        out(f"  TOTP secret       {settings.DEMO_TOTP_SECRET}   (add it to any authenticator "
            "app, or run ./dev manage demo_code)")
        out("Accounts: <network>.<role>, networks bxl (Brussels), lg (Liège), gt (Gent):")
        for suffix, kind, roles, _first, _last in STAFF:
            role_names = ", ".join(str(Role(r).label) for r in roles)
            out(f"  bxl.{suffix:<14} {role_names} — {AgencyKind(kind).label}")
        out("  obs.analyst        the national observatory's analyst (figures of all three)")
        out("Start with bxl.intervention (police), bxl.shelter, bxl.programme, bxl.reference.")
        out("The public service finder (no sign-in): /help/")


TEXTS = {
    "fr": {
        "note1": "Note de démonstration fictive. Intervention après l'appel d'un voisin ; rougeurs "
                 "visibles au cou ; elle déclare qu'il lui a serré la gorge. Enfant présent dans "
                 "la pièce voisine.",
        "shelter": "Hébergement d'urgence",
        "stalking": "Démonstration fictive. Depuis la séparation, il l'attend devant son travail "
                    "et lui envoie des dizaines de messages par jour.",
        "consultation": "Concertation haut risque : harcèlement après la séparation",
        "note4": "Note de démonstration fictive. Revisite par téléphone : elle confirme qu'il a "
                 "quitté le logement.",
        "break_glass": "Démo fictive : appel au 112 de la victime, qui se trouve dans notre zone ; "
                       "l'ex-partenaire est devant sa porte.",
        "hours": "lun–ven 9–12",
        "context": "Démonstration fictive. Dispute au sujet de l'argent, dans la cuisine, "
                   "vers 22 h.",
        "words": "Il a dit : « Si tu pars, je te retrouverai. »",
        "actions": "Il l'a saisie au cou avec une main ; rougeurs visibles au cou.",
        "children": "L'enfant (9 ans) était dans la pièce voisine et a entendu les cris.",
        "info_actions": "Il a crié et claqué la porte ; aucune trace de coups.",
        "threats": "Il a dit qu'il la tuerait si elle partait.",
        "history": "Deux appels de voisins cette année.",
        "override": "Démo fictive : il a annoncé qu'il viendrait chez elle ce soir ; elle ne "
                    "répond plus au téléphone.",
    },
    "nl": {
        "note1": "Fictieve demonotitie. Interventie na een oproep van een buurman; zichtbare "
                 "roodheid aan de hals; zij verklaart dat hij haar keel dichtkneep. Kind aanwezig "
                 "in de kamer ernaast.",
        "shelter": "Noodopvang",
        "stalking": "Fictieve demo. Sinds de scheiding wacht hij haar op aan haar werk en "
                    "stuurt hij haar tientallen berichten per dag.",
        "consultation": "Hoogrisico-overleg: stalking na de scheiding",
        "note4": "Fictieve demonotitie. Hercontact per telefoon: zij bevestigt dat hij de woning "
                 "heeft verlaten.",
        "break_glass": "Fictieve demo: 112-oproep van het slachtoffer, dat zich in onze zone "
                       "bevindt; de ex-partner staat voor haar deur.",
        "hours": "ma–vr 9–12",
        "context": "Fictieve demo. Ruzie over geld, in de keuken, rond 22 uur.",
        "words": "Hij zei: 'Als je weggaat, vind ik je.'",
        "actions": "Hij greep haar met één hand bij de hals; zichtbare roodheid aan de hals.",
        "children": "Het kind (9 jaar) was in de kamer ernaast en hoorde het geroep.",
        "info_actions": "Hij riep en sloeg de deur dicht; geen sporen van slagen.",
        "threats": "Hij zei dat hij haar zou doden als ze wegging.",
        "history": "Twee oproepen van buren dit jaar.",
        "override": "Fictieve demo: hij kondigde aan dat hij vanavond naar haar toe komt; zij "
                    "neemt de telefoon niet meer op.",
    },
}


class DemoCases:
    """A dozen cases per the three networks, built through the real services."""

    def __init__(self, network: Network, agencies: dict[str, Agency]) -> None:
        self.network = network
        self.agencies = agencies
        self.text = TEXTS[network.language]
        # Distinct fictitious national numbers across the networks.
        self.serial = 100 * [n.key for n in NETWORKS].index(network.key)

    def actor(self, suffix: str) -> Actor:
        return Actor.for_user(User.objects.get(username=f"{self.network.key}.{suffix}"),
                              channel="demo")

    def person(self, actor: Actor, case: Case, role: str, first: str, last: str,
               born: date, sex: str, languages: list[str]) -> int:
        self.serial += 1
        participant = case_services.person_add_to_case(
            actor=actor, case_id=case.pk, role=role, first_name=first, last_name=last,
            birth_date=born, sex=sex, languages=languages,
            file_language=self.network.language,
            national_number=fictitious_national_number(born, self.serial * 7),
        )
        return participant.person_id

    def build(self) -> Case:
        """Build the network's cases; returns the high-risk one (for break-glass)."""
        n = self.network
        police = self.actor("intervention")
        lang = [n.language]
        municipality = n.municipalities[0]

        # 1. A couple; full intake, forwarded to the prosecutor, shelter referral with consent.
        case1 = case_services.case_open(actor=police, situation="couple", municipality=municipality)
        victim = self.person(police, case1, ParticipantRole.VICTIM, "Alice", f"Exemple-{n.label}",
                             date(1988, 3, 14), "F", lang + ["en"])
        perpetrator = self.person(police, case1, ParticipantRole.ALLEGED_PERPETRATOR, "Bruno",
                                  f"Fictif-{n.label}", date(1985, 7, 2), "M", lang)
        self.person(police, case1, ParticipantRole.CHILD, "Chloé", f"Fictif-{n.label}",
                    date(2017, 9, 20), "F", lang)
        case_services.phone_add(actor=police, person_id=victim, number="+32 470 00 00 01",
                                label="GSM", safe=True)
        case_services.address_add(actor=police, person_id=victim, street="Rue de l'Exemple 1",
                                  postcode=self._postcode(municipality), municipality=municipality)
        case_services.safe_contact_set(actor=police, person_id=victim, channel="phone",
                                       hours=self.text["hours"],
                                       can_speak_freely="no",
                                       never=["leave_message", "send_letter_home"])
        case_services.need_add(actor=police, person_id=victim, kind="interpreter",
                               detail="English")
        case_services.note_add(actor=police, case_id=case1.pk, text=self.text["note1"])
        # The facts, two nights ago; the official report goes to the prosecutor's office that
        # night (the residence ban follows, see relais/measures/demo.py) and notifies the SAPV.
        facts_at = (timezone.now() - timedelta(days=2, hours=8)).replace(second=0, microsecond=0)
        report = intake_services.report_record(actor=police, case_id=case1.pk, **report_arguments(
            offence_at=facts_at, recorded_on=timezone.localdate(facts_at + timedelta(hours=3)),
            victim_id=victim, perpetrator_id=perpetrator, postcode=self._postcode(municipality),
            municipality=municipality, facts_context=self.text["context"],
            facts_words=self.text["words"], facts_actions=self.text["actions"],
            children_impact=self.text["children"], risk_weapons="",
            risk_threats=self.text["threats"], risk_history=self.text["history"],
            pv_number=f"{n.key.upper()}.00.L0.000001/2026",
            checklist=checklist_answers("no", children="yes", weapons_threats_substances="yes",
                                        escalation="yes")))
        grid = risk_services.assessment_record(
            actor=police, case_id=case1.pk, person_id=victim, instrument_code="police_grid",
            report_id=report.pk, answers=grid_answers(
                "police_grid", threats_to_kill="yes", strangulation="yes",
                recent_separation="yes", children_in_home="yes", weapons="unknown"))
        self._opened_at(case1, at=facts_at + timedelta(hours=2))
        backdate_forwarding(report, at=facts_at + timedelta(hours=3))
        RiskAssessment.objects.filter(pk=grid.pk).update(
            assessed_at=facts_at + timedelta(hours=3, minutes=30))
        # Emergency shelter, on her consent: a referral the shelter accepted.
        shelter = self.actor("shelter")
        shelter_service = Service.objects.filter(
            agency=self.agencies[AgencyKind.SHELTER], type=ServiceType.SHELTER).first()
        if shelter_service is not None:
            referral = referral_create(
                actor=police, case_id=case1.pk, person_id=victim, service_id=shelter_service.pk,
                basis=ReferralBasis.CONSENT, consent_method=ConsentMethod.ORAL_IN_PERSON,
                scopes=[Scope.CONTACT, Scope.HEALTH, Scope.CONFIDENTIAL_LOCATION],
                widened_because=self.text["shelter"], purpose=self.text["shelter"],
                confirm_mismatches=True)
            for step in (ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED):
                referral_advance(actor=shelter, referral_id=referral.pk, status=step)
        else:
            access_services.referral_share_grant(
                actor=police, case_id=case1.pk, person_id=victim,
                recipient_agency_id=self.agencies[AgencyKind.SHELTER].pk,
                scopes=[Scope.CONTACT, Scope.HEALTH, Scope.CONFIDENTIAL_LOCATION],
                method=ConsentMethod.ORAL_IN_PERSON, purpose=self.text["shelter"])
        case_services.address_add(actor=shelter, person_id=victim, street="Adresse confidentielle",
                                  postcode=self._postcode(n.municipalities[1]),
                                  municipality=n.municipalities[1], confidential=True)

        # 2. Ex-couple with stalking; case consultation with the platform and the programme.
        case2 = case_services.case_open(actor=police, situation="ex_couple",
                                        municipality=n.municipalities[1])
        v2 = self.person(police, case2, ParticipantRole.VICTIM, "Daphné", f"Voorbeeld-{n.label}",
                         date(1992, 11, 5), "F", lang)
        p2 = self.person(police, case2, ParticipantRole.ALLEGED_PERPETRATOR, "Emile",
                         f"Specimen-{n.label}", date(1990, 1, 30), "M", lang)
        case_services.phone_add(actor=police, person_id=v2, number="+32 470 00 00 02", safe=True)
        case_services.address_add(actor=police, person_id=v2, street="Avenue Fictive 22",
                                  postcode=self._postcode(n.municipalities[1]),
                                  municipality=n.municipalities[1])
        # Her complaint for stalking, five weeks ago: still waiting for the office's decision
        # (overdue in its tracking table); the victim-assistance contacts were made then.
        stalked_at = (timezone.now() - timedelta(days=38)).replace(second=0, microsecond=0)
        complaint = intake_services.report_record(
            actor=police, case_id=case2.pk, **report_arguments(
                offence_at=stalked_at, recorded_on=timezone.localdate(stalked_at),
                victim_id=v2, perpetrator_id=p2, postcode=self._postcode(n.municipalities[1]),
                municipality=n.municipalities[1], forms=["psychological", "stalking"],
                visible_injuries=False, facts_context=self.text["stalking"],
                facts_words=self.text["words"], facts_actions=self.text["stalking"],
                no_children_concerned=True, children_present="", children_impact="",
                risk_weapons="", risk_history=self.text["history"],
                pv_number=f"{n.key.upper()}.00.L0.000002/2026"))
        self._opened_at(case2, at=stalked_at + timedelta(days=1))
        backdate_forwarding(complaint, at=stalked_at + timedelta(days=1, hours=2))
        self._followed_up(complaint, at=stalked_at + timedelta(days=1, hours=5))
        access_services.consultation_open(
            actor=police, case_id=case2.pk,
            agency_ids=[self.agencies[AgencyKind.PLATFORM].pk,
                        self.agencies[AgencyKind.PERPETRATOR_PROGRAMME].pk,
                        self.agencies[AgencyKind.VICTIM_SUPPORT].pk],
            purpose=self.text["consultation"],
            ends_at=timezone.now() + timedelta(days=30),
            scopes=[Scope.JUDICIAL, Scope.CONTACT])
        # Tonight he announced he is coming and she no longer answers: the officer refers her
        # to victim support without her consent (imminent danger), which waits for the zone's
        # IPV reference officer (docs/approvals-and-closure.md).
        support = Service.objects.filter(agency=self.agencies[AgencyKind.VICTIM_SUPPORT]).first()
        if support is not None:
            referral_create(actor=police, case_id=case2.pk, person_id=v2, service_id=support.pk,
                            basis=ReferralBasis.IMMINENT_DANGER, basis_note=self.text["override"],
                            scopes=[Scope.CONTACT], confirm_mismatches=True)

        # 3. Family dispute, consent later withdrawn.
        case3 = case_services.case_open(actor=police, situation="household",
                                        municipality=municipality)
        v3 = self.person(police, case3, ParticipantRole.VICTIM, "Fatou", f"Modèle-{n.label}",
                         date(1979, 6, 12), "F", lang + ["wo"])
        self.person(police, case3, ParticipantRole.ALLEGED_PERPETRATOR, "Gilles",
                    f"Modèle-{n.label}", date(2001, 2, 3), "M", lang)
        intake_services.report_record(actor=police, case_id=case3.pk, **report_arguments(
            victim_id=v3, official=False, postcode=self._postcode(municipality),
            municipality=municipality, facts_context=self.text["context"],
            facts_words=self.text["words"], facts_actions=self.text["info_actions"],
            risk_weapons="", risk_history=self.text["history"],
            no_children_concerned=True, children_present="", children_impact=""))
        access_services.referral_share_grant(
            actor=police, case_id=case3.pk, person_id=v3,
            recipient_agency_id=self.agencies[AgencyKind.VICTIM_SUPPORT].pk,
            scopes=[Scope.CONTACT], method=ConsentMethod.PHONE)
        consent = case3.consents.first()
        access_services.consent_withdraw(actor=police, consent_id=consent.pk)

        # 4. Assigned to the neighbourhood officer; closed later.
        neighbourhood = self.actor("neighbourhood")
        case4 = case_services.case_open(actor=neighbourhood, situation="couple",
                                        municipality=municipality)
        self.person(neighbourhood, case4, ParticipantRole.VICTIM, "Hanne", f"Essai-{n.label}",
                    date(1995, 4, 23), "F", lang)
        self.person(neighbourhood, case4, ParticipantRole.ALLEGED_PERPETRATOR, "Ivan",
                    f"Essai-{n.label}", date(1994, 8, 8), "M", lang)
        case_services.note_add(actor=neighbourhood, case_id=case4.pk, text=self.text["note4"])
        case_services.case_close(actor=neighbourhood, case_id=case4.pk,
                                 reason="declined", acknowledged=True)

        return case2

    @staticmethod
    def _opened_at(case: Case, *, at) -> None:
        """A case opened when its story starts rather than when the demo was loaded (its
        first timeline entries with it)."""
        Case.objects.filter(pk=case.pk).update(opened_at=at)
        TimelineEntry.objects.filter(case=case, kind__in=("case_opened", "person_added",
                                                          "note_added")).update(occurred_at=at)

    def _followed_up(self, report, *, at) -> None:
        """The follow-up of an older report, done in its time: each open task it made is
        closed by whom it was for (the SAPV, the neighbourhood officer), the contacts at ``at``
        and the revisit on its day."""
        revisit_days = ZonePolicy.objects.get(agency=report.agency).revisit_delay_days
        for task in Task.objects.filter(source_type=report._meta.label_lower,
                                        source_id=str(report.pk), status=TaskStatus.OPEN):
            role = "neighbourhood" if task.for_role == Role.NEIGHBOURHOOD_OFFICER else "sapv"
            who = task.assignee or User.objects.get(username=f"{self.network.key}.{role}")
            done_at = (report.created_at + timedelta(days=revisit_days)
                       if task.kind == TaskKind.REVISIT else at)
            followup_services.task_record_contact(
                actor=Actor.for_user(who, channel="demo"), task_id=task.pk,
                could_speak_freely="yes", outcome="done")
            Task.objects.filter(pk=task.pk).update(due_at=done_at, completed_at=done_at)
            ContactAttempt.objects.filter(task=task).update(at=done_at)
            TimelineEntry.objects.filter(source_type=task._meta.label_lower,
                                         source_id=str(task.pk)).update(occurred_at=done_at)

    @staticmethod
    def _postcode(refnis: str) -> str:
        return postcode_of(refnis)
