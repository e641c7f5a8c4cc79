import pytest
from django.core.exceptions import PermissionDenied

from organizations.models import Organization, PerpetratorGroup
from organizations.services import (
    organization_save,
    organization_translation_save,
    perpetrator_group_save,
)

from ..factories import OrganizationFactory, PerpetratorGroupFactory

pytestmark = pytest.mark.django_db


def test_a_new_organization_keeps_its_values_and_who_created_it(editor):
    organization = organization_save(
        actor=editor, fields={"name": "Bir Duino", "acronym": "BD", "country": "KG"}
    )

    organization.refresh_from_db()
    assert (organization.name, organization.acronym, organization.country.code) == (
        "Bir Duino",
        "BD",
        "KG",
    )
    assert organization.kind == Organization.Kind.NGO  # left out: the model's default
    assert organization.created_by == editor
    assert organization.history.get().history_user == editor


def test_a_change_sets_only_the_given_values(editor, reviewer):
    organization = OrganizationFactory(name="Bir Duino", city="Bishkek", created_by=editor)

    organization_save(
        actor=reviewer, organization=organization, fields={"name": "Bir Duino Kyrgyzstan"}
    )

    organization.refresh_from_db()
    assert (organization.name, organization.city) == ("Bir Duino Kyrgyzstan", "Bishkek")
    assert organization.created_by == editor
    assert organization.history.latest().history_user == reviewer


def test_researchers_may_neither_add_nor_change_and_nothing_is_written(researcher):
    organization = OrganizationFactory(name="Bir Duino")
    group = PerpetratorGroupFactory(name="Kalys")

    with pytest.raises(PermissionDenied):
        organization_save(actor=researcher, fields={"name": "New"})
    with pytest.raises(PermissionDenied):
        organization_save(actor=researcher, organization=organization, fields={"name": "Changed"})
    with pytest.raises(PermissionDenied):
        perpetrator_group_save(actor=researcher, fields={"name": "New"})
    with pytest.raises(PermissionDenied):
        perpetrator_group_save(actor=researcher, group=group, fields={"name": "Changed"})

    assert list(Organization.objects.values_list("name", flat=True)) == ["Bir Duino"]
    assert list(PerpetratorGroup.objects.values_list("name", flat=True)) == ["Kalys"]


def test_the_creator_and_unknown_fields_are_not_for_callers_to_set(editor, reviewer):
    with pytest.raises(ValueError):
        organization_save(actor=editor, fields={"name": "Bir Duino", "created_by": reviewer})

    assert not Organization.objects.exists()


def test_a_new_perpetrator_group_keeps_its_values(editor):
    group = perpetrator_group_save(
        actor=editor,
        fields={"name": "Kalys", "aliases": "Калыс", "kind": "pro_government", "country": "KG"},
    )

    group.refresh_from_db()
    assert (group.name, group.alias_list, group.kind, group.country.code) == (
        "Kalys",
        ["Калыс"],
        "pro_government",
        "KG",
    )
    assert group.created_by == editor


def test_a_translation_is_saved_trimmed_and_removed_when_emptied(editor):
    group = PerpetratorGroupFactory(description="Un groupe.", original_language="fr")

    organization_translation_save(
        actor=editor, record=group, language="ru", texts={"description": " Группа. "}
    )
    translation = group.translations.get(language="ru")
    assert (translation.name, translation.description, translation.updated_by) == (
        "",
        "Группа.",
        editor,
    )

    organization_translation_save(
        actor=editor, record=group, language="ru", texts={"name": " ", "description": ""}
    )
    assert not group.translations.exists()


def test_the_original_language_cannot_be_translated(editor):
    organization = OrganizationFactory(original_language="fr")

    with pytest.raises(ValueError):
        organization_translation_save(
            actor=editor, record=organization, language="fr", texts={"about": "Texte."}
        )

    assert not organization.translations.exists()


def test_researchers_cannot_translate(researcher):
    organization = OrganizationFactory(original_language="fr")

    with pytest.raises(PermissionDenied):
        organization_translation_save(
            actor=researcher, record=organization, language="ar", texts={"about": "نص"}
        )

    assert not organization.translations.exists()


def test_the_original_language_cannot_become_one_it_is_translated_into(editor):
    organization = OrganizationFactory(original_language="fr")
    organization_translation_save(
        actor=editor, record=organization, language="ar", texts={"about": "نص"}
    )

    with pytest.raises(ValueError):
        organization_save(
            actor=editor, organization=organization, fields={"original_language": "ar"}
        )

    organization.refresh_from_db()
    assert organization.original_language == "fr"
