"""Forms of the budget pages: they parse input; the services check the rules and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from converge.core.models import Department, Workspace
from converge.finance.models import BudgetLine, Category
from converge.strategy.models import Platform

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LineChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg,unused-ignore]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.year} · {obj.name}"


class LineForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    platform = forms.ChoiceField(
        label=_("Platform"),
        choices=[("", _("None")), *Platform.choices],
        required=False,
        help_text=_("For paid social: the platform this part of the war chest is for."),
    )
    planned = forms.DecimalField(label=_("Planned"), max_digits=14, decimal_places=2, min_value=0)
    committed = forms.DecimalField(
        label=_("Committed"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Money promised by contract or order, spent or not yet."),
    )
    fte = forms.DecimalField(
        label=_("Full-time equivalents"),
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text=_("For staff: people or portions of salaries, e.g. 0.5."),
    )
    department = forms.ModelChoiceField(
        label=_("Paid by"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("Social media budget"),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            workspace=workspace
        ).order_by("name")

    @staticmethod
    def initial_for(line: BudgetLine) -> dict[str, Any]:
        return {
            "year": line.year,
            "category": line.category,
            "name": line.name,
            "platform": line.platform,
            "planned": line.planned,
            "committed": line.committed,
            "fte": line.fte,
            "department": line.department,
            "note": line.note,
        }

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["committed"] = data.get("committed") or Decimal(0)
        data["platform"] = data.get("platform") or ""
        return data


class CopyYearForm(forms.Form):
    from_year = forms.IntegerField(label=_("Copy the lines of"), min_value=2000, max_value=2100)
    to_year = forms.IntegerField(label=_("into"), min_value=2000, max_value=2100)


class AllocationForm(forms.Form):
    """One kind of allocation: a tick and an optional share per target. Ticked targets without
    any share split evenly."""

    def __init__(
        self,
        *args: Any,
        kind: str,
        targets: list[Any],
        current: dict[int, Decimal],
        names: dict[int, str],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", kind)
        super().__init__(*args, **kwargs)
        self.allocation_kind = kind
        self.targets = targets
        self.rows: list[tuple[str, forms.BoundField, forms.BoundField]] = []
        for target in targets:
            pick = f"pick_{target.pk}"
            share = f"share_{target.pk}"
            self.fields[pick] = forms.BooleanField(
                label=names[target.pk], required=False, initial=target.pk in current
            )
            self.fields[share] = forms.DecimalField(
                label=_("Share of %(name)s, in percent") % {"name": names[target.pk]},
                required=False,
                max_digits=5,
                decimal_places=2,
                initial=current.get(target.pk),
                widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100"}),
            )
        for target in targets:
            self.rows.append(
                (names[target.pk], self[f"pick_{target.pk}"], self[f"share_{target.pk}"])
            )

    def shares(self) -> dict[Any, Decimal | None]:
        data = self.cleaned_data
        return {
            t: data.get(f"share_{t.pk}")
            for t in self.targets
            if data.get(f"pick_{t.pk}") or data.get(f"share_{t.pk}") is not None
        }


class SpendForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE)
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        help_text=_("A negative amount is a credit note."),
    )
    line = LineChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    supplier = forms.CharField(label=_("Supplier"), max_length=200, required=False)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("The invoice or order number; the same reference is never booked twice."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = BudgetLine.objects.filter(  # type: ignore[attr-defined]
            workspace=workspace
        ).order_by("-year", "category", "name")


class SpendFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    line = LineChoiceField(
        label=_("Budget line"),
        queryset=BudgetLine.objects.none(),
        required=False,
        empty_label=_("All lines"),
        to_field_name="uuid",
    )
    supplier = forms.ChoiceField(label=_("Supplier"), required=False)

    def __init__(
        self,
        *args: Any,
        workspace: Workspace,
        years: list[int],
        suppliers: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [  # type: ignore[attr-defined]
            (y, str(y)) for y in years
        ]
        self.fields["line"].queryset = BudgetLine.objects.filter(  # type: ignore[attr-defined]
            workspace=workspace
        ).order_by("-year", "category", "name")
        self.fields["supplier"].choices = [("", _("All suppliers"))] + [  # type: ignore[attr-defined]
            (s, s) for s in suppliers
        ]


class SpendImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: date, amount, line, supplier, reference, note. Separated by commas or "
            "semicolons; dates as 2026-03-05; amounts as 1234.50 or 1 234,50."
        ),
    )
