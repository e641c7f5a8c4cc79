"""What every page's template may use."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    # The organization running Casefile names its own site (SITE_NAME, README).
    return {"SITE_NAME": settings.SITE_NAME}
