"""API tokens: created with a username and password or a session, by staff only."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from knox import views as knox_views
from rest_framework import exceptions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.throttling import ScopedRateThrottle

from config.api_auth import TokenAuthentication
from incidents.roles import is_staff_member


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(required=False, max_length=150)
    password = serializers.CharField(
        required=False, max_length=4096, style={"input_type": "password"}, trim_whitespace=False
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as: Authorization: Token <token>")
    expiry = serializers.DateTimeField()


class TokenCreateView(knox_views.LoginView):
    """A new API token for a staff member: with username and password, or a session.

    The token is shown once; only its hash is stored. It expires after
    ``REST_KNOX["TOKEN_TTL"]``; revoke it earlier at /api/v1/auth/logout/.
    """

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]
    throttle_scope = "token"
    throttle_classes = [ScopedRateThrottle]

    @extend_schema(
        tags=["auth"],
        request=TokenRequestSerializer,
        responses={200: TokenSerializer},
        auth=[{"sessionAuth": []}, {}],
    )
    def post(self, request, format=None):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        username = body.validated_data.get("username")
        password = body.validated_data.get("password")
        if username or password:
            user = authenticate(request._request, username=username, password=password)
            if user is None:
                raise exceptions.AuthenticationFailed(_("Wrong username or password."))
            request.user = user
        elif not request.user.is_authenticated:
            raise exceptions.NotAuthenticated(_("Give a username and password, or log in."))
        if not is_staff_member(request.user):
            raise exceptions.PermissionDenied(_("API tokens are for staff members."))
        return super().post(request, format=format)


class KnoxTokenScheme(OpenApiAuthenticationExtension):
    target_class = "config.api_auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Token-based authentication with required prefix "Token"',
        }


@extend_schema(tags=["auth"], request=None, responses={204: None})
class TokenLogoutView(knox_views.LogoutView):
    """Revoke the token this request is made with."""


@extend_schema(tags=["auth"], request=None, responses={204: None})
class TokenLogoutAllView(knox_views.LogoutAllView):
    """Revoke every token of the user this request's token belongs to."""
