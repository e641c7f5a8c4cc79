"""Account URLs: allauth's pages that Casefile uses, under their own names, and ours.

Only the pages staff need are routed: no sign-up, no e-mail, no password reset by e-mail
(an administrator sets a new password). allauth reverses its own names (``account_login``,
``mfa_index``...), so those patterns are not namespaced; ``login`` and ``logout`` are kept as
aliases for the templates and tests that use Django's names.
"""

from allauth.account import views as allauth_views
from django.urls import include, path

from . import views

logout = views.LogoutView.as_view()

allauth_patterns = [
    path("login/", allauth_views.login, name="account_login"),
    path("login/", allauth_views.login, name="login"),
    path("logout/", logout, name="account_logout"),
    path("logout/", logout, name="logout"),
    path("inactive/", allauth_views.account_inactive, name="account_inactive"),
    path("reauthenticate/", allauth_views.reauthenticate, name="account_reauthenticate"),
    path("password/change/", allauth_views.password_change, name="account_change_password"),
    path("2fa/", include("allauth.mfa.urls")),
]

app_name = "accounts"
urlpatterns = [
    path("security/", views.security, name="security"),
    path("sessions/<int:pk>/end/", views.session_end_view, name="session_end"),
    path("sessions/end-others/", views.sessions_end_others_view, name="sessions_end_others"),
    path("tokens/<str:token_key>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
]
