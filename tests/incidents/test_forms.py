import datetime

import pytest
from django.utils import timezone

from incidents.forms import IncidentForm, incident_formsets
from incidents.models import Incident

from ..factories import (
    IncidentFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
    SourceFactory,
    status,
)

pytestmark = pytest.mark.django_db


def incident_data(**overrides):
    data = {
        "title": "Seminar broken up in Osh",
        "slug": "",
        "summary": "Men in plain clothes stopped a seminar.",
        "narrative": "",
        "occurred_on": "2024-03-12",
        "date_precision": "day",
        "ended_on": "",
        "country": "KG",
        "region": "",
        "place": "Osh",
        "latitude": "",
        "longitude": "",
        "location_precision": "place",
        "status": str(status().pk),
    }
    data.update(overrides)
    return data


def rows_data(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def test_valid_form_with_blank_slug_is_accepted(editor):
    form = IncidentForm(incident_data(), instance=Incident(), user=editor)

    assert form.is_valid(), form.errors


def test_end_date_before_start_is_an_error_on_the_end_date(editor):
    form = IncidentForm(incident_data(ended_on="2024-03-01"), instance=Incident(), user=editor)

    assert not form.is_valid()
    assert form.errors["ended_on"] == ["The end date cannot be before the date it happened."]


def test_incident_date_in_the_future_is_refused(editor):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = IncidentForm(
        incident_data(occurred_on=tomorrow.isoformat()), instance=Incident(), user=editor
    )

    assert not form.is_valid()
    assert form.errors["occurred_on"] == ["The incident date cannot be in the future."]


def test_latitude_without_longitude_asks_for_the_longitude(editor):
    form = IncidentForm(incident_data(latitude="40.5"), instance=Incident(), user=editor)

    assert not form.is_valid()
    assert form.errors["longitude"] == ["Give the longitude too, or leave both coordinates empty."]
    assert "latitude" not in form.errors


def test_latitude_out_of_range_is_refused_with_the_range(editor):
    form = IncidentForm(
        incident_data(latitude="95", longitude="74.5"), instance=Incident(), user=editor
    )

    assert not form.is_valid()
    assert form.errors["latitude"] == ["Latitude must be between -90 and 90."]
    assert "longitude" not in form.errors


def test_coordinates_with_many_decimals_are_rounded_to_the_column(editor):
    form = IncidentForm(
        incident_data(latitude="40.51234567", longitude="72.80012349"),
        instance=Incident(),
        user=editor,
    )

    assert form.is_valid(), form.errors
    assert str(form.cleaned_data["latitude"]) == "40.512346"


def test_organization_picker_renders_only_the_selected_organizations_of_a_long_list(
    editor, monkeypatch
):
    monkeypatch.setattr("casefile.forms.PICKER_ALL_OPTIONS_UP_TO", 4)
    chosen = OrganizationFactory(name="Osh Lawyers' Circle")
    OrganizationFactory.create_batch(5)
    incident = IncidentFactory(organizations=[chosen])

    html = str(IncidentForm(instance=incident, user=editor)["organizations"])

    assert html.count("<option") == 1
    assert "Osh Lawyers&#x27; Circle" in html
    assert 'data-picker="organizations"' in html
    assert 'data-create-url="/en/staff/organizations/quick-create/"' in html


def test_a_short_list_is_a_plain_select_with_every_choice_for_browsers_without_javascript(
    editor,
):
    chosen = OrganizationFactory(name="Osh Lawyers' Circle")
    OrganizationFactory.create_batch(5)
    incident = IncidentFactory(organizations=[chosen])

    html = str(IncidentForm(instance=incident, user=editor)["organizations"])

    assert html.count("<option") == 6
    assert html.count("selected") == 1


def test_organization_picker_accepts_any_existing_organization(editor):
    organization = OrganizationFactory()
    form = IncidentForm(
        incident_data(organizations=[str(organization.pk)]), instance=Incident(), user=editor
    )

    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["organizations"]) == [organization]


def test_same_perpetrator_group_twice_is_an_error_on_the_second_row(editor):
    group = PerpetratorGroupFactory()
    data = rows_data(
        "perpetrator_links",
        [
            {"perpetrator_group": str(group.pk), "involvement": "carried_out"},
            {"perpetrator_group": str(group.pk), "involvement": "ordered"},
        ],
    )
    formset = incident_formsets(data=data, instance=Incident(), user=editor)["perpetrator_links"]

    assert not formset.is_valid()
    assert formset.forms[0].errors == {}
    assert formset.forms[1].errors["perpetrator_group"] == [
        "This perpetrator group is already listed in another row."
    ]


def test_negative_figure_is_refused_with_a_clear_message(editor):
    data = rows_data("figures", [{"counted": "detained", "value": "-3", "qualifier": "exact"}])
    formset = incident_formsets(data=data, instance=Incident(), user=editor)["figures"]

    assert not formset.is_valid()
    assert formset.forms[0].errors["value"] == ["The number cannot be negative."]


def test_figure_may_cite_only_this_incidents_sources(editor):
    incident = IncidentFactory()
    own = SourceFactory(incident=incident)
    SourceFactory()

    formset = incident_formsets(data=None, instance=incident, user=editor)["figures"]

    # The saved source, then the two blank source rows of the same form.
    assert [value for value, _label in formset.empty_form.fields["source"].choices] == [
        "",
        str(own.pk),
        "new-1",
        "new-2",
    ]


def test_blank_extra_rows_are_ignored(editor):
    data = rows_data("sources", [{"kind": "", "title": "", "reliability": "unverified"}])
    formset = incident_formsets(data=data, instance=Incident(), user=editor)["sources"]

    assert formset.is_valid(), formset.errors


def test_a_long_list_is_searched_without_javascript_by_posting_the_form_back(
    editor_client, monkeypatch
):
    monkeypatch.setattr("casefile.forms.PICKER_ALL_OPTIONS_UP_TO", 3)
    OrganizationFactory.create_batch(5)
    wanted = OrganizationFactory(name="Kazakhstan Bureau for Human Rights")

    page = editor_client.get("/en/staff/incidents/new/")
    searched = editor_client.post(
        "/en/staff/incidents/new/",
        {"organizations-search": "bureau", "picker_search": "organizations", "title": ""},
    )

    # The box is there for browsers without JavaScript; the list holds only the matches.
    assert 'name="organizations-search"' in page.text
    assert "Kazakhstan Bureau" not in page.text
    assert searched.status_code == 200
    assert f'<option value="{wanted.pk}">Kazakhstan Bureau for Human Rights' in searched.text
    assert searched.context["error_summary"] == []
    assert not Incident.objects.exists()
