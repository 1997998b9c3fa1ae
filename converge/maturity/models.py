"""Maturity assessments: a run, its respondents and their answers, and the link from a missing
criterion to the initiative or action that closes it.

A run is *open* while respondents answer and *finished* once a lead finishes it. Finishing
stores the evaluated results as JSON (``snapshot``, model version included): a finished run
never changes afterwards (the services refuse, and ``save`` refuses to alter a snapshot)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from converge.core.models import Membership, User, Workspace


class AssessmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FINISHED = "finished", _("Finished")


class Assessment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.OPEN
    )
    model_version = models.PositiveIntegerField(_("model version"))
    started_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    started_on = models.DateField(_("started"))
    finished_on = models.DateField(_("finished"), null=True, blank=True)
    evidence = models.JSONField(default=dict)  # criterion id → Evidence, evaluated at the start
    snapshot = models.JSONField(default=dict)  # the results, frozen when finished
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("maturity assessment")
        verbose_name_plural = _("maturity assessments")
        ordering = ("-started_on", "-created_at")

    def __str__(self) -> str:
        return f"{_('Maturity assessment')} {self.started_on:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            stored = (
                Assessment.objects.filter(pk=self.pk)
                .values("status", "snapshot", "evidence")
                .first()
            )
            if (
                stored
                and stored["status"] == AssessmentStatus.FINISHED
                and (stored["snapshot"] != self.snapshot or stored["evidence"] != self.evidence)
            ):
                raise ValueError("A finished assessment never changes.")
        super().save(*args, **kwargs)

    @property
    def finished(self) -> bool:
        return self.status == AssessmentStatus.FINISHED


class Respondent(models.Model):
    """A member invited to answer the self-assessed criteria of a run."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="respondents")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "membership"], name="maturity_respondent_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.membership.user)


class AnswerValue(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class Answer(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    criterion = models.CharField(_("criterion"), max_length=80)
    value = models.CharField(_("answer"), max_length=8, choices=AnswerValue.choices)
    note = models.TextField(_("note"), blank=True)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "criterion"], name="maturity_answer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class GapLink(models.Model):
    """A missing criterion turned into a roadmap initiative or an action item."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    criterion = models.CharField(_("criterion"), max_length=80)
    initiative = models.ForeignKey(
        "strategy.Initiative", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.ForeignKey(
        "governance.ActionItem", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="gap_links"
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gap link")
        verbose_name_plural = _("gap links")
        ordering = ("created_at",)

    def __str__(self) -> str:
        return f"{self.criterion} → {self.initiative or self.action}"
