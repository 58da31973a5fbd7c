from django import forms
from django.utils.translation import gettext_lazy as _


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason (told to the requester)"), required=False,
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
