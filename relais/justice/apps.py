from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "relais.justice"
    label = "justice"
    verbose_name = "Prosecution"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from relais.access import justice as justice_policy
        from relais.cases.measures import register_measures
        from relais.cases.panels import register_panel
        from relais.cases.timeline import register_kind
        from relais.core import hooks
        from relais.core.landing import register_landing
        from relais.core.nav import register_nav
        from relais.justice import (
            selectors,
            services,
            texts,  # noqa: F401  (the texts it writes, relais.core.texts)
        )
        from relais.notifications.models import register_notice_link

        hooks.register("report_forwarded", services.entry_receive)
        from relais.approvals.steps import register_handler
        from relais.justice.merge import MERGE_STEP, merge_approved

        register_handler(MERGE_STEP, merge_approved)
        register_kind("prosecution_decision", _("Decision of the prosecutor's office"))
        register_kind("cases_merged", _("Cases regrouped"))
        register_kind("cases_unmerged", _("Regrouping undone"))
        register_kind("merge_proposed", _("Merge with another agency's case proposed"))
        register_kind("merge_proposal_cancelled", _("Merge proposal cancelled"))
        register_kind("merge_proposal_declined", _("Merge proposal declined"))
        register_panel("merge_proposals", order=96, template="justice/_proposals_panel.html",
                       context=selectors.proposals_panel, rows=selectors.proposals_panel_rows,
                       label=_("Merge with another agency's case"))
        register_notice_link("justice.mergeproposal", "justice:proposal")
        register_panel("prosecution", order=15, template="justice/_case_panel.html",
                       context=selectors.case_panel,
                       rows=selectors.case_panel_rows,
                       label=_("Prosecution"))
        register_measures("prosecution", selectors.measures_provider)
        register_nav("prosecution", order=30, label=_("Prosecution"), url_name="justice:table",
                     app_name="justice", visible=justice_policy.may_see_sections,
                     badge=selectors.overdue_badge)
        register_landing("prosecution_table", url_name="justice:table")

        # What keeps a case from deletion (relais.cases.deletion).
        from django.db.models import Q

        from relais.cases.deletion import register_deletion_blocker
        from relais.justice.models import CaseMerge, Entry, MergeProposal

        register_deletion_blocker(
            "justice_entries", _("An official report was forwarded to the prosecutor's office."),
            lambda case: Entry.objects.filter(report__case=case))
        merged = _("It was merged, or proposed for a merge, with another case.")
        register_deletion_blocker("justice_merges", merged, lambda case: CaseMerge.objects.filter(
            Q(source=case) | Q(target=case)))
        register_deletion_blocker("justice_proposals", merged,
                                  lambda case: MergeProposal.objects.filter(
                                      Q(source=case) | Q(target=case)))
