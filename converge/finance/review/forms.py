"""Forms of the review of current communication activities: parse input; the services write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from converge.core.models import Department
from converge.finance.models import ActivityKind, Proposal
from converge.strategy.forms import WorkspaceForm

MONEY: dict[str, Any] = {"min_value": Decimal(0), "max_digits": 14, "decimal_places": 2}


class ActivityForm(WorkspaceForm):
    name = forms.CharField(label=_("Activity"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200)
    cost = forms.DecimalField(
        label=_("Cost for the year"), help_text=_("In the workspace's currency."), **MONEY
    )
    results = forms.DecimalField(label=_("Results in the year"), **MONEY)
    result_unit = forms.CharField(
        label=_("What a result is"),
        max_length=100,
        help_text=_(
            "E.g. leads. Costs per result are compared only between activities with the same unit."
        ),
    )
    evidence = forms.CharField(
        label=_("Where the figures come from"),
        max_length=300,
        required=False,
        help_text=_("E.g. the CRM's lead source report, the printer's invoice."),
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )


class ReviewForm(forms.Form):
    proposal = forms.ChoiceField(
        label=_("Decision"),
        choices=[c for c in Proposal.choices if c[0]],
        widget=forms.RadioSelect,
    )
    move_to_social = forms.DecimalField(
        label=_("Amount to move to social"),
        help_text=_("Stop: up to the whole cost. Reduce: the part of the budget that moves."),
        **MONEY,
    )
    in_business_case = forms.BooleanField(label=_("Take into the business case"), required=False)
