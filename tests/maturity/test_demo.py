"""The demo's maturity journey: three snapshots, Presence → Engagement → Formalized over two
years; idempotent; and a new run on the live demo data comes out at Formalized too, with what
is missing for Strategic as its next steps."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from converge.core.models import User, Workspace
from converge.maturity import selectors, services
from converge.maturity.models import Assessment


@pytest.mark.django_db
def test_the_demo_shows_the_journey_and_a_new_run_is_consistent() -> None:
    call_command("converge_demo", force=True)
    workspace = Workspace.objects.get(slug="nordvik")
    history = selectors.history(workspace)
    assert [a.snapshot["stage"] for a in history] == [2, 3, 4]
    first, last = history[0].finished_on, history[-1].finished_on
    assert first is not None and last is not None
    assert (last - first).days > 365
    assert all(a.respondents.count() == 3 for a in history)

    call_command("converge_demo", force=True)
    assert Assessment.objects.filter(workspace=workspace).count() == 3

    lead = User.objects.get(email="lead@nordvik.example")
    run = services.assessment_start(actor=lead, workspace=workspace)
    results = selectors.results(run)
    assert results["stage"] == 4  # Formalized, as the last snapshot said
    assert results["complete_stages"][:4] == [1, 2, 3, 4]
    assert results["missing"] and all(m.startswith("strategic-") for m in results["missing"])
