"""The business case form: parse input; the service writes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from converge.reports.models import CaseAudience, CaseLanguage

PERCENT: dict[str, Any] = {
    "min_value": Decimal(0),
    "max_value": Decimal(500),
    "max_digits": 5,
    "decimal_places": 2,
}


class BusinessCaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ChoiceField(label=_("For"), choices=CaseAudience.choices)
    language = forms.ChoiceField(
        label=_("Language of the case"),
        choices=CaseLanguage.choices,
        help_text=_("The page, the PDF and the deck are written in this language."),
    )
    first_year = forms.IntegerField(label=_("First year"), min_value=1900, max_value=2200)
    horizon_years = forms.IntegerField(
        label=_("Years"), min_value=1, max_value=10, initial=3, help_text=_("Usually three.")
    )
    cost_contingency = forms.DecimalField(
        label=_("Contingency on cost (%)"),
        initial=20,
        help_text=_("It will cost more than first planned."),
        **PERCENT,
    )
    schedule_contingency = forms.DecimalField(
        label=_("Contingency on schedule (%)"),
        initial=20,
        help_text=_("It will take longer than first planned."),
        **PERCENT,
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    ask = forms.CharField(
        label=_("The ask"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you ask for: support, resources and budget."),
    )
