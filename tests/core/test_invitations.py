"""Invitations by e-mail: the happy path, and every way a link can be wrong, creating nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from converge.core import services
from converge.core.errors import ConvergeError
from converge.core.models import Invitation, Membership, Role, User
from tests.conftest import World


def invite(world: World, email: str = "newbie@acme.example", role: str = Role.MEMBER) -> str:
    issued = services.invitation_create(
        actor=world.lead,
        workspace=world.workspace,
        email=email,
        role=role,
        department=world.department,
    )
    return issued.token


def test_a_lead_invites_by_email_and_the_link_is_in_the_mail(world: World, signed_in) -> None:
    client = signed_in(world.lead)
    response = client.post(
        "/w/acme/members/",
        {"email": "Newbie@Acme.example", "role": "member", "department": world.department.pk},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newbie@acme.example"]
    assert "Acme Outdoor" in message.subject
    link = re.search(r"http://testserver(/invitations/\S+/)", message.body)
    assert link is not None
    invitation = Invitation.objects.get()
    assert invitation.token_hash not in message.body  # only the hash is stored


def test_a_new_person_accepts_by_creating_an_account(world: World, client) -> None:
    token = invite(world)
    page = client.get(f"/invitations/{token}/")
    assert page.status_code == 200 and "Create account and join" in page.content.decode()
    response = client.post(
        f"/invitations/{token}/",
        {
            "full_name": "Nina Newbie",
            "password1": "walk-the-fjall-42",
            "password2": "walk-the-fjall-42",
        },
    )
    assert response.status_code == 302 and response.url == "/w/acme/"
    person = User.objects.get(email="newbie@acme.example")
    m = Membership.objects.get(user=person, workspace=world.workspace)
    assert m.role == Role.MEMBER
    assert world.department.members.filter(pk=m.pk).exists()
    assert client.get("/w/acme/").status_code == 200  # signed in


def test_a_bad_password_shows_beside_the_field_and_creates_nothing(world: World, client) -> None:
    token = invite(world)
    response = client.post(
        f"/invitations/{token}/", {"full_name": "Nina", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="newbie@acme.example").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_expired_invitation_says_so_and_creates_nothing(world: World, client) -> None:
    token = invite(world)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.get(f"/invitations/{token}/")
        assert response.status_code == 410
        assert "expired" in response.content.decode()
        response = client.post(
            f"/invitations/{token}/",
            {"full_name": "N", "password1": "walk-the-fjall-42", "password2": "walk-the-fjall-42"},
        )
        assert response.status_code == 410
    assert not User.objects.filter(email="newbie@acme.example").exists()


def test_a_used_invitation_cannot_be_used_again(world: World, client) -> None:
    token = invite(world)
    services.invitation_accept(token=token, full_name="Nina", password="walk-the-fjall-42")
    client.logout()
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    with pytest.raises(ConvergeError, match="already been used"):
        services.invitation_accept(token=token, full_name="Again", password="walk-the-fjall-42")
    assert Membership.objects.filter(workspace=world.workspace).count() == 6


def test_an_invitation_opened_by_someone_else_signed_in_is_refused(world: World, signed_in) -> None:
    token = invite(world)
    client = signed_in(world.outsider)
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 410
    body = response.content.decode()
    assert "newbie@acme.example" in body and "outsider@rival.example" in body
    client.post(f"/invitations/{token}/")
    assert not Membership.objects.filter(user=world.outsider, workspace=world.workspace).exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_withdrawn_invitation_is_refused(world: World, client) -> None:
    token = invite(world)
    services.invitation_revoke(actor=world.lead, invitation=Invitation.objects.get())
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 410 and "withdrawn" in response.content.decode()


def test_a_made_up_link_is_not_found(world: World, client) -> None:
    response = client.get("/invitations/not-a-real-token/")
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_an_existing_account_signs_in_then_accepts(world: World, signed_in) -> None:
    token = invite(world, email=world.outsider.email, role=Role.GUEST)
    client = signed_in(world.outsider)
    assert client.post(f"/invitations/{token}/").status_code == 302
    assert Membership.objects.get(user=world.outsider, workspace=world.workspace).role == Role.GUEST


def test_inviting_a_member_again_is_refused_beside_the_email(world: World, signed_in) -> None:
    response = signed_in(world.lead).post(
        "/w/acme/members/", {"email": world.member.email, "role": "member"}
    )
    assert response.status_code == 200
    assert "already a member" in response.context["form"].errors["email"][0]
    assert not Invitation.objects.exists()


def test_only_an_owner_may_invite_an_owner(world: World) -> None:
    with pytest.raises(ConvergeError, match="owner"):
        invite(world, role=Role.OWNER)
    assert not Invitation.objects.exists()


def test_when_the_mail_cannot_be_sent_no_invitation_is_kept(
    world: World, signed_in, settings
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens on the discard port here
    settings.EMAIL_TIMEOUT = 2
    response = signed_in(world.lead).post(
        "/w/acme/members/", {"email": "newbie@acme.example", "role": "member"}
    )
    assert response.status_code == 200
    assert "could not be sent" in response.context["form"].errors["email"][0]
    assert not Invitation.objects.exists()
