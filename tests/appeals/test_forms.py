import pytest

from appeals.forms import (
    AddresseeForm,
    AppealForm,
    AppealTextForm,
    addressee_formset,
    text_initial_from_incident,
)
from appeals.models import SECTION_MAX_LENGTH, Appeal, AppealText
from incidents.models import IncidentPerpetrator

from ..factories import (
    AddresseeFactory,
    AppealFactory,
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
)

pytestmark = pytest.mark.django_db


def appeal_data(**overrides):
    data = {"kind": "urgent_appeal", "follows": "", "original_language": "en", "deadline": ""}
    data.update(overrides)
    return data


def text_data(**overrides):
    data = {
        "title": "Kyrgyzstan: Coalition Against Torture meeting disrupted",
        "summary": "On 23 May 2019 a nationalist group broke up the meeting.",
        "situation": "About thirty men entered the room.",
        "about_defenders": "",
        "background": "",
        "concerns": "",
        "actions_requested": "Guarantee their safety\nInvestigate the attack",
        "model_letter": "",
    }
    data.update(overrides)
    return data


def rows_data(rows, initial=0, prefix="addressees"):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


# The appeal's kind and what it follows.


def test_urgent_appeal_without_follows_is_valid():
    incident = IncidentFactory()

    form = AppealForm(appeal_data(), instance=Appeal(incident=incident), incident=incident)

    assert form.is_valid(), form.errors


def test_follow_up_without_follows_is_an_error_on_follows():
    incident = IncidentFactory()
    AppealFactory(incident=incident)

    form = AppealForm(
        appeal_data(kind="new_information"), instance=Appeal(incident=incident), incident=incident
    )

    assert not form.is_valid()
    assert list(form.errors) == ["follows"]
    assert "Choose the urgent appeal this one follows up on" in form.errors["follows"][0]


def test_follow_up_of_an_incident_without_appeals_says_to_write_one_first():
    incident = IncidentFactory()

    form = AppealForm(
        appeal_data(kind="case_closed"), instance=Appeal(incident=incident), incident=incident
    )

    assert not form.is_valid()
    assert "no urgent appeal yet" in form.errors["follows"][0]


def test_urgent_appeal_that_follows_another_is_an_error_on_follows():
    incident = IncidentFactory()
    original = AppealFactory(incident=incident)

    form = AppealForm(
        appeal_data(follows=str(original.pk)), instance=Appeal(incident=incident), incident=incident
    )

    assert not form.is_valid()
    assert "follows up on nothing" in form.errors["follows"][0]


def test_follows_offers_only_this_incidents_original_appeals():
    incident = IncidentFactory()
    original = AppealFactory(incident=incident)
    published_original = AppealFactory(incident=incident, published=True)
    AppealFactory(incident=incident, kind="new_information", follows=original)
    AppealFactory()  # another incident's

    form = AppealForm(instance=Appeal(incident=incident), incident=incident)

    assert set(form.fields["follows"].queryset) == {original, published_original}


def test_follows_from_another_incident_is_refused():
    incident = IncidentFactory()
    AppealFactory(incident=incident)
    elsewhere = AppealFactory()

    form = AppealForm(
        appeal_data(kind="new_information", follows=str(elsewhere.pk)),
        instance=Appeal(incident=incident),
        incident=incident,
    )

    assert not form.is_valid()
    assert "follows" in form.errors


def test_kind_and_follows_are_fixed_once_the_appeal_has_a_reference():
    appeal = AppealFactory(published=True)

    form = AppealForm(
        appeal_data(kind="case_closed", original_language="fr"),
        instance=appeal,
        incident=appeal.incident,
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["kind"] == "urgent_appeal"


def test_original_language_must_have_a_text():
    appeal = AppealFactory(original_language="fr")

    form = AppealForm(
        appeal_data(original_language="ru"), instance=appeal, incident=appeal.incident
    )

    assert not form.is_valid()
    assert "no text in Russian" in form.errors["original_language"][0]


# The text.


def test_too_long_section_is_an_error_that_names_the_limit():
    form = AppealTextForm(
        text_data(situation="x" * (SECTION_MAX_LENGTH + 1)), instance=AppealText()
    )

    assert not form.is_valid()
    assert form.errors["situation"] == [
        "This section is 20,001 characters long; the limit is 20,000. "
        "Shorten it or move part of it to another section."
    ]


def test_section_at_the_limit_is_accepted():
    form = AppealTextForm(text_data(situation="x" * SECTION_MAX_LENGTH), instance=AppealText())

    assert form.is_valid(), form.errors


def test_textareas_have_no_maxlength_so_pasted_text_is_not_cut():
    form = AppealTextForm(instance=AppealText())

    assert "maxlength" not in str(form["situation"])


def test_text_form_marks_right_to_left_languages():
    form = AppealTextForm(instance=AppealText(), language="ar")

    html = str(form["summary"])
    assert 'lang="ar"' in html
    assert 'dir="rtl"' in html


def test_initial_text_is_taken_from_the_incident():
    organization = OrganizationFactory(
        name="Coalition Against Torture", acronym="CAT", about="A network of twelve NGOs."
    )
    incident = IncidentFactory(
        title="Meeting disrupted",
        summary="Short.",
        narrative="Long story.",
        organizations=[organization],
    )
    IncidentPerpetratorFactory(
        incident=incident,
        perpetrator_group=PerpetratorGroupFactory(name="Kalys"),
        involvement=IncidentPerpetrator.Involvement.SUSPECTED,
    )

    initial = text_initial_from_incident(incident, language=incident.original_language)

    assert initial["title"] == "Meeting disrupted"
    assert initial["summary"] == "Short."
    assert initial["situation"] == "Long story."
    assert "Coalition Against Torture (CAT)" in initial["about_defenders"]
    assert "A network of twelve NGOs." in initial["about_defenders"]
    assert "Kalys (suspected)" in initial["background"]
    assert incident.status.name in initial["background"]
    assert len(initial["actions_requested"].splitlines()) == 4


def test_initial_text_is_valid_as_it_stands():
    incident = IncidentFactory(organizations=[OrganizationFactory()])

    initial = text_initial_from_incident(incident, language=incident.original_language)
    form = AppealTextForm(initial, instance=AppealText())

    assert form.is_valid(), form.errors


# Addressees.


def test_addressee_rows_without_order_go_after_the_numbered_ones():
    first, second, third = AddresseeFactory.create_batch(3)
    appeal = AppealFactory(addressees=[])
    formset = addressee_formset(
        data=rows_data(
            [
                {"addressee": str(first.pk), "position": ""},
                {"addressee": str(second.pk), "position": "1"},
                {"addressee": str(third.pk), "position": ""},
            ]
        ),
        instance=appeal,
    )

    assert formset.is_valid(), formset.errors
    formset.save()
    assert [link.addressee for link in appeal.addressee_links.all()] == [second, first, third]


def test_the_same_addressee_twice_is_an_error_on_the_second_row():
    addressee = AddresseeFactory()
    formset = addressee_formset(
        data=rows_data([{"addressee": str(addressee.pk)}, {"addressee": str(addressee.pk)}]),
        instance=AppealFactory(),
    )

    assert not formset.is_valid()
    assert formset.forms[0].errors == {}
    assert "already listed" in formset.forms[1].errors["addressee"][0]


def test_an_untouched_blank_row_is_ignored():
    formset = addressee_formset(
        data=rows_data([{"addressee": "", "position": ""}]), instance=Appeal()
    )

    assert formset.is_valid(), formset.errors


def test_addressee_country_is_normalised_to_upper_case():
    form = AddresseeForm({"name": "Sadyr Japarov", "country": "kg"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["country"] == "KG"


def test_addressee_country_must_be_two_letters():
    form = AddresseeForm({"name": "Sadyr Japarov", "country": "1x"})

    assert not form.is_valid()
    assert "two-letter" in form.errors["country"][0]
