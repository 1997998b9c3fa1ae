"""Measurement forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from converge.core.models import Department, Workspace
from converge.measurement.models import (
    Aggregation,
    AmecStage,
    AnnotationKind,
    Channel,
    DateOrder,
    MappingKind,
    Unit,
)
from converge.strategy.models import Platform

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChannelForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    handle = forms.CharField(label=_("Handle"), max_length=100, help_text=_("E.g. @nordvik"))
    url = forms.URLField(label=_("URL"), required=False, assume_scheme="https")
    department = forms.ModelChoiceField(
        label=_("Owning department"), queryset=Department.objects.none(), required=False
    )
    active_from = forms.DateField(label=_("Active from"), required=False, widget=DATE)
    active_to = forms.DateField(label=_("Active to"), required=False, widget=DATE)

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            workspace=workspace
        )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Export file"),
        help_text=_(
            "A file exported from X, Meta Business Suite, LinkedIn, YouTube Studio or TikTok "
            "Studio, a generic CSV with the columns day, metric, channel and value, or a CSV "
            "from a CRM or support system whose columns you map once."
        ),
    )
    channel = forms.ModelChoiceField(
        label=_("Channel"),
        queryset=Channel.objects.none(),
        required=False,
        empty_label=_("Found from the file"),
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(  # type: ignore[attr-defined]
            workspace=workspace
        )


class FigureForm(forms.Form):
    metric = forms.ChoiceField(label=_("Metric"))
    channel = forms.ModelChoiceField(
        label=_("Channel"),
        queryset=Channel.objects.none(),
        required=False,
        empty_label=_("None (a business figure)"),
    )
    day = forms.DateField(label=_("Date"), widget=DATE)
    value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=4)

    def __init__(
        self, *args: Any, workspace: Workspace, metrics: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = metrics  # type: ignore[attr-defined]
        self.fields["channel"].queryset = Channel.objects.filter(  # type: ignore[attr-defined]
            workspace=workspace
        )


class MetricForm(forms.Form):
    """A workspace's own metric. ``key`` only when adding: it never changes afterwards."""

    key = forms.CharField(
        label=_("Key"),
        max_length=64,
        help_text=_("Lower-case letters, digits, hyphens and underscores, e.g. store_visits."),
    )
    name_en = forms.CharField(label=_("Name in English"), max_length=120)
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=120)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    aggregation = forms.ChoiceField(label=_("Over time"), choices=Aggregation.choices)
    numerator = forms.ChoiceField(
        label=_("Numerator"),
        required=False,
        help_text=_("Only for a derived metric: the metric whose total is divided."),
    )
    denominator = forms.ChoiceField(
        label=_("Denominator"),
        required=False,
        help_text=_("Only for a derived metric: the metric whose total it is divided by."),
    )
    amec = forms.ChoiceField(label=_("AMEC stage"), choices=AmecStage.choices)
    definition = forms.CharField(
        label=_("Definition"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("Where the figures come from, e.g. the CRM."),
    )

    def __init__(
        self, *args: Any, metrics: list[tuple[str, str]], adding: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *metrics]
        self.fields["numerator"].choices = choices  # type: ignore[attr-defined]
        self.fields["denominator"].choices = choices  # type: ignore[attr-defined]
        if not adding:
            del self.fields["key"]


class MappingForm(forms.Form):
    """Which of a CSV's columns mean what; the choices are the file's own column names."""

    name = forms.CharField(
        label=_("Name of the mapping"), max_length=100, help_text=_("E.g. “HubSpot deals”.")
    )
    kind = forms.ChoiceField(label=_("The file holds"), choices=MappingKind.choices)
    date_column = forms.ChoiceField(
        label=_("Date column"),
        help_text=_(
            "Leads: when the lead came in. Deals: when the deal was closed. "
            "Tickets: when the ticket was created."
        ),
    )
    date_order = forms.ChoiceField(label=_("Dates are written"), choices=DateOrder.choices)
    amount_column = forms.ChoiceField(
        label=_("Amount column"),
        required=False,
        help_text=_("Deals: the deal's value; the won deals' values add up to attributed revenue."),
    )
    status_column = forms.ChoiceField(
        label=_("Status column"),
        required=False,
        help_text=_("Leads and deals: count only rows with the status below."),
    )
    status_value = forms.CharField(
        label=_("Status that counts"),
        max_length=100,
        required=False,
        help_text=_("E.g. “Closed Won”. Upper and lower case do not matter."),
    )
    response_column = forms.ChoiceField(
        label=_("First response column"),
        required=False,
        help_text=_("Tickets: when the first answer was sent (date and time)."),
    )

    def __init__(self, *args: Any, header: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        columns = [(c, c) for c in dict.fromkeys(header)]
        self.fields["date_column"].choices = columns  # type: ignore[attr-defined]
        for name in ("amount_column", "status_column", "response_column"):
            self.fields[name].choices = [("", "—"), *columns]  # type: ignore[attr-defined]


MAX_PERIOD_DAYS = 3 * 366 + 1


class PeriodForm(forms.Form):
    """The explorer's period (``from``…``to``) and, optionally, the period to compare it with
    (``vs_from``…``vs_to``; by default the period of the same length just before)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=DATE)
        self.fields["to"] = forms.DateField(label=_("To"), required=False, widget=DATE)
        self.fields["vs_from"] = forms.DateField(
            label=_("Compare with, from"), required=False, widget=DATE
        )
        self.fields["vs_to"] = forms.DateField(
            label=_("Compare with, to"), required=False, widget=DATE
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for start, end in (("from", "to"), ("vs_from", "vs_to")):
            first, last = data.get(start), data.get(end)
            if first and last and first > last:
                self.add_error(end, _("The end comes before the start."))
            elif first and last and (last - first).days + 1 > MAX_PERIOD_DAYS:
                self.add_error(end, _("A period can be at most three years long."))
        if bool(data.get("vs_from")) != bool(data.get("vs_to")):
            missing = "vs_to" if data.get("vs_from") else "vs_from"
            self.add_error(missing, _("Give both ends of the period to compare with, or neither."))
        return data


class AnnotationForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE)
    end_day = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=DATE,
        help_text=_("For something that lasted several days, e.g. a campaign."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AnnotationKind.choices)
    channel = forms.ModelChoiceField(
        label=_("Channel"),
        queryset=Channel.objects.none(),
        required=False,
        empty_label=_("The whole workspace"),
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(  # type: ignore[attr-defined]
            workspace=workspace
        )
