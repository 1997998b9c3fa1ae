"""The demo's organisation: built once, the same however often the demo runs, and telling the
story the brief asks for."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from converge.core.models import AuditEntry, Workspace
from converge.operating import selectors
from converge.operating.models import (
    Acknowledgement,
    Executive,
    PolicyDocument,
    PracticeEntry,
    RaciAssignment,
    TeamMember,
    Touchpoint,
    TrainingCompletion,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _state() -> tuple[object, ...]:
    return (
        AuditEntry.objects.count(),
        sorted(TeamMember.objects.values_list("membership__user__email", "time_share")),
        sorted(
            RaciAssignment.objects.values_list(
                "activity__name", "department__name", "role", "pay_share"
            ),
            key=str,
        ),
        sorted(Acknowledgement.objects.values_list("version__number", "acknowledged_at"), key=str),
        TrainingCompletion.objects.count(),
        PracticeEntry.objects.count(),
        Touchpoint.objects.count(),
    )


def test_the_operating_demo_is_idempotent_and_tells_its_story(db: None) -> None:
    call_command("converge_demo", force=True)
    first = _state()
    call_command("converge_demo", force=True)
    assert _state() == first

    ws = Workspace.objects.get(slug="nordvik")
    model = selectors.operating_model(ws)
    assert model is not None and model.kind == "hub_and_spoke"
    assert selectors.team(ws).count() == 3
    gaps = selectors.raci_matrix(ws).gaps
    assert [(g.activity, g.kind) for g in gaps] == [("Tool purchases", "shares_not_100")]
    policy = PolicyDocument.objects.get(workspace=ws, kind="policy")
    current = selectors.versions(policy)[0]
    assert current.number == 2
    status = selectors.ack_status(current)
    assert 0 < status.done < status.asked
    assert PolicyDocument.objects.filter(workspace=ws, kind="playbook").count() == 2
    assert Executive.objects.get(workspace=ws, is_sponsor=True).membership.user.email == (
        "cmo@nordvik.example"
    )
    assert Touchpoint.objects.filter(workspace=ws).count() >= 3
    assert 8 <= PracticeEntry.objects.filter(workspace=ws).count() <= 12
    assert TrainingCompletion.objects.filter(workspace=ws).count() > 5
