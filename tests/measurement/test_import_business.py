"""Business-system CSVs — CRM leads and deals, support tickets — read through a column mapping
the workspace saves once. Expected figures are worked out here with the csv module."""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from converge.core import services as core_services
from converge.core.errors import ConvergeError
from converge.core.models import AuditEntry
from converge.core.policy import NotPermitted
from converge.measurement import selectors, services
from converge.measurement.importers.base import FormatError
from converge.measurement.importers.business import (
    BusinessImporter,
    MappingSpec,
    normalised,
    preview,
)
from converge.measurement.models import ColumnMapping, Import, Observation
from tests.conftest import World

FILES = Path(__file__).resolve().parent / "files"
HUBSPOT = FILES / "hubspot_contacts.csv"
HUBSPOT_BAD = FILES / "hubspot_contacts_bad_dates.csv"
SALESFORCE = FILES / "salesforce_opportunities.csv"
PIPEDRIVE = FILES / "pipedrive_affarer.csv"
ZENDESK = FILES / "zendesk_tickets.csv"


def rows(path: Path, encoding: str = "utf-8-sig", delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(newline="", encoding=encoding) as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def header(path: Path, encoding: str = "utf-8-sig", delimiter: str = ",") -> tuple[str, ...]:
    with path.open(newline="", encoding=encoding) as handle:
        return normalised(next(csv.reader(handle, delimiter=delimiter)))


def parsed(path: Path, **spec: Any) -> Any:
    importer = BusinessImporter(
        MappingSpec(name=path.stem, header=header(path, **spec.pop("read", {})), **spec)
    )
    data = path.read_bytes()
    assert importer.sniff(data[:65536], path.name)
    return importer.parse(data, path.name)


def by_metric(result: Any) -> dict[str, dict[date, Decimal]]:
    found: dict[str, dict[date, Decimal]] = defaultdict(dict)
    for obs in result.observations:
        assert obs.channel is None
        found[obs.metric][obs.day] = obs.value
    return dict(found)


# --- the importer on its own ---------------------------------------------------------------------


def test_leads_are_counted_per_day_exactly() -> None:
    expected = Counter(date.fromisoformat(r["Create Date"][:10]) for r in rows(HUBSPOT))
    result = parsed(HUBSPOT, kind="leads", date_column="Create Date")
    assert result.problems == [] and result.platform == "other"
    assert by_metric(result) == {"leads": {d: Decimal(n) for d, n in expected.items()}}
    assert sum(expected.values()) == 46


def test_leads_can_be_limited_to_one_status() -> None:
    social = [r for r in rows(HUBSPOT) if r["Original Source"] == "Social Media"]
    expected = Counter(date.fromisoformat(r["Create Date"][:10]) for r in social)
    result = parsed(
        HUBSPOT,
        kind="leads",
        date_column="Create Date",
        status_column="original source",
        status_value="SOCIAL MEDIA",
    )
    assert by_metric(result)["leads"] == {d: Decimal(n) for d, n in expected.items()}
    assert 0 < len(social) < 46


def test_won_deals_are_counted_and_their_amounts_summed_as_decimal() -> None:
    won = [r for r in rows(SALESFORCE, "utf-8") if r["Stage"] == "Closed Won"]
    count: Counter[date] = Counter()
    revenue: dict[date, Decimal] = defaultdict(Decimal)
    for r in won:
        day = datetime.strptime(r["Close Date"], "%m/%d/%Y").date()
        count[day] += 1
        revenue[day] += Decimal(r["Amount"].replace("$", "").replace(",", ""))
    result = parsed(
        SALESFORCE,
        read={"encoding": "utf-8"},
        kind="deals",
        date_column="Close Date",
        date_order="mdy",
        amount_column="Amount",
        status_column="Stage",
        status_value="Closed Won",
    )
    found = by_metric(result)
    assert found["conversions"] == {d: Decimal(n) for d, n in count.items()}
    assert found["attributed_revenue"] == dict(revenue)
    assert all(isinstance(v, Decimal) for v in found["attributed_revenue"].values())
    assert sum(found["attributed_revenue"].values()) == sum(revenue.values())


def test_deals_from_a_swedish_excel_file_read_day_first_with_comma_decimals() -> None:
    table = rows(PIPEDRIVE, "cp1252", ";")
    revenue: dict[date, Decimal] = defaultdict(Decimal)
    for r in table:
        day = datetime.strptime(r["Vunnen den"], "%d.%m.%Y").date()
        revenue[day] += Decimal(r["Värde"].replace(" ", "").replace(",", "."))
    result = parsed(
        PIPEDRIVE,
        read={"encoding": "cp1252", "delimiter": ";"},
        kind="deals",
        date_column="Vunnen den",
        date_order="dmy",
        amount_column="Värde",
    )
    found = by_metric(result)
    assert found["attributed_revenue"] == dict(revenue)
    assert sum(found["conversions"].values()) == len(table) == 15


def test_tickets_give_the_count_the_answered_and_the_median_first_response() -> None:
    table = rows(ZENDESK, "utf-8")
    created: Counter[date] = Counter()
    seconds: dict[date, list[int]] = defaultdict(list)
    for r in table:
        start = datetime.fromisoformat(r["Created at"])
        created[start.date()] += 1
        if r["First response at"]:
            delta = datetime.fromisoformat(r["First response at"]) - start
            seconds[start.date()].append(int(delta.total_seconds()))
    result = parsed(
        ZENDESK,
        read={"encoding": "utf-8"},
        kind="tickets",
        date_column="Created at",
        response_column="First response at",
        time_zone="Europe/Stockholm",
    )
    found = by_metric(result)
    assert found["inbound_messages"] == {d: Decimal(n) for d, n in created.items()}
    assert found["responses"] == {d: Decimal(len(s)) for d, s in seconds.items()}
    medians = {
        d: (Decimal(str(statistics.median(s))) / 60).quantize(Decimal("0.01"))
        for d, s in seconds.items()
    }
    assert found["median_first_response_time"] == medians
    assert len(table) == 40 and sum(len(s) for s in seconds.values()) < 40


def test_a_ticket_time_with_an_offset_counts_on_the_workspaces_calendar_day() -> None:
    text = (
        "Id,Created,First reply\n"
        "1,2026-03-01T23:30:00Z,2026-03-02T00:15:30Z\n"
        "2,2026-03-02 09:00,2026-03-02 09:10\n"
    )
    importer = BusinessImporter(
        MappingSpec(
            name="Zendesk",
            kind="tickets",
            header=("id", "created", "first reply"),
            date_column="Created",
            response_column="First reply",
            time_zone="Europe/Stockholm",
        )
    )
    result = importer.parse(text.encode(), "t.csv")
    found = by_metric(result)
    assert found["inbound_messages"] == {date(2026, 3, 2): 2}
    assert found["median_first_response_time"] == {date(2026, 3, 2): Decimal("27.75")}


def test_bad_dates_and_amounts_become_problems_with_line_and_column() -> None:
    result = parsed(HUBSPOT_BAD, kind="leads", date_column="Create Date")
    assert [(p.line, p.column) for p in result.problems] == [
        (5, "Create Date"),
        (10, "Create Date"),
    ]
    assert "“igår” is not a date" in result.problems[1].message
    text = "Deal,Amount,Closed\nA,12 500,2026-03-01\nB,lots,2026-03-02\nC,,2026-03-02\n"
    importer = BusinessImporter(
        MappingSpec(
            name="deals",
            kind="deals",
            header=("deal", "amount", "closed"),
            date_column="Closed",
            amount_column="Amount",
        )
    )
    deals = importer.parse(text.encode(), "d.csv")
    assert [(p.line, p.column) for p in deals.problems] == [(3, "Amount")]
    assert by_metric(deals)["attributed_revenue"] == {
        date(2026, 3, 1): Decimal(12500),
        date(2026, 3, 2): Decimal(0),
    }


def test_a_mapping_recognises_only_its_own_header() -> None:
    importer = BusinessImporter(
        MappingSpec(name="h", kind="leads", header=header(HUBSPOT), date_column="Create Date")
    )
    assert importer.sniff(HUBSPOT.read_bytes(), HUBSPOT.name)
    assert not importer.sniff(SALESFORCE.read_bytes(), SALESFORCE.name)
    assert not importer.sniff(b"Record ID,First Name\n1,A\n", "x.csv")


def test_the_preview_shows_the_header_and_first_rows_and_refuses_what_is_no_table() -> None:
    table = preview(PIPEDRIVE.read_bytes())
    assert table.header == ["Titel", "Organisation", "Värde", "Valuta", "Vunnen den", "Status"]
    assert len(table.rows) == 5 and table.rows[0] == list(
        rows(PIPEDRIVE, "cp1252", ";")[0].values()
    )
    with pytest.raises(FormatError):
        preview(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(FormatError):
        preview(b"just one column\n1\n")


# --- the mapping, saved and used -------------------------------------------------------------------


def upload(client: Client, path: Path, name: str | None = None) -> Any:
    return client.post(
        "/w/acme/measurement/imports/",
        {"file": SimpleUploadedFile(name or path.name, path.read_bytes())},
    )


MAP_DEALS = {
    "name": "Salesforce deals",
    "kind": "deals",
    "date_column": "Close Date",
    "date_order": "mdy",
    "amount_column": "Amount",
    "status_column": "Stage",
    "status_value": "Closed Won",
    "response_column": "",
}


def test_an_unknown_csv_is_offered_for_mapping_and_the_mapping_is_used_at_once(
    world: World, signed_in, django_capture_on_commit_callbacks
) -> None:
    client = signed_in(world.lead)
    response = upload(client, SALESFORCE)
    assert "does not recognise" in response.context["form"].errors["file"][0]
    map_url = response.context["map_url"]
    assert map_url.startswith("/w/acme/measurement/imports/map/")
    assert "Map its columns" in response.content.decode()
    page = client.get(map_url)
    assert page.context["table"].header[3] == "Amount"
    assert page.context["table"].rows[0][0] == "Nordic Trail AB – Team kit"
    assert "Stage" in dict(page.context["form"].fields["status_column"].choices)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(map_url, MAP_DEALS)
    record = Import.objects.get()
    assert response.url == f"/w/acme/measurement/imports/{record.uuid}/"
    assert (record.format, record.status, record.file_name) == (
        "mapped_deals",
        "previewed",
        SALESFORCE.name,
    )
    mapping = ColumnMapping.objects.get()
    assert mapping.header[0] == "Opportunity Name" and mapping.created_by == world.lead
    entry = AuditEntry.objects.get(action="column_mapping.create")
    assert entry.changes["status_value"] == [None, "Closed Won"]
    services.import_commit(actor=world.lead, record=record)
    won = [r for r in rows(SALESFORCE, "utf-8") if r["Stage"] == "Closed Won"]
    total = sum(Decimal(r["Amount"].replace("$", "").replace(",", "")) for r in won)
    stored = Observation.objects.filter(metric="attributed_revenue", channel=None)
    assert sum(o.value for o in stored) == total
    assert sum(o.value for o in Observation.objects.filter(metric="conversions")) == len(won)
    assert client.get(map_url).status_code == 404  # the kept file is gone once checked


def test_the_next_file_with_the_same_columns_is_recognised_without_asking(
    world: World, signed_in
) -> None:
    client = signed_in(world.lead)
    map_url = upload(client, HUBSPOT).context["map_url"]
    client.post(
        map_url,
        {"name": "HubSpot", "kind": "leads", "date_column": "Create Date", "date_order": "ymd"},
    )
    first = Import.objects.get()
    services.import_commit(actor=world.lead, record=first)
    assert Observation.objects.filter(metric="leads").count() == len(
        {r["Create Date"][:10] for r in rows(HUBSPOT)}
    )
    again = upload(client, HUBSPOT, "hubspot-crm-export-2026-03-16.csv")
    second = Import.objects.exclude(pk=first.pk).get()
    assert again.url == f"/w/acme/measurement/imports/{second.uuid}/"
    assert (second.format, second.new, second.changed) == ("mapped_leads", 0, 0)
    assert second.unchanged == first.new
    assert ColumnMapping.objects.count() == 1


def test_a_file_with_bad_dates_is_rejected_with_its_reasons_and_writes_nothing(
    world: World,
) -> None:
    services.mapping_create(
        actor=world.lead,
        workspace=world.workspace,
        name="HubSpot",
        kind="leads",
        header=list(rows(HUBSPOT)[0].keys()),
        date_column="Create Date",
    )
    record, _plan = services.import_check(
        actor=world.lead,
        workspace=world.workspace,
        data=HUBSPOT_BAD.read_bytes(),
        filename=HUBSPOT_BAD.name,
    )
    assert (record.status, record.rejected) == ("rejected", 2)
    assert [(p["line"], p["column"]) for p in record.problems] == [
        (5, "Create Date"),
        (10, "Create Date"),
    ]
    with pytest.raises(ConvergeError, match="Only a checked file"):
        services.import_commit(actor=world.lead, record=record)
    assert not Observation.objects.exists()


def test_the_mapping_page_says_what_a_kind_needs_and_a_wrong_mapping_shows_refused_rows(
    world: World, signed_in
) -> None:
    client = signed_in(world.lead)
    map_url = upload(client, ZENDESK).context["map_url"]
    response = client.post(
        map_url,
        {"name": "Zendesk", "kind": "tickets", "date_column": "Created at", "date_order": "ymd"},
    )
    assert "first response" in response.context["form"].errors["response_column"][0]
    response = client.post(
        map_url,
        {
            "name": "Zendesk",
            "kind": "deals",
            "date_column": "Created at",
            "date_order": "ymd",
            "amount_column": "Via",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    record = Import.objects.get()
    assert record.status == "rejected" and record.problems[0]["column"] == "Via"
    assert "“instagram” is not an amount." in record.problems[0]["message"]
    assert ColumnMapping.objects.count() == 1  # the file was read; its rows were refused


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date_column": "Closing day"}, "date_column", "no column"),
        ({"amount_column": ""}, "amount_column", "amount"),
        ({"status_value": ""}, "status_value", "status that counts"),
        ({"name": " "}, "name", "Name the mapping"),
        ({"kind": "invoices"}, "kind", "kind of file"),
    ],
)
def test_a_mapping_with_a_broken_rule_is_refused_beside_its_field(
    world: World, changes: dict[str, str], field: str, message: str
) -> None:
    values = {**MAP_DEALS, **changes}
    values.pop("response_column")
    with pytest.raises(ConvergeError, match=message) as caught:
        services.mapping_create(
            actor=world.lead,
            workspace=world.workspace,
            header=list(rows(SALESFORCE, "utf-8")[0].keys()),
            **values,
        )
    assert caught.value.field == field
    assert not ColumnMapping.objects.exists()


def test_one_header_has_one_mapping_and_deleting_it_is_audited(world: World, signed_in) -> None:
    fields = {**MAP_DEALS, "header": list(rows(SALESFORCE, "utf-8")[0].keys())}
    mapping = services.mapping_create(actor=world.lead, workspace=world.workspace, **fields)
    with pytest.raises(ConvergeError, match="already read with the mapping “Salesforce deals”"):
        services.mapping_create(actor=world.lead, workspace=world.workspace, **fields)
    assert [type(i).__name__ for i in selectors.mapped_importers(world.workspace)] == [
        "BusinessImporter"
    ]
    assert selectors.mapped_importers(world.other_workspace) == []
    response = signed_in(world.lead).post(
        f"/w/acme/measurement/imports/mappings/{mapping.uuid}/delete/"
    )
    assert response.status_code == 302 and not ColumnMapping.objects.exists()
    assert AuditEntry.objects.filter(action="column_mapping.delete").count() == 1


def test_a_member_can_neither_map_nor_delete(world: World, signed_in) -> None:
    token = services.unmapped_keep(
        actor=world.lead, workspace=world.workspace, data=SALESFORCE.read_bytes(), filename="s.csv"
    )
    client = signed_in(world.member)
    assert client.get(f"/w/acme/measurement/imports/map/{token}/").status_code == 403
    with pytest.raises(NotPermitted):
        services.mapping_create(
            actor=world.member,
            workspace=world.workspace,
            header=["a", "b"],
            name="x",
            kind="leads",
            date_column="a",
        )


def test_an_outsider_gets_404_for_the_mapping_pages(world: World, signed_in) -> None:
    token = services.unmapped_keep(
        actor=world.lead, workspace=world.workspace, data=SALESFORCE.read_bytes(), filename="s.csv"
    )
    mapping = services.mapping_create(
        actor=world.lead,
        workspace=world.workspace,
        header=list(rows(SALESFORCE, "utf-8")[0].keys()),
        **MAP_DEALS,
    )
    client = signed_in(world.outsider)
    for url in (
        f"/w/acme/measurement/imports/map/{token}/",
        f"/w/rival/measurement/imports/map/{token}/",
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, MAP_DEALS).status_code == 404
    for slug in ("acme", "rival"):
        url = f"/w/{slug}/measurement/imports/mappings/{mapping.uuid}/delete/"
        assert client.post(url).status_code == 404
    assert ColumnMapping.objects.filter(workspace=world.workspace).count() == 1
    assert not ColumnMapping.objects.filter(workspace=world.other_workspace).exists()


def test_a_file_that_is_no_table_is_not_offered_for_mapping(world: World, signed_in) -> None:
    response = upload_bytes(signed_in(world.lead), b"PK\x03\x04\x00\x00\x00binary", "book.xlsx")
    assert "does not recognise" in response.context["form"].errors["file"][0]
    assert response.context["map_url"] is None


def upload_bytes(client: Client, data: bytes, name: str) -> Any:
    return client.post("/w/acme/measurement/imports/", {"file": SimpleUploadedFile(name, data)})


# --- API -------------------------------------------------------------------------------------------


def api(world: World, user: Any = None, workspace: Any = None) -> Client:
    secret = core_services.api_token_create(
        actor=user or world.lead, workspace=workspace or world.workspace, name="t"
    ).secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_api_saves_a_mapping_and_an_upload_is_then_read_with_it(world: World) -> None:
    client = api(world)
    body = {
        "name": "Zendesk",
        "kind": "tickets",
        "header": list(rows(ZENDESK, "utf-8")[0].keys()),
        "date_column": "Created at",
        "response_column": "First response at",
    }
    base = "/api/v1/workspaces/acme/measurement"
    created = client.post(f"{base}/mappings", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["kind"] == "tickets"
    assert [m["name"] for m in client.get(f"{base}/mappings").json()] == ["Zendesk"]
    uploaded = client.post(
        f"{base}/imports", {"file": SimpleUploadedFile(ZENDESK.name, ZENDESK.read_bytes())}
    )
    assert uploaded.status_code == 201
    assert (uploaded.json()["format"], uploaded.json()["rejected"]) == ("mapped_tickets", 0)
    refused = client.post(
        f"{base}/mappings", {**body, "date_column": "Opened"}, content_type="application/json"
    )
    assert refused.status_code == 400 and refused.json()["details"]["field"] == "date_column"
    outsider = api(world, world.outsider, world.other_workspace)
    assert outsider.get(f"{base}/mappings").status_code == 404
    theirs = outsider.get("/api/v1/workspaces/rival/measurement/mappings").json()
    assert theirs == []
    member = api(world, world.member)
    assert member.post(f"{base}/mappings", body, content_type="application/json").status_code == 403


def test_csv_text_in_the_fixture_files_is_what_the_tests_assume() -> None:
    # Guards the fixtures themselves: newest-first HubSpot rows, a BOM, Swedish Excel bytes.
    assert HUBSPOT.read_bytes().startswith(b"\xef\xbb\xbf")
    days = [r["Create Date"] for r in rows(HUBSPOT)]
    assert days == sorted(days, reverse=True)
    assert "Värde" in io.StringIO(PIPEDRIVE.read_bytes().decode("cp1252")).readline()
