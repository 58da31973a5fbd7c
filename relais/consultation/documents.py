"""The consultation's documents (PDF, in French, Dutch or German): a meeting's agenda, and each
agency's joint safety plan.

Each document is built from the consultation's selectors, which already hold the protocol:
- the agenda: each case with only the minimal identification the protocol allows the reader
  (``selectors.agenda``: names, birth dates, the children's birth years, the municipality; a
  perpetrator programme not even that), never an address;
- an agency's plan: the case reference, the body, the level agreed, the next review, what is
  done for the children (for those who may read it), and that agency's own actions only
  (``selectors.plan_pdf_actions``); never another agency's action, never a contribution, never
  an address. A coordinator may print any member's plan (``?agency=``).

Whoever the selectors refuse gets the same 404. The selectors audit the read; the download
adds its own event naming the document and its language, in the same transaction: a printed
copy leaves Relais.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation

from relais.access import consultation as policy
from relais.accounts.models import Agency
from relais.audit.models import Action as Audit
from relais.audit.services import audit_record
from relais.consultation import selectors
from relais.consultation.models import ActionKind, Level
from relais.core.actor import Actor, actor_from
from relais.core.pdf import pdf_response, render_pdf
from relais.followup.models import Priority

LANGUAGES = [("fr", "Français"), ("nl", "Nederlands"), ("de", "Deutsch")]
LANGUAGE_CODES = [code for code, _name in LANGUAGES]


def document_language(requested: str | None, reader: str | None) -> str:
    """The language asked for, else the reader's when it is one of the three, else French."""
    if requested in LANGUAGE_CODES:
        return requested
    reader = (reader or "")[:2]
    return reader if reader in LANGUAGE_CODES else "fr"


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


# --- The agenda ----------------------------------------------------------------------------------

def agenda_render(*, actor: Actor, meeting_id: int, language: str) -> tuple[bytes, str]:
    """A meeting's agenda as the reader may see it, and a file name without personal data."""
    with transaction.atomic(), translation.override(language):
        data = selectors.agenda(actor=actor, meeting_id=meeting_id)  # names in ``language``
        meeting = data["meeting"]
        audit_record(actor=actor, action=Audit.READ, target=meeting,
                     basis=f"consultation agenda PDF ({language})")
    pdf = render_pdf("consultation/pdf/agenda.html", {
        **data, "reader_agency": actor.agency,
        "starts_at": timezone.localtime(meeting.starts_at), "printed_at": timezone.localtime(),
    }, language=language)
    return pdf, f"consultation-agenda-{meeting.pk}-{language}.pdf"


@login_required
def agenda_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    language = document_language(request.GET.get("lang"), request.LANGUAGE_CODE)
    pdf, filename = agenda_render(actor=actor_from(request), meeting_id=meeting_id,
                                  language=language)
    return pdf_response(pdf, filename)


# --- An agency's plan ----------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanLine:
    """One action as the plan PDF prints it: its own agency's, so every detail."""

    kind: str
    detail: str
    owner: str
    due_on: object
    priority: str
    legal_basis: str


def _agency_of(data: dict, agency_id: int) -> Agency:
    """The agency whose plan is printed: a member of the body or its secretariat."""
    body = data["plan"].body
    if agency_id == body.agency_id:
        return body.agency
    for member in data["members"]:
        if member.agency_id == agency_id:
            return member.agency
    raise Http404


def plan_render(*, actor: Actor, plan_id: int, agency_id: int | None,
                language: str) -> tuple[bytes, str]:
    """One agency's plan: its own actions only (a coordinator chooses the agency; anyone else
    asking for another agency's gets the 404)."""
    with transaction.atomic(), translation.override(language):
        data = selectors.plan_pdf_actions(actor=actor, plan_id=plan_id, agency_id=agency_id)
        if agency_id is not None and data["agency_id"] != agency_id:
            raise Http404
        plan = data["plan"]
        agency = _agency_of(data, data["agency_id"])
        lines = [PlanLine(
            kind=_label(ActionKind, row.action.kind), detail=row.action.detail,
            owner=(row.action.owner.get_full_name() or row.action.owner.username)
            if row.action.owner else "",
            due_on=row.action.due_on, priority=_label(Priority, row.action.priority),
            legal_basis=row.action.legal_basis)
            for row in sorted(data["actions"], key=lambda r: (r.action.due_on, r.action.pk))]
        children = plan.children if policy.sees_plan_children(actor, plan) else None
        audit_record(actor=actor, action=Audit.READ, target=plan, case_id=plan.case_id,
                     basis=f"joint safety plan PDF of agency {agency.pk} ({language})")
        level = _label(Level, plan.level)
    pdf = render_pdf("consultation/pdf/plan.html", {
        "plan": plan, "body": plan.body, "case_reference": plan.case.reference,
        "agency": agency, "level": level, "children": children, "lines": lines,
        "printed_at": timezone.localtime(),
    }, language=language)
    return pdf, f"{plan.case.reference}-plan-{agency.code}-{language}.pdf"


@login_required
def plan_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    language = document_language(request.GET.get("lang"), request.LANGUAGE_CODE)
    wanted = request.GET.get("agency")
    if wanted is not None and not wanted.isdigit():
        raise Http404
    pdf, filename = plan_render(actor=actor_from(request), plan_id=plan_id,
                                agency_id=int(wanted) if wanted else None, language=language)
    return pdf_response(pdf, filename)
