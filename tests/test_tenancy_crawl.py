"""The tenancy crawl: every URL of the app, as an outsider (a member of another workspace) and
as an anonymous visitor. Never a 2xx with another workspace's data: 404, or the sign-in page.

A new URL is covered automatically. If it takes a new kind of path parameter, add a sample
value for it to ``SAMPLES`` (the test fails until you do)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from converge.core import services
from converge.core.models import Membership
from tests.conftest import World
from tests.operating.builders import build_operating
from tests.strategy.builders import build_strategy

MARKER = "Tenancy-Secret-Aim-7f3a"

# Pages outside any workspace (public, or about the signed-in person only); still checked for leaks.
PUBLIC = {
    "home",
    "healthz",
    "vega_bundle",
    "signup",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation_open",
    "set_language",
    "workspace_list",
    "workspace_create",
    "profile",
    "password_change",
    "password_change_done",
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
    "calendar_feed",  # a secret token is the key; a wrong one is 404
}


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str


def walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", ns: str = ""
) -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner_ns = f"{ns}:{p.namespace}".strip(":") if p.namespace else ns
            yield from walk(p.url_patterns, prefix + str(p.pattern), inner_ns)
        else:
            yield Route(prefix + str(p.pattern), f"{ns}:{p.name}".strip(":"))


def routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for route in walk(get_resolver().url_patterns):
        if route.name.startswith("admin:") or route.pattern.startswith("static"):
            continue
        seen.setdefault(route.pattern, route)
    return list(seen.values())


@pytest.fixture
def victim(world: World) -> dict[str, str]:
    """The victim workspace "acme", with one object of every kind addressable by URL."""
    world.department.aims = MARKER
    world.department.save()
    invitation = services.invitation_create(
        actor=world.lead, workspace=world.workspace, email="pending@acme.example", role="member"
    ).invitation
    token = services.api_token_create(actor=world.lead, workspace=world.workspace, name="t").token
    member = Membership.objects.get(user=world.member, workspace=world.workspace)
    strategy = build_strategy(world)
    from converge.measurement import services as measurement

    channel = measurement.channel_save(
        actor=world.lead, workspace=world.workspace, platform="x", handle="@acme"
    )
    record, _plan = measurement.import_check(
        actor=world.lead,
        workspace=world.workspace,
        filename="f.csv",
        data=b"day,metric,channel,value\n2026-01-01,leads,,1\n",
    )
    metric = measurement.metric_create(
        actor=world.lead,
        workspace=world.workspace,
        key="store_visits",
        name_en="Store visits",
        name_sv="Butiksbesök",
        unit="count",
        aggregation="sum",
        amec="outcome",
        definition=MARKER,
    )
    upload = measurement.unmapped_keep(
        actor=world.lead,
        workspace=world.workspace,
        data=f"Created,{MARKER}\n2026-01-01,1\n".encode(),
        filename="crm.csv",
    )
    mapping = measurement.mapping_create(
        actor=world.lead,
        workspace=world.workspace,
        name=MARKER,
        kind="leads",
        header=["Lead created", "Owner"],
        date_column="Lead created",
    )
    note = measurement.annotation_save(
        actor=world.lead,
        workspace=world.workspace,
        day=date(2026, 1, 1),
        title=MARKER,
        kind="crisis",
        channel=channel,
    )
    from tests.governance.builders import build_governance

    governance = build_governance(world, MARKER)
    governance.pop("feed_token")
    operating = build_operating(world, MARKER)
    from converge.maturity import services as maturity

    assessment = maturity.assessment_start(actor=world.lead, workspace=world.workspace)
    from tests.finance.builders_budget import build_budget
    from tests.finance.builders_review import build_review
    from tests.finance.builders_value import build_value
    from tests.reports.builders import build_reports

    finance = {
        **build_budget(world, MARKER),
        **build_value(world, MARKER),
        **build_review(world, MARKER),
        **build_reports(world, MARKER),
    }
    return {
        **strategy,
        **finance,
        **governance,
        **operating,
        "annotation": str(note.uuid),
        "metric": str(metric.uuid),
        "key": metric.key,
        "upload": str(upload),
        "mapping": str(mapping.uuid),
        "channel": str(channel.uuid),
        "imp": str(record.uuid),
        "slug": world.workspace.slug,
        "member": str(member.uuid),
        "invitation": str(invitation.uuid),
        "department": world.department.slug,
        "token": str(token.uuid),
        "uidb64": "MQ",
        "area": "strategy",
        "fmt": "csv",
        "assessment": str(assessment.uuid),
        "criterion": "formalized-sponsor",
    }


def fill(pattern: str, samples: dict[str, str]) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in samples:
            pytest.fail(f"the crawl has no sample value for <{name}> in {pattern!r}: add one")
        return samples[name]

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", sub, pattern)


def test_the_crawl_sees_every_area_of_the_app() -> None:
    names = {r.name for r in routes()}
    assert {"department_detail", "grant_matrix", "audit_log", "api:department_get"} <= names
    assert len(names) > 40


def test_an_outsider_never_sees_another_workspaces_pages(
    world: World, victim: dict[str, str], signed_in
) -> None:
    client: Client = signed_in(world.outsider)
    checked = 0
    for route in routes():
        if route.name.startswith("api:") or route.name == "logout":
            continue  # signing out would end the outsider's session mid-crawl
        url = fill(route.pattern, victim)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert MARKER not in response.content.decode(errors="replace"), (method, url)
            if route.name not in PUBLIC:
                assert response.status_code == 404, (method, url, response.status_code)
                checked += 1
    assert checked > 40


def test_an_anonymous_visitor_is_sent_to_sign_in(world: World, victim: dict[str, str]) -> None:
    client = Client()
    for route in routes():
        if route.name.startswith("api:"):
            continue
        url = fill(route.pattern, victim)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert MARKER not in response.content.decode(errors="replace"), (method, url)
            if route.name not in PUBLIC:
                assert response.status_code == 302, (method, url, response.status_code)
                assert response.url.startswith("/accounts/login/"), (method, url)


def test_an_outsiders_token_never_reaches_another_workspace_through_the_api(
    world: World, victim: dict[str, str]
) -> None:
    secret = services.api_token_create(
        actor=world.outsider, workspace=world.other_workspace, name="outsider"
    ).secret
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    anonymous = Client()
    checked = 0
    for route in routes():
        if not route.name.startswith("api:") or route.name in PUBLIC:
            continue
        url = fill(route.pattern, victim)
        for method in ("get", "post", "put", "patch", "delete"):
            response = getattr(client, method)(url, data={}, content_type="application/json")
            body = response.content.decode(errors="replace")
            assert MARKER not in body and response.status_code >= 400, (method, url)
            if method == "get" and response.status_code != 405:
                assert response.status_code == 404, (url, response.status_code)
                checked += 1
            anon = getattr(anonymous, method)(url, data={}, content_type="application/json")
            assert anon.status_code in {401, 405}, (method, url, anon.status_code)
    assert checked >= 5
