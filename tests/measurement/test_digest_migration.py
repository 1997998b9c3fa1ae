"""Migration 0009 computes every stored post's digest again as XXH3-128: after it, a re-import
of the same file finds every post unchanged, as it did with the MD5 digests before it; back
to 0008, the digests are MD5 of the same canonical text again."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command

from converge.measurement import services, staging
from converge.measurement.models import Channel, Post
from tests.conftest import World
from tests.measurement.test_import_posts import FILE, check

pytestmark = pytest.mark.skipif(not FILE.is_file(), reason=f"{FILE} is not present")


def canonical(post: Post) -> bytes:
    return staging.SEP.join(
        (
            staging.utc_text(post.published_at),
            post.text,
            post.kind,
            post.link,
            staging.metrics_json(post.metrics),
        )
    ).encode()


@pytest.mark.django_db(transaction=True)
def test_the_digests_are_computed_again_both_ways_and_a_re_import_still_changes_nothing(
    world: World,
) -> None:
    services.channel_save(
        actor=world.lead, workspace=world.workspace, platform="x", handle="rOpenSci"
    )
    first = services.import_commit(actor=world.lead, record=check(world, FILE.read_bytes())[0])
    imported = {p.pk: p.digest for p in Post.objects.all()}
    assert len(imported) == first.new > 30

    call_command("migrate", "measurement", "0008", verbosity=0)
    posts = list(Post.objects.all())
    assert all(
        p.digest == hashlib.md5(canonical(p), usedforsecurity=False).hexdigest() for p in posts
    )
    assert all(p.digest != imported[p.pk] for p in posts)

    call_command("migrate", "measurement", verbosity=0)
    assert {p.pk: p.digest for p in Post.objects.all()} == imported
    again, _plan = check(world, FILE.read_bytes())
    assert (again.new, again.changed, again.unchanged) == (0, 0, first.new)
    assert Channel.objects.filter(workspace=world.workspace).count() == 1
