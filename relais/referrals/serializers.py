"""What the referrals API reads and writes."""

from __future__ import annotations

from rest_framework import serializers

from relais.referrals.models import ReferralOutcome, ReferralStatus


class ReferralOut(serializers.Serializer):
    """A referral as the caller's side sees it on the list (the person's name only while the
    service may see her)."""

    id = serializers.IntegerField()
    side = serializers.ChoiceField(choices=["referrer", "receiver"])
    case_id = serializers.IntegerField()
    person = serializers.CharField()
    service = serializers.CharField()
    from_agency = serializers.CharField()
    to_agency = serializers.CharField(allow_null=True)
    basis = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    status_label = serializers.CharField()
    status_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    consent_withdrawn = serializers.BooleanField()
    decline_reason = serializers.CharField()
    outcome = serializers.CharField()
    outcome_note = serializers.CharField()
    created_at = serializers.DateTimeField()


class StepOut(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    status_label = serializers.CharField()
    at = serializers.DateTimeField()
    by = serializers.CharField(allow_null=True)
    agency = serializers.CharField(allow_null=True)
    note = serializers.CharField()


class ReferralDetailOut(ReferralOut):
    steps = StepOut(many=True)
    awaiting_approval = serializers.BooleanField(
        help_text="Sent without her consent: it waits for a supervisor's approval (the "
                  "referrer's side only).")


class StepIn(serializers.Serializer):
    """The next step of the loop, by the side whose step it is: "sent" (the referrer sends a
    proposed referral), then received, accepted, waiting_list, declined (with ``reason``),
    first_contact, closed (with ``outcome``), or withdrawn."""

    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True,
                                   default="")
    outcome = serializers.ChoiceField(choices=ReferralOutcome.choices, required=False,
                                      allow_blank=True, default="")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ReferralFilters(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["outgoing", "incoming"], default="outgoing")
    status = serializers.ChoiceField(choices=ReferralStatus.choices, required=False)
    open = serializers.BooleanField(required=False, default=False,
                                    help_text="true: only referrals still open")
