"""Template helpers for the public pages."""

import datetime
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import translate_url as django_translate_url
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from casefile import languages, translatable
from casefile.text import close_bidi_controls

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
    """The name of a language code in the reader's language ("es" -> "Spanish")."""
    return translatable.language_name(code) if code else ""


@register.filter
def interface_language(code: str) -> bool:
    """Whether the site is shown in this language, so a page can link to it there."""
    return code in translatable.LANGUAGE_CODES


@register.filter
def localized(record):
    """The record's translatable texts in the reader's language (``casefile.translatable``);
    from the translation a view joined to it (``reader_translation``), when it did."""
    language = translatable.reader_language()
    if getattr(record, "reader_translation_language", None) == language:
        # As Translatable.localized() does, without reading every translation.
        joined = getattr(record, "reader_translation", None)
        original = language == record.source_language
        return translatable.Localized(record, None if original else joined, language)
    return record.localized()


@register.simple_tag
def original_language(text) -> str:
    """ "Original in French" after a text shown untranslated in the reader's language."""
    if not getattr(text, "is_fallback", False):
        return ""
    # As {% blocktranslate %} does: the sentence is ours, the language's name is escaped.
    label = gettext("Original in %(language)s") % {
        "language": conditional_escape(language_name(text.language))
    }
    return format_html(
        ' <span class="badge text-bg-light border original-language">{}</span>',
        mark_safe(label),  # noqa: S308
    )


@register.filter
def language_name_local(code: str) -> str:
    """A language's name in that language ("es" -> "Español"), for links to it."""
    return languages.autonym(code)


@register.simple_tag(takes_context=True)
def translate_url(context, language: str) -> str:
    """This page, with its query, in another language (the same path under /<language>/)."""
    request = context.get("request")
    if request is None:
        return ""
    return django_translate_url(request.get_full_path(), language)


@register.inclusion_tag("_alternate_languages.html", takes_context=True)
def alternate_languages(context):
    """<link rel="alternate" hreflang> for each language version of this page."""
    request = context.get("request")
    if request is None or request.resolver_match is None:
        return {"alternates": []}
    path = request.get_full_path()
    alternates = []
    for code in translatable.LANGUAGE_CODES:
        translated = django_translate_url(path, code)
        if translated == path and code != get_language():
            return {"alternates": []}  # a page without language versions (the API...)
        alternates.append((code, request.build_absolute_uri(translated)))
    default = dict(alternates)[settings.LANGUAGE_CODE]
    return {"alternates": alternates, "default": default}


@register.filter
def grouped(count: int) -> str:
    """A whole number with the locale's thousands separator: what ``floatformat:"g"``
    gives a count, for a fraction of its cost (the case list shows a hundred counts)."""
    return number_format(count, force_grouping=True)


@register.filter
def bdi(value) -> str:
    """The value isolated from the surrounding text's direction (``<bdi>``): a Latin name in
    an Arabic sentence, or an Arabic one in English, keeps its own order and punctuation."""
    return format_html("<bdi>{}</bdi>", value)


@register.filter(is_safe=True)
def bidi_closed(text):
    """A long text with the direction controls it leaves open closed at its end, so it
    cannot reorder what follows it (``casefile.text``). Apply it after any truncation and
    before ``linebreaks``, so the closing characters stay inside the text's paragraph."""
    return close_bidi_controls(text) if isinstance(text, str) else text


@register.filter
def just_now(moment: datetime.datetime | None) -> bool:
    """Whether ``moment`` is less than a minute ago: "0 minutes ago" reads as a fault."""
    return moment is not None and timezone.now() - moment < datetime.timedelta(minutes=1)


@register.filter
def machine_time(moment: datetime.datetime | None) -> str:
    """A ``<time datetime>`` value: the validator refuses microseconds (``|date:"c"``)."""
    return moment.replace(microsecond=0).isoformat() if moment else ""
