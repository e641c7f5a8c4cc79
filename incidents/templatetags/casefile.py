"""Template helpers for the public pages."""

from urllib.parse import urlsplit

from django import template
from django.utils.translation import get_language_info

register = template.Library()

SAFE_LINK_SCHEMES = frozenset({"http", "https"})


@register.filter
def safe_http_url(url: str) -> str:
    """The URL if it is plain http(s), else "": a stored ``javascript:`` link must not work.

    Model validation already limits URLs to http(s), but rows can arrive through
    imports or the shell, which skip validation; the page is the last gate.
    """
    if not url:
        return ""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in SAFE_LINK_SCHEMES else ""


@register.filter
def language_name(code: str) -> str:
    """The name of a language code ("fr" -> "French"), or the code when Django lacks it."""
    if not code:
        return ""
    try:
        info = get_language_info(code)
    except KeyError:
        return code
    return info["name_translated"]
