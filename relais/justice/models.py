"""The prosecution tracking table (domain brief §3.3) and the regrouping of cases.

Between the police and the prosecutor's office (parquet / parket) official reports used to wait
unread. Every official report forwarded to an office enters its table as one ``Entry``: when it
arrived, the section that handles it, the reader (a legal advisor or magistrate of that
section), the date a decision is due, and the decision with the measures ordered.

An office organises its work in ``Section``s (e.g. the family and youth section): each has a
decision delay, the municipalities it covers (one section, with none, covers the rest) and its
readers.

``CaseMerge`` regroups two cases of the same household or couple ("one family, one file"): every
record of the merged case moves to the kept case, and back if the merge is undone.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.access.models import Share
from relais.accounts.models import Agency
from relais.cases.models import Case
from relais.core.texts import render
from relais.intake.models import Report

DEFAULT_DECISION_DAYS = 30


class Section(models.Model):
    """A section of a prosecutor's office, with its decision delay and readers."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE,
                               related_name="prosecution_sections")
    name = models.CharField(_("name"), max_length=120)
    decision_days = models.PositiveSmallIntegerField(
        _("decision due within (days)"), default=DEFAULT_DECISION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Counted from the day the report reaches the office."))
    municipalities = models.JSONField(
        _("municipalities covered"), default=list, blank=True,
        help_text=_("REFNIS codes. Leave empty for the section that takes every other "
                    "municipality of the district."))
    readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="prosecution_sections",
        verbose_name=_("readers"),
        help_text=_("Legal advisors and magistrates of the office who read its reports; a new "
                    "report goes to the one with the fewest reports waiting for a decision."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("section")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="section_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_default(self) -> bool:
        return not self.municipalities


class Decision(models.TextChoices):
    CLOSED = "closed", _("Closed (no further action)")
    FOLLOW_UP = "follow_up", _("Follow-up")
    HEARING = "hearing", _("Hearing")
    INVESTIGATION = "investigation", _("Investigation")


class Measure(models.TextChoices):
    NO_CONTACT = "no_contact", _("No contact")
    CONTACT_CONDITIONS = "contact_conditions", _("Contact conditions")
    SEIZURE = "seizure", _("Seizure (e.g. weapons)")
    RESIDENCE_BAN = "residence_ban", _("Residence ban")
    PRE_TRIAL_DETENTION = "pre_trial_detention", _("Pre-trial detention")
    ARREST_WARRANT = "arrest_warrant", _("Arrest warrant")
    HARASSMENT_ALARM = "harassment_alarm", _("Harassment alarm")
    PERPETRATOR_PROGRAMME = "perpetrator_programme", _("Perpetrator programme")
    OTHER = "other", _("Other")


# Measures that stay in force on the case once ordered (until the case is closed): they are
# listed among the measures in force (relais.cases.measures). The others are one-off acts
# (seizure, arrest warrant) or are kept with their own dates by their own part of Relais
# (residence ban, detention, harassment alarm, perpetrator programme).
STANDING_MEASURES = (Measure.NO_CONTACT, Measure.CONTACT_CONDITIONS)


class Entry(models.Model):
    """One official report in the tracking table of the office it was forwarded to."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("prosecutor's office"))
    report = models.OneToOneField(Report, on_delete=models.PROTECT,
                                  related_name="prosecution_entry")
    received_at = models.DateTimeField(_("received"))
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="entries",
                                verbose_name=_("section"))
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="prosecution_entries",
                               verbose_name=_("reader"))
    due_on = models.DateField(_("decision due"))
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices,
                                blank=True)
    measures = models.JSONField(_("measures ordered"), default=list, blank=True)
    other_measure = models.CharField(_("other measure"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    note = models.TextField(_("note"), max_length=3000, blank=True,
                            help_text=_("For the office only; the police zone does not see it."))

    class Meta:
        verbose_name = _("prosecution tracking entry")
        verbose_name_plural = _("prosecution tracking entries")
        indexes = [
            models.Index(fields=["agency", "decided_at", "due_on"], name="entry_table_idx"),
            models.Index(fields=["reader", "decided_at", "due_on"], name="entry_reader_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="entry_decision_has_reader",
                condition=Q(decision="") | Q(reader__isnull=False, decided_at__isnull=False,
                                             decided_by__isnull=False)),
            models.CheckConstraint(
                name="entry_decided_has_decision",
                condition=Q(decided_at__isnull=True) | ~Q(decision="")),
        ]

    def __str__(self) -> str:
        return f"tracking entry {self.pk} (report {self.report_id})"

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    def measure_labels(self) -> list[str]:
        labels = dict(Measure.choices)
        out = [str(labels[code]) for code in self.measures if code in labels
               and code != Measure.OTHER]
        if Measure.OTHER in self.measures:
            out.append(self.other_measure or str(Measure.OTHER.label))
        return out


class EntryEventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    READER = "reader", _("Reader assigned")
    DECIDED = "decided", _("Decision recorded")


class EntryEvent(models.Model):
    """The history of an entry: when it arrived, who was made its reader, what was decided."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           blank=True, related_name="+")
    kind = models.CharField(_("what"), max_length=12, choices=EntryEventKind.choices)
    # Relais's words as codes (relais.core.texts); ``detail``: a name, or the text of an event
    # written before codes. Read ``detail_text``.
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    detail_codes = models.JSONField(_("detail"), default=list, blank=True)

    class Meta:
        verbose_name = _("tracking entry event")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} on entry {self.entry_id}"

    @property
    def detail_text(self) -> str:
        """The event's detail in the reader's language."""
        return render(self.detail_codes, fallback=self.detail)


class CaseMerge(models.Model):
    """Case ``source`` regrouped into case ``target`` (same household or couple); undoable.

    ``moved`` lists, per model and field, the rows that were moved from the source to the
    target; ``kept`` those that stayed on the source because the target already had their
    like (e.g. the same person already in the target). Undoing the merge moves back exactly
    the rows in ``moved``.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("prosecutor's office"))
    source = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("merged case"))
    target = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("kept case"))
    source_status = models.CharField(max_length=8)
    reason = models.CharField(_("reason"), max_length=500)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    merged_at = models.DateTimeField(_("merged"))
    moved = models.JSONField(default=dict)
    kept = models.JSONField(default=dict, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    undo_reason = models.CharField(_("why it was undone"), max_length=500, blank=True)
    # Rows of ``moved`` that could not go back (deleted since, or the source holds their like).
    unrestored = models.JSONField(default=dict, blank=True)
    # Cases of two owners: what the merged case's owner keeps on the kept case (ended on undo;
    # relais.access.merges).
    former_owner_share = models.ForeignKey(Share, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+")

    class Meta:
        verbose_name = _("case merge")
        ordering = ["-merged_at", "-id"]
        constraints = [
            models.CheckConstraint(name="merge_two_cases", condition=~Q(source=models.F("target"))),
            models.CheckConstraint(name="merge_has_reason", condition=~Q(reason="")),
            models.UniqueConstraint(fields=["source"], condition=Q(undone_at__isnull=True),
                                    name="merge_one_active_per_source"),
        ]

    def __str__(self) -> str:
        return f"merge {self.pk}: {self.source_id} → {self.target_id}"

    @property
    def is_active(self) -> bool:
        return self.undone_at is None

    @property
    def moved_count(self) -> int:
        return sum(len(pks) for fields in self.moved.values() for pks in fields.values())

    @property
    def kept_count(self) -> int:
        return sum(len(pks) for fields in self.kept.values() for pks in fields.values())


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class MergeProposal(models.Model):
    """The owner of one case proposes to merge it with another agency's case of the same
    household; that agency accepts (the merge is made) or declines (relais.access.merges)."""

    source = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("case to merge"))
    target = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("case to keep"))
    proposing_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    answering_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    proposed_at = models.DateTimeField(_("proposed"))
    status = models.CharField(_("status"), max_length=10, choices=ProposalStatus.choices,
                              default=ProposalStatus.PENDING)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer_reason = models.CharField(_("answer"), max_length=500, blank=True)
    merge = models.OneToOneField(CaseMerge, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="proposal")

    class Meta:
        verbose_name = _("merge proposal")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(name="proposal_two_cases",
                                   condition=~Q(source=models.F("target"))),
            models.CheckConstraint(name="proposal_two_agencies",
                                   condition=~Q(proposing_agency=models.F("answering_agency"))),
            models.CheckConstraint(name="proposal_has_reason", condition=~Q(reason="")),
            models.CheckConstraint(name="proposal_decline_has_reason",
                                   condition=~Q(status="declined") | ~Q(answer_reason="")),
            models.UniqueConstraint(fields=["source"], condition=Q(status="pending"),
                                    name="proposal_one_pending_per_source"),
        ]

    def __str__(self) -> str:
        return f"merge proposal {self.pk}: {self.source_id} → {self.target_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING
