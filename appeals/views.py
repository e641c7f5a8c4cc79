"""Public appeal pages and downloads: published appeals of published incidents only."""

from __future__ import annotations

import mimetypes
import re

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Case, F, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from casefile.translatable import reader_language, text_direction

from .models import Appeal, AppealText, AppealVersion
from .publication import public_storage
from .rendering import text_context

IMMUTABLE = {"public": True, "max_age": 31_536_000, "immutable": True}
PUBLIC_NAME = re.compile(r"^[a-z0-9-]+-[a-z]{2}-v\d+-[0-9a-f]{16}\.pdf$")


def _published_appeal(slug: str) -> Appeal:
    return get_object_or_404(
        Appeal.objects.published().select_related("incident", "follows"), reference_slug=slug
    )


def _latest_version(slug: str, *, language: str | None, preferred: str) -> AppealVersion:
    """The newest ready version of a published appeal in ``language``; without one, in the
    reader's language, else the original, else any: one query, the appeal joined."""
    versions = (
        AppealVersion.objects.published()
        .filter(appeal__reference_slug=slug)
        .select_related("appeal")
    )
    if language:
        versions = versions.filter(language=language).order_by("-number")
    else:
        preference = Case(
            When(language=preferred, then=Value(0)),
            When(language=F("appeal__original_language"), then=Value(1)),
            default=Value(2),
        )
        versions = versions.order_by(preference, "-number", "-pk")
    version = versions.first()
    if version is None:
        raise Http404("No PDF of this appeal is available.")
    return version


def _public_text(
    appeal: Appeal, versions: list[AppealVersion], preferred: str
) -> AppealText | None:
    """The text the page carries: in the reader's language when that language has been
    issued (a PDF of it is out), else the original. A translation still being written has
    no version yet, so it never shows."""
    issued = {version.language for version in versions}
    language = preferred if preferred in issued else appeal.original_language
    return appeal.texts.filter(language=language).first()


@login_not_required
@require_safe
def appeal_detail(request: HttpRequest, slug: str) -> HttpResponse:
    appeal = _published_appeal(slug)
    versions = list(
        AppealVersion.objects.published().filter(appeal=appeal).order_by("language", "-number")
    )
    text = _public_text(appeal, versions, reader_language())
    return render(
        request,
        "appeals/public/appeal_detail.html",
        {
            **(text_context(appeal, text) if text else {"appeal": appeal}),
            "direction": text_direction(text.language) if text else "",
            "versions": versions,
            "superseded_by": Appeal.objects.published()
            .filter(follows=appeal.root, follow_up_number__gt=appeal.follow_up_number)
            .order_by("-follow_up_number")
            .first(),
        },
    )


@login_not_required
@require_safe
def latest_pdf(request: HttpRequest, slug: str, language: str | None = None) -> HttpResponse:
    """The stable URL: redirect to the current version's content-hashed public file."""
    version = _latest_version(slug, language=language, preferred=request.LANGUAGE_CODE)
    storage = public_storage()
    if storage.exists(version.public_name):
        response = redirect(storage.url(version.public_name))
    else:
        # Public, but not copied out yet: an embargo that lapsed moments ago waits for the
        # periodic task (appeals.publication). The version's own URL serves it meanwhile;
        # a GET writes nothing.
        response = redirect(version.get_public_url())
    patch_cache_control(response, no_cache=True)
    return response


@login_not_required
@require_safe
def version_pdf(request: HttpRequest, slug: str, language: str, number: int) -> HttpResponse:
    """One version at its own URL, served with long caching (it never changes)."""
    version = get_object_or_404(
        AppealVersion.objects.published().select_related("appeal"),
        appeal__reference_slug=slug,
        language=language,
        number=number,
    )
    etag = f'"{version.sha256}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            version.open(),
            as_attachment=True,
            filename=version.download_name,
            content_type="application/pdf",
        )
    response["ETag"] = etag
    patch_cache_control(response, **IMMUTABLE)
    return response


@login_not_required
@require_safe
def public_file(request: HttpRequest, name: str) -> HttpResponse:
    """The public location, served by Django when no web server stands in front of it."""
    if not settings.SERVE_PUBLIC_APPEALS or not PUBLIC_NAME.match(name):
        raise Http404
    storage = public_storage()
    if not storage.exists(name):
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        storage.open(name, "rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["ETag"] = f'"{name.rsplit("-", 1)[1].removesuffix(".pdf")}"'
    patch_cache_control(response, **IMMUTABLE)
    return response
