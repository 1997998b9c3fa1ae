"""Governance forms: parse and validate input; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from converge.core.forms import MemberChoiceField, MembersChoiceField
from converge.core.models import Department, Membership
from converge.governance import recurrence
from converge.governance.models import (
    ActionStatus,
    AdaptationKind,
    Committee,
    DecisionStatus,
)
from converge.strategy.forms import DATE, WorkspaceForm
from converge.strategy.models import Initiative, Kpi, SocialObjective

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

PATTERN_CHOICES = [
    ("weekly", _("Weekly, on a weekday")),
    ("biweekly", _("Every other week, on a weekday")),
    ("monthly", _("Monthly, on the first/second/… weekday")),
    ("quarterly", _("Quarterly, on the first/second/… weekday")),
    ("custom", _("Custom recurrence rule (RRULE)")),
]
WEEKDAY_CHOICES = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]
ORDINAL_CHOICES = [
    (1, _("first")),
    (2, _("second")),
    (3, _("third")),
    (4, _("fourth")),
    (-1, _("last")),
]


class CommitteeForm(WorkspaceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    chair = MemberChoiceField(label=_("Chair"), queryset=Membership.objects.none(), required=False)
    members = MembersChoiceField(
        label=_("Members"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The chair is a member too. Each member represents their first department; "
            "change it on the committee's page."
        ),
    )
    pattern = forms.ChoiceField(label=_("Meets"), choices=PATTERN_CHOICES, initial="weekly")
    weekday = forms.ChoiceField(label=_("Weekday"), choices=WEEKDAY_CHOICES, initial="MO")
    ordinal = forms.TypedChoiceField(
        label=_("Which weekday of the month"),
        choices=ORDINAL_CHOICES,
        coerce=int,
        initial=1,
        help_text=_("For monthly and quarterly meetings."),
    )
    custom_rrule = forms.CharField(
        label=_("Recurrence rule"),
        required=False,
        max_length=300,
        help_text=_(
            "For experts: an RFC 5545 RRULE, e.g. <code>FREQ=MONTHLY;BYDAY=2WE</code> or "
            "<code>FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH</code>."
        ),
    )
    starts_on = forms.DateField(
        label=_("First meeting on or after"),
        widget=DATE,
        help_text=_("Quarterly meetings fall in this date's month and every third month after."),
    )
    start_time = forms.TimeField(label=_("Start time"), widget=TIME, initial="09:00")
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=1440, initial=60
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pattern = data.get("pattern")
        if pattern is None:
            return data
        try:
            data["rrule"] = recurrence.build(
                pattern,
                weekday=data.get("weekday") or "MO",
                ordinal=data.get("ordinal") or 1,
                custom=data.get("custom_rrule") or "",
            )
        except recurrence.RuleError as exc:
            field = "custom_rrule" if pattern == "custom" else "pattern"
            self.add_error(
                field,
                _("This is not a recurrence rule we can use (%(reason)s).") % {"reason": exc},
            )
        return data

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("pattern", "weekday", "ordinal", "custom_rrule"):
            data.pop(name, None)
        return data

    @staticmethod
    def initial_for(committee: Committee) -> dict[str, Any]:
        pattern, weekday, ordinal = recurrence.parse_choice(committee.rrule)
        return {
            "name": committee.name,
            "purpose": committee.purpose,
            "chair": committee.chair,
            "members": [s.membership for s in committee.seats.all()],
            "pattern": pattern,
            "weekday": weekday,
            "ordinal": ordinal,
            "custom_rrule": committee.rrule if pattern == "custom" else "",
            "starts_on": committee.starts_on,
            "start_time": committee.start_time,
            "duration_minutes": committee.duration_minutes,
            "location": committee.location,
        }


class SeatForm(WorkspaceForm):
    membership = MemberChoiceField(label=_("Person"), queryset=Membership.objects.none())
    department = forms.ModelChoiceField(
        label=_("Represents"), queryset=Department.objects.none(), required=False
    )


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Start"), widget=DATETIME)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=1440
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=300)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: **bold**, *italic*, lists with “-”, headings with “#”."),
    )


class LinksForm(WorkspaceForm):
    objectives = forms.ModelMultipleChoiceField(
        label=_("Objectives"), queryset=SocialObjective.objects.none(), required=False
    )
    kpis = forms.ModelMultipleChoiceField(
        label=_("KPIs"), queryset=Kpi.objects.none(), required=False
    )
    initiatives = forms.ModelMultipleChoiceField(
        label=_("Roadmap initiatives"), queryset=Initiative.objects.none(), required=False
    )


class DecisionForm(LinksForm):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = MemberChoiceField(label=_("Owner"), queryset=Membership.objects.none(), required=False)
    decided_on = forms.DateField(label=_("Date"), widget=DATE, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=DecisionStatus.choices, initial=DecisionStatus.DECIDED
    )
    field_order = ["text", "owner", "decided_on", "status", "objectives", "kpis", "initiatives"]


class ActionForm(WorkspaceForm):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = MemberChoiceField(label=_("Owner"), queryset=Membership.objects.none())
    due_on = forms.DateField(label=_("Due"), widget=DATE)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class ReviewForm(WorkspaceForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")], coerce=int
    )
    committee = forms.ModelChoiceField(
        label=_("Committee"), queryset=Committee.objects.none(), required=False
    )
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AdaptationForm(LinksForm):
    kind = forms.ChoiceField(label=_("We will"), choices=AdaptationKind.choices)
    text = forms.CharField(label=_("What we agreed"), widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    field_order = ["kind", "text", "department", "objectives", "kpis", "initiatives"]
