"""Forms of the value model and the scenarios: they parse input; the services check the rules
and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from converge.core.forms import MemberChoiceField
from converge.core.models import Membership, Workspace
from converge.core.selectors import members_of
from converge.finance.budget.forms import DATE, LineChoiceField
from converge.finance.models import (
    BudgetLine,
    ChangeKind,
    Hardness,
    Scenario,
    ValueAssumption,
    ValueKind,
)
from converge.measurement.selectors import metric_index


class AssumptionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ValueKind.choices)
    hardness = forms.ChoiceField(
        label=_("Hard or soft"),
        choices=Hardness.choices,
        help_text=_(
            "Hard value is money in the books: revenue or a cost saving. Soft value (earned "
            "media value and the like) is shown apart and never counted in ROI."
        ),
    )
    metric_key = forms.ChoiceField(
        label=_("Metric"), help_text=_("Every unit of this metric is worth the value below.")
    )
    unit_value = forms.DecimalField(
        label=_("Value per unit"),
        max_digits=14,
        decimal_places=4,
        help_text=_(
            "In the workspace currency. For attributed revenue, the share of a krona counted "
            "(e.g. 0.42 for a gross margin of 42 percent)."
        ),
    )
    owner = MemberChoiceField(
        label=_("Owner"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("Nobody"),
        help_text=_("Who stands behind the figure."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("Where the figure comes from, e.g. “Finance, CRM win rates 2025”."),
    )
    as_of = forms.DateField(label=_("Dated"), widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(workspace)  # type: ignore[attr-defined]
        self.fields["metric_key"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *sorted(
                (
                    (m.key, m.name)
                    for m in metric_index(workspace).values()
                    if m.aggregation == "sum"
                ),
                key=lambda c: c[1].casefold(),
            ),
        ]

    @staticmethod
    def initial_for(a: ValueAssumption) -> dict[str, Any]:
        owner = Membership.objects.filter(workspace=a.workspace, user=a.owner).first()
        return {
            "name": a.name,
            "kind": a.kind,
            "hardness": a.hardness,
            "metric_key": a.metric_key,
            "unit_value": a.unit_value.normalize(),
            "owner": owner,
            "source": a.source,
            "as_of": a.as_of,
            "note": a.note,
        }

    @staticmethod
    def new_initial() -> dict[str, Any]:
        return {"as_of": timezone.localdate(), "hardness": Hardness.REVENUE}

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        owner = data.pop("owner")
        data["owner"] = owner.user if owner else None
        return data


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @staticmethod
    def initial_for(s: Scenario) -> dict[str, Any]:
        return {"name": s.name, "year": s.year, "note": s.note}


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Change"), choices=ChangeKind.choices)
    line = LineChoiceField(label=_("Line"), queryset=BudgetLine.objects.none())
    percent = forms.DecimalField(
        label=_("Cut by (%)"), max_digits=5, decimal_places=2, required=False
    )
    to_line = LineChoiceField(
        label=_("Move to line"), queryset=BudgetLine.objects.none(), required=False
    )
    amount = forms.DecimalField(
        label=_("Amount to move"), max_digits=14, decimal_places=2, required=False
    )

    def __init__(self, *args: Any, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lines = BudgetLine.objects.filter(
            workspace=scenario.workspace, year=scenario.year
        ).order_by("category", "name")
        self.fields["line"].queryset = lines  # type: ignore[attr-defined]
        self.fields["to_line"].queryset = lines  # type: ignore[attr-defined]


class CompareForm(forms.Form):
    scenario = forms.MultipleChoiceField(
        label=_("Scenarios"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = choices  # type: ignore[attr-defined]
