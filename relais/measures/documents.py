"""The residence-ban notice handed to the perpetrator (PDF, in French, Dutch or German).

It must never show where the victim is (domain brief §6). Its context is built here from the
ban alone and holds only: his name and birth date, the banned home(s) chosen in the order (he
knows them), the names of the persons he may not contact, the dates, the prosecutor's office,
the serving police zone and the law. No phone number, no other address, no confidential
address, no shelter, no safe-contact instruction, no note on where he will stay: none of these
is even passed to the template.

The body text is written in three small templates (``notice_fr.html``, ``notice_nl.html``,
``notice_de.html``) rather than through translation catalogues: the legal wording is checked
per language, and the German catalogue is only partial.
"""

from __future__ import annotations

from django.utils import timezone

from relais.core.actor import Actor
from relais.core.pdf import render_pdf
from relais.measures.rules import ban_rules
from relais.measures.selectors import ban_for_notice

NOTICE_LANGUAGES = [("fr", "Français"), ("nl", "Nederlands"), ("de", "Deutsch")]
NOTICE_CODES = [code for code, _name in NOTICE_LANGUAGES]
TEMPLATES = {code: f"measures/notice/notice_{code}.html" for code in NOTICE_CODES}


def notice_language(requested: str | None, *, person_language: str = "") -> str:
    """The language asked for, else his file's language when it is one of the three, else FR."""
    if requested in NOTICE_CODES:
        return requested
    return person_language if person_language in NOTICE_CODES else "fr"


def notice_context(ban, language: str) -> dict:
    """Everything the notice shows, and nothing else."""
    perpetrator = ban.perpetrator
    extension = ban.extensions.order_by("-recorded_at", "-pk").first()
    return {
        "perpetrator_name": f"{perpetrator.first_name} {perpetrator.last_name}",
        "perpetrator_birth_date": perpetrator.birth_date,
        "homes": [address.text(language) for address in ban.addresses.order_by("pk")],
        "protected_names": [f"{p.first_name} {p.last_name}"
                            for p in ban.protected_persons.order_by("pk")],
        "starts_at": timezone.localtime(ban.starts_at),
        "ends_at": timezone.localtime(ban.ends_at),
        "ordered_ends_at": timezone.localtime(ban.ordered_ends_at),
        "extended": ban.ends_at > ban.ordered_ends_at,
        "extension_court": extension.court if extension else "",
        "extension_decided_on": extension.decided_on if extension else None,
        "office_name": ban.ordered_by_agency.name,
        "office_phone": ban.ordered_by_agency.phone,
        "zone_name": ban.serving_agency.name,
        "case_reference": ban.case.reference,
        "law": ban_rules().law_in(language),
        "printed_at": timezone.localtime(),
    }


def notice_render(*, actor: Actor, ban_id: int, language: str) -> tuple[bytes, str]:
    """The notice as a PDF and a file name without personal data (audited read)."""
    if language not in NOTICE_CODES:
        language = "fr"
    ban = ban_for_notice(actor=actor, ban_id=ban_id, language=language)
    pdf = render_pdf(TEMPLATES[language], notice_context(ban, language), language=language)
    return pdf, f"{ban.case.reference}-residence-ban-{language}.pdf"
