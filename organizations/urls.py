from django.urls import path

from . import staff_views, views

app_name = "organizations"

urlpatterns = [
    # Public: only organizations and groups named in a published incident.
    path("organizations/<int:pk>/", views.organization_detail, name="detail"),
    path("perpetrators/<int:pk>/", views.perpetrator_detail, name="perpetrator_detail"),
    # Staff.
    path("staff/organizations/", staff_views.organization_list, name="staff_list"),
    path("staff/organizations/new/", staff_views.organization_create, name="create"),
    path("staff/organizations/<int:pk>/edit/", staff_views.organization_edit, name="edit"),
    path("staff/organizations/search/", staff_views.organization_search, name="search"),
    path(
        "staff/organizations/<int:pk>/translate/<str:language>/",
        staff_views.organization_translate,
        name="translate",
    ),
    path(
        "staff/perpetrators/<int:pk>/translate/<str:language>/",
        staff_views.perpetrator_translate,
        name="perpetrator_translate",
    ),
    path("staff/perpetrators/", staff_views.perpetrator_list, name="perpetrator_staff_list"),
    path("staff/perpetrators/new/", staff_views.perpetrator_create, name="perpetrator_create"),
    path(
        "staff/perpetrators/<int:pk>/edit/", staff_views.perpetrator_edit, name="perpetrator_edit"
    ),
    path("staff/perpetrators/search/", staff_views.perpetrator_search, name="perpetrator_search"),
    # The incident form's pickers add a missing entry without leaving the page.
    path(
        "staff/organizations/quick-create/",
        staff_views.organization_quick_create,
        name="quick_create",
    ),
]
