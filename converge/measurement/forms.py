"""Measurement forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from converge.core.models import Department, Workspace
from converge.measurement.models import Channel
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
            "Studio, or a generic CSV with the columns day, metric, channel and value."
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
