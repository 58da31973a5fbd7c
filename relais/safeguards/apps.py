from django.apps import AppConfig


class SafeguardsConfig(AppConfig):
    name = "relais.safeguards"
    label = "safeguards"
    verbose_name = "Safeguards (migrant victims, hospitals)"

    def ready(self) -> None:
        from functools import partial

        from django.utils.translation import gettext_lazy as _

        from relais.cases.panels import register_panel
        from relais.cases.timeline import register_kind
        from relais.core.questions import Question, register_question
        from relais.followup.notes import register_note
        from relais.safeguards import selectors, services
        from relais.safeguards.models import RecordedVia, ResidencePermit
        from relais.safeguards.rules import residence_rules

        residence_rules()  # a broken rules file stops the start, naming file and line
        register_kind("residence_recorded", _("Residence depending on the partner recorded"))

        def permit_params(params: dict) -> dict:
            labels = dict(ResidencePermit.choices)
            return {**params, "permit": str(labels.get(params.get("permit"), ""))}

        register_note("residence_apply", _(
            "Her residence depends on the partner (%(permit)s). Help her ask the Immigration "
            "Office to keep her right of residence by %(apply_by)s, with proof of the "
            "violence (see the documents on the case page), and offer a specialised legal "
            "service."), params=permit_params)
        register_panel("safeguards", order=37, template="safeguards/_case_panel.html",
                       context=selectors.case_panel, rows=selectors.case_panel_rows,
                       label=_("Safeguards"))

        # The intake and the referral ask her permit too (relais.core.questions): an answer
        # records it as from the case page, in their transaction.
        for place, via in (("intake.report", RecordedVia.INTAKE),
                           ("referrals.referral", RecordedVia.REFERRAL)):
            register_question(place, Question(
                name="residence_permit", section=_("Her residence"),
                label=_("Does her residence permit depend on the partner?"),
                help_text=_("Card A or F through family reunification, or a family "
                            "reunification applied for: leaving the partner can cost her the "
                            "permit. Answer only if you know."),
                choices=lambda: list(ResidencePermit.choices),
                asks=selectors.residence_asked,
                record=partial(services.residence_answered, via=via),
                recorded=_("Her residence that depends on the partner is recorded: the case "
                           "page's Safeguards section shows the date to apply to the "
                           "Immigration Office and the legal services to offer; a task to "
                           "help her apply is in the follow-up.")))

        # What keeps a case from deletion (relais.cases.deletion).
        from relais.cases.deletion import register_deletion_blocker
        from relais.safeguards.models import HospitalAlert

        register_deletion_blocker("safeguards_hospital", _("A health service was alerted."),
                                  lambda case: HospitalAlert.objects.filter(case=case))
