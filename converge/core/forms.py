"""Forms parse and validate input; services do the writing."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from converge.core.errors import ConvergeError
from converge.core.models import (
    Currency,
    Department,
    DepartmentKind,
    Language,
    Membership,
    Role,
    User,
    Workspace,
)
from converge.core.policy import role_may_assign

TIME_ZONE_CHOICES = [(tz, tz) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz] + [
    ("UTC", "UTC")
]


def show_error(form: forms.Form, error: ConvergeError) -> None:
    """Put a service's error beside the field that caused it (or at the top of the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg,unused-ignore]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user)


class MembersChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg,unused-ignore]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user)


class PasswordPairMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password2(self) -> str:
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if p1 and p2 and p1 != p2:
            raise forms.ValidationError(_("The two passwords differ."))
        return p2 or ""


class SignupForm(PasswordPairMixin):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    field_order = ["full_name", "email", "password1", "password2"]


class InvitationAcceptForm(PasswordPairMixin):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    field_order = ["full_name", "password1", "password2"]


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    title = forms.CharField(label=_("Job title"), max_length=200, required=False)


class WorkspaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Slug"),
        max_length=60,
        help_text=_("Used in addresses: /w/<slug>/. Letters, digits and hyphens; cannot change."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    default_language = forms.ChoiceField(label=_("Default language"), choices=Language.choices)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["slug"]


class WorkspaceDeleteForm(forms.Form):
    confirm_slug = forms.CharField(label=_("Type the workspace's slug to confirm"), max_length=60)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("No department"),
    )

    def __init__(self, *args: Any, workspace: Workspace, actor_role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            workspace=workspace
        )
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Role.choices if role_may_assign(actor_role, value)
        ]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MemberDepartmentsForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            workspace=workspace
        ).order_by("name")


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=DepartmentKind.choices)
    head = MemberChoiceField(
        label=_("Head"), queryset=Membership.objects.none(), required=False, empty_label=_("Nobody")
    )
    members = MembersChoiceField(
        label=_("Members"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    aims = forms.CharField(
        label=_("Strategic aims"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One aim per line: what this department wants to achieve."),
    )
    challenges = forms.CharField(
        label=_("Challenges"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One challenge per line: what stands in its way."),
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Membership.objects.filter(workspace=workspace).select_related("user")
        self.fields["head"].queryset = people  # type: ignore[attr-defined]
        self.fields["members"].queryset = people  # type: ignore[attr-defined]


class DepartmentDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, delete this department. Its members stay in the workspace."),
        required=False,
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where the token will be used, e.g. “Power BI refresh”."),
    )


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.none(), required=False, empty_label=_("Everyone")
    )
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, actors: Any, object_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors  # type: ignore[attr-defined]
        self.fields["object_type"].choices = [("", _("All"))] + [  # type: ignore[attr-defined]
            (t, t) for t in object_types
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
