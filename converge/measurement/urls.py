"""Measurement pages, under /w/<slug>/measurement/."""

from django.urls import path

from converge.measurement import views

urlpatterns = [
    path("", views.overview, name="measurement"),
    path("dashboard/", views.dashboard, name="measurement_dashboard"),
    path("dashboard/export.<str:fmt>", views.dashboard_export, name="measurement_dashboard_export"),
    path("channels/new/", views.channel_edit, name="measurement_channel_new"),
    path("channels/<uuid:channel>/", views.channel_dashboard, name="measurement_channel"),
    path(
        "channels/<uuid:channel>/export.<str:fmt>",
        views.channel_dashboard_export,
        name="measurement_channel_export",
    ),
    path("channels/<uuid:channel>/edit/", views.channel_edit, name="measurement_channel_edit"),
    path("metrics/", views.catalogue, name="measurement_metrics"),
    path("metrics/<uuid:metric>/edit/", views.metric_edit, name="measurement_metric_edit"),
    path("metrics/<slug:key>/", views.metric_detail, name="measurement_metric"),
    path(
        "metrics/<slug:key>/export.<str:fmt>",
        views.metric_export,
        name="measurement_metric_export",
    ),
    path("metrics/<slug:key>/rows/", views.metric_rows, name="measurement_metric_rows"),
    path("metrics/<slug:key>/posts/", views.metric_post_rows, name="measurement_metric_posts"),
    path(
        "metrics/<slug:key>/posts/export.<str:fmt>",
        views.metric_post_rows_export,
        name="measurement_metric_posts_export",
    ),
    path(
        "metrics/<slug:key>/rows/export.<str:fmt>",
        views.metric_rows_export,
        name="measurement_metric_rows_export",
    ),
    path("metrics/<uuid:metric>/archive/", views.metric_archive, name="measurement_metric_archive"),
    path("figures/", views.figures, name="measurement_figures"),
    path("figures/export.<str:fmt>", views.figures_export, name="measurement_figures_export"),
    path("posts/", views.post_list, name="measurement_posts"),
    path("posts/export.<str:fmt>", views.posts_export, name="measurement_posts_export"),
    path("annotations/", views.annotation_list, name="measurement_annotations"),
    path(
        "annotations/<uuid:annotation>/edit/",
        views.annotation_edit,
        name="measurement_annotation_edit",
    ),
    path(
        "annotations/<uuid:annotation>/delete/",
        views.annotation_delete,
        name="measurement_annotation_delete",
    ),
    path("imports/", views.import_list, name="measurement_imports"),
    path("imports/map/<uuid:upload>/", views.mapping_new, name="measurement_mapping_new"),
    path(
        "imports/mappings/<uuid:mapping>/delete/",
        views.mapping_delete,
        name="measurement_mapping_delete",
    ),
    path("imports/<uuid:imp>/", views.import_detail, name="measurement_import"),
    path("imports/<uuid:imp>/commit/", views.import_commit, name="measurement_import_commit"),
    path("imports/<uuid:imp>/rollback/", views.import_rollback, name="measurement_import_rollback"),
]
