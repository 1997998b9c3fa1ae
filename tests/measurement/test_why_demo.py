"""The demo's story, told by the "why": Instagram switched to shoppable catalogue posts in
April this year, and the engagement rate by reach fell. Between last year and this year, the
explanation must point at Instagram — at its own rate, not at a shift of reach."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.utils import timezone

from converge.core.demo import build_demo
from converge.core.models import User
from converge.measurement import explorer
from converge.measurement.catalogue import BY_KEY
from converge.measurement.demo_data import shoppable_switch
from converge.measurement.models import Channel
from converge.measurement.selectors import Period

RATE = BY_KEY["engagement_rate_reach"]


def test_the_why_of_the_engagement_rate_points_at_instagrams_switch(db: None) -> None:
    workspace = build_demo()
    today = timezone.localdate()
    assert shoppable_switch(today) < today
    instagram = Channel.objects.get(workspace=workspace, platform="instagram")
    this_year = Period(date(today.year, 1, 1), today)
    for last_year in (
        Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),  # the KPI's baseline
        Period(date(today.year - 1, 1, 1), today.replace(year=today.year - 1)),  # same days
    ):
        data = explorer.build(workspace, RATE, this_year, last_year)
        assert data.change is not None and data.change < 0
        assert sum(c.effect for c in data.why.channels) == data.change
        lead = data.why.lead()
        assert lead is not None and lead.channel == instagram.pk
        assert lead.share is not None and lead.share > 50
        assert lead.rate_effect < 0 and abs(lead.rate_effect) > abs(lead.mix_effect)
        assert lead.after is not None and lead.before is not None
        assert lead.after < lead.before * 8 / 10  # Instagram's own rate fell by a fifth at least
        assert (
            "of the fall came from Instagram @nordvikoutdoor, where the rate itself went from"
            in data.explanation
        )


def test_the_demo_lead_reads_it_on_the_explorer_page(db: None) -> None:
    build_demo()
    today = timezone.localdate()
    client = Client()
    client.force_login(User.objects.get(email="lead@nordvik.example"))
    query = f"from={today.year}-01-01&to={today}&vs_from={today.year - 1}-01-01&vs_to={today.year - 1}-12-31"
    html = client.get(f"/w/nordvik/measurement/metrics/engagement_rate_reach/?{query}").content
    assert "of the fall came from Instagram @nordvikoutdoor" in html.decode()
