"""The public pages: home, case list, case page, organization and perpetrator pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Figure, Incident, IncidentPerpetrator, Source, ViolationType

from ..factories import (
    FigureFactory,
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
    SourceFactory,
    UpdateFactory,
    status,
)

pytestmark = pytest.mark.django_db

UNPUBLISHED = {
    "draft": {},
    "in_review": {"in_review": True},
    "withdrawn": {"withdrawn": True},
    "embargoed": {
        "publication_state": Incident.State.PUBLISHED,
        "published_at": timezone.now() + datetime.timedelta(days=2),
    },
}


def listed_titles(response) -> list[str]:
    # The case list passes "incidents"; an organization's or a group's page gets its cases
    # from the newest_cases_of tag, as "cases".
    try:
        incidents = response.context["incidents"]
    except KeyError:
        incidents = response.context["cases"]["incidents"]
    return [incident.title for incident in incidents]


# Home page.


def test_home_lists_only_published_cases(client):
    IncidentFactory(published=True, title="Published meeting disrupted")
    for traits in UNPUBLISHED.values():
        IncidentFactory(title="Hidden case", **traits)

    response = client.get(reverse("incidents:home"))

    assert response.status_code == 200
    assert listed_titles(response) == ["Published meeting disrupted"]
    assert "Hidden case" not in response.text
    assert reverse("incidents:list") in response.text


def test_home_shows_status_date_place_and_summary(client):
    IncidentFactory(
        published=True,
        summary="Nine people interrupted the meeting.",
        occurred_on=datetime.date(2019, 5, 23),
        date_precision=Incident.DatePrecision.MONTH,
    )

    response = client.get(reverse("incidents:home"))

    assert "Harassment and intimidation" in response.text
    assert "May 2019" in response.text
    assert "May 23, 2019" not in response.text  # the date is known to the month only
    assert "Bishkek, Kyrgyzstan" in response.text
    assert "Nine people interrupted the meeting." in response.text


# Case list.


def test_case_list_shows_only_published_cases_with_their_count(client):
    IncidentFactory.create_batch(3, published=True)
    IncidentFactory()

    response = client.get(reverse("incidents:list"))

    assert response.status_code == 200
    assert len(listed_titles(response)) == 3
    assert "3 cases" in response.text


def test_case_list_is_newest_first(client):
    IncidentFactory(published=True, title="Older", occurred_on=datetime.date(2019, 5, 23))
    IncidentFactory(published=True, title="Newer", occurred_on=datetime.date(2022, 1, 2))

    assert listed_titles(client.get(reverse("incidents:list"))) == ["Newer", "Older"]


def test_case_list_filters_by_several_countries(client):
    IncidentFactory(published=True, title="In Kyrgyzstan", country="KG")
    IncidentFactory(published=True, title="In Kazakhstan", country="KZ")
    IncidentFactory(published=True, title="In Uzbekistan", country="UZ")

    response = client.get(reverse("incidents:list"), {"country": ["KG", "KZ"]})

    assert sorted(listed_titles(response)) == ["In Kazakhstan", "In Kyrgyzstan"]
    assert "2 cases" in response.text


def test_case_list_filters_by_several_statuses(client):
    IncidentFactory(published=True, title="Harassed", status=status())
    IncidentFactory(published=True, title="Detained", status=status("arbitrary-detention"))
    IncidentFactory(published=True, title="Killed", status=status("killing"))

    response = client.get(
        reverse("incidents:list"),
        {"status": ["harassment-and-intimidation", "arbitrary-detention"]},
    )

    assert sorted(listed_titles(response)) == ["Detained", "Harassed"]


def test_case_list_filters_by_year(client):
    IncidentFactory(published=True, title="2019 case", occurred_on=datetime.date(2019, 5, 23))
    IncidentFactory(published=True, title="2022 case", occurred_on=datetime.date(2022, 1, 2))

    response = client.get(reverse("incidents:list"), {"year": "2022"})

    assert listed_titles(response) == ["2022 case"]
    assert "1 case" in response.text


def test_case_list_offers_only_choices_found_in_published_cases(client):
    IncidentFactory(published=True, country="KG", occurred_on=datetime.date(2019, 5, 23))
    IncidentFactory(
        country="TJ", status=status("enforced-disappearance"), occurred_on=datetime.date(2015, 3, 1)
    )

    response = client.get(reverse("incidents:list"))

    assert "Kyrgyzstan" in response.text
    assert "Tajikistan" not in response.text
    assert "Enforced disappearance" not in response.text
    assert "2015" not in response.text


def test_case_list_paginates_fifty_a_page_and_keeps_the_filters(client):
    IncidentFactory.create_batch(51, published=True, country="KG")

    first = client.get(reverse("incidents:list"), {"country": "KG"})
    cursor = first.context["page_obj"].next_cursor
    second = client.get(reverse("incidents:list"), {"country": "KG", "cursor": cursor})

    assert len(listed_titles(first)) == 50
    assert f"?country=KG&amp;cursor={cursor}" in first.text
    assert len(listed_titles(second)) == 1
    assert "51 cases" in second.text


def test_case_list_query_count_does_not_grow_with_the_cases(client, django_assert_max_num_queries):
    organization = OrganizationFactory()
    for year in (2019, 2020, 2021):
        IncidentFactory.create_batch(
            20,
            published=True,
            occurred_on=datetime.date(year, 1, 1),
            organizations=[organization, OrganizationFactory()],
        )
    query = {"country": "KG", "status": "harassment-and-intimidation"}

    with django_assert_max_num_queries(7):
        response = client.get(reverse("incidents:list"), query)

    assert len(listed_titles(response)) == 50


# Case page.


@pytest.fixture
def bishkek_case():
    organization = OrganizationFactory(
        name="Coalition Against Torture",
        kind="coalition",
        about="A coalition of 17 NGOs against torture.",
        member_organizations=17,
        founded_year=2008,
    )
    incident = IncidentFactory(
        published=True,
        title="Coalition meeting disrupted in Bishkek",
        slug="coalition-meeting-disrupted",
        summary="Nine people interrupted the meeting.",
        narrative="First paragraph.\n\nSecond paragraph.",
        ended_on=datetime.date(2019, 5, 24),
        organizations=[organization],
    )
    incident.violation_types.set([ViolationType.objects.get(code="0601")])
    IncidentPerpetratorFactory(
        incident=incident,
        perpetrator_group=PerpetratorGroupFactory(
            name="Kyrgyzstan Patriotic Youth Movement",
            aliases="Кыргызстандын патриот жаштар кыймылы",
        ),
        involvement=IncidentPerpetrator.Involvement.CARRIED_OUT,
    )
    source = SourceFactory(
        incident=incident,
        title="Meeting interrupted",
        url="https://example.org/fld",
        published_on=datetime.date(2019, 5, 24),
        reliability=Source.Reliability.PROBABLE,
    )
    FigureFactory(
        incident=incident,
        counted=Figure.Counted.OTHER,
        label="people disrupted the meeting",
        value=9,
        according_to="Front Line Defenders",
        source=source,
    )
    UpdateFactory(
        incident=incident,
        date=datetime.date(2019, 5, 23),
        title="Complaint lodged",
        status=status(),
    )
    UpdateFactory(
        incident=incident,
        date=datetime.date(2019, 5, 24),
        title="Case published by Front Line Defenders",
        status=status(),
    )
    return incident


def test_case_page_shows_every_section(client, bishkek_case):
    response = client.get(bishkek_case.get_absolute_url())
    text = response.text

    assert response.status_code == 200
    for expected in [
        "<h1",
        "Status:",
        "Harassment and intimidation",
        "May 23, 2019",
        "May 24, 2019",
        "Bishkek, Kyrgyzstan",
        "About the situation",
        "Nine people interrupted the meeting.",
        "<p>First paragraph.</p>",
        "<p>Second paragraph.</p>",
        "About <bdi>Coalition Against Torture</bdi>",
        "A coalition of 17 NGOs against torture.",
        "17 member organizations",
        "2008",
        bishkek_case.organizations.get().get_absolute_url(),
        "Perpetrators",
        "Kyrgyzstan Patriotic Youth Movement",
        "Кыргызстандын патриот жаштар кыймылы",
        "Carried out",
        "Pro-government or nationalist group",
        "0601",
        "Banning or disruption of a meeting",
        "people disrupted the meeting",
        "according to Front Line Defenders",
        "Updates",
        "Status at this date:",
        "Urgent appeal",
        'id="urgent-appeal"',
        "Sources",
        "Press release",
        "Probably true",
        "in French",
    ]:
        assert expected in text, expected


def test_case_page_headings_are_in_order(client, bishkek_case):
    text = client.get(bishkek_case.get_absolute_url()).text

    assert text.count("<h1") == 1
    assert (
        text.index("<h1")
        < text.index("About the situation")
        < text.index("About <bdi>Coalition Against Torture</bdi>")
        < text.index("Urgent appeal")
    )


def test_case_page_timeline_is_newest_first(client, bishkek_case):
    text = client.get(bishkek_case.get_absolute_url()).text

    assert text.index("Case published by Front Line Defenders") < text.index("Complaint lodged")


def test_case_page_sets_conflicting_figures_side_by_side(client, bishkek_case):
    FigureFactory(
        incident=bishkek_case, counted=Figure.Counted.DETAINED, value=3, according_to="Police"
    )
    FigureFactory(
        incident=bishkek_case,
        counted=Figure.Counted.DETAINED,
        value=7,
        qualifier=Figure.Qualifier.AT_LEAST,
        according_to="Witnesses",
    )

    response = client.get(bishkek_case.get_absolute_url())

    assert response.text.count('<h3 class="h6">Detained</h3>') == 1
    assert "according to Police" in response.text
    assert "at least 7" in response.text
    assert "according to Witnesses" in response.text


def test_case_page_escapes_user_text(client):
    incident = IncidentFactory(
        published=True,
        title="<script>alert(1)</script>",
        summary="<img src=x onerror=alert(2)>",
        narrative="<b>bold</b>\n\nnext",
    )
    SourceFactory(incident=incident, title="<i>source</i>", url="javascript:alert(3)")

    text = client.get(incident.get_absolute_url()).text

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert(1)" not in text
    assert "<img src=x" not in text
    assert "&lt;b&gt;bold&lt;/b&gt;" in text
    assert "<i>source</i>" not in text
    assert "javascript:alert(3)" not in text


def test_source_links_open_without_referrer_or_endorsement(client, bishkek_case):
    text = client.get(bishkek_case.get_absolute_url()).text

    assert 'href="https://example.org/fld" rel="noopener noreferrer nofollow"' in text


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_unpublished_case_page_is_404_for_anonymous(client, state):
    incident = IncidentFactory(slug=f"case-{state}", **UNPUBLISHED[state])

    assert client.get(incident.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_unpublished_case_page_is_404_for_staff_too(reviewer_client, state):
    # Staff read unpublished cases on the staff detail page; public URLs stay public-only.
    incident = IncidentFactory(slug=f"case-{state}", **UNPUBLISHED[state])

    assert reviewer_client.get(incident.get_absolute_url()).status_code == 404


def test_staff_see_only_published_cases_on_public_lists(reviewer_client):
    IncidentFactory(published=True, title="Public")
    IncidentFactory(title="Draft")

    assert listed_titles(reviewer_client.get(reverse("incidents:list"))) == ["Public"]
    assert listed_titles(reviewer_client.get(reverse("incidents:home"))) == ["Public"]


def test_cyrillic_slug_reaches_the_case(client):
    IncidentFactory(published=True, slug="январские-события-2023", title="Another January")
    incident = IncidentFactory(
        published=True, slug="январские-события-2022", title="Январские события в Алматы"
    )
    IncidentFactory(published=True, slug="yanvarskie-sobytiya-2022", title="Transliterated")

    response = client.get(incident.get_absolute_url())

    assert response.status_code == 200
    assert response.context["incident"].pk == incident.pk
    assert "Январские события в Алматы</h1>" in response.text
    assert "Another January" not in response.text
    assert "Transliterated" not in response.text


# Organization and perpetrator pages.


def test_organization_page_lists_only_published_cases(client):
    organization = OrganizationFactory(name="Coalition Against Torture", member_organizations=17)
    IncidentFactory(published=True, title="Public case", organizations=[organization])
    IncidentFactory(title="Draft case", organizations=[organization])
    IncidentFactory(withdrawn=True, title="Withdrawn case", organizations=[organization])

    response = client.get(organization.get_absolute_url())

    assert response.status_code == 200
    assert "Coalition Against Torture" in response.text
    assert "17 member organizations" in response.text
    assert listed_titles(response) == ["Public case"]
    assert "Draft case" not in response.text


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_organization_with_only_unpublished_cases_is_404(client, reviewer_client, state):
    organization = OrganizationFactory()
    IncidentFactory(organizations=[organization], **UNPUBLISHED[state])

    assert client.get(organization.get_absolute_url()).status_code == 404
    assert reviewer_client.get(organization.get_absolute_url()).status_code == 404


def test_perpetrator_page_lists_only_published_cases(client):
    group = PerpetratorGroupFactory(name="Kyrgyzstan Patriotic Youth Movement")
    IncidentPerpetratorFactory(
        perpetrator_group=group, incident=IncidentFactory(published=True, title="Public case")
    )
    IncidentPerpetratorFactory(perpetrator_group=group, incident=IncidentFactory(title="Draft"))

    response = client.get(group.get_absolute_url())

    assert response.status_code == 200
    assert listed_titles(response) == ["Public case"]


def test_perpetrator_named_only_in_a_draft_is_404(client):
    link = IncidentPerpetratorFactory(incident=IncidentFactory())

    assert client.get(link.perpetrator_group.get_absolute_url()).status_code == 404
