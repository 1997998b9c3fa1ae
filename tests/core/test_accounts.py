"""Accounts: sign in and out, reset a password by e-mail, Argon2, throttled failures."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.core import mail
from django.test import Client

import converge.settings as project_settings
from converge.core.models import User, Workspace
from tests.conftest import World


def test_the_project_hashes_passwords_with_argon2() -> None:
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_a_password_hashed_with_the_project_settings_is_argon2(settings) -> None:
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert identify_hasher(make_password("nordvik-demo")).algorithm == "argon2"


def test_a_person_signs_in_with_email_and_password_and_signs_out(world: World) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "lead@acme.example", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.get("/w/acme/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/w/acme/").status_code == 302


def test_a_wrong_password_says_so_on_the_form(world: World) -> None:
    response = Client().post(
        "/accounts/login/", {"username": "lead@acme.example", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "correct email address and password" in response.content.decode().replace(
        "e-mail", "email"
    )


def test_repeated_failed_sign_ins_are_throttled_with_a_clear_message(world: World) -> None:
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "lead@acme.example", "password": "nope"})
    response = client.post(
        "/accounts/login/", {"username": "lead@acme.example", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert client.get("/w/acme/").status_code == 302  # still not signed in


def test_a_forgotten_password_is_reset_through_the_emailed_link(world: World) -> None:
    client = Client()
    client.post("/accounts/password-reset/", {"email": "lead@acme.example"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-secret-9", "new_password2": "a-brand-new-secret-9"},
    )
    assert response.status_code == 302
    assert User.objects.get(email="lead@acme.example").check_password("a-brand-new-secret-9")


def test_a_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(db: None) -> None:
    response = Client().post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_signing_up_then_creating_a_workspace_makes_you_its_owner(db: None) -> None:
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Frida Founder",
            "email": "frida@example.org",
            "password1": "fjord-and-fell-77",
            "password2": "fjord-and-fell-77",
        },
    )
    assert response.url == "/w/new/"
    response = client.post(
        "/w/new/",
        {
            "name": "Fjord AB",
            "slug": "fjord",
            "time_zone": "Europe/Oslo",
            "currency": "NOK",
            "default_language": "sv",
        },
    )
    assert response.url == "/w/fjord/"
    workspace = Workspace.objects.get(slug="fjord")
    assert workspace.memberships.get().role == "owner"
    assert (workspace.time_zone, workspace.currency) == ("Europe/Oslo", "NOK")


@pytest.mark.parametrize(
    ("slug", "message"),
    [("acme", "already taken"), ("new", "reserved"), ("", "This field is required")],
)
def test_a_workspace_slug_must_be_free_and_valid(
    world: World, signed_in, slug: str, message: str
) -> None:
    response = signed_in(world.outsider).post(
        "/w/new/",
        {
            "name": "X",
            "slug": slug,
            "time_zone": "UTC",
            "currency": "SEK",
            "default_language": "en",
        },
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors["slug"][0]
    assert Workspace.objects.count() == 2


def test_a_person_changes_their_name_and_password(world: World, signed_in) -> None:
    client = signed_in(world.member)
    response = client.post("/accounts/profile/", {"full_name": "Mia Medlem", "title": "Agent"})
    assert response.status_code == 302
    empty = client.post("/accounts/profile/", {"full_name": "  ", "title": ""})
    assert empty.context["form"].errors["full_name"]
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "correct-horse-battery",
            "new_password1": "another-long-secret-5",
            "new_password2": "another-long-secret-5",
        },
    )
    assert response.status_code == 302
    world.member.refresh_from_db()
    assert world.member.full_name == "Mia Medlem"
    assert world.member.check_password("another-long-secret-5")
