"""Shared fixtures: a workspace with its three standard people — a lead, a department member
and an owner — and an outsider who belongs to another workspace."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client

from converge.core.models import Department, Membership, Role, User, Workspace
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory, WorkspaceFactory

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@dataclass
class World:
    workspace: Workspace
    owner: User
    lead: User
    member: User
    executive: User
    guest: User
    department: Department
    other_workspace: Workspace
    outsider: User


@pytest.fixture
def world(db: None) -> World:
    workspace = WorkspaceFactory(name="Acme Outdoor", slug="acme")
    owner = UserFactory(email="owner@acme.example", full_name="Olivia Owner")
    lead = UserFactory(email="lead@acme.example", full_name="Leo Lead")
    member = UserFactory(email="member@acme.example", full_name="Mia Member")
    executive = UserFactory(email="exec@acme.example", full_name="Erik Executive")
    guest = UserFactory(email="guest@acme.example", full_name="Greta Guest")
    memberships = {
        u.pk: MembershipFactory(workspace=workspace, user=u, role=r)
        for u, r in [
            (owner, Role.OWNER),
            (lead, Role.LEAD),
            (member, Role.MEMBER),
            (executive, Role.EXECUTIVE),
            (guest, Role.GUEST),
        ]
    }
    department = DepartmentFactory(
        workspace=workspace,
        name="Customer Service",
        slug="customer-service",
        kind="customer_service",
    )
    department.members.add(memberships[member.pk])
    other = WorkspaceFactory(name="Rival Gear", slug="rival")
    outsider = UserFactory(email="outsider@rival.example", full_name="Oscar Outsider")
    MembershipFactory(workspace=other, user=outsider, role=Role.OWNER)
    return World(
        workspace=workspace,
        owner=owner,
        lead=lead,
        member=member,
        executive=executive,
        guest=guest,
        department=department,
        other_workspace=other,
        outsider=outsider,
    )


def membership(user: User, workspace: Workspace) -> Membership:
    return Membership.objects.get(user=user, workspace=workspace)


@pytest.fixture
def signed_in(client: Client):  # type: ignore[no-untyped-def]
    """``signed_in(user)`` returns the test client signed in as ``user``."""

    def sign_in(user: User) -> Client:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings) -> None:  # type: ignore[no-untyped-def]
    """Background work (big imports) runs inside the request that asked for it, so a test
    sees its outcome at once. ``tests/core/test_tasks.py`` tests the embedded thread backend."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Uploads (import files, their stages, attachments) go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.
    ``tests/core/test_accounts.py`` checks that the real configuration hashes with Argon2."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
