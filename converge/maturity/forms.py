"""Forms of the maturity pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from converge.core.forms import MembersChoiceField
from converge.core.models import Membership, Workspace
from converge.maturity.definition import Criterion
from converge.maturity.models import Answer, AnswerValue


class RespondentsForm(forms.Form):
    respondents = MembersChoiceField(
        label=_("Respondents"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Who answers the self-assessed questions, e.g. the steering committee."),
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["respondents"]
        assert isinstance(field, MembersChoiceField)
        field.queryset = Membership.objects.filter(workspace=workspace).select_related("user")


class AnswersForm(forms.Form):
    """One yes/partly/no question and a note for each self-assessed criterion."""

    def __init__(
        self,
        *args: Any,
        criteria: list[Criterion],
        current: Mapping[str, Answer],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            answer = current.get(c.id)
            self.fields[f"{c.id}__value"] = forms.ChoiceField(
                label=c.title,
                help_text=c.why,
                choices=AnswerValue.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=answer.value if answer else None,
            )
            self.fields[f"{c.id}__note"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=1000,
                widget=forms.TextInput,
                initial=answer.note if answer else "",
            )

    def answers(self) -> dict[str, tuple[str, str]]:
        return {
            c.id: (self.cleaned_data[f"{c.id}__value"], self.cleaned_data[f"{c.id}__note"])
            for c in self.criteria
        }

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"{c.id}__value"], self[f"{c.id}__note"]) for c in self.criteria]
