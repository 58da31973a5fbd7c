"""The documents printed from a police record, in the victim's language (FR / NL / EN / DE).

Each document gets only what it needs (data minimisation):
- the injured-party declaration: the victim's identity, the case, the record and the offices;
  nothing about the perpetrator, and no address (she writes the address where post is safe);
- the flyer "Your journey in 4 steps": no personal data at all, the zone's numbers, the
  helplines, a QR code to the public service finder, and the zone's code and QR code for the
  anonymous feedback form (the same on every flyer of the zone: it never names the case);
- the report in the five-section template: for the police and the prosecutor's office; it
  names the persons but shows no address or phone number of anyone.
"""

from __future__ import annotations

from django.utils import timezone

from relais.accounts.models import Agency, AgencyKind
from relais.cases.models import Person
from relais.core.links import public_url
from relais.core.pdf import qr_data_uri, render_pdf
from relais.feedback.selectors import entry_url, form_url
from relais.feedback.services import feedback_code_get_or_create
from relais.intake.selectors import ReportView

LANGUAGES = [("fr", "Français"), ("nl", "Nederlands"), ("en", "English"), ("de", "Deutsch")]
LANGUAGE_CODES = [code for code, _name in LANGUAGES]
DOCUMENTS = {
    "declaration": "intake/documents/declaration.html",
    "flyer": "intake/documents/flyer.html",
    "report": "intake/documents/report.html",
}
# The public service finder (built by the directory work); the flyer's QR code points there.
PUBLIC_FINDER_PATH = "/help/"
HELPLINES = [
    ("112", "emergency"), ("0800 30 030", "fr"), ("1712", "nl"),
]


def victim_language(person: Person) -> str:
    """The language of her file, else the first document language she speaks, else French."""
    if person.file_language in LANGUAGE_CODES:
        return person.file_language
    for code in person.languages or []:
        if code in LANGUAGE_CODES:
            return code
    return "fr"


def document_language(requested: str | None, fallback: str) -> str:
    if requested in LANGUAGE_CODES:
        return requested
    return fallback if fallback in LANGUAGE_CODES else "fr"


def public_finder_url() -> str:
    return public_url(PUBLIC_FINDER_PATH)


def feedback_context(zone: Agency) -> dict:
    """The zone's feedback code and the QR code of its form: from the zone alone."""
    if zone.kind != AgencyKind.POLICE_ZONE:  # not access: only a zone's flyer
        return {}
    code = feedback_code_get_or_create(zone=zone).code
    return {"feedback_code": code, "feedback_entry_url": entry_url(),
            "feedback_qr": qr_data_uri(form_url(code))}


def _context(document: str, view: ReportView) -> dict:
    report = view.report
    common = {"zone": report.agency, "sapv_phone": view.victim_assistance_phone,
              "printed_at": timezone.localtime()}
    if document == "flyer":
        url = public_finder_url()
        return {**common, "finder_url": url, "qr": qr_data_uri(url),
                **feedback_context(report.agency)}
    if document == "declaration":
        return {**common, "case_reference": report.case.reference, "victim": report.victim,
                "pv_number": report.pv_number, "offence_at": report.offence_at,
                "place": view.place, "prosecutor": report.forwarded_to}
    return {**common, "report": report, "place": view.place, "view": view}


def render(document: str, *, view: ReportView, language: str) -> tuple[bytes, str]:
    """The PDF and a file name without personal data."""
    pdf = render_pdf(DOCUMENTS[document], _context(document, view), language=language)
    return pdf, f"{view.report.case.reference}-{document}-{language}.pdf"
