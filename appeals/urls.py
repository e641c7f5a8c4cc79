from django.urls import path

from . import addressee_views, staff_views, views

app_name = "appeals"

urlpatterns = [
    # Public: published appeals of published incidents only.
    path("appeals/<slug:slug>/", views.appeal_detail, name="public_detail"),
    # Staff.
    path(
        "staff/incidents/<int:incident_pk>/appeals/new/", staff_views.appeal_create, name="create"
    ),
    path("staff/appeals/<int:pk>/", staff_views.appeal_detail, name="staff_detail"),
    path("staff/appeals/<int:pk>/edit/", staff_views.appeal_edit, name="edit"),
    path("staff/appeals/<int:pk>/text/<str:language>/", staff_views.appeal_text_edit, name="text"),
    path(
        "staff/appeals/<int:pk>/preview/<str:language>/",
        staff_views.appeal_preview,
        name="staff_preview",
    ),
    path("staff/appeals/<int:pk>/render/<str:language>/", staff_views.appeal_render, name="render"),
    path("staff/appeals/<int:pk>/renders.json", staff_views.render_status, name="render_status"),
    path("staff/appeals/<int:pk>/history/", staff_views.appeal_history, name="history"),
    path("staff/appeals/<int:pk>/<str:action>/", staff_views.appeal_transition, name="transition"),
    path("staff/addressees/", addressee_views.addressee_list, name="addressee_list"),
    path("staff/addressees/new/", addressee_views.addressee_create, name="addressee_create"),
    path("staff/addressees/<int:pk>/edit/", addressee_views.addressee_edit, name="addressee_edit"),
    path("staff/addressees/search.json", addressee_views.addressee_search, name="addressee_search"),
]
