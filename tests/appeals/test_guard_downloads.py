"""Guard: withdrawing, seen as a visitor would after a reviewer clicks on the staff pages
(issue 12's second test for each rule; test_downloads.py calls the services).

The visitor first finds the appeal's files through the public pages, the reviewer then
withdraws, and every address the visitor kept must stop answering.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client, TestCase
from django.urls import reverse

from appeals.publication import public_storage
from appeals.services import appeal_request_render
from tests.factories import AppealFactory

pytestmark = pytest.mark.django_db


def issued_and_rendered(reviewer):
    appeal = AppealFactory(published=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = appeal_request_render(
            actor=reviewer, appeal=appeal, language=appeal.original_language
        )
    job.refresh_from_db()
    assert job.state == "ready", job.error
    return appeal


def reviewer_clicks(reviewer, url, action, django_capture_on_commit_callbacks):
    staff = Client()
    staff.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, {f"{action}-note": "Risk to the defenders."})
    assert response.status_code == 302


def addresses_a_visitor_finds(visitor, appeal):
    """The version links on the case page and the file the stable URL leads to."""
    case_page = visitor.get(appeal.incident.get_absolute_url()).content.decode()
    link = rf"/appeals/{appeal.reference_slug}/\w+/v\d+\.pdf"
    versions = sorted(set(re.findall(link, case_page)))
    stable = visitor.get(f"/appeals/{appeal.reference_slug}.pdf")
    assert stable.status_code == 302
    return versions, stable["Location"]


def test_a_case_withdrawn_on_the_staff_page_takes_its_appeal_files_off_the_public_site(
    reviewer, django_capture_on_commit_callbacks
):
    appeal = issued_and_rendered(reviewer)
    visitor = Client()
    versions, public_file = addresses_a_visitor_finds(visitor, appeal)
    assert versions
    assert public_file.startswith("/media/public/appeals/")
    assert visitor.get(public_file).status_code == 200

    reviewer_clicks(
        reviewer,
        reverse("incidents:transition", kwargs={"pk": appeal.incident.pk, "action": "withdraw"}),
        "withdraw",
        django_capture_on_commit_callbacks,
    )

    assert visitor.get(public_file).status_code == 404
    for url in versions:
        assert visitor.get(url).status_code == 404, url
    assert visitor.get(f"/appeals/{appeal.reference_slug}.pdf").status_code == 404
    assert visitor.get(appeal.get_public_url()).status_code == 404


def test_an_appeal_withdrawn_on_the_staff_page_no_longer_answers_at_its_version_urls(
    reviewer, django_capture_on_commit_callbacks
):
    appeal = issued_and_rendered(reviewer)
    visitor = Client()
    versions, _public_file = addresses_a_visitor_finds(visitor, appeal)
    assert versions
    for url in versions:
        assert visitor.get(url).status_code == 200, url

    reviewer_clicks(
        reviewer,
        reverse("appeals:transition", kwargs={"pk": appeal.pk, "action": "withdraw"}),
        "withdraw",
        django_capture_on_commit_callbacks,
    )

    for url in versions:
        response = visitor.get(url)
        assert response.status_code == 404, url
        assert response.get("Content-Type") != "application/pdf"
    assert appeal.get_public_url() not in visitor.get(appeal.incident.get_absolute_url()).text


def test_the_leftover_of_two_racing_copies_is_not_downloadable(reviewer):
    # Two processes copying one version at once: the storage saves the second under a name
    # of its own (a random suffix) and the copier deletes it. Should that delete never
    # happen, a visitor who guesses the name beside the real file still gets nothing.
    appeal = issued_and_rendered(reviewer)
    visitor = Client()
    _versions, public_file = addresses_a_visitor_finds(visitor, appeal)
    name = public_file.rsplit("/", 1)[1]
    leftover = public_storage().save(name, ContentFile(b"%PDF-1.7 a second copy"))
    assert leftover != name

    assert visitor.get(public_file).status_code == 200
    assert visitor.get(public_file.replace(name, leftover)).status_code == 404
