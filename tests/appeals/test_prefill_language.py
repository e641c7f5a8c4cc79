"""A new appeal text starts from the case's words in the text's own language, never another's."""

import pytest
from django.urls import reverse

from appeals.forms import PREFILLED_FIELDS, text_initial_from_incident
from incidents.models import IncidentTranslation
from organizations.models import OrganizationTranslation

from ..factories import AppealFactory, IncidentFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

FRENCH = {
    "title": "Réunion perturbée à Bichkek",
    "summary": "Des hommes ont interrompu la réunion.",
    "narrative": "Une trentaine d'hommes sont entrés dans la salle.",
}
RUSSIAN = {
    "title": "Собрание сорвано в Бишкеке",
    "summary": "Мужчины сорвали собрание.",
    "narrative": "Около тридцати мужчин вошли в зал.",
}


def french_case(*, russian: bool, organization=None):
    incident = IncidentFactory(
        original_language="fr",
        place="Bichkek",
        organizations=[organization] if organization else [],
        **FRENCH,
    )
    if russian:
        IncidentTranslation.objects.create(
            incident=incident, language="ru", place="Бишкек", **RUSSIAN
        )
    return incident


def test_russian_text_of_a_french_case_takes_its_russian_translation(editor_client):
    organization = OrganizationFactory(
        name="Coalition contre la torture",
        acronym="",
        about="Dix-sept ONG.",
        original_language="fr",
    )
    OrganizationTranslation.objects.create(
        organization=organization,
        language="ru",
        name="Коалиция против пыток",
        about="Семнадцать НКО.",
    )
    incident = french_case(russian=True, organization=organization)

    response = editor_client.get(reverse("appeals:create", args=[incident.pk]), {"language": "ru"})

    form = response.context["text_form"]
    assert form["title"].value() == RUSSIAN["title"]
    assert form["summary"].value() == RUSSIAN["summary"]
    assert form["situation"].value() == RUSSIAN["narrative"]
    assert form["about_defenders"].value().startswith("Коалиция против пыток (")
    assert form["about_defenders"].value().endswith(")\nСемнадцать НКО.")
    assert "Бишкек" in form["background"].value()
    assert "Около тридцати" in response.text
    assert response.context["form"]["original_language"].value() == "ru"
    fields = "".join(str(field) for field in form)
    for french in (*FRENCH.values(), "Dix-sept ONG.", "Coalition contre la torture", "Bishkek"):
        assert french not in fields


def test_without_a_russian_translation_the_sections_are_empty_and_marked(editor_client):
    incident = french_case(russian=False)

    response = editor_client.get(reverse("appeals:create", args=[incident.pk]), {"language": "ru"})

    form = response.context["text_form"]
    for name in ("title", "summary", "situation", "background"):
        assert not form[name].value()
        assert 'placeholder="To write in Russian"' in str(form[name])
    assert "To write in Russian: the incident has no text in this language" in response.text
    fields = "".join(str(field) for field in form)
    for french in FRENCH.values():
        assert french not in fields


def test_the_same_case_in_french_prefills_its_original(editor_client):
    incident = french_case(russian=True)

    response = editor_client.get(reverse("appeals:create", args=[incident.pk]), {"language": "fr"})

    form = response.context["text_form"]
    assert form["title"].value() == FRENCH["title"]
    assert form["situation"].value() == FRENCH["narrative"]
    assert "Mis en cause" not in form["background"].value()  # no perpetrators
    assert "Statut actuel du cas" in form["background"].value()
    assert "placeholder" not in str(form["title"])


def test_a_case_in_a_language_the_interface_lacks_is_never_copied_into_another():
    incident = IncidentFactory(original_language="ky", title="Жолугушуу бузулду", place="")

    initial = text_initial_from_incident(incident, language="ru")

    assert initial["title"] == ""
    assert "Жолугушуу" not in "".join(initial.values())


def test_new_translation_of_an_appeal_takes_the_case_in_that_language(editor_client):
    incident = french_case(russian=True)
    appeal = AppealFactory(incident=incident, original_language="fr")

    response = editor_client.get(reverse("appeals:text", args=[appeal.pk, "ru"]))

    assert response.context["form"]["title"].value() == RUSSIAN["title"]
    # The French original stays beside the fields, to translate the rest from.
    assert "in the French original" in response.text


def test_new_translation_without_the_case_in_that_language_is_marked_to_write(editor_client):
    appeal = AppealFactory(incident=french_case(russian=False), original_language="fr")

    response = editor_client.get(reverse("appeals:text", args=[appeal.pk, "ru"]))

    form = response.context["form"]
    assert not form["title"].value()
    for name in (*PREFILLED_FIELDS[:3], "concerns"):  # the original has concerns
        assert 'placeholder="To write in Russian"' in str(form[name])
