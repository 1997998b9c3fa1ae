"""Forms of the operating model, RACI, executives, policies and training: they parse and
validate input; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from converge.core.forms import MemberChoiceField, MembersChoiceField
from converge.core.models import Department, Membership, Workspace
from converge.measurement.models import Channel
from converge.operating.models import (
    DocumentKind,
    ModelKind,
    PolicyDocument,
    PracticeKind,
    RaciActivity,
    TouchpointKind,
    TrainingKind,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MARKDOWN_HELP = _("Markdown: **bold**, *italic*, lists with “-”, headings with “#”.")


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE)


def _text(label: Any, rows: int = 4, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class WorkspaceForm(forms.Form):
    """A form whose choices are limited to one workspace."""

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        for f in self.fields.values():
            queryset = getattr(f, "queryset", None)
            if queryset is not None:
                qs = queryset.model.objects.filter(workspace=workspace)
                if queryset.model is Membership:
                    qs = qs.select_related("user")
                f.queryset = qs  # type: ignore[attr-defined]


class OperatingModelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Operating model"), choices=ModelKind.choices)
    summary = _text(_("Summary"), 3, _("How social is organised here, in a few sentences."))
    priorities = _text(_("Priorities"), 4, MARKDOWN_HELP)
    guidelines = _text(_("Guidelines"), 4, MARKDOWN_HELP)
    processes = _text(_("Processes"), 4, MARKDOWN_HELP)
    roles = _text(_("Roles"), 4, MARKDOWN_HELP)


class TeamMemberForm(WorkspaceForm):
    membership = MemberChoiceField(label=_("Person"), queryset=Membership.objects.none())
    role = forms.CharField(label=_("Role in the team"), max_length=120)
    time_share = forms.IntegerField(
        label=_("Share of time (%)"), min_value=1, max_value=100, initial=100
    )


class ActivityForm(forms.Form):
    name = forms.CharField(label=_("Activity"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=1000)


class RaciPersonForm(WorkspaceForm):
    """Give a person (rather than a department) a role in an activity."""

    activity = forms.ModelChoiceField(label=_("Activity"), queryset=RaciActivity.objects.none())
    membership = MemberChoiceField(label=_("Person"), queryset=Membership.objects.none())
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            ("decides", _("Decides")),
            ("executes", _("Executes")),
            ("pays", _("Pays")),
            ("consulted", _("Consulted")),
            ("informed", _("Informed")),
        ],
    )
    pay_share = forms.DecimalField(
        label=_("Share of the bill (%)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
    )


class ExecutiveForm(WorkspaceForm):
    membership = MemberChoiceField(label=_("Person"), queryset=Membership.objects.none())
    title = forms.CharField(label=_("Role or title"), max_length=200)
    is_sponsor = forms.BooleanField(label=_("Executive sponsor"), required=False)
    engaged_in = forms.CharField(
        label=_("Engaged in"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What they do hands-on: chairs the quarterly review, posts on LinkedIn, …"),
    )
    since = _date(_("Since"), required=False)


class TouchpointForm(forms.Form):
    day = _date(_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=TouchpointKind.choices)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000)


class AudienceMixin(WorkspaceForm):
    applies_to_everyone = forms.BooleanField(
        label=_("Applies to everyone"), required=False, initial=True
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Or only to these departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PolicyForm(AudienceMixin):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    channel = forms.ModelChoiceField(
        label=_("Channel"),
        queryset=Channel.objects.none(),
        required=False,
        help_text=_("For a channel's playbook."),
    )
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 16}), help_text=MARKDOWN_HELP
    )
    change_note = forms.CharField(label=_("Note"), max_length=300, required=False)
    field_order = [
        "title",
        "kind",
        "channel",
        "body",
        "change_note",
        "applies_to_everyone",
        "departments",
    ]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    channel = forms.ModelChoiceField(
        label=_("Channel"),
        queryset=Channel.objects.none(),
        required=False,
        help_text=_("For a channel's playbook."),
    )


class PublishForm(AudienceMixin):
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 18}), help_text=MARKDOWN_HELP
    )
    change_note = forms.CharField(label=_("What changed"), max_length=300, required=False)
    field_order = ["body", "change_note", "applies_to_everyone", "departments"]


class TrainingForm(WorkspaceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    policy = forms.ModelChoiceField(
        label=_("Policy"), queryset=PolicyDocument.objects.none(), required=False
    )
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.none(), required=False
    )


class SessionForm(WorkspaceForm):
    day = _date(_("Date"))
    trainer = MemberChoiceField(
        label=_("Trainer"), queryset=Membership.objects.none(), required=False
    )
    attendees = MembersChoiceField(
        label=_("Attendees"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000)


class CompletionForm(WorkspaceForm):
    membership = MemberChoiceField(label=_("Person"), queryset=Membership.objects.none())
    completed_on = _date(_("Completed"))


class PracticeForm(WorkspaceForm):
    day = _date(_("Date"))
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PracticeKind.choices)
    text = forms.CharField(
        label=_("What was shared"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=300, help_text=_("Separated by commas.")
    )
    shared_by = MemberChoiceField(
        label=_("Shared by"), queryset=Membership.objects.none(), required=False
    )
