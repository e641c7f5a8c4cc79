from django.urls import path

from . import export_job_views, feeds, staff_views, statistics, views

app_name = "incidents"

urlpatterns = [
    # Public: published incidents only.
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="list"),
    # Before the case pages: these words are not case slugs (see services.RESERVED_SLUGS).
    path("cases/statistics/", statistics.statistics, name="statistics"),
    path("cases/feed/", feeds.LatestCasesFeed(), name="feed"),
    path("cases/export.csv", views.case_export_csv, name="export_csv"),
    path("cases/export.json", views.case_export_json, name="export_json"),
    # A large export's progress page and file, by the job's token (export_job_views).
    path("cases/exports/<slug:token>/", export_job_views.export_job, name="export_job"),
    path(
        "cases/exports/<slug:token>/progress.json",
        export_job_views.export_job_progress,
        name="export_job_progress",
    ),
    path(
        "cases/exports/<slug:token>/download",
        export_job_views.export_job_download,
        name="export_job_download",
    ),
    path("cases/<uslug:slug>/", views.case_detail, name="detail"),
    # Staff.
    path("staff/", staff_views.dashboard, name="dashboard"),
    path("staff/incidents/new/", staff_views.incident_create, name="create"),
    path("staff/incidents/<int:pk>/", staff_views.incident_detail, name="staff_detail"),
    path("staff/incidents/<int:pk>/edit/", staff_views.incident_edit, name="edit"),
    path(
        "staff/incidents/<int:pk>/translate/<str:language>/",
        staff_views.incident_translate,
        name="translate",
    ),
    path("staff/incidents/<int:pk>/history/", staff_views.incident_history, name="history"),
    path(
        "staff/incidents/<int:pk>/<str:action>/",
        staff_views.incident_transition,
        name="transition",
    ),
]
