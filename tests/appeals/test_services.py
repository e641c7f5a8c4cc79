"""The appeal services called directly, with plain values, as the views and commands call them."""

import pytest
from django.core.exceptions import PermissionDenied

from appeals.models import Addressee, Appeal, AppealAddressee, AppealEvent, AppealText
from appeals.services import addressee_save, appeal_save, appeal_text_save
from casefile.rows import Row

from ..factories import AddresseeFactory, AppealFactory, IncidentFactory

pytestmark = pytest.mark.django_db

TEXT = {"title": "Kirghizistan : réunion perturbée", "summary": "Le 23 mai 2019, ..."}


def test_researcher_cannot_create_an_appeal_and_nothing_is_written(researcher):
    incident = IncidentFactory()

    with pytest.raises(PermissionDenied):
        appeal_save(
            actor=researcher, incident=incident, fields={"original_language": "fr"}, text=TEXT
        )

    assert not Appeal.objects.exists()
    assert not AppealText.objects.exists()
    assert not AppealEvent.objects.exists()


def test_editor_cannot_change_an_appeal_in_review(editor):
    appeal = AppealFactory(publication_state=Appeal.State.IN_REVIEW, deadline=None)

    with pytest.raises(PermissionDenied):
        appeal_save(actor=editor, appeal=appeal, fields={"deadline": "2030-01-01"})

    appeal.refresh_from_db()
    assert appeal.deadline is None
    assert not AppealEvent.objects.exists()


def test_a_new_appeal_is_a_draft_by_its_author_with_a_created_event(editor):
    appeal = appeal_save(
        actor=editor, incident=IncidentFactory(), fields={"original_language": "ru"}, text=TEXT
    )

    assert appeal.publication_state == Appeal.State.DRAFT
    assert (appeal.created_by, appeal.updated_by) == (editor, editor)
    event = AppealEvent.objects.get(appeal=appeal)
    assert (event.action, event.actor, event.to_state) == (
        AppealEvent.Action.CREATED,
        editor,
        Appeal.State.DRAFT,
    )


def test_the_first_text_is_written_in_the_original_language(editor):
    appeal = appeal_save(
        actor=editor, incident=IncidentFactory(), fields={"original_language": "ru"}, text=TEXT
    )

    assert list(appeal.texts.values_list("language", "title")) == [("ru", TEXT["title"])]


def test_a_change_records_an_edited_event(reviewer):
    appeal = AppealFactory(publication_state=Appeal.State.IN_REVIEW)

    appeal_save(actor=reviewer, appeal=appeal, fields={"deadline": None})

    assert appeal.events.get().action == AppealEvent.Action.EDITED


def test_a_save_cannot_publish(reviewer):
    appeal = AppealFactory()

    with pytest.raises(ValueError, match="publication_state"):
        appeal_save(
            actor=reviewer, appeal=appeal, fields={"publication_state": Appeal.State.PUBLISHED}
        )

    appeal.refresh_from_db()
    assert appeal.publication_state == Appeal.State.DRAFT


def test_addressee_rows_are_added_changed_and_removed(editor):
    appeal = AppealFactory(addressees=[])
    first, second, third = AddresseeFactory.create_batch(3)
    kept = AppealAddressee.objects.create(appeal=appeal, addressee=first, position=1)
    removed = AppealAddressee.objects.create(appeal=appeal, addressee=second, position=2)

    appeal_save(
        actor=editor,
        appeal=appeal,
        fields={},
        addressees=[
            Row(kept.pk, {"position": 2}),
            Row(removed.pk, delete=True),
            Row(None, {"addressee": third, "position": 1}),
        ],
    )

    assert list(appeal.addressee_links.values_list("addressee", "position")) == [
        (third.pk, 1),
        (first.pk, 2),
    ]


def test_an_addressee_row_of_another_appeal_is_refused(editor):
    appeal, other = AppealFactory(deadline=None), AppealFactory()
    theirs = AppealAddressee.objects.create(appeal=other, addressee=AddresseeFactory(), position=1)

    with pytest.raises(PermissionDenied):
        appeal_save(
            actor=editor,
            appeal=appeal,
            fields={"deadline": "2030-01-01"},
            addressees=[Row(theirs.pk, delete=True)],
        )

    assert AppealAddressee.objects.filter(pk=theirs.pk, appeal=other).exists()
    appeal.refresh_from_db()
    assert appeal.deadline is None
    assert not AppealEvent.objects.exists()


def test_an_addressee_row_cannot_be_moved_to_another_appeal(editor):
    appeal, other = AppealFactory(addressees=[]), AppealFactory(addressees=[])

    with pytest.raises(ValueError, match="appeal"):
        appeal_save(
            actor=editor,
            appeal=appeal,
            fields={},
            addressees=[Row(None, {"appeal": other, "addressee": AddresseeFactory()})],
        )

    assert not AppealAddressee.objects.exists()


def test_a_translation_is_added_with_an_event_naming_its_language(editor):
    appeal = AppealFactory(original_language="fr")

    text = appeal_text_save(actor=editor, appeal=appeal, language="ru", fields=TEXT)

    assert (text.language, text.title) == ("ru", TEXT["title"])
    assert appeal.texts.count() == 2
    event = appeal.events.get()
    assert (event.action, event.note) == (AppealEvent.Action.EDITED, "text in ru")
    appeal.refresh_from_db()
    assert appeal.updated_by == editor


def test_saving_a_text_again_changes_it_in_place(editor):
    appeal = AppealFactory(original_language="fr")

    appeal_text_save(actor=editor, appeal=appeal, language="fr", fields={"title": "Nouveau"})

    assert list(appeal.texts.values_list("language", "title")) == [("fr", "Nouveau")]


def test_researcher_cannot_save_a_text(researcher):
    appeal = AppealFactory(original_language="fr")

    with pytest.raises(PermissionDenied):
        appeal_text_save(actor=researcher, appeal=appeal, language="ru", fields=TEXT)

    assert appeal.texts.count() == 1
    assert not AppealEvent.objects.exists()


def test_addressee_is_created_and_changed(editor):
    addressee = addressee_save(actor=editor, fields={"name": "Prosecutor General"})

    addressee_save(actor=editor, addressee=addressee, fields={"country": "KG"})

    assert Addressee.objects.values_list("name", "country").get() == ("Prosecutor General", "KG")


def test_researcher_cannot_save_an_addressee(researcher):
    with pytest.raises(PermissionDenied):
        addressee_save(actor=researcher, fields={"name": "Prosecutor General"})

    assert not Addressee.objects.exists()
