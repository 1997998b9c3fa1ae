"""The import flow with the generic long CSV: check, preview, commit, re-import, roll back."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from converge.core.models import AuditEntry
from converge.measurement import services
from converge.measurement.models import Channel, Import, Observation
from tests.conftest import World

GOOD = (
    "day,metric,channel,value\n"
    "2026-03-01,impressions,@acme,18250\n"
    '2026-03-02,impressions,@acme,"19 100,5"\n'
    "2026-03-01,leads,,42\n"
)


@pytest.fixture
def channel(world: World) -> Channel:
    return services.channel_save(
        actor=world.lead, workspace=world.workspace, platform="instagram", handle="@acme"
    )


def check(world: World, text: str, name: str = "figures.csv") -> tuple[Import, services.Plan]:
    return services.import_check(
        actor=world.lead, workspace=world.workspace, data=text.encode(), filename=name
    )


def test_a_file_is_checked_first_and_written_only_on_commit(world: World, channel: Channel) -> None:
    record, _plan = check(world, GOOD)
    assert (record.status, record.new, record.rejected) == ("previewed", 3, 0)
    assert record.format == "generic_long_csv"
    assert not Observation.objects.exists()
    services.import_commit(actor=world.lead, record=record)
    values = {(o.metric, o.day.isoformat()): o.value for o in Observation.objects.all()}
    assert values == {
        ("impressions", "2026-03-01"): Decimal("18250"),
        ("impressions", "2026-03-02"): Decimal("19100.5"),
        ("leads", "2026-03-01"): Decimal("42"),
    }
    row = Observation.objects.get(metric="leads")
    assert row.channel is None and row.source_import == record and row.source_line == 4


def test_importing_the_same_file_again_changes_nothing(world: World, channel: Channel) -> None:
    services.import_commit(actor=world.lead, record=check(world, GOOD)[0])
    again, _plan = check(world, GOOD)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 3)
    services.import_commit(actor=world.lead, record=again)
    assert Observation.objects.count() == 3


def test_a_changed_figure_is_shown_old_and_new_and_rolls_back(
    world: World, channel: Channel
) -> None:
    first = services.import_commit(actor=world.lead, record=check(world, GOOD)[0])
    record, plan = check(world, GOOD.replace("18250", "18300"))
    changed = [o for o in plan.outcomes if o.kind == "changed"]
    assert [(o.line, o.old, o.new) for o in changed] == [(2, "18250", "18300")]
    services.import_commit(actor=world.lead, record=record)
    assert Observation.objects.get(metric="impressions", day="2026-03-01").value == 18300
    with pytest.raises(Exception, match="roll that one back first"):
        services.import_rollback(actor=world.lead, record=first)
    services.import_rollback(actor=world.lead, record=record)
    assert Observation.objects.get(metric="impressions", day="2026-03-01").value == 18250
    services.import_rollback(actor=world.lead, record=Import.objects.get(pk=first.pk))
    assert not Observation.objects.exists()
    assert AuditEntry.objects.filter(action="import.rollback").count() == 2


@pytest.mark.parametrize(
    ("text", "column", "reason"),
    [
        (GOOD + "2026-13-01,leads,,3\n", "day", "not a date"),
        (GOOD + "2026-03-03,leads,,many\n", "value", "not a number"),
        (GOOD + "2026-03-03,happiness,,3\n", "metric", "not a metric"),
        (GOOD + "2026-03-03,leads,@nobody,3\n", "channel", "No channel"),
        (GOOD + "2099-01-01,leads,,3\n", "day", "future"),
        (GOOD + "2026-03-01,leads,,43\n", None, "appear again"),
    ],
)
def test_a_bad_row_rejects_the_whole_file_with_its_reason(
    world: World, channel: Channel, text: str, column: str | None, reason: str
) -> None:
    record, _plan = check(world, text)
    assert record.status == "rejected" and record.rejected == 1
    [problem] = record.problems
    assert problem["line"] == 5 and problem["column"] == column and reason in problem["message"]
    with pytest.raises(Exception, match="Only a checked file"):
        services.import_commit(actor=world.lead, record=record)
    assert not Observation.objects.exists()


def test_a_file_that_matches_no_format_says_what_was_expected(world: World) -> None:
    with pytest.raises(Exception, match="Generic long CSV") as caught:
        check(world, "name,age\nAnna,3\n")
    assert "does not recognise" in str(caught.value)


def test_the_generic_csv_needs_its_columns(world: World) -> None:
    with pytest.raises(Exception, match="does not recognise"):
        check(world, "day,metric\n2026-03-01,leads\n")


def test_a_member_cannot_import(world: World) -> None:
    from converge.core.policy import NotPermitted

    with pytest.raises(NotPermitted):
        services.import_check(
            actor=world.member, workspace=world.workspace, data=GOOD.encode(), filename="f.csv"
        )
    assert not Import.objects.exists()


def test_the_pages_upload_preview_commit_and_roll_back(
    world: World, channel: Channel, signed_in
) -> None:
    client = signed_in(world.lead)
    response = client.post(
        "/w/acme/measurement/imports/",
        {"file": SimpleUploadedFile("figures.csv", GOOD.encode())},
    )
    record = Import.objects.get()
    assert response.url == f"/w/acme/measurement/imports/{record.uuid}/"
    preview = client.get(response.url)
    assert [o.kind for o in preview.context["outcomes"]] == ["new", "new", "new"]
    client.post(f"/w/acme/measurement/imports/{record.uuid}/commit/")
    assert Observation.objects.count() == 3
    client.post(f"/w/acme/measurement/imports/{record.uuid}/rollback/")
    assert not Observation.objects.exists()
    assert signed_in(world.member).get("/w/acme/measurement/imports/").status_code == 200


def test_an_unrecognised_upload_shows_the_reason_beside_the_file(world: World, signed_in) -> None:
    response = signed_in(world.lead).post(
        "/w/acme/measurement/imports/", {"file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n")}
    )
    assert "does not recognise" in response.context["form"].errors["file"][0]


def test_the_shell_command_imports_and_exits_non_zero_on_rejection(
    world: World, channel: Channel, tmp_path: Path
) -> None:
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD)
    bad.write_text(GOOD + "2026-03-03,leads,,many\n")
    out = StringIO()
    call_command("converge_import", str(good), workspace="acme", dry_run=True, stdout=out)
    assert "3 new" in out.getvalue() and not Observation.objects.exists()
    call_command("converge_import", str(good), workspace="acme", stdout=out)
    assert Observation.objects.count() == 3
    err = StringIO()
    with pytest.raises(CommandError, match="Rejected"):
        call_command("converge_import", str(bad), workspace="acme", stderr=err)
    assert "line 5 [value]" in err.getvalue()


def test_channels_are_unique_per_platform_and_handle(
    world: World, channel: Channel, signed_in
) -> None:
    response = signed_in(world.lead).post(
        "/w/acme/measurement/channels/new/", {"platform": "instagram", "handle": "@ACME"}
    )
    assert "already exists" in response.context["form"].errors["handle"][0]


SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
ROPENSCI = SHARED / "x-twitter-analytics-export" / "ropensci-tweets"


def real_x_file() -> Path:
    if not ROPENSCI.exists():
        pytest.skip(f"the shared sample data is not at {SHARED}")
    return sorted(ROPENSCI.glob("tweet_activity_metrics_*.csv"))[0]


def test_a_real_x_export_is_imported_into_its_channel_once(world: World) -> None:
    import csv

    path = real_x_file()
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    x = services.channel_save(
        actor=world.lead, workspace=world.workspace, platform="x", handle="rOpenSci"
    )
    record, _plan = services.import_check(
        actor=world.lead, workspace=world.workspace, data=path.read_bytes(), filename=path.name
    )
    assert record.format == "x_tweet_activity" and record.channel == x
    assert (record.new, record.rejected) == (len({r["Tweet id"] for r in rows}), 0)
    services.import_commit(actor=world.lead, record=record)
    from converge.measurement.models import Post

    first = rows[0]
    post = Post.objects.get(channel=x, external_id=first["Tweet id"])
    assert Decimal(post.metrics["impressions"]) == Decimal(first["impressions"])
    again, _plan = services.import_check(
        actor=world.lead, workspace=world.workspace, data=path.read_bytes(), filename=path.name
    )
    assert (again.new, again.changed, again.unchanged) == (0, 0, record.new)


def test_a_business_figure_is_entered_by_hand_corrected_and_audited(
    world: World, signed_in
) -> None:
    client = signed_in(world.lead)
    client.post(
        "/w/acme/measurement/figures/", {"metric": "leads", "day": "2026-10-31", "value": "120"}
    )
    client.post(
        "/w/acme/measurement/figures/", {"metric": "leads", "day": "2026-10-31", "value": "125"}
    )
    row = Observation.objects.get()
    assert (row.metric, row.value, row.channel) == ("leads", 125, None)
    entries = AuditEntry.objects.filter(action="observation.set").order_by("at", "id")
    assert [e.changes["value"] for e in entries] == [[None, "120"], ["120", "125"]]
    future = client.post(
        "/w/acme/measurement/figures/", {"metric": "leads", "day": "2099-01-01", "value": "1"}
    )
    assert "future" in future.context["form"].errors["day"][0]
    member = signed_in(world.member).post(
        "/w/acme/measurement/figures/", {"metric": "leads", "day": "2026-10-30", "value": "1"}
    )
    assert member.status_code == 403
    assert Observation.objects.count() == 1
