"""Strategy pages, under /w/<slug>/strategy/."""

from django.urls import path

from converge.strategy import views

urlpatterns = [
    path("", views.overview, name="strategy"),
    path("goals/", views.goal_list, name="strategy_goals"),
    path("goals/new/", views.goal_edit, name="strategy_goal_new"),
    path("goals/<uuid:goal>/edit/", views.goal_edit, name="strategy_goal_edit"),
    path("goals/<uuid:goal>/attachment/", views.goal_attachment, name="strategy_goal_attachment"),
    path("objectives/new/", views.objective_edit, name="strategy_objective_new"),
    path("objectives/<uuid:objective>/", views.objective_detail, name="strategy_objective"),
    path("objectives/<uuid:objective>/edit/", views.objective_edit, name="strategy_objective_edit"),
    path(
        "objectives/<uuid:objective>/review/",
        views.objective_review,
        name="strategy_objective_review",
    ),
    path("objectives/<uuid:objective>/tactics/", views.tactic_add, name="strategy_tactic_add"),
    path("tactics/<uuid:tactic>/remove/", views.tactic_remove, name="strategy_tactic_remove"),
    path("kpis/", views.kpi_list, name="strategy_kpis"),
    path("kpis/new/", views.kpi_edit, name="strategy_kpi_new"),
    path("kpis/<uuid:kpi>/", views.kpi_detail, name="strategy_kpi"),
    path("kpis/<uuid:kpi>/edit/", views.kpi_edit, name="strategy_kpi_edit"),
    path("kpis/<uuid:kpi>/values.<str:fmt>", views.kpi_values_export, name="strategy_kpi_values"),
    path(
        "kpis/<uuid:kpi>/comparison.<str:fmt>",
        views.kpi_comparison_export,
        name="strategy_kpi_comparison_export",
    ),
    path("kpis/<uuid:kpi>/values/", views.kpi_value, name="strategy_kpi_value"),
    path("audiences/", views.audience_list, name="strategy_audiences"),
    path("audiences/new/", views.audience_edit, name="strategy_audience_new"),
    path("audiences/<uuid:audience>/edit/", views.audience_edit, name="strategy_audience_edit"),
    path(
        "audiences/<uuid:audience>/evidence/",
        views.presence_add,
        name="strategy_presence_add",
    ),
    path(
        "audiences/<uuid:audience>/evidence/<slug:platform>/remove/",
        views.presence_remove,
        name="strategy_presence_remove",
    ),
    path("messages/", views.message_matrix, name="strategy_messages"),
    path("messages/new/", views.message_edit, name="strategy_message_new"),
    path("messages/<uuid:message>/edit/", views.message_edit, name="strategy_message_edit"),
    path("vision/", views.vision_page, name="strategy_vision"),
    path("roadmap/", views.roadmap, name="strategy_roadmap"),
    path("roadmap/new/", views.initiative_edit, name="strategy_initiative_new"),
    path(
        "roadmap/<uuid:initiative>/edit/",
        views.initiative_edit,
        name="strategy_initiative_edit",
    ),
    path("competitors/", views.competitors, name="strategy_competitors"),
    path("competitors/new/", views.competitor_new, name="strategy_competitor_new"),
    path("competitors/observations/new/", views.observation_new, name="strategy_observation_new"),
    path("case-studies/new/", views.case_study_new, name="strategy_case_study_new"),
    path("strategy.yaml", views.yaml_export, name="strategy_yaml_export"),
    path("import/", views.yaml_import, name="strategy_yaml_import"),
    path("on-a-page/", views.onepage, name="strategy_onepage"),
    path("on-a-page.pdf", views.onepage_pdf, name="strategy_onepage_pdf"),
    path("<slug:kind>/<uuid:uuid>/archive/", views.archive, name="strategy_archive"),
]
