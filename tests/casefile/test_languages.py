"""The languages a text can be written in (ISO 639-1), apart from the interface languages."""

import pytest
from django.conf import global_settings, settings
from django.utils import translation

from casefile import languages
from casefile.translatable import (
    LANGUAGE_CODES,
    language_name,
    original_language_choices,
    text_direction,
)
from incidents.models import Incident, IncidentTranslation
from organizations.models import Organization


def test_every_iso_639_1_language_has_an_autonym_and_a_name_in_each_interface_language():
    assert len(languages.NAMES) == 184
    assert set(LANGUAGE_CODES) <= set(languages.NAMES)
    for code, row in languages.NAMES.items():
        assert len(code) == 2 and code.islower()
        assert all(name.strip() for name in row), code
    assert tuple(LANGUAGE_CODES) == languages.NAME_LANGUAGES


@pytest.mark.parametrize(
    ("code", "autonym"),
    [
        ("es", "Español"),
        ("ky", "Кыргызча"),
        ("kk", "Қазақ тілі"),
        ("be", "Беларуская"),
        ("fa", "فارسی"),
        ("ka", "ქართული"),  # Georgian keeps its capitals for titles
        ("zu", "isiZulu"),
    ],
)
def test_languages_are_named_in_themselves(code, autonym):
    assert languages.autonym(code) == autonym


@pytest.mark.parametrize(
    ("interface", "code", "name"),
    [
        ("en", "es", "Spanish"),
        ("fr", "es", "espagnol"),
        ("ru", "ky", "киргизский"),
        ("ar", "fa", "الفارسية"),
        ("en", "kk", "Kazakh"),
        ("fr", "be", "biélorusse"),
    ],
)
def test_a_language_is_named_in_the_readers_language(interface, code, name):
    with translation.override(interface):
        assert language_name(code) == name


def test_an_unknown_code_is_named_by_itself():
    assert language_name("xx") == "xx"
    assert languages.autonym("xx") == "xx"


@pytest.mark.parametrize("code", ["ar", "fa", "he", "ur", "ps", "yi", "dv", "ug", "sd", "ks"])
def test_languages_written_right_to_left(code):
    assert text_direction(code) == "rtl"


@pytest.mark.parametrize("code", ["en", "fr", "ru", "es", "ky", "kk", "be", "uz", "tg", "zh"])
def test_languages_written_left_to_right(code):
    assert text_direction(code) == "ltr"


def test_kurdish_takes_the_direction_of_its_text():
    # Kurmanji in Latin letters, Sorani in Arabic ones, both under "ku".
    assert text_direction("ku") == "auto"


def test_the_table_agrees_with_django_on_the_right_to_left_languages():
    for code in global_settings.LANGUAGES_BIDI:
        if code in languages.NAMES:
            assert text_direction(code) == "rtl", code


def test_the_choices_list_the_interface_languages_first_then_the_others_alphabetically():
    codes = [code for code, _label in original_language_choices()]

    assert len(codes) == 184
    assert codes[:4] == LANGUAGE_CODES
    rest = [languages.autonym(code) for code in codes[4:]]
    # Accents do not push a language to the end: Čeština sits among the Cs.
    assert rest.index("Català") < rest.index("Čeština") < rest.index("Cymraeg")
    # Latin letters, then Cyrillic, then Arabic.
    assert rest.index("Español") < rest.index("Кыргызча") < rest.index("فارسی")


def test_a_choice_reads_the_autonym_then_the_readers_name_for_it():
    labels = dict(original_language_choices())
    with translation.override("en"):
        assert str(labels["es"]) == "Español (Spanish)"
        assert str(labels["en"]) == "English"
    with translation.override("fr"):
        assert str(labels["es"]) == "Español (espagnol)"
        assert str(labels["fr"]) == "Français"


@pytest.mark.parametrize("model", [Incident, Organization])
def test_models_refer_to_the_list_so_a_change_to_it_needs_no_migration(model):
    _name, _path, _args, kwargs = model._meta.get_field("original_language").deconstruct()
    assert kwargs["choices"] is original_language_choices


def test_translations_stay_in_the_interface_languages():
    field = IncidentTranslation._meta.get_field("language")
    assert [code for code, _label in field.choices] == [code for code, _ in settings.LANGUAGES]
