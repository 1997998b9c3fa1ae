"""URLs of the budget pages, under /w/<slug>/budget/. The year's budget is the Budget & ROI
home (``budget``)."""

from django.urls import path

from converge.finance.budget import views

urlpatterns = [
    path("", views.overview, name="budget"),
    path("export.<str:fmt>", views.export, name="budget_export"),
    path("years/", views.years, name="budget_years"),
    path("copy-year/", views.copy_year, name="budget_copy_year"),
    path("lines/new/", views.line_edit, name="budget_line_new"),
    path("lines/<uuid:budget_line>/", views.line_detail, name="budget_line"),
    path("lines/<uuid:budget_line>/edit/", views.line_edit, name="budget_line_edit"),
    path("lines/<uuid:budget_line>/delete/", views.line_delete, name="budget_line_delete"),
    path(
        "lines/<uuid:budget_line>/allocations/",
        views.line_allocations,
        name="budget_line_allocations",
    ),
    path("spend/", views.spend_list, name="budget_spend"),
    path("spend/new/", views.spend_new, name="budget_spend_new"),
    path("spend/<uuid:spend_entry>/delete/", views.spend_delete, name="budget_spend_delete"),
    path("spend/import/", views.import_page, name="budget_import"),
    path(
        "spend/import/<uuid:spend_import>/",
        views.import_detail,
        name="budget_import_detail",
    ),
    path(
        "spend/import/<uuid:spend_import>/commit/",
        views.import_commit,
        name="budget_import_commit",
    ),
]
