"""The demo's operating rhythm: four committees with members, past meetings with minutes,
decisions and actions (some done, some overdue), and a quarterly review; built idempotently."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from converge.core.models import AuditEntry
from converge.governance.models import (
    ActionItem,
    Adaptation,
    Attendance,
    Committee,
    CommitteeMember,
    Decision,
    Meeting,
    Review,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _state() -> tuple[object, ...]:
    return (
        sorted(Committee.objects.values_list("name", "rrule", "chair__user__email")),
        sorted(
            CommitteeMember.objects.values_list(
                "committee__name", "membership__user__email", "department__name"
            )
        ),
        sorted(Meeting.objects.values_list("committee__name", "occurrence", "status", "minutes")),
        sorted(Decision.objects.values_list("text", "status")),
        sorted(ActionItem.objects.values_list("title", "status", "due_on")),
        Attendance.objects.count(),
        sorted(Adaptation.objects.values_list("kind", "text")),
        AuditEntry.objects.count(),
    )


def test_the_demo_builds_the_operating_rhythm_idempotently(db: None) -> None:
    call_command("converge_demo", force=True)
    first = _state()
    call_command("converge_demo", force=True)
    assert _state() == first
    assert Committee.objects.count() == 4
    today = timezone.localdate()
    actions = ActionItem.objects.all()
    assert actions.filter(status="done").exists()
    assert actions.filter(status="open", due_on__lt=today).exists()
    assert Meeting.objects.filter(status="held").exclude(minutes="").count() >= 8
    assert Meeting.objects.filter(status="held", pack__isnull=True).count() == 0
    assert Meeting.objects.filter(status="cancelled").exists()
    assert Meeting.objects.filter(starts_at__gte=timezone.now()).count() >= 4 * 6
    review = Review.objects.get()
    assert set(review.adaptations.values_list("kind", flat=True)) == {"start", "stop", "change"}
    assert review.adaptations.filter(kpis__isnull=False).exists()
    assert Decision.objects.filter(status="pending").exists()
    assert Decision.objects.filter(kpis__isnull=False).exists()
