"""Budget pages: who sees and who edits, the overview's figures and queries, allocations,
spend and the two-step import."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from converge.core import services as core_services
from converge.finance.budget import services
from converge.finance.models import Allocation, BudgetLine, SpendEntry, SpendImport
from converge.strategy.models import SocialObjective
from tests.conftest import World
from tests.finance.builders_budget import line

pytestmark = pytest.mark.django_db

BASE = "/w/acme/budget/"


@pytest.fixture
def budget(world: World) -> dict[str, BudgetLine]:
    ig = line(world, "Paid social: Instagram", platform="instagram", planned="240000")
    suite = line(world, "Management suite", category="tools", planned="96000", committed="96000")
    lead = line(world, "Social Media Lead", category="staff", fte="1", planned="650000")
    for month in (1, 2, 3):
        services.spend_add(
            actor=world.lead,
            workspace=world.workspace,
            line=ig,
            day=date(2026, month, 28),
            amount=Decimal("20000"),
            supplier="Meta",
        )
    services.spend_add(
        actor=world.lead,
        workspace=world.workspace,
        line=suite,
        day=date(2026, 1, 15),
        amount=Decimal("96000"),
        supplier="Suite AB",
    )
    return {"ig": ig, "suite": suite, "lead": lead}


def test_the_menu_leads_to_the_budget_and_the_overview_adds_up(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    client = signed_in(world.lead)
    home = client.get("/w/acme/").content.decode()
    assert f'href="{BASE}"' in home
    page = client.get(BASE + "?year=2026").content.decode()
    assert "Budget 2026" in page
    assert "986,000 SEK" in page  # 240 000 + 96 000 + 650 000 planned
    assert "156,000 SEK" in page  # 60 000 + 96 000 actual
    assert "16 %" in page  # 156 000 / 986 000
    assert "Tools and software" in page and "Staff" in page
    assert f"spend/?line={budget['ig'].uuid}" in page  # actual links to its rows
    assert "New budget line" in page


def test_the_overview_defaults_to_this_year(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    with time_machine.travel(date(2027, 2, 1)):
        page = signed_in(world.lead).get(BASE).content.decode()
    assert "Budget 2027" in page and "No budget lines for 2027 yet." in page


def test_an_executive_sees_the_budget_but_cannot_edit_it(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    client = signed_in(world.executive)
    page = client.get(BASE + "?year=2026").content.decode()
    assert "986,000 SEK" in page
    assert "New budget line" not in page
    detail = client.get(f"{BASE}lines/{budget['ig'].uuid}/").content.decode()
    assert "Delete this line" not in detail and "240,000 SEK" in detail
    assert client.get(f"{BASE}lines/new/").status_code == 403
    response = client.post(f"{BASE}lines/{budget['ig'].uuid}/delete/")
    assert response.status_code == 403
    assert BudgetLine.objects.filter(pk=budget["ig"].pk).exists()


def test_a_member_without_the_grant_gets_the_not_permitted_page(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    client = signed_in(world.member)
    for url in (BASE, f"{BASE}years/", f"{BASE}spend/", f"{BASE}lines/{budget['ig'].uuid}/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "240,000" not in response.content.decode()


def test_a_department_granted_view_budget_sees_it(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    core_services.grants_set(
        actor=world.lead, department=world.department, capabilities=["view_budget"]
    )
    client = signed_in(world.member)
    page = client.get(BASE + "?year=2026")
    assert page.status_code == 200 and "986,000 SEK" in page.content.decode()
    assert "New budget line" not in page.content.decode()
    assert client.get(f"{BASE}spend/new/").status_code == 403


def test_a_lead_creates_and_edits_a_line_through_the_form(world: World, signed_in) -> None:
    client = signed_in(world.lead)
    response = client.post(
        f"{BASE}lines/new/",
        {
            "year": 2026,
            "category": "staff",
            "name": "Community Manager",
            "planned": "450000",
            "committed": "",
            "fte": "1",
            "platform": "",
            "department": "",
            "note": "",
        },
    )
    made = BudgetLine.objects.get(name="Community Manager")
    assert response.status_code == 302 and response.url == f"{BASE}lines/{made.uuid}/"
    assert made.fte == Decimal("1.00")
    client.post(
        f"{BASE}lines/{made.uuid}/edit/",
        {"year": 2026, "category": "staff", "name": "Community Manager", "planned": "470000"},
    )
    made.refresh_from_db()
    assert made.planned == Decimal("470000.00")


def test_a_form_error_from_the_service_is_shown_next_to_its_field(world: World, signed_in) -> None:
    response = signed_in(world.lead).post(
        f"{BASE}lines/new/",
        {
            "year": 2026,
            "category": "tools",
            "name": "Suite",
            "planned": "1000",
            "platform": "instagram",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_platform_errors"' in page and "Only paid social lines have a platform." in page
    assert not BudgetLine.objects.exists()


def test_deleting_a_line_with_spend_is_refused_with_a_clear_message(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    client = signed_in(world.lead)
    response = client.post(f"{BASE}lines/{budget['ig'].uuid}/delete/", follow=True)
    assert "This line has 3 spend entries, so it cannot be deleted." in response.content.decode()
    assert BudgetLine.objects.filter(pk=budget["ig"].pk).exists()
    client.post(f"{BASE}lines/{budget['lead'].uuid}/delete/")
    assert not BudgetLine.objects.filter(pk=budget["lead"].pk).exists()


def _objectives(world: World) -> list[SocialObjective]:
    return [
        SocialObjective.objects.create(
            workspace=world.workspace,
            statement=s,
            start=date(2026, 1, 1),
            end=date(2026, 12, 31),
        )
        for s in ("Grow the community", "Drive online revenue")
    ]


def test_a_lead_allocates_a_line_to_objectives_and_sees_the_money_each_gets(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    grow, revenue = _objectives(world)
    client = signed_in(world.lead)
    url = f"{BASE}lines/{budget['ig'].uuid}/"
    response = client.post(
        url + "allocations/",
        {
            "kind": "objective",
            f"objective-pick_{grow.pk}": "on",
            f"objective-share_{grow.pk}": "25",
            f"objective-pick_{revenue.pk}": "on",
            f"objective-share_{revenue.pk}": "75",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "60,000.00 SEK" in page  # 25 % of 240 000
    assert "180,000.00 SEK" in page  # 75 % of 240 000
    assert "15,000.00 SEK" in page  # 25 % of 60 000 actual


def test_shares_not_adding_up_show_the_error_in_that_form_and_save_nothing(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    grow, revenue = _objectives(world)
    response = signed_in(world.lead).post(
        f"{BASE}lines/{budget['ig'].uuid}/allocations/",
        {
            "kind": "objective",
            f"objective-pick_{grow.pk}": "on",
            f"objective-share_{grow.pk}": "30",
            f"objective-pick_{revenue.pk}": "on",
            f"objective-share_{revenue.pk}": "60",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="errors-objective"' in page and "add up to 90" in page
    assert 'value="30"' in page  # the form as posted
    assert not Allocation.objects.exists()


def test_ticking_without_shares_splits_evenly(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    grow, revenue = _objectives(world)
    signed_in(world.lead).post(
        f"{BASE}lines/{budget['ig'].uuid}/allocations/",
        {
            "kind": "objective",
            f"objective-pick_{grow.pk}": "on",
            f"objective-pick_{revenue.pk}": "on",
        },
    )
    assert sorted(Allocation.objects.values_list("share", flat=True)) == [
        Decimal("50.00"),
        Decimal("50.00"),
    ]


def test_copying_this_year_into_next_from_the_overview(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    client = signed_in(world.lead)
    for _ in range(2):
        response = client.post(f"{BASE}copy-year/", {"from_year": 2026, "to_year": 2027})
    assert response.url == f"{BASE}?year=2027"
    assert BudgetLine.objects.filter(year=2027).count() == 3


def test_the_multi_year_page_shows_growth(world: World, signed_in) -> None:
    line(world, "IG", year=2025, planned="200000")
    line(world, "IG", year=2026, planned="250000")
    page = signed_in(world.executive).get(f"{BASE}years/").content.decode()
    assert (
        "+25.0 %" in page and "200,000" in page and "250,000" in page and "Amounts in SEK." in page
    )


def test_the_years_lines_download_as_csv_and_xlsx(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    client = signed_in(world.executive)
    csv = client.get(f"{BASE}export.csv?year=2026")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Paid social: Instagram" in text and "240000" in text and "180000" in text
    xlsx = client.get(f"{BASE}export.xlsx?year=2026")
    assert xlsx.content[:2] == b"PK"
    assert client.get(f"{BASE}export.pdf?year=2026").status_code == 404


def test_the_overview_runs_a_fixed_number_of_queries(
    world: World, budget: dict[str, BudgetLine], signed_in, django_assert_max_num_queries
) -> None:
    for i in range(20):
        line(world, f"Extra {i}", category="other", planned="1000")
    client = signed_in(world.lead)
    with django_assert_max_num_queries(13):
        assert client.get(BASE + "?year=2026").status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(f"{BASE}years/").status_code == 200


def test_spend_is_listed_filtered_and_paged(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    client = signed_in(world.lead)
    page = client.get(f"{BASE}spend/?line={budget['ig'].uuid}").content.decode()
    assert "3 entries, 60,000.00 SEK in all." in page
    page = client.get(f"{BASE}spend/?supplier=Suite+AB").content.decode()
    assert "1 entry, 96,000.00 SEK in all." in page
    for i in range(60):
        services.spend_add(
            actor=world.lead,
            workspace=world.workspace,
            line=budget["lead"],
            day=date(2026, 4, 25),
            amount=Decimal("100"),
            note=f"n{i}",
        )
    page = client.get(f"{BASE}spend/?year=2026").content.decode()
    assert "64 entries" in page and "Page 1 of 2" in page


def test_a_lead_books_and_deletes_spend(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    client = signed_in(world.lead)
    response = client.post(
        f"{BASE}spend/new/",
        {
            "day": "2026-05-02",
            "amount": "1234.50",
            "line": budget["lead"].pk,
            "supplier": "Payroll",
            "reference": "",
            "note": "",
        },
    )
    assert response.status_code == 302
    entry = SpendEntry.objects.get(supplier="Payroll")
    response = client.post(f"{BASE}spend/{entry.uuid}/delete/")
    assert response.status_code == 302 and not SpendEntry.objects.filter(pk=entry.pk).exists()


def test_booking_spend_outside_the_lines_year_shows_the_error_at_the_date(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    response = signed_in(world.lead).post(
        f"{BASE}spend/new/",
        {"day": "2025-05-02", "amount": "10", "line": budget["lead"].pk},
    )
    assert 'id="id_day_errors"' in response.content.decode()


def test_an_import_is_uploaded_previewed_and_committed(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    client = signed_in(world.lead)
    data = (
        b"date;amount;line;supplier;reference;note\n"
        b"2026-04-28;20 000,00;Paid social: Instagram;Meta;M-4;April\n"
        b"2026-04-30;1 500,50;Management suite;Suite AB;S-4;\n"
    )
    response = client.post(
        f"{BASE}spend/import/", {"file": SimpleUploadedFile("april.csv", data, "text/csv")}
    )
    record = SpendImport.objects.get()
    assert response.url == f"{BASE}spend/import/{record.uuid}/"
    page = client.get(response.url).content.decode()
    assert "2 to add, 0 already there, 0 problems" in page and "Import 2 rows" in page
    client.post(f"{BASE}spend/import/{record.uuid}/commit/")
    assert SpendEntry.objects.filter(source=record).count() == 2
    page = client.get(response.url).content.decode()
    assert "2 spend entries come from this file." in page


def test_an_import_with_problems_lists_them_by_row_and_column(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    client = signed_in(world.lead)
    data = (
        b"date,amount,line,supplier,reference,note\n"
        b"2026-04-28,20000,Paid social: Instagram,Meta,M-4,\n"
        b"2026-04-31,100,Paid social: Instagram,Meta,,\n"
        b"2026-04-30,100,Managment suite,,,\n"
    )
    response = client.post(
        f"{BASE}spend/import/", {"file": SimpleUploadedFile("bad.csv", data, "text/csv")}
    )
    page = client.get(response.url).content.decode()
    assert "nothing can be imported" in page
    assert "“2026-04-31” is not a day of the calendar." in page
    assert "Did you mean “Management suite”?" in page
    assert "Import 1 row" not in page
    record = SpendImport.objects.get()
    response = client.post(f"{BASE}spend/import/{record.uuid}/commit/", follow=True)
    assert "nothing was imported" in response.content.decode()
    assert SpendEntry.objects.filter(source=record).count() == 0


def test_an_executive_sees_imports_but_cannot_upload(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    client = signed_in(world.executive)
    page = client.get(f"{BASE}spend/import/")
    assert page.status_code == 200 and "Check the file" not in page.content.decode()
    response = client.post(
        f"{BASE}spend/import/", {"file": SimpleUploadedFile("x.csv", b"date,amount,line\n")}
    )
    assert response.status_code == 403
    assert not SpendImport.objects.exists()


def test_the_overview_speaks_swedish(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    world.workspace.default_language = "sv"
    world.workspace.save()
    page = signed_in(world.lead).get(BASE + "?year=2026").content.decode()
    assert "Budget 2026" in page and "Utfall" in page and "Verktyg och programvara" in page
    assert "986\xa0000 SEK" in page or "986 000 SEK" in page


def test_an_import_whose_file_is_gone_says_so_instead_of_failing(
    world: World, budget: dict[str, BudgetLine], signed_in
) -> None:
    from django.core.files.storage import default_storage

    record, _plan = services.spend_import_check(
        actor=world.lead,
        workspace=world.workspace,
        data=b"date,amount,line\n2026-05-01,10,Social Media Lead\n",
        filename="may.csv",
    )
    default_storage.delete(f"spend-imports/{record.workspace_id}/{record.uuid}.csv")
    client = signed_in(world.lead)
    page = client.get(f"{BASE}spend/import/{record.uuid}/")
    assert page.status_code == 200
    assert "no longer stored" in page.content.decode()
    response = client.post(f"{BASE}spend/import/{record.uuid}/commit/", follow=True)
    assert "no longer stored" in response.content.decode()
    assert not SpendEntry.objects.filter(source=record).exists()
