"""The business case: what the builder needs beyond the workspace's own data — who it is for,
in which language, over which years, with how much contingency for realism, and the words of
the summary and the ask. Everything else is assembled from the workspace when it is shown."""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from converge.core.models import User, Workspace


class CaseAudience(models.TextChoices):
    BOSS = "boss", _("The boss")
    C_SUITE = "c_suite", _("The C-suite")
    BOARD = "board", _("The board")


class CaseLanguage(models.TextChoices):
    EN = "en", "English"
    SV = "sv", "Svenska"


class BusinessCase(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(
        _("for"), max_length=8, choices=CaseAudience.choices, default=CaseAudience.BOARD
    )
    language = models.CharField(
        _("language"), max_length=2, choices=CaseLanguage.choices, default=CaseLanguage.EN
    )
    first_year = models.PositiveSmallIntegerField(_("first year"))
    horizon_years = models.PositiveSmallIntegerField(
        _("years"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How many years the case covers, from the first year."),
    )
    cost_contingency = models.DecimalField(
        _("contingency on cost (%)"),
        max_digits=5,
        decimal_places=2,
        default=20,
        help_text=_("It will cost more than first planned: added to every year's cost."),
    )
    schedule_contingency = models.DecimalField(
        _("contingency on schedule (%)"),
        max_digits=5,
        decimal_places=2,
        default=20,
        help_text=_("It will take longer than first planned: each initiative's duration grows."),
    )
    summary = models.TextField(_("summary"), blank=True)
    ask = models.TextField(
        _("the ask"), blank=True, help_text=_("What you ask for: support, resources, budget.")
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("business case")
        verbose_name_plural = _("business cases")
        ordering = ("-first_year", "title")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "title"], name="business_case_unique"),
            models.CheckConstraint(
                condition=models.Q(cost_contingency__gte=0, cost_contingency__lte=500),
                name="business_case_cost_contingency",
            ),
            models.CheckConstraint(
                condition=models.Q(schedule_contingency__gte=0, schedule_contingency__lte=500),
                name="business_case_schedule_contingency",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def last_year(self) -> int:
        return self.first_year + self.horizon_years - 1

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.first_year + self.horizon_years))
