"""An appeal is published only once it is whole: an addressee, a deadline ahead, the actions
requested, and every section in each of its languages. Every path is refused, and the
reviewer sees what is missing before clicking."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from appeals.checks import publication_gaps
from appeals.models import Appeal
from appeals.services import appeal_publish, appeal_request_render
from casefile.workflow import StepRefused

from ..factories import AppealFactory, AppealTextFactory

pytestmark = pytest.mark.django_db

IN_REVIEW = Appeal.State.IN_REVIEW


def in_review(**kwargs):
    return AppealFactory(publication_state=IN_REVIEW, **kwargs)


def assert_refused(reviewer, appeal, *words):
    with pytest.raises(StepRefused) as refusal:
        appeal_publish(actor=reviewer, appeal=appeal)
    for word in words:
        assert word in str(refusal.value)
    appeal.refresh_from_db()
    assert appeal.publication_state == IN_REVIEW
    assert appeal.reference is None
    assert not appeal.events.filter(action="published").exists()


def test_complete_appeal_is_published(reviewer):
    appeal = in_review()
    AppealTextFactory(appeal=appeal, language="ru", title="Собрание сорвано")

    appeal_publish(actor=reviewer, appeal=appeal)

    appeal.refresh_from_db()
    assert appeal.publication_state == Appeal.State.PUBLISHED
    assert appeal.reference


def test_appeal_without_an_addressee_is_refused(reviewer):
    assert_refused(reviewer, in_review(addressees=[]), "Add at least one addressee")


def test_appeal_without_a_deadline_is_refused(reviewer):
    assert_refused(reviewer, in_review(deadline=None), "Set a deadline for action")


def test_appeal_whose_deadline_has_passed_is_refused(reviewer):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    assert_refused(reviewer, in_review(deadline=yesterday), "is not in the future")


def test_appeal_due_today_is_refused(reviewer):
    assert_refused(reviewer, in_review(deadline=timezone.localdate()), "is not in the future")


def test_appeal_without_actions_requested_is_refused(reviewer):
    appeal = in_review(text={"actions_requested": "  \n "})

    assert_refused(reviewer, appeal, "French: write “Actions requested”")


def test_a_section_missing_in_one_language_is_refused(reviewer):
    appeal = in_review()
    AppealTextFactory(appeal=appeal, language="ru", title="Собрание сорвано", concerns="")

    assert_refused(reviewer, appeal, "Russian: write “Concerns”")


def test_a_section_only_the_translation_has_is_owed_by_the_original(reviewer):
    appeal = in_review()
    AppealTextFactory(appeal=appeal, language="ru", model_letter="Ваше превосходительство, ...")

    assert_refused(reviewer, appeal, "French: write “Model letter”")


def test_a_withdrawn_appeal_is_checked_again_when_published_again(reviewer):
    appeal = AppealFactory(published=True)
    Appeal.objects.filter(pk=appeal.pk).update(
        publication_state=Appeal.State.WITHDRAWN,
        deadline=timezone.localdate() - datetime.timedelta(days=3),
    )
    appeal.refresh_from_db()

    with pytest.raises(StepRefused, match="is not in the future"):
        appeal_publish(actor=reviewer, appeal=appeal)


def test_an_import_judges_the_deadline_on_its_past_day_of_publication(reviewer):
    appeal = in_review(deadline=datetime.date(2019, 6, 30))
    published_at = datetime.datetime(2019, 5, 27, 9, tzinfo=datetime.UTC)

    appeal_publish(actor=reviewer, appeal=appeal, at=published_at)

    appeal.refresh_from_db()
    assert appeal.publication_state == Appeal.State.PUBLISHED


def test_the_staff_page_refuses_with_every_missing_item(reviewer_client):
    appeal = in_review(addressees=[], deadline=None)

    response = reviewer_client.post(
        reverse("appeals:transition", args=[appeal.pk, "publish"]), follow=True
    )

    appeal.refresh_from_db()
    assert appeal.publication_state == IN_REVIEW
    messages = [str(message) for message in response.context["messages"]]
    assert any(
        "Add at least one addressee" in message and "Set a deadline" in message
        for message in messages
    )


def test_the_reviewer_sees_what_is_missing_per_language_before_publishing(reviewer_client):
    appeal = in_review(addressees=[])
    AppealTextFactory(appeal=appeal, language="ru", concerns="", actions_requested="")

    response = reviewer_client.get(appeal.get_absolute_url())

    page = response.content.decode()
    assert "Before publication" in page
    assert "Add at least one addressee" in page
    russian = page.split('data-checklist="ru"')[1].split("</ul>")[0]
    assert "Concerns" in russian
    assert "Actions requested" in russian
    assert 'data-checklist="fr"' not in page  # the French text is whole
    assert reverse("appeals:transition", args=[appeal.pk, "publish"]) in page


def test_the_reviewer_sees_a_complete_appeal_is_ready(reviewer_client):
    appeal = in_review()

    response = reviewer_client.get(appeal.get_absolute_url())

    assert 'data-checklist="ready"' in response.content.decode()
    assert not publication_gaps(appeal)


def test_a_published_appeal_shows_no_checklist(reviewer_client):
    appeal = AppealFactory(published=True, addressees=[])

    response = reviewer_client.get(appeal.get_absolute_url())

    assert "Before publication" not in response.content.decode()


def test_a_published_appeal_issues_no_pdf_of_a_half_translated_language(reviewer_client):
    appeal = AppealFactory(published=True)
    AppealTextFactory(appeal=appeal, language="ru", concerns="")

    response = reviewer_client.post(reverse("appeals:render", args=[appeal.pk, "ru"]), follow=True)

    assert not appeal.render_jobs.exists()
    messages = [str(message) for message in response.context["messages"]]
    assert any("Russian cannot be issued yet" in message for message in messages)
    assert any("write “Concerns”" in message for message in messages)


def test_a_draft_still_previews_as_a_pdf_while_incomplete(editor):
    appeal = AppealFactory(addressees=[], deadline=None)
    AppealTextFactory(appeal=appeal, language="ru", concerns="")

    assert appeal_request_render(actor=editor, appeal=appeal, language="ru")
