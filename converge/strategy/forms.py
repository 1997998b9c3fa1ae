"""Strategy forms: parse and validate input; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from converge.core.forms import MemberChoiceField
from converge.core.models import Department, Membership, Workspace
from converge.measurement.models import Channel
from converge.strategy.models import (
    AmecStage,
    Audience,
    AudienceKind,
    BusinessGoal,
    Cadence,
    Competitor,
    Direction,
    GainKind,
    InitiativeStatus,
    KpiWindow,
    MaturityStage,
    Platform,
    PresenceUnit,
    Priority,
    Realism,
    SocialObjective,
    SponsorRoute,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE)


class WorkspaceForm(forms.Form):
    """A form whose choices are limited to one workspace."""

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                model = queryset.model
                qs = model.objects.filter(workspace=workspace)
                if hasattr(model, "archived_at"):
                    qs = qs.filter(archived_at__isnull=True)
                if model is Membership:
                    qs = qs.select_related("user")
                field.queryset = qs  # type: ignore[attr-defined]


class GoalForm(WorkspaceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    business_metric = forms.CharField(
        label=_("Business metric"),
        max_length=200,
        help_text=_("What shows it in the business: online revenue, churn, cost to serve…"),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Owner departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    horizon = _date(_("Horizon"))
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.MEDIUM
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("E.g. “Business plan 2027, p. 4”."),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("Optional: the page of the business plan, as a document or an image (20 MB)."),
    )
    remove_attachment = forms.BooleanField(label=_("Remove the current attachment"), required=False)


class ObjectiveForm(WorkspaceForm):
    statement = forms.CharField(
        label=_("Statement"),
        max_length=300,
        help_text=_(
            "Specific and measurable, e.g. “Answer nine in ten complaints on social within an hour "
            "by June 2027”."
        ),
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Business goals it serves"),
        queryset=BusinessGoal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments it serves"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    start = _date(_("Start"))
    end = _date(_("End"))
    realism = forms.ChoiceField(
        label=_("Achievable?"), choices=Realism.choices, initial=Realism.MEDIUM
    )
    realism_rationale = forms.CharField(
        label=_("Why this is realistic"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Be realistic: social is not a silver bullet."),
    )
    review_cadence = forms.ChoiceField(
        label=_("Review cadence"), choices=Cadence.choices, initial=Cadence.QUARTERLY
    )


class ReviewForm(forms.Form):
    reviewed_on = _date(_("Reviewed on"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class KpiForm(WorkspaceForm):
    objective = forms.ModelChoiceField(
        label=_("Objective"), queryset=SocialObjective.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    metric_key = forms.SlugField(
        label=_("Metric"),
        max_length=64,
        help_text=_("A metric key, e.g. engagement_rate, leads, median_first_response_time."),
    )
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    baseline_value = forms.DecimalField(
        label=_("Baseline"), max_digits=18, decimal_places=4, required=False
    )
    baseline_date = _date(_("Baseline date"), required=False)
    target_value = forms.DecimalField(
        label=_("Target"), max_digits=18, decimal_places=4, required=False
    )
    target_date = _date(_("Target date"), required=False)
    band_low = forms.DecimalField(
        label=_("Band from"), max_digits=18, decimal_places=4, required=False
    )
    band_high = forms.DecimalField(
        label=_("Band to"), max_digits=18, decimal_places=4, required=False
    )
    owner = MemberChoiceField(
        label=_("Owner"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )
    review_cadence = forms.ChoiceField(
        label=_("Review cadence"), choices=Cadence.choices, initial=Cadence.MONTHLY
    )
    amec_stage = forms.ChoiceField(
        label=_("AMEC stage"),
        choices=AmecStage.choices,
        initial=AmecStage.OUTCOME,
        help_text=_("Output, out-take, outcome or organisational impact (AMEC framework)."),
    )
    window = forms.ChoiceField(
        label=_("Measured over"),
        choices=[("", _("The default for the metric")), *KpiWindow.choices],
        required=False,
        help_text=_(
            "The trailing period the figures are aggregated over, ending on the latest day "
            "with figures. By default 30 days, or the last value of the past week for levels "
            "such as followers."
        ),
    )
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels"),
        queryset=Channel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every channel, and the figures that belong to no channel."),
    )


class KpiValueForm(forms.Form):
    day = _date(_("Date"))
    value = forms.DecimalField(label=_("Value"), max_digits=18, decimal_places=4)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AudienceForm(WorkspaceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=AudienceKind.choices)
    size = forms.IntegerField(label=_("Size"), min_value=0, required=False)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.MEDIUM
    )
    demographics = forms.CharField(
        label=_("Demographics"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PresenceForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    figure = forms.DecimalField(label=_("Figure"), max_digits=14, decimal_places=2, min_value=0)
    unit = forms.ChoiceField(label=_("Unit"), choices=PresenceUnit.choices)
    source = forms.CharField(label=_("Source"), max_length=300)
    source_url = forms.URLField(label=_("Source URL"), required=False, assume_scheme="https")
    figure_date = _date(_("Date of the figure"))


class MessageForm(WorkspaceForm):
    title = forms.CharField(label=_("Message"), max_length=200)
    text = forms.CharField(
        label=_("What we say"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    audiences = forms.ModelMultipleChoiceField(
        label=_("To whom"), queryset=Audience.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Platform.choices, widget=forms.CheckboxSelectMultiple
    )
    tone = forms.CharField(label=_("Tone"), max_length=100, required=False)
    owner = MemberChoiceField(
        label=_("Owner"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )


class TacticForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Platform.choices)
    activity = forms.CharField(label=_("Activity"), max_length=300)
    frequency = forms.CharField(label=_("Frequency"), max_length=100, required=False)
    people = forms.IntegerField(label=_("People"), min_value=0, initial=1)
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"), min_value=0, max_digits=6, decimal_places=1, initial=0
    )


class VisionForm(WorkspaceForm):
    statement = forms.CharField(label=_("Vision"), widget=forms.Textarea(attrs={"rows": 3}))
    value_employees = forms.CharField(
        label=_("Value for employees"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    value_customers = forms.CharField(
        label=_("Value for customers"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    value_shareholders = forms.CharField(
        label=_("Value for shareholders"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    sponsor = MemberChoiceField(
        label=_("Executive sponsor"), queryset=Membership.objects.none(), required=False
    )
    sponsor_route = forms.ChoiceField(
        label=_("How sponsorship was established"),
        choices=[("", "—"), *SponsorRoute.choices],
        required=False,
    )
    sponsor_since = _date(_("Sponsor since"), required=False)


class InitiativeForm(WorkspaceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Goals"),
        queryset=BusinessGoal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    objectives = forms.ModelMultipleChoiceField(
        label=_("Objectives"),
        queryset=SocialObjective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    department = forms.ModelChoiceField(
        label=_("Owner department"), queryset=Department.objects.none(), required=False
    )
    start = _date(_("Start"))
    end = _date(_("End"))
    status = forms.ChoiceField(label=_("Status"), choices=InitiativeStatus.choices)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.MEDIUM
    )
    estimated_cost = forms.DecimalField(
        label=_("Estimated cost"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    maturity_stage = forms.TypedChoiceField(
        label=_("Maturity stage it helps reach"),
        choices=[("", "—"), *MaturityStage.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )


class CompetitorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Platform.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ObservationForm(WorkspaceForm):
    competitor = forms.ModelChoiceField(label=_("Competitor"), queryset=Competitor.objects.none())
    observed_on = _date(_("Observed on"))
    kind = forms.ChoiceField(label=_("What they gained"), choices=GainKind.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
    source_url = forms.URLField(label=_("Source URL"), required=False, assume_scheme="https")


class CaseStudyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    figures = forms.CharField(
        label=_("Figures"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The results in numbers, e.g. “cost per case down 21 percent in 18 months”."),
    )
    source = forms.CharField(label=_("Source"), max_length=300)
    source_url = forms.URLField(label=_("Source URL"), required=False, assume_scheme="https")
