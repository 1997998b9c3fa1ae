"""URLs of the value pages, under /w/<slug>/budget/: the value model, ROI, and scenarios."""

from django.urls import path

from converge.finance.value import views

urlpatterns = [
    path("value/", views.value_model, name="budget_value_model"),
    path("value/new/", views.assumption_edit, name="budget_value_new"),
    path("value/<uuid:value_assumption>/edit/", views.assumption_edit, name="budget_value_edit"),
    path(
        "value/<uuid:value_assumption>/archive/",
        views.assumption_archive,
        name="budget_value_archive",
    ),
    path("roi/", views.roi, name="budget_roi"),
    path("roi/cost/", views.roi_cost_rows, name="budget_roi_cost_rows"),
    path("roi/export.<str:fmt>", views.roi_export, name="budget_roi_export"),
    path("scenarios/", views.scenario_list, name="budget_scenarios"),
    path("scenarios/new/", views.scenario_edit, name="budget_scenario_new"),
    path("scenarios/compare/", views.scenario_compare, name="budget_scenario_compare"),
    path("scenarios/<uuid:budget_scenario>/", views.scenario_detail, name="budget_scenario"),
    path(
        "scenarios/<uuid:budget_scenario>/edit/",
        views.scenario_edit,
        name="budget_scenario_edit",
    ),
    path(
        "scenarios/<uuid:budget_scenario>/changes/",
        views.scenario_change,
        name="budget_scenario_change",
    ),
    path(
        "scenarios/<uuid:budget_scenario>/changes/<int:position>/remove/",
        views.scenario_change_remove,
        name="budget_scenario_change_remove",
    ),
    path(
        "scenarios/<uuid:budget_scenario>/delete/",
        views.scenario_delete,
        name="budget_scenario_delete",
    ),
]
