"""Operating-model pages (model, RACI, executives, policies, training, practices), under
/w/<slug>/governance/. Every path starts with its own prefix, so none can clash with the
governance app's."""

from django.urls import path

from converge.operating import views

urlpatterns = [
    path("model/", views.operating_model, name="operating_model"),
    path("model/team/", views.team_add, name="operating_team_add"),
    path(
        "model/team/<uuid:team_member>/remove/",
        views.team_remove,
        name="operating_team_remove",
    ),
    path("raci/", views.raci_matrix, name="raci_matrix"),
    path("raci/activities/", views.raci_activity_add, name="raci_activity_add"),
    path("raci/activities/defaults/", views.raci_defaults, name="raci_defaults"),
    path(
        "raci/activities/<uuid:activity>/remove/",
        views.raci_activity_remove,
        name="raci_activity_remove",
    ),
    path("raci/people/", views.raci_person_add, name="raci_person_add"),
    path("raci/raci.<slug:fmt>", views.raci_export, name="raci_export"),
    path("executives/", views.executive_list, name="executive_list"),
    path(
        "executives/<uuid:executive>/touchpoints/",
        views.touchpoint_add,
        name="executive_touchpoint_add",
    ),
    path(
        "executives/<uuid:executive>/remove/",
        views.executive_remove,
        name="executive_remove",
    ),
    path("policies/", views.policy_list, name="policy_list"),
    path("policies/new/", views.policy_new, name="policy_new"),
    path("policies/<uuid:document>/", views.policy_detail, name="policy_detail"),
    path("policies/<uuid:document>/publish/", views.policy_publish, name="policy_publish"),
    path(
        "policies/<uuid:document>/acknowledge/",
        views.policy_acknowledge,
        name="policy_acknowledge",
    ),
    path("policies/<uuid:document>/edit/", views.policy_edit, name="policy_edit"),
    path("policies/<uuid:document>/ask/", views.policy_ask, name="policy_ask"),
    path("policies/<uuid:document>/diff/", views.policy_diff, name="policy_diff"),
    path(
        "policies/<uuid:document>/versions/<int:version>/",
        views.policy_version,
        name="policy_version",
    ),
    path("training/", views.training_list, name="training_list"),
    path("training/<uuid:training>/", views.training_detail, name="training_detail"),
    path("training/<uuid:training>/sessions/", views.session_add, name="training_session_add"),
    path(
        "training/<uuid:training>/completions/",
        views.completion_add,
        name="training_completion_add",
    ),
    path("practices/", views.practice_log, name="practice_log"),
    path("practices/<uuid:entry>/remove/", views.practice_remove, name="practice_remove"),
]
